//! The canonical tree builder.
//!
//! The rule (the one `reference_metrics.csv` of Twitter15 uses):
//! 1. The root is the child of the first row whose parent is the ROOT marker;
//!    its time is that row's child time.
//! 2. Self-loops and edges into the root are dropped (and counted).
//! 3. A child keeps its first parent in input order; later, different
//!    parents are counted as extra parents.
//! 4. Breadth-first from the root; nodes not reached are dropped (counted
//!    as unreachable). Cycles and orphans end up here: they cannot panic.
//! 5. A node's time is the first time seen for it in input order, as parent
//!    or child; the root keeps the time of its ROOT row.
//!
//! Exact duplicate rows are the caller's to drop (only the caller knows what
//! a duplicate is: the same text line, the same client id...).

use super::NONE;
use std::collections::HashMap;
use std::hash::Hash;

/// The parent side of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Endpoint<K> {
    /// The ROOT marker: the row introduces the root.
    Root,
    Node(K),
}

/// One raw edge, parent first, with the times seen on its line. A time not
/// given on the row (a stored repost knows its own time, not its parent's)
/// is `f64::NAN`: it never counts as a sighting.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<K> {
    pub parent: Endpoint<K>,
    pub child: K,
    pub parent_time: f64,
    pub child_time: f64,
}

/// Every repair the builder made, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Repairs {
    pub self_loops: u64,
    pub edges_into_root: u64,
    pub extra_parents: u64,
    /// Nodes seen in the input but not reachable from the root.
    pub unreachable: u64,
    /// ROOT rows after the first (ignored).
    pub extra_roots: u64,
    /// Kept nodes whose time is earlier than the root's.
    pub before_root: u64,
    /// Kept nodes whose time is earlier than their parent's.
    pub before_parent: u64,
}

/// Why no tree could be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildError {
    /// No row has the ROOT marker as its parent.
    NoRoot,
    /// More than 2^32 - 2 nodes.
    TooLarge,
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::NoRoot => write!(
                f,
                "no ROOT row: the input does not say which post is the original"
            ),
            BuildError::TooLarge => write!(f, "more than 4,294,967,294 nodes"),
        }
    }
}

impl std::error::Error for BuildError {}

/// A clean tree, nodes in breadth-first order (node 0 is the root).
#[derive(Debug, Clone, PartialEq)]
pub struct Tree<K> {
    /// The input id of each node.
    pub ids: Vec<K>,
    /// Parent index ([`NONE`] for the root).
    pub parent: Vec<u32>,
    /// Children of node `v` are the indices `first_child[v] .. first_child[v + 1]`.
    pub first_child: Vec<u32>,
    /// Hops from the root.
    pub level: Vec<u32>,
    /// Node times (the input's unit).
    pub time: Vec<f64>,
    /// True when parents were estimated (platforms that link reposts only to the root).
    pub estimated: bool,
    pub repairs: Repairs,
}

impl<K> Tree<K> {
    pub fn len(&self) -> usize {
        self.parent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    /// The children of `v`, in input order.
    pub fn children(&self, v: usize) -> std::ops::Range<usize> {
        self.first_child[v] as usize..self.first_child[v + 1] as usize
    }

    /// Builds the tree from a parent index array in which every parent is
    /// numbered before its children (`parent[0] == NONE`), renumbering
    /// breadth-first with siblings kept in index order.
    pub fn from_parents(ids: Vec<K>, parent: &[u32], time: Vec<f64>) -> Result<Tree<K>, BuildError>
    where
        K: Clone,
    {
        let n = parent.len();
        if n >= NONE as usize {
            return Err(BuildError::TooLarge);
        }
        let edges = parent
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, p)| (**p as usize) < n)
            .map(|(v, &p)| (p, v as u32));
        let kids = Children::from_edges(n, edges);
        Ok(assemble(
            0,
            &kids,
            |v| ids[v].clone(),
            |v| time[v],
            Repairs::default(),
        ))
    }
}

/// Children lists of every node in one allocation (compressed sparse rows),
/// each list in the order its edges were given.
struct Children {
    start: Vec<u32>,
    list: Vec<u32>,
}

impl Children {
    /// A stable counting sort of `(parent, child)` edges by parent.
    fn from_edges(n: usize, edges: impl Iterator<Item = (u32, u32)> + Clone) -> Children {
        let mut start = vec![0u32; n + 1];
        for (p, _) in edges.clone() {
            start[p as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut list = vec![0u32; start[n] as usize];
        for (p, c) in edges {
            list[fill[p as usize] as usize] = c;
            fill[p as usize] += 1;
        }
        Children { start, list }
    }

    fn of(&self, v: u32) -> &[u32] {
        &self.list[self.start[v as usize] as usize..self.start[v as usize + 1] as usize]
    }
}

/// Renumbers the nodes reachable from `root` breadth-first.
fn assemble<K>(
    root: u32,
    kids: &Children,
    id_of: impl Fn(usize) -> K,
    time_of: impl Fn(usize) -> f64,
    mut repairs: Repairs,
) -> Tree<K> {
    let cap = kids.start.len();
    let mut order: Vec<u32> = Vec::with_capacity(cap);
    let mut new_parent: Vec<u32> = Vec::with_capacity(cap);
    let mut level: Vec<u32> = Vec::with_capacity(cap);
    let mut first_child = Vec::with_capacity(cap);
    // The output arrays double as the BFS queue: the node at `head` is
    // expanded once every node before it has been.
    order.push(root);
    new_parent.push(NONE);
    level.push(0);
    let mut head = 0;
    while head < order.len() {
        let (v, l) = (order[head], level[head]);
        for &c in kids.of(v) {
            order.push(c);
            new_parent.push(head as u32);
            level.push(l + 1);
        }
        head += 1;
    }
    // Children of each node are consecutive in BFS order: count them.
    let n = order.len();
    let mut count = vec![0u32; n];
    for &p in &new_parent[1..] {
        count[p as usize] += 1;
    }
    let mut next = 1u32;
    for c in count {
        first_child.push(next);
        next += c;
    }
    first_child.push(next);
    let time: Vec<f64> = order.iter().map(|&v| time_of(v as usize)).collect();
    let root_time = time.first().copied().unwrap_or(0.0);
    repairs.before_root = time.iter().filter(|t| **t < root_time).count() as u64;
    repairs.before_parent = (1..n)
        .filter(|&v| time[v] < time[new_parent[v] as usize])
        .count() as u64;
    Tree {
        ids: order.iter().map(|&v| id_of(v as usize)).collect(),
        parent: new_parent,
        first_child,
        level,
        time,
        estimated: false,
        repairs,
    }
}

/// Builds the canonical tree from rows in input order (see the module doc).
pub fn build_tree<K: Eq + Hash + Clone>(rows: &[Row<K>]) -> Result<Tree<K>, BuildError> {
    let mut index: HashMap<&K, u32> = HashMap::new();
    let mut keys: Vec<&K> = Vec::new();
    let mut time: Vec<f64> = Vec::new();
    let mut repairs = Repairs::default();
    let mut root: Option<(usize, f64)> = None;
    for (i, row) in rows.iter().enumerate() {
        if let Endpoint::Root = row.parent {
            if root.is_none() {
                root = Some((i, row.child_time));
            } else {
                repairs.extra_roots += 1;
            }
        }
    }
    let (root_row, root_time) = root.ok_or(BuildError::NoRoot)?;
    let root_key = &rows[root_row].child;
    index.insert(root_key, 0);
    keys.push(root_key);
    time.push(root_time);
    let mut parent_of: Vec<u32> = vec![NONE];
    let mut edges: Vec<(u32, u32)> = Vec::new();
    for row in rows {
        let p = match &row.parent {
            Endpoint::Root => {
                // The ROOT row's child keeps the ROOT row's time; other ROOT rows
                // still count as a sighting of their child.
                let c = intern_key(&row.child, row.child_time, &mut index, &mut keys, &mut time);
                grow(&mut parent_of, c);
                continue;
            }
            Endpoint::Node(p) => p,
        };
        let pi = intern_key(p, row.parent_time, &mut index, &mut keys, &mut time);
        let ci = intern_key(&row.child, row.child_time, &mut index, &mut keys, &mut time);
        grow(&mut parent_of, pi.max(ci));
        if pi == ci {
            repairs.self_loops += 1;
        } else if ci == 0 {
            repairs.edges_into_root += 1;
        } else if parent_of[ci as usize] == NONE {
            parent_of[ci as usize] = pi;
            edges.push((pi, ci));
        } else if parent_of[ci as usize] != pi {
            repairs.extra_parents += 1;
        }
    }
    if keys.len() >= NONE as usize {
        return Err(BuildError::TooLarge);
    }
    let seen = keys.len();
    let kids = Children::from_edges(seen, edges.iter().copied());
    let mut tree = assemble(0, &kids, |v| keys[v].clone(), |v| time[v], repairs);
    tree.repairs.unreachable = (seen - tree.len()) as u64;
    Ok(tree)
}

fn intern_key<'a, K: Eq + Hash>(
    k: &'a K,
    t: f64,
    index: &mut HashMap<&'a K, u32>,
    keys: &mut Vec<&'a K>,
    time: &mut Vec<f64>,
) -> u32 {
    let v = *index.entry(k).or_insert_with(|| {
        keys.push(k);
        time.push(t);
        (keys.len() - 1) as u32
    });
    if time[v as usize].is_nan() {
        time[v as usize] = t;
    }
    v
}

fn grow(parent_of: &mut Vec<u32>, upto: u32) {
    if parent_of.len() <= upto as usize {
        parent_of.resize(upto as usize + 1, NONE);
    }
}

/// One repost on a platform that links every repost only to the original
/// (X/Twitter retweets): its id, its author, and its time.
#[derive(Debug, Clone, PartialEq)]
pub struct FlatRepost<K, A> {
    pub id: K,
    pub author: A,
    pub time: f64,
}

/// Estimates the tree of a cascade whose reposts all point at the root: each
/// repost is attached to the most recent earlier reposter (or the original
/// author) whom its author follows, when `follows` (author → accounts they
/// follow) is given, else to the root. The tree is marked estimated.
pub fn build_estimated<K: Clone, A: Eq + Hash + Clone>(
    root: K,
    root_author: A,
    root_time: f64,
    reposts: &[FlatRepost<K, A>],
    follows: Option<&HashMap<A, Vec<A>>>,
) -> Result<Tree<K>, BuildError> {
    if reposts.len() + 1 >= NONE as usize {
        return Err(BuildError::TooLarge);
    }
    let mut order: Vec<usize> = (0..reposts.len()).collect();
    order.sort_by(|&a, &b| reposts[a].time.total_cmp(&reposts[b].time));
    let mut ids = vec![root];
    let mut time = vec![root_time];
    let mut parent = vec![NONE];
    // Latest node of each author so far; updated only once a time has
    // passed, so reposts at the same instant never attach to each other.
    let mut latest: HashMap<A, (f64, u32)> = HashMap::new();
    latest.insert(root_author, (root_time, 0));
    let mut pending: Vec<(A, f64, u32)> = Vec::new();
    for &r in &order {
        let rp = &reposts[r];
        if pending.first().is_some_and(|(_, t, _)| *t < rp.time) {
            for (a, t, v) in pending.drain(..) {
                latest.insert(a, (t, v));
            }
        }
        let p = follows
            .and_then(|f| f.get(&rp.author))
            .into_iter()
            .flatten()
            .filter_map(|followee| latest.get(followee))
            .filter(|(t, _)| *t <= rp.time)
            .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
            .map(|(_, v)| *v)
            .unwrap_or(0);
        let v = ids.len() as u32;
        ids.push(rp.id.clone());
        time.push(rp.time);
        parent.push(p);
        pending.push((rp.author.clone(), rp.time, v));
    }
    let mut tree = Tree::from_parents(ids, &parent, time)?;
    tree.estimated = true;
    Ok(tree)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_only_links_are_estimated_through_follows() {
        let reposts = vec![
            FlatRepost {
                id: "r1",
                author: "bob",
                time: 1.0,
            },
            FlatRepost {
                id: "r3",
                author: "dan",
                time: 3.0,
            },
            FlatRepost {
                id: "r2",
                author: "cat",
                time: 2.0,
            },
            FlatRepost {
                id: "r4",
                author: "eve",
                time: 3.0,
            },
        ];
        let follows: HashMap<&str, Vec<&str>> = HashMap::from([
            ("cat", vec!["bob"]),
            ("dan", vec!["bob", "cat"]),
            // eve follows dan, but dan reposted at the same instant: not earlier.
            ("eve", vec!["dan"]),
        ]);
        let t = build_estimated("root", "ann", 0.0, &reposts, Some(&follows)).unwrap();
        assert!(t.estimated);
        let parent_of = |id: &str| {
            let v = t.ids.iter().position(|x| *x == id).unwrap();
            t.ids[t.parent[v] as usize]
        };
        assert_eq!(parent_of("r1"), "root");
        assert_eq!(parent_of("r2"), "r1");
        assert_eq!(parent_of("r3"), "r2", "the most recent earlier followee");
        assert_eq!(parent_of("r4"), "root");
        let flat = build_estimated("root", "ann", 0.0, &reposts, None).unwrap();
        assert_eq!(flat.metrics().depth, 1);
        assert_eq!(flat.metrics().root_outdeg, 4);
    }
}
