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
    /// Serialized campaign summaries per campaign and data version.
    pub summaries: SummaryCache,
}

impl AppState {
    pub fn new(db: Db) -> AppState {
        AppState {
            db,
            cascades: Default::default(),
            summaries: Default::default(),
        }
    }
}

/// Serialized summaries by campaign, each valid for one data version.
#[derive(Debug, Default, Clone)]
pub struct SummaryCache {
    inner:
        std::sync::Arc<std::sync::Mutex<std::collections::HashMap<i64, (i64, axum::body::Bytes)>>>,
}

impl SummaryCache {
    /// The cached body of `campaign` if it was built at `version`.
    pub fn get(&self, campaign: i64, version: i64) -> Option<axum::body::Bytes> {
        let map = self.inner.lock().ok()?;
        map.get(&campaign)
            .filter(|(v, _)| *v == version)
            .map(|(_, b)| b.clone())
    }

    /// Keeps `body` as the summary of `campaign` at `version`.
    pub fn put(&self, campaign: i64, version: i64, body: axum::body::Bytes) {
        if let Ok(mut map) = self.inner.lock() {
            map.insert(campaign, (version, body));
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
