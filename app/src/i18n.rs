//! Every user-visible word, in English and Simplified Chinese.
//!
//! One `match` per language over [`Msg`]: the compiler refuses a message that
//! one language lacks. The language comes from the URL (`?lang=zh-CN`), then
//! the browser's preference, so a shared link shows the same words.

use analytics::Lang;
use analytics::overview::KpiKey;
use analytics::wire::Channel;

/// Declares the message keys and [`Msg::ALL`] from one list, so the test
/// that checks both languages sees every key.
macro_rules! messages {
    ($($name:ident),* $(,)?) => {
        /// A message key.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg {
            $($name),*
        }

        impl Msg {
            /// Every key, in declaration order.
            pub const ALL: &'static [Msg] = &[$(Msg::$name),*];
        }
    };
}

messages! {
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
    FilterFrom,
    FilterTo,
    FilterChannels,
    FilterReset,
    FilterLabel,
    IgnoredParams,
    CostsWholeCampaign,
    EstimateNote,
    TrendsTitle,
    TrendFigure,
    ChartAxisCount,
    ReachTitle,
    PotentialReach,
    Overlap,
    OverlapHint,
    Frequency,
    FrequencyHint,
    ReachAccounts,
    AllAccounts,
    EarnedAccounts,
    SourceOwned,
    SourcePaid,
    SourceEarned,
    SourcesTitle,
    ShareAxis,
    ColSource,
    ColAccount,
    ColReach,
    ColImpressions,
    ColNewFans,
    ColPotential,
    AccountsTitle,
    MatrixTitle,
    MatrixNote,
    MatrixUnion,
    MatrixSum,
    MatrixEmpty,
    ReachEmpty,
    ReachNote,
    FunnelSplit,
    ByPost,
    ByKol,
    ColPost,
    ColKol,
    FunnelTop,
    Compare,
    CompareTitle,
    CompareHint,
    ColFigure,
    ColDifference,
    CampaignA,
    CampaignB,
    OnlyThis,
    WordOfMouth,
    CascadesTitle,
    ColAuthor,
    ColPosted,
    ColSize,
    ColDepth,
    ColVirality,
    ColT50,
    ColPredicted,
    ColFlagged,
    MinSize,
    MaxSize,
    AllChannels,
    PagePrev,
    PageNext,
    PageWord,
    PageOf,
    CascadesEmpty,
    Listening,
    ExplorerTitle,
    LayoutLabel,
    LayoutTidy,
    LayoutRadial,
    ZoomIn,
    ZoomOut,
    FitView,
    ExcludeFlagged,
    FlaggedTitle,
    FlagReposts,
    FlagWithin,
    SigFewFollowers,
    SigFewPosts,
    SigNewAccount,
    SigFollowsMany,
    NoFlags,
    KeySpreaders,
    ColShare,
    ColDirect,
    ColFollowers,
    BreadthTitle,
    GrowthTitle,
    ViralityTitle,
    DepthTitle,
    AxisLevel,
    AxisElapsed,
    AxisNodes,
    MaxBreadth,
    PredictionNote,
    NodeAccount,
    NodeAfter,
    NodeLevel,
    NodeSubtree,
    NodePost,
    ExplorerHelp,
    ExcludedNote,
    ListeningTitle,
    MentionsPerHour,
    SpikeRule,
    SpikeRuleText,
    SpikesTitle,
    ColStart,
    ColEnd,
    ColMentions,
    ColPeak,
    ColBaseline,
    ColScore,
    WhatDrove,
    TopPosts,
    TopAuthors,
    NoSpikes,
    ShareOfVoice,
    ColBrand,
    ListeningEmpty,
    ShowDrivers,
    ListeningPeriod,
    PerPage,
    SignOut,
    WorkspaceLabel,
    Settings,
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
        Msg::SignOut => "Sign out",
        Msg::WorkspaceLabel => "Workspace",
        Msg::Settings => "Settings",
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
        Msg::FilterFrom => "From",
        Msg::FilterTo => "To",
        Msg::FilterChannels => "Channels",
        Msg::FilterReset => "Whole campaign",
        Msg::FilterLabel => "Date range and channels",
        Msg::IgnoredParams => "Ignored in this link (not understood):",
        Msg::CostsWholeCampaign => {
            "Cost per fan, cost per conversion and ROI are shown for the whole campaign only: the budget is not split by day or channel."
        }
        Msg::EstimateNote => {
            "≈ Unique reach of a date range or some channels is estimated by merging HyperLogLog sketches; ± is its 95% interval."
        }
        Msg::TrendsTitle => "Trends by channel",
        Msg::TrendFigure => "Figure",
        Msg::ChartAxisCount => "Count",
        Msg::ReachTitle => "Reach",
        Msg::PotentialReach => "Potential reach",
        Msg::Overlap => "Overlap",
        Msg::OverlapHint => {
            "of potential reach: followers counted twice, or who never saw the post"
        }
        Msg::Frequency => "Frequency",
        Msg::FrequencyHint => "impressions per person reached",
        Msg::ReachAccounts => "Accounts counted",
        Msg::AllAccounts => "All accounts",
        Msg::EarnedAccounts => "Earned (everyone else)",
        Msg::SourceOwned => "Owned",
        Msg::SourcePaid => "Paid (KOLs)",
        Msg::SourceEarned => "Earned (word of mouth)",
        Msg::SourcesTitle => "Owned, paid and earned",
        Msg::ShareAxis => "Share",
        Msg::ColSource => "Source",
        Msg::ColAccount => "Account",
        Msg::ColReach => "Unique reach",
        Msg::ColImpressions => "Impressions",
        Msg::ColNewFans => "New fans",
        Msg::ColPotential => "Potential reach",
        Msg::AccountsTitle => "Owned and KOL accounts",
        Msg::MatrixTitle => "Official account matrix: shared audience",
        Msg::MatrixNote => {
            "Each cell: people reached by both accounts (|A| + |B| − |A ∪ B| from the sketches; differences within about ±2% of the pair's reach are noise); the diagonal is each account's own reach; – : accounts on different channels, whose users are different people."
        }
        Msg::MatrixUnion => "Reached by any official account (deduplicated)",
        Msg::MatrixSum => "Added up account by account",
        Msg::MatrixEmpty => "No official account reached anyone in this selection.",
        Msg::ReachEmpty => {
            "No one was reached in this selection. Widen the date range, add channels or accounts, or import exposure events."
        }
        Msg::ReachNote => {
            "Potential reach: followers of every account that posted or reposted, not deduplicated. Unique reach: distinct people exposed."
        }
        Msg::FunnelSplit => "Split",
        Msg::ByPost => "By post",
        Msg::ByKol => "By KOL",
        Msg::ColPost => "Post of first exposure",
        Msg::ColKol => "KOL (else the original author)",
        Msg::FunnelTop => "The 20 largest groups, by people exposed.",
        Msg::Compare => "Compare",
        Msg::CompareTitle => "Campaigns side by side",
        Msg::CompareHint => "Pick two campaigns to compare their key figures.",
        Msg::ColFigure => "Figure",
        Msg::ColDifference => "B against A",
        Msg::CampaignA => "Campaign A",
        Msg::CampaignB => "Campaign B",
        Msg::OnlyThis => "only",
        Msg::WordOfMouth => "Word of mouth",
        Msg::CascadesTitle => "Cascades: how the campaign spread",
        Msg::ColAuthor => "Author",
        Msg::ColPosted => "Posted",
        Msg::ColSize => "Size",
        Msg::ColDepth => "Depth",
        Msg::ColVirality => "Structural virality",
        Msg::ColT50 => "Half reached in (t50)",
        Msg::ColPredicted => "Predicted final size",
        Msg::ColFlagged => "Flagged reposts",
        Msg::MinSize => "Min size",
        Msg::MaxSize => "Max size",
        Msg::AllChannels => "All channels",
        Msg::PagePrev => "Previous",
        Msg::PageNext => "Next",
        Msg::PageWord => "Page",
        Msg::PageOf => "of",
        Msg::CascadesEmpty => "No cascade matches. Widen the filters, or import posts and reposts.",
        Msg::Listening => "Listening",
        Msg::ExplorerTitle => "Cascade explorer",
        Msg::LayoutLabel => "Layout",
        Msg::LayoutTidy => "Tree",
        Msg::LayoutRadial => "Radial",
        Msg::ZoomIn => "Zoom in",
        Msg::ZoomOut => "Zoom out",
        Msg::FitView => "Fit",
        Msg::ExcludeFlagged => "Exclude flagged subtrees",
        Msg::FlaggedTitle => "Suspicious amplification",
        Msg::FlagReposts => "low-quality reposts of",
        Msg::FlagWithin => "within",
        Msg::SigFewFollowers => "few followers",
        Msg::SigFewPosts => "no or few posts",
        Msg::SigNewAccount => "account under 30 days old",
        Msg::SigFollowsMany => "following far more than followed",
        Msg::NoFlags => "Nothing flagged: no burst of low-quality reposts.",
        Msg::KeySpreaders => "Key spreaders",
        Msg::ColShare => "Share of the cascade",
        Msg::ColDirect => "Direct reposts",
        Msg::ColFollowers => "Followers",
        Msg::BreadthTitle => "Breadth per level",
        Msg::GrowthTitle => "Growth",
        Msg::ViralityTitle => "Structural virality as it grew",
        Msg::DepthTitle => "Depth as it grew",
        Msg::AxisLevel => "Level",
        Msg::AxisElapsed => "Time after the original",
        Msg::AxisNodes => "Nodes",
        Msg::MaxBreadth => "Max breadth",
        Msg::PredictionNote => {
            "Predicted from the tree shown and its accounts' followers (SEISMIC-style); brackets: 95% interval."
        }
        Msg::NodeAccount => "Account",
        Msg::NodeAfter => "After the original",
        Msg::NodeLevel => "Level",
        Msg::NodeSubtree => "Subtree",
        Msg::NodePost => "Post",
        Msg::ExplorerHelp => {
            "Scroll to zoom, drag to pan, click a node for its details. Keys: + and − zoom, arrows pan, 0 fits."
        }
        Msg::ExcludedNote => "left out: the flagged reposts and everything below them.",
        Msg::ListeningTitle => "Listening: mentions and spikes",
        Msg::MentionsPerHour => "Mentions per hour",
        Msg::SpikeRule => "Spike rule",
        Msg::SpikeRuleText => {
            "an hour with at least {min} mentions that is more than {k} spreads above the median of the {w} hours before it (spread = 1.4826 × MAD, at least √median)."
        }
        Msg::SpikesTitle => "Spikes",
        Msg::ColStart => "Start",
        Msg::ColEnd => "End",
        Msg::ColMentions => "Mentions",
        Msg::ColPeak => "Peak",
        Msg::ColBaseline => "Usual (median)",
        Msg::ColScore => "Spreads above",
        Msg::WhatDrove => "What drove it",
        Msg::TopPosts => "Posts by the best-followed authors",
        Msg::TopAuthors => "Most active authors",
        Msg::NoSpikes => "No spike in this period: mentions stayed within their usual range.",
        Msg::ShareOfVoice => "Share of voice",
        Msg::ColBrand => "Brand",
        Msg::ListeningEmpty => {
            "No mentions recorded for this brand. Add its keywords and import mention events."
        }
        Msg::ShowDrivers => "Show",
        Msg::ListeningPeriod => "The campaign's dates, in the workspace's time zone.",
        Msg::PerPage => "Rows per page",
    }
}

fn zh(msg: Msg) -> &'static str {
    match msg {
        Msg::SignOut => "退出登录",
        Msg::WorkspaceLabel => "工作区",
        Msg::Settings => "设置",
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
        Msg::FilterFrom => "开始日期",
        Msg::FilterTo => "结束日期",
        Msg::FilterChannels => "渠道",
        Msg::FilterReset => "整个活动",
        Msg::FilterLabel => "日期范围与渠道",
        Msg::IgnoredParams => "链接中无法识别、已忽略的参数：",
        Msg::CostsWholeCampaign => {
            "单粉成本、单次转化成本和投资回报率仅按整个活动计算：预算不按日期或渠道拆分。"
        }
        Msg::EstimateNote => {
            "≈ 某一日期范围或部分渠道的独立触达由 HyperLogLog 草图合并估算；± 为 95% 置信区间。"
        }
        Msg::TrendsTitle => "分渠道趋势",
        Msg::TrendFigure => "指标",
        Msg::ChartAxisCount => "数量",
        Msg::ReachTitle => "触达",
        Msg::PotentialReach => "潜在触达",
        Msg::Overlap => "重叠",
        Msg::OverlapHint => "占潜在触达：被重复计算或从未看到内容的粉丝",
        Msg::Frequency => "频次",
        Msg::FrequencyHint => "每位触达用户的平均曝光次数",
        Msg::ReachAccounts => "统计账号",
        Msg::AllAccounts => "全部账号",
        Msg::EarnedAccounts => "赢得（其他用户）",
        Msg::SourceOwned => "自有",
        Msg::SourcePaid => "付费（KOL）",
        Msg::SourceEarned => "赢得（口碑）",
        Msg::SourcesTitle => "自有、付费与赢得媒体",
        Msg::ShareAxis => "占比",
        Msg::ColSource => "来源",
        Msg::ColAccount => "账号",
        Msg::ColReach => "独立触达",
        Msg::ColImpressions => "曝光量",
        Msg::ColNewFans => "新增粉丝",
        Msg::ColPotential => "潜在触达",
        Msg::AccountsTitle => "自有账号与 KOL",
        Msg::MatrixTitle => "官方账号矩阵：受众重叠",
        Msg::MatrixNote => {
            "每格：两个账号都触达的人数（由草图估算 |A| + |B| − |A ∪ B|，约 ±2% 以内的差异属于估算误差）；对角线为各账号自身的触达；“–”表示账号在不同渠道，用户互不相同。"
        }
        Msg::MatrixUnion => "任一官方账号触达（去重）",
        Msg::MatrixSum => "各账号直接相加",
        Msg::MatrixEmpty => "在当前筛选范围内，官方账号没有触达任何人。",
        Msg::ReachEmpty => {
            "当前筛选范围内没有触达任何人。请扩大日期范围、增加渠道或账号，或导入曝光事件。"
        }
        Msg::ReachNote => {
            "潜在触达：所有发帖或转发账号的粉丝数之和（不去重）。独立触达：去重后的曝光人数。"
        }
        Msg::FunnelSplit => "拆分",
        Msg::ByPost => "按帖子",
        Msg::ByKol => "按 KOL",
        Msg::ColPost => "首次曝光的帖子",
        Msg::ColKol => "KOL（无则为原帖作者）",
        Msg::FunnelTop => "按曝光人数排列的前 20 组。",
        Msg::Compare => "对比",
        Msg::CompareTitle => "活动对比",
        Msg::CompareHint => "选择两个活动以对比核心指标。",
        Msg::ColFigure => "指标",
        Msg::ColDifference => "B 相对 A",
        Msg::CampaignA => "活动 A",
        Msg::CampaignB => "活动 B",
        Msg::OnlyThis => "仅此账号",
        Msg::WordOfMouth => "口碑传播",
        Msg::CascadesTitle => "传播链：活动如何扩散",
        Msg::ColAuthor => "作者",
        Msg::ColPosted => "发布时间",
        Msg::ColSize => "规模",
        Msg::ColDepth => "深度",
        Msg::ColVirality => "结构病毒性",
        Msg::ColT50 => "半数到达用时 (t50)",
        Msg::ColPredicted => "预测最终规模",
        Msg::ColFlagged => "可疑转发",
        Msg::MinSize => "最小规模",
        Msg::MaxSize => "最大规模",
        Msg::AllChannels => "全部渠道",
        Msg::PagePrev => "上一页",
        Msg::PageNext => "下一页",
        Msg::PageWord => "第",
        Msg::PageOf => "页，共",
        Msg::CascadesEmpty => "没有符合条件的传播链。请放宽筛选条件，或导入帖子与转发数据。",
        Msg::Listening => "舆情监测",
        Msg::ExplorerTitle => "传播链浏览",
        Msg::LayoutLabel => "布局",
        Msg::LayoutTidy => "树状",
        Msg::LayoutRadial => "放射状",
        Msg::ZoomIn => "放大",
        Msg::ZoomOut => "缩小",
        Msg::FitView => "适应画面",
        Msg::ExcludeFlagged => "排除可疑子树",
        Msg::FlaggedTitle => "可疑刷量",
        Msg::FlagReposts => "条低质量转发，转发自",
        Msg::FlagWithin => "用时",
        Msg::SigFewFollowers => "粉丝很少",
        Msg::SigFewPosts => "几乎无发帖",
        Msg::SigNewAccount => "注册不足 30 天",
        Msg::SigFollowsMany => "关注数远多于粉丝数",
        Msg::NoFlags => "未发现可疑：没有低质量账号集中转发。",
        Msg::KeySpreaders => "关键传播者",
        Msg::ColShare => "占传播链比例",
        Msg::ColDirect => "直接转发",
        Msg::ColFollowers => "粉丝数",
        Msg::BreadthTitle => "每层广度",
        Msg::GrowthTitle => "增长曲线",
        Msg::ViralityTitle => "结构病毒性变化",
        Msg::DepthTitle => "深度变化",
        Msg::AxisLevel => "层级",
        Msg::AxisElapsed => "原帖发布后",
        Msg::AxisNodes => "节点数",
        Msg::MaxBreadth => "最大广度",
        Msg::PredictionNote => {
            "根据当前显示的传播树及账号粉丝数预测（SEISMIC 方法）；括号内为 95% 区间。"
        }
        Msg::NodeAccount => "账号",
        Msg::NodeAfter => "原帖发布后",
        Msg::NodeLevel => "层级",
        Msg::NodeSubtree => "子树规模",
        Msg::NodePost => "帖子",
        Msg::ExplorerHelp => {
            "滚轮缩放，拖动平移，点击节点查看详情。键盘：+ − 缩放，方向键平移，0 复位。"
        }
        Msg::ExcludedNote => "已排除：可疑转发及其下游所有节点。",
        Msg::ListeningTitle => "舆情监测：提及量与异常峰值",
        Msg::MentionsPerHour => "每小时提及量",
        Msg::SpikeRule => "峰值判定规则",
        Msg::SpikeRuleText => {
            "某小时提及量不少于 {min} 条，且比前 {w} 小时的中位数高出 {k} 个离散度以上（离散度 = 1.4826 × MAD，且不小于 √中位数）。"
        }
        Msg::SpikesTitle => "异常峰值",
        Msg::ColStart => "开始",
        Msg::ColEnd => "结束",
        Msg::ColMentions => "提及量",
        Msg::ColPeak => "峰值",
        Msg::ColBaseline => "常态（中位数）",
        Msg::ColScore => "高出离散度",
        Msg::WhatDrove => "驱动因素",
        Msg::TopPosts => "高粉丝作者的帖子",
        Msg::TopAuthors => "最活跃的作者",
        Msg::NoSpikes => "该时段没有异常峰值：提及量处于正常范围。",
        Msg::ShareOfVoice => "声量份额",
        Msg::ColBrand => "品牌",
        Msg::ListeningEmpty => "该品牌尚无提及记录。请添加品牌关键词并导入提及事件。",
        Msg::ShowDrivers => "查看",
        Msg::ListeningPeriod => "活动日期，按工作区时区。",
        Msg::PerPage => "每页行数",
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

#[cfg(test)]
mod tests {
    use super::*;

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// Both languages define every message (the `match`es are exhaustive,
    /// so this checks they say something, and in the right language).
    #[test]
    fn both_languages_define_every_message() {
        assert!(Msg::ALL.len() >= 90, "{}", Msg::ALL.len());
        for &m in Msg::ALL {
            let (en, zh) = (t(Lang::En, m), t(Lang::Zh, m));
            assert!(!en.trim().is_empty() && !zh.trim().is_empty(), "{m:?}");
            // The language switch names the other language.
            if m == Msg::SwitchLanguage {
                assert_eq!((en, zh), ("中文", "English"));
                continue;
            }
            assert!(!has_cjk(en), "{m:?}: English text has Chinese: {en}");
            assert!(has_cjk(zh), "{m:?}: Chinese text has no Chinese: {zh}");
        }
        for key in analytics::overview::TrendMetric::ALL {
            let k = trend_kpi(key);
            assert!(!has_cjk(kpi_label(Lang::En, k)) && has_cjk(kpi_label(Lang::Zh, k)));
        }
        for c in Channel::ALL {
            assert!(!channel_name(Lang::En, c).is_empty() && !channel_name(Lang::Zh, c).is_empty());
        }
        for s in analytics::wire::Source::ALL {
            assert!(has_cjk(t(Lang::Zh, source_name(s))));
        }
    }
}

/// The KPI whose label names a trend metric.
pub fn trend_kpi(m: analytics::overview::TrendMetric) -> KpiKey {
    use analytics::overview::TrendMetric;
    match m {
        TrendMetric::Impressions => KpiKey::Impressions,
        TrendMetric::Engagements => KpiKey::Engagements,
        TrendMetric::Reposts => KpiKey::Reposts,
        TrendMetric::NewFans => KpiKey::NewFans,
        TrendMetric::Conversions => KpiKey::Conversions,
    }
}

/// The name of owned, paid or earned.
pub fn source_name(s: analytics::wire::Source) -> Msg {
    match s {
        analytics::wire::Source::Owned => Msg::SourceOwned,
        analytics::wire::Source::Paid => Msg::SourcePaid,
        analytics::wire::Source::Earned => Msg::SourceEarned,
    }
}
