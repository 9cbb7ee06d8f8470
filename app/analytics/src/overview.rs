//! The campaign overview: which KPI cards to show with which values, and the
//! reach-over-time chart as a drawing-independent spec.
//!
//! Labels are looked up by the app from [`KpiKey`] and [`ChartText`]; this
//! module decides values and their formatting only.

use crate::date::Date;
use crate::format::{self, Lang};
use crate::wire::{CampaignSummary, Kpis};

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
    let currency = summary.campaign.currency.as_str();
    let count_card = |key, n: u64| KpiCard {
        key,
        value: n as f64,
        display: format::count(n),
    };
    let mut cards = vec![
        count_card(KpiKey::Impressions, k.impressions),
        count_card(KpiKey::UniqueReach, k.unique_reach),
        count_card(KpiKey::Engagements, k.engagements),
        count_card(KpiKey::Reposts, k.reposts),
        count_card(KpiKey::NewFans, k.new_fans),
        count_card(KpiKey::Conversions, k.conversions),
        KpiCard {
            key: KpiKey::Revenue,
            value: k.revenue_cents as f64 / 100.0,
            display: format::money(k.revenue_cents, currency),
        },
    ];
    if let Some(budget) = summary.campaign.budget_cents.filter(|b| *b > 0) {
        let per = |key, n: u64| {
            (n > 0).then(|| {
                let cents = (budget as f64 / n as f64).round() as i64;
                KpiCard {
                    key,
                    value: cents as f64 / 100.0,
                    display: format::money(cents, currency),
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
        });
    }
    cards
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`, for CSS and for tests that look for the colour on screen.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesStyle {
    Line,
    /// A line with the area below it filled.
    Area,
}

/// The words a chart shows, already in the reader's language.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartText {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
}

/// One series of a daily chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub color: Rgb,
    pub style: SeriesStyle,
    /// One value per day of [`DailyChart::days`].
    pub values: Vec<f64>,
}

/// A chart with one point per day: what to draw, not how.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyChart {
    pub text: ChartText,
    pub lang: Lang,
    pub days: Vec<Date>,
    pub series: Vec<Series>,
}

impl DailyChart {
    /// The y-axis top: the largest value, at least 1 so an empty chart still
    /// has a scale.
    pub fn y_max(&self) -> f64 {
        self.series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .fold(1.0, f64::max)
    }

    /// Axis label of day `i`.
    pub fn day_label(&self, i: usize) -> String {
        self.days
            .get(i)
            .map(|d| format::short_date(*d, self.lang))
            .unwrap_or_default()
    }

    /// Axis label of a value.
    pub fn value_label(&self, v: f64) -> String {
        format::compact(v, self.lang)
    }
}

/// Series colours of the reach chart: cumulative unique reach, cumulative impressions.
pub const REACH_COLOR: Rgb = Rgb(0x25, 0x63, 0xeb);
pub const IMPRESSIONS_COLOR: Rgb = Rgb(0xf9, 0x73, 0x16);

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
