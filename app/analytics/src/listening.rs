//! Listening: spikes in a brand's hourly mentions, found by a robust rule
//! (the rolling median and median absolute deviation of the hours before),
//! share of voice against tracked competitors, and the mentions chart.

use crate::format::Lang;
use crate::overview::{ChartText, XAxis, XyChart, XySeries};
pub use crate::palette::{OURS, THEIRS};
use crate::wire::MentionHour;

/// The spike rule; [`Default`] is what the page uses, and shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpikeRule {
    /// Hours before each hour that form its baseline.
    pub window_h: usize,
    /// How many (scaled) MADs above the baseline median an hour must be.
    pub k: f64,
    /// Fewest mentions an hour needs to count as a spike at all.
    pub min_mentions: u64,
}

impl Default for SpikeRule {
    fn default() -> Self {
        SpikeRule {
            window_h: 24,
            k: 5.0,
            min_mentions: 10,
        }
    }
}

/// MAD × 1.4826 estimates a standard deviation for normal data.
const MAD_SCALE: f64 = 1.4826;

/// One hour's verdict.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HourScore {
    pub hour: i64,
    pub mentions: u64,
    /// Median of the window before (`None` until a full window exists).
    pub baseline: Option<f64>,
    /// Scaled MAD of that window, at least √median and 1: counts are
    /// Poisson-like, so a quiet series' natural noise is not a spike, and a
    /// flat one still needs a real jump.
    pub spread: Option<f64>,
    pub spike: bool,
}

/// A run of consecutive spike hours.
#[derive(Debug, Clone, PartialEq)]
pub struct Spike {
    /// First hour (Unix seconds).
    pub start: i64,
    /// End (exclusive), one hour after the last spike hour.
    pub end: i64,
    pub mentions: u64,
    pub peak: u64,
    pub peak_hour: i64,
    /// The baseline median at the first hour.
    pub baseline: f64,
    /// `(peak − baseline) / spread` at the peak hour.
    pub score: f64,
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return 0.0;
    }
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// Scores every hour of `hours` (consecutive hours, as the API serves them).
pub fn score(hours: &[MentionHour], rule: &SpikeRule) -> Vec<HourScore> {
    let w = rule.window_h.max(1);
    let mut window: Vec<f64> = Vec::with_capacity(w);
    hours
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let (baseline, spread) = if i >= w {
                window.clear();
                window.extend(hours[i - w..i].iter().map(|x| x.mentions as f64));
                window.sort_by(f64::total_cmp);
                let m = median(&window);
                let mut dev: Vec<f64> = window.iter().map(|x| (x - m).abs()).collect();
                dev.sort_by(f64::total_cmp);
                (
                    Some(m),
                    Some((median(&dev) * MAD_SCALE).max(m.sqrt()).max(1.0)),
                )
            } else {
                (None, None)
            };
            let spike = match (baseline, spread) {
                (Some(b), Some(s)) => {
                    h.mentions >= rule.min_mentions && h.mentions as f64 - b > rule.k * s
                }
                _ => false,
            };
            HourScore {
                hour: h.hour,
                mentions: h.mentions,
                baseline,
                spread,
                spike,
            }
        })
        .collect()
}

/// The spikes of `hours`: consecutive spike hours merged, in time order.
pub fn spikes(hours: &[MentionHour], rule: &SpikeRule) -> Vec<Spike> {
    let mut out: Vec<Spike> = Vec::new();
    let mut previous: Option<i64> = None;
    for s in score(hours, rule).into_iter().filter(|s| s.spike) {
        let z = (s.mentions as f64 - s.baseline.unwrap_or(0.0)) / s.spread.unwrap_or(1.0);
        match out.last_mut() {
            Some(last) if previous == Some(s.hour - 3600) => {
                last.end = s.hour + 3600;
                last.mentions += s.mentions;
                if s.mentions > last.peak {
                    last.peak = s.mentions;
                    last.peak_hour = s.hour;
                    last.score = z;
                }
            }
            _ => out.push(Spike {
                start: s.hour,
                end: s.hour + 3600,
                mentions: s.mentions,
                peak: s.mentions,
                peak_hour: s.hour,
                baseline: s.baseline.unwrap_or(0.0),
                score: z,
            }),
        }
        previous = Some(s.hour);
    }
    out
}

/// One brand's share of the mentions in `[from, to)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Voice {
    pub brand: String,
    pub competitor: bool,
    pub mentions: u64,
    /// Of all the brands' mentions (0 when there are none).
    pub share: f64,
}

/// Share of voice of each brand over `[from, to)` (Unix seconds).
pub fn share_of_voice(
    brands: &[(String, bool, Vec<MentionHour>)],
    from: i64,
    to: i64,
) -> Vec<Voice> {
    let counts: Vec<u64> = brands
        .iter()
        .map(|(_, _, hours)| {
            hours
                .iter()
                .filter(|h| h.hour >= from && h.hour < to)
                .map(|h| h.mentions)
                .sum()
        })
        .collect();
    let total: u64 = counts.iter().sum();
    brands
        .iter()
        .zip(counts)
        .map(|((brand, competitor, _), mentions)| Voice {
            brand: brand.clone(),
            competitor: *competitor,
            mentions,
            share: if total > 0 {
                mentions as f64 / total as f64
            } else {
                0.0
            },
        })
        .collect()
}

/// Mentions per hour: one line per brand (name, whether a competitor, its
/// hours), the spikes shaded behind them, hours on the workspace's clock.
pub fn mentions_chart(
    series: &[(String, bool, Vec<MentionHour>)],
    spikes: &[Spike],
    text: ChartText,
    offset_seconds: i32,
    lang: Lang,
) -> XyChart {
    XyChart {
        text,
        lang,
        x_axis: XAxis::Clock { offset_seconds },
        series: series
            .iter()
            .map(|(name, competitor, hours)| XySeries {
                name: name.clone(),
                color: if *competitor { THEIRS } else { OURS },
                points: hours
                    .iter()
                    .map(|h| (h.hour as f64, h.mentions as f64))
                    .collect(),
            })
            .collect(),
        marks: spikes
            .iter()
            .map(|s| (s.start as f64, s.end as f64))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(values: &[u64]) -> Vec<MentionHour> {
        values
            .iter()
            .enumerate()
            .map(|(i, &m)| MentionHour {
                hour: 1_772_323_200 + i as i64 * 3600,
                mentions: m,
            })
            .collect()
    }

    #[test]
    fn a_planted_burst_is_one_spike_and_the_daily_rhythm_is_not() {
        // Three days of a daily rhythm (quiet nights, busy evenings), then a
        // three-hour burst at 14× the usual rate.
        let mut v: Vec<u64> = (0..72)
            .map(|h| {
                let local = (h % 24) as f64;
                (4.0 + 4.0 * ((local - 21.0) / 24.0 * std::f64::consts::TAU).cos()).round() as u64
            })
            .collect();
        for h in 60..63 {
            v[h] *= 14;
            v[h] += 20;
        }
        let hours = series(&v);
        let found = spikes(&hours, &SpikeRule::default());
        assert_eq!(found.len(), 1, "{found:?}");
        let s = &found[0];
        assert_eq!((s.start, s.end), (hours[60].hour, hours[63].hour));
        assert_eq!(s.mentions, v[60] + v[61] + v[62]);
        assert!(s.score > 5.0);
        let scores = score(&hours, &SpikeRule::default());
        assert!(
            scores[..24]
                .iter()
                .all(|s| s.baseline.is_none() && !s.spike)
        );
        assert_eq!(scores.iter().filter(|s| s.spike).count(), 3);
    }

    #[test]
    fn small_counts_and_flat_series_raise_nothing() {
        // A jump from 0 to 6 is below the minimum count.
        let mut v = vec![0; 30];
        v[28] = 6;
        assert!(spikes(&series(&v), &SpikeRule::default()).is_empty());
        // Flat at 10, then 14: within 5 (floored) spreads.
        let mut v = vec![10; 30];
        v[29] = 14;
        assert!(spikes(&series(&v), &SpikeRule::default()).is_empty());
        assert!(spikes(&[], &SpikeRule::default()).is_empty());
        // Two separate bursts are two spikes.
        let mut v = vec![2; 80];
        v[40] = 60;
        v[70] = 60;
        assert_eq!(spikes(&series(&v), &SpikeRule::default()).len(), 2);
    }

    #[test]
    fn share_of_voice_counts_the_range_only() {
        let a = series(&[5, 5, 10]);
        let b = series(&[0, 5, 100]);
        let v = share_of_voice(
            &[("A".into(), false, a.clone()), ("B".into(), true, b)],
            a[0].hour,
            a[2].hour,
        );
        assert_eq!((v[0].mentions, v[1].mentions), (10, 5));
        assert!((v[0].share - 2.0 / 3.0).abs() < 1e-12 && v[1].competitor);
        let none = share_of_voice(&[("A".into(), false, a)], 0, 1);
        assert_eq!(none[0].share, 0.0);
    }
}
