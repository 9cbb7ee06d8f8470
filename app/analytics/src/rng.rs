//! A small deterministic random number generator (SplitMix64) and the
//! distributions the synthetic data needs. Deterministic across platforms and
//! releases, unlike a library RNG whose streams may change between versions:
//! the demo workspace and the benchmark inputs must be the same everywhere.

/// SplitMix64 (Steele, Lea, Flood 2014): fast, 64-bit state, passes BigCrush.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    /// An independent stream for a sub-task, so adding draws to one part of a
    /// generator does not change the others.
    pub fn fork(&mut self, label: u64) -> Rng {
        Rng::new(self.next_u64() ^ label.wrapping_mul(0x9e37_79b9_7f4a_7c15))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [0, n); `n` must be positive.
    pub fn below(&mut self, n: u64) -> u64 {
        // Lemire's multiply-shift; the tiny bias is irrelevant for synthetic data.
        ((u128::from(self.next_u64()) * u128::from(n.max(1))) >> 64) as u64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// Exponential with the given mean.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.f64()).ln()
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.f64();
        let u2 = self.f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Log-normal with the given median and log-scale spread.
    pub fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * (sigma * self.normal()).exp()
    }

    /// Pareto with scale `x_min` and tail index `alpha` (heavy-tailed for small alpha).
    pub fn pareto(&mut self, x_min: f64, alpha: f64) -> f64 {
        x_min / (1.0 - self.f64()).powf(1.0 / alpha)
    }

    /// Geometric count of failures before a success, with the given mean.
    pub fn geometric(&mut self, mean: f64) -> u64 {
        if mean <= 0.0 {
            return 0;
        }
        let p = 1.0 / (1.0 + mean);
        ((1.0 - self.f64()).ln() / (1.0 - p).ln()).floor() as u64
    }

    /// Poisson with the given mean (Knuth for small means, a rounded normal
    /// approximation above 30).
    pub fn poisson(&mut self, mean: f64) -> u64 {
        if mean <= 0.0 {
            return 0;
        }
        if mean > 30.0 {
            return (mean + mean.sqrt() * self.normal()).round().max(0.0) as u64;
        }
        let limit = (-mean).exp();
        let mut k = 0;
        let mut prod = self.f64();
        while prod > limit {
            k += 1;
            prod *= self.f64();
        }
        k
    }

    /// Zipf-like skewed index in [0, n): small indices are drawn far more often.
    pub fn skewed_index(&mut self, n: u64, skew: f64) -> u64 {
        let u = self.f64().powf(skew);
        ((u * n as f64) as u64).min(n.saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let a: Vec<u64> = (0..5)
            .scan(Rng::new(7), |r, _| Some(r.next_u64()))
            .collect();
        let b: Vec<u64> = (0..5)
            .scan(Rng::new(7), |r, _| Some(r.next_u64()))
            .collect();
        assert_eq!(a, b);
        // The published first output of SplitMix64 seeded with 0.
        assert_eq!(Rng::new(0).next_u64(), 0xe220_a839_7b1d_cdaf);
    }

    #[test]
    fn distribution_means_are_close() {
        let mut r = Rng::new(42);
        let n = 200_000;
        let mean = |f: &mut dyn FnMut(&mut Rng) -> f64, r: &mut Rng| {
            (0..n).map(|_| f(r)).sum::<f64>() / n as f64
        };
        assert!((mean(&mut |r| r.f64(), &mut r) - 0.5).abs() < 0.01);
        assert!((mean(&mut |r| r.exponential(3.0), &mut r) - 3.0).abs() < 0.05);
        assert!((mean(&mut |r| r.geometric(2.0) as f64, &mut r) - 2.0).abs() < 0.05);
        assert!((mean(&mut |r| r.poisson(4.0) as f64, &mut r) - 4.0).abs() < 0.05);
        assert!((mean(&mut |r| r.poisson(80.0) as f64, &mut r) - 80.0).abs() < 0.2);
        assert!((mean(&mut |r| r.normal(), &mut r)).abs() < 0.01);
        assert!(mean(&mut |r| r.below(10) as f64, &mut r) < 4.6);
    }
}
