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
use std::collections::VecDeque;
use std::hash::Hash;

/// The parent side of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Endpoint<K> {
    /// The ROOT marker: the row introduces the root.
    Root,
    Node(K),
}

/// One raw edge, parent first, with the times seen on its line.
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
        let mut kids: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (v, &p) in parent.iter().enumerate().skip(1) {
            if (p as usize) < n {
                kids[p as usize].push(v as u32);
            }
        }
        Ok(assemble(
            0,
            &kids,
            |v| ids[v].clone(),
            |v| time[v],
            Repairs::default(),
        ))
    }
}

/// Renumbers the nodes reachable from `root` breadth-first.
fn assemble<K>(
    root: u32,
    kids: &[Vec<u32>],
    id_of: impl Fn(usize) -> K,
    time_of: impl Fn(usize) -> f64,
    mut repairs: Repairs,
) -> Tree<K> {
    let mut order: Vec<u32> = Vec::with_capacity(kids.len());
    let mut new_parent: Vec<u32> = Vec::with_capacity(kids.len());
    let mut level: Vec<u32> = Vec::with_capacity(kids.len());
    let mut queue = VecDeque::new();
    queue.push_back((root, NONE, 0u32));
    let mut first_child = Vec::with_capacity(kids.len() + 1);
    while let Some((v, p, l)) = queue.pop_front() {
        let idx = order.len() as u32;
        order.push(v);
        new_parent.push(p);
        level.push(l);
        for &c in &kids[v as usize] {
            queue.push_back((c, idx, l + 1));
        }
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
    let mut kids: Vec<Vec<u32>> = vec![Vec::new()];
    for row in rows {
        let p = match &row.parent {
            Endpoint::Root => {
                // The ROOT row's child keeps the ROOT row's time; other ROOT rows
                // still count as a sighting of their child.
                let c = intern_key(&row.child, row.child_time, &mut index, &mut keys, &mut time);
                grow(&mut parent_of, &mut kids, c);
                continue;
            }
            Endpoint::Node(p) => p,
        };
        let pi = intern_key(p, row.parent_time, &mut index, &mut keys, &mut time);
        let ci = intern_key(&row.child, row.child_time, &mut index, &mut keys, &mut time);
        grow(&mut parent_of, &mut kids, pi.max(ci));
        if pi == ci {
            repairs.self_loops += 1;
        } else if ci == 0 {
            repairs.edges_into_root += 1;
        } else if parent_of[ci as usize] == NONE {
            parent_of[ci as usize] = pi;
            kids[pi as usize].push(ci);
        } else if parent_of[ci as usize] != pi {
            repairs.extra_parents += 1;
        }
    }
    if keys.len() >= NONE as usize {
        return Err(BuildError::TooLarge);
    }
    let seen = keys.len();
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
    *index.entry(k).or_insert_with(|| {
        keys.push(k);
        time.push(t);
        (keys.len() - 1) as u32
    })
}

fn grow(parent_of: &mut Vec<u32>, kids: &mut Vec<Vec<u32>>, upto: u32) {
    while parent_of.len() <= upto as usize {
        parent_of.push(NONE);
        kids.push(Vec::new());
    }
}
