//! `/api/v1`: health, the campaign list and one campaign's summary. Reads are
//! open for now; authentication arrives with workspaces' API keys.

use super::{ApiError, AppState};
use crate::db::{FunnelBy, IngestError, IngestOutcome, OnConflict};
use crate::stats::cascades::{self, ListQuery, SortKey};
use analytics::wire::{
    Campaign, CampaignSummary, CascadePage, Channel, ChannelDay, ErrorBody, Health, MentionHour,
};
use axum::body::{Body, Bytes};
use axum::extract::Query;
use axum::extract::{OriginalUri, Path, State};
use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(get_health))
        .route("/campaigns", get(list_campaigns).post(create_campaign))
        .route("/brands", get(list_brands).post(create_brand))
        .route("/campaigns/{id}/summary", get(get_campaign_summary))
        .route("/campaigns/{id}/cascades", get(list_cascades))
        .route("/campaigns/{id}/timeseries", get(get_timeseries))
        .route("/campaigns/{id}/funnel", get(get_funnel))
        .route("/campaigns/{id}/accounts", get(get_account_days))
        .route("/campaigns/{id}/posts", get(get_post_totals))
        .route("/campaigns/{id}/sketches", get(get_sketches))
        .route(
            "/campaigns/{id}/cascades/{root}/tree",
            get(get_cascade_tree),
        )
        .route("/brands/{id}/mentions", get(get_mention_hours))
        .route("/brands/{id}/mentions/drivers", get(get_mention_drivers))
        .route("/ingest", post(ingest))
        .route("/openapi.json", get(openapi_json))
        .fallback(no_route)
        .method_not_allowed_fallback(wrong_method)
}

#[utoipa::path(get, path = "/api/v1/health", tag = "status",
    responses((status = 200, description = "The server and its database answer", body = Health),
              (status = 503, description = "The database does not answer", body = Health)))]
async fn get_health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let (status, database) = match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
    };
    let health = Health {
        status: if status == StatusCode::OK {
            "ok"
        } else {
            "degraded"
        }
        .into(),
        version: env!("CARGO_PKG_VERSION").into(),
        database: database.into(),
    };
    (status, Json(health))
}

#[utoipa::path(get, path = "/api/v1/campaigns", tag = "campaigns",
    responses((status = 200, description = "Every campaign", body = Vec<Campaign>)))]
async fn list_campaigns(State(state): State<AppState>) -> Result<Json<Vec<Campaign>>, ApiError> {
    Ok(Json(state.db.list_campaigns().await?))
}

/// The summary, served from the per-campaign cache while the campaign's
/// data version is unchanged (one primary-key lookup revalidates it).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/summary", tag = "campaigns",
    params(("id" = i64, Path, description = "The campaign's id")),
    responses((status = 200, description = "KPIs and the daily series, from the rollups", body = CampaignSummary),
              (status = 400, description = "A malformed id", body = ErrorBody),
              (status = 404, description = "No such campaign", body = ErrorBody)))]
async fn get_campaign_summary(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let version = state.db.campaign_version(id).await?;
    let body = match state.summaries.get(id, version) {
        Some(body) => body,
        None => {
            let summary: CampaignSummary = state
                .db
                .campaign_summary(id)
                .await?
                .map_err(|e| ApiError::NotFound(e.to_string()))?;
            let body = Bytes::from(
                serde_json::to_vec(&summary)
                    .map_err(|e| ApiError::Storage(sqlx::Error::Protocol(e.to_string())))?,
            );
            state.summaries.put(id, version, body.clone());
            body
        }
    };
    Ok(([(CONTENT_TYPE, "application/json")], body).into_response())
}

fn saturate(n: u64) -> u32 {
    n.min(u64::from(u32::MAX)) as u32
}

/// `GET /api/v1/campaigns/{id}/cascades/{root}/tree`: one cascade in the
/// compact binary form of `analytics::cascade::codec` (version 2).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/cascades/{root}/tree", tag = "word of mouth",
    params(("id" = i64, Path, description = "The campaign's id"),
           ("root" = String, Path, description = "The original post's client id")),
    responses((status = 200, description = "The tree: parents, times, the accounts' followers, following, posts and age, flags, ids, handles", content_type = "application/octet-stream", body = Vec<u8>),
              (status = 404, description = "No such campaign or cascade", body = ErrorBody)))]
async fn get_cascade_tree(
    State(state): State<AppState>,
    Path((id, root)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    use analytics::cascade::amplification::{AmplificationConfig, detect};
    use analytics::cascade::codec::{FLAG_SUSPICIOUS, TreeBlob, encode};
    let id = parse_id(&id)?;
    let campaign = require_campaign(&state, id).await?;
    let not_found = || {
        ApiError::NotFound(format!(
            "campaign {id} has no cascade rooted at post {root:?}"
        ))
    };
    if !state.db.post_in_campaign(&root, id).await? {
        return Err(not_found());
    }
    let c = state
        .db
        .cascade(&campaign.workspace.slug, &root)
        .await?
        .ok_or_else(not_found)?;
    let mut flags = vec![0u8; c.tree.len()];
    for flag in detect(&c.tree, &c.features, &AmplificationConfig::default()) {
        for v in flag.nodes {
            flags[v as usize] |= FLAG_SUSPICIOUS;
        }
    }
    let root_ms = c.time_ms.first().copied().unwrap_or(0);
    let blob = TreeBlob {
        root_time_ms: root_ms,
        parent: c.tree.parent.clone(),
        offset_ms: c.time_ms.iter().map(|t| t - root_ms).collect(),
        followers: c.features.iter().map(|f| saturate(f.followers)).collect(),
        following: c.features.iter().map(|f| saturate(f.following)).collect(),
        posts: c.features.iter().map(|f| saturate(f.posts)).collect(),
        age_days: c
            .features
            .iter()
            .map(|f| f.age_days.map_or(f32::NAN, |d| d as f32))
            .collect(),
        flags,
        ids: c.tree.ids.clone(),
        handles: c.handles,
    };
    Ok(([(CONTENT_TYPE, "application/octet-stream")], encode(&blob)).into_response())
}

/// `GET /api/v1/campaigns/{id}/sketches`: the reach sketches by day and
/// channel, in `analytics::hll`'s set form (version 1).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/sketches", tag = "campaigns",
    params(("id" = i64, Path, description = "The campaign's id")),
    responses((status = 200, description = "HyperLogLog sketches of exposed users per day and channel; union any selection in the browser", content_type = "application/octet-stream", body = Vec<u8>),
              (status = 404, description = "No such campaign", body = ErrorBody)))]
async fn get_sketches(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    require_campaign(&state, id).await?;
    let set = state.db.day_sketches(id).await?;
    Ok((
        [(CONTENT_TYPE, "application/octet-stream")],
        analytics::hll::encode_set(&set),
    )
        .into_response())
}

/// `GET /api/v1/campaigns/{id}/timeseries?grain=day|hour&from=&to=`: the
/// rollups by day (workspace time zone) or UTC hour, channel and suspect
/// flag; `from`/`to` (Unix seconds, `to` exclusive) bound the hours.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/timeseries", tag = "campaigns",
    params(("id" = i64, Path, description = "The campaign's id"),
           ("grain" = Option<String>, Query, description = "day (default; rows are ChannelDay) or hour (rows are ChannelHour)"),
           ("from" = Option<i64>, Query, description = "With grain=hour: first hour, Unix seconds"),
           ("to" = Option<i64>, Query, description = "With grain=hour: end (exclusive), Unix seconds")),
    responses((status = 200, description = "Rollups by day (or hour), channel and suspect flag; two rows where both kinds of account contributed",
               body = Vec<ChannelDay>),
              (status = 400, description = "A malformed parameter", body = ErrorBody),
              (status = 404, description = "No such campaign", body = ErrorBody)))]
async fn get_timeseries(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let mut hourly = false;
    let mut bounds = [None, None];
    for (name, v) in &params {
        match name.as_str() {
            "grain" => {
                hourly = match v.as_str() {
                    "day" => false,
                    "hour" => true,
                    _ => {
                        return Err(ApiError::BadRequest(format!(
                            "query parameter grain={v:?} must be day or hour"
                        )));
                    }
                }
            }
            "from" | "to" => {
                bounds[usize::from(name == "to")] = Some(int_param(name, v, "Unix seconds")?);
            }
            other => {
                return Err(unknown_param(other));
            }
        }
    }
    if !hourly && bounds != [None, None] {
        return Err(ApiError::BadRequest(
            "from and to bound hours: use them with grain=hour".into(),
        ));
    }
    require_campaign(&state, id).await?;
    Ok(if hourly {
        Json(state.db.channel_hours(id, bounds[0], bounds[1]).await?).into_response()
    } else {
        Json(state.db.channel_days(id).await?).into_response()
    })
}

/// `GET /api/v1/campaigns/{id}/funnel?by=channel|post|kol&channel=&from=&to=`:
/// the fan-conversion funnel's inputs (analytics::funnel): per group, suspect
/// flag and conversion window, how many users were exposed, engaged, became
/// fans, converted and stayed fans 7 and 30 days. Totals only: user ids stay
/// on the server.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/funnel", tag = "campaigns",
    params(("id" = i64, Path, description = "The campaign's id"),
           ("by" = Option<String>, Query, description = "channel (default), post (the post of the users' first exposure) or kol (the handle of the closest KOL among that post's author and ancestors, else the cascade root's author)"),
           ("channel" = Option<String>, Query, description = "Only users first exposed on this channel"),
           ("from" = Option<String>, Query, description = "Only users first exposed on or after this day, YYYY-MM-DD (workspace time zone)"),
           ("to" = Option<String>, Query, description = "… and on or before this day")),
    responses((status = 200, description = "Funnel totals per group, suspect flag and window (seconds: 3600, 86400, 259200, 604800, 1209600, 2592000)", body = Vec<analytics::funnel::FunnelRow>),
              (status = 400, description = "A malformed parameter", body = ErrorBody),
              (status = 404, description = "No such campaign", body = ErrorBody)))]
async fn get_funnel(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Vec<analytics::funnel::FunnelRow>>, ApiError> {
    let id = parse_id(&id)?;
    let mut by = FunnelBy::Channel;
    let (mut channel, mut from, mut to) = (None, None, None);
    for (name, v) in &params {
        match name.as_str() {
            "by" => {
                by = match v.as_str() {
                    "channel" => FunnelBy::Channel,
                    "post" => FunnelBy::Post,
                    "kol" => FunnelBy::Kol,
                    _ => {
                        return Err(ApiError::BadRequest(format!(
                            "query parameter by={v:?} must be channel, post or kol"
                        )));
                    }
                }
            }
            "channel" => channel = Some(channel_param(v)?),
            "from" | "to" => {
                let day = analytics::date::Date::parse(v).ok_or_else(|| {
                    ApiError::BadRequest(format!(
                        "query parameter {name}={v:?} must be a day, YYYY-MM-DD"
                    ))
                })?;
                *(if name == "from" { &mut from } else { &mut to }) = Some(day.to_string());
            }
            other => {
                return Err(unknown_param(other));
            }
        }
    }
    require_campaign(&state, id).await?;
    Ok(Json(
        state
            .db
            .funnel(
                id,
                by,
                channel.map(Channel::as_str),
                from.as_deref(),
                to.as_deref(),
            )
            .await?,
    ))
}

/// `GET /api/v1/campaigns/{id}/accounts`: the counters by day, channel,
/// credited account (owned or KOL; `""` for earned) and suspect flag.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/accounts", tag = "campaigns",
    params(("id" = i64, Path, description = "The campaign's id")),
    responses((status = 200, description = "Counters by day, channel, credited account and suspect flag", body = Vec<analytics::wire::AccountDay>),
              (status = 404, description = "No such campaign", body = ErrorBody)))]
async fn get_account_days(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<analytics::wire::AccountDay>>, ApiError> {
    let id = parse_id(&id)?;
    require_campaign(&state, id).await?;
    Ok(Json(state.db.account_days(id).await?))
}

/// `GET /api/v1/campaigns/{id}/posts?limit=100`: the posts with the most
/// impressions and what went through each.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/posts", tag = "campaigns",
    params(("id" = i64, Path, description = "The campaign's id"),
           ("limit" = Option<i64>, Query, description = "How many rows, 1–1000 (default 100)")),
    responses((status = 200, description = "Per post totals, most impressions first", body = Vec<analytics::wire::PostTotals>),
              (status = 400, description = "A malformed parameter", body = ErrorBody),
              (status = 404, description = "No such campaign", body = ErrorBody)))]
async fn get_post_totals(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Vec<analytics::wire::PostTotals>>, ApiError> {
    let id = parse_id(&id)?;
    let mut limit = 100;
    for (name, v) in &params {
        if name != "limit" {
            return Err(unknown_param(name));
        }
        limit = int_in(name, v, 1..=1000)?;
    }
    require_campaign(&state, id).await?;
    Ok(Json(state.db.post_totals(id, limit).await?))
}

/// `GET /api/v1/brands/{id}/mentions?from=&to=`: mentions per hour (Unix
/// seconds; `to` exclusive), zeros included.
#[utoipa::path(get, path = "/api/v1/brands/{id}/mentions", tag = "listening",
    params(("id" = i64, Path, description = "The brand's id"),
           ("from" = Option<i64>, Query, description = "First hour, Unix seconds"),
           ("to" = Option<i64>, Query, description = "End (exclusive), Unix seconds")),
    responses((status = 200, description = "Mentions per hour, zeros included", body = Vec<MentionHour>),
              (status = 400, description = "A malformed parameter", body = ErrorBody),
              (status = 404, description = "No such brand", body = ErrorBody)))]
async fn get_mention_hours(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Vec<MentionHour>>, ApiError> {
    let id = parse_path_id(&id, "brand")?;
    let mut bounds = [None, None];
    for (name, v) in &params {
        let slot = match name.as_str() {
            "from" => 0,
            "to" => 1,
            other => {
                return Err(unknown_param(other));
            }
        };
        bounds[slot] = Some(int_param(name, v, "Unix seconds")?);
    }
    state
        .db
        .mention_hours(id, bounds[0], bounds[1])
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no brand has id {id}")))
}

/// `GET /api/v1/brands/{id}/mentions/drivers?from=&to=&limit=`: what drove
/// the brand's mentions in `[from, to)` (Unix seconds): the posts of the
/// best-followed authors and the authors who mentioned it most.
#[utoipa::path(get, path = "/api/v1/brands/{id}/mentions/drivers", tag = "listening",
    params(("id" = i64, Path, description = "The brand's id"),
           ("from" = i64, Query, description = "Start, Unix seconds"),
           ("to" = i64, Query, description = "End (exclusive), Unix seconds"),
           ("limit" = Option<i64>, Query, description = "Posts and authors each, 1–100 (default 10)")),
    responses((status = 200, description = "Mention count, top posts and top authors in the range", body = analytics::wire::MentionDrivers),
              (status = 400, description = "A missing or malformed parameter", body = ErrorBody),
              (status = 404, description = "No such brand", body = ErrorBody)))]
async fn get_mention_drivers(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<analytics::wire::MentionDrivers>, ApiError> {
    let id = parse_path_id(&id, "brand")?;
    let (mut from, mut to, mut limit) = (None, None, 10);
    for (name, v) in &params {
        match name.as_str() {
            "from" => from = Some(int_param(name, v, "Unix seconds")?),
            "to" => to = Some(int_param(name, v, "Unix seconds")?),
            "limit" => limit = int_in(name, v, 1..=100)?,
            other => return Err(unknown_param(other)),
        }
    }
    let (Some(from), Some(to)) = (from, to) else {
        return Err(ApiError::BadRequest(
            "query parameters from and to (Unix seconds) are required".into(),
        ));
    };
    state
        .db
        .mention_drivers(id, from, to, limit)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no brand has id {id}")))
}

/// `GET /api/v1/campaigns/{id}/cascades?sort=size&order=desc&channel=weibo&min_size=&max_size=&from=&to=&page=1&per_page=50`
/// (`from`/`to`: Unix seconds of the original post; `to` exclusive).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/cascades", tag = "word of mouth",
    params(("id" = i64, Path, description = "The campaign's id"),
           ("sort" = Option<String>, Query, description = "size, depth, virality, t50, predicted or posted"),
           ("order" = Option<String>, Query, description = "desc (default) or asc"),
           ("channel" = Option<String>, Query, description = "Only this channel"),
           ("min_size" = Option<u64>, Query, description = "At least this many nodes"),
           ("max_size" = Option<u64>, Query, description = "At most this many nodes"),
           ("from" = Option<String>, Query, description = "Originals posted at or after: Unix seconds, or a day YYYY-MM-DD (workspace time zone)"),
           ("to" = Option<String>, Query, description = "Originals posted before: Unix seconds, or through a day YYYY-MM-DD (inclusive)"),
           ("page" = Option<u32>, Query, description = "From 1"),
           ("per_page" = Option<u32>, Query, description = "1 to 500, default 50")),
    responses((status = 200, description = "A page of cascades", body = CascadePage),
              (status = 400, description = "A malformed parameter", body = ErrorBody),
              (status = 404, description = "No such campaign", body = ErrorBody)))]
async fn list_cascades(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<CascadePage>, ApiError> {
    let id = parse_id(&id)?;
    let campaign = require_campaign(&state, id).await?;
    let tz: chrono_tz::Tz = campaign
        .workspace
        .timezone
        .parse()
        .unwrap_or(chrono_tz::UTC);
    let q = cascade_query(&params, tz)?;
    Ok(Json(
        cascades::list(&state.db, &state.cascades, id, &q).await?,
    ))
}

/// A bound of the cascade list: Unix seconds, or a day (`YYYY-MM-DD`, the
/// workspace's time zone) meaning its first second — or, for `to`, the
/// first second of the next day, so the day is included.
fn time_bound(name: &str, v: &str, tz: chrono_tz::Tz) -> Result<i64, ApiError> {
    use chrono::TimeZone;
    if let Some(day) = analytics::date::Date::parse(v) {
        let day = if name == "to" {
            analytics::date::Date::from_days(day.to_days() + 1)
        } else {
            day
        };
        let naive = chrono::NaiveDate::parse_from_str(&day.to_string(), "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0));
        if let Some(t) = naive.and_then(|n| tz.from_local_datetime(&n).earliest()) {
            return Ok(t.timestamp());
        }
    }
    int_param(name, v, "Unix seconds or a day, YYYY-MM-DD")
}

fn cascade_query(
    params: &HashMap<String, String>,
    tz: chrono_tz::Tz,
) -> Result<ListQuery, ApiError> {
    let mut q = ListQuery::default();
    let number = |name: &str, v: &str| int_param(name, v, "a whole number");
    for (name, v) in params {
        match name.as_str() {
            "sort" => {
                q.sort = SortKey::parse(v).ok_or_else(|| {
                    ApiError::BadRequest(format!("sort={v:?} is not one of {}", SortKey::NAMES))
                })?
            }
            "order" => {
                q.descending = match v.as_str() {
                    "desc" => true,
                    "asc" => false,
                    _ => {
                        return Err(ApiError::BadRequest(format!(
                            "order={v:?} must be asc or desc"
                        )));
                    }
                }
            }
            "channel" => q.channel = Some(channel_param(v)?),
            "min_size" => q.min_size = Some(number(name, v)?.max(0) as u64),
            "max_size" => q.max_size = Some(number(name, v)?.max(0) as u64),
            "from" => q.from = Some(time_bound(name, v, tz)?),
            "to" => q.to = Some(time_bound(name, v, tz)?),
            "page" => {
                q.page = u32::try_from(number(name, v)?)
                    .ok()
                    .filter(|p| *p >= 1)
                    .ok_or_else(|| ApiError::BadRequest(format!("page={v:?} must be 1 or more")))?
            }
            "per_page" => {
                q.per_page = u32::try_from(number(name, v)?)
                    .ok()
                    .filter(|p| (1..=500).contains(p))
                    .ok_or_else(|| {
                        ApiError::BadRequest(format!("per_page={v:?} must be from 1 to 500"))
                    })?
            }
            other => {
                return Err(unknown_param(other));
            }
        }
    }
    Ok(q)
}

/// The largest request body `POST /ingest` reads.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// The most events one batch may hold.
pub const MAX_BATCH_EVENTS: usize = 10_000;

/// `POST /api/v1/ingest`: an NDJSON or CSV batch (format: `analytics::events`),
/// with `Authorization: Bearer <key>`. All of it is stored, or none of it.
#[utoipa::path(post, path = "/api/v1/ingest", tag = "ingestion",
    request_body(content = String, description = "The event format: filled in from analytics::events::FORMAT_DOC by EventFormat", content_type = "application/x-ndjson"),
    security(("api_key" = [])),
    responses((status = 200, description = "Stored: durably committed", body = IngestOutcome),
              (status = 401, description = "No valid key", body = ErrorBody),
              (status = 403, description = "A campaign of another workspace", body = ErrorBody),
              (status = 413, description = "Over a size limit", body = ErrorBody),
              (status = 415, description = "Another content type", body = ErrorBody),
              (status = 422, description = "Invalid lines or conflicts: every line listed, nothing stored", body = ErrorBody)))]
async fn ingest(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<IngestOutcome>, ApiError> {
    let workspace = key_workspace(&state, &headers).await?;
    let media = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let csv = media.starts_with("text/csv");
    let ndjson = media.is_empty() || media.contains("json") || media.starts_with("text/plain");
    if !(csv || ndjson) {
        return Err(ApiError::UnsupportedMediaType(format!(
            "content type {media:?} is not accepted: send application/x-ndjson or text/csv"
        )));
    }
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| {
            ApiError::TooLarge(format!(
                "the body is larger than {MAX_BODY_BYTES} bytes, the limit per batch"
            ))
        })?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        ApiError::BadRequest(format!(
            "the body is not UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    let parse = if csv {
        analytics::events::parse_csv
    } else {
        analytics::events::parse_ndjson
    };
    let events = parse(text).map_err(|lines| ApiError::Unprocessable {
        message: format!("{} line(s) are invalid; nothing was stored", lines.len()),
        lines,
    })?;
    if events.len() > MAX_BATCH_EVENTS {
        return Err(ApiError::TooLarge(format!(
            "the batch has {} events; the limit is {MAX_BATCH_EVENTS} per batch",
            events.len()
        )));
    }
    match state
        .db
        .ingest(&workspace, &events, OnConflict::Refuse)
        .await
    {
        Ok(outcome) => Ok(Json(outcome)),
        Err(IngestError::ForeignCampaign(lines)) => Err(ApiError::Forbidden {
            message: format!(
                "{} line(s) refer to campaigns of another workspace; nothing was stored",
                lines.len()
            ),
            lines,
        }),
        Err(IngestError::Conflicts(lines)) => Err(ApiError::Unprocessable {
            message: format!(
                "{} line(s) conflict with stored events; nothing was stored",
                lines.len()
            ),
            lines,
        }),
        Err(IngestError::Storage(e)) => Err(ApiError::Storage(e)),
    }
}

/// The OpenAPI 3 description of this API, generated from the handlers'
/// annotations and the wire types.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "Word-of-Mouth Analytics API", description = "Campaign reach, fan conversion and word-of-mouth cascades."),
    paths(get_health, list_campaigns, create_campaign, list_brands, create_brand, get_campaign_summary, get_timeseries, get_funnel, get_account_days, get_post_totals, get_sketches, list_cascades, get_cascade_tree, get_mention_hours, get_mention_drivers, ingest),
    components(schemas(analytics::wire::ChannelHour)),
    modifiers(&BearerKey, &EventFormat)
)]
pub struct ApiDoc;

/// The error for a query parameter a handler does not read: every handler
/// refuses them rather than silently ignoring a typo.
fn unknown_param(name: &str) -> ApiError {
    ApiError::BadRequest(format!("unknown query parameter {name:?}"))
}

/// A whole-number query parameter within `range`.
fn int_in(name: &str, v: &str, range: std::ops::RangeInclusive<i64>) -> Result<i64, ApiError> {
    v.parse::<i64>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| {
            ApiError::BadRequest(format!(
                "query parameter {name}={v:?} must be a whole number from {} to {}",
                range.start(),
                range.end()
            ))
        })
}

/// A channel query parameter.
fn channel_param(v: &str) -> Result<Channel, ApiError> {
    Channel::parse(v).ok_or_else(|| {
        let all: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
        ApiError::BadRequest(format!(
            "query parameter channel={v:?} is not a channel: one of {}",
            all.join(", ")
        ))
    })
}

/// A whole-number query parameter; `what` says what it must be.
fn int_param(name: &str, v: &str, what: &str) -> Result<i64, ApiError> {
    v.parse()
        .map_err(|_| ApiError::BadRequest(format!("query parameter {name}={v:?} must be {what}")))
}

/// The workspace of the request's `Authorization: Bearer <key>`.
async fn key_workspace(state: &AppState, headers: &HeaderMap) -> Result<String, ApiError> {
    let key = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| {
            ApiError::Unauthorized(
                "send the workspace's API key as `Authorization: Bearer <key>`".into(),
            )
        })?;
    state.db.workspace_of_key(key).await?.ok_or_else(|| {
        ApiError::Unauthorized("the API key is not valid (unknown or revoked)".into())
    })
}

/// A JSON request body of type `T`, or a 400 saying where it is wrong.
fn json_body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::BadRequest(format!(
            "the body is not the expected JSON (line {}, column {}): {e}",
            e.line(),
            e.column()
        ))
    })
}

/// The body of `POST /api/v1/brands`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBrandBody {
    pub name: String,
    /// A competitor to track rather than a client.
    #[serde(default)]
    pub competitor: bool,
    /// Listening keywords.
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// The body of `POST /api/v1/campaigns`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCampaignBody {
    /// The client brand's name (created if the workspace lacks it).
    pub brand: String,
    /// Mark a new brand as a tracked competitor.
    #[serde(default)]
    pub competitor: bool,
    pub name: String,
    /// First day, YYYY-MM-DD (workspace time zone).
    pub start: String,
    /// Last day, YYYY-MM-DD, inclusive.
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
    pub keywords: Vec<String>,
}

/// `GET /api/v1/brands`: every brand, tracked competitors included.
#[utoipa::path(get, path = "/api/v1/brands", tag = "setup",
    responses((status = 200, description = "Brands by workspace and name", body = Vec<analytics::wire::Brand>)))]
async fn list_brands(
    State(state): State<AppState>,
) -> Result<Json<Vec<analytics::wire::Brand>>, ApiError> {
    Ok(Json(state.db.list_brands(None).await?))
}

/// `POST /api/v1/brands`: a brand (or tracked competitor) in the key's workspace.
#[utoipa::path(post, path = "/api/v1/brands", tag = "setup",
    request_body = NewBrandBody,
    security(("api_key" = [])),
    responses((status = 201, description = "Created", body = analytics::wire::Brand),
              (status = 400, description = "Not the expected JSON", body = ErrorBody),
              (status = 401, description = "No valid key", body = ErrorBody),
              (status = 409, description = "The workspace has a brand of that name", body = ErrorBody),
              (status = 422, description = "An unacceptable value, named", body = ErrorBody)))]
async fn create_brand(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<analytics::wire::Brand>), ApiError> {
    let workspace = key_workspace(&state, &headers).await?;
    let b: NewBrandBody = json_body(&body)?;
    let brand = state
        .db
        .create_brand(&workspace, &b.name, b.competitor, &b.keywords)
        .await?;
    Ok((StatusCode::CREATED, Json(brand)))
}

/// `POST /api/v1/campaigns`: a campaign (and its brand, if new) in the key's workspace.
#[utoipa::path(post, path = "/api/v1/campaigns", tag = "setup",
    request_body = NewCampaignBody,
    security(("api_key" = [])),
    responses((status = 201, description = "Created", body = Campaign),
              (status = 400, description = "Not the expected JSON", body = ErrorBody),
              (status = 401, description = "No valid key", body = ErrorBody),
              (status = 422, description = "An unacceptable value, named", body = ErrorBody)))]
async fn create_campaign(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Campaign>), ApiError> {
    let workspace = key_workspace(&state, &headers).await?;
    let c: NewCampaignBody = json_body(&body)?;
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
            keywords: c.keywords,
        })
        .await?;
    let campaign = state
        .db
        .campaign(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("campaign {id} vanished")))?;
    Ok((StatusCode::CREATED, Json(campaign)))
}

/// Declares the `Authorization: Bearer <key>` scheme ingestion uses.
struct BearerKey;

/// Documents the ingestion body with the event format's one reference
/// (`analytics::events::FORMAT_DOC`) and every kind of event as examples,
/// in NDJSON and in CSV.
struct EventFormat;

impl utoipa::Modify for EventFormat {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use analytics::events::{CSV_EXAMPLE, FORMAT_DOC, NDJSON_EXAMPLE};
        use utoipa::openapi::{
            ContentBuilder, ObjectBuilder, Required, Type, request_body::RequestBodyBuilder,
        };
        let text = |example: &str| {
            ContentBuilder::new()
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .example(Some(serde_json::Value::String(example.into())))
                .build()
        };
        let body = RequestBodyBuilder::new()
            .description(Some(FORMAT_DOC))
            .required(Some(Required::True))
            .content("application/x-ndjson", text(NDJSON_EXAMPLE))
            .content("text/csv", text(CSV_EXAMPLE))
            .build();
        if let Some(op) = openapi
            .paths
            .paths
            .get_mut("/api/v1/ingest")
            .and_then(|p| p.post.as_mut())
        {
            op.request_body = Some(body);
        }
    }
}

impl utoipa::Modify for BearerKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

async fn openapi_json() -> Response {
    use utoipa::OpenApi;
    match ApiDoc::openapi().to_json() {
        Ok(json) => ([(CONTENT_TYPE, "application/json")], json).into_response(),
        Err(e) => ApiError::Storage(sqlx::Error::Protocol(format!(
            "cannot write the OpenAPI document: {e}"
        )))
        .into_response(),
    }
}

/// The campaign, or the API's 404 for it.
async fn require_campaign(state: &AppState, id: i64) -> Result<Campaign, ApiError> {
    state
        .db
        .campaign(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no campaign has id {id}")))
}

/// Campaign ids are positive integers; anything else is the caller's mistake.
fn parse_id(raw: &str) -> Result<i64, ApiError> {
    parse_path_id(raw, "campaign")
}

/// A positive integer id from the path, or a 400 naming what it should be.
fn parse_path_id(raw: &str, what: &str) -> Result<i64, ApiError> {
    match raw.parse::<i64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(ApiError::BadRequest(format!(
            "{what} id in the path must be a positive integer, got {raw:?}"
        ))),
    }
}

async fn no_route(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::NotFound(format!("no API route {method} {}", uri.path()))
}

async fn wrong_method(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::MethodNotAllowed(format!("{method} is not allowed on {}", uri.path()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_must_be_positive_integers() {
        assert_eq!(parse_id("42").ok(), Some(42));
        for bad in ["0", "-3", "abc", "1.5", "", "99999999999999999999"] {
            assert!(
                matches!(parse_id(bad), Err(ApiError::BadRequest(_))),
                "{bad}"
            );
        }
    }
}
