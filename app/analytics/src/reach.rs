//! The reach panel: unique reach of any selection of days, channels and
//! credited accounts (sketch unions), potential reach beside it (the gap is
//! the overlap), frequency, the owned / paid / earned split and the overlap
//! between a brand's official accounts (its account matrix).

use crate::format::Lang;
use crate::hll::{DaySketch, Sketch};
use crate::overview::ChartText;
use crate::palette::Rgb;
pub use crate::palette::SOURCE_COLORS;
use crate::selection::{Estimate, Filter, union};
use crate::wire::{AccountDay, Counters, Source};
use std::collections::BTreeMap;

/// A credited account's token in the URL's account selection (`acct`):
/// `channel:platform_id`; `channel:` alone is that channel's earned part
/// (everything not credited to an owned or KOL account).
pub fn account_token(channel: &str, account: &str) -> String {
    format!("{channel}:{account}")
}

fn selected(tokens: &[String], channel: &str, account: &str) -> bool {
    tokens.is_empty() || tokens.contains(&account_token(channel, account))
}

/// One credited account in the selection.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountReach {
    pub channel: String,
    /// Platform id (`""`: the earned remainder of the channel).
    pub account: String,
    pub handle: String,
    pub source: Source,
    pub counters: Counters,
    pub reach: Estimate,
}

impl AccountReach {
    pub fn token(&self) -> String {
        account_token(&self.channel, &self.account)
    }
}

/// One of owned, paid and earned.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRow {
    pub source: Source,
    pub counters: Counters,
    pub reach: Estimate,
}

/// The overlap between a brand's official accounts.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub accounts: Vec<AccountReach>,
    /// `shared[i][j]`: people reached by both account i and account j
    /// (`|A| + |B| − |A ∪ B|`, at least 0; 0 for accounts on different
    /// channels, whose users are distinct); the diagonal is each reach.
    pub shared: Vec<Vec<f64>>,
    /// The accounts' reach deduplicated (their union).
    pub union: Estimate,
    /// The accounts' reach added up, as if no one followed two of them.
    pub sum: f64,
}

/// Everything the reach panel shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ReachView {
    /// Deduplicated people reached by the selection.
    pub unique: Estimate,
    /// Followers of every poster, not deduplicated.
    pub potential: u64,
    pub impressions: u64,
    /// `potential − unique`, at least 0: followers counted more than once,
    /// or who never saw the post.
    pub overlap: f64,
    /// `overlap / potential`, when there is potential reach.
    pub overlap_share: Option<f64>,
    /// Impressions per person reached, when anyone was reached.
    pub frequency: Option<f64>,
    /// Owned, paid, earned (in that order), for the filter.
    pub sources: Vec<SourceRow>,
    /// Every credited account with a row in the filter, most reach first
    /// (the earned remainder last).
    pub accounts: Vec<AccountReach>,
    /// The brand's owned accounts.
    pub matrix: Matrix,
}

/// The reach panel for `filter` and the accounts `tokens` selects (empty:
/// every account). The headline figures follow the account selection; the
/// split by source, the account list and the matrix follow the filter only.
pub fn reach_view(
    rows: &[AccountDay],
    sketches: &[DaySketch],
    filter: &Filter,
    tokens: &[String],
) -> ReachView {
    let in_filter = |day: &str, channel: &str, suspect: bool| filter.keeps(day, channel, suspect);
    // (channel, account) → what the account is, from the rows.
    let mut accounts: BTreeMap<(String, String), AccountReach> = BTreeMap::new();
    let mut headline = Counters::default();
    for r in rows
        .iter()
        .filter(|r| in_filter(&r.date, &r.channel, r.suspect))
    {
        if selected(tokens, &r.channel, &r.account) {
            headline.add(&r.counters);
        }
        let a = accounts
            .entry((r.channel.clone(), r.account.clone()))
            .or_insert_with(|| AccountReach {
                channel: r.channel.clone(),
                account: r.account.clone(),
                handle: r.handle.clone(),
                source: r.source,
                counters: Counters::default(),
                reach: Estimate::exact(0),
            });
        a.counters.add(&r.counters);
    }
    let source_of = |channel: &str, account: &str| -> Source {
        if account.is_empty() {
            return Source::Earned;
        }
        accounts
            .get(&(channel.to_string(), account.to_string()))
            .map_or(Source::Paid, |a| a.source)
    };
    let kept = |s: &DaySketch| in_filter(&s.day, &s.channel, s.suspect);
    let estimate = |u: Option<Sketch>| u.map_or(Estimate::exact(0), |u| Estimate::of_sketch(&u));

    let unique = estimate(union(sketches, |s| {
        kept(s) && selected(tokens, &s.channel, &s.account)
    }));
    let sources = Source::ALL
        .into_iter()
        .map(|source| {
            let mut counters = Counters::default();
            for a in accounts.values().filter(|a| a.source == source) {
                counters.add(&a.counters);
            }
            SourceRow {
                source,
                counters,
                reach: estimate(union(sketches, |s| {
                    kept(s) && source_of(&s.channel, &s.account) == source
                })),
            }
        })
        .collect();

    // Each account's own sketch (the union of its days), kept for the matrix.
    let mut own: BTreeMap<(String, String), Sketch> = BTreeMap::new();
    for s in sketches.iter().filter(|s| kept(s)) {
        own.entry((s.channel.clone(), s.account.clone()))
            .and_modify(|u| u.merge(&s.sketch))
            .or_insert_with(|| s.sketch.clone());
    }
    for (key, a) in accounts.iter_mut() {
        a.reach = estimate(own.get(key).cloned());
    }
    let mut list: Vec<AccountReach> = accounts.into_values().collect();
    list.sort_by(|a, b| {
        a.account
            .is_empty()
            .cmp(&b.account.is_empty())
            .then(b.reach.value.total_cmp(&a.reach.value))
            .then(a.handle.cmp(&b.handle))
    });

    // Grouped by channel (only accounts of one channel can share people),
    // most reach first within each.
    let mut owned: Vec<AccountReach> = list
        .iter()
        .filter(|a| a.source == Source::Owned)
        .cloned()
        .collect();
    owned.sort_by(|a, b| {
        a.channel
            .cmp(&b.channel)
            .then(b.reach.value.total_cmp(&a.reach.value))
    });
    let sketch_of = |a: &AccountReach| own.get(&(a.channel.clone(), a.account.clone()));
    let mut shared = vec![vec![0.0; owned.len()]; owned.len()];
    let mut all: Option<Sketch> = None;
    for (i, a) in owned.iter().enumerate() {
        shared[i][i] = a.reach.value;
        let Some(sa) = sketch_of(a) else { continue };
        match all.as_mut() {
            Some(u) => u.merge(sa),
            None => all = Some(sa.clone()),
        }
        for (j, b) in owned.iter().enumerate().skip(i + 1) {
            // Users are per channel (DOMAIN.md): accounts on two channels
            // share no one, by definition.
            if a.channel != b.channel {
                continue;
            }
            let Some(sb) = sketch_of(b) else { continue };
            let mut both = sa.clone();
            both.merge(sb);
            let common = (a.reach.value + b.reach.value - both.estimate()).max(0.0);
            shared[i][j] = common;
            shared[j][i] = common;
        }
    }
    let matrix = Matrix {
        sum: owned.iter().map(|a| a.reach.value).sum(),
        union: estimate(all),
        accounts: owned,
        shared,
    };

    let overlap = (headline.potential_reach as f64 - unique.value).max(0.0);
    ReachView {
        unique,
        potential: headline.potential_reach,
        impressions: headline.impressions,
        overlap,
        overlap_share: (headline.potential_reach > 0)
            .then(|| overlap / headline.potential_reach as f64),
        frequency: (unique.value >= 1.0).then(|| headline.impressions as f64 / unique.value),
        sources,
        accounts: list,
        matrix,
    }
}

/// One bar of a [`ShareChart`]: a figure split into parts.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareRow {
    pub label: String,
    /// One value per part of [`ShareChart::parts`].
    pub values: Vec<f64>,
}

impl ShareRow {
    /// Each part's share of the row's total (zeros when the total is 0).
    pub fn shares(&self) -> Vec<f64> {
        let total: f64 = self.values.iter().sum();
        self.values
            .iter()
            .map(|v| if total > 0.0 { v / total } else { 0.0 })
            .collect()
    }
}

/// A 100%-stacked bar chart: each row a figure, split into the same parts.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareChart {
    pub text: ChartText,
    pub lang: Lang,
    /// Name and colour of each part, in stacking order.
    pub parts: Vec<(String, Rgb)>,
    pub rows: Vec<ShareRow>,
}

/// Names of the figures the owned / paid / earned chart splits.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceFigureNames {
    pub impressions: String,
    pub unique_reach: String,
    pub engagements: String,
    pub new_fans: String,
    pub potential_reach: String,
}

/// The owned / paid / earned split of the view as a share chart;
/// `source_names` in [`Source::ALL`]'s order.
pub fn source_chart(
    view: &ReachView,
    text: ChartText,
    figures: SourceFigureNames,
    source_names: [String; 3],
    lang: Lang,
) -> ShareChart {
    let by = |f: &dyn Fn(&SourceRow) -> f64| view.sources.iter().map(f).collect::<Vec<f64>>();
    ShareChart {
        text,
        lang,
        parts: source_names.into_iter().zip(SOURCE_COLORS).collect(),
        rows: vec![
            ShareRow {
                label: figures.impressions,
                values: by(&|s| s.counters.impressions as f64),
            },
            ShareRow {
                label: figures.unique_reach,
                values: by(&|s| s.reach.value),
            },
            ShareRow {
                label: figures.engagements,
                values: by(&|s| s.counters.engagements as f64),
            },
            ShareRow {
                label: figures.new_fans,
                values: by(&|s| s.counters.new_fans as f64),
            },
            ShareRow {
                label: figures.potential_reach,
                values: by(&|s| s.counters.potential_reach as f64),
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hll::STANDARD_ERROR;

    fn row(
        channel: &str,
        account: &str,
        source: Source,
        impressions: u64,
        potential: u64,
    ) -> AccountDay {
        AccountDay {
            date: "2026-03-01".into(),
            channel: channel.into(),
            account: account.into(),
            handle: format!("@{account}"),
            source,
            suspect: false,
            counters: Counters {
                impressions,
                potential_reach: potential,
                ..Counters::default()
            },
        }
    }

    fn sketch(channel: &str, account: &str, users: std::ops::Range<u32>) -> DaySketch {
        let mut sketch = Sketch::new();
        for u in users {
            sketch.add_user(channel, &format!("u{u}"));
        }
        DaySketch {
            day: "2026-03-01".into(),
            channel: channel.into(),
            account: account.into(),
            suspect: false,
            sketch,
        }
    }

    fn close(estimate: f64, exact: f64) -> bool {
        (estimate - exact).abs() <= 3.0 * STANDARD_ERROR * exact.max(1.0) + 2.0
    }

    #[test]
    fn reach_panel_dedups_splits_and_finds_the_matrix_overlap() {
        // Two official weibo accounts whose audiences overlap by 2,000, a
        // KOL, and earned reach overlapping the first account's audience.
        let rows = vec![
            row("weibo", "a", Source::Owned, 12_000, 50_000),
            row("weibo", "b", Source::Owned, 9_000, 30_000),
            row("weibo", "k", Source::Paid, 5_000, 100_000),
            row("weibo", "", Source::Earned, 3_000, 20_000),
            row("douyin", "d", Source::Owned, 100, 1_000),
        ];
        let sketches = vec![
            sketch("weibo", "a", 0..6000),
            sketch("weibo", "b", 4000..9000),
            sketch("weibo", "k", 20_000..23_000),
            sketch("weibo", "", 5000..7000),
            // Same user ids, another channel: other people.
            sketch("douyin", "d", 0..500),
        ];
        let v = reach_view(&rows, &sketches, &Filter::default(), &[]);
        assert!(close(v.unique.value, 12_500.0), "{:?}", v.unique);
        assert_eq!(v.potential, 201_000);
        assert_eq!(v.impressions, 29_100);
        assert!(close(v.overlap, 188_500.0));
        assert!((v.frequency.unwrap() - 29_100.0 / v.unique.value).abs() < 1e-9);
        let by: Vec<(Source, u64)> = v
            .sources
            .iter()
            .map(|s| (s.source, s.counters.impressions))
            .collect();
        assert_eq!(
            by,
            vec![
                (Source::Owned, 21_100),
                (Source::Paid, 5_000),
                (Source::Earned, 3_000)
            ]
        );
        assert!(close(v.sources[0].reach.value, 9_500.0));
        assert!(close(v.sources[1].reach.value, 3_000.0));
        assert!(close(v.sources[2].reach.value, 2_000.0));
        // Matrix: the owned accounts by channel, most reach first; 2,000
        // shared on weibo, none across channels.
        let handles: Vec<&str> = v
            .matrix
            .accounts
            .iter()
            .map(|a| a.handle.as_str())
            .collect();
        assert_eq!(handles, vec!["@d", "@a", "@b"]);
        assert!(
            close(v.matrix.shared[1][2], 2_000.0),
            "{:?}",
            v.matrix.shared
        );
        assert_eq!(v.matrix.shared[1][2], v.matrix.shared[2][1]);
        assert_eq!((v.matrix.shared[0][1], v.matrix.shared[2][0]), (0.0, 0.0));
        assert!(close(v.matrix.union.value, 9_500.0));
        assert!(close(v.matrix.sum, 11_500.0));
        // The account list: earned last.
        assert_eq!(v.accounts.last().unwrap().token(), "weibo:");
        assert_eq!(v.accounts[0].token(), "weibo:a");

        let chart = source_chart(
            &v,
            ChartText {
                title: "t".into(),
                x_label: "x".into(),
                y_label: "y".into(),
            },
            SourceFigureNames {
                impressions: "i".into(),
                unique_reach: "u".into(),
                engagements: "e".into(),
                new_fans: "f".into(),
                potential_reach: "p".into(),
            },
            ["o".into(), "p".into(), "e".into()],
            Lang::En,
        );
        assert_eq!(chart.rows[0].values, [21_100.0, 5_000.0, 3_000.0]);
        let shares = chart.rows[4].shares();
        let expected = [
            81_000.0 / 201_000.0,
            100_000.0 / 201_000.0,
            20_000.0 / 201_000.0,
        ];
        assert!(
            shares
                .iter()
                .zip(expected)
                .all(|(a, b)| (a - b).abs() < 1e-12),
            "{shares:?}"
        );
        assert_eq!(chart.parts[2], ("e".to_string(), SOURCE_COLORS[2]));
        assert_eq!(
            ShareRow {
                label: String::new(),
                values: vec![0.0, 0.0]
            }
            .shares(),
            [0.0, 0.0]
        );

        // Selecting accounts narrows the headline only.
        let only_b = reach_view(
            &rows,
            &sketches,
            &Filter::default(),
            &["weibo:b".to_string()],
        );
        assert!(close(only_b.unique.value, 5_000.0));
        assert_eq!((only_b.potential, only_b.impressions), (30_000, 9_000));
        assert_eq!(only_b.sources, v.sources);
        let earned = reach_view(
            &rows,
            &sketches,
            &Filter::default(),
            &["weibo:".to_string()],
        );
        assert!(close(earned.unique.value, 2_000.0));
    }

    #[test]
    fn an_empty_selection_reaches_no_one() {
        let v = reach_view(&[], &[], &Filter::default(), &[]);
        assert_eq!(v.unique, Estimate::exact(0));
        assert_eq!((v.potential, v.frequency, v.overlap_share), (0, None, None));
        assert!(v.matrix.accounts.is_empty() && v.accounts.is_empty());
    }
}
