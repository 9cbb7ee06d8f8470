//! What part of a campaign a view shows: a date range, some channels, with
//! or without suspected accounts — and the figures of that part, from the
//! API's rollup rows and reach sketches.
//!
//! Counters add up exactly over any selection. Unique reach does not (a
//! person reached on two days is one person), so a narrowed selection's
//! unique reach is the union of its HyperLogLog sketches, an estimate shown
//! with its 95% interval. The whole campaign's reach stays exact (the
//! summary's count of first exposures).

use crate::date::Date;
use crate::hll::{DaySketch, STANDARD_ERROR, Sketch};
use crate::wire::{Channel, ChannelDay, Counters, Kpis};

/// The view's selection, as kept in the URL (`from`, `to`, `ch`, `fakes`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// First day shown (workspace time zone), inclusive.
    pub from: Option<Date>,
    /// Last day shown, inclusive.
    pub to: Option<Date>,
    /// Channels shown; empty means every channel.
    pub channels: Vec<Channel>,
    /// Leave out what suspected accounts did.
    pub exclude_suspect: bool,
}

/// A query parameter of the view that is not understood: named in the page
/// so that a mistyped link does not silently show something else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadParam {
    pub name: &'static str,
    pub value: String,
}

impl Filter {
    /// The filter of a URL's query parameters (`get` looks one up), and the
    /// parameters it could not read (which are then ignored).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> (Filter, Vec<BadParam>) {
        let mut bad = Vec::new();
        let mut day = |name: &'static str| {
            let v = get(name)?;
            let d = Date::parse(&v);
            if d.is_none() {
                bad.push(BadParam { name, value: v });
            }
            d
        };
        let (from, to) = (day("from"), day("to"));
        let mut channels = Vec::new();
        for part in get("ch")
            .unwrap_or_default()
            .split(',')
            .filter(|p| !p.is_empty())
        {
            match Channel::parse(part) {
                Some(c) if !channels.contains(&c) => channels.push(c),
                Some(_) => {}
                None => bad.push(BadParam {
                    name: "ch",
                    value: part.to_string(),
                }),
            }
        }
        channels.sort();
        let filter = Filter {
            from,
            to,
            channels,
            exclude_suspect: get("fakes").as_deref() == Some("exclude"),
        };
        (filter, bad)
    }

    /// The `ch` parameter's value, `None` for every channel.
    pub fn channels_param(channels: &[Channel]) -> Option<String> {
        (!channels.is_empty()).then(|| {
            channels
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(",")
        })
    }

    /// Whether the selection is narrower than the whole campaign (a date or
    /// channel filter; the suspects switch does not narrow).
    pub fn is_narrowed(&self) -> bool {
        self.from.is_some() || self.to.is_some() || !self.channels.is_empty()
    }

    /// Whether day `day` (`YYYY-MM-DD`) is in the range.
    pub fn has_day(&self, day: &str) -> bool {
        let Some(d) = Date::parse(day) else {
            return false;
        };
        self.from.is_none_or(|f| d >= f) && self.to.is_none_or(|t| d <= t)
    }

    /// Whether channel `channel` is selected.
    pub fn has_channel(&self, channel: &str) -> bool {
        self.channels.is_empty() || self.channels.iter().any(|c| c.as_str() == channel)
    }

    /// Whether a row of this day, channel and suspect flag is in the selection.
    pub fn keeps(&self, day: &str, channel: &str, suspect: bool) -> bool {
        !(suspect && self.exclude_suspect) && self.has_day(day) && self.has_channel(channel)
    }
}

/// An estimated count with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

impl Estimate {
    /// An exact count (an interval of width zero).
    pub fn exact(n: u64) -> Estimate {
        let v = n as f64;
        Estimate {
            value: v,
            low: v,
            high: v,
        }
    }

    /// A HyperLogLog estimate: ±1.96 standard errors.
    pub fn of_sketch(sketch: &Sketch) -> Estimate {
        let value = sketch.estimate();
        let half = 1.96 * STANDARD_ERROR * value;
        Estimate {
            value,
            low: (value - half).max(0.0),
            high: value + half,
        }
    }

    /// Whether this is exact.
    pub fn is_exact(&self) -> bool {
        self.low == self.high
    }

    /// As the dashboard writes it: `12,345` when exact, `≈12,345 ±1.6%` when not.
    pub fn text(&self) -> String {
        let n = crate::format::count(self.value.round() as u64);
        if self.is_exact() {
            n
        } else {
            format!("≈{n} ±{}", crate::format::percent(self.relative_error()))
        }
    }

    /// The half-width of the interval relative to the value (0 when exact or zero).
    pub fn relative_error(&self) -> f64 {
        if self.value > 0.0 {
            (self.high - self.low) / 2.0 / self.value
        } else {
            0.0
        }
    }
}

/// The union of the sketches `keep` selects; `None` when it selects none.
pub fn union(sketches: &[DaySketch], keep: impl Fn(&DaySketch) -> bool) -> Option<Sketch> {
    let mut out: Option<Sketch> = None;
    for s in sketches.iter().filter(|s| keep(s)) {
        match out.as_mut() {
            Some(u) => u.merge(&s.sketch),
            None => out = Some(s.sketch.clone()),
        }
    }
    out
}

/// Unique reach of the sketches in `filter`: an estimate, 0 when none.
pub fn reach(sketches: &[DaySketch], filter: &Filter) -> Estimate {
    union(sketches, |s| filter.keeps(&s.day, &s.channel, s.suspect))
        .map_or(Estimate::exact(0), |u| Estimate::of_sketch(&u))
}

/// The counters of the rows in `filter`, summed.
pub fn counters(days: &[ChannelDay], filter: &Filter) -> Counters {
    let mut out = Counters::default();
    for d in days
        .iter()
        .filter(|d| filter.keeps(&d.date, &d.channel, d.suspect))
    {
        out.add(&d.counters);
    }
    out
}

/// A narrowed selection's KPIs: counters summed from the day rows, unique
/// reach estimated from the sketches (its estimate is returned beside).
pub fn kpis(days: &[ChannelDay], sketches: &[DaySketch], filter: &Filter) -> (Kpis, Estimate) {
    let c = counters(days, filter);
    let reach = reach(sketches, filter);
    let kpis = Kpis {
        impressions: c.impressions,
        unique_reach: reach.value.round() as u64,
        engagements: c.engagements,
        posts: c.posts,
        reposts: c.reposts,
        new_fans: c.new_fans,
        unfollows: c.unfollows,
        conversions: c.conversions,
        revenue_cents: c.revenue_cents,
        potential_reach: c.potential_reach,
    };
    (kpis, reach)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn filter_reads_the_url_and_names_what_it_cannot() {
        let (f, bad) = Filter::from_query(query(&[
            ("from", "2026-03-05"),
            ("to", "2026-03-31x"),
            ("ch", "douyin,weibo,myspace,weibo"),
            ("fakes", "exclude"),
        ]));
        assert_eq!(f.from, Date::parse("2026-03-05"));
        assert_eq!(f.to, None);
        assert_eq!(f.channels, vec![Channel::Weibo, Channel::Douyin]);
        assert!(f.exclude_suspect);
        assert!(f.is_narrowed());
        assert_eq!(
            bad,
            vec![
                BadParam {
                    name: "to",
                    value: "2026-03-31x".into()
                },
                BadParam {
                    name: "ch",
                    value: "myspace".into()
                }
            ]
        );
        assert_eq!(
            Filter::channels_param(&f.channels).as_deref(),
            Some("weibo,douyin")
        );
        let (none, bad) = Filter::from_query(query(&[]));
        assert_eq!(none, Filter::default());
        assert!(bad.is_empty() && !none.is_narrowed());
    }

    #[test]
    fn filter_keeps_days_channels_and_suspects_it_selects() {
        let f = Filter {
            from: Date::parse("2026-03-02"),
            to: Date::parse("2026-03-03"),
            channels: vec![Channel::Weibo],
            exclude_suspect: true,
        };
        assert!(f.keeps("2026-03-02", "weibo", false));
        assert!(f.keeps("2026-03-03", "weibo", false));
        assert!(!f.keeps("2026-03-01", "weibo", false));
        assert!(!f.keeps("2026-03-04", "weibo", false));
        assert!(!f.keeps("2026-03-02", "douyin", false));
        assert!(!f.keeps("2026-03-02", "weibo", true));
        assert!(!f.keeps("not a day", "weibo", false));
    }

    fn sketch_of(
        day: &str,
        channel: &str,
        suspect: bool,
        users: std::ops::Range<u32>,
    ) -> DaySketch {
        let mut sketch = Sketch::new();
        for u in users {
            sketch.add_user(channel, &format!("u{u}"));
        }
        DaySketch {
            day: day.into(),
            channel: channel.into(),
            account: String::new(),
            suspect,
            sketch,
        }
    }

    #[test]
    fn narrowed_reach_is_the_union_of_the_selected_sketches() {
        let sketches = vec![
            sketch_of("2026-03-01", "weibo", false, 0..6000),
            sketch_of("2026-03-02", "weibo", false, 3000..9000),
            sketch_of("2026-03-02", "weibo", true, 20_000..21_000),
            sketch_of("2026-03-02", "douyin", false, 0..4000),
        ];
        let all = reach(&sketches, &Filter::default());
        // 9,000 + 1,000 weibo users, 4,000 douyin users (distinct people).
        assert!(
            (all.value - 14_000.0).abs() < 3.0 * STANDARD_ERROR * 14_000.0,
            "{all:?}"
        );
        assert!(all.low < 14_000.0 && all.high > 14_000.0, "{all:?}");
        let weibo_day2 = Filter {
            from: Date::parse("2026-03-02"),
            channels: vec![Channel::Weibo],
            exclude_suspect: true,
            ..Filter::default()
        };
        let r = reach(&sketches, &weibo_day2);
        assert!(
            (r.value - 6000.0).abs() < 3.0 * STANDARD_ERROR * 6000.0,
            "{r:?}"
        );
        assert!((r.relative_error() - 1.96 * STANDARD_ERROR).abs() < 1e-12);
        let nothing = Filter {
            from: Date::parse("2027-01-01"),
            ..Filter::default()
        };
        assert_eq!(reach(&sketches, &nothing), Estimate::exact(0));
    }

    #[test]
    fn narrowed_counters_add_up_the_selected_rows() {
        let row = |date: &str, channel: &str, suspect: bool, impressions: u64| ChannelDay {
            date: date.into(),
            channel: channel.into(),
            suspect,
            counters: Counters {
                impressions,
                potential_reach: impressions * 10,
                ..Counters::default()
            },
        };
        let days = vec![
            row("2026-03-01", "weibo", false, 1),
            row("2026-03-01", "weibo", true, 2),
            row("2026-03-02", "douyin", false, 4),
            row("2026-03-03", "weibo", false, 8),
        ];
        let f = Filter {
            to: Date::parse("2026-03-02"),
            ..Filter::default()
        };
        assert_eq!(counters(&days, &f).impressions, 7);
        let f = Filter {
            exclude_suspect: true,
            channels: vec![Channel::Weibo],
            ..Filter::default()
        };
        let (k, reach) = kpis(&days, &[], &f);
        assert_eq!(
            (k.impressions, k.potential_reach, k.unique_reach),
            (9, 90, 0)
        );
        assert!(reach.is_exact());
    }
}
