//! The only module that knows the API's URLs. Every call returns the wire
//! type from `analytics::wire` or an [`ApiFailure`].

use crate::error::ApiFailure;
use analytics::wire::{Campaign, CampaignSummary, ErrorBody};
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

/// `GET /api/v1/campaigns/{id}/funnel` (grouped by channel).
pub async fn campaign_funnel(id: i64) -> Result<Vec<analytics::funnel::FunnelRow>, ApiFailure> {
    get_json(&format!("{BASE}/campaigns/{id}/funnel")).await
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
