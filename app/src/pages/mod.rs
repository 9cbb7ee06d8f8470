//! One file per route.

pub mod campaign_list;
pub mod campaign_overview;
pub mod compare;
pub mod not_found;
