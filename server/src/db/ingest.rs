//! Storing a validated batch of events in one transaction: nothing of a
//! batch is stored unless all of it can be (a conflict refuses the batch).

use super::Tx;
use super::aggregate::{self, Fact, Kind};
use super::sql::{Sql, insert_rows};
use super::{Db, local_day};
use analytics::events::{LineError, NewEvent};
use sqlx::Row;
use std::collections::{HashMap, HashSet};

/// What a stored batch did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
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
    if let Some(limit) = *limit
        && COMMITS.fetch_add(1, Ordering::SeqCst) + 1 >= limit
    {
        eprintln!("fault injection: aborting after commit {limit}, before the acknowledgement");
        std::process::abort();
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
        let mut tx = self.begin_write().await?;
        let (ws, tz): (i64, String) =
            sqlx::query_as("SELECT id, timezone FROM workspaces WHERE slug = $1")
                .bind(slug)
                .fetch_one(&mut *tx)
                .await?;
        let tz: chrono_tz::Tz = tz.parse().unwrap_or(chrono_tz::UTC);
        let campaigns: HashSet<i64> =
            sqlx::query_scalar("SELECT id FROM campaigns WHERE workspace_id = $1")
                .bind(ws)
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .collect();
        let brands: HashMap<String, i64> =
            sqlx::query_as("SELECT name, id FROM brands WHERE workspace_id = $1")
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
            let mut q = Sql::new(
                self.backend,
                "SELECT client_id, fingerprint FROM ingested_events WHERE workspace_id = ",
            );
            q.bind(ws).push(" AND client_id IN (");
            q.binds(chunk.iter().map(|(_, e)| e.id())).push(")");
            for r in q.build()?.fetch_all(&mut *tx).await? {
                known.insert(r.try_get(0)?, r.try_get(1)?);
            }
            // Ids taken by events stored another way (the demo, file imports),
            // looked up in the table of each event's own kind: one index probe
            // per event. (The registry above covers every kind.)
            for table in [
                "posts",
                "exposures",
                "engagements",
                "follows",
                "conversions",
                "mentions",
            ] {
                let ids: Vec<&str> = chunk
                    .iter()
                    .filter(|(_, e)| table_of(e) == Some(table))
                    .map(|(_, e)| e.id())
                    .collect();
                if ids.is_empty() {
                    continue;
                }
                let mut q = Sql::new(
                    self.backend,
                    format!("SELECT client_id FROM {table} WHERE workspace_id = "),
                );
                q.bind(ws).push(" AND client_id IN (");
                q.binds(ids).push(")");
                for r in q.build()?.fetch_all(&mut *tx).await? {
                    elsewhere.insert(r.try_get(0)?);
                }
            }
        }
        let mut conflicts = Vec::new();
        let mut fresh = Vec::new();
        let mut duplicates = 0;
        for (line, e) in events {
            if let NewEvent::Mention { brand, .. } = e
                && !brands.contains_key(brand)
            {
                conflicts.push(LineError {
                    line: *line,
                    field: "brand".into(),
                    reason: format!("{brand:?} is not a brand of workspace {slug:?}"),
                });
                continue;
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
        store_batch(&mut tx.tx, self.backend, ws, tz, &brands, &fresh).await?;
        tx.commit().await?;
        crash_point_after_commit();
        Ok(IngestOutcome {
            stored: fresh.len() as u64,
            duplicates,
            skipped: conflicts,
        })
    }
}

/// When an event happened (accounts carry no event time).
fn event_ms(e: &NewEvent) -> Option<i64> {
    match e {
        NewEvent::Post { at_ms, .. }
        | NewEvent::Exposure { at_ms, .. }
        | NewEvent::Engagement { at_ms, .. }
        | NewEvent::Follow { at_ms, .. }
        | NewEvent::Conversion { at_ms, .. }
        | NewEvent::Mention { at_ms, .. } => Some(*at_ms),
        NewEvent::Account { .. } => None,
    }
}

/// The table an event is stored in (accounts have none of their own ids).
fn table_of(e: &NewEvent) -> Option<&'static str> {
    Some(match e {
        NewEvent::Post { .. } => "posts",
        NewEvent::Exposure { .. } => "exposures",
        NewEvent::Engagement { .. } => "engagements",
        NewEvent::Follow { .. } => "follows",
        NewEvent::Conversion { .. } => "conversions",
        NewEvent::Mention { .. } => "mentions",
        NewEvent::Account { .. } => return None,
    })
}

/// What `e` adds to the aggregates (accounts add nothing; mentions of
/// unknown brands are never stored).
fn fact<'a>(e: &'a NewEvent, brands: &HashMap<String, i64>) -> Option<Fact<'a>> {
    let (campaign, channel, at_ms, kind) = match e {
        NewEvent::Post {
            id,
            campaign,
            channel,
            at_ms,
            parent_id,
            paid,
            author,
            ..
        } => (
            *campaign,
            *channel,
            *at_ms,
            Kind::Post {
                id,
                author,
                parent: parent_id.as_deref(),
                paid: *paid,
            },
        ),
        NewEvent::Exposure {
            campaign,
            channel,
            at_ms,
            user_id,
            post_id,
            ..
        } => (
            *campaign,
            *channel,
            *at_ms,
            Kind::Exposure {
                user: user_id,
                post: post_id,
            },
        ),
        NewEvent::Engagement {
            campaign,
            channel,
            at_ms,
            user_id,
            post_id,
            ..
        } => (
            *campaign,
            *channel,
            *at_ms,
            Kind::Engagement {
                user: user_id,
                post: post_id,
            },
        ),
        NewEvent::Follow {
            campaign,
            channel,
            at_ms,
            user_id,
            follow,
            account,
            ..
        } => (
            *campaign,
            *channel,
            *at_ms,
            Kind::Follow {
                user: user_id,
                follow: *follow,
                account,
            },
        ),
        NewEvent::Conversion {
            campaign,
            channel,
            at_ms,
            user_id,
            value_cents,
            post_id,
            ..
        } => (
            *campaign,
            *channel,
            *at_ms,
            Kind::Conversion {
                user: user_id,
                value_cents: *value_cents,
                post: post_id.as_deref(),
            },
        ),
        NewEvent::Mention {
            brand,
            channel,
            at_ms,
            ..
        } => (
            0,
            *channel,
            *at_ms,
            Kind::Mention {
                brand: *brands.get(brand)?,
            },
        ),
        NewEvent::Account { .. } => return None,
    };
    Some(Fact {
        campaign,
        channel,
        at_ms,
        kind,
    })
}

/// Stores a batch's new events with multi-row statements: the accounts they
/// name, the events, the account profiles and the id registry; then adds the
/// batch to every aggregate (`aggregate::apply`). All inside the caller's
/// transaction.
async fn store_batch(
    tx: &mut Tx<'_>,
    backend: super::Backend,
    ws: i64,
    tz: chrono_tz::Tz,
    brands: &HashMap<String, i64>,
    events: &[&NewEvent],
) -> Result<(), sqlx::Error> {
    let secs = |ms: i64| ms.div_euclid(1000);
    // Time zone offsets are whole multiples of 15 minutes, so every instant of
    // one 15-minute UTC slot has the same local day: resolve each slot once,
    // up front (an immutable map keeps the future Send).
    let mut slots: HashMap<i64, String> = HashMap::new();
    for e in events {
        if let Some(ms) = event_ms(e) {
            slots
                .entry(ms.div_euclid(900_000))
                .or_insert_with(|| local_day(tz, secs(ms)));
        }
    }
    let day = |ms: i64| -> String {
        slots
            .get(&ms.div_euclid(900_000))
            .cloned()
            .unwrap_or_else(|| local_day(tz, secs(ms)))
    };

    // Accounts that posts (authors) and follows (owned accounts) refer to.
    let mut wanted: Vec<(&'static str, &str)> = Vec::new();
    for e in events {
        match e {
            NewEvent::Post {
                channel, author, ..
            } => wanted.push((channel.as_str(), author)),
            NewEvent::Follow {
                channel, account, ..
            } => wanted.push((channel.as_str(), account)),
            _ => {}
        }
    }
    wanted.sort_unstable();
    wanted.dedup();
    let mut account_ids: HashMap<(String, String), i64> = HashMap::new();
    insert_rows(
        tx,
        backend,
        "INSERT INTO accounts (workspace_id, channel, platform_id, handle, kind) ",
        5,
        &wanted,
        " ON CONFLICT (workspace_id, channel, platform_id) DO NOTHING",
        |b, (ch, user)| {
            b.bind(ws).bind(*ch).bind(*user).bind(*user).bind("regular");
        },
    )
    .await?;
    let columns = "a.channel, a.platform_id, a.id";
    for r in aggregate::accounts_of(tx, backend, ws, &wanted, columns).await? {
        account_ids.insert((r.try_get(0)?, r.try_get(1)?), r.try_get(2)?);
    }

    let (
        mut posts,
        mut exposures,
        mut engagements,
        mut follows,
        mut conversions,
        mut mentions,
        mut accounts,
    ) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    for e in events {
        match e {
            NewEvent::Post { .. } => posts.push(*e),
            NewEvent::Exposure { .. } => exposures.push(*e),
            NewEvent::Engagement { .. } => engagements.push(*e),
            NewEvent::Follow { .. } => follows.push(*e),
            NewEvent::Conversion { .. } => conversions.push(*e),
            NewEvent::Mention { .. } => mentions.push(*e),
            NewEvent::Account { .. } => accounts.push(*e),
        }
    }

    insert_rows(
        tx,
        backend,
        "INSERT INTO posts (workspace_id, client_id, campaign_id, channel, account_id, posted_at, posted_at_ms, \
             local_day, root_client_id, parent_client_id, paid, text) ",
        12,
        &posts,
        "",
        |b, e| {
            if let NewEvent::Post {
                id,
                channel,
                author,
                at_ms,
                campaign,
                root_id,
                parent_id,
                paid,
                text,
            } = e
            {
                // A repost whose root is not given hangs under its parent's root when read.
                let root = root_id.clone().or_else(|| parent_id.clone());
                b.bind(ws)
                    .bind(id.clone())
                    .bind(*campaign)
                    .bind(channel.as_str())
                    .bind(
                        account_ids
                            .get(&(channel.as_str().to_string(), author.clone()))
                            .copied(),
                    )
                    .bind(secs(*at_ms))
                    .bind(*at_ms)
                    .bind(day(*at_ms))
                    .bind(root)
                    .bind(parent_id.clone())
                    .bind(i64::from(*paid))
                    .bind(text.clone());
            }
        },
    )
    .await?;
    insert_rows(
        tx,
        backend,
        "INSERT INTO exposures (workspace_id, client_id, campaign_id, channel, user_id, post_client_id, at, local_day) ",
        8,
        &exposures,
        "",
        |b, e| {
            if let NewEvent::Exposure {
                id,
                channel,
                user_id,
                post_id,
                at_ms,
                campaign,
            } = e
            {
                b.bind(ws)
                    .bind(id.clone())
                    .bind(*campaign)
                    .bind(channel.as_str())
                    .bind(user_id.clone())
                    .bind(post_id.clone())
                    .bind(secs(*at_ms))
                    .bind(day(*at_ms));
            }
        },
    )
    .await?;
    insert_rows(
        tx,
        backend,
        "INSERT INTO engagements (workspace_id, client_id, campaign_id, channel, user_id, post_client_id, kind, at, \
             local_day) ",
        9,
        &engagements,
        "",
        |b, e| {
            if let NewEvent::Engagement {
                id,
                channel,
                user_id,
                post_id,
                action,
                at_ms,
                campaign,
            } = e
            {
                b.bind(ws)
                    .bind(id.clone())
                    .bind(*campaign)
                    .bind(channel.as_str())
                    .bind(user_id.clone())
                    .bind(post_id.clone())
                    .bind(action.clone())
                    .bind(secs(*at_ms))
                    .bind(day(*at_ms));
            }
        },
    )
    .await?;
    insert_rows(
        tx,
        backend,
        "INSERT INTO follows (workspace_id, client_id, campaign_id, channel, user_id, account_id, action, at, local_day) ",
        9,
        &follows,
        "",
        |b, e| {
            if let NewEvent::Follow {
                id,
                channel,
                user_id,
                account,
                follow,
                at_ms,
                campaign,
            } = e
            {
                b.bind(ws)
                    .bind(id.clone())
                    .bind(*campaign)
                    .bind(channel.as_str())
                    .bind(user_id.clone())
                    .bind(
                        account_ids
                            .get(&(channel.as_str().to_string(), account.clone()))
                            .copied(),
                    )
                    .bind(if *follow { "follow" } else { "unfollow" })
                    .bind(secs(*at_ms))
                    .bind(day(*at_ms));
            }
        },
    )
    .await?;
    insert_rows(
        tx,
        backend,
        "INSERT INTO conversions (workspace_id, client_id, campaign_id, channel, user_id, kind, value_cents, \
             post_client_id, at, local_day) ",
        10,
        &conversions,
        "",
        |b, e| {
            if let NewEvent::Conversion {
                id,
                channel,
                user_id,
                action,
                value_cents,
                post_id,
                at_ms,
                campaign,
            } = e
            {
                b.bind(ws)
                    .bind(id.clone())
                    .bind(*campaign)
                    .bind(channel.as_str())
                    .bind(user_id.clone())
                    .bind(action.clone())
                    .bind(*value_cents)
                    .bind(post_id.clone())
                    .bind(secs(*at_ms))
                    .bind(day(*at_ms));
            }
        },
    )
    .await?;
    insert_rows(
        tx,
        backend,
        "INSERT INTO mentions (workspace_id, client_id, brand_id, channel, author_id, text, at) ",
        7,
        &mentions,
        "",
        |b, e| {
            if let NewEvent::Mention {
                id,
                brand,
                channel,
                author,
                text,
                at_ms,
            } = e
            {
                b.bind(ws)
                    .bind(id.clone())
                    .bind(brands.get(brand).copied())
                    .bind(channel.as_str())
                    .bind(author.clone())
                    .bind(text.clone())
                    .bind(secs(*at_ms));
            }
        },
    )
    .await?;
    for e in &accounts {
        if let NewEvent::Account {
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
        } = e
        {
            sqlx::query(
                "INSERT INTO accounts (workspace_id, channel, platform_id, handle, kind, followers, following, posts, \
                 created_at, verified) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
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
            .bind(i64::from(*verified))
            .execute(&mut **tx)
            .await?;
        }
    }

    insert_rows(
        tx,
        backend,
        "INSERT INTO ingested_events (workspace_id, client_id, fingerprint) ",
        3,
        events,
        "",
        |b, e| {
            b.bind(ws).bind(e.id().to_string()).bind(e.fingerprint());
        },
    )
    .await?;
    let facts: Vec<Fact<'_>> = events.iter().filter_map(|e| fact(e, brands)).collect();
    aggregate::apply(tx, backend, ws, tz, &facts).await?;
    Ok(())
}
