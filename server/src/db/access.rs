//! Users, memberships, sessions, one-time sign-in links, failed sign-ins and
//! the API keys' callers: the storage behind `access`. Secrets arrive here
//! in clear only to be hashed; nothing returned holds one except the token a
//! `create_*` call hands out once.

use super::Db;
use crate::access::{Caller, Grant, Principal, Role, Scopes, new_secret, secret_hash, truncate};
use sqlx::Row;

/// A session ends after this long without a request…
pub const SESSION_IDLE_S: i64 = 7 * 24 * 3600;
/// …and this long after sign-in, whatever happens.
pub const SESSION_ABSOLUTE_S: i64 = 30 * 24 * 3600;
/// How long a one-time sign-in link stays valid.
pub const LINK_TTL_S: i64 = 24 * 3600;
/// `seen_at` and keys' `last_used_at` are written at most this often: not a
/// write per request.
const TOUCH_EVERY_S: i64 = 60;

/// The longest display name and the longest other free-text field.
pub const MAX_NAME: usize = 100;

/// A request about users or members that cannot be carried out; each says
/// which field and why.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error("{0}")]
    BadEmail(String),
    #[error("{field} must not be empty")]
    Empty { field: &'static str },
    #[error("{field} must be at most {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("role {0:?} is unknown (one of owner, analyst, viewer, client)")]
    BadRole(String),
    #[error("a user with email {0:?} already exists")]
    UserExists(String),
    #[error("no user has email {0:?}")]
    NoUser(String),
    #[error(
        "{email:?} is already a member of workspace {workspace:?} (remove them first to change the role)"
    )]
    AlreadyMember { workspace: String, email: String },
    #[error("{email:?} is not a member of workspace {workspace:?}")]
    NotMember { workspace: String, email: String },
    #[error("role client needs --brand: the client brand whose campaigns they may see")]
    ClientNeedsBrand,
    #[error("brand is only for role client (an {0} sees the whole workspace)")]
    BrandOnlyForClient(&'static str),
    #[error("brand {brand} is not a client brand of workspace {workspace:?}")]
    BrandNotInWorkspace { workspace: String, brand: i64 },
    #[error(transparent)]
    Password(#[from] crate::access::PasswordError),
    #[error(transparent)]
    Setup(#[from] super::SetupError),
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
}

/// A user as listed (never the password hash).
#[derive(Debug, Clone, PartialEq)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub disabled: bool,
    pub has_password: bool,
    pub created_at: i64,
}

/// A member of a workspace.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberRow {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub brand_id: Option<i64>,
}

impl MemberRow {
    fn of(user: UserRow, role: Role, brand_id: Option<i64>) -> MemberRow {
        MemberRow {
            email: user.email,
            name: user.name,
            role,
            brand_id,
        }
    }
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn randomness(e: getrandom::Error) -> sqlx::Error {
    sqlx::Error::Io(std::io::Error::other(format!("no randomness: {e}")))
}

/// A display name: trimmed, 1–100 characters, one line.
pub fn clean_name(name: &str) -> Result<String, AccessError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AccessError::Empty { field: "name" });
    }
    if name.chars().count() > MAX_NAME || name.contains(['\n', '\r']) {
        return Err(AccessError::TooLong {
            field: "name",
            max: MAX_NAME,
        });
    }
    Ok(name.to_string())
}

/// A client needs their brand; no other role has one.
fn role_fits_brand(role: Role, brand: Option<i64>) -> Result<(), AccessError> {
    match (role, brand) {
        (Role::Client, None) => Err(AccessError::ClientNeedsBrand),
        (Role::Client, Some(_)) | (_, None) => Ok(()),
        (other, Some(_)) => Err(AccessError::BrandOnlyForClient(other.as_str())),
    }
}

fn user_from_row(r: &super::DbRow) -> Result<UserRow, sqlx::Error> {
    Ok(UserRow {
        id: r.try_get(0)?,
        email: r.try_get(1)?,
        name: r.try_get(2)?,
        disabled: r.try_get::<Option<i64>, _>(3)?.is_some(),
        has_password: r.try_get::<Option<String>, _>(4)?.is_some(),
        created_at: r.try_get(5)?,
    })
}

const USER_COLUMNS: &str = "id, email, name, disabled_at, password_hash, created_at";

impl Db {
    /// Creates a user; `password_hash` is an argon2id PHC string (or none:
    /// the user signs in with a one-time link and sets one).
    pub async fn create_user(
        &self,
        email: &str,
        name: &str,
        password_hash: Option<&str>,
    ) -> Result<UserRow, AccessError> {
        let email = crate::access::normalize_email(email).map_err(AccessError::BadEmail)?;
        let name = clean_name(name)?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO users (email, name, password_hash, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (email) DO NOTHING RETURNING id",
        )
        .bind(&email)
        .bind(&name)
        .bind(password_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        let id = id.ok_or_else(|| AccessError::UserExists(email.clone()))?;
        Ok(UserRow {
            id,
            email,
            name,
            disabled: false,
            has_password: password_hash.is_some(),
            created_at: now(),
        })
    }

    /// Every user, by email.
    pub async fn list_users(&self) -> Result<Vec<UserRow>, sqlx::Error> {
        let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY email"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// The user with this email (any case), if any.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE email = $1"
        ))
        .bind(email.trim().to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// The user with this email, or the error naming it.
    pub async fn require_user(&self, email: &str) -> Result<UserRow, AccessError> {
        self.user_by_email(email)
            .await?
            .ok_or_else(|| AccessError::NoUser(truncate(email.trim(), 80)))
    }

    /// The stored password hash of an enabled user with this email: what
    /// sign-in checks a password against.
    pub async fn sign_in_candidate(
        &self,
        email: &str,
    ) -> Result<Option<(i64, Option<String>)>, sqlx::Error> {
        sqlx::query_as(
            "SELECT id, password_hash FROM users WHERE email = $1 AND disabled_at IS NULL",
        )
        .bind(email.trim().to_lowercase())
        .fetch_optional(&self.pool)
        .await
    }

    /// Replaces a user's password hash and ends every other session of theirs.
    pub async fn set_password_hash(
        &self,
        user: i64,
        hash: &str,
        keep_session: Option<i64>,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL AND id <> $3",
        )
        .bind(now())
        .bind(user)
        .bind(keep_session.unwrap_or(0))
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// Deletes a user who never signed in and belongs nowhere (an
    /// invitation that was refused half-way).
    pub async fn delete_unused_user(&self, user: i64) -> Result<(), sqlx::Error> {
        sqlx::query(
            "DELETE FROM users WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM memberships WHERE user_id = $1) \
             AND NOT EXISTS (SELECT 1 FROM sessions WHERE user_id = $1)",
        )
        .bind(user)
        .execute(&self.pool)
        .await
        .map(drop)
    }

    /// Disables a user: every session ends at once and sign-in is refused.
    pub async fn disable_user(&self, email: &str) -> Result<UserRow, AccessError> {
        let user = self.require_user(email).await?;
        let t = now();
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE users SET disabled_at = COALESCE(disabled_at, $1) WHERE id = $2")
            .bind(t)
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
        )
        .bind(t)
        .bind(user.id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(UserRow {
            disabled: true,
            ..user
        })
    }

    /// The workspace and the user a membership with `role` (and a client's
    /// `brand`) is about, once the role and the brand are found to fit.
    async fn member_to_be(
        &self,
        workspace: &str,
        email: &str,
        role: Role,
        brand: Option<i64>,
    ) -> Result<(super::WorkspaceRow, UserRow), AccessError> {
        let ws = self.workspace(workspace).await?;
        let user = self.require_user(email).await?;
        role_fits_brand(role, brand)?;
        if let Some(b) = brand {
            self.check_client_brand(&ws, b).await?;
        }
        Ok((ws, user))
    }

    /// Adds `email` to `workspace` with `role` (a client with their brand).
    pub async fn add_member(
        &self,
        workspace: &str,
        email: &str,
        role: Role,
        brand: Option<i64>,
    ) -> Result<MemberRow, AccessError> {
        let (ws, user) = self.member_to_be(workspace, email, role, brand).await?;
        let inserted = sqlx::query(
            "INSERT INTO memberships (workspace_id, user_id, role, brand_id, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workspace_id, user_id) DO NOTHING",
        )
        .bind(ws.id)
        .bind(user.id)
        .bind(role.as_str())
        .bind(brand)
        .bind(now())
        .execute(&self.pool)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Err(AccessError::AlreadyMember {
                workspace: ws.slug,
                email: user.email,
            });
        }
        Ok(MemberRow::of(user, role, brand))
    }

    /// Changes a member's role (and a client's brand).
    pub async fn change_member_role(
        &self,
        workspace: &str,
        email: &str,
        role: Role,
        brand: Option<i64>,
    ) -> Result<MemberRow, AccessError> {
        let (ws, user) = self.member_to_be(workspace, email, role, brand).await?;
        let changed = sqlx::query(
            "UPDATE memberships SET role = $1, brand_id = $2 WHERE workspace_id = $3 AND user_id = $4",
        )
        .bind(role.as_str())
        .bind(brand)
        .bind(ws.id)
        .bind(user.id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(AccessError::NotMember {
                workspace: ws.slug,
                email: user.email,
            });
        }
        Ok(MemberRow::of(user, role, brand))
    }

    async fn check_client_brand(
        &self,
        ws: &super::WorkspaceRow,
        brand: i64,
    ) -> Result<(), AccessError> {
        let ok: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM brands WHERE id = $1 AND workspace_id = $2 AND is_competitor = 0",
        )
        .bind(brand)
        .bind(ws.id)
        .fetch_optional(&self.pool)
        .await?;
        if ok.is_none() {
            return Err(AccessError::BrandNotInWorkspace {
                workspace: ws.slug.clone(),
                brand,
            });
        }
        Ok(())
    }

    /// A workspace's members, by email.
    pub async fn list_members(&self, workspace: &str) -> Result<Vec<MemberRow>, AccessError> {
        let ws = self.workspace(workspace).await?;
        let rows = sqlx::query(
            "SELECT u.email, u.name, m.role, m.brand_id FROM memberships m JOIN users u ON u.id = m.user_id \
             WHERE m.workspace_id = $1 ORDER BY u.email",
        )
        .bind(ws.id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let role: String = r.try_get(2)?;
                Ok(MemberRow {
                    email: r.try_get(0)?,
                    name: r.try_get(1)?,
                    role: Role::parse(&role).ok_or(AccessError::BadRole(role))?,
                    brand_id: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// Removes `email` from `workspace`.
    pub async fn remove_member(&self, workspace: &str, email: &str) -> Result<(), AccessError> {
        let ws = self.workspace(workspace).await?;
        let user = self.require_user(email).await?;
        let removed =
            sqlx::query("DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2")
                .bind(ws.id)
                .bind(user.id)
                .execute(&self.pool)
                .await?
                .rows_affected();
        if removed == 0 {
            return Err(AccessError::NotMember {
                workspace: ws.slug,
                email: user.email,
            });
        }
        Ok(())
    }

    /// A user's grants, by workspace slug.
    pub async fn grants_of_user(&self, user: i64) -> Result<Vec<Grant>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT w.id, w.slug, w.name, m.role, m.brand_id FROM memberships m \
             JOIN workspaces w ON w.id = m.workspace_id WHERE m.user_id = $1 ORDER BY w.slug",
        )
        .bind(user)
        .fetch_all(&self.pool)
        .await?;
        let mut grants = Vec::new();
        for r in &rows {
            let role: String = r.try_get(3)?;
            // A role this build does not know grants nothing.
            let Some(role) = Role::parse(&role) else {
                continue;
            };
            grants.push(Grant {
                workspace_id: r.try_get(0)?,
                workspace: r.try_get(1)?,
                workspace_name: r.try_get(2)?,
                role,
                brand_id: r.try_get(4)?,
            });
        }
        Ok(grants)
    }

    /// Opens a session for `user`; returns the session id to put in the
    /// cookie (stored only hashed).
    pub async fn create_session(&self, user: i64, via_link: bool) -> Result<String, sqlx::Error> {
        let token = new_secret("").map_err(randomness)?;
        let t = now();
        sqlx::query(
            "INSERT INTO sessions (hash, user_id, created_at, seen_at, via_link) VALUES ($1, $2, $3, $3, $4)",
        )
        .bind(secret_hash(&token))
        .bind(user)
        .bind(t)
        .bind(i64::from(via_link))
        .execute(&self.pool)
        .await?;
        Ok(token)
    }

    /// The caller a session cookie stands for, if the session is open, not
    /// idle or too old, and its user enabled: one query, the session, its
    /// user and their memberships together — with campaign `version_of`'s
    /// data version (0 before any event) when one is named.
    pub async fn session_caller(
        &self,
        token: &str,
        version_of: Option<i64>,
    ) -> Result<Option<(Caller, Option<i64>)>, sqlx::Error> {
        let t = now();
        let rows = sqlx::query(
            "SELECT s.id, s.seen_at, s.via_link, s.created_at, u.id, u.email, u.name, \
             w.id, w.slug, w.name, m.role, m.brand_id, \
             (SELECT v.version FROM campaign_versions v WHERE v.campaign_id = $4) FROM sessions s \
             JOIN users u ON u.id = s.user_id \
             LEFT JOIN memberships m ON m.user_id = u.id \
             LEFT JOIN workspaces w ON w.id = m.workspace_id \
             WHERE s.hash = $1 AND s.revoked_at IS NULL AND u.disabled_at IS NULL \
             AND s.seen_at > $2 AND s.created_at > $3 ORDER BY w.slug",
        )
        .bind(secret_hash(token))
        .bind(t - SESSION_IDLE_S)
        .bind(t - SESSION_ABSOLUTE_S)
        .bind(version_of)
        .fetch_all(&self.pool)
        .await?;
        let Some(r) = rows.first() else {
            return Ok(None);
        };
        let session: i64 = r.try_get(0)?;
        let seen: i64 = r.try_get(1)?;
        if t - seen >= TOUCH_EVERY_S {
            sqlx::query("UPDATE sessions SET seen_at = $1 WHERE id = $2")
                .bind(t)
                .bind(session)
                .execute(&self.pool)
                .await?;
        }
        let mut grants = Vec::new();
        for r in &rows {
            let Some(workspace_id) = r.try_get::<Option<i64>, _>(7)? else {
                continue;
            };
            // A role this build does not know grants nothing.
            let Some(role) = r
                .try_get::<Option<String>, _>(10)?
                .as_deref()
                .and_then(Role::parse)
            else {
                continue;
            };
            grants.push(Grant {
                workspace_id,
                workspace: r.try_get(8)?,
                workspace_name: r.try_get(9)?,
                role,
                brand_id: r.try_get(11)?,
            });
        }
        let version = version_of
            .map(|_| r.try_get::<Option<i64>, _>(12))
            .transpose()?;
        let caller = Caller {
            principal: Principal::User {
                id: r.try_get(4)?,
                email: r.try_get(5)?,
                name: r.try_get(6)?,
                session,
                via_link: r.try_get::<i64, _>(2)? != 0,
                session_started: r.try_get(3)?,
            },
            grants,
        };
        Ok(Some((caller, version.map(|v| v.unwrap_or(0)))))
    }

    /// Ends one session.
    pub async fn end_session(&self, session: i64) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE sessions SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2")
            .bind(now())
            .bind(session)
            .execute(&self.pool)
            .await
            .map(drop)
    }

    /// Ends every session of a user ("sign out everywhere").
    pub async fn end_user_sessions(&self, user: i64) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
            .bind(now())
            .bind(user)
            .execute(&self.pool)
            .await
            .map(drop)
    }

    /// A one-time sign-in link's secret for `user`, valid [`LINK_TTL_S`].
    pub async fn create_sign_in_link(&self, user: i64) -> Result<String, sqlx::Error> {
        let token = new_secret("").map_err(randomness)?;
        let t = now();
        sqlx::query(
            "INSERT INTO sign_in_links (hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(secret_hash(&token))
        .bind(user)
        .bind(t)
        .bind(t + LINK_TTL_S)
        .execute(&self.pool)
        .await?;
        Ok(token)
    }

    /// Uses up a sign-in link: the user it signs in, if it is unused,
    /// unexpired and the user enabled. A second use finds nothing.
    pub async fn redeem_sign_in_link(&self, token: &str) -> Result<Option<i64>, sqlx::Error> {
        let t = now();
        let mut tx = self.begin_write().await?;
        let user: Option<i64> = sqlx::query_scalar(
            "UPDATE sign_in_links SET used_at = $1 WHERE hash = $2 AND used_at IS NULL AND expires_at > $1 \
             AND user_id IN (SELECT id FROM users WHERE disabled_at IS NULL) RETURNING user_id",
        )
        .bind(t)
        .bind(secret_hash(token))
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Records a failed sign-in against each subject (`email:…`, `addr:…`)
    /// and forgets failures older than `window_s`.
    pub async fn note_sign_in_failure(
        &self,
        subjects: &[String],
        window_s: i64,
    ) -> Result<(), sqlx::Error> {
        let t = now();
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sign_in_failures WHERE at < $1")
            .bind(t - window_s)
            .execute(&mut *tx)
            .await?;
        for s in subjects {
            sqlx::query("INSERT INTO sign_in_failures (subject, at) VALUES ($1, $2)")
                .bind(s)
                .bind(t)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    }

    /// Failures of `subject` in the last `window_s` seconds: how many, and
    /// the oldest one's time.
    pub async fn sign_in_failures(
        &self,
        subject: &str,
        window_s: i64,
    ) -> Result<(i64, Option<i64>), sqlx::Error> {
        sqlx::query_as(
            "SELECT COUNT(*), MIN(at) FROM sign_in_failures WHERE subject = $1 AND at >= $2",
        )
        .bind(subject)
        .bind(now() - window_s)
        .fetch_one(&self.pool)
        .await
    }

    /// Forgets a subject's failures (after a successful sign-in).
    pub async fn clear_sign_in_failures(&self, subject: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM sign_in_failures WHERE subject = $1")
            .bind(subject)
            .execute(&self.pool)
            .await
            .map(drop)
    }

    /// The caller a valid, unrevoked API key stands for (with campaign
    /// `version_of`'s data version, as for sessions); notes its use at most
    /// once a minute.
    pub async fn key_caller(
        &self,
        key: &str,
        version_of: Option<i64>,
    ) -> Result<Option<(Caller, Option<i64>)>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT k.id, k.scopes, k.last_used_at, w.id, w.slug, w.name, \
             (SELECT v.version FROM campaign_versions v WHERE v.campaign_id = $2) FROM api_keys k \
             JOIN workspaces w ON w.id = k.workspace_id WHERE k.hash = $1 AND k.revoked_at IS NULL",
        )
        .bind(secret_hash(key))
        .bind(version_of)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else {
            return Ok(None);
        };
        let id: i64 = r.try_get(0)?;
        let scopes = Scopes::parse(&r.try_get::<String, _>(1)?).unwrap_or_default();
        let t = now();
        if r.try_get::<Option<i64>, _>(2)?
            .is_none_or(|last| t - last >= TOUCH_EVERY_S)
        {
            sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
                .bind(t)
                .bind(id)
                .execute(&self.pool)
                .await?;
        }
        let version = version_of
            .map(|_| r.try_get::<Option<i64>, _>(6))
            .transpose()?;
        let caller = Caller {
            principal: Principal::Key { id, scopes },
            grants: vec![Grant {
                workspace_id: r.try_get(3)?,
                workspace: r.try_get(4)?,
                workspace_name: r.try_get(5)?,
                role: Role::Viewer,
                brand_id: None,
            }],
        };
        Ok(Some((caller, version.map(|v| v.unwrap_or(0)))))
    }
}
