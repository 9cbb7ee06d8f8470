//! Signing in and out, and the signed-in person's own routes: `POST
//! /session` (password or one-time link) sets the `HttpOnly` session cookie,
//! `DELETE /session` ends it, `GET /me` says who and where, `PUT
//! /me/password` changes the password, `DELETE /me/sessions` signs out
//! everywhere.
//!
//! A wrong email, a wrong password and a disabled account get the same
//! answer in about the same time (a missing hash is checked against a
//! fixed one). Failures are counted in the database, per account and per
//! client address, so every server process sees them; past the limit the
//! answer is 429 with `Retry-After`, before any password is checked.

use super::caller::{SignedIn, check_same_origin};
use super::error::json_body;
use super::params::{NoQuery, Params};
use super::{ApiError, AppState};
use crate::access::{self, Principal};
use crate::db::access::SESSION_ABSOLUTE_S;
use analytics::wire::{ErrorBody, Me, Membership};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_in, sign_out))
        .routes(routes!(get_me))
        .routes(routes!(change_password))
        .routes(routes!(sign_out_everywhere))
}

/// Failures counted over this window…
pub const FAILURE_WINDOW_S: i64 = 15 * 60;
/// …at most this many per account…
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// …and this many per client address.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
/// A session opened by a one-time link may set a password without the
/// current one for this long.
const LINK_GRACE_S: i64 = 3600;

/// The body of `POST /api/v1/session`: an email and password, or the
/// secret of a one-time sign-in link.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum SignIn {
    Password(PasswordSignIn),
    Link(LinkSignIn),
}

/// Signing in with a password.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordSignIn {
    pub email: String,
    pub password: String,
}

/// Signing in with a one-time link: the secret after `#signin=`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkSignIn {
    pub link: String,
}

/// The client's address (the peer of the connection; behind a proxy, the
/// proxy's), for counting failed sign-ins.
#[derive(Debug)]
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string()),
        ))
    }
}

/// The `Set-Cookie` value that opens (`Some(token)`) or clears the session.
fn session_cookie(state: &AppState, token: Option<&str>) -> HeaderValue {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let (value, age) = match token {
        Some(t) => (t, SESSION_ABSOLUTE_S),
        None => ("", 0),
    };
    HeaderValue::from_str(&format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={age}{secure}",
        super::caller::SESSION_COOKIE
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("wom_session=; Path=/; Max-Age=0"))
}

fn with_cookie(state: &AppState, token: Option<&str>) -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, session_cookie(state, token));
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// 429 if `subject` failed `max` times in the window.
async fn check_rate(state: &AppState, subject: &str, max: i64) -> Result<(), ApiError> {
    let (n, oldest) = state.db.sign_in_failures(subject, FAILURE_WINDOW_S).await?;
    if n >= max {
        let now = chrono::Utc::now().timestamp();
        let retry = oldest.map_or(FAILURE_WINDOW_S, |o| o + FAILURE_WINDOW_S - now);
        return Err(ApiError::TooManyRequests {
            message: format!(
                "too many failed sign-ins; try again in {} minute(s)",
                (retry + 59) / 60
            ),
            retry_after_s: retry.max(1),
        });
    }
    Ok(())
}

/// `POST /api/v1/session`: signs in with `{email, password}` or `{link}`.
#[utoipa::path(post, path = "/session", tag = "session",
    request_body = SignIn,
    responses((status = 204, description = "Signed in: the response sets the HttpOnly session cookie"),
              (status = 400, description = "Not the expected JSON: neither a password nor a link", body = ErrorBody),
              (status = 401, description = "The email or the password is wrong, or the link is used up or expired", body = ErrorBody),
              (status = 403, description = "A cross-site request", body = ErrorBody),
              (status = 429, description = "Too many failed sign-ins: see Retry-After", body = ErrorBody)))]
async fn sign_in(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    _same_origin: SameOriginIfBrowser,
    body: Bytes,
) -> Result<Response, ApiError> {
    let req: SignIn = json_body(&body).map_err(|_| {
        ApiError::BadRequest(
            "send {\"email\", \"password\"} or {\"link\"} (the secret of a one-time sign-in link), and nothing else"
                .into(),
        )
    })?;
    let addr_subject = format!("addr:{addr}");
    check_rate(&state, &addr_subject, MAX_FAILURES_PER_ADDRESS).await?;
    match req {
        SignIn::Link(LinkSignIn { link }) => {
            let Some(user) = state.db.redeem_sign_in_link(link.trim()).await? else {
                state
                    .db
                    .note_sign_in_failure(&[addr_subject], FAILURE_WINDOW_S)
                    .await?;
                return Err(ApiError::Unauthorized(
                    "this sign-in link has been used or has expired: ask for a new one".into(),
                ));
            };
            let token = state.db.create_session(user, true).await?;
            tracing::info!(user, "signed in with a one-time link");
            Ok(with_cookie(&state, Some(&token)))
        }
        SignIn::Password(PasswordSignIn { email, password }) => {
            let email_key = format!(
                "email:{}",
                access::truncate(&email.trim().to_lowercase(), 254)
            );
            check_rate(&state, &email_key, MAX_FAILURES_PER_ACCOUNT).await?;
            let candidate = state.db.sign_in_candidate(&email).await?;
            let stored = candidate.as_ref().and_then(|(_, h)| h.clone());
            let ok = tokio::task::spawn_blocking(move || {
                access::verify_password(stored.as_deref(), &password)
            })
            .await
            .map_err(|e| ApiError::Internal(format!("password check failed: {e}")))?;
            match candidate {
                Some((user, _)) if ok => {
                    state.db.clear_sign_in_failures(&email_key).await?;
                    let token = state.db.create_session(user, false).await?;
                    tracing::info!(user, "signed in with a password");
                    Ok(with_cookie(&state, Some(&token)))
                }
                _ => {
                    state
                        .db
                        .note_sign_in_failure(&[email_key, addr_subject], FAILURE_WINDOW_S)
                        .await?;
                    Err(ApiError::Unauthorized(
                        "the email or the password is wrong".into(),
                    ))
                }
            }
        }
    }
}

/// Refuses a sign-in posted from another site's page (login CSRF) when the
/// browser says where it comes from; other clients (scripts) send neither
/// header and may sign in.
#[derive(Debug)]
pub struct SameOriginIfBrowser;

impl FromRequestParts<AppState> for SameOriginIfBrowser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if parts.headers.contains_key("sec-fetch-site")
            || parts.headers.contains_key(header::ORIGIN)
        {
            check_same_origin(parts, state)?;
        }
        Ok(SameOriginIfBrowser)
    }
}

fn session_of(caller: &access::Caller) -> (i64, i64, bool, i64) {
    match caller.principal {
        Principal::User {
            id,
            session,
            via_link,
            session_started,
            ..
        } => (id, session, via_link, session_started),
        // SignedIn admits people only.
        Principal::Key { .. } => (0, 0, false, 0),
    }
}

/// `DELETE /api/v1/session`: signs out (this session).
#[utoipa::path(delete, path = "/session", tag = "session",
    responses((status = 204, description = "Signed out: the session is ended and the cookie cleared"),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "An API key, or a cross-site request", body = ErrorBody)))]
async fn sign_out(
    State(state): State<AppState>,
    SignedIn { caller }: SignedIn,
) -> Result<Response, ApiError> {
    let (_, session, _, _) = session_of(&caller);
    state.db.end_session(session).await?;
    Ok(with_cookie(&state, None))
}

/// `DELETE /api/v1/me/sessions`: signs out everywhere (every session of
/// the signed-in person, this one included).
#[utoipa::path(delete, path = "/me/sessions", tag = "session",
    responses((status = 204, description = "Every session ended; the cookie cleared"),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "An API key, or a cross-site request", body = ErrorBody)))]
async fn sign_out_everywhere(
    State(state): State<AppState>,
    SignedIn { caller }: SignedIn,
) -> Result<Response, ApiError> {
    let (user, _, _, _) = session_of(&caller);
    state.db.end_user_sessions(user).await?;
    Ok(with_cookie(&state, None))
}

/// `GET /api/v1/me`: the signed-in person, their workspaces and roles.
#[utoipa::path(get, path = "/me", tag = "session",
    responses((status = 200, description = "Who is signed in, and where they may look", body = Me),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "An API key", body = ErrorBody)))]
async fn get_me(
    SignedIn { caller }: SignedIn,
    Params(NoQuery {}): Params<NoQuery>,
) -> Result<Response, ApiError> {
    let Principal::User { email, name, .. } = &caller.principal else {
        return Err(ApiError::forbidden("API keys have no person".into()));
    };
    let me = Me {
        email: email.clone(),
        name: name.clone(),
        workspaces: caller
            .grants
            .iter()
            .map(|g| Membership {
                slug: g.workspace.clone(),
                name: g.workspace_name.clone(),
                role: g.role.as_str().into(),
                brand: g.brand_id,
            })
            .collect(),
    };
    let mut r = Json(me).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

/// The body of `PUT /api/v1/me/password`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPassword {
    /// The current password (not needed within an hour of signing in with a
    /// one-time link).
    #[serde(default)]
    pub current: Option<String>,
    /// The new password: 8 to 256 characters.
    #[schema(min_length = 8, max_length = 256)]
    pub password: String,
}

/// `PUT /api/v1/me/password`: sets a new password; every other session of
/// the person ends.
#[utoipa::path(put, path = "/me/password", tag = "session",
    request_body = NewPassword,
    responses((status = 204, description = "Changed; other sessions ended"),
              (status = 400, description = "Not the expected JSON", body = ErrorBody),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "The current password is wrong, an API key, or a cross-site request", body = ErrorBody),
              (status = 422, description = "The new password is too short or too long", body = ErrorBody)))]
async fn change_password(
    State(state): State<AppState>,
    SignedIn { caller }: SignedIn,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let req: NewPassword = json_body(&body)?;
    let (user, session, via_link, started) = session_of(&caller);
    let fresh_link = via_link && chrono::Utc::now().timestamp() - started < LINK_GRACE_S;
    if !fresh_link {
        let Principal::User { email, .. } = &caller.principal else {
            return Err(ApiError::forbidden("API keys have no password".into()));
        };
        let stored = state
            .db
            .sign_in_candidate(email)
            .await?
            .and_then(|(_, h)| h);
        let current = req.current.clone().unwrap_or_default();
        let ok = tokio::task::spawn_blocking(move || {
            access::verify_password(stored.as_deref(), &current)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("password check failed: {e}")))?;
        if !ok {
            return Err(ApiError::forbidden(
                "current: the current password is wrong".into(),
            ));
        }
    }
    let password = req.password;
    let hash = tokio::task::spawn_blocking(move || access::hash_password(&password))
        .await
        .map_err(|e| ApiError::Internal(format!("password hashing failed: {e}")))?
        .map_err(|e| match e {
            access::PasswordError::Hashing(why) => ApiError::Internal(why),
            other => ApiError::Invalid(format!("password: {other}")),
        })?;
    state
        .db
        .set_password_hash(user, &hash, Some(session))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
