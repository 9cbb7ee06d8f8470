//! Health: an open route, for load balancers and the start-up check.

use super::AppState;
use analytics::wire::Health;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_health))
}

#[utoipa::path(get, path = "/health", tag = "status",
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
