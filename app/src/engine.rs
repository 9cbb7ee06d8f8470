//! The word-of-mouth engine exported to JavaScript, for the in-browser
//! benchmark against d3-hierarchy (`.ci/bench`) and for scripts that embed
//! the dashboard. Glue only: every computation is `analytics::cascade`.

use analytics::cascade::{NONE, Tree, layout};
use wasm_bindgen::prelude::*;

/// The result of [`engine_tree_layout`]: headline figures and coordinates
/// indexed like the input.
#[wasm_bindgen]
#[derive(Debug)]
pub struct EngineRun {
    n: u32,
    depth: u32,
    subtree_sum: f64,
    x: Vec<f64>,
    y: Vec<f64>,
}

#[wasm_bindgen]
impl EngineRun {
    #[wasm_bindgen(getter)]
    pub fn n(&self) -> u32 {
        self.n
    }

    #[wasm_bindgen(getter)]
    pub fn depth(&self) -> u32 {
        self.depth
    }

    /// Σ of subtree sizes (the Wiener-style check d3's `sum` also gives).
    #[wasm_bindgen(getter)]
    pub fn subtree_sum(&self) -> f64 {
        self.subtree_sum
    }

    /// x of node i of the input (moves the array out: call once).
    pub fn take_x(&mut self) -> Vec<f64> {
        std::mem::take(&mut self.x)
    }

    /// y of node i of the input (moves the array out: call once).
    pub fn take_y(&mut self) -> Vec<f64> {
        std::mem::take(&mut self.y)
    }
}

/// Builds the tree of a parent index array (`-1` for the root at index 0,
/// every parent before its children, siblings in index order), computes its
/// metrics and its tidy layout (d3-hierarchy's `tree()`, size [1, 1]).
#[wasm_bindgen]
pub fn engine_tree_layout(parent: &[i32]) -> Result<EngineRun, JsError> {
    let n = parent.len();
    if n == 0 || parent[0] >= 0 {
        return Err(JsError::new("node 0 must be the root (parent -1)"));
    }
    let mut parents = Vec::with_capacity(n);
    for (i, &p) in parent.iter().enumerate() {
        if i > 0 && (p < 0 || p as usize >= i) {
            return Err(JsError::new(&format!(
                "node {i}: parent {p} must be an earlier node"
            )));
        }
        parents.push(if p < 0 { NONE } else { p as u32 });
    }
    let tree = Tree::from_parents((0..n as u32).collect(), &parents, vec![0.0; n])
        .map_err(|e| JsError::new(&e.to_string()))?;
    let m = tree.metrics();
    let subtree_sum = tree.subtree_sizes().iter().map(|&s| s as f64).sum();
    let l = layout::tidy(&tree);
    let mut x = vec![0.0; n];
    let mut y = vec![0.0; n];
    for (v, &id) in tree.ids.iter().enumerate() {
        x[id as usize] = l.x[v];
        y[id as usize] = l.y[v];
    }
    Ok(EngineRun {
        n: m.n as u32,
        depth: m.depth,
        subtree_sum,
        x,
        y,
    })
}
