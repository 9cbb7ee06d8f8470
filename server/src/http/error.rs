//! The API's one error type and its single mapping to HTTP: every error body
//! is `{"error": {"code", "message"}}` and says what went wrong and where.

use analytics::events::LineError;
use analytics::wire::{ErrorBody, ErrorDetail};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// An API failure a caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request itself is malformed (fix it and retry).
    #[error("{0}")]
    BadRequest(String),
    /// The thing asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The route exists but not for this method.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// No valid API key was given.
    #[error("{0}")]
    Unauthorized(String),
    /// The key is valid but not for this data.
    #[error("{message}")]
    Forbidden {
        message: String,
        lines: Vec<LineError>,
    },
    /// The batch is refused as a whole; every bad line is listed.
    #[error("{message}")]
    Unprocessable {
        message: String,
        lines: Vec<LineError>,
    },
    /// A size limit was exceeded; the message names it.
    #[error("{0}")]
    TooLarge(String),
    /// The body's media type is not accepted here.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The request is well formed but its content is not acceptable (an
    /// unknown channel, an end before the start, …); the message says why.
    #[error("{0}")]
    Invalid(String),
    /// It already exists.
    #[error("{0}")]
    Conflict(String),
    /// Storage failed; details are in the server log, not in the response.
    #[error("storage error: {0}")]
    Storage(#[from] sqlx::Error),
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::MethodNotAllowed(_) => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            ApiError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::Forbidden { .. } => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::Unprocessable { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_batch"),
            ApiError::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            ApiError::UnsupportedMediaType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            ApiError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ApiError::Storage(_) => (StatusCode::INTERNAL_SERVER_ERROR, "storage_error"),
        }
    }
}

impl From<crate::db::SetupError> for ApiError {
    fn from(e: crate::db::SetupError) -> ApiError {
        use crate::db::SetupError;
        match e {
            SetupError::Storage(e) => ApiError::Storage(e),
            SetupError::BrandExists { .. } => ApiError::Conflict(e.to_string()),
            other => ApiError::Invalid(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let lines = match &self {
            ApiError::Forbidden { lines, .. } | ApiError::Unprocessable { lines, .. } => {
                lines.clone()
            }
            _ => Vec::new(),
        };
        let message = match &self {
            ApiError::Storage(e) => {
                tracing::error!(error = %e, "storage error");
                "the database failed to answer; the server log has the details".to_string()
            }
            other => other.to_string(),
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: code.to_string(),
                message,
                lines,
            },
        };
        (status, Json(body)).into_response()
    }
}
