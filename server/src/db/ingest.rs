//! Storing a validated batch of events in one transaction: nothing of a
//! batch is stored unless all of it can be (a conflict refuses the batch).

use super::{Db, local_day};
use analytics::events::{LineError, NewEvent};
use sqlx::{QueryBuilder, Row, Sqlite, Transaction};
use std::collections::{HashMap, HashSet};

/// What a stored batch did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IngestOutcome {
    pub stored: u64,
    pub duplicates: u64,
    /// Lines skipped under [`OnConflict::Skip`] (conflicts, unknown brands).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<LineError>,
}

/// What to do with a line that cannot be stored (an id already stored with
/// other content, a mention of an unknown brand).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnConflict {
    /// Refuse the whole batch (the HTTP API, `import --strict`).
    Refuse,
    /// Store the rest and report the line (`import`).
    Skip,
}

/// Why a batch was refused.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// Events name campaigns of another workspace (or none): lines listed.
    #[error("events refer to campaigns outside this workspace")]
    ForeignCampaign(Vec<LineError>),
    /// Ids already stored with different content: lines listed.
    #[error("events conflict with stored ones")]
    Conflicts(Vec<LineError>),
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
}

const CHUNK: usize = 5000;

/// Fault injection for the crash test: with `WOM_CRASH_AFTER_COMMITS=N` in
/// the environment, the process aborts right after its N-th committed batch,
/// before the batch is acknowledged, the moment a retrying client must
/// survive. Unset (always, outside that test), this does nothing.
fn crash_point_after_commit() {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    static LIMIT: OnceLock<Option<u64>> = OnceLock::new();
    static COMMITS: AtomicU64 = AtomicU64::new(0);
    let limit = LIMIT.get_or_init(|| {
        std::env::var("WOM_CRASH_AFTER_COMMITS")
            .ok()
            .and_then(|v| v.parse().ok())
    });
    if let Some(limit) = *limit {
        if COMMITS.fetch_add(1, Ordering::SeqCst) + 1 >= limit {
            eprintln!("fault injection: aborting after commit {limit}, before the acknowledgement");
            std::process::abort();
        }
    }
}

impl Db {
    /// Stores `events` (already validated) for workspace `slug`.
    pub async fn ingest(
        &self,
        slug: &str,
        events: &[(usize, NewEvent)],
        on_conflict: OnConflict,
    ) -> Result<IngestOutcome, IngestError> {
        let mut tx = self.pool.begin().await?;
        let (ws, tz): (i64, String) =
            sqlx::query_as("SELECT id, timezone FROM workspaces WHERE slug = ?")
                .bind(slug)
                .fetch_one(&mut *tx)
                .await?;
        let tz: chrono_tz::Tz = tz.parse().unwrap_or(chrono_tz::UTC);
        let campaigns: HashSet<i64> =
            sqlx::query_scalar("SELECT id FROM campaigns WHERE workspace_id = ?")
                .bind(ws)
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .collect();
        let brands: HashMap<String, i64> =
            sqlx::query_as("SELECT name, id FROM brands WHERE workspace_id = ?")
                .bind(ws)
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .collect();
        let foreign: Vec<LineError> = events
            .iter()
            .filter(|(_, e)| e.campaign().is_some_and(|c| !campaigns.contains(&c)))
            .map(|(line, e)| LineError {
                line: *line,
                field: "campaign".into(),
                reason: format!(
                    "campaign {} is not a campaign of workspace {slug:?}",
                    e.campaign().unwrap_or_default()
                ),
            })
            .collect();
        if !foreign.is_empty() {
            return Err(IngestError::ForeignCampaign(foreign));
        }
        // What is already stored under these ids.
        let mut known: HashMap<String, String> = HashMap::new();
        let mut elsewhere: HashSet<String> = HashSet::new();
        for chunk in events.chunks(CHUNK) {
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                "SELECT client_id, fingerprint FROM ingested_events WHERE workspace_id = ",
            );
            q.push_bind(ws).push(" AND client_id IN (");
            let mut sep = q.separated(", ");
            for (_, e) in chunk {
                sep.push_bind(e.id());
            }
            q.push(")");
            for r in q.build().fetch_all(&mut *tx).await? {
                known.insert(r.try_get(0)?, r.try_get(1)?);
            }
            // Ids taken by events stored another way (the demo, file imports).
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT client_id FROM (");
            for (i, table) in [
                "posts",
                "exposures",
                "engagements",
                "follows",
                "conversions",
                "mentions",
            ]
            .iter()
            .enumerate()
            {
                if i > 0 {
                    q.push(" UNION ALL ");
                }
                q.push(format!(
                    "SELECT client_id FROM {table} WHERE workspace_id = "
                ))
                .push_bind(ws)
                .push(" AND client_id IN (");
                let mut sep = q.separated(", ");
                for (_, e) in chunk {
                    sep.push_bind(e.id());
                }
                q.push(")");
            }
            q.push(")");
            for r in q.build().fetch_all(&mut *tx).await? {
                elsewhere.insert(r.try_get(0)?);
            }
        }
        let mut conflicts = Vec::new();
        let mut fresh = Vec::new();
        let mut duplicates = 0;
        for (line, e) in events {
            if let NewEvent::Mention { brand, .. } = e {
                if !brands.contains_key(brand) {
                    conflicts.push(LineError {
                        line: *line,
                        field: "brand".into(),
                        reason: format!("{brand:?} is not a brand of workspace {slug:?}"),
                    });
                    continue;
                }
            }
            match known.get(e.id()) {
                Some(fp) if *fp == e.fingerprint() => duplicates += 1,
                Some(_) => conflicts.push(LineError {
                    line: *line,
                    field: "id".into(),
                    reason: format!("{:?} is already stored with different content", e.id()),
                }),
                None if elsewhere.contains(e.id()) => conflicts.push(LineError {
                    line: *line,
                    field: "id".into(),
                    reason: format!(
                        "{:?} is already used by an event stored another way",
                        e.id()
                    ),
                }),
                None => fresh.push(e),
            }
        }
        if !conflicts.is_empty() && on_conflict == OnConflict::Refuse {
            return Err(IngestError::Conflicts(conflicts));
        }
        for e in &fresh {
            store_event(&mut tx, ws, tz, &brands, e).await?;
        }
        tx.commit().await?;
        crash_point_after_commit();
        Ok(IngestOutcome {
            stored: fresh.len() as u64,
            duplicates,
            skipped: conflicts,
        })
    }
}

/// The id of the account `user` on `channel`, created (as a regular
/// account) when the workspace has not seen it.
async fn account_id(
    tx: &mut Transaction<'_, Sqlite>,
    ws: i64,
    channel: &str,
    user: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT OR IGNORE INTO accounts (workspace_id, channel, platform_id, handle, kind) VALUES (?, ?, ?, ?, 'regular')",
    )
    .bind(ws)
    .bind(channel)
    .bind(user)
    .bind(user)
    .execute(&mut **tx)
    .await?;
    sqlx::query_scalar(
        "SELECT id FROM accounts WHERE workspace_id = ? AND channel = ? AND platform_id = ?",
    )
    .bind(ws)
    .bind(channel)
    .bind(user)
    .fetch_one(&mut **tx)
    .await
}

async fn store_event(
    tx: &mut Transaction<'_, Sqlite>,
    ws: i64,
    tz: chrono_tz::Tz,
    brands: &HashMap<String, i64>,
    e: &NewEvent,
) -> Result<(), sqlx::Error> {
    let secs = |ms: i64| ms.div_euclid(1000);
    match e {
        NewEvent::Post {
            id,
            channel,
            author,
            at_ms,
            campaign,
            root_id,
            parent_id,
            paid,
            text,
        } => {
            let account = account_id(tx, ws, channel.as_str(), author).await?;
            // A repost whose root is not given hangs under its parent's root when read.
            let root = root_id.clone().or_else(|| parent_id.clone());
            sqlx::query(
                "INSERT INTO posts (workspace_id, client_id, campaign_id, channel, account_id, posted_at, posted_at_ms, \
                 local_day, root_client_id, parent_client_id, paid, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(ws)
            .bind(id)
            .bind(campaign)
            .bind(channel.as_str())
            .bind(account)
            .bind(secs(*at_ms))
            .bind(at_ms)
            .bind(local_day(tz, secs(*at_ms)))
            .bind(root)
            .bind(parent_id)
            .bind(paid)
            .bind(text)
            .execute(&mut **tx)
            .await?;
        }
        NewEvent::Exposure {
            id,
            channel,
            user_id,
            post_id,
            at_ms,
            campaign,
        } => {
            sqlx::query(
                "INSERT INTO exposures (workspace_id, client_id, campaign_id, channel, user_id, post_client_id, at, local_day) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(ws)
            .bind(id)
            .bind(campaign)
            .bind(channel.as_str())
            .bind(user_id)
            .bind(post_id)
            .bind(secs(*at_ms))
            .bind(local_day(tz, secs(*at_ms)))
            .execute(&mut **tx)
            .await?;
        }
        NewEvent::Engagement {
            id,
            channel,
            user_id,
            post_id,
            action,
            at_ms,
            campaign,
        } => {
            sqlx::query(
                "INSERT INTO engagements (workspace_id, client_id, campaign_id, channel, user_id, post_client_id, kind, at, \
                 local_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(ws)
            .bind(id)
            .bind(campaign)
            .bind(channel.as_str())
            .bind(user_id)
            .bind(post_id)
            .bind(action)
            .bind(secs(*at_ms))
            .bind(local_day(tz, secs(*at_ms)))
            .execute(&mut **tx)
            .await?;
        }
        NewEvent::Follow {
            id,
            channel,
            user_id,
            account,
            follow,
            at_ms,
            campaign,
        } => {
            let owned = account_id(tx, ws, channel.as_str(), account).await?;
            sqlx::query(
                "INSERT INTO follows (workspace_id, client_id, campaign_id, channel, user_id, account_id, action, at, local_day) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(ws)
            .bind(id)
            .bind(campaign)
            .bind(channel.as_str())
            .bind(user_id)
            .bind(owned)
            .bind(if *follow { "follow" } else { "unfollow" })
            .bind(secs(*at_ms))
            .bind(local_day(tz, secs(*at_ms)))
            .execute(&mut **tx)
            .await?;
        }
        NewEvent::Conversion {
            id,
            channel,
            user_id,
            action,
            value_cents,
            post_id,
            at_ms,
            campaign,
        } => {
            sqlx::query(
                "INSERT INTO conversions (workspace_id, client_id, campaign_id, channel, user_id, kind, value_cents, \
                 post_client_id, at, local_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(ws)
            .bind(id)
            .bind(campaign)
            .bind(channel.as_str())
            .bind(user_id)
            .bind(action)
            .bind(value_cents)
            .bind(post_id)
            .bind(secs(*at_ms))
            .bind(local_day(tz, secs(*at_ms)))
            .execute(&mut **tx)
            .await?;
        }
        NewEvent::Mention {
            id,
            brand,
            channel,
            author,
            text,
            at_ms,
        } => {
            sqlx::query(
                "INSERT INTO mentions (workspace_id, client_id, brand_id, channel, author_id, text, at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(ws)
            .bind(id)
            .bind(brands.get(brand).copied())
            .bind(channel.as_str())
            .bind(author)
            .bind(text)
            .bind(secs(*at_ms))
            .execute(&mut **tx)
            .await?;
        }
        NewEvent::Account {
            channel,
            user_id,
            handle,
            followers,
            following,
            posts,
            created_at_ms,
            account_type,
            verified,
            ..
        } => {
            sqlx::query(
                "INSERT INTO accounts (workspace_id, channel, platform_id, handle, kind, followers, following, posts, \
                 created_at, verified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (workspace_id, channel, platform_id) DO UPDATE SET handle = excluded.handle, \
                 kind = excluded.kind, followers = excluded.followers, following = excluded.following, \
                 posts = excluded.posts, created_at = excluded.created_at, verified = excluded.verified",
            )
            .bind(ws)
            .bind(channel.as_str())
            .bind(user_id)
            .bind(if handle.is_empty() { user_id } else { handle })
            .bind(account_type)
            .bind(followers)
            .bind(following)
            .bind(posts)
            .bind(created_at_ms.map(|ms| ms.div_euclid(1000)))
            .bind(verified)
            .execute(&mut **tx)
            .await?;
        }
    }
    roll_up(tx, tz, e).await?;
    sqlx::query(
        "INSERT INTO ingested_events (workspace_id, client_id, fingerprint) VALUES (?, ?, ?)",
    )
    .bind(ws)
    .bind(e.id())
    .bind(e.fingerprint())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Keeps the rollups in step with one stored event.
async fn roll_up(
    tx: &mut Transaction<'_, Sqlite>,
    tz: chrono_tz::Tz,
    e: &NewEvent,
) -> Result<(), sqlx::Error> {
    use super::rollups::{Counter, bump, reach};
    let day = |ms: i64| local_day(tz, ms.div_euclid(1000));
    match e {
        NewEvent::Post {
            channel,
            at_ms,
            campaign,
            parent_id,
            ..
        } => {
            let counter = if parent_id.is_some() {
                Counter::Reposts
            } else {
                Counter::Posts
            };
            bump(tx, *campaign, &day(*at_ms), channel.as_str(), counter, 1).await
        }
        NewEvent::Exposure {
            channel,
            user_id,
            at_ms,
            campaign,
            ..
        } => {
            let d = day(*at_ms);
            bump(tx, *campaign, &d, channel.as_str(), Counter::Impressions, 1).await?;
            reach(tx, *campaign, channel.as_str(), user_id, &d).await
        }
        NewEvent::Engagement {
            channel,
            at_ms,
            campaign,
            ..
        } => {
            bump(
                tx,
                *campaign,
                &day(*at_ms),
                channel.as_str(),
                Counter::Engagements,
                1,
            )
            .await
        }
        NewEvent::Follow {
            channel,
            follow,
            at_ms,
            campaign,
            ..
        } => {
            let counter = if *follow {
                Counter::NewFans
            } else {
                Counter::Unfollows
            };
            bump(tx, *campaign, &day(*at_ms), channel.as_str(), counter, 1).await
        }
        NewEvent::Conversion {
            channel,
            value_cents,
            at_ms,
            campaign,
            ..
        } => {
            let d = day(*at_ms);
            bump(tx, *campaign, &d, channel.as_str(), Counter::Conversions, 1).await?;
            bump(
                tx,
                *campaign,
                &d,
                channel.as_str(),
                Counter::RevenueCents,
                *value_cents,
            )
            .await
        }
        NewEvent::Mention { .. } | NewEvent::Account { .. } => Ok(()),
    }
}
