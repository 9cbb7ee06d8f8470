//! Tree layouts for drawing: the tidy tree of Reingold–Tilford in Buchheim,
//! Jünger and Leipert's linear-time form, computed exactly as d3-hierarchy's
//! `tree()` does with its default separation and size `[1, 1]` (the same
//! floating-point operations in the same order, so the coordinates are equal
//! to the last bit, not merely close), and a radial variant.
//!
//! d3 walks the tree with explicit stacks, and so does this: a post-order
//! for the first walk, and the breadth-first index order (parents before
//! children) where any top-down order gives the same result. Nothing
//! recurses, so 10^6-node chains are fine.

use super::NONE;
use super::build::Tree;

/// Node coordinates: `x` across (0..=1), `y` down by level (0..=1).
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
}

/// d3's default separation: 1 between siblings, 2 between cousins.
fn separation(parent: &[u32], a: usize, b: usize) -> f64 {
    if parent[a] == parent[b] { 1.0 } else { 2.0 }
}

/// The tidy tree, scaled to the unit square like d3's `tree()` (size [1, 1]).
pub fn tidy<K>(tree: &Tree<K>) -> Layout {
    let n = tree.len();
    if n == 0 {
        return Layout {
            x: Vec::new(),
            y: Vec::new(),
        };
    }
    let parent = &tree.parent;
    let first = |v: usize| tree.first_child[v] as usize;
    let end = |v: usize| tree.first_child[v + 1] as usize;
    let has_children = |v: usize| end(v) > first(v);
    // Per-node state of d3's TreeNode: z (prelim), m (mod), c (change),
    // s (shift), t (thread), a (ancestor), i (index among siblings), and A
    // (the default ancestor the children's apportion passes along).
    let mut z = vec![0f64; n];
    let mut m = vec![0f64; n];
    let mut c = vec![0f64; n];
    let mut s = vec![0f64; n];
    let mut t = vec![NONE; n];
    let mut a: Vec<u32> = (0..n as u32).collect();
    let mut big_a = vec![NONE; n];
    let idx = |v: usize| -> f64 {
        if v == 0 {
            0.0
        } else {
            (v - first(parent[v] as usize)) as f64
        }
    };
    let next_left = |v: usize, t: &[u32]| -> u32 {
        if has_children(v) {
            first(v) as u32
        } else {
            t[v]
        }
    };
    let next_right = |v: usize, t: &[u32]| -> u32 {
        if has_children(v) {
            (end(v) - 1) as u32
        } else {
            t[v]
        }
    };

    // Post-order, children left to right.
    let mut post = Vec::with_capacity(n);
    let mut stack = vec![(0usize, false)];
    while let Some((v, expanded)) = stack.pop() {
        if expanded {
            post.push(v);
        } else {
            stack.push((v, true));
            for ch in (first(v)..end(v)).rev() {
                stack.push((ch, false));
            }
        }
    }

    for &v in &post {
        // w: the left sibling.
        let w = if v != 0 && v > first(parent[v] as usize) {
            Some(v - 1)
        } else {
            None
        };
        if has_children(v) {
            // executeShifts(v)
            let (mut shift, mut change) = (0.0, 0.0);
            for ch in (first(v)..end(v)).rev() {
                z[ch] += shift;
                m[ch] += shift;
                change += c[ch];
                shift += s[ch] + change;
            }
            let midpoint = (z[first(v)] + z[end(v) - 1]) / 2.0;
            if let Some(w) = w {
                z[v] = z[w] + separation(parent, v, w);
                m[v] = z[v] - midpoint;
            } else {
                z[v] = midpoint;
            }
        } else if let Some(w) = w {
            z[v] = z[w] + separation(parent, v, w);
        }
        if v == 0 {
            continue;
        }
        let p = parent[v] as usize;
        let default_ancestor = if big_a[p] == NONE {
            first(p)
        } else {
            big_a[p] as usize
        };
        // apportion(v, w, ancestor)
        let mut ancestor = default_ancestor;
        if let Some(w) = w {
            let mut vip = v;
            let mut vop = v;
            let mut vim = w;
            let mut vom = first(p);
            let mut sip = m[vip];
            let mut sop = m[vop];
            let mut sim = m[vim];
            let mut som = m[vom];
            loop {
                let nr = next_right(vim, &t);
                let nl = next_left(vip, &t);
                if nr == NONE || nl == NONE {
                    // d3 leaves vim/vip at the failed step's values.
                    let vim_n = nr;
                    let vip_n = nl;
                    if vim_n != NONE && next_right(vop, &t) == NONE {
                        t[vop] = vim_n;
                        m[vop] += sim - sop;
                    }
                    if vip_n != NONE && next_left(vom, &t) == NONE {
                        t[vom] = vip_n;
                        m[vom] += sip - som;
                        ancestor = v;
                    }
                    break;
                }
                vim = nr as usize;
                vip = nl as usize;
                vom = next_left(vom, &t) as usize;
                vop = next_right(vop, &t) as usize;
                a[vop] = v as u32;
                let shift = z[vim] + sim - z[vip] - sip + separation(parent, vim, vip);
                if shift > 0.0 {
                    // moveSubtree(nextAncestor(vim, v, ancestor), v, shift)
                    let va = a[vim] as usize;
                    let wm = if va != 0 && parent[va] == parent[v] {
                        va
                    } else {
                        ancestor
                    };
                    let change = shift / (idx(v) - idx(wm));
                    c[v] -= change;
                    s[v] += shift;
                    c[wm] += change;
                    z[v] += shift;
                    m[v] += shift;
                    sip += shift;
                    sop += shift;
                }
                sim += m[vim];
                sip += m[vip];
                som += m[vom];
                sop += m[vop];
            }
        }
        big_a[p] = ancestor as u32;
    }

    // secondWalk in pre-order (index order); the root's virtual parent has m = -z[root].
    let mut x = vec![0f64; n];
    let root_parent_m = -z[0];
    x[0] = z[0] + root_parent_m;
    m[0] += root_parent_m;
    for v in 1..n {
        let p = parent[v] as usize;
        x[v] = z[v] + m[p];
        m[v] += m[p];
    }

    // Scale to size [1, 1]: the first leftmost and rightmost nodes and the
    // first deepest one in depth-first pre-order, as d3's eachBefore meets
    // them (ties are common, and which node wins decides the margin).
    let (mut left, mut right, mut bottom) = (0usize, 0usize, 0usize);
    let mut stack = vec![0usize];
    while let Some(v) = stack.pop() {
        stack.extend((first(v)..end(v)).rev());
        if x[v] < x[left] {
            left = v;
        }
        if x[v] > x[right] {
            right = v;
        }
        if tree.level[v] > tree.level[bottom] {
            bottom = v;
        }
    }
    let sep = if left == right {
        1.0
    } else {
        separation(parent, left, right) / 2.0
    };
    let tx = sep - x[left];
    let kx = 1.0 / (x[right] + sep + tx);
    let depth = tree.level[bottom];
    let ky = 1.0 / if depth == 0 { 1.0 } else { f64::from(depth) };
    let y = tree.level.iter().map(|&l| f64::from(l) * ky).collect();
    for xv in &mut x {
        *xv = (*xv + tx) * kx;
    }
    Layout { x, y }
}

/// The tidy tree bent into a circle: angle from x (a full turn), radius from
/// y, centred on the root. Coordinates in -1..=1.
pub fn radial<K>(tree: &Tree<K>) -> Layout {
    let flat = tidy(tree);
    let (x, y) = flat
        .x
        .iter()
        .zip(&flat.y)
        .map(|(&x, &r)| {
            let angle = x * std::f64::consts::TAU;
            (r * angle.sin(), -r * angle.cos())
        })
        .unzip();
    Layout { x, y }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    fn tree(parent: &[u32]) -> Tree<u32> {
        let n = parent.len();
        Tree::from_parents((0..n as u32).collect(), parent, vec![0.0; n]).unwrap()
    }

    #[test]
    fn small_trees_have_d3s_coordinates() {
        // Values printed by d3-hierarchy 3.1.2: `tree()(stratify()(rows))`.
        let single = tidy(&tree(&[NONE]));
        assert_eq!((single.x[0], single.y[0]), (0.5, 0.0));
        let star = tidy(&tree(&[NONE, 0, 0, 0]));
        assert_eq!(star.x, [0.5, 0.16666666666666666, 0.5, 0.8333333333333333]);
        assert_eq!(star.y, [0.0, 1.0, 1.0, 1.0]);
        let chain = tidy(&tree(&[NONE, 0, 1]));
        assert_eq!(chain.x, [0.5, 0.5, 0.5]);
        assert_eq!(chain.y, [0.0, 0.5, 1.0]);
    }

    #[test]
    fn siblings_never_overlap_and_parents_centre() {
        let mut rng = Rng::new(5);
        for _ in 0..200 {
            let n = 2 + rng.below(60) as usize;
            let parent = crate::synth::random_recursive_tree(&mut rng, n);
            let t = tree(&parent);
            let l = tidy(&t);
            let mut by_level: std::collections::BTreeMap<u32, Vec<f64>> = Default::default();
            for v in 0..t.len() {
                assert!((0.0..=1.0).contains(&l.x[v]));
                by_level.entry(t.level[v]).or_default().push(l.x[v]);
                let kids = t.children(v);
                if !kids.is_empty() {
                    let mid = (l.x[kids.start] + l.x[kids.end - 1]) / 2.0;
                    assert!((l.x[v] - mid).abs() < 1e-9);
                }
            }
            for xs in by_level.values() {
                for pair in xs.windows(2) {
                    assert!(
                        pair[1] > pair[0],
                        "nodes of a level are ordered left to right without overlap"
                    );
                }
            }
        }
    }

    #[test]
    fn a_million_node_chain_lays_out() {
        let n = 1_000_000;
        let parent: Vec<u32> = (0..n)
            .map(|i| if i == 0 { NONE } else { i as u32 - 1 })
            .collect();
        let l = tidy(&tree(&parent));
        // d3 computes depth * (1 / height) too, so the deepest node sits just short of 1.
        assert!((l.y[n - 1] - 1.0).abs() < 1e-12);
        let r = radial(&tree(&parent[..1000]));
        assert!((r.x[0]).abs() < 1e-12 && (r.y[0]).abs() < 1e-12);
    }
}
