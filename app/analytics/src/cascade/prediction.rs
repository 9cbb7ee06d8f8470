//! Popularity prediction in the style of SEISMIC (Zhao, Erdogdu, He,
//! Rajaraman, Leskovec, KDD 2015): reposts as a self-exciting point process
//! whose memory kernel is the power law measured on Twitter, used to
//! estimate how many reposts a cascade will end with from what has been seen
//! by an observation time.
//!
//! Kernel φ(s) = c for s ≤ s0 = 5 min, c (s/s0)^-(1+θ) after, θ = 0.242,
//! with c making ∫φ = 1; Φ(s) = ∫₀ˢ φ is the share of a post's eventual
//! reposts that have arrived s after it was posted.
//!
//! Two variants:
//! - [`with_followers`]: SEISMIC proper. Infectiousness p = R / Σ nᵢ Φ(T − tᵢ)
//!   (nᵢ = followers); the remaining exposures Σ nᵢ (1 − Φ) each yield p
//!   reposts, and every new repost reaches n* more followers (the mean
//!   follower count of the reposters seen), so the total is
//!   R + p Σ nᵢ (1 − Φ) / (1 − p n*).
//! - [`constant_degree`]: where follower counts are absent, every reposter is
//!   given the same degree, so p n* becomes the mean number of reposts per
//!   reposter, m = (reposts of reposts) / Σ_{reposters} Φ(T − tᵢ). The
//!   original is not a repost (its audience is of another order), so its own
//!   remaining reposts are extrapolated separately from its observed ones:
//!   r₀ (1 − Φ₀) / Φ₀. Then total = R + (r₀ (1 − Φ₀)/Φ₀ + m Σ (1 − Φ)) / (1 − m).
//!
//! Intervals: the observed counts are treated as Poisson, their 95% bounds
//! (±1.96 √count) are pushed through the same formula. A process with a
//! branching factor at or above 1 has no finite expected size: the point
//! estimate then uses a factor capped at [`MAX_BRANCHING`], the upper bound
//! is infinite, and the prediction says `supercritical`.

use super::build::Tree;

/// Kernel constants from the SEISMIC paper.
pub const S0_SECONDS: f64 = 300.0;
pub const THETA: f64 = 0.242;
/// The branching factor used for a point estimate when the estimate is ≥ 1.
pub const MAX_BRANCHING: f64 = 0.9;

/// Φ(s): the share of a post's reposts that arrive within `s` seconds.
pub fn kernel_cdf(s: f64) -> f64 {
    let c = 1.0 / (S0_SECONDS * (1.0 + 1.0 / THETA));
    if s <= 0.0 {
        0.0
    } else if s <= S0_SECONDS {
        c * s
    } else {
        1.0 - (c * S0_SECONDS / THETA) * (s / S0_SECONDS).powf(-THETA)
    }
}

/// A final-size estimate, in nodes (the original included).
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Nodes seen by the observation time.
    pub observed: u64,
    pub estimate: f64,
    /// 95% interval; `high` is infinite when the upper branching bound is ≥ 1.
    pub low: f64,
    pub high: f64,
    /// The estimated branching factor reached 1.
    pub supercritical: bool,
}

/// Which nodes had been seen by `observe_s` after the original: a node and
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

impl Prediction {
    /// A prediction whose interval holds the estimate and starts no lower
    /// than what was already observed.
    fn bounded(
        observed: u64,
        estimate: f64,
        low: f64,
        high: f64,
        supercritical: bool,
    ) -> Prediction {
        let low = low.max(observed as f64).min(estimate);
        Prediction {
            observed,
            estimate,
            low,
            high: high.max(estimate),
            supercritical,
        }
    }
}

fn poisson_bounds(count: f64) -> (f64, f64) {
    let half = 1.96 * count.sqrt();
    ((count - half).max(0.0), count + half)
}

/// Total from observed reposts `r`, remaining root reposts `root_rest`, the
/// reposters' remaining mass `rest` and branching factor `m`.
fn total(observed: u64, root_rest: f64, rest_mass: f64, m: f64) -> (f64, bool) {
    if m >= 1.0 {
        return (f64::INFINITY, true);
    }
    (
        observed as f64 + (root_rest + m * rest_mass) / (1.0 - m),
        false,
    )
}

/// The constant-degree variant (times in seconds; see the module doc).
pub fn constant_degree<K>(tree: &Tree<K>, observe_s: f64) -> Prediction {
    let seen = observed_nodes(tree, observe_s);
    let observed = seen.iter().filter(|s| **s).count() as u64;
    let t_obs = tree.time.first().copied().unwrap_or(0.0) + observe_s;
    let root_phi = kernel_cdf(observe_s).max(1e-9);
    let mut root_children = 0f64;
    let mut child_of_reposters = 0f64;
    let (mut exposure, mut rest) = (0f64, 0f64);
    for v in 1..tree.len() {
        if !seen[v] {
            continue;
        }
        if tree.parent[v] == 0 {
            root_children += 1.0;
        } else {
            child_of_reposters += 1.0;
        }
        let phi = kernel_cdf(t_obs - tree.time[v]);
        exposure += phi;
        rest += 1.0 - phi;
    }
    let branching = |children: f64| {
        if exposure > 0.0 {
            children / exposure
        } else {
            0.0
        }
    };
    let root_rest = |r0: f64| r0 * (1.0 - root_phi) / root_phi;
    let m = branching(child_of_reposters);
    let (estimate, supercritical) = match total(observed, root_rest(root_children), rest, m) {
        (e, false) => (e, false),
        (_, true) => (
            total(observed, root_rest(root_children), rest, MAX_BRANCHING).0,
            true,
        ),
    };
    let (r0_lo, r0_hi) = poisson_bounds(root_children);
    let (c_lo, c_hi) = poisson_bounds(child_of_reposters);
    let low = total(observed, root_rest(r0_lo), rest, branching(c_lo)).0;
    let high = total(observed, root_rest(r0_hi), rest, branching(c_hi)).0;
    Prediction::bounded(observed, estimate, low, high, supercritical)
}

/// SEISMIC proper, with each node's follower count (times in seconds).
pub fn with_followers<K>(tree: &Tree<K>, followers: &[u64], observe_s: f64) -> Prediction {
    let seen = observed_nodes(tree, observe_s);
    let observed = seen.iter().filter(|s| **s).count() as u64;
    let t_obs = tree.time.first().copied().unwrap_or(0.0) + observe_s;
    let (mut exposure, mut rest, mut reposter_followers) = (0f64, 0f64, 0f64);
    for v in 0..tree.len() {
        if !seen[v] {
            continue;
        }
        let n_i = followers.get(v).copied().unwrap_or(0).max(1) as f64;
        let phi = kernel_cdf(t_obs - tree.time[v]);
        exposure += n_i * phi;
        rest += n_i * (1.0 - phi);
        if v > 0 {
            reposter_followers += n_i;
        }
    }
    let reposts = observed.saturating_sub(1) as f64;
    let n_star = if reposts > 0.0 {
        reposter_followers / reposts
    } else {
        1.0
    };
    let at = |r: f64| {
        let p = if exposure > 0.0 { r / exposure } else { 0.0 };
        // A new repost's p·n* new reposts play the role of m above.
        total(observed, p * rest, 0.0, p * n_star)
    };
    let (estimate, supercritical) = match at(reposts) {
        (e, false) => (e, false),
        (_, true) => {
            let p = MAX_BRANCHING / n_star;
            (total(observed, p * rest, 0.0, MAX_BRANCHING).0, true)
        }
    };
    let (r_lo, r_hi) = poisson_bounds(reposts);
    Prediction::bounded(observed, estimate, at(r_lo).0, at(r_hi).0, supercritical)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cascade::NONE;

    #[test]
    fn kernel_is_a_distribution() {
        assert_eq!(kernel_cdf(0.0), 0.0);
        let at_s0 = kernel_cdf(S0_SECONDS);
        assert!((at_s0 - THETA / (1.0 + THETA)).abs() < 1e-12);
        assert!(
            (kernel_cdf(S0_SECONDS + 1e-9) - at_s0).abs() < 1e-9,
            "continuous at s0"
        );
        assert!(kernel_cdf(3600.0) < kernel_cdf(6.0 * 3600.0));
        assert!(kernel_cdf(1e12) > 0.99);
    }

    fn star_over_time(n: usize, spacing_s: f64) -> Tree<u32> {
        let parent: Vec<u32> = (0..n).map(|i| if i == 0 { NONE } else { 0 }).collect();
        let time = (0..n).map(|i| i as f64 * spacing_s).collect();
        Tree::from_parents((0..n as u32).collect(), &parent, time).unwrap()
    }

    #[test]
    fn a_finished_cascade_is_predicted_near_its_size() {
        // All 200 reposts in the first minutes of a one-day observation.
        let t = star_over_time(201, 1.0);
        let p = constant_degree(&t, 86_400.0);
        assert_eq!(p.observed, 201);
        assert!(p.estimate >= 201.0 && p.estimate < 201.0 * 1.5, "{p:?}");
        assert!(p.low <= p.estimate && p.estimate <= p.high);
        let f = with_followers(&t, &vec![100; 201], 86_400.0);
        assert!(f.estimate >= 201.0, "{f:?}");
    }

    #[test]
    fn early_observation_extrapolates_and_widens() {
        let t = star_over_time(500, 60.0);
        let early = constant_degree(&t, 1800.0);
        assert_eq!(early.observed, 31);
        assert!(early.estimate > 31.0);
        assert!(early.high > early.estimate && early.low < early.estimate);
    }
}

/// How the constant-degree prediction did on a corpus at one observation time.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub observe_s: f64,
    pub trees: usize,
    /// Median absolute percentage error of the estimate (0.15 = 15%).
    pub mdape: f64,
    /// Share of true sizes inside the 95% interval.
    pub coverage: f64,
    /// The naive baseline: observed × the corpus-median growth ratio.
    pub baseline_ratio: f64,
    pub baseline_mdape: f64,
    /// Share of trees where the estimate's error is below the baseline's.
    pub wins: f64,
    pub supercritical: usize,
}

fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

/// Evaluates [`constant_degree`] on finished trees (times in seconds),
/// observing each for `observe_s`; the true size is each tree's node count.
pub fn evaluate<K>(trees: &[Tree<K>], observe_s: f64) -> Evaluation {
    let preds: Vec<Prediction> = trees
        .iter()
        .map(|t| constant_degree(t, observe_s))
        .collect();
    let mut ratios: Vec<f64> = trees
        .iter()
        .zip(&preds)
        .map(|(t, p)| t.len() as f64 / p.observed as f64)
        .collect();
    let baseline_ratio = median(&mut ratios);
    let mut ape = Vec::with_capacity(trees.len());
    let mut base_ape = Vec::with_capacity(trees.len());
    let (mut covered, mut wins) = (0usize, 0usize);
    for (t, p) in trees.iter().zip(&preds) {
        let n = t.len() as f64;
        let e = (p.estimate - n).abs() / n;
        let b = (p.observed as f64 * baseline_ratio - n).abs() / n;
        covered += usize::from(p.low <= n && n <= p.high);
        wins += usize::from(e < b);
        ape.push(e);
        base_ape.push(b);
    }
    let count = trees.len().max(1) as f64;
    Evaluation {
        observe_s,
        trees: trees.len(),
        mdape: median(&mut ape),
        coverage: covered as f64 / count,
        baseline_ratio,
        baseline_mdape: median(&mut base_ape),
        wins: wins as f64 / count,
        supercritical: preds.iter().filter(|p| p.supercritical).count(),
    }
}

/// Median signed percentage error of [`constant_degree`] (positive: over-estimates).
pub fn median_bias<K>(trees: &[Tree<K>], observe_s: f64) -> f64 {
    let mut signed: Vec<f64> = trees
        .iter()
        .map(|t| {
            let n = t.len() as f64;
            (constant_degree(t, observe_s).estimate - n) / n
        })
        .collect();
    median(&mut signed)
}
