//! Every message in English.

use super::Msg;

/// The text of `msg` in this language.
pub fn text(msg: Msg) -> &'static str {
    match msg {
        Msg::SignOut => "Sign out",
        Msg::WorkspaceLabel => "Workspace",
        Msg::Settings => "Settings",
        Msg::Reports => "Reports",
        Msg::BuildReport => "Build a report",
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
        Msg::AppUpdated => "This page could not be loaded",
        Msg::AppUpdatedHint => {
            "Its code is not on the server any more (the dashboard was probably updated since this tab was opened) or the connection dropped. Reload to continue: your view is kept in the address."
        }
        Msg::Reload => "Reload",
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
            "Final size: a finished cascade (nothing new for a day and for as long as it was active) shows its size; a growing one, the median of a quantile regression on its size, speed and quiet time at the last horizon it reached, with its 80% and 95% intervals, from the shipped parameters (fitted on Twitter15) or the campaign's own finished cascades of the channel."
        }
        Msg::OutlookFinished => "finished",
        Msg::OutlookTooEarly => "too early to tell",
        Msg::OutlookAtHour => "made at",
        Msg::OutlookDefaults => "default parameters",
        Msg::OutlookOwn => "this campaign's parameters",
        Msg::ReplayAt => "What we would have predicted",
        Msg::ReplayNow => "now",
        Msg::ReplayHour => "after posting",
        Msg::ReplayObserved => "final size observed",
        Msg::ReplayInside80 => "inside the 80% interval",
        Msg::ReplayInside95 => "inside the 95% interval, outside the 80%",
        Msg::ReplayOutside => "outside the 95% interval",
        Msg::ReplayTooEarly => "younger than an hour then: too early to tell",
        Msg::Download => "Download",
        Msg::FakesExcluded => "suspected fakes excluded",
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
