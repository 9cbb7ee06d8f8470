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
    /// No valid credential (session or API key) was given.
    #[error("{0}")]
    Unauthorized(String),
    /// The caller is known but their role or scope does not allow this.
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
    /// Too many failed sign-ins: try again after `retry_after_s` seconds.
    #[error("{message}")]
    TooManyRequests { message: String, retry_after_s: i64 },
    /// The server failed in a way that is not the caller's doing and not
    /// the database's (a bug, or a resource it lacks); logged, not shown.
    #[error("internal error: {0}")]
    Internal(String),
    /// Storage failed; details are in the server log, not in the response.
    #[error("storage error: {0}")]
    Storage(#[from] sqlx::Error),
}

impl ApiError {
    /// A 403 with a message and no lines.
    pub fn forbidden(message: String) -> ApiError {
        ApiError::Forbidden {
            message,
            lines: Vec::new(),
        }
    }

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
            ApiError::TooManyRequests { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "too_many_requests")
            }
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal_error"),
            ApiError::Storage(_) => (StatusCode::INTERNAL_SERVER_ERROR, "storage_error"),
        }
    }
}

impl From<crate::db::SetupError> for ApiError {
    fn from(e: crate::db::SetupError) -> ApiError {
        use crate::db::SetupError;
        match e {
            SetupError::Storage(e) => ApiError::Storage(e),
            SetupError::BrandExists { .. } | SetupError::WorkspaceExists(_) => {
                ApiError::Conflict(e.to_string())
            }
            SetupError::NoWorkspace(_)
            | SetupError::NoCampaign { .. }
            | SetupError::NoKey { .. } => ApiError::NotFound(e.to_string()),
            other => ApiError::Invalid(other.to_string()),
        }
    }
}

impl From<crate::db::access::AccessError> for ApiError {
    fn from(e: crate::db::access::AccessError) -> ApiError {
        use crate::access::PasswordError;
        use crate::db::access::AccessError as E;
        match e {
            E::Storage(e) => ApiError::Storage(e),
            E::Setup(e) => e.into(),
            E::Password(PasswordError::Hashing(why)) => ApiError::Internal(why),
            E::UserExists(_) | E::AlreadyMember { .. } => ApiError::Conflict(e.to_string()),
            E::NoUser(_) | E::NotMember { .. } => ApiError::NotFound(e.to_string()),
            other => ApiError::Invalid(other.to_string()),
        }
    }
}

impl From<crate::db::IngestError> for ApiError {
    fn from(e: crate::db::IngestError) -> ApiError {
        use crate::db::IngestError;
        match e {
            IngestError::ForeignCampaign(lines) => ApiError::Forbidden {
                message: format!(
                    "{} line(s) refer to campaigns of another workspace; nothing was stored",
                    lines.len()
                ),
                lines,
            },
            IngestError::Conflicts(lines) => ApiError::Unprocessable {
                message: format!(
                    "{} line(s) conflict with stored events; nothing was stored",
                    lines.len()
                ),
                lines,
            },
            IngestError::Storage(e) => ApiError::Storage(e),
        }
    }
}

/// A JSON request body of type `T`, or a 400 saying where it is wrong.
pub fn json_body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.is_empty() {
        return Err(ApiError::BadRequest(
            "the body is empty: send a JSON object".into(),
        ));
    }
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::BadRequest(format!(
            "the body is not the expected JSON (line {}, column {}): {e}",
            e.line(),
            e.column()
        ))
    })
}

/// The answer for a request whose handler panicked: a 500 for that request
/// alone (the server goes on serving), the panic in the log.
pub fn panicked(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    ApiError::Internal(format!("a request handler panicked: {what}")).into_response()
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
            ApiError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                "the server failed to answer; the server log has the details".to_string()
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
        let mut response = (status, Json(body)).into_response();
        if let ApiError::TooManyRequests { retry_after_s, .. } = self {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(retry_after_s.max(1)),
            );
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"api\""),
            );
        }
        response
    }
}
