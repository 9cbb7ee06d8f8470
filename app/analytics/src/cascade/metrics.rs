//! Cascade metrics. Definitions: `shared/DOMAIN.md` and the Twitter15 README.
//! Each is one or two linear passes over the breadth-first node order
//! (children after parents, so a reverse pass sees every child before its
//! parent): no recursion, no per-node allocation.

use super::build::Tree;

/// The headline metrics, with the columns of Twitter15's `reference_metrics.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct CascadeMetrics {
    /// Nodes, root included.
    pub n: u64,
    /// Largest level.
    pub depth: u32,
    /// Largest number of nodes on one level d >= 1 (0 for a lone root).
    pub max_breadth: u64,
    /// Smallest level with `max_breadth` nodes (0 for a lone root).
    pub max_breadth_depth: u32,
    pub root_outdeg: u64,
    pub max_outdeg: u64,
    /// Nodes without children.
    pub leaves: u64,
    /// Sum of distances over unordered node pairs.
    pub wiener: u128,
    /// Mean pairwise distance, `wiener / C(n, 2)`; `None` for n = 1.
    pub structural_virality: Option<f64>,
    pub t_min: f64,
    pub t50: f64,
    pub t90: f64,
    pub t_max: f64,
}

impl<K> Tree<K> {
    /// Size of each node's subtree (itself included).
    pub fn subtree_sizes(&self) -> Vec<u64> {
        let mut size = vec![1u64; self.len()];
        for v in (1..self.len()).rev() {
            size[self.parent[v] as usize] += size[v];
        }
        size
    }

    /// Number of nodes on each level, level 0 (the root) first.
    pub fn breadth_per_level(&self) -> Vec<u64> {
        let depth = self.level.last().copied().unwrap_or(0) as usize;
        let mut breadth = vec![0u64; depth + 1];
        for &l in &self.level {
            breadth[l as usize] += 1;
        }
        breadth
    }

    /// Number of direct children of `v`.
    pub fn out_degree(&self, v: usize) -> u64 {
        u64::from(self.first_child[v + 1] - self.first_child[v])
    }

    /// Each node's contribution: its subtree's share of the cascade.
    pub fn contributions(&self) -> Vec<f64> {
        let n = self.len() as f64;
        self.subtree_sizes()
            .into_iter()
            .map(|s| s as f64 / n)
            .collect()
    }

    /// Node times sorted ascending.
    pub fn sorted_times(&self) -> Vec<f64> {
        let mut t = self.time.clone();
        t.sort_by(f64::total_cmp);
        t
    }

    /// The headline metrics.
    pub fn metrics(&self) -> CascadeMetrics {
        let n = self.len();
        let sizes = self.subtree_sizes();
        let wiener = wiener_from_sizes(&sizes);
        let breadth = self.breadth_per_level();
        let (mut max_breadth, mut max_breadth_depth) = (0u64, 0u32);
        for (d, &b) in breadth.iter().enumerate().skip(1) {
            if b > max_breadth {
                max_breadth = b;
                max_breadth_depth = d as u32;
            }
        }
        let mut max_outdeg = 0;
        let mut leaves = 0;
        for v in 0..n {
            let d = self.out_degree(v);
            max_outdeg = max_outdeg.max(d);
            if d == 0 {
                leaves += 1;
            }
        }
        let t = self.sorted_times();
        CascadeMetrics {
            n: n as u64,
            depth: breadth.len().saturating_sub(1) as u32,
            max_breadth,
            max_breadth_depth,
            root_outdeg: if n > 0 { self.out_degree(0) } else { 0 },
            max_outdeg,
            leaves,
            wiener,
            structural_virality: structural_virality(wiener, n as u64),
            t_min: t.first().copied().unwrap_or(0.0),
            t50: quantile_time(&t, 0.5),
            t90: quantile_time(&t, 0.9),
            t_max: t.last().copied().unwrap_or(0.0),
        }
    }

    /// The time by which `k` nodes (root included) had arrived, if ever.
    pub fn time_to_nodes(&self, k: usize) -> Option<f64> {
        if k == 0 {
            return self.sorted_times().first().copied();
        }
        self.sorted_times().get(k - 1).copied()
    }

    /// The earliest time of a node at level `d`, if the cascade got that deep.
    pub fn time_to_depth(&self, d: u32) -> Option<f64> {
        self.level
            .iter()
            .zip(&self.time)
            .filter(|(l, _)| **l == d)
            .map(|(_, t)| *t)
            .min_by(f64::total_cmp)
    }

    /// Cumulative node count at each of `buckets` evenly spaced times from
    /// the first to the last arrival: `(time, nodes so far)`.
    pub fn growth_curve(&self, buckets: usize) -> Vec<(f64, u64)> {
        let t = self.sorted_times();
        let (Some(&first), Some(&last)) = (t.first(), t.last()) else {
            return Vec::new();
        };
        let buckets = buckets.max(1);
        let mut out = Vec::with_capacity(buckets);
        let mut i = 0;
        for b in 1..=buckets {
            let at = if b == buckets {
                last
            } else {
                first + (last - first) * b as f64 / buckets as f64
            };
            while i < t.len() && t[i] <= at {
                i += 1;
            }
            out.push((at, i as u64));
        }
        out
    }

    /// Structural virality and depth of the prefix tree at each of `buckets`
    /// evenly spaced times. A node belongs to the prefix at time T when it and
    /// all its ancestors had arrived by T (a repost timed before its parent
    /// waits for the parent), so every prefix is a tree.
    pub fn virality_over_time(&self, buckets: usize) -> Vec<PrefixPoint> {
        let n = self.len();
        if n == 0 {
            return Vec::new();
        }
        // Effective arrival: the latest time on the path from the root.
        let mut arrive = self.time.clone();
        for v in 1..n {
            let p = self.parent[v] as usize;
            if arrive[v] < arrive[p] {
                arrive[v] = arrive[p];
            }
        }
        let first = arrive[0];
        let last = arrive.iter().copied().fold(first, f64::max);
        let buckets = buckets.max(1);
        let mut size = vec![0u64; n];
        (1..=buckets)
            .map(|b| {
                let at = if b == buckets {
                    last
                } else {
                    first + (last - first) * b as f64 / buckets as f64
                };
                size.iter_mut().for_each(|s| *s = 0);
                let mut count = 0u64;
                let mut depth = 0u32;
                for v in 0..n {
                    if arrive[v] <= at {
                        size[v] = 1;
                        count += 1;
                        depth = depth.max(self.level[v]);
                    }
                }
                let mut wiener = 0u128;
                for v in (1..n).rev() {
                    if size[v] > 0 {
                        wiener += u128::from(size[v]) * u128::from(count - size[v]);
                        size[self.parent[v] as usize] += size[v];
                    }
                }
                PrefixPoint {
                    time: at,
                    nodes: count,
                    depth,
                    structural_virality: structural_virality(wiener, count),
                }
            })
            .collect()
    }

    /// Nodes ranked by a score, largest first, ties by node index; at most `top`.
    fn ranked(&self, score: &[f64], top: usize) -> Vec<Spreader> {
        let sizes = self.subtree_sizes();
        let n = self.len() as f64;
        let mut order: Vec<usize> = (1..self.len()).collect();
        order.sort_by(|&a, &b| score[b].total_cmp(&score[a]).then(a.cmp(&b)));
        order
            .into_iter()
            .take(top)
            .map(|v| Spreader {
                node: v as u32,
                subtree: sizes[v],
                children: self.out_degree(v),
                contribution: sizes[v] as f64 / n,
                score: score[v],
            })
            .collect()
    }

    /// Reposters ranked by subtree size (the root is excluded: it is the original).
    pub fn spreaders_by_subtree(&self, top: usize) -> Vec<Spreader> {
        let score: Vec<f64> = self.subtree_sizes().into_iter().map(|s| s as f64).collect();
        self.ranked(&score, top)
    }

    /// Reposters ranked by how much of the cascade branched out from them:
    /// their subtree minus their largest child's, so an account whose
    /// reposts fanned out ranks high and a mere relay in a long chain (whose
    /// subtree is almost all its one child's) ranks low.
    pub fn spreaders_by_branching(&self, top: usize) -> Vec<Spreader> {
        let sizes = self.subtree_sizes();
        let score: Vec<f64> = (0..self.len())
            .map(|v| {
                let largest = self.children(v).map(|c| sizes[c]).max().unwrap_or(0);
                (sizes[v] - largest) as f64
            })
            .collect();
        self.ranked(&score, top)
    }

    /// Reposters ranked by direct reposts of their post.
    pub fn spreaders_by_children(&self, top: usize) -> Vec<Spreader> {
        let score: Vec<f64> = (0..self.len()).map(|v| self.out_degree(v) as f64).collect();
        self.ranked(&score, top)
    }

    /// Reposters ranked by follower-weighted reach: the followers of every
    /// account in their subtree (a potential audience, not deduplicated).
    pub fn spreaders_by_reach(&self, followers: &[u64], top: usize) -> Vec<Spreader> {
        let mut reach: Vec<f64> = (0..self.len())
            .map(|v| followers.get(v).copied().unwrap_or(0) as f64)
            .collect();
        for v in (1..self.len()).rev() {
            let p = self.parent[v] as usize;
            reach[p] += reach[v];
        }
        self.ranked(&reach, top)
    }
}

/// One point of [`Tree::virality_over_time`].
#[derive(Debug, Clone, PartialEq)]
pub struct PrefixPoint {
    pub time: f64,
    pub nodes: u64,
    pub depth: u32,
    pub structural_virality: Option<f64>,
}

/// A ranked node.
#[derive(Debug, Clone, PartialEq)]
pub struct Spreader {
    pub node: u32,
    pub subtree: u64,
    pub children: u64,
    /// The subtree's share of the cascade.
    pub contribution: f64,
    /// The ranking score.
    pub score: f64,
}

/// W = Σ over non-root v of s_v (n − s_v), exact in u128.
pub fn wiener_from_sizes(sizes: &[u64]) -> u128 {
    let n = sizes.first().copied().unwrap_or(0);
    sizes
        .iter()
        .skip(1)
        .map(|&s| u128::from(s) * u128::from(n - s))
        .sum()
}

/// ν = W / C(n, 2); undefined for n < 2.
pub fn structural_virality(wiener: u128, n: u64) -> Option<f64> {
    if n < 2 {
        return None;
    }
    let pairs = u128::from(n) * u128::from(n - 1) / 2;
    Some(wiener as f64 / pairs as f64)
}

/// t[ceil(q n) - 1] of sorted times.
fn quantile_time(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let k = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[k - 1]
}

#[cfg(test)]
mod tests {
    use super::super::{NONE, Tree};
    use crate::rng::Rng;

    fn tree(parent: &[u32]) -> Tree<u32> {
        let n = parent.len();
        Tree::from_parents(
            (0..n as u32).collect(),
            parent,
            (0..n).map(|i| i as f64).collect(),
        )
        .unwrap()
    }

    fn star(n: usize) -> Tree<u32> {
        let parent: Vec<u32> = (0..n).map(|i| if i == 0 { NONE } else { 0 }).collect();
        tree(&parent)
    }

    fn path(n: usize) -> Tree<u32> {
        let parent: Vec<u32> = (0..n)
            .map(|i| if i == 0 { NONE } else { i as u32 - 1 })
            .collect();
        tree(&parent)
    }

    #[test]
    fn closed_forms() {
        let one = star(1).metrics();
        assert_eq!(
            (one.n, one.depth, one.max_breadth, one.leaves, one.wiener),
            (1, 0, 0, 1, 0)
        );
        assert_eq!(one.structural_virality, None);
        let two = path(2).metrics();
        assert_eq!(
            (two.n, two.depth, two.wiener, two.structural_virality),
            (2, 1, 1, Some(1.0))
        );
        for n in [3usize, 10, 1000] {
            let s = star(n).metrics();
            assert_eq!(
                (s.depth, s.max_breadth, s.root_outdeg, s.leaves),
                (1, n as u64 - 1, n as u64 - 1, n as u64 - 1)
            );
            let expect = 2.0 * (n as f64 - 1.0) / n as f64;
            assert!((s.structural_virality.unwrap() - expect).abs() < 1e-12);
            let p = path(n).metrics();
            assert_eq!(
                (p.depth as usize, p.max_breadth, p.leaves, p.max_outdeg),
                (n - 1, 1, 1, 1)
            );
            let expect = (n as f64 + 1.0) / 3.0;
            assert!((p.structural_virality.unwrap() - expect).abs() < 1e-9 * expect);
        }
        let p = path(10).metrics();
        assert_eq!((p.t_min, p.t50, p.t90, p.t_max), (0.0, 4.0, 8.0, 9.0));
    }

    /// All-pairs BFS distances: the slow, obviously right Wiener index.
    fn brute_wiener(t: &Tree<u32>) -> u128 {
        let n = t.len();
        let mut adj = vec![Vec::new(); n];
        for v in 1..n {
            adj[v].push(t.parent[v] as usize);
            adj[t.parent[v] as usize].push(v);
        }
        let mut total = 0u128;
        for s in 0..n {
            let mut dist = vec![usize::MAX; n];
            dist[s] = 0;
            let mut q = std::collections::VecDeque::from([s]);
            while let Some(u) = q.pop_front() {
                for &w in &adj[u] {
                    if dist[w] == usize::MAX {
                        dist[w] = dist[u] + 1;
                        q.push_back(w);
                    }
                }
            }
            total += dist.iter().skip(s + 1).map(|d| *d as u128).sum::<u128>();
        }
        total
    }

    #[test]
    fn random_trees_match_brute_force() {
        let mut rng = Rng::new(99);
        for case in 0..300 {
            let n = 1 + rng.below(if case < 200 { 12 } else { 150 }) as usize;
            let parent = crate::synth::random_recursive_tree(&mut rng, n);
            let t = tree(&parent);
            let m = t.metrics();
            assert_eq!(m.wiener, brute_wiener(&t), "case {case}");
            let depth_brute = (0..n).map(|v| {
                let (mut d, mut u) = (0, v);
                while parent[u] != NONE {
                    u = parent[u] as usize;
                    d += 1;
                }
                d
            });
            assert_eq!(m.depth as usize, depth_brute.max().unwrap());
            assert_eq!(t.subtree_sizes()[0], n as u64);
            assert_eq!(
                m.leaves as usize,
                (0..n).filter(|v| !parent.contains(&(*v as u32))).count()
            );
        }
    }

    #[test]
    fn million_node_chain_and_star_need_no_deep_stack() {
        let n = 1_000_000;
        let c = path(n).metrics();
        assert_eq!(c.depth as usize, n - 1);
        // W(path) = (n-1) n (n+1) / 6.
        let nn = n as u128;
        assert_eq!(c.wiener, (nn - 1) * nn * (nn + 1) / 6);
        let s = star(n).metrics();
        assert_eq!(s.wiener, (nn - 1) * (nn - 1));
    }

    #[test]
    fn prefix_trees_and_rankings() {
        // 0 -> 1 -> 3, 0 -> 2; node times 0,1,2,3 (node 3 arrives last).
        let t = tree(&[NONE, 0, 0, 1]);
        let points = t.virality_over_time(3);
        assert_eq!(points.last().unwrap().nodes, 4);
        assert_eq!(points.last().unwrap().depth, 2);
        assert_eq!(points[0].nodes, 2);
        let top = t.spreaders_by_subtree(1);
        assert_eq!((top[0].node, top[0].subtree), (1, 2));
        assert!((top[0].contribution - 0.5).abs() < 1e-12);
        let reach = t.spreaders_by_reach(&[0, 1, 1000, 5], 1);
        assert_eq!(reach[0].node, 2);
        assert_eq!(t.time_to_nodes(3), Some(2.0));
        assert_eq!(t.time_to_depth(2), Some(3.0));
        assert_eq!(t.growth_curve(3).last(), Some(&(3.0, 4)));
    }

    #[test]
    fn branching_ranks_hubs_above_relays() {
        // 0 -> 1 -> 2 -> 3 (a relay chain), 3 fans out to 4..=9; 0 -> 10.
        let mut parents = vec![NONE, 0, 1, 2];
        parents.extend([3; 6]);
        parents.push(0);
        let t = tree(&parents);
        let by_subtree = t.spreaders_by_subtree(3);
        // By subtree the relays come first: each holds the hub below it.
        assert_eq!(
            by_subtree.iter().map(|s| s.subtree).collect::<Vec<_>>(),
            [9, 8, 7]
        );
        let top = t.spreaders_by_branching(2);
        assert_eq!(top[0].subtree, 7, "the hub (6 reposts) leads");
        assert_eq!(top[0].children, 6);
        assert!((top[0].score - 6.0).abs() < 1e-12);
        assert!(top[1].score <= 1.0, "relays score 1: {:?}", top[1]);
    }
}
