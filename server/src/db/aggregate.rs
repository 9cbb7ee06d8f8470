//! The aggregates kept at ingest, computed in one place: ingestion applies
//! them to each stored batch, and a rebuild replays a campaign's raw events
//! through the same code, so the two cannot disagree by construction (and
//! the tests check both against plain SQL).
//!
//! For every event: campaign × day (workspace time zone) × channel × suspect
//! counters (`rollup_daily`), the same per UTC hour (`rollup_hourly`), each
//! exposed user's first exposure (`reach_first`, which keeps new reach exact
//! when events arrive out of order), reach sketches per campaign × day ×
//! channel × suspect (`rollup_sketches`), mentions per brand × hour, and the
//! fan-conversion funnel (`funnel_journeys` per user, `rollup_funnel` per
//! first-exposure day × channel × post × suspect × window).
//!
//! *Suspect* (see `analytics::suspect`): a post by a flagged paid poster, or
//! an exposure, engagement, follow or conversion by a suspected zombie
//! account, judged from the account's profile as stored when the event is
//! aggregated (send `account` events before the activity they describe; a
//! rebuild re-judges everything with the current profiles).

use super::sql::{Sql, insert_rows, rows_per_statement};
use super::{Backend, Tx, local_day};
use analytics::funnel::{Journey, WINDOWS_S};
use analytics::suspect::{self, Profile};
use analytics::wire::Channel;
use sqlx::Row;
use std::collections::HashMap;

/// What an event adds to the aggregates.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fact<'a> {
    pub campaign: i64,
    pub channel: Channel,
    pub at_ms: i64,
    pub kind: Kind<'a>,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Kind<'a> {
    Post {
        id: &'a str,
        /// The author's platform id.
        author: &'a str,
        parent: Option<&'a str>,
        paid: bool,
    },
    Exposure {
        user: &'a str,
        post: &'a str,
    },
    Engagement {
        user: &'a str,
        post: &'a str,
    },
    Follow {
        user: &'a str,
        follow: bool,
        /// The account followed.
        account: &'a str,
    },
    Conversion {
        user: &'a str,
        value_cents: i64,
        post: Option<&'a str>,
    },
    Mention {
        brand: i64,
    },
}

impl<'a> Fact<'a> {
    /// The user behind a user-level event.
    fn user(&self) -> Option<&'a str> {
        match self.kind {
            Kind::Exposure { user, .. }
            | Kind::Engagement { user, .. }
            | Kind::Follow { user, .. }
            | Kind::Conversion { user, .. } => Some(user),
            Kind::Post { .. } | Kind::Mention { .. } => None,
        }
    }

    /// The account whose profile matters for this event: the user, or a
    /// post's author.
    fn profiled(&self) -> Option<&'a str> {
        match self.kind {
            Kind::Post { author, .. } => Some(author),
            _ => self.user(),
        }
    }
}

/// The counter columns of `rollup_daily` and `rollup_hourly`, in
/// [`Deltas::values`]' order.
pub(super) const COUNTERS: [&str; 10] = [
    "impressions",
    "new_reach",
    "engagements",
    "posts",
    "reposts",
    "new_fans",
    "unfollows",
    "conversions",
    "revenue_cents",
    "potential_reach",
];

/// The counters of `rollup_posts`: what went through one post.
const POST_COUNTERS: [&str; 5] = [
    "impressions",
    "engagements",
    "reposts",
    "conversions",
    "revenue_cents",
];

/// Counter deltas of one rollup row.
#[derive(Debug, Default, Clone, Copy)]
struct Deltas {
    impressions: i64,
    new_reach: i64,
    engagements: i64,
    posts: i64,
    reposts: i64,
    new_fans: i64,
    unfollows: i64,
    conversions: i64,
    revenue_cents: i64,
    potential_reach: i64,
}

impl Deltas {
    fn values(&self) -> [i64; 10] {
        [
            self.impressions,
            self.new_reach,
            self.engagements,
            self.posts,
            self.reposts,
            self.new_fans,
            self.unfollows,
            self.conversions,
            self.revenue_cents,
            self.potential_reach,
        ]
    }
}

/// Campaign, day, channel, suspect.
type DayKey = (i64, String, &'static str, bool);
/// Campaign, hour (Unix seconds of its start), channel, suspect.
type HourKey = (i64, i64, &'static str, bool);
/// Campaign, day, channel, credited account (`""`: no owned or KOL
/// account), suspect.
type AccountKey = (i64, String, &'static str, String, bool);
/// Campaign, post client id, suspect.
type PostKey = (i64, String, bool);
/// Campaign, channel, user.
type UserKey<'a> = (i64, &'static str, &'a str);

/// A user's first exposure: when, and whether the user was suspected then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct First {
    ms: i64,
    suspect: bool,
}

fn hour_of(ms: i64) -> i64 {
    let s = ms.div_euclid(1000);
    s - s.rem_euclid(3600)
}

/// Adds `facts` to every aggregate of workspace `ws`, inside the caller's
/// transaction, and raises the touched campaigns' versions.
pub(super) async fn apply(
    tx: &mut Tx<'_>,
    backend: Backend,
    ws: i64,
    tz: chrono_tz::Tz,
    facts: &[Fact<'_>],
) -> Result<(), sqlx::Error> {
    // Time zone offsets are whole multiples of 15 minutes, so every instant of
    // one 15-minute UTC slot has the same local day: resolve each slot once.
    let mut slots: HashMap<i64, String> = HashMap::new();
    for f in facts {
        slots
            .entry(f.at_ms.div_euclid(900_000))
            .or_insert_with(|| local_day(tz, f.at_ms.div_euclid(1000)));
    }
    let day = |ms: i64| -> String {
        slots
            .get(&ms.div_euclid(900_000))
            .cloned()
            .unwrap_or_else(|| local_day(tz, ms.div_euclid(1000)))
    };
    let profiles = profiles(tx, backend, ws, facts).await?;
    let credits = credits(tx, backend, ws, facts).await?;
    let profile_of = |f: &Fact<'_>| {
        profiles
            .get(f.channel.as_str())
            .and_then(|users| users.get(f.profiled().unwrap_or_default()))
    };
    let suspect_of = |f: &Fact<'_>| -> bool {
        match f.kind {
            Kind::Post { paid, .. } => paid,
            Kind::Mention { .. } => false,
            _ => suspect::zombie(profile_of(f), f.at_ms.div_euclid(1000)),
        }
    };

    let mut daily: HashMap<DayKey, Deltas> = HashMap::new();
    let mut hourly: HashMap<HourKey, Deltas> = HashMap::new();
    let mut first_seen: HashMap<UserKey<'_>, First> = HashMap::new();
    let mut accounts: HashMap<AccountKey, Deltas> = HashMap::new();
    let mut posts: HashMap<PostKey, Deltas> = HashMap::new();
    let mut exposed: HashMap<AccountKey, Vec<&str>> = HashMap::new();
    let mut mention_hours: HashMap<(i64, i64), i64> = HashMap::new();
    for f in facts {
        let suspect = suspect_of(f);
        let ch = f.channel.as_str();
        let account = credits.account_of(f);
        let mut bump = |add: &dyn Fn(&mut Deltas)| {
            add(daily
                .entry((f.campaign, day(f.at_ms), ch, suspect))
                .or_default());
            add(hourly
                .entry((f.campaign, hour_of(f.at_ms), ch, suspect))
                .or_default());
            add(accounts
                .entry((f.campaign, day(f.at_ms), ch, account.clone(), suspect))
                .or_default());
        };
        // Per post: exposures, engagements and conversions through it, and
        // its direct reposts.
        let through = match f.kind {
            Kind::Exposure { post, .. } | Kind::Engagement { post, .. } => Some(post),
            Kind::Conversion { post, .. } => post,
            Kind::Post { parent, .. } => parent,
            _ => None,
        };
        let post = through.map(|p| {
            posts
                .entry((f.campaign, p.to_string(), suspect))
                .or_default()
        });
        if let Kind::Post { .. } = f.kind {
            let followers = profile_of(f).map_or(0, |p| p.followers.max(0));
            bump(&|d| d.potential_reach += followers);
        }
        match f.kind {
            Kind::Post {
                parent: Some(_), ..
            } => {
                bump(&|d| d.reposts += 1);
                if let Some(p) = post {
                    p.reposts += 1;
                }
            }
            Kind::Post { parent: None, .. } => bump(&|d| d.posts += 1),
            Kind::Exposure { user, .. } => {
                if let Some(p) = post {
                    p.impressions += 1;
                }
                bump(&|d| d.impressions += 1);
                // Whole seconds: exposures are stored to the second, and a
                // rebuild must find the same first exposure.
                let this = First {
                    ms: f.at_ms.div_euclid(1000) * 1000,
                    suspect,
                };
                first_seen
                    .entry((f.campaign, ch, user))
                    .and_modify(|known| {
                        if this.ms < known.ms {
                            *known = this
                        }
                    })
                    .or_insert(this);
                exposed
                    .entry((f.campaign, day(f.at_ms), ch, account.clone(), suspect))
                    .or_default()
                    .push(user);
            }
            Kind::Engagement { .. } => {
                bump(&|d| d.engagements += 1);
                if let Some(p) = post {
                    p.engagements += 1;
                }
            }
            Kind::Follow { follow: true, .. } => bump(&|d| d.new_fans += 1),
            Kind::Follow { follow: false, .. } => bump(&|d| d.unfollows += 1),
            Kind::Conversion { value_cents, .. } => {
                bump(&|d| {
                    d.conversions += 1;
                    d.revenue_cents += value_cents;
                });
                if let Some(p) = post {
                    p.conversions += 1;
                    p.revenue_cents += value_cents;
                }
            }
            Kind::Mention { brand } => {
                *mention_hours.entry((brand, hour_of(f.at_ms))).or_default() += 1;
            }
        }
    }

    // First exposures: compare the batch's earliest per user with what is
    // stored, and turn each change into new-reach deltas (-1 where the user
    // was counted, +1 where they now are).
    let mut keys: Vec<UserKey<'_>> = first_seen.keys().copied().collect();
    keys.sort_unstable();
    let mut stored: HashMap<(i64, String, String), First> = HashMap::new();
    for chunk in keys.chunks(rows_per_statement(3)) {
        let mut q = Sql::new(
            backend,
            "SELECT r.campaign_id, r.channel, r.user_id, r.first_ms, r.suspect FROM (VALUES ",
        );
        q.tuples(chunk, |t, (c, ch, u)| {
            t.bind(*c).bind(*ch).bind(*u);
        });
        q.push(
            ") AS v JOIN reach_first r ON r.campaign_id = v.column1 AND r.channel = v.column2 \
             AND r.user_id = v.column3",
        );
        for r in q.build()?.fetch_all(&mut **tx).await? {
            stored.insert(
                (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?),
                First {
                    ms: r.try_get(3)?,
                    suspect: r.try_get::<i64, _>(4)? != 0,
                },
            );
        }
    }
    let mut changed: Vec<(UserKey<'_>, First)> = Vec::new();
    for key in &keys {
        let new = first_seen[key];
        let (c, ch, _) = *key;
        match stored.get(&(key.0, key.1.to_string(), key.2.to_string())) {
            Some(old) if old.ms <= new.ms => continue,
            Some(old) => {
                daily
                    .entry((c, day(old.ms), ch, old.suspect))
                    .or_default()
                    .new_reach -= 1;
                hourly
                    .entry((c, hour_of(old.ms), ch, old.suspect))
                    .or_default()
                    .new_reach -= 1;
            }
            None => {}
        }
        daily
            .entry((c, day(new.ms), ch, new.suspect))
            .or_default()
            .new_reach += 1;
        hourly
            .entry((c, hour_of(new.ms), ch, new.suspect))
            .or_default()
            .new_reach += 1;
        changed.push((*key, new));
    }
    insert_rows(
        tx,
        backend,
        "INSERT INTO reach_first (campaign_id, channel, user_id, first_day, first_ms, suspect) ",
        6,
        &changed,
        " ON CONFLICT (campaign_id, channel, user_id) DO UPDATE SET first_day = excluded.first_day, \
             first_ms = excluded.first_ms, suspect = excluded.suspect",
        |t, ((c, ch, u), first)| {
            t.bind(*c)
                .bind(*ch)
                .bind(*u)
                .bind(day(first.ms))
                .bind(first.ms)
                .bind(i64::from(first.suspect));
        },
    )
    .await?;

    let mut mention_hours: Vec<((i64, i64), i64)> = mention_hours.into_iter().collect();
    mention_hours.sort_unstable();
    insert_rows(
        tx,
        backend,
        "INSERT INTO rollup_mentions_hourly (brand_id, hour, mentions) ",
        3,
        &mention_hours,
        " ON CONFLICT (brand_id, hour) DO UPDATE SET \
             mentions = rollup_mentions_hourly.mentions + excluded.mentions",
        |t, ((brand, hour), n)| {
            t.bind(*brand).bind(*hour).bind(*n);
        },
    )
    .await?;

    // Reach sketches: each touched cell read, extended, written back.
    let mut exposed: Vec<(AccountKey, Vec<&str>)> = exposed.into_iter().collect();
    exposed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for ((campaign, d, channel, account, suspect), users) in exposed {
        let blob: Option<Vec<u8>> = sqlx::query_scalar(
            "SELECT sketch FROM rollup_sketches \
             WHERE campaign_id = $1 AND day = $2 AND channel = $3 AND account = $4 AND suspect = $5",
        )
        .bind(campaign)
        .bind(&d)
        .bind(channel)
        .bind(&account)
        .bind(i64::from(suspect))
        .fetch_optional(&mut **tx)
        .await?;
        let mut sketch = match blob {
            Some(blob) => analytics::hll::Sketch::from_bytes(&blob)
                .map_err(|e| sqlx::Error::Protocol(format!("stored sketch {d}/{channel}: {e}")))?,
            None => analytics::hll::Sketch::new(),
        };
        for user in users {
            sketch.add_user(channel, user);
        }
        sqlx::query(
            "INSERT INTO rollup_sketches (campaign_id, day, channel, account, suspect, sketch) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (campaign_id, day, channel, account, suspect) DO UPDATE SET sketch = excluded.sketch",
        )
        .bind(campaign)
        .bind(&d)
        .bind(channel)
        .bind(&account)
        .bind(i64::from(suspect))
        .bind(sketch.to_bytes())
        .execute(&mut **tx)
        .await?;
    }

    funnel(tx, backend, facts, &day, &suspect_of).await?;

    let mut touched: Vec<i64> = daily.keys().map(|k| k.0).collect();
    touched.sort_unstable();
    touched.dedup();
    super::rollups::bump_versions(tx, &touched).await?;
    // Rows in key order: one lock order for every writer (PostgreSQL).
    let mut daily: Vec<(DayKey, Deltas)> = daily.into_iter().collect();
    daily.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let key = "campaign_id, day, channel, suspect";
    write_counters(
        tx,
        backend,
        "rollup_daily",
        key,
        &COUNTERS,
        &daily,
        |t, (c, d, ch, s)| {
            t.bind(*c).bind(d.clone()).bind(*ch).bind(i64::from(*s));
        },
    )
    .await?;
    let mut hourly: Vec<(HourKey, Deltas)> = hourly.into_iter().collect();
    hourly.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let key = "campaign_id, hour, channel, suspect";
    write_counters(
        tx,
        backend,
        "rollup_hourly",
        key,
        &COUNTERS,
        &hourly,
        |t, (c, h, ch, s)| {
            t.bind(*c).bind(*h).bind(*ch).bind(i64::from(*s));
        },
    )
    .await?;
    let mut accounts: Vec<(AccountKey, Deltas)> = accounts.into_iter().collect();
    accounts.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let key = "campaign_id, day, channel, account, suspect";
    write_counters(
        tx,
        backend,
        "rollup_accounts",
        key,
        &COUNTERS,
        &accounts,
        |t, (c, d, ch, a, s)| {
            t.bind(*c)
                .bind(d.clone())
                .bind(*ch)
                .bind(a.clone())
                .bind(i64::from(*s));
        },
    )
    .await?;
    let mut posts: Vec<(PostKey, Deltas)> = posts.into_iter().collect();
    posts.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let key = "campaign_id, post_client_id, suspect";
    write_counters(
        tx,
        backend,
        "rollup_posts",
        key,
        &POST_COUNTERS,
        &posts,
        |t, (c, p, s)| {
            t.bind(*c).bind(p.clone()).bind(i64::from(*s));
        },
    )
    .await
}

/// Adds counter deltas to `table` (its `counters` columns, a subset of
/// [`COUNTERS`]), keyed by the `key` columns that `bind_key` binds.
async fn write_counters<K>(
    tx: &mut Tx<'_>,
    backend: Backend,
    table: &str,
    key: &str,
    counters: &[&str],
    rows: &[(K, Deltas)],
    bind_key: impl for<'q> Fn(&mut super::sql::Tuple<'_, 'q>, &K),
) -> Result<(), sqlx::Error> {
    let columns = counters.join(", ");
    let update = counters
        .iter()
        .map(|c| format!("{c} = {table}.{c} + excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    insert_rows(
        tx,
        backend,
        &format!("INSERT INTO {table} ({key}, {columns}) "),
        key.split(',').count() + counters.len(),
        rows,
        &format!(" ON CONFLICT ({key}) DO UPDATE SET {update}"),
        |t, (k, d)| {
            bind_key(t, k);
            for (name, v) in COUNTERS.iter().zip(d.values()) {
                if counters.contains(name) {
                    t.bind(v);
                }
            }
        },
    )
    .await
}

/// Who gets the credit for each event (`rollup_accounts`, sketches): the
/// account that posted the post an event went through, or was followed,
/// when it is one of the brand's own (owned) or a KOL; everyone else is
/// `""` (earned: word of mouth by other accounts).
struct Credits {
    /// Post client id → credited account.
    by_post: HashMap<String, String>,
    /// Channel → platform id → credited account, for followed accounts.
    by_account: HashMap<&'static str, HashMap<String, String>>,
}

impl Credits {
    fn account_of(&self, f: &Fact<'_>) -> String {
        let post = match f.kind {
            Kind::Post { id, .. } => Some(id),
            Kind::Exposure { post, .. } | Kind::Engagement { post, .. } => Some(post),
            Kind::Conversion { post, .. } => post,
            Kind::Follow { account, .. } => {
                return self
                    .by_account
                    .get(f.channel.as_str())
                    .and_then(|m| m.get(account))
                    .cloned()
                    .unwrap_or_default();
            }
            Kind::Mention { .. } => None,
        };
        post.and_then(|p| self.by_post.get(p))
            .cloned()
            .unwrap_or_default()
    }
}

fn credited(platform_id: String, kind: &str) -> String {
    if matches!(kind, "owned" | "kol") {
        platform_id
    } else {
        String::new()
    }
}

/// The credits of `facts`' posts and followed accounts, from the stored
/// posts and accounts (a batch's own posts are stored before this runs; an
/// event about a post not stored yet is credited to no one until a rebuild).
async fn credits(
    tx: &mut Tx<'_>,
    backend: Backend,
    ws: i64,
    facts: &[Fact<'_>],
) -> Result<Credits, sqlx::Error> {
    let mut post_ids: Vec<&str> = Vec::new();
    let mut followed: Vec<(&'static str, &str)> = Vec::new();
    for f in facts {
        match f.kind {
            Kind::Post { id, .. } => post_ids.push(id),
            Kind::Exposure { post, .. } | Kind::Engagement { post, .. } => post_ids.push(post),
            Kind::Conversion {
                post: Some(post), ..
            } => post_ids.push(post),
            Kind::Follow { account, .. } => followed.push((f.channel.as_str(), account)),
            _ => {}
        }
    }
    post_ids.sort_unstable();
    post_ids.dedup();
    followed.sort_unstable();
    followed.dedup();
    let mut by_post = HashMap::new();
    for chunk in post_ids.chunks(rows_per_statement(1) - 1) {
        let mut q = Sql::new(
            backend,
            "SELECT p.client_id, a.platform_id, a.kind FROM posts p JOIN accounts a ON a.id = p.account_id \
             WHERE p.workspace_id = ",
        );
        q.bind(ws)
            .push(" AND p.client_id IN (")
            .binds(chunk.iter().copied())
            .push(")");
        for r in q.build()?.fetch_all(&mut **tx).await? {
            let kind: String = r.try_get(2)?;
            by_post.insert(r.try_get(0)?, credited(r.try_get(1)?, &kind));
        }
    }
    let mut by_account: HashMap<&'static str, HashMap<String, String>> = HashMap::new();
    for r in accounts_of(
        tx,
        backend,
        ws,
        &followed,
        "a.channel, a.platform_id, a.kind",
    )
    .await?
    {
        let channel: String = r.try_get(0)?;
        let Some(channel) = Channel::parse(&channel) else {
            continue;
        };
        let id: String = r.try_get(1)?;
        let kind: String = r.try_get(2)?;
        by_account
            .entry(channel.as_str())
            .or_default()
            .insert(id.clone(), credited(id, &kind));
    }
    Ok(Credits {
        by_post,
        by_account,
    })
}

/// The stored profiles of the users behind `facts`, by (channel, user).
async fn profiles(
    tx: &mut Tx<'_>,
    backend: Backend,
    ws: i64,
    facts: &[Fact<'_>],
) -> Result<HashMap<&'static str, HashMap<String, Profile>>, sqlx::Error> {
    let mut users: Vec<(&'static str, &str)> = facts
        .iter()
        .filter_map(|f| Some((f.channel.as_str(), f.profiled()?)))
        .collect();
    users.sort_unstable();
    users.dedup();
    let mut out: HashMap<&'static str, HashMap<String, Profile>> = HashMap::new();
    let columns = "a.channel, a.platform_id, a.followers, a.following, a.posts, a.created_at";
    for r in accounts_of(tx, backend, ws, &users, columns).await? {
        let channel: String = r.try_get(0)?;
        let Some(channel) = Channel::parse(&channel) else {
            continue;
        };
        out.entry(channel.as_str()).or_default().insert(
            r.try_get(1)?,
            Profile {
                followers: r.try_get(2)?,
                following: r.try_get(3)?,
                posts: r.try_get(4)?,
                created_at: r.try_get(5)?,
            },
        );
    }
    Ok(out)
}

/// `columns` (of `accounts a`) of the stored accounts among `pairs`
/// (channel, platform id) of workspace `ws`, as many lookups as the bind
/// limit requires. A join with the pairs, not a row-valued `IN` list:
/// PostgreSQL recurses once per element of one and runs out of stack on
/// long lists.
pub(super) async fn accounts_of(
    tx: &mut Tx<'_>,
    backend: Backend,
    ws: i64,
    pairs: &[(&'static str, &str)],
    columns: &str,
) -> Result<Vec<super::DbRow>, sqlx::Error> {
    let mut rows = Vec::new();
    for chunk in pairs.chunks(rows_per_statement(2) - 1) {
        let mut q = Sql::new(backend, format!("SELECT {columns} FROM (VALUES "));
        q.tuples(chunk, |t, (ch, u)| {
            t.bind(*ch).bind(*u);
        });
        q.push(
            ") AS v JOIN accounts a ON a.channel = v.column1 AND a.platform_id = v.column2 \
             AND a.workspace_id = ",
        );
        q.bind(ws);
        rows.extend(q.build()?.fetch_all(&mut **tx).await?);
    }
    Ok(rows)
}

/// What a user's journey adds to `rollup_funnel`: its cohort and, per
/// window of [`WINDOWS_S`], the steps counted (engaged, fan, converted,
/// retained 7 days, retained 30 days).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Contribution {
    day: String,
    post: String,
    suspect: bool,
    counted: Vec<[bool; 5]>,
}

/// Funnel cohort key: campaign, day, channel, post, suspect, window.
type FunnelKey = (i64, String, String, String, bool, i64);

/// Merges `facts` into the journeys of their users and moves each changed
/// journey's contribution in `rollup_funnel` (old one out, new one in).
async fn funnel(
    tx: &mut Tx<'_>,
    backend: Backend,
    facts: &[Fact<'_>],
    day: &(dyn Fn(i64) -> String + Sync),
    suspect_of: &(dyn Fn(&Fact<'_>) -> bool + Sync),
) -> Result<(), sqlx::Error> {
    // Times to the second, as stored: a rebuild must find the same journeys.
    let secs = |ms: i64| ms.div_euclid(1000) * 1000;
    let mut merged: HashMap<UserKey<'_>, (Journey, Option<bool>)> = HashMap::new();
    for f in facts {
        let Some(user) = f.user() else { continue };
        let (journey, first_suspect) = merged
            .entry((f.campaign, f.channel.as_str(), user))
            .or_default();
        let t = secs(f.at_ms);
        match f.kind {
            Kind::Exposure { post, .. } => {
                let earlier = journey
                    .first_exposure
                    .as_ref()
                    .is_none_or(|(ms, p)| (t, post) < (*ms, p.as_str()));
                if earlier {
                    journey.first_exposure = Some((t, post.to_string()));
                    *first_suspect = Some(suspect_of(f));
                }
            }
            Kind::Engagement { .. } => journey.engagements.push(t),
            Kind::Follow { follow: true, .. } => journey.follows.push(t),
            Kind::Follow { follow: false, .. } => journey.unfollows.push(t),
            Kind::Conversion { .. } => journey.conversions.push(t),
            Kind::Post { .. } | Kind::Mention { .. } => {}
        }
    }
    let mut keys: Vec<UserKey<'_>> = merged.keys().copied().collect();
    keys.sort_unstable();
    let mut stored: HashMap<(i64, String, String), (Journey, Option<Contribution>)> =
        HashMap::new();
    for chunk in keys.chunks(rows_per_statement(3)) {
        let mut q = Sql::new(
            backend,
            "SELECT j.campaign_id, j.channel, j.user_id, j.journey, j.contribution FROM (VALUES ",
        );
        q.tuples(chunk, |t, (c, ch, u)| {
            t.bind(*c).bind(*ch).bind(*u);
        });
        q.push(
            ") AS v JOIN funnel_journeys j ON j.campaign_id = v.column1 AND j.channel = v.column2 \
             AND j.user_id = v.column3",
        );
        for r in q.build()?.fetch_all(&mut **tx).await? {
            let bad = |e: serde_json::Error| sqlx::Error::Protocol(format!("stored journey: {e}"));
            let journey: String = r.try_get(3)?;
            let contribution: Option<String> = r.try_get(4)?;
            stored.insert(
                (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?),
                (
                    serde_json::from_str(&journey).map_err(bad)?,
                    contribution
                        .map(|c| serde_json::from_str(&c).map_err(bad))
                        .transpose()?,
                ),
            );
        }
    }
    let mut deltas: HashMap<FunnelKey, [i64; 6]> = HashMap::new();
    let mut add = |c: i64, ch: &str, contribution: &Contribution, sign: i64| {
        for (w, counted) in WINDOWS_S.iter().zip(&contribution.counted) {
            let d = deltas
                .entry((
                    c,
                    contribution.day.clone(),
                    ch.to_string(),
                    contribution.post.clone(),
                    contribution.suspect,
                    *w,
                ))
                .or_default();
            d[0] += sign;
            for (i, &flag) in counted.iter().enumerate() {
                d[i + 1] += sign * i64::from(flag);
            }
        }
    };
    let mut rows: Vec<(UserKey<'_>, String, Option<String>)> = Vec::with_capacity(keys.len());
    for key in &keys {
        let (new, new_suspect) = &merged[key];
        let (c, ch, u) = *key;
        let (mut journey, old, old_suspect, existed) =
            match stored.remove(&(c, ch.to_string(), u.to_string())) {
                Some((j, contribution)) => {
                    let suspect = contribution.as_ref().map(|c| c.suspect);
                    (j, contribution, suspect, true)
                }
                None => (Journey::default(), None, None, false),
            };
        // The suspect flag of the first exposure: the batch's when it moved
        // the first exposure, else the one already counted.
        let moved = match (&new.first_exposure, &journey.first_exposure) {
            (Some(n), Some(o)) => (n.0, n.1.as_str()) < (o.0, o.1.as_str()),
            (Some(_), None) => true,
            _ => false,
        };
        let adds_times = !(new.engagements.is_empty()
            && new.follows.is_empty()
            && new.unfollows.is_empty()
            && new.conversions.is_empty());
        if existed && !moved && !adds_times {
            // A later exposure of a known user changes nothing: skip the write.
            continue;
        }
        if moved {
            journey.first_exposure = new.first_exposure.clone();
        }
        journey.engagements.extend(&new.engagements);
        journey.follows.extend(&new.follows);
        journey.unfollows.extend(&new.unfollows);
        journey.conversions.extend(&new.conversions);
        let suspect = if moved { *new_suspect } else { old_suspect };
        let contribution = journey
            .first_exposure
            .as_ref()
            .map(|(t0, post)| Contribution {
                day: day(*t0),
                post: post.clone(),
                suspect: suspect.unwrap_or(false),
                counted: WINDOWS_S
                    .iter()
                    .map(|&w| {
                        let k = journey.counted(w).unwrap_or_default();
                        [k.engaged, k.fan, k.converted, k.retained_7d, k.retained_30d]
                    })
                    .collect(),
            });
        if contribution != old {
            if let Some(old) = &old {
                add(c, ch, old, -1);
            }
            if let Some(new) = &contribution {
                add(c, ch, new, 1);
            }
        }
        let json = |e: serde_json::Error| sqlx::Error::Protocol(format!("a journey: {e}"));
        rows.push((
            *key,
            serde_json::to_string(&journey).map_err(json)?,
            contribution
                .as_ref()
                .map(serde_json::to_string)
                .transpose()
                .map_err(json)?,
        ));
    }
    insert_rows(
        tx,
        backend,
        "INSERT INTO funnel_journeys (campaign_id, channel, user_id, journey, contribution) ",
        5,
        &rows,
        " ON CONFLICT (campaign_id, channel, user_id) DO UPDATE SET journey = excluded.journey, \
             contribution = excluded.contribution",
        |t, ((c, ch, u), journey, contribution)| {
            t.bind(*c)
                .bind(*ch)
                .bind(*u)
                .bind(journey.as_str())
                .bind(contribution.as_deref());
        },
    )
    .await?;
    let mut deltas: Vec<(FunnelKey, [i64; 6])> = deltas
        .into_iter()
        .filter(|(_, d)| d.iter().any(|&v| v != 0))
        .collect();
    deltas.sort_unstable();
    let columns = [
        "exposed",
        "engaged",
        "fans",
        "converted",
        "retained_7d",
        "retained_30d",
    ];
    let update = columns
        .iter()
        .map(|c| format!("{c} = rollup_funnel.{c} + excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    insert_rows(
        tx,
        backend,
        &format!(
                "INSERT INTO rollup_funnel (campaign_id, day, channel, post_client_id, suspect, window_s, {}) ",
                columns.join(", ")
            ),
        12,
        &deltas,
        &format!(
            " ON CONFLICT (campaign_id, day, channel, post_client_id, suspect, window_s) DO UPDATE SET {update}"
        ),
        |t, ((c, d, ch, post, suspect, w), v)| {
            t.bind(*c)
                .bind(d.as_str())
                .bind(ch.as_str())
                .bind(post.as_str())
                .bind(i64::from(*suspect))
                .bind(*w);
            for x in v {
                t.bind(*x);
            }
        },
    )
    .await?;
    Ok(())
}
