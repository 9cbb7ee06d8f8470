//! Word of mouth: a campaign's cascade list and one cascade's tree. Both
//! take the campaign (and the cascade root) as extractors that check the
//! caller's right first.

use super::caller::{ReadCampaign, ReadCascade};
use super::params::{self, Params};
use super::{ApiError, AppState};
use crate::stats::cascades::{self, ListQuery, SortKey};
use analytics::wire::{CascadePage, ErrorBody};
use axum::Json;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_cascades))
        .routes(routes!(get_cascade_tree))
}

/// `GET /api/v1/campaigns/{id}/cascades/{root}/tree`: one cascade in the
/// compact binary form of `analytics::cascade::codec` (version 2).
#[utoipa::path(get, path = "/campaigns/{id}/cascades/{root}/tree", tag = "word of mouth",
    params(("id" = i64, Path, description = "The campaign's id", minimum = 1),
           ("root" = String, Path, description = "The original post's client id")),
    responses((status = 200, description = "The tree: parents, times, the accounts' followers, following, posts and age, flags, ids, handles", content_type = "application/octet-stream", body = Vec<u8>),
              (status = 400, description = "A malformed id or parameter", body = ErrorBody),
              (status = 404, description = "No such campaign or cascade", body = ErrorBody)))]
async fn get_cascade_tree(
    State(state): State<AppState>,
    ReadCascade { campaign, root }: ReadCascade,
    Params(params::NoQuery {}): Params<params::NoQuery>,
) -> Result<Response, ApiError> {
    let blob = cascades::tree_blob(&state.db, &campaign.workspace.slug, &root)
        .await?
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "campaign {} has no cascade rooted at post {:?}",
                campaign.id,
                crate::access::truncate(&root, 80)
            ))
        })?;
    Ok((
        [(CONTENT_TYPE, "application/octet-stream")],
        analytics::cascade::codec::encode(&blob),
    )
        .into_response())
}

/// The query of the cascade list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CascadeListQuery {
    sort: Option<String>,
    order: Option<String>,
    channel: Option<String>,
    min_size: Option<String>,
    max_size: Option<String>,
    from: Option<String>,
    to: Option<String>,
    root: Option<String>,
    page: Option<String>,
    per_page: Option<String>,
}

/// The largest page number asked for (pages beyond the list are empty).
const MAX_PAGE: i64 = 1_000_000;

/// `GET /api/v1/campaigns/{id}/cascades?sort=size&order=desc&channel=weibo&min_size=&max_size=&from=&to=&page=1&per_page=50`
/// (`from`/`to`: Unix seconds of the original post; `to` exclusive).
#[utoipa::path(get, path = "/campaigns/{id}/cascades", tag = "word of mouth",
    params(("id" = i64, Path, description = "The campaign's id", minimum = 1),
           ("sort" = Option<String>, Query, description = "size, depth, virality, t50, predicted or posted", pattern = "^(size|depth|virality|structural_virality|t50|predicted|predicted_size|posted|posted_at)$"),
           ("order" = Option<String>, Query, description = "desc (default) or asc", pattern = "^(asc|desc)$"),
           ("channel" = Option<String>, Query, description = "Only this channel", pattern = "^(weibo|wechat|douyin|xiaohongshu|x|facebook)$"),
           ("min_size" = Option<i64>, Query, description = "At least this many nodes", minimum = 0, format = Int64),
           ("max_size" = Option<i64>, Query, description = "At most this many nodes", minimum = 0),
           ("from" = Option<String>, Query, description = "Originals posted at or after: Unix seconds (0 to 253402300799), or a day YYYY-MM-DD (workspace time zone)", pattern = "^([0-9]{1,11}|[0-9]{4}-[0-9]{2}-[0-9]{2})$"),
           ("to" = Option<String>, Query, description = "Originals posted before: Unix seconds (0 to 253402300799), or through a day YYYY-MM-DD (inclusive)", pattern = "^([0-9]{1,11}|[0-9]{4}-[0-9]{2}-[0-9]{2})$"),
           ("root" = Option<String>, Query, description = "Only the cascade rooted at this post (its id)"),
           ("page" = Option<i64>, Query, description = "From 1 to 1000000", minimum = 1, maximum = 1000000),
           ("per_page" = Option<i64>, Query, description = "1 to 500, default 50", minimum = 1, maximum = 500)),
    responses((status = 200, description = "A page of cascades", body = CascadePage),
              (status = 400, description = "A malformed parameter", body = ErrorBody),
              (status = 404, description = "No such campaign", body = ErrorBody)))]
async fn list_cascades(
    State(state): State<AppState>,
    ReadCampaign { campaign, .. }: ReadCampaign,
    Params(p): Params<CascadeListQuery>,
) -> Result<Json<CascadePage>, ApiError> {
    let tz: chrono_tz::Tz = campaign
        .workspace
        .timezone
        .parse()
        .unwrap_or(chrono_tz::UTC);
    let mut q = ListQuery::default();
    if let Some(v) = &p.sort {
        q.sort = SortKey::parse(v).ok_or_else(|| {
            ApiError::BadRequest(format!(
                "query parameter sort={:?} is not one of {}",
                crate::access::truncate(v, 40),
                SortKey::NAMES
            ))
        })?;
    }
    q.descending = match p.order.as_deref() {
        None | Some("desc") => true,
        Some("asc") => false,
        Some(v) => {
            return Err(ApiError::BadRequest(format!(
                "query parameter order={:?} must be asc or desc",
                crate::access::truncate(v, 40)
            )));
        }
    };
    q.channel = p.channel.as_deref().map(params::channel).transpose()?;
    let size = |name: &str, v: &Option<String>| {
        v.as_deref()
            .map(|v| params::int_in(name, v, 0..=i64::MAX).map(|n| n as u64))
            .transpose()
    };
    q.min_size = size("min_size", &p.min_size)?;
    q.max_size = size("max_size", &p.max_size)?;
    q.from = p
        .from
        .as_deref()
        .map(|v| time_bound("from", v, tz))
        .transpose()?;
    q.to =
        p.to.as_deref()
            .map(|v| time_bound("to", v, tz))
            .transpose()?;
    q.root = p.root.clone();
    if let Some(v) = &p.page {
        q.page = params::int_in("page", v, 1..=MAX_PAGE)? as u32;
    }
    if let Some(v) = &p.per_page {
        q.per_page = params::int_in("per_page", v, 1..=500)? as u32;
    }
    Ok(Json(
        cascades::list(&state.db, &state.cascades, campaign.id, &q).await?,
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
    params::unix_seconds(name, v).map_err(|_| {
        ApiError::BadRequest(format!(
            "query parameter {name}={:?} must be Unix seconds or a day, YYYY-MM-DD",
            crate::access::truncate(v, 40)
        ))
    })
}
