//! Who is asking, decided before any handler runs: extractors that turn a
//! request into an authorised [`Caller`] and every path id into something
//! the caller may see. A handler that takes one of these cannot run for
//! anyone else; a handler that takes none is an open route (and the
//! isolation matrix test knows every route, so a new one cannot slip by).
//!
//! - no or an invalid credential → 401;
//! - an id of another tenant (or of a brand a client may not see) → 404,
//!   word for word the answer for an id that does not exist;
//! - the right workspace but not the right role or scope → 403.

use super::{ApiError, AppState};
use crate::access::Caller;
use analytics::wire::{Brand, Campaign};
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "wom_session";

/// The session id in a request's `Cookie` header.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().strip_prefix(SESSION_COOKIE)?.strip_prefix('='))
        .find(|v| !v.is_empty())
}

fn bearer(headers: &HeaderMap) -> Option<Result<&str, ApiError>> {
    let value = headers.get(header::AUTHORIZATION)?;
    Some(
        value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .ok_or_else(|| {
                ApiError::Unauthorized("the Authorization header must be `Bearer <API key>`".into())
            }),
    )
}

/// Refuses a cross-site request: a write authenticated by the browser's
/// cookie must come from our own pages (`Sec-Fetch-Site: same-origin`, or
/// an `Origin` equal to ours); a request with neither is refused too.
pub fn check_same_origin(parts: &Parts, state: &AppState) -> Result<(), ApiError> {
    let refused = |why: &str| ApiError::Forbidden {
        message: format!("cross-site request refused: {why}"),
        lines: Vec::new(),
    };
    let h = &parts.headers;
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return match site {
            "same-origin" | "none" => Ok(()),
            other => Err(refused(&format!("Sec-Fetch-Site is {other}"))),
        };
    }
    let Some(origin) = h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return Err(refused("no Origin or Sec-Fetch-Site header"));
    };
    let ours = match &state.config.public_origin {
        Some(public) => origin == public,
        None => {
            let host = h
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            origin
                .split_once("://")
                .is_some_and(|(_, rest)| !host.is_empty() && rest == host)
        }
    };
    if ours {
        Ok(())
    } else {
        Err(refused("Origin is another site"))
    }
}

fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Decides who is asking, and — in the same query as the credential —
/// reads campaign `campaign`'s data version when asked to (the summary's
/// cache check): an authorised read costs one query, as an open one did.
async fn authenticate(
    parts: &mut Parts,
    state: &AppState,
    campaign: Option<i64>,
) -> Result<(Caller, Option<i64>), ApiError> {
    if let Some(c) = parts.extensions.get::<Caller>() {
        return Ok((c.clone(), None));
    }
    // Every credential presented must be valid: a stale session cookie
    // beside a good key is refused too, so no request is decided by a
    // credential the caller did not mean.
    let session =
        match session_cookie(&parts.headers) {
            Some(token) => Some(state.db.session_caller(token, campaign).await?.ok_or_else(
                || {
                    ApiError::Unauthorized(
                        "the session has ended (signed out, expired or disabled): sign in again"
                            .into(),
                    )
                },
            )?),
            None => None,
        };
    let (caller, version) = if let Some(key) = bearer(&parts.headers) {
        state.db.key_caller(key?, campaign).await?.ok_or_else(|| {
            ApiError::Unauthorized("the API key is not valid (unknown or revoked)".into())
        })?
    } else if let Some(found) = session {
        if is_write(&parts.method) {
            check_same_origin(parts, state)?;
        }
        found
    } else {
        return Err(ApiError::Unauthorized(
            "sign in, or send a workspace API key as `Authorization: Bearer <key>`".into(),
        ));
    };
    parts.extensions.insert(caller.clone());
    Ok((caller, version))
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(authenticate(parts, state, None).await?.0)
    }
}

/// The value of path parameter `name`, if the route has one.
async fn optional_path_param(
    parts: &mut Parts,
    state: &AppState,
    name: &str,
) -> Result<Option<String>, ApiError> {
    let params = RawPathParams::from_request_parts(parts, state)
        .await
        .map_err(|e| ApiError::BadRequest(format!("the path cannot be read: {e}")))?;
    Ok(params
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string()))
}

/// The value of path parameter `name`.
pub(super) async fn path_param(
    parts: &mut Parts,
    state: &AppState,
    name: &str,
) -> Result<String, ApiError> {
    optional_path_param(parts, state, name)
        .await?
        .ok_or_else(|| ApiError::Internal(format!("the route has no path parameter {name}")))
}

/// A positive integer id from the path, or a 400 naming what it should be.
pub fn parse_path_id(raw: &str, what: &str) -> Result<i64, ApiError> {
    match raw.parse::<i64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(ApiError::BadRequest(format!(
            "{what} id in the path must be a positive integer (1 to 9223372036854775807), got {:?}",
            crate::access::truncate(raw, 40)
        ))),
    }
}

/// The campaign `{id}` of the path, which the caller may read.
#[derive(Debug)]
pub struct ReadCampaign {
    pub campaign: Campaign,
    /// The campaign's data version, when it came with the credential.
    pub version: Option<i64>,
}

impl FromRequestParts<AppState> for ReadCampaign {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        // Who is asking is decided first (401 before a malformed id's 400).
        let id = parse_path_id(&path_param(parts, state, "id").await?, "campaign");
        let (caller, version) = authenticate(parts, state, id.as_ref().ok().copied()).await?;
        let id = id?;
        let campaign = state
            .campaigns
            .get(&state.db, id)
            .await?
            .filter(|c| caller.may_read(&c.workspace.slug, c.brand.id))
            .ok_or_else(|| ApiError::NotFound(format!("no campaign has id {id}")))?;
        Ok(ReadCampaign { campaign, version })
    }
}

/// The cascade `{root}` of the campaign `{id}`, which the caller may read.
#[derive(Debug)]
pub struct ReadCascade {
    pub campaign: Campaign,
    pub root: String,
}

impl FromRequestParts<AppState> for ReadCascade {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let ReadCampaign { campaign, .. } = ReadCampaign::from_request_parts(parts, state).await?;
        let root = path_param(parts, state, "root").await?;
        if !state.db.post_in_campaign(&root, campaign.id).await? {
            return Err(ApiError::NotFound(format!(
                "campaign {} has no cascade rooted at post {:?}",
                campaign.id,
                crate::access::truncate(&root, 80)
            )));
        }
        Ok(ReadCascade { campaign, root })
    }
}

/// The brand `{id}` of the path, which the caller may read (a client only
/// their own; tracked competitors are not shown to clients).
#[derive(Debug)]
pub struct ReadBrand {
    pub brand: Brand,
}

impl FromRequestParts<AppState> for ReadBrand {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        let id = parse_path_id(&path_param(parts, state, "id").await?, "brand")?;
        let brand = state
            .db
            .brand(id)
            .await?
            .filter(|b| caller.may_read(&b.workspace, b.id))
            .ok_or_else(|| ApiError::NotFound(format!("no brand has id {id}")))?;
        Ok(ReadBrand { brand })
    }
}

/// A caller who may write data (events, brands, campaigns) into at least
/// one workspace: an owner or analyst, or a key with the `ingest` scope.
#[derive(Debug)]
pub struct Writer {
    caller: Caller,
}

impl Writer {
    /// Who is writing.
    pub fn caller(&self) -> &Caller {
        &self.caller
    }

    /// The workspace to write into: the one named (which the caller must be
    /// allowed to write), or the only one they may write.
    pub fn workspace(&self, named: Option<&str>) -> Result<String, ApiError> {
        let writable: Vec<&str> = self
            .caller
            .grants
            .iter()
            .map(|g| g.workspace.as_str())
            .filter(|w| self.caller.may_write(w))
            .collect();
        match named {
            Some(w) if writable.contains(&w) => Ok(w.to_string()),
            Some(w) if self.caller.grant(w).is_some() => Err(ApiError::forbidden(format!(
                "your role in workspace {w:?} does not allow writing"
            ))),
            Some(w) => Err(ApiError::NotFound(format!(
                "no workspace has slug {:?}",
                crate::access::truncate(w, 40)
            ))),
            None => match writable.as_slice() {
                [one] => Ok(one.to_string()),
                _ => Err(ApiError::BadRequest(format!(
                    "you may write into several workspaces ({}): name one with `workspace`",
                    writable.join(", ")
                ))),
            },
        }
    }
}

impl FromRequestParts<AppState> for Writer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        if !caller.grants.iter().any(|g| caller.may_write(&g.workspace)) {
            return Err(ApiError::forbidden(match caller.principal {
                crate::access::Principal::Key { .. } => {
                    "this API key has no `ingest` scope: it may only read".to_string()
                }
                crate::access::Principal::User { .. } => {
                    "your role allows reading only (writing needs owner or analyst)".to_string()
                }
            }));
        }
        Ok(Writer { caller })
    }
}

/// A signed-in person (not an API key): for the session's own routes.
#[derive(Debug)]
pub struct SignedIn {
    pub caller: Caller,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        if caller.user_id().is_none() {
            return Err(ApiError::forbidden(
                "this route is for signed-in people, not API keys".into(),
            ));
        }
        Ok(SignedIn { caller })
    }
}

/// An owner of the workspace `{slug}` of the path (never an API key), and
/// the `{email}` of the path if the route has one.
#[derive(Debug)]
pub struct Manager {
    /// The workspace's slug.
    pub workspace: String,
    /// The member the route is about.
    pub email: Option<String>,
    caller: Caller,
}

impl Manager {
    /// Is `email` the signed-in owner themselves?
    pub fn is_self(&self, email: &str) -> bool {
        match &self.caller.principal {
            crate::access::Principal::User { email: own, .. } => {
                own.eq_ignore_ascii_case(email.trim())
            }
            crate::access::Principal::Key { .. } => false,
        }
    }
}

impl FromRequestParts<AppState> for Manager {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        let workspace = path_param(parts, state, "slug").await?;
        if caller.grant(&workspace).is_none() {
            return Err(ApiError::NotFound(format!(
                "no workspace has slug {:?}",
                crate::access::truncate(&workspace, 40)
            )));
        }
        if !caller.may_manage(&workspace) {
            return Err(ApiError::forbidden(
                "managing members and API keys needs the owner role (and a person, not a key)"
                    .into(),
            ));
        }
        let email = optional_path_param(parts, state, "email").await?;
        Ok(Manager {
            workspace,
            email,
            caller,
        })
    }
}

/// The report `{id}` of the path, which the caller may read: its
/// workspace's member (a client only their brand's), else 404 as for a
/// report that does not exist.
#[derive(Debug)]
pub struct ReadReport {
    pub report: analytics::report::Report,
    pub caller: Caller,
}

impl FromRequestParts<AppState> for ReadReport {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        let id = parse_path_id(&path_param(parts, state, "id").await?, "report")?;
        let report = state
            .db
            .report(id)
            .await?
            .filter(|r| caller.may_read(&r.workspace, r.brand_id))
            .ok_or_else(|| ApiError::NotFound(format!("no report has id {id}")))?;
        Ok(ReadReport { report, caller })
    }
}

/// The report `{id}` of the path, which the caller may change: readable
/// (else 404) and in a workspace they may write (else 403).
#[derive(Debug)]
pub struct EditReport {
    pub report: analytics::report::Report,
    pub caller: Caller,
}

impl FromRequestParts<AppState> for EditReport {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let ReadReport { report, caller } = ReadReport::from_request_parts(parts, state).await?;
        if !caller.may_write(&report.workspace) {
            return Err(ApiError::forbidden(
                "changing a report needs the owner or analyst role (or a key with the ingest scope)"
                    .into(),
            ));
        }
        Ok(EditReport { report, caller })
    }
}
