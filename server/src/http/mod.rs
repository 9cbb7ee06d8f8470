//! HTTP: the API under `/api/v1` and the embedded app for every other path.
//!
//! One router per module, merged here; each handler's `#[utoipa::path]`
//! registers it and documents it in one step (`utoipa_axum::routes!`), so
//! the OpenAPI document lists exactly the routes that exist. Who is asking
//! is decided by extractors (`caller`) before a handler runs; query strings
//! are typed (`params`); errors are mapped to responses only in `error`.
//! Every response carries the security headers (`headers`); a panic in one
//! request answers 500 for that request and the server goes on.

mod assets;
mod caller;
mod campaigns;
mod error;
mod headers;
mod ingest;
mod listening;
mod params;
mod reports;
mod session;
mod setup;
mod status;
mod word;
mod workspaces;

pub use assets::{ASSETS, Asset};
pub use caller::SESSION_COOKIE;
pub use error::ApiError;
pub use ingest::{MAX_BATCH_EVENTS, MAX_BODY_BYTES};
pub use params::MAX_SPAN_S;
pub use session::{FAILURE_WINDOW_S, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS};

use crate::db::Db;
use axum::Router;
use axum::extract::OriginalUri;
use axum::http::Method;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;
use utoipa::OpenApi as _;
use utoipa_axum::router::OpenApiRouter;

/// How the server is reached, from `--public-url`: what cookies, HSTS and
/// the cross-site check need to know.
#[derive(Debug, Clone, Default)]
pub struct HttpConfig {
    /// `scheme://host[:port]` users reach the server at (behind a proxy);
    /// `None`: the request's own `Host` is trusted for the origin check.
    pub public_origin: Option<String>,
    /// Mark the session cookie `Secure` and send HSTS (the public URL is https).
    pub secure_cookies: bool,
}

impl HttpConfig {
    /// The configuration for a public URL such as `https://dash.example.com/`.
    pub fn for_public_url(url: &str) -> Result<HttpConfig, String> {
        let (scheme, rest) = url
            .split_once("://")
            .filter(|(s, _)| *s == "http" || *s == "https")
            .ok_or_else(|| format!("public URL {url:?} must start with http:// or https://"))?;
        let host = rest.split('/').next().unwrap_or("");
        if host.is_empty() || host.contains(['@', ' ', '?', '#']) {
            return Err(format!("public URL {url:?} has no host"));
        }
        Ok(HttpConfig {
            public_origin: Some(format!("{scheme}://{host}")),
            secure_cookies: scheme == "https",
        })
    }
}

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Db,
    pub config: HttpConfig,
    /// Cascade summaries per campaign, rebuilt when the campaign's posts change.
    pub cascades: crate::stats::cascades::CascadeCache,
    /// Saved reports drawn to PNG, SVG and PDF (the bundled face, the
    /// render slots, the render cache).
    pub renderer: std::sync::Arc<crate::report::Renderer>,
    /// Serialized campaign summaries per campaign and data version.
    pub summaries: SummaryCache,
    /// Campaigns by id, as read once: a campaign's description (workspace,
    /// brand, dates) is never changed after it is created, so the access
    /// check of every campaign route costs no query after the first.
    pub campaigns: CampaignCache,
}

/// Campaigns by id (see [`AppState::campaigns`]).
#[derive(Debug, Default, Clone)]
pub struct CampaignCache {
    inner: std::sync::Arc<
        std::sync::RwLock<std::collections::HashMap<i64, analytics::wire::Campaign>>,
    >,
}

impl CampaignCache {
    /// Campaign `id`, from the cache or the database.
    pub async fn get(
        &self,
        db: &Db,
        id: i64,
    ) -> Result<Option<analytics::wire::Campaign>, sqlx::Error> {
        if let Some(c) = self.inner.read().ok().and_then(|m| m.get(&id).cloned()) {
            return Ok(Some(c));
        }
        let found = db.campaign(id).await?;
        if let (Some(c), Ok(mut map)) = (&found, self.inner.write()) {
            map.insert(id, c.clone());
        }
        Ok(found)
    }
}

impl AppState {
    pub fn new(db: Db) -> AppState {
        AppState::with_config(db, HttpConfig::default())
    }

    pub fn with_config(db: Db, config: HttpConfig) -> AppState {
        AppState {
            db,
            config,
            cascades: Default::default(),
            renderer: Default::default(),
            summaries: Default::default(),
            campaigns: Default::default(),
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

/// The description of the API: title, shared schemas and security schemes;
/// the paths come from the routers.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Word-of-Mouth Analytics API",
        description = "Campaign reach, fan conversion and word-of-mouth cascades. Every route but health, sign-in and this document needs a session cookie (sign in with POST /api/v1/session) or a workspace API key (`Authorization: Bearer`)."
    ),
    components(schemas(analytics::wire::ChannelHour))
)]
struct ApiDoc;

/// Every API route, each module's router merged, with its document.
fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest(
            "/api/v1",
            OpenApiRouter::new()
                .merge(status::router())
                .merge(session::router())
                .merge(campaigns::router())
                .merge(word::router())
                .merge(listening::router())
                .merge(setup::router())
                .merge(ingest::router())
                .merge(workspaces::router())
                .merge(reports::router()),
        )
        .split_for_parts();
    headers::document_security(&mut doc);
    headers::document_event_format(&mut doc);
    (router, doc)
}

/// The OpenAPI 3 document of the API, as `GET /api/v1/openapi.json` serves it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().1
}

/// The whole application: API and app. Tests drive it with `oneshot`.
pub fn app(state: AppState) -> Router {
    let (api, doc) = api();
    let doc = doc.to_json().unwrap_or_else(|e| {
        tracing::error!(error = %e, "cannot write the OpenAPI document");
        "{}".into()
    });
    let doc = axum::body::Bytes::from(doc);
    Router::new()
        .merge(api)
        .route(
            "/api/v1/openapi.json",
            get(move || async move { ([(CONTENT_TYPE, "application/json")], doc.clone()) }),
        )
        .route("/api/v1", axum::routing::any(no_route))
        .route("/api/v1/{*rest}", axum::routing::any(no_route))
        .fallback(assets::serve)
        .method_not_allowed_fallback(wrong_method)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            headers::security_headers,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            error::panicked,
        ))
        .with_state(state)
}

async fn no_route(method: Method, OriginalUri(uri): OriginalUri) -> impl IntoResponse {
    ApiError::NotFound(format!("no API route {method} {}", uri.path()))
}

async fn wrong_method(method: Method, OriginalUri(uri): OriginalUri) -> impl IntoResponse {
    ApiError::MethodNotAllowed(format!("{method} is not allowed on {}", uri.path()))
}
