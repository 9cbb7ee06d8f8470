//! One file per route.

pub mod campaign_list;
pub mod campaign_overview;
pub mod cascades;
pub mod compare;
pub mod explorer;
pub mod listening;
pub mod not_found;
pub mod report_builder;
pub mod reports;
