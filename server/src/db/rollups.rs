//! Rollups: reading the aggregates that `aggregate` keeps at ingest, and
//! rebuilding them by replaying a campaign's raw events through the same
//! code (after a bulk load or import, or when a migration marks them stale).
//! Summary reads come from here and never scan raw events.

use super::aggregate::{self, Fact, Kind};
use super::{Db, Tx};
use analytics::wire::{Channel, Counters, Source};
use sqlx::Row;

/// How `GET …/funnel` groups its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunnelBy {
    Channel,
    /// The post of each user's first exposure.
    Post,
    /// The KOL credited with that post (see [`Db::kol_credits`]).
    Kol,
}

/// The [`aggregate::COUNTERS`] columns of a rollup row, from column `first` on.
fn counters(r: &super::DbRow, first: usize) -> Result<Counters, sqlx::Error> {
    let n = |i: usize| r.try_get::<i64, _>(first + i).map(|v| v.max(0) as u64);
    Ok(Counters {
        impressions: n(0)?,
        new_reach: n(1)?,
        engagements: n(2)?,
        posts: n(3)?,
        reposts: n(4)?,
        new_fans: n(5)?,
        unfollows: n(6)?,
        conversions: n(7)?,
        revenue_cents: r.try_get(first + 8)?,
        potential_reach: n(9)?,
    })
}

/// Raises the version of each campaign (see migration 0006).
pub async fn bump_versions(tx: &mut Tx<'_>, campaigns: &[i64]) -> Result<(), sqlx::Error> {
    for c in campaigns {
        sqlx::query(
            "INSERT INTO campaign_versions (campaign_id, version) VALUES ($1, 1) \
             ON CONFLICT (campaign_id) DO UPDATE SET version = campaign_versions.version + 1",
        )
        .bind(c)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

impl Db {
    /// Recomputes every brand's hourly mention counts of a workspace from
    /// its raw mentions (after a bulk load).
    pub async fn rebuild_mention_rollups(&self, workspace_id: i64) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM rollup_mentions_hourly WHERE brand_id IN (SELECT id FROM brands WHERE workspace_id = $1)")
            .bind(workspace_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO rollup_mentions_hourly (brand_id, hour, mentions) \
             SELECT brand_id, at - (at % 3600), COUNT(*) FROM mentions WHERE workspace_id = $1 \
             GROUP BY brand_id, at - (at % 3600)",
        )
        .bind(workspace_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// The first and last stored mention hours of a brand within the bounds
    /// given (either open), or `None` when there are none.
    pub async fn mention_extent(
        &self,
        brand: i64,
        from: Option<i64>,
        to: Option<i64>,
    ) -> Result<Option<(i64, i64)>, sqlx::Error> {
        let (first, last): (Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT MIN(hour), MAX(hour) FROM rollup_mentions_hourly WHERE brand_id = $1 AND hour >= $2 AND hour < $3",
        )
        .bind(brand)
        .bind(from.map_or(i64::MIN, |f| f - f.rem_euclid(3600)))
        .bind(to.unwrap_or(i64::MAX))
        .fetch_one(&self.pool)
        .await?;
        Ok(first.zip(last))
    }

    /// A brand's mentions per hour in `[from, to)` (Unix seconds, a window
    /// the caller has bounded), hours without mentions included as zeros.
    pub async fn mention_hours(
        &self,
        brand: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<analytics::wire::MentionHour>, sqlx::Error> {
        let start = from - from.rem_euclid(3600);
        if to <= start {
            return Ok(Vec::new());
        }
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT hour, mentions FROM rollup_mentions_hourly WHERE brand_id = $1 AND hour >= $2 AND hour < $3 ORDER BY hour",
        )
        .bind(brand)
        .bind(start)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        let counts: std::collections::HashMap<i64, i64> = rows.into_iter().collect();
        Ok((start..to)
            .step_by(3600)
            .map(|hour| analytics::wire::MentionHour {
                hour,
                mentions: counts.get(&hour).copied().unwrap_or(0).max(0) as u64,
            })
            .collect())
    }

    /// What drove brand `brand`'s mentions in `[from, to)` (Unix seconds):
    /// `limit` posts and authors.
    pub async fn mention_drivers(
        &self,
        brand: i64,
        from: i64,
        to: i64,
        limit: i64,
    ) -> Result<analytics::wire::MentionDrivers, sqlx::Error> {
        let (mentions, authors): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COUNT(DISTINCT m.channel || ':' || m.author_id) FROM mentions m \
             WHERE m.brand_id = $1 AND m.at >= $2 AND m.at < $3",
        )
        .bind(brand)
        .bind(from)
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        // The author's account, when stored, gives a handle and followers.
        let joined = "FROM mentions m LEFT JOIN accounts a ON a.workspace_id = m.workspace_id \
             AND a.channel = m.channel AND a.platform_id = m.author_id \
             WHERE m.brand_id = $1 AND m.at >= $2 AND m.at < $3";
        let posts = sqlx::query(&format!(
            "SELECT m.client_id, m.channel, m.author_id, COALESCE(a.handle, m.author_id), \
             COALESCE(a.followers, 0), m.text, m.at {joined} \
             ORDER BY COALESCE(a.followers, 0) DESC, m.at, m.client_id LIMIT $4"
        ))
        .bind(brand)
        .bind(from)
        .bind(to)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let top_authors = sqlx::query(&format!(
            "SELECT m.channel, m.author_id, MAX(COALESCE(a.handle, m.author_id)), \
             MAX(COALESCE(a.followers, 0)), COUNT(*) {joined} \
             GROUP BY m.channel, m.author_id \
             ORDER BY COUNT(*) DESC, MAX(COALESCE(a.followers, 0)) DESC, m.channel, m.author_id LIMIT $4"
        ))
        .bind(brand)
        .bind(from)
        .bind(to)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let n = |r: &super::DbRow, i: usize| r.try_get::<i64, _>(i).map(|v| v.max(0) as u64);
        Ok(analytics::wire::MentionDrivers {
            mentions: mentions.max(0) as u64,
            authors: authors.max(0) as u64,
            top_posts: posts
                .iter()
                .map(|r| {
                    Ok(analytics::wire::MentionPost {
                        id: r.try_get(0)?,
                        channel: r.try_get(1)?,
                        author: r.try_get(2)?,
                        handle: r.try_get(3)?,
                        followers: n(r, 4)?,
                        text: r.try_get(5)?,
                        at: r.try_get(6)?,
                    })
                })
                .collect::<Result<_, sqlx::Error>>()?,
            top_authors: top_authors
                .iter()
                .map(|r| {
                    Ok(analytics::wire::MentionAuthor {
                        channel: r.try_get(0)?,
                        author: r.try_get(1)?,
                        handle: r.try_get(2)?,
                        followers: n(r, 3)?,
                        mentions: n(r, 4)?,
                    })
                })
                .collect::<Result<_, sqlx::Error>>()?,
        })
    }

    /// A campaign's rollups by day and channel.
    pub async fn channel_days(
        &self,
        campaign: i64,
    ) -> Result<Vec<analytics::wire::ChannelDay>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT day, channel, suspect, {} FROM rollup_daily WHERE campaign_id = $1 \
             ORDER BY day, channel, suspect",
            aggregate::COUNTERS.join(", ")
        ))
        .bind(campaign)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(analytics::wire::ChannelDay {
                    date: r.try_get(0)?,
                    channel: r.try_get(1)?,
                    suspect: r.try_get::<i64, _>(2)? != 0,
                    counters: counters(r, 3)?,
                })
            })
            .collect()
    }

    /// A campaign's reach sketches by day and channel.
    pub async fn day_sketches(
        &self,
        campaign: i64,
    ) -> Result<Vec<analytics::hll::DaySketch>, sqlx::Error> {
        let rows: Vec<(String, String, String, i64, Vec<u8>)> =
            sqlx::query_as("SELECT day, channel, account, suspect, sketch FROM rollup_sketches WHERE campaign_id = $1 ORDER BY day, channel, account, suspect")
                .bind(campaign)
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter()
            .map(|(day, channel, account, suspect, blob)| {
                let sketch = analytics::hll::Sketch::from_bytes(&blob).map_err(|e| {
                    sqlx::Error::Protocol(format!("stored sketch {day}/{channel}: {e}"))
                })?;
                Ok(analytics::hll::DaySketch {
                    day,
                    channel,
                    account,
                    suspect: suspect != 0,
                    sketch,
                })
            })
            .collect()
    }

    /// The campaign's data version (0 before any event).
    pub async fn campaign_version(&self, campaign: i64) -> Result<i64, sqlx::Error> {
        let v: Option<i64> =
            sqlx::query_scalar("SELECT version FROM campaign_versions WHERE campaign_id = $1")
                .bind(campaign)
                .fetch_optional(&self.pool)
                .await?;
        Ok(v.unwrap_or(0))
    }

    /// A campaign's rollups by UTC hour and channel, in `[from, to)` (Unix
    /// seconds, either open).
    pub async fn channel_hours(
        &self,
        campaign: i64,
        from: Option<i64>,
        to: Option<i64>,
    ) -> Result<Vec<analytics::wire::ChannelHour>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT hour, channel, suspect, {} FROM rollup_hourly \
             WHERE campaign_id = $1 AND hour >= $2 AND hour < $3 ORDER BY hour, channel, suspect",
            aggregate::COUNTERS.join(", ")
        ))
        .bind(campaign)
        .bind(from.unwrap_or(i64::MIN))
        .bind(to.unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(analytics::wire::ChannelHour {
                    hour: r.try_get(0)?,
                    channel: r.try_get(1)?,
                    suspect: r.try_get::<i64, _>(2)? != 0,
                    counters: counters(r, 3)?,
                })
            })
            .collect()
    }

    /// A campaign's funnel totals for every window, grouped as `by` says
    /// (channel, post of the users' first exposure, or its credited KOL),
    /// split by suspect flag; only users first exposed on `channel` (if given) between the
    /// days `from` and `to` (inclusive, `YYYY-MM-DD`, either open).
    pub async fn funnel(
        &self,
        campaign: i64,
        by: FunnelBy,
        channel: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<Vec<analytics::funnel::FunnelRow>, sqlx::Error> {
        let key = match by {
            FunnelBy::Channel => "channel",
            FunnelBy::Post | FunnelBy::Kol => "post_client_id",
        };
        let rows = sqlx::query(&format!(
            "SELECT {key}, suspect, window_s, CAST(SUM(exposed) AS BIGINT), CAST(SUM(engaged) AS BIGINT), \
             CAST(SUM(fans) AS BIGINT), CAST(SUM(converted) AS BIGINT), CAST(SUM(retained_7d) AS BIGINT), \
             CAST(SUM(retained_30d) AS BIGINT) FROM rollup_funnel \
             WHERE campaign_id = $1 AND day >= $2 AND day <= $3 AND ($4 = '' OR channel = $4) \
             GROUP BY {key}, suspect, window_s HAVING SUM(exposed) > 0 ORDER BY {key}, suspect, window_s"
        ))
        .bind(campaign)
        .bind(from.unwrap_or(""))
        .bind(to.unwrap_or("9999-12-31"))
        .bind(channel.unwrap_or(""))
        .fetch_all(&self.pool)
        .await?;
        let rows: Vec<analytics::funnel::FunnelRow> = rows
            .iter()
            .map(|r| {
                let n = |i: usize| r.try_get::<i64, _>(i).map(|v| v.max(0) as u64);
                Ok(analytics::funnel::FunnelRow {
                    key: r.try_get(0)?,
                    suspect: r.try_get::<i64, _>(1)? != 0,
                    window_s: r.try_get(2)?,
                    exposed: n(3)?,
                    engaged: n(4)?,
                    fans: n(5)?,
                    converted: n(6)?,
                    retained_7d: n(7)?,
                    retained_30d: n(8)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        if by != FunnelBy::Kol {
            return Ok(rows);
        }
        let posts: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
        let credit = self.kol_credits(campaign, &posts).await?;
        let mut grouped: std::collections::BTreeMap<
            (String, bool, i64),
            analytics::funnel::FunnelRow,
        > = Default::default();
        for r in rows {
            let key = credit.get(&r.key).cloned().unwrap_or_default();
            let g = grouped
                .entry((key.clone(), r.suspect, r.window_s))
                .or_insert_with(|| analytics::funnel::FunnelRow {
                    key,
                    suspect: r.suspect,
                    window_s: r.window_s,
                    ..Default::default()
                });
            g.exposed += r.exposed;
            g.engaged += r.engaged;
            g.fans += r.fans;
            g.converted += r.converted;
            g.retained_7d += r.retained_7d;
            g.retained_30d += r.retained_30d;
        }
        Ok(grouped.into_values().collect())
    }

    /// For each of `posts` (client ids in `campaign`'s workspace), the handle
    /// of the KOL credited with it: the closest KOL among the post's author
    /// and its ancestors in the cascade, else the author of the cascade's
    /// root (DOMAIN.md: funnel by KOL). A post not stored (or whose chain
    /// breaks) is credited to the last author found, `""` if none.
    async fn kol_credits(
        &self,
        campaign: i64,
        posts: &[&str],
    ) -> Result<std::collections::HashMap<String, String>, sqlx::Error> {
        use std::collections::HashMap;
        let ws: i64 = sqlx::query_scalar("SELECT workspace_id FROM campaigns WHERE id = $1")
            .bind(campaign)
            .fetch_one(&self.pool)
            .await?;
        // Each post's chain is walked one level per round, all chains at once.
        let mut known: HashMap<String, (Option<String>, String, bool)> = HashMap::new();
        let mut frontier: Vec<String> = posts.iter().map(|p| p.to_string()).collect();
        frontier.sort_unstable();
        frontier.dedup();
        while !frontier.is_empty() {
            for chunk in frontier.chunks(super::sql::rows_per_statement(1) - 1) {
                let mut q = super::sql::Sql::new(
                    self.backend,
                    "SELECT p.client_id, p.parent_client_id, a.handle, a.kind FROM (VALUES ",
                );
                q.tuples(chunk, |t, p| {
                    t.bind(p.as_str());
                });
                q.push(
                    ") AS v JOIN posts p ON p.client_id = v.column1 \
                     JOIN accounts a ON a.id = p.account_id WHERE p.workspace_id = ",
                );
                q.bind(ws);
                for r in q.build()?.fetch_all(&self.pool).await? {
                    let kind: String = r.try_get(3)?;
                    known.insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?, kind == "kol"));
                }
            }
            let mut next: Vec<String> = frontier
                .iter()
                .filter_map(|p| {
                    let (parent, _, kol) = known.get(p)?;
                    let parent = parent.as_ref().filter(|_| !kol)?;
                    (!known.contains_key(parent)).then(|| parent.clone())
                })
                .collect();
            next.sort_unstable();
            next.dedup();
            // A parent asked for once and not found is not asked for again.
            for p in &frontier {
                known
                    .entry(p.clone())
                    .or_insert((None, String::new(), false));
            }
            frontier = next;
        }
        let mut out = HashMap::new();
        for p in posts {
            let mut at = p.to_string();
            let mut credit = String::new();
            // Bounded: a corrupt cycle of parents cannot loop forever.
            for _ in 0..=known.len() {
                let Some((parent, handle, kol)) = known.get(&at) else {
                    break;
                };
                if !handle.is_empty() {
                    credit = handle.clone();
                }
                match parent {
                    Some(parent) if !kol => at = parent.clone(),
                    _ => break,
                }
            }
            out.insert(p.to_string(), credit);
        }
        Ok(out)
    }

    /// A campaign's counters by day, channel, credited account and suspect flag.
    pub async fn account_days(
        &self,
        campaign: i64,
    ) -> Result<Vec<analytics::wire::AccountDay>, sqlx::Error> {
        let columns = aggregate::COUNTERS.map(|c| format!("r.{c}")).join(", ");
        let rows = sqlx::query(&format!(
            "SELECT r.day, r.channel, r.account, COALESCE(a.handle, r.account), COALESCE(a.kind, ''), \
             r.suspect, {columns} FROM rollup_accounts r \
             JOIN campaigns c ON c.id = r.campaign_id \
             LEFT JOIN accounts a ON a.workspace_id = c.workspace_id AND a.channel = r.channel \
             AND a.platform_id = r.account AND r.account <> '' \
             WHERE r.campaign_id = $1 ORDER BY r.day, r.channel, r.account, r.suspect"
        ))
        .bind(campaign)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let account: String = r.try_get(2)?;
                let kind: String = r.try_get(4)?;
                Ok(analytics::wire::AccountDay {
                    date: r.try_get(0)?,
                    channel: r.try_get(1)?,
                    handle: r.try_get(3)?,
                    // Credited accounts are owned or KOL when credited; an
                    // account's kind changed since keeps its credit's side.
                    source: match (account.is_empty(), kind.as_str()) {
                        (true, _) => Source::Earned,
                        (false, "owned") => Source::Owned,
                        (false, _) => Source::Paid,
                    },
                    account,
                    suspect: r.try_get::<i64, _>(5)? != 0,
                    counters: counters(r, 6)?,
                })
            })
            .collect()
    }

    /// The `limit` posts of a campaign with the most impressions (suspected
    /// and other accounts' rows apart), then by client id.
    pub async fn post_totals(
        &self,
        campaign: i64,
        limit: i64,
    ) -> Result<Vec<analytics::wire::PostTotals>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT post_client_id, suspect, impressions, engagements, reposts, conversions, revenue_cents \
             FROM rollup_posts WHERE campaign_id = $1 ORDER BY impressions DESC, post_client_id, suspect LIMIT $2",
        )
        .bind(campaign)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let n = |i: usize| r.try_get::<i64, _>(i).map(|v| v.max(0) as u64);
                Ok(analytics::wire::PostTotals {
                    post: r.try_get(0)?,
                    suspect: r.try_get::<i64, _>(1)? != 0,
                    impressions: n(2)?,
                    engagements: n(3)?,
                    reposts: n(4)?,
                    conversions: n(5)?,
                    revenue_cents: r.try_get(6)?,
                })
            })
            .collect()
    }

    /// Rebuilds the aggregates of every campaign a migration marked stale.
    /// Returns how many were rebuilt.
    pub async fn rebuild_stale(&self) -> Result<usize, sqlx::Error> {
        let stale: Vec<i64> =
            sqlx::query_scalar("SELECT campaign_id FROM rollups_stale ORDER BY campaign_id")
                .fetch_all(&self.pool)
                .await?;
        for &campaign in &stale {
            self.rebuild_rollups(campaign).await?;
        }
        Ok(stale.len())
    }

    /// Recomputes a campaign's aggregates from its raw events in one
    /// transaction, by replaying them (in storage order, a page at a time)
    /// through the code ingestion uses.
    pub async fn rebuild_rollups(&self, campaign: i64) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        for table in [
            "rollup_daily",
            "rollup_hourly",
            "reach_first",
            "rollup_sketches",
            "rollup_accounts",
            "rollup_posts",
            "funnel_journeys",
            "rollup_funnel",
            "rollups_stale",
        ] {
            sqlx::query(&format!("DELETE FROM {table} WHERE campaign_id = $1"))
                .bind(campaign)
                .execute(&mut *tx)
                .await?;
        }
        let (ws, tz): (i64, String) = sqlx::query_as(
            "SELECT w.id, w.timezone FROM campaigns c JOIN workspaces w ON w.id = c.workspace_id \
             WHERE c.id = $1",
        )
        .bind(campaign)
        .fetch_one(&mut *tx)
        .await?;
        let tz: chrono_tz::Tz = tz.parse().unwrap_or(chrono_tz::UTC);
        // (table, the columns a fact needs: channel, time in ms, then per kind)
        let sources: [(&str, &str); 5] = [
            (
                "posts",
                "channel, COALESCE(posted_at_ms, posted_at * 1000), client_id, paid, parent_client_id, \
                 (SELECT a.platform_id FROM accounts a WHERE a.id = posts.account_id)",
            ),
            ("exposures", "channel, at * 1000, user_id, post_client_id"),
            ("engagements", "channel, at * 1000, user_id, post_client_id"),
            (
                "follows",
                "channel, at * 1000, user_id, CASE WHEN action = 'follow' THEN 1 ELSE 0 END, \
                 (SELECT a.platform_id FROM accounts a WHERE a.id = follows.account_id)",
            ),
            (
                "conversions",
                "channel, at * 1000, user_id, value_cents, post_client_id",
            ),
        ];
        const PAGE: i64 = 50_000;
        for (table, columns) in sources {
            let mut after = i64::MIN;
            loop {
                let rows = sqlx::query(&format!(
                    "SELECT id, {columns} FROM {table} WHERE campaign_id = $1 AND id > $2 ORDER BY id LIMIT $3"
                ))
                .bind(campaign)
                .bind(after)
                .bind(PAGE)
                .fetch_all(&mut *tx)
                .await?;
                let Some(last) = rows.last() else { break };
                after = last.try_get(0)?;
                let mut facts = Vec::with_capacity(rows.len());
                for r in &rows {
                    let channel: String = r.try_get(1)?;
                    let Some(channel) = Channel::parse(&channel) else {
                        continue;
                    };
                    let kind = match table {
                        "posts" => Kind::Post {
                            id: r.try_get::<&str, _>(3)?,
                            paid: r.try_get::<i64, _>(4)? != 0,
                            parent: r.try_get::<Option<&str>, _>(5)?,
                            author: r.try_get::<&str, _>(6)?,
                        },
                        "exposures" => Kind::Exposure {
                            user: r.try_get::<&str, _>(3)?,
                            post: r.try_get::<&str, _>(4)?,
                        },
                        "engagements" => Kind::Engagement {
                            user: r.try_get::<&str, _>(3)?,
                            post: r.try_get::<&str, _>(4)?,
                        },
                        "follows" => Kind::Follow {
                            user: r.try_get::<&str, _>(3)?,
                            follow: r.try_get::<i64, _>(4)? != 0,
                            account: r.try_get::<Option<&str>, _>(5)?.unwrap_or_default(),
                        },
                        _ => Kind::Conversion {
                            user: r.try_get::<&str, _>(3)?,
                            value_cents: r.try_get(4)?,
                            post: r.try_get::<Option<&str>, _>(5)?,
                        },
                    };
                    facts.push(Fact {
                        campaign,
                        channel,
                        at_ms: r.try_get(2)?,
                        kind,
                    });
                }
                aggregate::apply(&mut tx.tx, self.backend, ws, tz, &facts).await?;
                if (rows.len() as i64) < PAGE {
                    break;
                }
            }
        }
        bump_versions(&mut tx.tx, &[campaign]).await?;
        tx.commit().await
    }
}
