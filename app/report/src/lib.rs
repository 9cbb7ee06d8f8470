//! A saved report's pages, drawn by one code path wherever it runs: the
//! server (PNG, SVG, PDF) and the builder's live preview.
//!
//! [`content`] turns a definition (`analytics::report`) and the campaign's
//! numbers into blocks, [`labelled`] gives the dashboard's charts their
//! words, [`layout`] lays the blocks into pages of SVG. Nothing here reads a
//! database, the network or the clock: what was read, and when, comes in.

pub mod content;
pub mod labelled;
pub mod layout;
pub mod text;

pub use content::{Content, ReportData, content};
pub use layout::pages;
