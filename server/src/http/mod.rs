//! HTTP: the API router under `/api/v1` and the embedded app for every other
//! path. Handlers parse, call `db`, and map results to wire types; errors are
//! mapped to responses in one place (`error`).

mod api;
mod assets;
mod error;

pub use assets::{ASSETS, Asset};
pub use error::ApiError;

use crate::db::Db;
use axum::Router;

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Db,
    /// Cascade summaries per campaign, rebuilt when the campaign's posts change.
    pub cascades: crate::stats::cascades::CascadeCache,
}

impl AppState {
    pub fn new(db: Db) -> AppState {
        AppState {
            db,
            cascades: Default::default(),
        }
    }
}

/// The whole application: API and app. Tests drive it with `oneshot`.
pub fn app(state: AppState) -> Router {
    Router::new()
        .nest("/api/v1", api::router())
        .fallback(assets::serve)
        .with_state(state)
}
