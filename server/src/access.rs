//! Who may do what: roles, API-key scopes, a caller's grants and the rules
//! every request is decided by; password hashing and secret tokens. No HTTP
//! here (`http::caller` turns requests into a [`Caller`]) and no SQL (`db`).
//!
//! The rules, in one place:
//! - `owner`: everything in the workspace, members and keys included;
//! - `analyst`: read, import, create brands and campaigns;
//! - `viewer`: read the whole workspace;
//! - `client`: read only the campaigns (and mentions) of one client brand —
//!   tracked competitors are not shown to clients at all;
//! - an API key acts for its one workspace: scope `read` reads it like a
//!   viewer, scope `ingest` writes events, brands and campaigns.

use sha2::{Digest, Sha256};

/// A member's role in one workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Owner,
    Analyst,
    Viewer,
    Client,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 4] = [Role::Owner, Role::Analyst, Role::Viewer, Role::Client];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Analyst => "analyst",
            Role::Viewer => "viewer",
            Role::Client => "client",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// What an API key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scopes {
    /// Read the workspace's API, as a viewer.
    pub read: bool,
    /// Send events, create brands and campaigns.
    pub ingest: bool,
}

impl Scopes {
    /// What a key created without `--scope` may do (what every key could
    /// do before scopes existed).
    pub const DEFAULT: Scopes = Scopes {
        read: true,
        ingest: true,
    };

    /// `read,ingest`-style text, as stored and as the CLI takes it.
    pub fn parse(text: &str) -> Result<Scopes, String> {
        let mut scopes = Scopes::default();
        for part in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match part {
                "read" => scopes.read = true,
                "ingest" => scopes.ingest = true,
                other => {
                    return Err(format!("scope {other:?} is unknown (one of read, ingest)"));
                }
            }
        }
        if scopes == Scopes::default() {
            return Err("a key needs at least one scope (read, ingest)".into());
        }
        Ok(scopes)
    }

    pub fn to_text(self) -> String {
        let mut parts = Vec::new();
        if self.read {
            parts.push("read");
        }
        if self.ingest {
            parts.push("ingest");
        }
        parts.join(",")
    }
}

/// A caller's standing in one workspace.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    pub workspace_id: i64,
    /// The workspace's slug.
    pub workspace: String,
    pub workspace_name: String,
    pub role: Role,
    /// The one brand a `client` may see.
    pub brand_id: Option<i64>,
}

/// Who is asking.
#[derive(Debug, Clone, PartialEq)]
pub enum Principal {
    /// A person signed in with a session cookie.
    User {
        id: i64,
        email: String,
        name: String,
        /// The session's row id.
        session: i64,
        /// The session was opened with a one-time link (it may set a
        /// password without the current one for a short while).
        via_link: bool,
        /// When the session was opened, Unix seconds.
        session_started: i64,
    },
    /// An API key of one workspace.
    Key { id: i64, scopes: Scopes },
}

/// An authenticated caller and the workspaces they may act in.
#[derive(Debug, Clone, PartialEq)]
pub struct Caller {
    pub principal: Principal,
    /// A key has exactly one grant (its workspace, role `viewer` standing
    /// for its `read` scope); a user one per membership.
    pub grants: Vec<Grant>,
}

impl Caller {
    /// The caller's grant in the workspace with this slug.
    pub fn grant(&self, workspace: &str) -> Option<&Grant> {
        self.grants.iter().find(|g| g.workspace == workspace)
    }

    fn key_scopes(&self) -> Option<Scopes> {
        match self.principal {
            Principal::Key { scopes, .. } => Some(scopes),
            Principal::User { .. } => None,
        }
    }

    /// May the caller read what belongs to `brand` in `workspace`? Clients
    /// only their own brand; keys only with the `read` scope.
    pub fn may_read(&self, workspace: &str, brand: i64) -> bool {
        let Some(g) = self.grant(workspace) else {
            return false;
        };
        if let Some(scopes) = self.key_scopes() {
            return scopes.read;
        }
        g.role != Role::Client || g.brand_id == Some(brand)
    }

    /// May the caller write data (events, brands, campaigns) into `workspace`?
    pub fn may_write(&self, workspace: &str) -> bool {
        let Some(g) = self.grant(workspace) else {
            return false;
        };
        match self.key_scopes() {
            Some(scopes) => scopes.ingest,
            None => matches!(g.role, Role::Owner | Role::Analyst),
        }
    }

    /// May the caller manage `workspace`'s members and keys? Owners only,
    /// never a key.
    pub fn may_manage(&self, workspace: &str) -> bool {
        self.key_scopes().is_none() && self.grant(workspace).is_some_and(|g| g.role == Role::Owner)
    }

    /// The signed-in user's id, if the caller is a person.
    pub fn user_id(&self) -> Option<i64> {
        match self.principal {
            Principal::User { id, .. } => Some(id),
            Principal::Key { .. } => None,
        }
    }
}

/// The cost of argon2id: OWASP's recommended minimum (19 MiB, 2 passes,
/// one lane), which is also the `argon2` crate's default.
pub const ARGON2_PARAMS: (u32, u32, u32) = (19 * 1024, 2, 1);

fn argon2() -> argon2::Argon2<'static> {
    let (m, t, p) = ARGON2_PARAMS;
    argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(m, t, p, None).unwrap_or_default(),
    )
}

/// Why a password is not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("password must be at least {MIN_PASSWORD} characters")]
    TooShort,
    #[error("password must be at most {MAX_PASSWORD} characters")]
    TooLong,
    #[error("cannot hash the password: {0}")]
    Hashing(String),
}

/// The shortest password accepted (OWASP ASVS: at least 8).
pub const MIN_PASSWORD: usize = 8;
/// The longest (hashing cost is bounded, and no one types more).
pub const MAX_PASSWORD: usize = 256;

/// The PHC string of `password` hashed with argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let n = password.chars().count();
    if n < MIN_PASSWORD {
        return Err(PasswordError::TooShort);
    }
    if n > MAX_PASSWORD {
        return Err(PasswordError::TooLong);
    }
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|e| PasswordError::Hashing(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| PasswordError::Hashing(e.to_string()))?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Hashing(e.to_string()))
}

/// Does `password` match the stored PHC string? A missing hash (no password
/// set yet) is checked against a fixed one, so that the answer takes as long
/// as for a real account: an unknown email and a wrong password look alike.
pub fn verify_password(stored: Option<&str>, password: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash_password("not a password of anyone").unwrap_or_default());
    let (phc, real) = match stored {
        Some(s) => (s, true),
        None => (dummy.as_str(), false),
    };
    if password.chars().count() > MAX_PASSWORD {
        return false;
    }
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    argon2()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
        && real
}

/// A new random secret: `prefix` and 48 hex digits (192 bits).
pub fn new_secret(prefix: &str) -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 24];
    getrandom::getrandom(&mut bytes)?;
    Ok(format!(
        "{prefix}{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ))
}

/// SHA-256 of a secret, hex: what is stored of keys, sessions and links.
pub fn secret_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An email address, trimmed and lower-cased, or why it is not one.
pub fn normalize_email(email: &str) -> Result<String, String> {
    let e = email.trim().to_lowercase();
    let valid = e.len() <= 254
        && e.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && local.len() <= 64
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !e.contains(char::is_whitespace)
                && e.matches('@').count() == 1
        });
    if valid {
        Ok(e)
    } else {
        Err(format!(
            "email {:?} is not an email address (name@example.com, at most 254 characters)",
            truncate(email.trim(), 60)
        ))
    }
}

/// At most `n` characters of `s`, with an ellipsis when cut (for messages
/// that quote user input).
pub fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(role: Role, brand: Option<i64>) -> Caller {
        Caller {
            principal: Principal::User {
                id: 1,
                email: "a@b.co".into(),
                name: "A".into(),
                session: 1,
                via_link: false,
                session_started: 0,
            },
            grants: vec![Grant {
                workspace_id: 1,
                workspace: "acme".into(),
                workspace_name: "Acme".into(),
                role,
                brand_id: brand,
            }],
        }
    }

    #[test]
    fn roles_decide_reads_writes_and_management() {
        let owner = caller(Role::Owner, None);
        assert!(owner.may_read("acme", 5) && owner.may_write("acme") && owner.may_manage("acme"));
        assert!(!owner.may_read("other", 5) && !owner.may_write("other"));
        let analyst = caller(Role::Analyst, None);
        assert!(analyst.may_write("acme") && !analyst.may_manage("acme"));
        let viewer = caller(Role::Viewer, None);
        assert!(viewer.may_read("acme", 5) && !viewer.may_write("acme"));
        let client = caller(Role::Client, Some(5));
        assert!(client.may_read("acme", 5) && !client.may_read("acme", 6));
        assert!(!client.may_write("acme") && !client.may_manage("acme"));
    }

    #[test]
    fn keys_act_by_scope_and_never_manage() {
        let mut key = caller(Role::Viewer, None);
        key.principal = Principal::Key {
            id: 1,
            scopes: Scopes {
                read: true,
                ingest: false,
            },
        };
        assert!(key.may_read("acme", 1) && !key.may_write("acme") && !key.may_manage("acme"));
        key.principal = Principal::Key {
            id: 1,
            scopes: Scopes {
                read: false,
                ingest: true,
            },
        };
        assert!(!key.may_read("acme", 1) && key.may_write("acme"));
    }

    #[test]
    fn scopes_parse_and_print() {
        assert_eq!(Scopes::parse("read").unwrap().to_text(), "read");
        assert_eq!(Scopes::parse("ingest, read").unwrap(), Scopes::DEFAULT);
        assert!(Scopes::parse("write").unwrap_err().contains("\"write\""));
        assert!(Scopes::parse("").is_err());
    }

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password(Some(&h), "correct horse"));
        assert!(!verify_password(Some(&h), "wrong horse"));
        assert!(!verify_password(None, "not a password of anyone"));
        assert_eq!(hash_password("short"), Err(PasswordError::TooShort));
        assert_eq!(hash_password(&"x".repeat(300)), Err(PasswordError::TooLong));
    }

    #[test]
    fn emails_are_normalized_or_refused() {
        assert_eq!(
            normalize_email(" Ann@Example.COM ").unwrap(),
            "ann@example.com"
        );
        for bad in [
            "", "ann", "ann@", "@x.co", "a b@x.co", "a@b@x.co", "a@nodot",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
        assert!(normalize_email(&format!("{}@x.co", "a".repeat(300))).is_err());
    }
}
