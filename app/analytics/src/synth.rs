//! Synthetic propagation trees from a branching (Galton–Watson) process, for
//! the demo workspace, tests and benchmarks.
//!
//! Real cascades are mostly shallow broadcasts (one account, many direct
//! reposts, few second hops) with a rare deep viral chain; a branching process
//! with a large root out-degree and a per-node offspring mean well below one
//! gives the first, a mean near one the second. Generation is iterative
//! (breadth-first), so a 10^6-node tree needs no deep stack.

use crate::rng::Rng;

/// Marks the root in [`SynthCascade::parent`].
pub const NO_PARENT: u32 = u32::MAX;

/// The parameters of one generated cascade.
#[derive(Debug, Clone, PartialEq)]
pub struct CascadeShape {
    /// Mean number of direct reposts of the original post (geometric).
    pub root_children_mean: f64,
    /// Mean number of reposts of each repost (geometric); near 1 for viral chains.
    pub offspring_mean: f64,
    /// The tree stops growing at this many nodes (root included).
    pub max_nodes: usize,
    /// Median delay between a post and a repost of it, seconds (log-normal).
    pub delay_median_s: f64,
    /// Log-scale spread of that delay.
    pub delay_sigma: f64,
}

/// A generated tree in breadth-first order: node 0 is the root, every parent
/// precedes its children, and a child is never earlier than its parent.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthCascade {
    pub parent: Vec<u32>,
    /// Seconds after the original post.
    pub offset_s: Vec<u32>,
    /// Hops from the root.
    pub level: Vec<u32>,
}

impl SynthCascade {
    pub fn len(&self) -> usize {
        self.parent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    /// The largest level.
    pub fn depth(&self) -> u32 {
        self.level.iter().copied().max().unwrap_or(0)
    }
}

/// Grows one cascade breadth-first until it dies out or reaches `max_nodes`.
pub fn branching_cascade(rng: &mut Rng, shape: &CascadeShape) -> SynthCascade {
    let max = shape.max_nodes.max(1);
    let mut tree = SynthCascade {
        parent: vec![NO_PARENT],
        offset_s: vec![0],
        level: vec![0],
    };
    let mut next = 0usize;
    while next < tree.len() && tree.len() < max {
        let mean = if next == 0 {
            shape.root_children_mean
        } else {
            shape.offspring_mean
        };
        let children = rng.geometric(mean);
        for _ in 0..children {
            if tree.len() >= max {
                break;
            }
            let delay = rng
                .lognormal(shape.delay_median_s, shape.delay_sigma)
                .clamp(1.0, 30.0 * 86_400.0);
            let at = (f64::from(tree.offset_s[next]) + delay).min(f64::from(u32::MAX - 1)) as u32;
            tree.parent.push(next as u32);
            tree.offset_s.push(at);
            tree.level.push(tree.level[next] + 1);
        }
        next += 1;
    }
    tree
}

/// Like [`branching_cascade`], but redraws (deterministically) until the tree
/// has at least `min_nodes`, for planting a viral cascade of a known scale.
/// Gives up after 64 draws and returns the largest one seen.
pub fn branching_cascade_at_least(
    rng: &mut Rng,
    shape: &CascadeShape,
    min_nodes: usize,
) -> SynthCascade {
    let mut best = branching_cascade(rng, shape);
    for _ in 0..64 {
        if best.len() >= min_nodes {
            break;
        }
        let next = branching_cascade(rng, shape);
        if next.len() > best.len() {
            best = next;
        }
    }
    best
}

/// A uniformly random recursive tree: node `i` picks its parent among the
/// nodes before it. Parents precede children, as `Tree::from_parents` wants.
pub fn random_recursive_tree(rng: &mut Rng, n: usize) -> Vec<u32> {
    (0..n)
        .map(|i| {
            if i == 0 {
                NO_PARENT
            } else {
                rng.below(i as u64) as u32
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn broadcast() -> CascadeShape {
        CascadeShape {
            root_children_mean: 40.0,
            offspring_mean: 0.15,
            max_nodes: 10_000,
            delay_median_s: 1800.0,
            delay_sigma: 1.2,
        }
    }

    #[test]
    fn trees_are_breadth_first_and_causal() {
        let mut rng = Rng::new(1);
        for _ in 0..50 {
            let t = branching_cascade(&mut rng, &broadcast());
            assert_eq!(t.parent[0], NO_PARENT);
            for v in 1..t.len() {
                let p = t.parent[v] as usize;
                assert!(p < v);
                assert!(t.offset_s[p] <= t.offset_s[v]);
                assert_eq!(t.level[v], t.level[p] + 1);
            }
        }
    }

    #[test]
    fn broadcasts_are_shallow_and_viral_chains_deep() {
        let mut rng = Rng::new(2);
        let shallow: Vec<u32> = (0..200)
            .map(|_| branching_cascade(&mut rng, &broadcast()).depth())
            .collect();
        let share_shallow = shallow.iter().filter(|d| **d <= 3).count() as f64 / 200.0;
        assert!(share_shallow > 0.8, "{share_shallow}");
        let viral = CascadeShape {
            root_children_mean: 30.0,
            offspring_mean: 1.02,
            max_nodes: 20_000,
            ..broadcast()
        };
        let t = branching_cascade_at_least(&mut rng, &viral, 15_000);
        assert!(t.len() >= 15_000 && t.len() <= 20_000, "{}", t.len());
        assert!(t.depth() >= 15, "{}", t.depth());
    }

    #[test]
    fn a_million_node_tree_needs_no_deep_stack() {
        let mut rng = Rng::new(3);
        let chain = CascadeShape {
            root_children_mean: 1.0,
            offspring_mean: 1.0,
            max_nodes: 1_000_000,
            ..broadcast()
        };
        let t = branching_cascade_at_least(&mut rng, &chain, 1);
        assert!(t.len() <= 1_000_000);
    }
}
