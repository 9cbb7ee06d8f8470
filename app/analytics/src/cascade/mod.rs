//! Propagation trees (cascades): building a clean tree from dirty repost
//! edges, its metrics, and its layout for drawing.
//!
//! Every algorithm here is iterative and linear (or n log n where it sorts):
//! a 10^6-node chain must not overflow a stack, in the browser or on the
//! server. Nodes are numbered in breadth-first order, so a parent always has a
//! smaller index than its children and the children of a node are one
//! contiguous index range, in the order of their rows in the input.

pub mod amplification;
pub mod build;
pub mod codec;
pub mod layout;
pub mod metrics;
pub mod prediction;
pub mod prediction_eval;
pub mod synth_eval;
pub mod twitter15;

pub use build::{
    BuildError, Endpoint, FlatRepost, Repairs, Row, Tree, build_estimated, build_tree,
};
pub use metrics::CascadeMetrics;

/// Marks "no node" in index arrays (the root's parent, a missing thread).
pub const NONE: u32 = u32::MAX;
