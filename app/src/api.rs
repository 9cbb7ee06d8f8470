//! The only module that knows the API's URLs. Every call returns the wire
//! type from `analytics::wire` or an [`ApiFailure`].

use crate::error::ApiFailure;
use analytics::date::Date;
use analytics::hll::DaySketch;
use analytics::wire::{AccountDay, Campaign, CampaignSummary, Channel, ChannelDay, ErrorBody};
use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;

const BASE: &str = "/api/v1";

/// `GET /api/v1/campaigns`.
pub async fn campaigns() -> Result<Vec<Campaign>, ApiFailure> {
    get_json(&format!("{BASE}/campaigns")).await
}

/// `GET /api/v1/campaigns/{id}/summary`.
pub async fn campaign_summary(id: i64) -> Result<CampaignSummary, ApiFailure> {
    get_json(&format!("{BASE}/campaigns/{id}/summary")).await
}

/// `GET /api/v1/campaigns/{id}/funnel?by=…&channel=…&from=…&to=…`: `by` is
/// channel, post or kol; days are `YYYY-MM-DD`; one request per channel of
/// `channels` (their rows add up: a person is counted per channel), all
/// channels when it is empty.
pub async fn campaign_funnel(
    id: i64,
    by: &str,
    channels: &[Channel],
    from: Option<Date>,
    to: Option<Date>,
) -> Result<Vec<analytics::funnel::FunnelRow>, ApiFailure> {
    let mut base = format!("{BASE}/campaigns/{id}/funnel?by={by}");
    if let Some(d) = from {
        base.push_str(&format!("&from={d}"));
    }
    if let Some(d) = to {
        base.push_str(&format!("&to={d}"));
    }
    if channels.is_empty() {
        return get_json(&base).await;
    }
    let mut rows = Vec::new();
    for c in channels {
        rows.extend(
            get_json::<Vec<analytics::funnel::FunnelRow>>(&format!(
                "{base}&channel={}",
                c.as_str()
            ))
            .await?,
        );
    }
    Ok(rows)
}

/// `GET /api/v1/campaigns/{id}/timeseries`: rollups by day and channel.
pub async fn campaign_days(id: i64) -> Result<Vec<ChannelDay>, ApiFailure> {
    get_json(&format!("{BASE}/campaigns/{id}/timeseries")).await
}

/// `GET /api/v1/campaigns/{id}/accounts`: rollups by day, channel and credited account.
pub async fn campaign_accounts(id: i64) -> Result<Vec<AccountDay>, ApiFailure> {
    get_json(&format!("{BASE}/campaigns/{id}/accounts")).await
}

/// `GET /api/v1/campaigns/{id}/sketches`: the reach sketches, decoded.
pub async fn campaign_sketches(id: i64) -> Result<Vec<DaySketch>, ApiFailure> {
    let url = format!("{BASE}/campaigns/{id}/sketches");
    let response = Request::get(&url)
        .send()
        .await
        .map_err(|e| ApiFailure::Unreachable(format!("GET {url}: {e}")))?;
    if !response.ok() {
        return Err(status_failure(response).await);
    }
    let bytes = response
        .binary()
        .await
        .map_err(|e| ApiFailure::Malformed(format!("GET {url}: {e}")))?;
    analytics::hll::decode_set(&bytes).map_err(|e| ApiFailure::Malformed(format!("GET {url}: {e}")))
}

async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, ApiFailure> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|e| ApiFailure::Unreachable(format!("GET {url}: {e}")))?;
    if !response.ok() {
        return Err(status_failure(response).await);
    }
    response
        .json::<T>()
        .await
        .map_err(|e| ApiFailure::Malformed(format!("GET {url}: {e}")))
}

async fn status_failure(response: Response) -> ApiFailure {
    let status = response.status();
    let message = match response.json::<ErrorBody>().await {
        Ok(body) => body.error.message,
        Err(_) => response.status_text(),
    };
    // A gateway in front of a stopped server answers 502/503/504: to the
    // user that is the same as no answer.
    if matches!(status, 502..=504) {
        return ApiFailure::Unreachable(format!("HTTP {status}: {message}"));
    }
    ApiFailure::Status { status, message }
}
