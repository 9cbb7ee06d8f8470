//! Setting up over the API: brands (clients and tracked competitors) and
//! campaigns. Reads take a [`Caller`] and show only what it may read;
//! writes take a [`Writer`] (an owner or analyst, or a key with `ingest`).

use super::caller::Writer;
use super::error::json_body;
use super::params::{NoQuery, Params};
use super::{ApiError, AppState};
use crate::access::Caller;
use analytics::wire::{Campaign, ErrorBody};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_brands, create_brand))
}

/// The body of `POST /api/v1/brands`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBrandBody {
    /// 1–100 characters on one line, not only spaces.
    #[schema(min_length = 1, max_length = 100, pattern = r"^[^\r\n]*\S[^\r\n]*$")]
    pub name: String,
    /// The workspace (slug) to create it in; needed only by a person who may
    /// write into several.
    #[serde(default)]
    pub workspace: Option<String>,
    /// A competitor to track rather than a client.
    #[serde(default)]
    pub competitor: bool,
    /// Listening keywords (each at most 100 characters, one line; blank
    /// ones are dropped).
    #[serde(default)]
    pub keywords: Vec<Keyword>,
}

/// A listening keyword: at most 100 characters, one line.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
#[schema(pattern = r"^[^\r\n]{0,100}$")]
pub struct Keyword(pub String);

fn keywords(list: &[Keyword]) -> Vec<String> {
    list.iter().map(|k| k.0.clone()).collect()
}

/// The body of `POST /api/v1/campaigns`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCampaignBody {
    /// The workspace (slug) to create it in; needed only by a person who may
    /// write into several.
    #[serde(default)]
    pub workspace: Option<String>,
    /// The client brand's name (created if the workspace lacks it).
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub brand: String,
    /// Mark a new brand as a tracked competitor.
    #[serde(default)]
    pub competitor: bool,
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    /// First day, YYYY-MM-DD (workspace time zone).
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}$")]
    pub start: String,
    /// Last day, YYYY-MM-DD, inclusive.
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}$")]
    pub end: String,
    /// Budget in major units, as a string ("80000.50") to keep it exact.
    #[serde(default)]
    pub budget: Option<String>,
    /// ISO currency code; CNY by default.
    #[serde(default)]
    pub currency: Option<String>,
    /// weibo, wechat, douyin, xiaohongshu, x, facebook.
    pub channels: Vec<String>,
    /// Tracked keywords (hashtags, slogans).
    #[serde(default)]
    pub keywords: Vec<Keyword>,
}

/// `GET /api/v1/brands`: the brands the caller may read, tracked
/// competitors included (a client sees only their own brand).
#[utoipa::path(get, path = "/brands", tag = "setup",
    responses((status = 200, description = "Brands by workspace and name", body = Vec<analytics::wire::Brand>),
              (status = 401, description = "Not signed in", body = ErrorBody)))]
async fn list_brands(
    State(state): State<AppState>,
    caller: Caller,
    Params(NoQuery {}): Params<NoQuery>,
) -> Result<Json<Vec<analytics::wire::Brand>>, ApiError> {
    let all = state.db.list_brands(None).await?;
    Ok(Json(
        all.into_iter()
            .filter(|b| caller.may_read(&b.workspace, b.id))
            .collect(),
    ))
}

/// `POST /api/v1/brands`: a brand (or tracked competitor).
#[utoipa::path(post, path = "/brands", tag = "setup",
    request_body = NewBrandBody,
    responses((status = 201, description = "Created", body = analytics::wire::Brand),
              (status = 400, description = "Not the expected JSON", body = ErrorBody),
              (status = 403, description = "The caller may not write", body = ErrorBody),
              (status = 404, description = "No such workspace (of the caller's)", body = ErrorBody),
              (status = 409, description = "The workspace has a brand of that name", body = ErrorBody),
              (status = 422, description = "An unacceptable value, named", body = ErrorBody)))]
async fn create_brand(
    State(state): State<AppState>,
    writer: Writer,
    body: Bytes,
) -> Result<(StatusCode, Json<analytics::wire::Brand>), ApiError> {
    let b: NewBrandBody = json_body(&body)?;
    let workspace = writer.workspace(b.workspace.as_deref())?;
    let brand = state
        .db
        .create_brand(&workspace, &b.name, b.competitor, &keywords(&b.keywords))
        .await?;
    Ok((StatusCode::CREATED, Json(brand)))
}

/// `POST /api/v1/campaigns`: a campaign (and its brand, if new).
#[utoipa::path(post, path = "/campaigns", tag = "setup",
    request_body = NewCampaignBody,
    responses((status = 201, description = "Created", body = Campaign),
              (status = 400, description = "Not the expected JSON", body = ErrorBody),
              (status = 403, description = "The caller may not write", body = ErrorBody),
              (status = 404, description = "No such workspace (of the caller's)", body = ErrorBody),
              (status = 422, description = "An unacceptable value, named", body = ErrorBody)))]
pub(super) async fn create_campaign(
    State(state): State<AppState>,
    writer: Writer,
    body: Bytes,
) -> Result<(StatusCode, Json<Campaign>), ApiError> {
    let c: NewCampaignBody = json_body(&body)?;
    let workspace = writer.workspace(c.workspace.as_deref())?;
    let id = state
        .db
        .create_campaign(&crate::db::NewCampaign {
            workspace,
            brand: c.brand,
            competitor: c.competitor,
            name: c.name,
            start: c.start,
            end: c.end,
            budget: c.budget,
            currency: c.currency.unwrap_or_else(|| "CNY".into()),
            channels: c.channels,
            keywords: keywords(&c.keywords),
        })
        .await?;
    let campaign = state
        .db
        .campaign(id)
        .await?
        .ok_or_else(|| ApiError::Internal(format!("campaign {id} vanished after creation")))?;
    Ok((StatusCode::CREATED, Json(campaign)))
}
