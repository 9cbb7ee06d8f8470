//! The cascade explorer: one cascade from the API's blob, and its figures
//! (with or without the subtrees the amplification detector flags, each flag
//! with its signals). Its picture is drawn by the `raster` crate.

use crate::cascade::amplification::{AccountFeatures, AmplificationConfig, Flag, detect};
use crate::cascade::build::{BuildError, Tree};
use crate::cascade::codec::TreeBlob;
use crate::cascade::layout::{self, Layout};
use crate::cascade::metrics::{CascadeMetrics, PrefixPoint};

/// One cascade, decoded, with the detector's findings.
#[derive(Debug, Clone)]
pub struct Cascade {
    pub blob: TreeBlob,
    /// Node ids are indices into the blob; times are seconds after the root.
    /// Nodes the root cannot reach (a damaged blob) are left out.
    pub tree: Tree<u32>,
    /// The account behind each node of `tree` (tree order).
    pub features: Vec<AccountFeatures>,
    /// What the detector (default thresholds) flags, burst by burst (node
    /// numbers are `tree`'s).
    pub flags: Vec<Flag>,
}

impl Cascade {
    /// The cascade of a blob; `Err` when it is too large to number.
    pub fn from_blob(blob: TreeBlob) -> Result<Cascade, BuildError> {
        let n = blob.parent.len();
        let time: Vec<f64> = blob
            .offset_ms
            .iter()
            .map(|&ms| ms as f64 / 1000.0)
            .collect();
        let tree = Tree::from_parents((0..n as u32).collect(), &blob.parent, time)?;
        let at = |v: &Vec<u32>, i: usize| u64::from(v.get(i).copied().unwrap_or(0));
        let features: Vec<AccountFeatures> = tree
            .ids
            .iter()
            .map(|&i| i as usize)
            .map(|i| AccountFeatures {
                followers: at(&blob.followers, i),
                following: at(&blob.following, i),
                posts: at(&blob.posts, i),
                age_days: blob
                    .age_days
                    .get(i)
                    .copied()
                    .filter(|a| a.is_finite())
                    .map(f64::from),
            })
            .collect();
        let flags = detect(&tree, &features, &AmplificationConfig::default());
        Ok(Cascade {
            blob,
            tree,
            features,
            flags,
        })
    }

    /// Which blob nodes the detector flags (each flagged repost; its
    /// subtree goes with it when excluded), by blob index.
    pub fn flagged(&self) -> Vec<bool> {
        let mut out = vec![false; self.blob.parent.len()];
        for f in &self.flags {
            for &v in &f.nodes {
                if let Some(&id) = self.tree.ids.get(v as usize) {
                    out[id as usize] = true;
                }
            }
        }
        out
    }

    /// Followers of blob node `v`'s account.
    pub fn followers(&self, v: u32) -> u64 {
        u64::from(self.blob.followers.get(v as usize).copied().unwrap_or(0))
    }

    /// The handle of blob node `v`.
    pub fn handle(&self, v: u32) -> &str {
        self.blob.handles.get(v as usize).map_or("", String::as_str)
    }
}

/// One key spreader: a reposter ranked by how much of the cascade branched
/// out from it ([`Tree::spreaders_by_branching`]), with the share of the
/// cascade below it.
#[derive(Debug, Clone, PartialEq)]
pub struct KeySpreader {
    /// Blob index.
    pub node: u32,
    pub handle: String,
    pub followers: u64,
    pub subtree: u64,
    pub children: u64,
    /// Share of the cascade (as shown) in the subtree.
    pub contribution: f64,
}

/// What the explorer shows about the cascade as shown (flagged subtrees
/// left out when asked).
#[derive(Debug, Clone)]
pub struct Figures {
    /// The tree shown; its ids are blob indices.
    pub tree: Tree<u32>,
    pub metrics: CascadeMetrics,
    /// Nodes per level, the root's level first.
    pub breadth: Vec<u64>,
    /// `(seconds after the root, nodes so far)`.
    pub growth: Vec<(f64, u64)>,
    /// Structural virality and depth of the tree as it grew.
    pub over_time: Vec<PrefixPoint>,
    pub spreaders: Vec<KeySpreader>,
    /// Nodes left out (flagged reposts and their subtrees).
    pub excluded: u64,
    pub layout: Layout,
}

/// How the tree is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Tidy,
    Radial,
}

/// Buckets of the growth and over-time series.
pub const BUCKETS: usize = 48;

/// The figures of `c`, without the flagged subtrees when `exclude_flagged`.
pub fn figures(c: &Cascade, exclude_flagged: bool, shape: Shape, top: usize) -> Figures {
    let tree = if exclude_flagged {
        let nodes: Vec<u32> = c
            .flags
            .iter()
            .flat_map(|f| f.nodes.iter().copied())
            .collect();
        c.tree.without(&nodes)
    } else {
        c.tree.clone()
    };
    let followers: Vec<u64> = tree.ids.iter().map(|&v| c.followers(v)).collect();
    let metrics = tree.metrics();
    let spreaders = tree
        .spreaders_by_branching(top)
        .into_iter()
        .map(|s| {
            let node = tree.ids[s.node as usize];
            KeySpreader {
                node,
                handle: c.handle(node).to_string(),
                followers: followers[s.node as usize],
                subtree: s.subtree,
                children: s.children,
                contribution: s.contribution,
            }
        })
        .collect();
    let layout = match shape {
        Shape::Tidy => layout::tidy(&tree),
        Shape::Radial => layout::radial(&tree),
    };
    Figures {
        breadth: tree.breadth_per_level(),
        growth: tree.growth_curve(BUCKETS),
        over_time: tree.virality_over_time(BUCKETS),
        excluded: (c.tree.len() - tree.len()) as u64,
        metrics,
        spreaders,
        layout,
        tree,
    }
}

/// What a hover or click on node `node` (a blob index) tells: its account,
/// followers, time after the original, subtree and share of the cascade.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeDetails {
    pub node: u32,
    pub post: String,
    pub handle: String,
    pub followers: u64,
    pub seconds_after_root: f64,
    pub level: u32,
    pub subtree: u64,
    pub contribution: f64,
    pub flagged: bool,
}

/// Details of blob node `node` in the tree shown; `None` if it is not shown.
pub fn details(c: &Cascade, fig: &Figures, flagged: &[bool], node: u32) -> Option<NodeDetails> {
    let v = fig.tree.ids.iter().position(|&id| id == node)?;
    let sizes = fig.tree.subtree_sizes();
    Some(NodeDetails {
        node,
        post: c.blob.ids.get(node as usize).cloned().unwrap_or_default(),
        handle: c.handle(node).to_string(),
        followers: c.followers(node),
        seconds_after_root: fig.tree.time[v] - fig.tree.time[0],
        level: fig.tree.level[v],
        subtree: sizes[v],
        contribution: sizes[v] as f64 / fig.tree.len().max(1) as f64,
        flagged: flagged.get(node as usize).copied().unwrap_or(false),
    })
}

/// A small cascade for tests and examples: a root with a broadcast of 30 reposts, one of which has a chain of 5,
/// and a burst of 25 low-quality accounts within a minute under node 1.
pub fn example_blob() -> TreeBlob {
    let mut parent = vec![u32::MAX];
    let mut offset = vec![0i64];
    for i in 0..30 {
        parent.push(0);
        offset.push(60_000 * (i + 1));
    }
    for i in 0..5 {
        parent.push(if i == 0 { 1 } else { 30 + i });
        offset.push(3_600_000 + 60_000 * i64::from(i));
    }
    let burst_from = parent.len();
    for i in 0..25 {
        parent.push(1);
        offset.push(7_200_000 + 2_000 * i);
    }
    let n = parent.len();
    let low = |i: usize| i >= burst_from;
    TreeBlob {
        root_time_ms: 1_772_330_400_000,
        parent,
        offset_ms: offset,
        followers: (0..n)
            .map(|i| if low(i) { 3 } else { 500 + i as u32 })
            .collect(),
        following: (0..n).map(|i| if low(i) { 1500 } else { 200 }).collect(),
        posts: (0..n).map(|i| if low(i) { 0 } else { 300 }).collect(),
        age_days: (0..n)
            .map(|i| if low(i) { 2.0 } else { f32::NAN })
            .collect(),
        flags: vec![0; n],
        ids: (0..n).map(|i| format!("p{i}")).collect(),
        handles: (0..n).map(|i| format!("user{i}")).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cascade::codec;

    #[test]
    fn the_burst_is_flagged_with_its_signals_and_excluding_it_recomputes_everything() {
        let bytes = codec::encode(&example_blob());
        let c = Cascade::from_blob(codec::decode(&bytes).unwrap()).unwrap();
        assert_eq!(c.tree.len(), 61);
        assert_eq!(c.flags.len(), 1);
        let flag = &c.flags[0];
        assert_eq!(flag.parent, 1);
        let flagged = flag.nodes.len() as u64;
        assert!(flagged >= 20, "{flagged} of the 25");
        assert_eq!(flag.signals.few_posts, flagged);
        assert_eq!(flag.signals.new_account, flagged);
        assert_eq!(c.flagged().iter().filter(|f| **f).count() as u64, flagged);
        let with = figures(&c, false, Shape::Tidy, 3);
        let without = figures(&c, true, Shape::Tidy, 3);
        assert_eq!((with.metrics.n, without.metrics.n), (61, 61 - flagged));
        assert_eq!(without.excluded, flagged);
        assert_eq!(with.metrics, c.tree.metrics());
        // Node 1 carried the burst and the chain: the top spreader.
        assert_eq!(with.spreaders[0].handle, "user1");
        assert_eq!(with.spreaders[0].subtree, 31);
        assert!((with.spreaders[0].contribution - 31.0 / 61.0).abs() < 1e-12);
        assert_eq!(without.spreaders[0].subtree, 31 - flagged);
        assert_eq!(with.breadth, vec![1, 30, 26, 1, 1, 1, 1]);
        assert_eq!(without.breadth[2], 26 - flagged);
        assert_eq!(with.growth.last(), Some(&(7_248.0, 61)));
        assert!(
            with.metrics.structural_virality.unwrap()
                > without.metrics.structural_virality.unwrap() * 0.5
        );
    }

    #[test]
    fn nodes_a_damaged_blob_cuts_off_are_left_out_not_panicked_on() {
        let mut b = example_blob();
        b.parent[3] = 7; // a cycle the root cannot reach
        b.parent[7] = 3;
        b.parent[9] = 1_000_000; // a parent that does not exist
        let c = Cascade::from_blob(b).unwrap();
        assert_eq!(c.tree.len(), 58);
        assert!(!c.tree.ids.contains(&3) && !c.tree.ids.contains(&9));
        let fig = figures(&c, true, Shape::Radial, 3);
        assert!(details(&c, &fig, &c.flagged(), 3).is_none());
        assert_eq!(c.features.len(), c.tree.len());
    }
}
