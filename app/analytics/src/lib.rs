//! Wire types and every computation shared by the browser app (wasm32) and the
//! server (native).
//!
//! This crate owns the numbers: what a KPI means, how a day is bucketed, how a
//! value is formatted in each language and what a chart shows. It must not do
//! I/O or depend on a runtime, a database, the DOM or a drawing library, so that
//! the dashboard, the API and (later) image exports always agree.

pub mod cascade;
pub mod chart_spec;
pub mod csv;
pub mod date;
pub mod events;
pub mod explorer;
pub mod format;
pub mod funnel;
pub mod hll;
pub mod listening;
pub mod overview;
pub mod palette;
pub mod reach;
pub mod report;
pub mod rng;
pub mod selection;
pub mod suspect;
pub mod synth;
pub mod wire;

pub use format::Lang;
