//! Generated cascades with planted paid-poster bursts, for measuring the
//! amplification detector (and nothing else: the product never plants).
//!
//! Organic cascades come from the branching process of `synth`, with
//! account features drawn like real populations: heavy-tailed followers,
//! and a realistic minority of genuinely low-quality organic accounts (new
//! or inactive users), so precision is tested against honest noise. Bursts
//! are 8–250 reposts within 5–90 seconds under a random node, 85% of them by
//! low-quality accounts: some are below the detector's minimum on purpose.

use super::amplification::AccountFeatures;
use super::build::Tree;
use crate::rng::Rng;
use crate::synth::{self, CascadeShape};

/// One generated case.
#[derive(Debug, Clone)]
pub struct Case {
    pub tree: Tree<u32>,
    pub features: Vec<AccountFeatures>,
    /// True for planted reposts.
    pub planted: Vec<bool>,
    /// The planted bursts, as node lists.
    pub bursts: Vec<Vec<u32>>,
}

fn organic_account(rng: &mut Rng) -> AccountFeatures {
    if rng.chance(0.08) {
        // A genuine but weak account: new, or inactive.
        return AccountFeatures {
            followers: rng.below(15),
            following: rng.below(400),
            posts: rng.below(5),
            age_days: Some(rng.below(60) as f64),
        };
    }
    AccountFeatures {
        followers: rng.lognormal(150.0, 1.5).min(5e6) as u64,
        following: rng.lognormal(300.0, 0.8).min(5e3) as u64,
        posts: rng.lognormal(200.0, 1.2).clamp(1.0, 1e5) as u64,
        age_days: Some(60.0 + rng.below(3000) as f64),
    }
}

fn paid_account(rng: &mut Rng) -> AccountFeatures {
    if rng.chance(0.15) {
        // Bought "aged" accounts that pass as real.
        return organic_account(rng);
    }
    AccountFeatures {
        followers: rng.below(8),
        following: 600 + rng.below(2500),
        posts: rng.below(4),
        age_days: Some(rng.below(40) as f64),
    }
}

/// One organic cascade with, a third of the time, one or two planted bursts.
pub fn cascade_with_bursts(rng: &mut Rng) -> Case {
    let viral = rng.chance(0.1);
    let shape = CascadeShape {
        root_children_mean: 5.0 + rng.f64() * if viral { 80.0 } else { 200.0 },
        offspring_mean: if viral {
            0.9 + rng.f64() * 0.12
        } else {
            0.05 + rng.f64() * 0.4
        },
        max_nodes: 20_000,
        delay_median_s: 900.0 + rng.f64() * 3000.0,
        delay_sigma: 1.4,
    };
    let base = synth::branching_cascade(rng, &shape);
    let mut parent = base.parent.clone();
    let mut time: Vec<f64> = base.offset_s.iter().map(|&t| f64::from(t)).collect();
    let mut features: Vec<AccountFeatures> =
        (0..base.len()).map(|_| organic_account(rng)).collect();
    let mut planted = vec![false; base.len()];
    let mut bursts = Vec::new();
    let plants = if rng.chance(0.33) {
        1 + rng.below(2) as usize
    } else {
        0
    };
    for _ in 0..plants {
        let target = rng.below(base.len() as u64) as usize;
        let size = (8.0 * (250.0f64 / 8.0).powf(rng.f64())) as usize;
        let span = 5.0 + rng.f64() * 85.0;
        let start = time[target] + 60.0 + rng.exponential(3.0 * 3600.0);
        let mut burst = Vec::with_capacity(size);
        for _ in 0..size {
            burst.push(parent.len() as u32);
            parent.push(target as u32);
            time.push(start + rng.f64() * span);
            features.push(paid_account(rng));
            planted.push(true);
        }
        bursts.push(burst);
    }
    // Planted nodes were appended, so parents still precede children; the
    // tree is renumbered breadth-first, and the labels follow the ids.
    let n = parent.len();
    let tree = Tree::from_parents((0..n as u32).collect(), &parent, time).expect("small tree");
    let mut new_index = vec![0u32; n];
    for (v, &id) in tree.ids.iter().enumerate() {
        new_index[id as usize] = v as u32;
    }
    let mut f2 = vec![AccountFeatures::default(); n];
    let mut p2 = vec![false; n];
    for old in 0..n {
        f2[new_index[old] as usize] = features[old];
        p2[new_index[old] as usize] = planted[old];
    }
    let bursts = bursts
        .into_iter()
        .map(|b| b.into_iter().map(|v| new_index[v as usize]).collect())
        .collect();
    Case {
        tree,
        features: f2,
        planted: p2,
        bursts,
    }
}
