//! Reusable pieces of pages. Each is a noun; none fetches data itself except
//! through what its page passes in.

pub mod chart;
pub mod export;
pub mod export_files;
pub mod filters;
pub mod funnel;
pub mod header;
pub mod kpi_cards;
pub mod measured_canvas;
pub mod outlook;
pub mod reach_panel;
pub mod report_pages;
pub mod status;
pub mod trends;
