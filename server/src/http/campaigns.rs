//! `/campaigns…` reads: the campaigns a caller may read, and one campaign's
//! summary, time series, funnel, accounts, posts and reach sketches. Every
//! campaign route takes [`ReadCampaign`]: it cannot run for a caller who may
//! not read the campaign.

use super::caller::ReadCampaign;
use super::params::{self, NoQuery, Params};
use super::{ApiError, AppState};
use crate::access::Caller;
use crate::db::FunnelBy;
use analytics::wire::{Campaign, CampaignSummary, ChannelDay, ErrorBody};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_campaigns, super::setup::create_campaign))
        .routes(routes!(get_campaign_summary))
        .routes(routes!(get_timeseries))
        .routes(routes!(get_funnel))
        .routes(routes!(get_account_days))
        .routes(routes!(get_post_totals))
        .routes(routes!(get_sketches))
}

/// Every campaign the caller may read, each with its workspace.
#[utoipa::path(get, path = "/campaigns", tag = "campaigns",
    responses((status = 200, description = "Every campaign the caller may read (a client: their brand's)", body = Vec<Campaign>),
              (status = 401, description = "Not signed in", body = ErrorBody)))]
async fn list_campaigns(
    State(state): State<AppState>,
    caller: Caller,
    Params(NoQuery {}): Params<NoQuery>,
) -> Result<Json<Vec<Campaign>>, ApiError> {
    let all = state.db.list_campaigns().await?;
    Ok(Json(
        all.into_iter()
            .filter(|c| caller.may_read(&c.workspace.slug, c.brand.id))
            .collect(),
    ))
}

/// The summary, served from the per-campaign cache while the campaign's
/// data version is unchanged (one primary-key lookup revalidates it).
#[utoipa::path(get, path = "/campaigns/{id}/summary", tag = "campaigns",
    params(("id" = i64, Path, description = "The campaign's id", minimum = 1)),
    responses((status = 200, description = "KPIs and the daily series, from the rollups", body = CampaignSummary),
              (status = 400, description = "A malformed id", body = ErrorBody),
              (status = 404, description = "No such campaign (or not one the caller may read)", body = ErrorBody)))]
async fn get_campaign_summary(
    State(state): State<AppState>,
    ReadCampaign { campaign, version }: ReadCampaign,
    Params(NoQuery {}): Params<NoQuery>,
) -> Result<Response, ApiError> {
    let id = campaign.id;
    let version = match version {
        Some(v) => v,
        None => state.db.campaign_version(id).await?,
    };
    let body = match state.summaries.get(id, version) {
        Some(body) => body,
        None => {
            let summary: CampaignSummary = state
                .db
                .campaign_summary(id)
                .await?
                .map_err(|e| ApiError::NotFound(e.to_string()))?;
            let body = Bytes::from(serde_json::to_vec(&summary).map_err(|e| {
                ApiError::Internal(format!("cannot write the summary of campaign {id}: {e}"))
            })?);
            state.summaries.put(id, version, body.clone());
            body
        }
    };
    Ok(([(CONTENT_TYPE, "application/json")], body).into_response())
}

/// A row of `GET …/timeseries`: by day, or with `grain=hour` by hour (for
/// the document only: the handler answers the one or the other).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum TimeseriesRow {
    Day(ChannelDay),
    Hour(analytics::wire::ChannelHour),
}

/// The query of `GET …/timeseries`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TimeseriesQuery {
    grain: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// `GET /api/v1/campaigns/{id}/timeseries?grain=day|hour&from=&to=`: the
/// rollups by day (workspace time zone) or UTC hour, channel and suspect
/// flag; `from`/`to` (Unix seconds, `to` exclusive) bound the hours.
#[utoipa::path(get, path = "/campaigns/{id}/timeseries", tag = "campaigns",
    params(("id" = i64, Path, description = "The campaign's id", minimum = 1),
           ("grain" = Option<String>, Query, description = "day (default; rows are ChannelDay) or hour (rows are ChannelHour)", pattern = "^(day|hour)$"),
           ("from" = Option<i64>, Query, description = "With grain=hour: first hour, Unix seconds", minimum = 0, maximum = 253402300799i64),
           ("to" = Option<i64>, Query, description = "With grain=hour: end (exclusive), Unix seconds; at most 366 days after from when both are given", minimum = 0, maximum = 253402300799i64)),
    responses((status = 200, description = "Rollups by day (ChannelDay rows) or hour (ChannelHour rows), channel and suspect flag; two rows where both kinds of account contributed",
               body = Vec<TimeseriesRow>),
              (status = 400, description = "A malformed parameter or a window over 366 days", body = ErrorBody),
              (status = 404, description = "No such campaign", body = ErrorBody)))]
async fn get_timeseries(
    State(state): State<AppState>,
    ReadCampaign { campaign, .. }: ReadCampaign,
    Params(q): Params<TimeseriesQuery>,
) -> Result<Response, ApiError> {
    let hourly = match q.grain.as_deref() {
        None | Some("day") => false,
        Some("hour") => true,
        Some(v) => {
            return Err(ApiError::BadRequest(format!(
                "query parameter grain={:?} must be day or hour",
                crate::access::truncate(v, 40)
            )));
        }
    };
    let from = params::optional_unix_seconds("from", q.from.as_deref())?;
    let to = params::optional_unix_seconds("to", q.to.as_deref())?;
    if !hourly {
        if from.is_some() || to.is_some() {
            return Err(ApiError::BadRequest(
                "from and to bound hours: use them with grain=hour".into(),
            ));
        }
        return Ok(Json(state.db.channel_days(campaign.id).await?).into_response());
    }
    // The answer holds stored hours only (no zero-filling), so it is
    // bounded by the campaign's data; a window named in full is checked.
    if let (Some(f), Some(t)) = (from, to) {
        params::window(f, t)?;
    }
    Ok(Json(state.db.channel_hours(campaign.id, from, to).await?).into_response())
}

/// The query of `GET …/funnel`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FunnelQuery {
    by: Option<String>,
    channel: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// `GET /api/v1/campaigns/{id}/funnel?by=channel|post|kol&channel=&from=&to=`:
/// the fan-conversion funnel's inputs (analytics::funnel): per group, suspect
/// flag and conversion window, how many users were exposed, engaged, became
/// fans, converted and stayed fans 7 and 30 days. Totals only: user ids stay
/// on the server.
#[utoipa::path(get, path = "/campaigns/{id}/funnel", tag = "campaigns",
    params(("id" = i64, Path, description = "The campaign's id", minimum = 1),
           ("by" = Option<String>, Query, description = "channel (default), post (the post of the users' first exposure) or kol (the handle of the closest KOL among that post's author and ancestors, else the cascade root's author)", pattern = "^(channel|post|kol)$"),
           ("channel" = Option<String>, Query, description = "Only users first exposed on this channel", pattern = "^(weibo|wechat|douyin|xiaohongshu|x|facebook)$"),
           ("from" = Option<String>, Query, description = "Only users first exposed on or after this day, YYYY-MM-DD (workspace time zone)", format = Date),
           ("to" = Option<String>, Query, description = "… and on or before this day", format = Date)),
    responses((status = 200, description = "Funnel totals per group, suspect flag and window (seconds: 3600, 86400, 259200, 604800, 1209600, 2592000)", body = Vec<analytics::funnel::FunnelRow>),
              (status = 400, description = "A malformed parameter", body = ErrorBody),
              (status = 404, description = "No such campaign", body = ErrorBody)))]
async fn get_funnel(
    State(state): State<AppState>,
    ReadCampaign { campaign, .. }: ReadCampaign,
    Params(q): Params<FunnelQuery>,
) -> Result<Json<Vec<analytics::funnel::FunnelRow>>, ApiError> {
    let by = match q.by.as_deref() {
        None | Some("channel") => FunnelBy::Channel,
        Some("post") => FunnelBy::Post,
        Some("kol") => FunnelBy::Kol,
        Some(v) => {
            return Err(ApiError::BadRequest(format!(
                "query parameter by={:?} must be channel, post or kol",
                crate::access::truncate(v, 40)
            )));
        }
    };
    let channel = q.channel.as_deref().map(params::channel).transpose()?;
    let from = q
        .from
        .as_deref()
        .map(|v| params::day("from", v))
        .transpose()?;
    let to = q.to.as_deref().map(|v| params::day("to", v)).transpose()?;
    Ok(Json(
        state
            .db
            .funnel(
                campaign.id,
                by,
                channel.map(|c| c.as_str()),
                from.map(|d| d.to_string()).as_deref(),
                to.map(|d| d.to_string()).as_deref(),
            )
            .await?,
    ))
}

/// `GET /api/v1/campaigns/{id}/accounts`: the counters by day, channel,
/// credited account (owned or KOL; `""` for earned) and suspect flag.
#[utoipa::path(get, path = "/campaigns/{id}/accounts", tag = "campaigns",
    params(("id" = i64, Path, description = "The campaign's id", minimum = 1)),
    responses((status = 200, description = "Counters by day, channel, credited account and suspect flag", body = Vec<analytics::wire::AccountDay>),
              (status = 400, description = "A malformed id or parameter", body = ErrorBody),
              (status = 404, description = "No such campaign", body = ErrorBody)))]
async fn get_account_days(
    State(state): State<AppState>,
    ReadCampaign { campaign, .. }: ReadCampaign,
    Params(NoQuery {}): Params<NoQuery>,
) -> Result<Json<Vec<analytics::wire::AccountDay>>, ApiError> {
    Ok(Json(state.db.account_days(campaign.id).await?))
}

/// The query of `GET …/posts`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PostsQuery {
    limit: Option<String>,
}

/// `GET /api/v1/campaigns/{id}/posts?limit=100`: the posts with the most
/// impressions and what went through each.
#[utoipa::path(get, path = "/campaigns/{id}/posts", tag = "campaigns",
    params(("id" = i64, Path, description = "The campaign's id", minimum = 1),
           ("limit" = Option<i64>, Query, description = "How many rows, 1–1000 (default 100)", minimum = 1, maximum = 1000)),
    responses((status = 200, description = "Per post totals, most impressions first", body = Vec<analytics::wire::PostTotals>),
              (status = 400, description = "A malformed parameter", body = ErrorBody),
              (status = 404, description = "No such campaign", body = ErrorBody)))]
async fn get_post_totals(
    State(state): State<AppState>,
    ReadCampaign { campaign, .. }: ReadCampaign,
    Params(q): Params<PostsQuery>,
) -> Result<Json<Vec<analytics::wire::PostTotals>>, ApiError> {
    let limit = match q.limit.as_deref() {
        Some(v) => params::int_in("limit", v, 1..=1000)?,
        None => 100,
    };
    Ok(Json(state.db.post_totals(campaign.id, limit).await?))
}

/// `GET /api/v1/campaigns/{id}/sketches`: the reach sketches by day and
/// channel, in `analytics::hll`'s set form (version 1).
#[utoipa::path(get, path = "/campaigns/{id}/sketches", tag = "campaigns",
    params(("id" = i64, Path, description = "The campaign's id", minimum = 1)),
    responses((status = 200, description = "HyperLogLog sketches of exposed users per day and channel; union any selection in the browser", content_type = "application/octet-stream", body = Vec<u8>),
              (status = 400, description = "A malformed id or parameter", body = ErrorBody),
              (status = 404, description = "No such campaign", body = ErrorBody)))]
async fn get_sketches(
    State(state): State<AppState>,
    ReadCampaign { campaign, .. }: ReadCampaign,
    Params(NoQuery {}): Params<NoQuery>,
) -> Result<Response, ApiError> {
    let set = state.db.day_sketches(campaign.id).await?;
    Ok((
        [(CONTENT_TYPE, "application/octet-stream")],
        analytics::hll::encode_set(&set),
    )
        .into_response())
}
