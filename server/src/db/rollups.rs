//! Rollups: per campaign × day × channel totals kept up to date as events
//! are stored (incrementally by ingestion, rebuilt from raw events after a
//! bulk load), and the exact first-exposure day of every reached user.
//! Summary reads come from here and never scan raw events.

use super::Db;
use super::Tx;

/// A rollup counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    Impressions,
    NewReach,
    Engagements,
    Posts,
    Reposts,
    NewFans,
    Unfollows,
    Conversions,
    RevenueCents,
}

impl Counter {
    fn column(self) -> &'static str {
        match self {
            Counter::Impressions => "impressions",
            Counter::NewReach => "new_reach",
            Counter::Engagements => "engagements",
            Counter::Posts => "posts",
            Counter::Reposts => "reposts",
            Counter::NewFans => "new_fans",
            Counter::Unfollows => "unfollows",
            Counter::Conversions => "conversions",
            Counter::RevenueCents => "revenue_cents",
        }
    }
}

/// Adds `by` to one counter of one rollup row.
pub async fn bump(
    tx: &mut Tx<'_>,
    campaign: i64,
    day: &str,
    channel: &str,
    counter: Counter,
    by: i64,
) -> Result<(), sqlx::Error> {
    let col = counter.column();
    let sql = format!(
        "INSERT INTO rollup_daily (campaign_id, day, channel, {col}) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (campaign_id, day, channel) DO UPDATE SET {col} = rollup_daily.{col} + excluded.{col}"
    );
    sqlx::query(&sql)
        .bind(campaign)
        .bind(day)
        .bind(channel)
        .bind(by)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Records an exposure of `user` on `day` for reach: a first exposure adds
/// one to that day's new reach; an exposure earlier than the one known moves
/// the user's first day (and the count) back.
pub async fn reach(
    tx: &mut Tx<'_>,
    campaign: i64,
    channel: &str,
    user: &str,
    day: &str,
) -> Result<(), sqlx::Error> {
    let known: Option<String> = sqlx::query_scalar(
        "SELECT first_day FROM reach_first WHERE campaign_id = $1 AND channel = $2 AND user_id = $3",
    )
    .bind(campaign)
    .bind(channel)
    .bind(user)
    .fetch_optional(&mut **tx)
    .await?;
    match known {
        Some(first) if first.as_str() <= day => return Ok(()),
        Some(first) => {
            sqlx::query("UPDATE reach_first SET first_day = $1 WHERE campaign_id = $2 AND channel = $3 AND user_id = $4")
                .bind(day)
                .bind(campaign)
                .bind(channel)
                .bind(user)
                .execute(&mut **tx)
                .await?;
            bump(tx, campaign, &first, channel, Counter::NewReach, -1).await?;
        }
        None => {
            sqlx::query("INSERT INTO reach_first (campaign_id, channel, user_id, first_day) VALUES ($1, $2, $3, $4)")
                .bind(campaign)
                .bind(channel)
                .bind(user)
                .bind(day)
                .execute(&mut **tx)
                .await?;
        }
    }
    bump(tx, campaign, day, channel, Counter::NewReach, 1).await
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

    /// A brand's mentions per hour in `[from, to)` (Unix seconds), hours
    /// without mentions included as zeros; `None` if no such brand.
    pub async fn mention_hours(
        &self,
        brand: i64,
        from: Option<i64>,
        to: Option<i64>,
    ) -> Result<Option<Vec<analytics::wire::MentionHour>>, sqlx::Error> {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM brands WHERE id = $1")
            .bind(brand)
            .fetch_optional(&self.pool)
            .await?;
        if exists.is_none() {
            return Ok(None);
        }
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT hour, mentions FROM rollup_mentions_hourly WHERE brand_id = $1 AND hour >= $2 AND hour < $3 ORDER BY hour",
        )
        .bind(brand)
        .bind(from.unwrap_or(i64::MIN))
        .bind(to.unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
            return Ok(Some(Vec::new()));
        };
        let start = from
            .map(|f| f - f.rem_euclid(3600))
            .unwrap_or(first.0)
            .min(first.0);
        let end = to
            .map(|t| t - 3600 - (t - 3600).rem_euclid(3600))
            .unwrap_or(last.0)
            .max(last.0);
        let counts: std::collections::HashMap<i64, i64> = rows.into_iter().collect();
        Ok(Some(
            (0..=((end - start) / 3600))
                .map(|i| {
                    let hour = start + i * 3600;
                    analytics::wire::MentionHour {
                        hour,
                        mentions: counts.get(&hour).copied().unwrap_or(0).max(0) as u64,
                    }
                })
                .collect(),
        ))
    }

    /// A campaign's rollups by day and channel.
    pub async fn channel_days(
        &self,
        campaign: i64,
    ) -> Result<Vec<analytics::wire::ChannelDay>, sqlx::Error> {
        use sqlx::Row;
        let rows = sqlx::query(
            "SELECT day, channel, impressions, new_reach, engagements, posts, reposts, new_fans, unfollows, \
             conversions, revenue_cents FROM rollup_daily WHERE campaign_id = $1 ORDER BY day, channel",
        )
        .bind(campaign)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let n = |i: usize| r.try_get::<i64, _>(i).map(|v| v.max(0) as u64);
                Ok(analytics::wire::ChannelDay {
                    date: r.try_get(0)?,
                    channel: r.try_get(1)?,
                    impressions: n(2)?,
                    new_reach: n(3)?,
                    engagements: n(4)?,
                    posts: n(5)?,
                    reposts: n(6)?,
                    new_fans: n(7)?,
                    unfollows: n(8)?,
                    conversions: n(9)?,
                    revenue_cents: r.try_get(10)?,
                })
            })
            .collect()
    }

    /// A campaign's reach sketches by day and channel.
    pub async fn day_sketches(
        &self,
        campaign: i64,
    ) -> Result<Vec<analytics::hll::DaySketch>, sqlx::Error> {
        let rows: Vec<(String, String, Vec<u8>)> =
            sqlx::query_as("SELECT day, channel, sketch FROM rollup_sketches WHERE campaign_id = $1 ORDER BY day, channel")
                .bind(campaign)
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter()
            .map(|(day, channel, blob)| {
                let sketch = analytics::hll::Sketch::from_bytes(&blob).map_err(|e| {
                    sqlx::Error::Protocol(format!("stored sketch {day}/{channel}: {e}"))
                })?;
                Ok(analytics::hll::DaySketch {
                    day,
                    channel,
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

    /// Recomputes a campaign's rollups from its raw events (after a bulk
    /// load or import), in one transaction.
    pub async fn rebuild_rollups(&self, campaign: i64) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        for table in ["rollup_daily", "reach_first"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE campaign_id = $1"))
                .bind(campaign)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO reach_first (campaign_id, channel, user_id, first_day) \
             SELECT $1, channel, user_id, MIN(local_day) FROM exposures WHERE campaign_id = $1 \
             GROUP BY channel, user_id",
        )
        .bind(campaign)
        .execute(&mut *tx)
        .await?;
        // (column, SQL giving campaign, day, channel, value)
        let sources: [(&str, &str); 9] = [
            (
                "impressions",
                "SELECT local_day, channel, COUNT(*) FROM exposures WHERE campaign_id = $1 GROUP BY local_day, channel",
            ),
            (
                "new_reach",
                "SELECT first_day, channel, COUNT(*) FROM reach_first WHERE campaign_id = $1 GROUP BY first_day, channel",
            ),
            (
                "engagements",
                "SELECT local_day, channel, COUNT(*) FROM engagements WHERE campaign_id = $1 GROUP BY local_day, channel",
            ),
            (
                "posts",
                "SELECT local_day, channel, COUNT(*) FROM posts WHERE campaign_id = $1 AND parent_client_id IS NULL GROUP BY local_day, channel",
            ),
            (
                "reposts",
                "SELECT local_day, channel, COUNT(*) FROM posts WHERE campaign_id = $1 AND parent_client_id IS NOT NULL GROUP BY local_day, channel",
            ),
            (
                "new_fans",
                "SELECT local_day, channel, COUNT(*) FROM follows WHERE campaign_id = $1 AND action = 'follow' GROUP BY local_day, channel",
            ),
            (
                "unfollows",
                "SELECT local_day, channel, COUNT(*) FROM follows WHERE campaign_id = $1 AND action = 'unfollow' GROUP BY local_day, channel",
            ),
            (
                "conversions",
                "SELECT local_day, channel, COUNT(*) FROM conversions WHERE campaign_id = $1 GROUP BY local_day, channel",
            ),
            (
                "revenue_cents",
                "SELECT local_day, channel, CAST(SUM(value_cents) AS BIGINT) FROM conversions WHERE campaign_id = $1 GROUP BY local_day, channel",
            ),
        ];
        for (col, select) in sources {
            let sql = format!(
                "INSERT INTO rollup_daily (campaign_id, day, channel, {col}) SELECT $1, s.* FROM ({select}) AS s WHERE true \
                 ON CONFLICT (campaign_id, day, channel) DO UPDATE SET {col} = excluded.{col}"
            );
            sqlx::query(&sql).bind(campaign).execute(&mut *tx).await?;
        }
        // Reach sketches, streamed from the raw exposures.
        sqlx::query("DELETE FROM rollup_sketches WHERE campaign_id = $1")
            .bind(campaign)
            .execute(&mut *tx)
            .await?;
        let mut sketches: std::collections::BTreeMap<(String, String), analytics::hll::Sketch> =
            Default::default();
        {
            use futures_util::TryStreamExt;
            let mut rows = sqlx::query_as::<_, (String, String, String)>(
                "SELECT local_day, channel, user_id FROM exposures WHERE campaign_id = $1",
            )
            .bind(campaign)
            .fetch(&mut *tx);
            while let Some((day, channel, user)) = rows.try_next().await? {
                sketches
                    .entry((day, channel.clone()))
                    .or_default()
                    .add_user(&channel, &user);
            }
        }
        for ((day, channel), sketch) in sketches {
            sqlx::query("INSERT INTO rollup_sketches (campaign_id, day, channel, sketch) VALUES ($1, $2, $3, $4)")
                .bind(campaign)
                .bind(day)
                .bind(channel)
                .bind(sketch.to_bytes())
                .execute(&mut *tx)
                .await?;
        }
        bump_versions(&mut tx.tx, &[campaign]).await?;
        tx.commit().await
    }
}
