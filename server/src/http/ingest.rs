//! `POST /api/v1/ingest`: a batch of events from a [`Writer`] (a key with
//! the `ingest` scope, or an owner or analyst signed in). All of it is
//! stored, or none of it.

use super::caller::Writer;
use super::params::Params;
use super::{ApiError, AppState};
use crate::db::{IngestOutcome, OnConflict};
use analytics::wire::ErrorBody;
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(ingest))
}

/// The largest request body `POST /ingest` reads.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// The most events one batch may hold.
pub const MAX_BATCH_EVENTS: usize = 10_000;

/// The query of `POST /ingest`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IngestQuery {
    workspace: Option<String>,
}

/// `POST /api/v1/ingest`: an NDJSON or CSV batch (format: `analytics::events`).
#[utoipa::path(post, path = "/ingest", tag = "ingestion",
    params(("workspace" = Option<String>, Query, description = "The workspace (slug) the events belong to; needed only by a person who may write into several")),
    request_body(content = String, description = "The event format: filled in from analytics::events::FORMAT_DOC by EventFormat", content_type = "application/x-ndjson"),
    responses((status = 200, description = "Stored: durably committed", body = IngestOutcome),
              (status = 400, description = "An empty or unreadable body", body = ErrorBody),
              (status = 403, description = "The caller may not write, or a campaign of another workspace", body = ErrorBody),
              (status = 404, description = "No such workspace (of the caller's)", body = ErrorBody),
              (status = 413, description = "Over a size limit", body = ErrorBody),
              (status = 415, description = "Another content type", body = ErrorBody),
              (status = 422, description = "Invalid lines or conflicts: every line listed, nothing stored", body = ErrorBody)))]
async fn ingest(
    State(state): State<AppState>,
    writer: Writer,
    Params(q): Params<IngestQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<IngestOutcome>, ApiError> {
    let workspace = writer.workspace(q.workspace.as_deref())?;
    let media = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let csv = media.starts_with("text/csv");
    let ndjson = media.is_empty() || media.contains("json") || media.starts_with("text/plain");
    if !(csv || ndjson) {
        return Err(ApiError::UnsupportedMediaType(format!(
            "content type {:?} is not accepted: send application/x-ndjson or text/csv",
            crate::access::truncate(media, 80)
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
    if text.trim().is_empty() {
        return Err(ApiError::BadRequest(
            "the body holds no events: send one event per line (NDJSON) or a CSV with a header row"
                .into(),
        ));
    }
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
    Ok(Json(
        state
            .db
            .ingest(&workspace, &events, OnConflict::Refuse)
            .await?,
    ))
}
