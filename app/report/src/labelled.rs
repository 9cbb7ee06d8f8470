//! The dashboard's charts with their words: `analytics` builds each chart's
//! spec from the numbers, this adds the titles, axes and series names in a
//! language. The pages and the reports both call these, so a chart says the
//! same on the screen and on paper.

use analytics::Lang;
use analytics::hll::DaySketch;
use analytics::listening::{self, Spike};
use analytics::overview::{self, ChartText, DailyChart, ReachSeriesNames, TrendMetric, XyChart};
use analytics::reach::{self, ReachView, ShareChart, SourceFigureNames};
use analytics::selection::Filter;
use analytics::wire::{CampaignSummary, ChannelDay, MentionHour, Source};
use i18n::{Msg, channel_name, kpi_label, source_name, t, trend_kpi};

/// Reach over time for `filter`.
pub fn reach_chart(
    summary: &CampaignSummary,
    days: &[ChannelDay],
    sketches: &[DaySketch],
    filter: &Filter,
    l: Lang,
) -> DailyChart {
    overview::selection_reach_chart(
        summary,
        days,
        sketches,
        filter,
        ChartText {
            title: t(l, Msg::ReachChartTitle).into(),
            x_label: t(l, Msg::ChartAxisDate).into(),
            y_label: t(l, Msg::ChartAxisPeople).into(),
        },
        ReachSeriesNames {
            unique_reach: t(l, Msg::SeriesUniqueReach).into(),
            impressions: t(l, Msg::SeriesImpressions).into(),
        },
        l,
    )
}

/// One figure's trend, a line per channel.
pub fn trends_chart(
    summary: &CampaignSummary,
    days: &[ChannelDay],
    filter: &Filter,
    metric: TrendMetric,
    l: Lang,
) -> DailyChart {
    overview::channel_trends(
        summary,
        days,
        filter,
        metric,
        ChartText {
            title: format!(
                "{} · {}",
                t(l, Msg::TrendsTitle),
                kpi_label(l, trend_kpi(metric))
            ),
            x_label: t(l, Msg::ChartAxisDate).into(),
            y_label: t(l, Msg::ChartAxisCount).into(),
        },
        |c| channel_name(l, c).to_string(),
        l,
    )
}

/// Owned, paid and earned, figure by figure.
pub fn sources_chart(view: &ReachView, l: Lang) -> ShareChart {
    reach::source_chart(
        view,
        ChartText {
            title: t(l, Msg::SourcesTitle).into(),
            x_label: t(l, Msg::ShareAxis).into(),
            y_label: String::new(),
        },
        SourceFigureNames {
            impressions: t(l, Msg::ColImpressions).into(),
            unique_reach: t(l, Msg::ColReach).into(),
            engagements: kpi_label(l, analytics::overview::KpiKey::Engagements).into(),
            new_fans: t(l, Msg::ColNewFans).into(),
            potential_reach: t(l, Msg::ColPotential).into(),
        },
        Source::ALL.map(|s| t(l, source_name(s)).to_string()),
        l,
    )
}

/// Mentions per hour of each brand, spikes shaded.
pub fn mentions_chart(
    series: &[(String, bool, Vec<MentionHour>)],
    spikes: &[Spike],
    offset_seconds: i32,
    l: Lang,
) -> XyChart {
    listening::mentions_chart(
        series,
        spikes,
        ChartText {
            title: t(l, Msg::MentionsPerHour).into(),
            x_label: String::new(),
            y_label: t(l, Msg::ColMentions).into(),
        },
        offset_seconds,
        l,
    )
}
