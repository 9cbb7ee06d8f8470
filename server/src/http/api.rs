//! `/api/v1`: health, the campaign list and one campaign's summary. Reads are
//! open for now; authentication arrives with workspaces' API keys.

use super::{ApiError, AppState};
use analytics::wire::{Campaign, CampaignSummary, Health};
use axum::extract::{OriginalUri, Path, State};
use axum::http::{Method, StatusCode};
use axum::routing::get;
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(get_health))
        .route("/campaigns", get(list_campaigns))
        .route("/campaigns/{id}/summary", get(get_campaign_summary))
        .fallback(no_route)
        .method_not_allowed_fallback(wrong_method)
}

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

async fn list_campaigns(State(state): State<AppState>) -> Result<Json<Vec<Campaign>>, ApiError> {
    Ok(Json(state.db.list_campaigns().await?))
}

async fn get_campaign_summary(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<CampaignSummary>, ApiError> {
    let id = parse_id(&id)?;
    state
        .db
        .campaign_summary(id)
        .await?
        .map(Json)
        .map_err(|e| ApiError::NotFound(e.to_string()))
}

/// Campaign ids are positive integers; anything else is the caller's mistake.
fn parse_id(raw: &str) -> Result<i64, ApiError> {
    match raw.parse::<i64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(ApiError::BadRequest(format!(
            "campaign id in the path must be a positive integer, got {raw:?}"
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
