//! Every user-visible word, in English and Simplified Chinese: the app's
//! and what the server draws (reports), so that both say the same.
//!
//! One `match` per language over [`Msg`]: the compiler refuses a message that
//! one language lacks. (The app takes the language from the URL, then the
//! browser's preference; a report from its definition.)

mod builder;
mod en;
mod report;
mod zh;

pub use builder::{BuilderMsg, builder_text, page_count, page_name, panel_name};
pub use report::{ReportMsg, page_of, report_text};

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
    AppUpdated,
    AppUpdatedHint,
    Reload,
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
    OutlookFinished,
    OutlookTooEarly,
    OutlookAtHour,
    OutlookDefaults,
    OutlookOwn,
    ReplayAt,
    ReplayNow,
    ReplayHour,
    ReplayObserved,
    ReplayInside80,
    ReplayInside95,
    ReplayOutside,
    ReplayTooEarly,
    Download,
    FakesExcluded,
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
    Reports,
    BuildReport,
}

/// The text of `msg` in `lang`.
pub fn t(lang: Lang, msg: Msg) -> &'static str {
    match lang {
        Lang::En => en::text(msg),
        Lang::Zh => zh::text(msg),
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

/// The funnel's steps, in order.
pub const STEP_NAMES: [Msg; analytics::funnel::STEPS] = [
    Msg::StepExposed,
    Msg::StepEngaged,
    Msg::StepFans,
    Msg::StepConverted,
];

/// A channel's name from its wire id, or the id itself when unknown.
pub fn channel_label(lang: Lang, channel: &str) -> String {
    Channel::parse(channel)
        .map(|c| channel_name(lang, c).to_string())
        .unwrap_or_else(|| channel.to_string())
}

/// A filter's narrowing in words — the channels it keeps, whether suspected
/// accounts are left out — joined by ` · ` (empty when it narrows neither).
pub fn filter_words(filter: &analytics::selection::Filter, lang: Lang) -> String {
    let mut words = Vec::new();
    if !filter.channels.is_empty() {
        let names: Vec<&str> = filter
            .channels
            .iter()
            .map(|c| channel_name(lang, *c))
            .collect();
        words.push(names.join(", "));
    }
    if filter.exclude_suspect {
        words.push(t(lang, Msg::FakesExcluded).to_string());
    }
    words.join(" · ")
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

/// The name of owned, paid or earned.
pub fn source_name(s: analytics::wire::Source) -> Msg {
    match s {
        analytics::wire::Source::Owned => Msg::SourceOwned,
        analytics::wire::Source::Paid => Msg::SourcePaid,
        analytics::wire::Source::Earned => Msg::SourceEarned,
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
