//! The dashboard's server: the embedded single-page app, the JSON API under
//! `/api/v1`, storage, the demo workspace, and the command line.
//!
//! Logic lives in `db` and `demo` and knows nothing of HTTP; `http` only maps
//! requests to those calls and results to responses.

pub mod access;
pub mod cascade;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod http;
pub mod import;
pub mod report;
pub mod stats;
