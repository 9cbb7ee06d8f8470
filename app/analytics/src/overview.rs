//! The campaign overview: which KPI cards to show with which values, and the
//! reach-over-time chart as a drawing-independent spec.
//!
//! Labels are looked up by the app from [`KpiKey`] and [`ChartText`]; this
//! module decides values and their formatting only.

use crate::date::Date;
use crate::format::{self, Lang};
use crate::hll::{DaySketch, Sketch};
use crate::selection::{self, Estimate, Filter};
use crate::wire::{Campaign, CampaignSummary, Channel, ChannelDay, Kpis};

pub use crate::chart_spec::{ChartText, DailyChart, Series, SeriesStyle, XAxis, XyChart, XySeries};
pub use crate::palette::{IMPRESSIONS_COLOR, REACH_COLOR, Rgb, channel_color};

/// Which figure a KPI card shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KpiKey {
    Impressions,
    UniqueReach,
    Engagements,
    Reposts,
    NewFans,
    Conversions,
    Revenue,
    CostPerFan,
    CostPerConversion,
    Roi,
}

impl KpiKey {
    /// Stable identifier, used as the card's `data-kpi` in the page.
    pub fn id(self) -> &'static str {
        match self {
            KpiKey::Impressions => "impressions",
            KpiKey::UniqueReach => "unique_reach",
            KpiKey::Engagements => "engagements",
            KpiKey::Reposts => "reposts",
            KpiKey::NewFans => "new_fans",
            KpiKey::Conversions => "conversions",
            KpiKey::Revenue => "revenue",
            KpiKey::CostPerFan => "cost_per_fan",
            KpiKey::CostPerConversion => "cost_per_conversion",
            KpiKey::Roi => "roi",
        }
    }
}

/// One KPI card: the raw value and how it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiCard {
    pub key: KpiKey,
    /// The value in its natural unit (count, currency units, or a ratio).
    pub value: f64,
    /// What the card shows.
    pub display: String,
    /// For an estimate, its 95% interval's half-width, e.g. `±1.6%`.
    pub interval: Option<String>,
}

/// The campaign's figures without what suspected accounts did (zombie
/// fans' exposures, engagements, follows and conversions; paid posters'
/// posts): `kpis − suspect`, counter by counter.
pub fn without_suspect(summary: &CampaignSummary) -> Kpis {
    let (k, s) = (&summary.kpis, &summary.suspect);
    Kpis {
        impressions: k.impressions.saturating_sub(s.impressions),
        unique_reach: k.unique_reach.saturating_sub(s.unique_reach),
        engagements: k.engagements.saturating_sub(s.engagements),
        posts: k.posts.saturating_sub(s.posts),
        reposts: k.reposts.saturating_sub(s.reposts),
        new_fans: k.new_fans.saturating_sub(s.new_fans),
        unfollows: k.unfollows.saturating_sub(s.unfollows),
        conversions: k.conversions.saturating_sub(s.conversions),
        revenue_cents: k.revenue_cents - s.revenue_cents,
        potential_reach: k.potential_reach.saturating_sub(s.potential_reach),
    }
}

/// The share of new fans that are suspected zombies, when there are fans.
pub fn suspect_fan_share(summary: &CampaignSummary) -> Option<f64> {
    (summary.kpis.new_fans > 0)
        .then(|| summary.suspect.new_fans as f64 / summary.kpis.new_fans as f64)
}

/// The overview's cards, in display order, with or without suspected
/// accounts (`exclude_suspect`). Cost cards appear only when the campaign
/// has a budget and the denominator is not zero, because a cost per fan of
/// "∞" helps nobody.
pub fn kpi_cards(summary: &CampaignSummary, exclude_suspect: bool) -> Vec<KpiCard> {
    let without;
    let k = if exclude_suspect {
        without = without_suspect(summary);
        &without
    } else {
        &summary.kpis
    };
    cards(&summary.campaign, k, None, true)
}

/// The cards of the view's selection: [`kpi_cards`] for the whole campaign;
/// for a narrowed one (dates or channels), counters summed from the day
/// rows and unique reach from the sketches (marked as an estimate), and no
/// cost cards — the budget is the whole campaign's.
pub fn selection_cards(
    summary: &CampaignSummary,
    days: &[ChannelDay],
    sketches: &[DaySketch],
    filter: &Filter,
) -> Vec<KpiCard> {
    if !filter.is_narrowed() {
        return kpi_cards(summary, filter.exclude_suspect);
    }
    let (k, reach) = selection::kpis(days, sketches, filter);
    cards(&summary.campaign, &k, Some(reach), false)
}

fn cards(campaign: &Campaign, k: &Kpis, reach: Option<Estimate>, costs: bool) -> Vec<KpiCard> {
    let currency = campaign.currency.as_str();
    let count_card = |key, n: u64| KpiCard {
        key,
        value: n as f64,
        display: format::count(n),
        interval: None,
    };
    let reach_card = match reach {
        Some(e) if !e.is_exact() => KpiCard {
            key: KpiKey::UniqueReach,
            value: e.value,
            display: format!("≈{}", format::count(e.value.round() as u64)),
            interval: Some(format!("±{}", format::percent(e.relative_error()))),
        },
        _ => count_card(KpiKey::UniqueReach, k.unique_reach),
    };
    let mut cards = vec![
        count_card(KpiKey::Impressions, k.impressions),
        reach_card,
        count_card(KpiKey::Engagements, k.engagements),
        count_card(KpiKey::Reposts, k.reposts),
        count_card(KpiKey::NewFans, k.new_fans),
        count_card(KpiKey::Conversions, k.conversions),
        KpiCard {
            key: KpiKey::Revenue,
            value: k.revenue_cents as f64 / 100.0,
            display: format::money(k.revenue_cents, currency),
            interval: None,
        },
    ];
    if let Some(budget) = campaign.budget_cents.filter(|b| *b > 0 && costs) {
        let per = |key, n: u64| {
            (n > 0).then(|| {
                let cents = (budget as f64 / n as f64).round() as i64;
                KpiCard {
                    key,
                    value: cents as f64 / 100.0,
                    display: format::money(cents, currency),
                    interval: None,
                }
            })
        };
        cards.extend(per(KpiKey::CostPerFan, k.new_fans));
        cards.extend(per(KpiKey::CostPerConversion, k.conversions));
        let roi = (k.revenue_cents - budget) as f64 / budget as f64;
        cards.push(KpiCard {
            key: KpiKey::Roi,
            value: roi,
            display: format::percent(roi),
            interval: None,
        });
    }
    cards
}

/// Names of the reach chart's series, in the reader's language.
#[derive(Debug, Clone, PartialEq)]
pub struct ReachSeriesNames {
    pub unique_reach: String,
    pub impressions: String,
}

/// Reach over time: cumulative unique reach against cumulative impressions.
/// The gap between the two lines is repeated exposure (frequency).
pub fn reach_over_time(
    summary: &CampaignSummary,
    exclude_suspect: bool,
    text: ChartText,
    names: ReachSeriesNames,
    lang: Lang,
) -> DailyChart {
    let days = summary
        .daily
        .iter()
        .filter_map(|p| Date::parse(&p.date))
        .collect();
    let running = |f: fn(&crate::wire::DailyPoint) -> u64| {
        let mut sum = 0u64;
        summary
            .daily
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let suspect = match summary.suspect_daily.get(i) {
                    Some(s) if exclude_suspect && s.date == p.date => f(s),
                    _ => 0,
                };
                sum += f(p).saturating_sub(suspect);
                sum as f64
            })
            .collect::<Vec<f64>>()
    };
    DailyChart {
        text,
        lang,
        days,
        series: vec![
            Series {
                name: names.unique_reach,
                color: REACH_COLOR,
                style: SeriesStyle::Area,
                values: running(|p| p.new_reach),
            },
            Series {
                name: names.impressions,
                color: IMPRESSIONS_COLOR,
                style: SeriesStyle::Line,
                values: running(|p| p.impressions),
            },
        ],
    }
}

/// The reach chart of the view's selection: [`reach_over_time`] for the
/// whole campaign (exact); for a narrowed one, the days in range with
/// unique reach as the running union of the selected sketches (an
/// estimate) and impressions summed from the selected day rows.
#[allow(clippy::too_many_arguments)]
pub fn selection_reach_chart(
    summary: &CampaignSummary,
    days: &[ChannelDay],
    sketches: &[DaySketch],
    filter: &Filter,
    text: ChartText,
    names: ReachSeriesNames,
    lang: Lang,
) -> DailyChart {
    if !filter.is_narrowed() {
        return reach_over_time(summary, filter.exclude_suspect, text, names, lang);
    }
    let shown = shown_days(summary, filter);
    let mut running = Sketch::new();
    let (mut reach, mut impressions) = (Vec::new(), Vec::new());
    let mut total = 0u64;
    for d in &shown {
        let day = d.to_string();
        for s in sketches
            .iter()
            .filter(|s| s.day == day && filter.keeps(&s.day, &s.channel, s.suspect))
        {
            running.merge(&s.sketch);
        }
        for r in days
            .iter()
            .filter(|r| r.date == day && filter.keeps(&r.date, &r.channel, r.suspect))
        {
            total += r.counters.impressions;
        }
        reach.push(running.estimate().round());
        impressions.push(total as f64);
    }
    DailyChart {
        text,
        lang,
        days: shown,
        series: vec![
            Series {
                name: names.unique_reach,
                color: REACH_COLOR,
                style: SeriesStyle::Area,
                values: reach,
            },
            Series {
                name: names.impressions,
                color: IMPRESSIONS_COLOR,
                style: SeriesStyle::Line,
                values: impressions,
            },
        ],
    }
}

/// The campaign's days (those of its daily series) that the filter keeps.
pub fn shown_days(summary: &CampaignSummary, filter: &Filter) -> Vec<Date> {
    summary
        .daily
        .iter()
        .filter(|p| filter.has_day(&p.date))
        .filter_map(|p| Date::parse(&p.date))
        .collect()
}

/// What the trends-by-channel chart counts per day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrendMetric {
    Impressions,
    Engagements,
    Reposts,
    NewFans,
    Conversions,
}

impl TrendMetric {
    pub const ALL: [TrendMetric; 5] = [
        TrendMetric::Impressions,
        TrendMetric::Engagements,
        TrendMetric::Reposts,
        TrendMetric::NewFans,
        TrendMetric::Conversions,
    ];

    /// Identifier in the URL (`trend=`).
    pub fn id(self) -> &'static str {
        match self {
            TrendMetric::Impressions => "impressions",
            TrendMetric::Engagements => "engagements",
            TrendMetric::Reposts => "reposts",
            TrendMetric::NewFans => "new_fans",
            TrendMetric::Conversions => "conversions",
        }
    }

    pub fn parse(s: &str) -> Option<TrendMetric> {
        TrendMetric::ALL.into_iter().find(|m| m.id() == s)
    }

    fn of(self, c: &crate::wire::Counters) -> u64 {
        match self {
            TrendMetric::Impressions => c.impressions,
            TrendMetric::Engagements => c.engagements,
            TrendMetric::Reposts => c.reposts,
            TrendMetric::NewFans => c.new_fans,
            TrendMetric::Conversions => c.conversions,
        }
    }
}

/// Trends by channel: one line per channel of the campaign in the filter,
/// `metric` per day. `name` gives a channel's name in the reader's language.
pub fn channel_trends(
    summary: &CampaignSummary,
    days: &[ChannelDay],
    filter: &Filter,
    metric: TrendMetric,
    text: ChartText,
    name: impl Fn(Channel) -> String,
    lang: Lang,
) -> DailyChart {
    let shown = shown_days(summary, filter);
    let index: std::collections::HashMap<String, usize> = shown
        .iter()
        .enumerate()
        .map(|(i, d)| (d.to_string(), i))
        .collect();
    let series = summary
        .campaign
        .channels
        .iter()
        .filter(|c| filter.has_channel(c.as_str()))
        .map(|&c| {
            let mut values = vec![0.0; shown.len()];
            for r in days
                .iter()
                .filter(|r| r.channel == c.as_str() && filter.keeps(&r.date, &r.channel, r.suspect))
            {
                if let Some(&i) = index.get(&r.date) {
                    values[i] += metric.of(&r.counters) as f64;
                }
            }
            Series {
                name: name(c),
                color: channel_color(c),
                style: SeriesStyle::Line,
                values,
            }
        })
        .collect();
    DailyChart {
        text,
        lang,
        days: shown,
        series,
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::wire::{BrandRef, Campaign, Channel, DailyPoint, WorkspaceRef};

    pub(crate) fn summary(budget: Option<i64>) -> CampaignSummary {
        CampaignSummary {
            suspect: Kpis::default(),
            suspect_daily: Vec::new(),
            campaign: Campaign {
                id: 1,
                name: "春季新品 Spring".into(),
                workspace: WorkspaceRef {
                    slug: "demo".into(),
                    name: "Demo".into(),
                    timezone: "Asia/Shanghai".into(),
                    utc_offset_s: 8 * 3600,
                },
                brand: BrandRef {
                    id: 1,
                    name: "茶语".into(),
                    competitor: false,
                },
                channels: vec![Channel::Weibo],
                start_date: "2026-03-01".into(),
                end_date: "2026-03-03".into(),
                budget_cents: budget,
                currency: "CNY".into(),
                keywords: vec!["#春茶#".into()],
            },
            kpis: Kpis {
                impressions: 10_000,
                unique_reach: 4_000,
                engagements: 900,
                posts: 3,
                reposts: 120,
                new_fans: 300,
                unfollows: 20,
                conversions: 0,
                revenue_cents: 1_500_000,
                potential_reach: 250_000,
            },
            daily: vec![
                DailyPoint {
                    date: "2026-03-01".into(),
                    impressions: 6_000,
                    new_reach: 3_000,
                    ..Default::default()
                },
                DailyPoint {
                    date: "2026-03-02".into(),
                    impressions: 0,
                    new_reach: 0,
                    ..Default::default()
                },
                DailyPoint {
                    date: "2026-03-03".into(),
                    impressions: 4_000,
                    new_reach: 1_000,
                    ..Default::default()
                },
            ],
        }
    }

    #[test]
    fn cards_without_budget_have_no_costs() {
        let cards = kpi_cards(&summary(None), false);
        let keys: Vec<_> = cards.iter().map(|c| c.key).collect();
        assert!(!keys.contains(&KpiKey::CostPerFan));
        assert!(!keys.contains(&KpiKey::Roi));
        assert_eq!(cards[0].display, "10,000");
        assert_eq!(cards[6].display, "¥15,000.00");
    }

    #[test]
    fn excluding_suspects_subtracts_their_part_and_recomputes_costs() {
        let mut s = summary(Some(3_000_000));
        s.suspect = Kpis {
            new_fans: 60,
            impressions: 1_000,
            unique_reach: 400,
            ..Kpis::default()
        };
        assert_eq!(suspect_fan_share(&s), Some(0.2));
        let with = kpi_cards(&s, false);
        let without = kpi_cards(&s, true);
        let value = |cards: &[KpiCard], k| cards.iter().find(|c| c.key == k).unwrap().value;
        assert_eq!(value(&with, KpiKey::NewFans), 300.0);
        assert_eq!(value(&without, KpiKey::NewFans), 240.0);
        assert_eq!(value(&without, KpiKey::Impressions), 9_000.0);
        assert_eq!(value(&without, KpiKey::UniqueReach), 3_600.0);
        // What suspects did not touch stays equal; cost per fan rises.
        assert_eq!(
            value(&without, KpiKey::Engagements),
            value(&with, KpiKey::Engagements)
        );
        assert_eq!(value(&without, KpiKey::CostPerFan), 125.0);
        assert_eq!(suspect_fan_share(&summary(None)), Some(0.0));
    }

    #[test]
    fn cost_cards_follow_the_budget_and_skip_zero_denominators() {
        let cards = kpi_cards(&summary(Some(3_000_000)), false);
        let find = |k| cards.iter().find(|c| c.key == k);
        assert_eq!(find(KpiKey::CostPerFan).unwrap().display, "¥100.00");
        // No conversions: no cost per conversion rather than a division by zero.
        assert!(find(KpiKey::CostPerConversion).is_none());
        let roi = find(KpiKey::Roi).unwrap();
        assert!((roi.value - -0.5).abs() < 1e-12);
        assert_eq!(roi.display, "-50%");
    }

    fn day_row(
        date: &str,
        channel: &str,
        suspect: bool,
        impressions: u64,
        new_fans: u64,
    ) -> ChannelDay {
        ChannelDay {
            date: date.into(),
            channel: channel.into(),
            suspect,
            counters: crate::wire::Counters {
                impressions,
                new_fans,
                ..Default::default()
            },
        }
    }

    fn day_sketch(date: &str, channel: &str, users: std::ops::Range<u32>) -> DaySketch {
        let mut sketch = Sketch::new();
        for u in users {
            sketch.add_user(channel, &format!("u{u}"));
        }
        DaySketch {
            day: date.into(),
            channel: channel.into(),
            account: String::new(),
            suspect: false,
            sketch,
        }
    }

    #[test]
    fn narrowed_cards_sum_rows_estimate_reach_and_drop_costs() {
        let mut s = summary(Some(3_000_000));
        s.campaign.channels = vec![Channel::Weibo, Channel::Douyin];
        let days = vec![
            day_row("2026-03-01", "weibo", false, 100, 5),
            day_row("2026-03-01", "weibo", true, 50, 7),
            day_row("2026-03-02", "douyin", false, 30, 1),
            day_row("2026-03-03", "weibo", false, 10, 2),
        ];
        let sketches = vec![
            day_sketch("2026-03-01", "weibo", 0..1000),
            day_sketch("2026-03-03", "weibo", 500..1500),
        ];
        // Not narrowed: the summary's exact cards, costs included.
        let whole = selection_cards(&s, &days, &sketches, &Filter::default());
        assert_eq!(whole, kpi_cards(&s, false));
        let weibo = Filter {
            channels: vec![Channel::Weibo],
            ..Filter::default()
        };
        let cards = selection_cards(&s, &days, &sketches, &weibo);
        let find = |k| cards.iter().find(|c: &&KpiCard| c.key == k);
        assert_eq!(find(KpiKey::Impressions).unwrap().value, 160.0);
        assert_eq!(find(KpiKey::NewFans).unwrap().value, 14.0);
        let reach = find(KpiKey::UniqueReach).unwrap();
        assert!((reach.value - 1500.0).abs() < 40.0, "{reach:?}");
        assert!(reach.display.starts_with('≈'));
        assert_eq!(reach.interval.as_deref(), Some("±1.6%"));
        assert!(find(KpiKey::CostPerFan).is_none() && find(KpiKey::Roi).is_none());
        let without = Filter {
            exclude_suspect: true,
            ..weibo.clone()
        };
        let cards = selection_cards(&s, &days, &sketches, &without);
        assert_eq!(
            cards
                .iter()
                .find(|c| c.key == KpiKey::NewFans)
                .unwrap()
                .value,
            7.0
        );
    }

    #[test]
    fn trends_draw_one_line_per_selected_channel_over_the_shown_days() {
        let mut s = summary(None);
        s.campaign.channels = vec![Channel::Weibo, Channel::Douyin];
        let days = vec![
            day_row("2026-03-01", "weibo", false, 100, 5),
            day_row("2026-03-01", "weibo", true, 50, 7),
            day_row("2026-03-02", "douyin", false, 30, 1),
            day_row("2026-03-03", "weibo", false, 10, 2),
        ];
        let text = ChartText {
            title: "t".into(),
            x_label: "x".into(),
            y_label: "y".into(),
        };
        let name = |c: Channel| c.as_str().to_uppercase();
        let all = channel_trends(
            &s,
            &days,
            &Filter::default(),
            TrendMetric::Impressions,
            text.clone(),
            name,
            Lang::En,
        );
        assert_eq!(all.days.len(), 3);
        let names: Vec<&str> = all.series.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, ["WEIBO", "DOUYIN"]);
        assert_eq!(all.series[0].values, [150.0, 0.0, 10.0]);
        assert_eq!(all.series[1].values, [0.0, 30.0, 0.0]);
        assert_eq!(all.series[0].color, channel_color(Channel::Weibo));
        let f = Filter {
            from: Date::parse("2026-03-02"),
            channels: vec![Channel::Weibo],
            exclude_suspect: true,
            ..Filter::default()
        };
        let fans = channel_trends(&s, &days, &f, TrendMetric::NewFans, text, name, Lang::En);
        assert_eq!(fans.days.len(), 2);
        assert_eq!(fans.series.len(), 1);
        assert_eq!(fans.series[0].values, [0.0, 2.0]);
        for m in TrendMetric::ALL {
            assert_eq!(TrendMetric::parse(m.id()), Some(m));
        }
    }

    #[test]
    fn reach_chart_accumulates_each_series() {
        let text = ChartText {
            title: "t".into(),
            x_label: "x".into(),
            y_label: "y".into(),
        };
        let names = ReachSeriesNames {
            unique_reach: "r".into(),
            impressions: "i".into(),
        };
        let mut s = summary(None);
        let chart = reach_over_time(&s, false, text.clone(), names.clone(), Lang::Zh);
        assert_eq!(chart.days.len(), 3);
        assert_eq!(chart.series[0].values, [3_000.0, 3_000.0, 4_000.0]);
        assert_eq!(chart.series[1].values, [6_000.0, 6_000.0, 10_000.0]);
        // Without suspects: each day's suspected part is left out.
        s.suspect_daily = s
            .daily
            .iter()
            .map(|p| DailyPoint {
                date: p.date.clone(),
                new_reach: p.new_reach / 10,
                impressions: p.impressions / 2,
                ..DailyPoint::default()
            })
            .collect();
        let without = reach_over_time(&s, true, text.clone(), names.clone(), Lang::Zh);
        assert_eq!(without.series[0].values, [2_700.0, 2_700.0, 3_600.0]);
        assert_eq!(without.series[1].values, [3_000.0, 3_000.0, 5_000.0]);
        let with = reach_over_time(&s, false, text, names, Lang::Zh);
        assert_eq!(with.series[0].values, [3_000.0, 3_000.0, 4_000.0]);
        assert_eq!(chart.y_max(), 10_000.0);
        assert_eq!(chart.day_label(2), "3月3日");
        assert_eq!(chart.value_label(10_000.0), "1万");
        assert_eq!(REACH_COLOR.hex(), "#2563eb");
    }
}
