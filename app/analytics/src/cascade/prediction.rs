//! How large a cascade will end: quantile regression of its growth from an
//! early observation, judged against the naive guesses by cross-validation
//! (`server cascade evaluate-prediction`, BENCHMARKS.md).
//!
//! Observed for `T` seconds after the original, a cascade has `n` nodes
//! (a node counts once it and its ancestors have arrived). Three features
//! say how it is going: `ln n`, `ln(1 + r)` with `r` the nodes that arrived
//! in the second half of the window (its current speed), and `q`, the share
//! of the window since the last arrival (how long it has been quiet). For
//! each quantile τ of [`QUANTILES`], the log growth ratio `ln(N / n)` of the
//! final size `N` is linear in them, fitted by minimising the pinball loss
//! (iteratively reweighted least squares): the median is the estimate, the
//! other quantiles bound its 80% and 95% intervals — conditional quantiles,
//! calibrated on the trees they were fitted on, not assumed from a model.
//! One fit per horizon of [`HORIZONS_H`]; the shipped defaults
//! ([`default_models`]) are the fit on Twitter15 (`server cascade
//! fit-prediction`, reproduced by a test).
//!
//! A cascade is finished when nothing has arrived for a day and for at least
//! as long as it was active ([`is_finished`]); one younger than the first
//! horizon is too early to tell ([`Outlook`]).

use super::build::Tree;
use std::borrow::Borrow;

/// The quantiles fitted: 95% and 80% interval bounds around the median.
pub const QUANTILES: [f64; 5] = [0.025, 0.1, 0.5, 0.9, 0.975];
/// The observation times a model is fitted for, in hours.
pub const HORIZONS_H: [f64; 7] = [1.0, 2.0, 6.0, 12.0, 24.0, 48.0, 168.0];
/// Trees smaller than this (final size) are left out of fits and evaluations.
pub const MIN_TREE: usize = 50;
/// Samples a fit needs at the least.
pub const MIN_SAMPLES: usize = 20;
/// Finished trees a channel needs before its own fit replaces the defaults.
pub const MIN_FIT_TREES: usize = 200;
/// A cascade quiet this long (and as long as it was active) is finished.
pub const FINISHED_QUIET_S: f64 = 86_400.0;

const FEATURES: usize = 4;

/// What the model reads from a cascade observed for a while.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Features {
    /// Nodes seen by the observation time, the original included.
    pub observed: u64,
    /// `[1, ln n, ln(1 + r), q]` (see the module doc).
    x: [f64; FEATURES],
}

/// Which nodes had been seen `observe_s` after the original: a node and
/// all its ancestors must have arrived (times in seconds).
fn observed_nodes<K>(tree: &Tree<K>, observe_s: f64) -> Vec<bool> {
    let n = tree.len();
    let t0 = tree.time.first().copied().unwrap_or(0.0);
    let mut seen = vec![false; n];
    if n == 0 {
        return seen;
    }
    seen[0] = true;
    for v in 1..n {
        seen[v] = seen[tree.parent[v] as usize] && tree.time[v] - t0 <= observe_s;
    }
    seen
}

/// The features of `tree` observed for `observe_s` seconds (> 0).
pub fn features<K>(tree: &Tree<K>, observe_s: f64) -> Features {
    let seen = observed_nodes(tree, observe_s);
    let t0 = tree.time.first().copied().unwrap_or(0.0);
    let (mut n, mut recent, mut last) = (0u64, 0u64, 0f64);
    for (v, _) in seen.iter().enumerate().filter(|(_, s)| **s) {
        n += 1;
        let at = (tree.time[v] - t0).clamp(0.0, observe_s);
        last = last.max(at);
        if v > 0 && at > observe_s / 2.0 {
            recent += 1;
        }
    }
    let n = n.max(1);
    Features {
        observed: n,
        x: [
            1.0,
            (n as f64).ln(),
            (recent as f64).ln_1p(),
            (observe_s - last) / observe_s.max(1e-9),
        ],
    }
}

/// One horizon's fit: per quantile, the coefficients of the features.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub horizon_h: f64,
    pub coef: [[f64; FEATURES]; 5],
}

/// A final-size estimate with its intervals, in nodes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Forecast {
    pub observed: u64,
    pub estimate: f64,
    pub low80: f64,
    pub high80: f64,
    pub low95: f64,
    pub high95: f64,
}

impl Model {
    /// The forecast for a cascade with features `f` (observed at this
    /// model's horizon). Quantiles are put in order (fits of neighbouring
    /// quantiles can cross) and never below what was observed.
    pub fn forecast(&self, f: &Features) -> Forecast {
        let mut q = self.coef.map(|c| dot(&c, &f.x).max(0.0));
        q.sort_by(f64::total_cmp);
        let n = f.observed as f64;
        let size = |g: f64| n * g.min(30.0).exp();
        Forecast {
            observed: f.observed,
            estimate: size(q[2]),
            low80: size(q[1]),
            high80: size(q[3]),
            low95: size(q[0]),
            high95: size(q[4]),
        }
    }
}

fn dot(a: &[f64; FEATURES], b: &[f64; FEATURES]) -> f64 {
    a.iter().zip(b).map(|(a, b)| a * b).sum()
}

/// One training example: features at the horizon and the final size.
pub type Sample = (Features, u64);

/// The samples of `trees` (finished, at least [`MIN_TREE`] nodes) at `horizon_h`.
pub fn samples<K, T: Borrow<Tree<K>>>(trees: &[T], horizon_h: f64) -> Vec<Sample> {
    trees
        .iter()
        .map(Borrow::borrow)
        .filter(|t| t.len() >= MIN_TREE)
        .map(|t| (features(t, horizon_h * 3600.0), t.len() as u64))
        .collect()
}

/// Fits a model on `samples`; `None` when there are fewer than
/// [`MIN_SAMPLES`].
pub fn fit(samples: &[Sample], horizon_h: f64) -> Option<Model> {
    if samples.len() < MIN_SAMPLES {
        return None;
    }
    let y: Vec<f64> = samples
        .iter()
        .map(|(f, n)| (*n as f64 / f.observed as f64).max(1.0).ln())
        .collect();
    let x: Vec<[f64; FEATURES]> = samples.iter().map(|(f, _)| f.x).collect();
    let mut coef = [[0.0; FEATURES]; 5];
    for (c, tau) in coef.iter_mut().zip(QUANTILES) {
        *c = quantile_fit(&x, &y, tau)?;
    }
    Some(Model { horizon_h, coef })
}

/// Minimises Σ ρ_τ(y − x·w) by iteratively reweighted least squares,
/// starting from ordinary least squares.
fn quantile_fit(x: &[[f64; FEATURES]], y: &[f64], tau: f64) -> Option<[f64; FEATURES]> {
    let mut w = weighted_ls(x, y, |_| 1.0)?;
    for _ in 0..80 {
        let r: Vec<f64> = x.iter().zip(y).map(|(xi, yi)| yi - dot(&w, xi)).collect();
        let next = weighted_ls(x, y, |i| {
            let side = if r[i] > 0.0 { tau } else { 1.0 - tau };
            side / r[i].abs().max(1e-4)
        })?;
        let moved = next
            .iter()
            .zip(&w)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        w = next;
        if moved < 1e-9 {
            break;
        }
    }
    Some(w)
}

/// Weighted least squares: solves (Xᵀ W X + εI) w = Xᵀ W y.
fn weighted_ls(
    x: &[[f64; FEATURES]],
    y: &[f64],
    weight: impl Fn(usize) -> f64,
) -> Option<[f64; FEATURES]> {
    let mut a = [[0.0; FEATURES + 1]; FEATURES];
    for (i, (xi, yi)) in x.iter().zip(y).enumerate() {
        let wi = weight(i);
        for r in 0..FEATURES {
            for c in 0..FEATURES {
                a[r][c] += wi * xi[r] * xi[c];
            }
            a[r][FEATURES] += wi * xi[r] * yi;
        }
    }
    for (r, row) in a.iter_mut().enumerate() {
        row[r] += 1e-9 * (1.0 + row[r].abs());
    }
    solve(a)
}

/// Gaussian elimination with partial pivoting on an augmented matrix.
fn solve(mut a: [[f64; FEATURES + 1]; FEATURES]) -> Option<[f64; FEATURES]> {
    for col in 0..FEATURES {
        let pivot = (col..FEATURES).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if !a[pivot][col].is_finite() || a[pivot][col].abs() < 1e-300 {
            return None;
        }
        a.swap(col, pivot);
        for r in col + 1..FEATURES {
            let k = a[r][col] / a[col][col];
            for c in col..=FEATURES {
                a[r][c] -= k * a[col][c];
            }
        }
    }
    let mut w = [0.0; FEATURES];
    for r in (0..FEATURES).rev() {
        let tail: f64 = (r + 1..FEATURES).map(|c| a[r][c] * w[c]).sum();
        w[r] = (a[r][FEATURES] - tail) / a[r][r];
    }
    w.iter().all(|v| v.is_finite()).then_some(w)
}

/// Fits every horizon of [`HORIZONS_H`] on `trees`; `None` if any cannot
/// be fitted.
pub fn fit_all<K, T: Borrow<Tree<K>>>(trees: &[T]) -> Option<Vec<Model>> {
    HORIZONS_H
        .iter()
        .map(|&h| fit(&samples(trees, h), h))
        .collect()
}

/// The shipped models: the fit on Twitter15's 1,490 trees
/// (`server cascade fit-prediction --format twitter15 PATH` prints this
/// table; a test checks it still does).
pub fn default_models() -> Vec<Model> {
    DEFAULTS
        .iter()
        .map(|&(horizon_h, coef)| Model { horizon_h, coef })
        .collect()
}

/// `(horizon in hours, coefficients per quantile)`, as printed by
/// `server cascade fit-prediction`.
#[rustfmt::skip]
const DEFAULTS: [(f64, [[f64; FEATURES]; 5]); 7] = include!("prediction_defaults.in");

/// Prints `models` as the table [`DEFAULTS`] is read from.
pub fn models_source(models: &[Model]) -> String {
    let mut s = String::from("[\n");
    for m in models {
        s.push_str(&format!("    ({:?}, [\n", m.horizon_h));
        for c in &m.coef {
            let c: Vec<String> = c.iter().map(|v| format!("{v:.9}")).collect();
            s.push_str(&format!("        [{}],\n", c.join(", ")));
        }
        s.push_str("    ]),\n");
    }
    s.push_str("]\n");
    s
}

/// Which parameters a forecast used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Params {
    /// The shipped fit on Twitter15.
    Defaults,
    /// A fit on this channel's own finished cascades.
    Own,
}

/// What can be said of a cascade's final size at a moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outlook {
    /// Nothing new for long enough: its size is final.
    Finished,
    /// Younger than the first horizon: too early to tell.
    TooEarly,
    /// Still growing: the forecast made at `horizon_h` hours.
    Growing { horizon_h: f64, forecast: Forecast },
}

/// Whether a cascade whose nodes arrived at `times` (seconds; the original
/// first) is finished at `now_s`: quiet for [`FINISHED_QUIET_S`] and for at
/// least as long as it was active (original to last arrival).
pub fn is_finished(times: &[f64], now_s: f64) -> bool {
    let Some(&t0) = times.first() else {
        return true;
    };
    let last = times.iter().copied().fold(t0, f64::max);
    let quiet = now_s - last;
    quiet >= FINISHED_QUIET_S && quiet >= last - t0
}

/// The outlook of `tree` at `now_s` (the same clock as its times): the
/// forecast of the latest horizon it has reached, its features read at that
/// horizon (where the model was fitted, so its intervals mean what they say).
pub fn outlook<K>(tree: &Tree<K>, now_s: f64, models: &[Model]) -> Outlook {
    if is_finished(&tree.time, now_s) {
        return Outlook::Finished;
    }
    let age_h = (now_s - tree.time.first().copied().unwrap_or(now_s)) / 3600.0;
    at_hour(tree, age_h, models).unwrap_or(Outlook::TooEarly)
}

/// What would have been predicted `hour` hours after the original (the
/// explorer's replay): the forecast of the latest horizon at or before it.
pub fn at_hour<K>(tree: &Tree<K>, hour: f64, models: &[Model]) -> Option<Outlook> {
    let model = models
        .iter()
        .filter(|m| m.horizon_h <= hour + 1e-9)
        .max_by(|a, b| a.horizon_h.total_cmp(&b.horizon_h))?;
    let f = features(tree, model.horizon_h * 3600.0);
    Some(Outlook::Growing {
        horizon_h: model.horizon_h,
        forecast: model.forecast(&f),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cascade::NONE;

    /// A star whose `n - 1` reposts arrive `spacing_s` apart.
    fn star(n: usize, spacing_s: f64) -> Tree<u32> {
        let parent: Vec<u32> = (0..n).map(|i| if i == 0 { NONE } else { 0 }).collect();
        let time = (0..n).map(|i| i as f64 * spacing_s).collect();
        Tree::from_parents((0..n as u32).collect(), &parent, time).unwrap()
    }

    #[test]
    fn features_read_size_speed_and_quiet() {
        // 31 nodes by 30 min (one a minute), 15 of them in the second half.
        let f = features(&star(500, 60.0), 1800.0);
        assert_eq!(f.observed, 31);
        assert!((f.x[1] - 31f64.ln()).abs() < 1e-12);
        assert!((f.x[2] - 15f64.ln_1p()).abs() < 1e-12);
        assert_eq!(f.x[3], 0.0);
        // All 10 nodes in the first minute of an hour: quiet for most of it.
        let f = features(&star(10, 6.0), 3600.0);
        assert_eq!(f.x[2], 0.0);
        assert!((f.x[3] - (3600.0 - 54.0) / 3600.0).abs() < 1e-12);
    }

    /// Trees that grow by a factor set by their speed: the fit finds it.
    #[test]
    fn the_fit_recovers_a_planted_growth_and_orders_its_quantiles() {
        let mut trees = Vec::new();
        for i in 0..120 {
            // The first hour holds 20..80 nodes; the tree ends 1.5–3× that.
            let early = 20 + (i % 61);
            let total = early * (3 + i % 4) / 2;
            let mut time: Vec<f64> = (0..early)
                .map(|k| k as f64 * 3600.0 / early as f64)
                .collect();
            time.extend((early..total).map(|k| 3700.0 + k as f64));
            let parent: Vec<u32> = (0..total).map(|k| if k == 0 { NONE } else { 0 }).collect();
            trees.push(Tree::from_parents((0..total as u32).collect(), &parent, time).unwrap());
        }
        let model = fit(&samples(&trees, 1.0), 1.0).expect("fits");
        for t in &trees {
            let f = model.forecast(&features(t, 3600.0));
            assert!(
                f.low95 <= f.low80
                    && f.low80 <= f.estimate
                    && f.estimate <= f.high80
                    && f.high80 <= f.high95
            );
            assert!(f.low95 >= f.observed as f64);
            let truth = t.len() as f64;
            assert!(
                f.low95 <= truth * 1.01 && truth <= f.high95 * 1.01,
                "{f:?} vs {truth}"
            );
        }
    }

    #[test]
    fn too_few_trees_are_not_fitted() {
        let trees: Vec<Tree<u32>> = (0..10).map(|_| star(60, 1.0)).collect();
        assert_eq!(fit(&samples(&trees, 1.0), 1.0), None);
    }

    #[test]
    fn finished_too_early_and_growing() {
        let models = default_models();
        assert_eq!(models.len(), HORIZONS_H.len());
        let t = star(100, 60.0); // active for 99 minutes
        assert_eq!(outlook(&t, 1800.0, &models), Outlook::TooEarly);
        match outlook(&t, 2.5 * 3600.0, &models) {
            Outlook::Growing {
                horizon_h,
                forecast,
            } => {
                assert_eq!(horizon_h, 2.0);
                assert_eq!(forecast.observed, 100);
                assert!(forecast.estimate.is_finite() && forecast.high95.is_finite());
                assert!(forecast.low95 >= 100.0 && forecast.estimate >= forecast.low95);
            }
            other => panic!("{other:?}"),
        }
        // Quiet for a day and longer than it was active: finished.
        assert_eq!(
            outlook(&t, 99.0 * 60.0 + 86_400.0, &models),
            Outlook::Finished
        );
        // Active for three days, quiet for one: still growing.
        let slow = star(100, 3.0 * 86_400.0 / 99.0);
        assert!(!is_finished(&slow.time, 4.0 * 86_400.0));
        // The replay picks the latest horizon reached.
        match at_hour(&t, 7.0, &models) {
            Some(Outlook::Growing { horizon_h, .. }) => assert_eq!(horizon_h, 6.0),
            other => panic!("{other:?}"),
        }
        assert_eq!(at_hour(&t, 0.5, &models), None);
    }

    #[test]
    fn the_default_table_reads_back_as_printed() {
        let models = default_models();
        let printed = models_source(&models);
        assert!(printed.starts_with("[\n    (1.0, [\n"), "{printed}");
        assert_eq!(printed.matches("    ]),\n").count(), HORIZONS_H.len());
    }
}
