//! The fan-conversion funnel, defined once (DOMAIN.md): exposed → engaged
//! (any like, comment, repost or click) → fan (followed) → converted. A user
//! counts at a step only if they did it after the previous step and within
//! the conversion window counted from their first exposure. Retention: of the
//! fans, those who did not unfollow within 7 (30) days of following.
//!
//! The server keeps one [`Journey`] per campaign × channel × user and adds
//! each user's [`Journey::counted`] flags to per-cohort totals (first
//! exposure day × channel × post × suspect flag × window); the browser only
//! ever sees those totals, never user ids. Windows are a fixed set, so every
//! total is exact for each of them.

use serde::{Deserialize, Serialize};

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// The conversion windows offered, in seconds: 1 hour, 1, 3, 7 (the
/// default), 14 and 30 days.
pub const WINDOWS_S: [i64; 6] = [
    3_600,
    86_400,
    3 * 86_400,
    7 * 86_400,
    14 * 86_400,
    30 * 86_400,
];
/// The window shown unless the user picks another.
pub const DEFAULT_WINDOW_S: i64 = 7 * 86_400;

/// What one user did in one campaign on one channel, in milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journey {
    /// The first exposure: when, and through which post.
    pub first_exposure: Option<(i64, String)>,
    pub engagements: Vec<i64>,
    pub follows: Vec<i64>,
    pub unfollows: Vec<i64>,
    pub conversions: Vec<i64>,
}

/// When a user reached each step (milliseconds), each after the previous.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Steps {
    pub exposed: i64,
    pub engaged: Option<i64>,
    pub fan: Option<i64>,
    pub converted: Option<i64>,
}

/// Which steps a user counts at within one window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counted {
    pub engaged: bool,
    pub fan: bool,
    pub converted: bool,
    pub retained_7d: bool,
    pub retained_30d: bool,
}

/// The first time in `times` at or after `after`.
fn first_from(times: &[i64], after: i64) -> Option<i64> {
    times.iter().copied().filter(|&t| t >= after).min()
}

impl Journey {
    /// The steps reached, each the first of its kind at or after the previous
    /// step; `None` for a user never exposed.
    pub fn steps(&self) -> Option<Steps> {
        let exposed = self.first_exposure.as_ref()?.0;
        let engaged = first_from(&self.engagements, exposed);
        let fan = engaged.and_then(|t| first_from(&self.follows, t));
        let converted = fan.and_then(|t| first_from(&self.conversions, t));
        Some(Steps {
            exposed,
            engaged,
            fan,
            converted,
        })
    }

    /// The steps counted within `window_s` seconds of the first exposure.
    pub fn counted(&self, window_s: i64) -> Option<Counted> {
        let s = self.steps()?;
        let within = |t: Option<i64>| t.is_some_and(|t| t - s.exposed <= window_s * 1000);
        let fan = within(s.fan);
        let kept = |days: i64| {
            fan && s.fan.is_some_and(|f| {
                !self
                    .unfollows
                    .iter()
                    .any(|&u| u > f && u <= f + days * DAY_MS)
            })
        };
        Some(Counted {
            engaged: within(s.engaged),
            fan,
            converted: within(s.converted),
            retained_7d: kept(7),
            retained_30d: kept(30),
        })
    }
}

/// One group's funnel totals for one window, as
/// `GET /api/v1/campaigns/{id}/funnel` serves them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FunnelRow {
    /// The group, as the request's `by` asks: a channel, a post's client id
    /// (the post of the users' first exposure), or the handle of the KOL
    /// credited with that post.
    pub key: String,
    /// Whether these are suspected accounts' totals.
    pub suspect: bool,
    /// The conversion window, seconds (one of [`WINDOWS_S`]).
    pub window_s: i64,
    pub exposed: u64,
    pub engaged: u64,
    pub fans: u64,
    pub converted: u64,
    /// Fans who did not unfollow within 7 / 30 days of following.
    pub retained_7d: u64,
    pub retained_30d: u64,
}

/// The window's short label: `1h`, `1d`, `3d`, `7d`, `14d`, `30d` (also its
/// form in the dashboard's URL).
pub fn window_label(window_s: i64) -> String {
    if window_s % 86_400 == 0 {
        format!("{}d", window_s / 86_400)
    } else {
        format!("{}h", window_s / 3_600)
    }
}

/// The window a label names, if it is one of [`WINDOWS_S`].
pub fn parse_window(label: &str) -> Option<i64> {
    WINDOWS_S.into_iter().find(|&w| window_label(w) == label)
}

/// The funnel's four steps, in order.
pub const STEPS: usize = 4;

/// One row of the funnel as the dashboard shows it: counts per step
/// (exposed, engaged, fans, converted) and the 7- and 30-day retention.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FunnelCounts {
    pub key: String,
    pub steps: [u64; STEPS],
    pub retained_7d: u64,
    pub retained_30d: u64,
}

impl FunnelCounts {
    /// Step `i`'s share of the previous step (`None` for the first step or
    /// an empty previous step), with its 95% Wilson interval.
    pub fn step_rate(&self, i: usize) -> Option<(f64, (f64, f64))> {
        let (k, n) = (self.steps[i], self.steps[i.checked_sub(1)?]);
        Some((k as f64 / n as f64, wilson(k, n)?))
    }

    /// Step `i`'s share of the exposed, with its 95% Wilson interval.
    pub fn overall_rate(&self, i: usize) -> Option<(f64, (f64, f64))> {
        let (k, n) = (self.steps[i], self.steps[0]);
        Some((k as f64 / n as f64, wilson(k, n)?))
    }
}

/// Sums the API's rows for one window into a total and one row per key
/// (by descending exposed count), leaving out suspected accounts' rows when
/// asked.
pub fn for_window(
    rows: &[FunnelRow],
    window_s: i64,
    exclude_suspect: bool,
) -> (FunnelCounts, Vec<FunnelCounts>) {
    let mut total = FunnelCounts::default();
    let mut by_key: Vec<FunnelCounts> = Vec::new();
    for r in rows
        .iter()
        .filter(|r| r.window_s == window_s && !(exclude_suspect && r.suspect))
    {
        let add = |c: &mut FunnelCounts| {
            for (slot, n) in c
                .steps
                .iter_mut()
                .zip([r.exposed, r.engaged, r.fans, r.converted])
            {
                *slot += n;
            }
            c.retained_7d += r.retained_7d;
            c.retained_30d += r.retained_30d;
        };
        add(&mut total);
        match by_key.iter_mut().find(|c| c.key == r.key) {
            Some(c) => add(c),
            None => {
                let mut c = FunnelCounts {
                    key: r.key.clone(),
                    ..FunnelCounts::default()
                };
                add(&mut c);
                by_key.push(c);
            }
        }
    }
    by_key.sort_by(|a, b| b.steps[0].cmp(&a.steps[0]).then(a.key.cmp(&b.key)));
    (total, by_key)
}

/// A 95% Wilson score interval for `k` successes in `n` trials, as
/// fractions; `None` for `n = 0`.
pub fn wilson(k: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let z = 1.959_963_984_540_054_f64;
    let n_f = n as f64;
    let p = (k.min(n)) as f64 / n_f;
    let z2 = z * z;
    let centre = p + z2 / (2.0 * n_f);
    let half = z * (p * (1.0 - p) / n_f + z2 / (4.0 * n_f * n_f)).sqrt();
    let denom = 1.0 + z2 / n_f;
    Some((
        ((centre - half) / denom).max(0.0),
        ((centre + half) / denom).min(1.0),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn journey() -> Journey {
        Journey {
            first_exposure: Some((10 * HOUR_MS, "p1".into())),
            // One engagement before the exposure: it does not count.
            engagements: vec![5 * HOUR_MS, 12 * HOUR_MS],
            follows: vec![2 * DAY_MS],
            unfollows: vec![2 * DAY_MS + 10 * DAY_MS],
            conversions: vec![HOUR_MS, 3 * DAY_MS],
        }
    }

    #[test]
    fn each_step_follows_the_previous_one() {
        let s = journey().steps().unwrap();
        assert_eq!(s.engaged, Some(12 * HOUR_MS));
        assert_eq!(s.fan, Some(2 * DAY_MS));
        assert_eq!(s.converted, Some(3 * DAY_MS));
        // A follow before the engagement does not make a fan.
        let early = Journey {
            follows: vec![11 * HOUR_MS],
            ..journey()
        };
        assert_eq!(early.steps().unwrap().fan, None);
        assert_eq!(early.steps().unwrap().converted, None);
        assert_eq!(Journey::default().steps(), None);
        assert_eq!(Journey::default().counted(DEFAULT_WINDOW_S), None);
    }

    #[test]
    fn windows_count_from_the_first_exposure() {
        let j = journey();
        let at = |w| j.counted(w).unwrap();
        // 2 h to engage, 38 h to follow, 62 h to convert.
        assert_eq!(at(3_600), Counted::default());
        assert_eq!(
            at(86_400),
            Counted {
                engaged: true,
                ..Counted::default()
            }
        );
        let three_days = at(3 * 86_400);
        assert!(three_days.engaged && three_days.fan && three_days.converted);
        // Unfollowed 10 days after following: kept at 7 days, not at 30.
        assert!(three_days.retained_7d && !three_days.retained_30d);
        // Exactly at the window's end still counts.
        let edge = Journey {
            engagements: vec![10 * HOUR_MS + 3_600_000],
            ..journey()
        };
        assert!(edge.counted(3_600).unwrap().engaged);
    }

    #[test]
    fn rows_sum_per_window_and_key_without_suspects_when_asked() {
        let row = |key: &str, suspect, window_s, exposed, fans| FunnelRow {
            key: key.into(),
            suspect,
            window_s,
            exposed,
            engaged: exposed / 2,
            fans,
            converted: fans / 2,
            retained_7d: fans,
            retained_30d: fans / 2,
        };
        let rows = vec![
            row("weibo", false, 604_800, 100, 10),
            row("weibo", true, 604_800, 20, 8),
            row("douyin", false, 604_800, 300, 6),
            row("douyin", false, 86_400, 300, 2),
        ];
        let (total, by) = for_window(&rows, 604_800, false);
        assert_eq!(total.steps, [420, 210, 24, 12]);
        assert_eq!(
            by.iter().map(|c| c.key.as_str()).collect::<Vec<_>>(),
            ["douyin", "weibo"]
        );
        let (without, _) = for_window(&rows, 604_800, true);
        assert_eq!(without.steps, [400, 200, 16, 8]);
        let (rate, (lo, hi)) = without.step_rate(1).unwrap();
        assert!(rate == 0.5 && lo < 0.5 && hi > 0.5);
        assert_eq!(without.step_rate(0), None);
        assert_eq!(without.overall_rate(3).unwrap().0, 0.02);
        assert_eq!(FunnelCounts::default().overall_rate(2), None);
        assert_eq!(window_label(3_600), "1h");
        assert_eq!(window_label(604_800), "7d");
        assert_eq!(parse_window("14d"), Some(1_209_600));
        assert_eq!(parse_window("2d"), None);
    }

    #[test]
    fn wilson_intervals() {
        assert_eq!(wilson(0, 0), None);
        let (lo, hi) = wilson(50, 100).unwrap();
        assert!(
            (lo - 0.4038).abs() < 1e-3 && (hi - 0.5962).abs() < 1e-3,
            "{lo} {hi}"
        );
        let (lo, hi) = wilson(0, 10).unwrap();
        assert!(lo == 0.0 && (hi - 0.2775).abs() < 1e-3, "{hi}");
        let (lo, hi) = wilson(10, 10).unwrap();
        assert!(
            (lo - 0.7225).abs() < 1e-3 && (hi - 1.0).abs() < 1e-12,
            "{lo} {hi}"
        );
    }
}
