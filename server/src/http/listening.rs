//! Listening: a brand's mentions per hour and what drove them. The brand is
//! an extractor ([`ReadBrand`]) that checks the caller's right first; every
//! window is bounded (at most 366 days) before anything is read.

use super::caller::ReadBrand;
use super::params::{self, Params};
use super::{ApiError, AppState};
use analytics::wire::{ErrorBody, MentionHour};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_mention_hours))
        .routes(routes!(get_mention_drivers))
}

/// The query of `GET …/mentions`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MentionsQuery {
    from: Option<String>,
    to: Option<String>,
}

/// `GET /api/v1/brands/{id}/mentions?from=&to=`: mentions per hour (Unix
/// seconds; `to` exclusive), zeros included.
#[utoipa::path(get, path = "/brands/{id}/mentions", tag = "listening",
    params(("id" = i64, Path, description = "The brand's id", minimum = 1),
           ("from" = Option<i64>, Query, description = "First hour, Unix seconds (default: the first stored mention's hour)", minimum = 0, maximum = 253402300799i64),
           ("to" = Option<i64>, Query, description = "End (exclusive), Unix seconds (default: after the last stored mention); at most 366 days after from", minimum = 0, maximum = 253402300799i64)),
    responses((status = 200, description = "Mentions per hour, zeros included", body = Vec<MentionHour>),
              (status = 400, description = "A malformed parameter, or a window over 366 days", body = ErrorBody),
              (status = 404, description = "No such brand (or not one the caller may read)", body = ErrorBody)))]
async fn get_mention_hours(
    State(state): State<AppState>,
    ReadBrand { brand }: ReadBrand,
    Params(q): Params<MentionsQuery>,
) -> Result<Json<Vec<MentionHour>>, ApiError> {
    let from = params::optional_unix_seconds("from", q.from.as_deref())?;
    let to = params::optional_unix_seconds("to", q.to.as_deref())?;
    if let (Some(f), Some(t)) = (from, to) {
        params::window(f, t)?;
    }
    // Open sides take the stored mentions' extent; the window is then
    // bounded like an explicit one, so the zero-filled answer stays small.
    let Some((first, last)) = state.db.mention_extent(brand.id, from, to).await? else {
        return Ok(Json(Vec::new()));
    };
    let from = from.unwrap_or(first - first.rem_euclid(3600));
    let to = to.unwrap_or(last - last.rem_euclid(3600) + 3600);
    let (from, to) = params::window(from, to)?;
    Ok(Json(state.db.mention_hours(brand.id, from, to).await?))
}

/// The query of `GET …/mentions/drivers`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DriversQuery {
    from: Option<String>,
    to: Option<String>,
    limit: Option<String>,
}

/// `GET /api/v1/brands/{id}/mentions/drivers?from=&to=&limit=`: what drove
/// the brand's mentions in `[from, to)` (Unix seconds): the posts of the
/// best-followed authors and the authors who mentioned it most.
#[utoipa::path(get, path = "/brands/{id}/mentions/drivers", tag = "listening",
    params(("id" = i64, Path, description = "The brand's id", minimum = 1),
           ("from" = i64, Query, description = "Start, Unix seconds", minimum = 0, maximum = 253402300799i64),
           ("to" = i64, Query, description = "End (exclusive), Unix seconds; at most 366 days after from", minimum = 0, maximum = 253402300799i64),
           ("limit" = Option<i64>, Query, description = "Posts and authors each, 1–100 (default 10)", minimum = 1, maximum = 100)),
    responses((status = 200, description = "Mention count, top posts and top authors in the range", body = analytics::wire::MentionDrivers),
              (status = 400, description = "A missing or malformed parameter, or a window over 366 days", body = ErrorBody),
              (status = 404, description = "No such brand", body = ErrorBody)))]
async fn get_mention_drivers(
    State(state): State<AppState>,
    ReadBrand { brand }: ReadBrand,
    Params(q): Params<DriversQuery>,
) -> Result<Json<analytics::wire::MentionDrivers>, ApiError> {
    let (Some(from), Some(to)) = (&q.from, &q.to) else {
        return Err(ApiError::BadRequest(
            "query parameters from and to (Unix seconds) are required".into(),
        ));
    };
    let (from, to) = params::window(
        params::unix_seconds("from", from)?,
        params::unix_seconds("to", to)?,
    )?;
    let limit = match q.limit.as_deref() {
        Some(v) => params::int_in("limit", v, 1..=100)?,
        None => 10,
    };
    Ok(Json(
        state.db.mention_drivers(brand.id, from, to, limit).await?,
    ))
}
