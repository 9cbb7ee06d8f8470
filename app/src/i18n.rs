//! Every user-visible word, in English and Simplified Chinese.
//!
//! One `match` per language over [`Msg`]: the compiler refuses a message that
//! one language lacks. The language comes from the URL (`?lang=zh-CN`), then
//! the browser's preference, so a shared link shows the same words.

use analytics::Lang;
use analytics::overview::KpiKey;
use analytics::wire::Channel;

/// A message key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    AppTitle,
    AppTagline,
    Campaigns,
    Loading,
    Retry,
    ErrorUnreachable,
    ErrorNotFound,
    ErrorServer,
    ErrorMalformed,
    ErrorUnreachableHint,
    NoCampaigns,
    NoCampaignsHint,
    Competitor,
    Budget,
    NoBudget,
    BackToCampaigns,
    OpenCampaign,
    KeyFigures,
    ReachChartTitle,
    ChartAxisDate,
    ChartAxisPeople,
    SeriesUniqueReach,
    SeriesImpressions,
    ChartEmpty,
    SwitchLanguage,
    PageNotFound,
    PageNotFoundHint,
    DataSource,
    ExcludeSuspects,
    SuspectFansShare,
    SuspectSignals,
    FunnelTitle,
    ConversionWindow,
    StepExposed,
    StepEngaged,
    StepFans,
    StepConverted,
    ColStep,
    ColUsers,
    ColStepRate,
    ColOverallRate,
    ByChannel,
    ColChannel,
    Retained7,
    Retained30,
    FunnelNote,
    FunnelEmpty,
}

/// The text of `msg` in `lang`.
pub fn t(lang: Lang, msg: Msg) -> &'static str {
    match lang {
        Lang::En => en(msg),
        Lang::Zh => zh(msg),
    }
}

fn en(msg: Msg) -> &'static str {
    match msg {
        Msg::AppTitle => "Word-of-Mouth Analytics",
        Msg::AppTagline => "Reach, fan conversion and how your campaign spreads",
        Msg::Campaigns => "Campaigns",
        Msg::Loading => "Loading…",
        Msg::Retry => "Retry",
        Msg::ErrorUnreachable => "Cannot reach the analytics API",
        Msg::ErrorNotFound => "Not found",
        Msg::ErrorServer => "The analytics API reported an error",
        Msg::ErrorMalformed => "The analytics API sent an answer this page cannot read",
        Msg::ErrorUnreachableHint => "Check that the server is running, then retry.",
        Msg::NoCampaigns => "No campaigns yet",
        Msg::NoCampaignsHint => {
            "Start the server with --demo to load the demo workspace, or import your events (see the README)."
        }
        Msg::Competitor => "Tracked competitor",
        Msg::Budget => "Budget",
        Msg::NoBudget => "No budget set",
        Msg::BackToCampaigns => "All campaigns",
        Msg::OpenCampaign => "Open overview",
        Msg::KeyFigures => "Key figures",
        Msg::ReachChartTitle => "Reach over time (cumulative)",
        Msg::ChartAxisDate => "Date",
        Msg::ChartAxisPeople => "People",
        Msg::SeriesUniqueReach => "Unique reach",
        Msg::SeriesImpressions => "Impressions",
        Msg::ChartEmpty => "No exposures recorded for this campaign yet.",
        Msg::SwitchLanguage => "中文",
        Msg::PageNotFound => "Page not found",
        Msg::PageNotFoundHint => "The address does not match any page of the dashboard.",
        Msg::DataSource => "Figures computed in your browser from the workspace's events.",
        Msg::ExcludeSuspects => "Exclude suspected fake accounts",
        Msg::SuspectFansShare => "of new fans are suspected zombie accounts",
        Msg::SuspectSignals => {
            "Suspected: at least two of no posts, account under 30 days old, following ≥ 500 and ≥ 20× its followers; paid posters' posts."
        }
        Msg::FunnelTitle => "Fan conversion",
        Msg::ConversionWindow => "Conversion window",
        Msg::StepExposed => "Exposed",
        Msg::StepEngaged => "Engaged",
        Msg::StepFans => "Became fans",
        Msg::StepConverted => "Converted",
        Msg::ColStep => "Step",
        Msg::ColUsers => "People",
        Msg::ColStepRate => "Of previous step",
        Msg::ColOverallRate => "Of exposed",
        Msg::ByChannel => "By channel",
        Msg::ColChannel => "Channel",
        Msg::Retained7 => "Still fans after 7 days",
        Msg::Retained30 => "after 30 days",
        Msg::FunnelNote => {
            "Each step counts people who took it after the previous one, within the window from their first exposure. Brackets: 95% Wilson interval."
        }
        Msg::FunnelEmpty => {
            "No exposures recorded for this campaign yet, so nobody has entered the funnel."
        }
    }
}

fn zh(msg: Msg) -> &'static str {
    match msg {
        Msg::AppTitle => "口碑传播分析",
        Msg::AppTagline => "触达、粉丝转化与口碑传播路径",
        Msg::Campaigns => "营销活动",
        Msg::Loading => "加载中…",
        Msg::Retry => "重试",
        Msg::ErrorUnreachable => "无法连接分析服务接口",
        Msg::ErrorNotFound => "未找到",
        Msg::ErrorServer => "分析服务接口返回错误",
        Msg::ErrorMalformed => "分析服务接口返回的数据无法识别",
        Msg::ErrorUnreachableHint => "请确认服务器正在运行，然后重试。",
        Msg::NoCampaigns => "还没有营销活动",
        Msg::NoCampaignsHint => {
            "使用 --demo 启动服务器以加载演示工作区，或导入您的事件数据（见 README）。"
        }
        Msg::Competitor => "竞品监测",
        Msg::Budget => "预算",
        Msg::NoBudget => "未设置预算",
        Msg::BackToCampaigns => "全部活动",
        Msg::OpenCampaign => "查看概览",
        Msg::KeyFigures => "核心指标",
        Msg::ReachChartTitle => "触达趋势（累计）",
        Msg::ChartAxisDate => "日期",
        Msg::ChartAxisPeople => "人数",
        Msg::SeriesUniqueReach => "独立触达人数",
        Msg::SeriesImpressions => "曝光量",
        Msg::ChartEmpty => "该活动尚无曝光记录。",
        Msg::SwitchLanguage => "English",
        Msg::PageNotFound => "页面不存在",
        Msg::PageNotFoundHint => "该地址不对应仪表盘中的任何页面。",
        Msg::DataSource => "所有数字均由浏览器根据工作区事件计算。",
        Msg::ExcludeSuspects => "排除疑似虚假账号",
        Msg::SuspectFansShare => "的新增粉丝疑似僵尸粉",
        Msg::SuspectSignals => {
            "疑似判定：无发帖、注册不足 30 天、关注数 ≥ 500 且 ≥ 粉丝数 20 倍，三项中至少两项；以及水军（付费发帖）的帖子。"
        }
        Msg::FunnelTitle => "粉丝转化",
        Msg::ConversionWindow => "转化窗口",
        Msg::StepExposed => "曝光",
        Msg::StepEngaged => "互动",
        Msg::StepFans => "成为粉丝",
        Msg::StepConverted => "转化",
        Msg::ColStep => "环节",
        Msg::ColUsers => "人数",
        Msg::ColStepRate => "环节转化率",
        Msg::ColOverallRate => "占曝光人数",
        Msg::ByChannel => "按渠道",
        Msg::ColChannel => "渠道",
        Msg::Retained7 => "7 天后仍关注",
        Msg::Retained30 => "30 天后",
        Msg::FunnelNote => {
            "每一环节只计在上一环节之后、且在首次曝光起的转化窗口内完成的人。括号内为 95% Wilson 置信区间。"
        }
        Msg::FunnelEmpty => "该活动尚无曝光记录，还没有人进入转化漏斗。",
    }
}

/// The label of a KPI card.
pub fn kpi_label(lang: Lang, key: KpiKey) -> &'static str {
    match (lang, key) {
        (Lang::En, KpiKey::Impressions) => "Impressions",
        (Lang::En, KpiKey::UniqueReach) => "Unique reach",
        (Lang::En, KpiKey::Engagements) => "Engagements",
        (Lang::En, KpiKey::Reposts) => "Reposts",
        (Lang::En, KpiKey::NewFans) => "New fans",
        (Lang::En, KpiKey::Conversions) => "Conversions",
        (Lang::En, KpiKey::Revenue) => "Revenue",
        (Lang::En, KpiKey::CostPerFan) => "Cost per fan",
        (Lang::En, KpiKey::CostPerConversion) => "Cost per conversion",
        (Lang::En, KpiKey::Roi) => "ROI",
        (Lang::Zh, KpiKey::Impressions) => "曝光量",
        (Lang::Zh, KpiKey::UniqueReach) => "独立触达",
        (Lang::Zh, KpiKey::Engagements) => "互动量",
        (Lang::Zh, KpiKey::Reposts) => "转发量",
        (Lang::Zh, KpiKey::NewFans) => "新增粉丝",
        (Lang::Zh, KpiKey::Conversions) => "转化数",
        (Lang::Zh, KpiKey::Revenue) => "销售额",
        (Lang::Zh, KpiKey::CostPerFan) => "单粉成本",
        (Lang::Zh, KpiKey::CostPerConversion) => "单次转化成本",
        (Lang::Zh, KpiKey::Roi) => "投资回报率",
    }
}

/// The name of a channel.
pub fn channel_name(lang: Lang, channel: Channel) -> &'static str {
    match (lang, channel) {
        (Lang::En, Channel::Weibo) => "Weibo",
        (Lang::En, Channel::Wechat) => "WeChat",
        (Lang::En, Channel::Douyin) => "Douyin",
        (Lang::En, Channel::Xiaohongshu) => "Xiaohongshu",
        (Lang::Zh, Channel::Weibo) => "微博",
        (Lang::Zh, Channel::Wechat) => "微信",
        (Lang::Zh, Channel::Douyin) => "抖音",
        (Lang::Zh, Channel::Xiaohongshu) => "小红书",
        (_, Channel::X) => "X",
        (_, Channel::Facebook) => "Facebook",
    }
}
