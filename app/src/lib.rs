//! The dashboard, a Leptos client-side app compiled to WebAssembly.
//!
//! Components fetch through `api` (the only module that knows URLs), compute
//! through `analytics` and draw through `charts`: no arithmetic in views.

pub mod api;
pub mod app;
pub mod components;
pub mod engine;
pub mod error;
pub use ::i18n;
pub mod lazy;
pub mod pages;
pub mod session;

pub use app::App;
