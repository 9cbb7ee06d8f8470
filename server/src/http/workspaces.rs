//! An owner's settings over the API: a workspace's members (added by a
//! one-time invitation link when they have no account yet, role changed,
//! removed) and its API keys (created with scopes, listed with their last
//! use, revoked). Every route takes [`Manager`]: the caller is an owner of
//! the workspace in the path (a member without the role gets 403; anyone
//! else the 404 of a workspace that does not exist).

use super::caller::{Manager, path_param};
use super::error::json_body;
use super::{ApiError, AppState};
use crate::access::{Role, Scopes};
use analytics::wire::ErrorBody;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_members, add_member))
        .routes(routes!(change_member, remove_member))
        .routes(routes!(list_keys, create_key))
        .routes(routes!(revoke_key))
}

/// A member as the settings page shows it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Member {
    pub email: String,
    pub name: String,
    /// owner, analyst, viewer or client.
    pub role: String,
    /// The client's brand (role client only).
    pub brand: Option<i64>,
}

impl From<crate::db::access::MemberRow> for Member {
    fn from(m: crate::db::access::MemberRow) -> Member {
        Member {
            email: m.email,
            name: m.name,
            role: m.role.as_str().into(),
            brand: m.brand_id,
        }
    }
}

/// The answer to adding a member.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AddedMember {
    pub member: Member,
    /// For a person who had no account: a one-time sign-in link (valid 24
    /// hours) to send them; they set a password once signed in.
    pub invitation: Option<String>,
}

/// The body of `POST …/members`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMember {
    pub email: String,
    /// Their display name, for a person who has no account yet.
    #[serde(default)]
    pub name: Option<String>,
    pub role: String,
    #[serde(default)]
    pub brand: Option<i64>,
}

/// The body of `PUT …/members/{email}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRole {
    pub role: String,
    #[serde(default)]
    pub brand: Option<i64>,
}

fn role(text: &str) -> Result<Role, ApiError> {
    Role::parse(text).ok_or_else(|| {
        ApiError::Invalid(format!(
            "role {:?} is unknown (one of owner, analyst, viewer, client)",
            crate::access::truncate(text, 40)
        ))
    })
}

#[utoipa::path(get, path = "/workspaces/{slug}/members", tag = "settings",
    params(("slug" = String, Path, description = "The workspace's slug")),
    responses((status = 200, description = "The workspace's members, by email", body = Vec<Member>),
              (status = 404, description = "No such workspace (of the caller's)", body = ErrorBody)))]
async fn list_members(
    State(state): State<AppState>,
    manager: Manager,
) -> Result<Json<Vec<Member>>, ApiError> {
    let members = state.db.list_members(&manager.workspace).await?;
    Ok(Json(members.into_iter().map(Member::from).collect()))
}

#[utoipa::path(post, path = "/workspaces/{slug}/members", tag = "settings",
    params(("slug" = String, Path, description = "The workspace's slug")),
    request_body = NewMember,
    responses((status = 201, description = "Added; with an invitation link for a person who had no account", body = AddedMember),
              (status = 400, description = "Not the expected JSON", body = ErrorBody),
              (status = 404, description = "No such workspace (of the caller's)", body = ErrorBody),
              (status = 409, description = "Already a member", body = ErrorBody),
              (status = 422, description = "An unacceptable value, named", body = ErrorBody)))]
async fn add_member(
    State(state): State<AppState>,
    manager: Manager,
    body: Bytes,
) -> Result<(StatusCode, Json<AddedMember>), ApiError> {
    let m: NewMember = json_body(&body)?;
    let role = role(&m.role)?;
    let existing = state.db.user_by_email(&m.email).await?;
    // Check the role first, so a refused member leaves no account behind.
    if role == Role::Client && m.brand.is_none() {
        return Err(crate::db::access::AccessError::ClientNeedsBrand.into());
    }
    let mut invitation = None;
    if existing.is_none() {
        let name = m
            .name
            .clone()
            .unwrap_or_else(|| m.email.split('@').next().unwrap_or_default().to_string());
        let user = state.db.create_user(&m.email, &name, None).await?;
        let added = state
            .db
            .add_member(&manager.workspace, &m.email, role, m.brand)
            .await;
        if let Err(e) = added {
            // Nothing half-done: the new account goes with the refusal.
            state.db.delete_unused_user(user.id).await?;
            return Err(e.into());
        }
        let secret = state.db.create_sign_in_link(user.id).await?;
        let base = state.config.public_origin.clone().unwrap_or_default();
        invitation = Some(format!("{base}/sign-in#signin={secret}"));
        let member = state
            .db
            .list_members(&manager.workspace)
            .await?
            .into_iter()
            .find(|x| x.email == user.email)
            .ok_or_else(|| ApiError::Internal("the new member vanished".into()))?;
        return Ok((
            StatusCode::CREATED,
            Json(AddedMember {
                member: member.into(),
                invitation,
            }),
        ));
    }
    let member = state
        .db
        .add_member(&manager.workspace, &m.email, role, m.brand)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(AddedMember {
            member: member.into(),
            invitation: invitation.take(),
        }),
    ))
}

#[utoipa::path(put, path = "/workspaces/{slug}/members/{email}", tag = "settings",
    params(("slug" = String, Path, description = "The workspace's slug"),
           ("email" = String, Path, description = "The member's email")),
    request_body = MemberRole,
    responses((status = 200, description = "The member with their new role", body = Member),
              (status = 400, description = "Not the expected JSON", body = ErrorBody),
              (status = 404, description = "No such workspace or member", body = ErrorBody),
              (status = 422, description = "An unacceptable value, named", body = ErrorBody)))]
async fn change_member(
    State(state): State<AppState>,
    manager: Manager,
    body: Bytes,
) -> Result<Json<Member>, ApiError> {
    let email = manager.email.clone().unwrap_or_default();
    let r: MemberRole = json_body(&body)?;
    let role = role(&r.role)?;
    if manager.is_self(&email) && role != Role::Owner {
        return Err(ApiError::Invalid(
            "role: an owner cannot give up their own ownership here (another owner can)".into(),
        ));
    }
    Ok(Json(
        state
            .db
            .change_member_role(&manager.workspace, &email, role, r.brand)
            .await?
            .into(),
    ))
}

#[utoipa::path(delete, path = "/workspaces/{slug}/members/{email}", tag = "settings",
    params(("slug" = String, Path, description = "The workspace's slug"),
           ("email" = String, Path, description = "The member's email")),
    responses((status = 204, description = "Removed"),
              (status = 404, description = "No such workspace or member", body = ErrorBody),
              (status = 422, description = "An owner removing themselves", body = ErrorBody)))]
async fn remove_member(
    State(state): State<AppState>,
    manager: Manager,
) -> Result<StatusCode, ApiError> {
    let email = manager.email.clone().unwrap_or_default();
    if manager.is_self(&email) {
        return Err(ApiError::Invalid(
            "an owner cannot remove themselves (another owner can)".into(),
        ));
    }
    state.db.remove_member(&manager.workspace, &email).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A key as the settings page lists it (never the key itself).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ApiKeyInfo {
    pub id: i64,
    pub name: String,
    /// The key's first characters, to recognise it: `wom_1a2b3c4d…`.
    pub prefix: String,
    pub scopes: Vec<String>,
    pub created_at: i64,
    /// The last request it authorised, to the minute.
    pub last_used_at: Option<i64>,
    pub revoked: bool,
}

/// A key just created: shown this once.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NewApiKey {
    pub id: i64,
    pub key: String,
}

/// The body of `POST …/keys`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyRequest {
    #[serde(default)]
    pub name: String,
    /// read, ingest (at least one).
    pub scopes: Vec<String>,
}

#[utoipa::path(get, path = "/workspaces/{slug}/keys", tag = "settings",
    params(("slug" = String, Path, description = "The workspace's slug")),
    responses((status = 200, description = "The workspace's keys, newest first", body = Vec<ApiKeyInfo>),
              (status = 404, description = "No such workspace (of the caller's)", body = ErrorBody)))]
async fn list_keys(
    State(state): State<AppState>,
    manager: Manager,
) -> Result<Json<Vec<ApiKeyInfo>>, ApiError> {
    let keys = state.db.list_api_keys(&manager.workspace).await?;
    Ok(Json(
        keys.into_iter()
            .map(|k| ApiKeyInfo {
                id: k.id,
                name: k.name,
                prefix: format!("wom_{}…", k.prefix),
                scopes: k.scopes.to_text().split(',').map(str::to_string).collect(),
                created_at: k.created_at,
                last_used_at: k.last_used_at,
                revoked: k.revoked_at.is_some(),
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/workspaces/{slug}/keys", tag = "settings",
    params(("slug" = String, Path, description = "The workspace's slug")),
    request_body = KeyRequest,
    responses((status = 201, description = "Created: the key is in this answer only", body = NewApiKey),
              (status = 400, description = "Not the expected JSON", body = ErrorBody),
              (status = 404, description = "No such workspace (of the caller's)", body = ErrorBody),
              (status = 422, description = "An unknown scope or a bad name", body = ErrorBody)))]
async fn create_key(
    State(state): State<AppState>,
    manager: Manager,
    body: Bytes,
) -> Result<(StatusCode, Json<NewApiKey>), ApiError> {
    let k: KeyRequest = json_body(&body)?;
    let scopes = Scopes::parse(&k.scopes.join(","))
        .map_err(|e| ApiError::Invalid(format!("scopes: {e}")))?;
    let (id, key) = state
        .db
        .create_api_key(&manager.workspace, &k.name, scopes)
        .await?;
    Ok((StatusCode::CREATED, Json(NewApiKey { id, key })))
}

#[utoipa::path(delete, path = "/workspaces/{slug}/keys/{key_id}", tag = "settings",
    params(("slug" = String, Path, description = "The workspace's slug"),
           ("key_id" = i64, Path, description = "The key's id", minimum = 1)),
    responses((status = 204, description = "Revoked: the key gets 401 from now on"),
              (status = 400, description = "A malformed id", body = ErrorBody),
              (status = 404, description = "No such workspace or key", body = ErrorBody)))]
async fn revoke_key(
    State(state): State<AppState>,
    manager: Manager,
    parts: KeyId,
) -> Result<StatusCode, ApiError> {
    state
        .db
        .revoke_api_key(&manager.workspace, &parts.0.to_string())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The `{key_id}` of the path.
#[derive(Debug)]
pub struct KeyId(i64);

impl axum::extract::FromRequestParts<AppState> for KeyId {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, ApiError> {
        let raw = path_param(parts, state, "key_id").await?;
        super::caller::parse_path_id(&raw, "key").map(KeyId)
    }
}
