//! Setting up: workspaces, client brands, campaigns and API keys. Every
//! input is validated here, with an error that says what, where and why.

use super::Db;
use analytics::date::Date;
use analytics::wire::Channel;
use sqlx::Row;

/// A setup request that cannot be carried out.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(
        "workspace slug {0:?} must be 2–40 characters of a–z, 0–9 and -, starting with a letter"
    )]
    BadSlug(String),
    #[error("a workspace with slug {0:?} already exists")]
    WorkspaceExists(String),
    #[error("no workspace has slug {0:?} (create it with `server workspace create`)")]
    NoWorkspace(String),
    #[error("time zone {0:?} is not an IANA zone name such as Asia/Shanghai")]
    BadTimezone(String),
    #[error("{field} {value:?} is not a date (YYYY-MM-DD)")]
    BadDate { field: &'static str, value: String },
    #[error("the end date {end} is before the start date {start}")]
    EndBeforeStart { start: String, end: String },
    #[error("channel {0:?} is unknown (one of weibo, wechat, douyin, xiaohongshu, x, facebook)")]
    BadChannel(String),
    #[error("currency {0:?} must be an ISO 4217 code of three letters, such as CNY")]
    BadCurrency(String),
    #[error("budget {0:?} is not an amount such as 80000 or 80000.50")]
    BadBudget(String),
    #[error("{field} must not be empty")]
    Empty { field: &'static str },
    #[error("{field} must be at most {max} characters on one line")]
    TooLong { field: &'static str, max: usize },
    #[error("no campaign {campaign} in workspace {workspace:?}")]
    NoCampaign { workspace: String, campaign: i64 },
    #[error("no key {key:?} in workspace {workspace:?} (see `server api-key list`)")]
    NoKey { workspace: String, key: String },
    #[error("workspace {workspace:?} already has a brand named {name:?}")]
    BrandExists { workspace: String, name: String },
    #[error("key name {0:?} must be at most 100 characters without line breaks")]
    BadKeyName(String),
    #[error("keyword {0:?} must be 1–100 characters without line breaks")]
    BadKeyword(String),
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
}

/// A workspace as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkspaceRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub timezone: String,
}

/// An API key as listed (never the key itself).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyRow {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    pub scopes: crate::access::Scopes,
    /// The last request it authorised (to the minute).
    pub last_used_at: Option<i64>,
}

/// A new campaign.
#[derive(Debug, Clone)]
pub struct NewCampaign {
    pub workspace: String,
    pub brand: String,
    pub competitor: bool,
    pub name: String,
    pub start: String,
    pub end: String,
    pub budget: Option<String>,
    pub currency: String,
    pub channels: Vec<String>,
    /// Tracked keywords.
    pub keywords: Vec<String>,
}

/// Keywords trimmed, deduplicated and checked (1–100 characters, one line).
fn clean_keywords(keywords: &[String]) -> Result<Vec<String>, SetupError> {
    let mut kept: Vec<String> = Vec::new();
    for raw in keywords {
        // Checked as given (the documented limits), then trimmed.
        if raw.chars().count() > 100 || raw.contains(['\n', '\r']) {
            return Err(SetupError::BadKeyword(crate::access::truncate(
                raw.trim(),
                100,
            )));
        }
        let k = raw.trim();
        if k.is_empty() {
            continue;
        }
        if !kept.iter().any(|x| x == k) {
            kept.push(k.into());
        }
    }
    Ok(kept)
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn valid_slug(slug: &str) -> bool {
    (2..=40).contains(&slug.len())
        && slug.starts_with(|c: char| c.is_ascii_lowercase())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl Db {
    /// Creates a workspace.
    pub async fn create_workspace(
        &self,
        slug: &str,
        name: &str,
        timezone: &str,
    ) -> Result<WorkspaceRow, SetupError> {
        if !valid_slug(slug) {
            return Err(SetupError::BadSlug(slug.into()));
        }
        if name.trim().is_empty() {
            return Err(SetupError::Empty { field: "name" });
        }
        if timezone.parse::<chrono_tz::Tz>().is_err() {
            return Err(SetupError::BadTimezone(timezone.into()));
        }
        if self.workspace_exists(slug).await? {
            return Err(SetupError::WorkspaceExists(slug.into()));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO workspaces (slug, name, timezone, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(slug)
        .bind(name.trim())
        .bind(timezone)
        .bind(now())
        .fetch_one(&self.pool)
        .await?;
        Ok(WorkspaceRow {
            id,
            slug: slug.into(),
            name: name.trim().into(),
            timezone: timezone.into(),
        })
    }

    /// Every workspace, by slug.
    pub async fn list_workspaces(&self) -> Result<Vec<WorkspaceRow>, sqlx::Error> {
        let rows = sqlx::query("SELECT id, slug, name, timezone FROM workspaces ORDER BY slug")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(WorkspaceRow {
                    id: r.try_get(0)?,
                    slug: r.try_get(1)?,
                    name: r.try_get(2)?,
                    timezone: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// The workspace with this slug.
    pub async fn workspace(&self, slug: &str) -> Result<WorkspaceRow, SetupError> {
        self.list_workspaces()
            .await?
            .into_iter()
            .find(|w| w.slug == slug)
            .ok_or_else(|| SetupError::NoWorkspace(slug.into()))
    }

    /// Creates an API key for a workspace with `scopes`; returns its id and
    /// the key, which is shown this once and stored only as a hash.
    pub async fn create_api_key(
        &self,
        workspace: &str,
        name: &str,
        scopes: crate::access::Scopes,
    ) -> Result<(i64, String), SetupError> {
        let ws = self.workspace(workspace).await?;
        if name.chars().count() > 100 || name.contains(['\n', '\r']) {
            return Err(SetupError::BadKeyName(crate::access::truncate(name, 40)));
        }
        let key = crate::access::new_secret("wom_")
            .map_err(|e| sqlx::Error::Io(std::io::Error::other(format!("no randomness: {e}"))))?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_keys (workspace_id, name, prefix, hash, created_at, scopes) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(ws.id)
        .bind(name.trim())
        .bind(&key[4..12])
        .bind(crate::access::secret_hash(&key))
        .bind(now())
        .bind(scopes.to_text())
        .fetch_one(&self.pool)
        .await?;
        Ok((id, key))
    }

    /// A workspace's keys, newest first.
    pub async fn list_api_keys(&self, workspace: &str) -> Result<Vec<KeyRow>, SetupError> {
        let ws = self.workspace(workspace).await?;
        let rows = sqlx::query(
            "SELECT id, name, prefix, created_at, revoked_at, scopes, last_used_at FROM api_keys WHERE workspace_id = $1 ORDER BY id DESC",
        )
        .bind(ws.id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(KeyRow {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    prefix: r.try_get(2)?,
                    created_at: r.try_get(3)?,
                    revoked_at: r.try_get(4)?,
                    scopes: crate::access::Scopes::parse(&r.try_get::<String, _>(5)?)
                        .unwrap_or_default(),
                    last_used_at: r.try_get(6)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?)
    }

    /// Revokes a key given by id or prefix; revoking twice is harmless.
    pub async fn revoke_api_key(&self, workspace: &str, key: &str) -> Result<KeyRow, SetupError> {
        let keys = self.list_api_keys(workspace).await?;
        let found = keys
            .into_iter()
            .find(|k| {
                k.prefix == key
                    || k.id.to_string() == key
                    || key.get(4..12) == Some(k.prefix.as_str())
            })
            .ok_or_else(|| SetupError::NoKey {
                workspace: workspace.into(),
                key: key.into(),
            })?;
        sqlx::query("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2")
            .bind(now())
            .bind(found.id)
            .execute(&self.pool)
            .await?;
        Ok(found)
    }

    /// Creates a campaign (and its brand, if the workspace lacks it).
    pub async fn create_campaign(&self, c: &NewCampaign) -> Result<i64, SetupError> {
        let ws = self.workspace(&c.workspace).await?;
        for (field, value, max) in [("brand", &c.brand, 100), ("name", &c.name, 200)] {
            if value.trim().is_empty() {
                return Err(SetupError::Empty { field });
            }
            if value.chars().count() > max || value.contains(['\n', '\r']) {
                return Err(SetupError::TooLong { field, max });
            }
        }
        if c.currency.len() != 3 || !c.currency.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(SetupError::BadCurrency(crate::access::truncate(
                &c.currency,
                20,
            )));
        }
        let start = Date::parse(&c.start).ok_or_else(|| SetupError::BadDate {
            field: "start",
            value: c.start.clone(),
        })?;
        let end = Date::parse(&c.end).ok_or_else(|| SetupError::BadDate {
            field: "end",
            value: c.end.clone(),
        })?;
        if end < start {
            return Err(SetupError::EndBeforeStart {
                start: c.start.clone(),
                end: c.end.clone(),
            });
        }
        let mut channels = Vec::new();
        for ch in c
            .channels
            .iter()
            .flat_map(|s| s.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let parsed = Channel::parse(&ch.to_ascii_lowercase())
                .ok_or_else(|| SetupError::BadChannel(ch.into()))?;
            if !channels.contains(&parsed) {
                channels.push(parsed);
            }
        }
        let keywords = clean_keywords(&c.keywords)?;
        let budget = match &c.budget {
            Some(b) => Some(
                analytics::format::parse_money(b)
                    .ok_or_else(|| SetupError::BadBudget(b.clone()))?,
            ),
            None => None,
        };
        let mut tx = self.begin_write().await?;
        let brand: Option<i64> =
            sqlx::query_scalar("SELECT id FROM brands WHERE workspace_id = $1 AND name = $2")
                .bind(ws.id)
                .bind(c.brand.trim())
                .fetch_optional(&mut *tx)
                .await?;
        let brand = match brand {
            Some(id) => id,
            None => {
                sqlx::query_scalar("INSERT INTO brands (workspace_id, name, is_competitor) VALUES ($1, $2, $3) RETURNING id")
                    .bind(ws.id)
                    .bind(c.brand.trim())
                    .bind(i64::from(c.competitor))
                    .fetch_one(&mut *tx)
                    .await?
            }
        };
        let channel_list: Vec<&str> = channels.iter().map(|c| c.as_str()).collect();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO campaigns (workspace_id, brand_id, name, start_date, end_date, budget_cents, currency, channels, \
             keywords) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(ws.id)
        .bind(brand)
        .bind(c.name.trim())
        .bind(start.to_string())
        .bind(end.to_string())
        .bind(budget)
        .bind(c.currency.to_ascii_uppercase())
        .bind(channel_list.join(","))
        .bind(keywords.join("\n"))
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Creates a brand (a client's, or a `competitor` to track) with its
    /// listening keywords.
    pub async fn create_brand(
        &self,
        workspace: &str,
        name: &str,
        competitor: bool,
        keywords: &[String],
    ) -> Result<analytics::wire::Brand, SetupError> {
        let ws = self.workspace(workspace).await?;
        if name.chars().count() > 100 || name.contains(['\n', '\r']) {
            return Err(SetupError::TooLong {
                field: "name",
                max: 100,
            });
        }
        let name = name.trim();
        if name.is_empty() {
            return Err(SetupError::Empty { field: "name" });
        }
        let kept = clean_keywords(keywords)?;
        let mut tx = self.begin_write().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO brands (workspace_id, name, is_competitor, keywords) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (workspace_id, name) DO NOTHING RETURNING id",
        )
        .bind(ws.id)
        .bind(name)
        .bind(i64::from(competitor))
        .bind(kept.join("\n"))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = id else {
            return Err(SetupError::BrandExists {
                workspace: workspace.into(),
                name: name.into(),
            });
        };
        tx.commit().await?;
        Ok(analytics::wire::Brand {
            id,
            workspace: workspace.into(),
            name: name.into(),
            competitor,
            keywords: kept,
        })
    }

    /// One brand, or `None`.
    pub async fn brand(&self, id: i64) -> Result<Option<analytics::wire::Brand>, sqlx::Error> {
        Ok(self
            .list_brands(None)
            .await?
            .into_iter()
            .find(|b| b.id == id))
    }

    /// Every brand, by workspace and name (or only `workspace`'s).
    pub async fn list_brands(
        &self,
        workspace: Option<&str>,
    ) -> Result<Vec<analytics::wire::Brand>, sqlx::Error> {
        use sqlx::Row;
        let rows = sqlx::query(
            "SELECT b.id, w.slug, b.name, b.is_competitor, b.keywords FROM brands b \
             JOIN workspaces w ON w.id = b.workspace_id WHERE ($1 = '' OR w.slug = $1) ORDER BY w.slug, b.name",
        )
        .bind(workspace.unwrap_or(""))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let keywords: String = r.try_get(4)?;
                Ok(analytics::wire::Brand {
                    id: r.try_get(0)?,
                    workspace: r.try_get(1)?,
                    name: r.try_get(2)?,
                    competitor: r.try_get::<i64, _>(3)? != 0,
                    keywords: keywords
                        .lines()
                        .filter(|k| !k.is_empty())
                        .map(str::to_string)
                        .collect(),
                })
            })
            .collect()
    }

    /// A campaign's start date and the workspace's zone, checking that the
    /// campaign belongs to the workspace.
    pub async fn campaign_in_workspace(
        &self,
        workspace: &str,
        campaign: i64,
    ) -> Result<(WorkspaceRow, Date), SetupError> {
        let ws = self.workspace(workspace).await?;
        let start: Option<String> = sqlx::query_scalar(
            "SELECT start_date FROM campaigns WHERE id = $1 AND workspace_id = $2",
        )
        .bind(campaign)
        .bind(ws.id)
        .fetch_optional(&self.pool)
        .await?;
        let start = start
            .and_then(|s| Date::parse(&s))
            .ok_or_else(|| SetupError::NoCampaign {
                workspace: workspace.into(),
                campaign,
            })?;
        Ok((ws, start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_key_hashes() {
        assert!(valid_slug("demo") && valid_slug("acme-2026"));
        assert!(
            !valid_slug("Demo") && !valid_slug("1abc") && !valid_slug("a") && !valid_slug("a b")
        );
        assert_eq!(crate::access::secret_hash("x").len(), 64);
    }
}
