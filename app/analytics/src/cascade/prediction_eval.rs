//! Honest evaluation of the final-size prediction: every model is fitted on
//! trees it is then not asked about — a training set, or k-fold
//! cross-validation — and judged beside two naive guesses:
//!
//! - `baseline_growth`: the observed size × the training trees' median
//!   growth ratio (intervals: the ratio's quantiles);
//! - `szabo_huberman`: `ln N = a + b ln n` by least squares (Szabo and
//!   Huberman, "Predicting the popularity of online content", 2010;
//!   intervals: the residuals' quantiles);
//! - `ours`: [`super::prediction`], what the product shows.

use super::build::Tree;
use super::prediction::{self, QUANTILES, Sample};

/// The models compared, in the order they are reported.
pub const MODELS: [&str; 3] = ["ours", "baseline_growth", "szabo_huberman"];

/// How one model did at one horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    pub horizon_h: f64,
    pub model: &'static str,
    pub trees: usize,
    /// Median absolute percentage error (a fraction).
    pub mdape: f64,
    /// Median of (estimate − truth) / truth: positive over-estimates.
    pub median_signed_error: f64,
    /// Share of true sizes inside the 80% and the 95% interval.
    pub coverage80: f64,
    pub coverage95: f64,
}

/// One model's estimate and its 95%, 80% bounds: `[low95, low80, estimate, high80, high95]`.
type Guess = [f64; 5];

fn quantile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let at = p * (sorted.len() - 1) as f64;
    let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo as f64)
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

/// Fits the three models on `train` and guesses every sample of `test`.
fn guesses(train: &[Sample], test: &[Sample], horizon_h: f64) -> Option<[Vec<Guess>; 3]> {
    let ours = prediction::fit(train, horizon_h)?;
    let ratios = sorted(
        train
            .iter()
            .map(|(f, n)| *n as f64 / f.observed as f64)
            .collect(),
    );
    // Szabo–Huberman: least squares of ln N on ln n.
    let (xs, ys): (Vec<f64>, Vec<f64>) = train
        .iter()
        .map(|(f, n)| ((f.observed as f64).ln(), (*n as f64).ln()))
        .unzip();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (mx, my) = (mean(&xs), mean(&ys));
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let b = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let a = my - b * mx;
    let residuals = sorted(xs.iter().zip(&ys).map(|(x, y)| y - (a + b * x)).collect());
    let mut out: [Vec<Guess>; 3] = Default::default();
    for (f, _) in test {
        let fc = ours.forecast(f);
        out[0].push([fc.low95, fc.low80, fc.estimate, fc.high80, fc.high95]);
        let n = f.observed as f64;
        out[1].push(QUANTILES.map(|q| n * quantile(&ratios, q)));
        let line = a + b * n.ln();
        out[2].push(QUANTILES.map(|q| (line + quantile(&residuals, q)).exp()));
    }
    Some(out)
}

fn score(horizon_h: f64, model: &'static str, guesses: &[Guess], truth: &[f64]) -> Scores {
    let ape = sorted(
        guesses
            .iter()
            .zip(truth)
            .map(|(g, n)| (g[2] - n).abs() / n)
            .collect(),
    );
    let signed = sorted(
        guesses
            .iter()
            .zip(truth)
            .map(|(g, n)| (g[2] - n) / n)
            .collect(),
    );
    let share = |inside: &dyn Fn(&Guess, f64) -> bool| {
        guesses
            .iter()
            .zip(truth)
            .filter(|(g, n)| inside(g, **n))
            .count() as f64
            / truth.len().max(1) as f64
    };
    Scores {
        horizon_h,
        model,
        trees: truth.len(),
        mdape: quantile(&ape, 0.5),
        median_signed_error: quantile(&signed, 0.5),
        coverage80: share(&|g, n| g[1] <= n && n <= g[3]),
        coverage95: share(&|g, n| g[0] <= n && n <= g[4]),
    }
}

fn scores(horizon_h: f64, guessed: [Vec<Guess>; 3], truth: &[f64]) -> Vec<Scores> {
    MODELS
        .iter()
        .zip(guessed)
        .map(|(m, g)| score(horizon_h, m, &g, truth))
        .collect()
}

/// Every model fitted on `train`, scored on `test` (trees of at least
/// [`prediction::MIN_TREE`] nodes), at `horizon_h`. `None` when `train` is
/// too small to fit.
pub fn train_and_test<K>(
    train: &[Tree<K>],
    test: &[Tree<K>],
    horizon_h: f64,
) -> Option<Vec<Scores>> {
    let train = prediction::samples(train, horizon_h);
    let test = prediction::samples(test, horizon_h);
    let truth: Vec<f64> = test.iter().map(|(_, n)| *n as f64).collect();
    Some(scores(
        horizon_h,
        guesses(&train, &test, horizon_h)?,
        &truth,
    ))
}

/// Every model scored by `k`-fold cross-validation over `trees`: tree `i`
/// (of those large enough) is in fold `i mod k`, and each fold is guessed
/// by models fitted on the others only.
pub fn cross_validate<K>(trees: &[Tree<K>], horizon_h: f64, k: usize) -> Option<Vec<Scores>> {
    let all = prediction::samples(trees, horizon_h);
    let k = k.max(2);
    let mut guessed: [Vec<Guess>; 3] = Default::default();
    let mut truth = Vec::with_capacity(all.len());
    for fold in 0..k {
        let in_fold = |i: usize| i % k == fold;
        let pick = |keep: bool| -> Vec<Sample> {
            (all.iter().enumerate())
                .filter(|(i, _)| in_fold(*i) == keep)
                .map(|(_, s)| *s)
                .collect()
        };
        let (test, train) = (pick(true), pick(false));
        if test.is_empty() {
            continue;
        }
        let g = guesses(&train, &test, horizon_h)?;
        for (all, fold) in guessed.iter_mut().zip(g) {
            all.extend(fold);
        }
        truth.extend(test.iter().map(|(_, n)| *n as f64));
    }
    Some(scores(horizon_h, guessed, &truth))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cascade::NONE;

    /// Stars whose growth after the first hour is set by their speed in it.
    fn corpus() -> Vec<Tree<u32>> {
        (0..200)
            .map(|i| {
                let early = 50 + (i * 7) % 61;
                let fast = i % 2 == 0;
                let total = if fast { early * 3 } else { early + early / 10 };
                let mut time: Vec<f64> = (0..early)
                    .map(|k| {
                        let share = k as f64 / early as f64;
                        // Fast ones are still arriving at the end of the hour.
                        if fast { share * 3600.0 } else { share * 600.0 }
                    })
                    .collect();
                time.extend((early..total).map(|k| 4000.0 + k as f64 * 10.0));
                let parent: Vec<u32> = (0..total).map(|k| if k == 0 { NONE } else { 0 }).collect();
                Tree::from_parents((0..total as u32).collect(), &parent, time).unwrap()
            })
            .collect()
    }

    #[test]
    fn a_model_that_reads_speed_beats_the_naive_guesses_out_of_sample() {
        let s = cross_validate(&corpus(), 1.0, 5).unwrap();
        assert_eq!(s.iter().map(|s| s.model).collect::<Vec<_>>(), MODELS);
        assert!(s.iter().all(|s| s.trees == 200));
        let (ours, base, sh) = (&s[0], &s[1], &s[2]);
        assert!(ours.mdape < 0.05, "{ours:?}");
        assert!(ours.mdape < base.mdape && ours.mdape < sh.mdape, "{s:?}");
        assert!(
            ours.coverage95 >= 0.85 && ours.coverage80 >= 0.7,
            "{ours:?}"
        );
    }

    #[test]
    fn training_and_test_sets_are_kept_apart() {
        let trees = corpus();
        let (train, test) = trees.split_at(150);
        let s = train_and_test(train, test, 1.0).unwrap();
        assert!(s.iter().all(|s| s.trees == 50));
        assert_eq!(train_and_test(&train[..5], test, 1.0), None);
    }

    #[test]
    fn quantiles_interpolate() {
        assert_eq!(quantile(&[1.0, 2.0, 3.0], 0.5), 2.0);
        assert_eq!(quantile(&[1.0, 3.0], 0.5), 2.0);
        assert!(quantile(&[], 0.5).is_nan());
    }
}
