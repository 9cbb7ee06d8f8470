//! Campaign reads: the list and one campaign's summary.
//!
//! The summary reads the rollups kept at ingest (`rollups`); the tests
//! check it against plain SQL over the raw events.

use super::Db;
use analytics::date::Date;
use analytics::wire::{
    BrandRef, Campaign, CampaignSummary, Channel, DailyPoint, Kpis, WorkspaceRef,
};
use sqlx::Row;
use std::collections::BTreeMap;

/// No campaign has the requested id.
#[derive(Debug, thiserror::Error)]
#[error("no campaign has id {0}")]
pub struct CampaignNotFound(pub i64);

const CAMPAIGN_COLUMNS: &str = "c.id, c.name, c.start_date, c.end_date, c.budget_cents, c.currency, c.channels, c.keywords, \
     w.slug, w.name AS workspace_name, w.timezone, b.id AS brand_id, b.name AS brand_name, b.is_competitor \
     FROM campaigns c JOIN workspaces w ON w.id = c.workspace_id JOIN brands b ON b.id = c.brand_id";

/// The offset of zone `tz` from UTC at noon of `day` (seconds; 0 for an
/// unknown zone or day).
fn utc_offset(tz: &str, day: &str) -> i32 {
    use chrono::{Offset, TimeZone};
    let (Ok(tz), Ok(d)) = (
        tz.parse::<chrono_tz::Tz>(),
        chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d"),
    ) else {
        return 0;
    };
    d.and_hms_opt(12, 0, 0)
        .and_then(|n| tz.from_local_datetime(&n).earliest())
        .map_or(0, |t| t.offset().fix().local_minus_utc())
}

fn campaign_from_row(row: &super::DbRow) -> Result<Campaign, sqlx::Error> {
    let channels: String = row.try_get("channels")?;
    let timezone: String = row.try_get("timezone")?;
    let start_date: String = row.try_get("start_date")?;
    Ok(Campaign {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        workspace: WorkspaceRef {
            slug: row.try_get("slug")?,
            name: row.try_get("workspace_name")?,
            utc_offset_s: utc_offset(&timezone, &start_date),
            timezone,
        },
        brand: BrandRef {
            id: row.try_get("brand_id")?,
            name: row.try_get("brand_name")?,
            competitor: row.try_get::<i64, _>("is_competitor")? != 0,
        },
        channels: channels.split(',').filter_map(Channel::parse).collect(),
        start_date,
        end_date: row.try_get("end_date")?,
        budget_cents: row.try_get("budget_cents")?,
        currency: row.try_get("currency")?,
        keywords: row
            .try_get::<String, _>("keywords")?
            .lines()
            .filter(|k| !k.is_empty())
            .map(str::to_string)
            .collect(),
    })
}

/// One day's totals of a campaign: the chart's point and the counters the
/// point does not show.
struct DayTotals {
    point: DailyPoint,
    posts: u64,
    unfollows: u64,
    potential_reach: u64,
}

impl DayTotals {
    fn add_to(&self, k: &mut Kpis) {
        let p = &self.point;
        k.impressions += p.impressions;
        k.unique_reach += p.new_reach;
        k.engagements += p.engagements;
        k.posts += self.posts;
        k.reposts += p.reposts;
        k.new_fans += p.new_fans;
        k.unfollows += self.unfollows;
        k.conversions += p.conversions;
        k.revenue_cents += p.revenue_cents;
        k.potential_reach += self.potential_reach;
    }
}

impl Db {
    /// A campaign's totals per day, from the rollups (only the suspected
    /// accounts' part with `suspect_only`).
    async fn day_totals(&self, id: i64, suspect_only: bool) -> Result<Vec<DayTotals>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT day, CAST(SUM(impressions) AS BIGINT), CAST(SUM(new_reach) AS BIGINT), \
             CAST(SUM(engagements) AS BIGINT), CAST(SUM(posts) AS BIGINT), CAST(SUM(reposts) AS BIGINT), \
             CAST(SUM(new_fans) AS BIGINT), CAST(SUM(unfollows) AS BIGINT), CAST(SUM(conversions) AS BIGINT), \
             CAST(SUM(revenue_cents) AS BIGINT), CAST(SUM(potential_reach) AS BIGINT) FROM rollup_daily \
             WHERE campaign_id = $1 AND suspect >= $2 GROUP BY day ORDER BY day",
        )
        .bind(id)
        .bind(i64::from(suspect_only))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let n = |i: usize| row.try_get::<i64, _>(i).map(|v| v.max(0) as u64);
                Ok(DayTotals {
                    point: DailyPoint {
                        date: row.try_get(0)?,
                        impressions: n(1)?,
                        new_reach: n(2)?,
                        engagements: n(3)?,
                        reposts: n(5)?,
                        new_fans: n(6)?,
                        conversions: n(8)?,
                        revenue_cents: row.try_get(9)?,
                    },
                    posts: n(4)?,
                    unfollows: n(7)?,
                    potential_reach: n(10)?,
                })
            })
            .collect()
    }

    /// Every campaign, by workspace, brand and start date.
    pub async fn list_campaigns(&self) -> Result<Vec<Campaign>, sqlx::Error> {
        let sql = format!("SELECT {CAMPAIGN_COLUMNS} ORDER BY w.slug, b.id, c.start_date, c.id");
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(campaign_from_row).collect()
    }

    /// One campaign, or `None`.
    pub async fn campaign(&self, id: i64) -> Result<Option<Campaign>, sqlx::Error> {
        let sql = format!("SELECT {CAMPAIGN_COLUMNS} WHERE c.id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(campaign_from_row).transpose()
    }

    /// KPIs and a daily series (every day of the campaign, zeros included),
    /// read from the rollups kept at ingest: no raw events are scanned.
    pub async fn campaign_summary(
        &self,
        id: i64,
    ) -> Result<Result<CampaignSummary, CampaignNotFound>, sqlx::Error> {
        let Some(campaign) = self.campaign(id).await? else {
            return Ok(Err(CampaignNotFound(id)));
        };
        let mut days: BTreeMap<String, DailyPoint> = BTreeMap::new();
        if let (Some(first), Some(last)) = (
            Date::parse(&campaign.start_date),
            Date::parse(&campaign.end_date),
        ) {
            for d in first.through(last) {
                let date = d.to_string();
                days.insert(
                    date.clone(),
                    DailyPoint {
                        date,
                        ..Default::default()
                    },
                );
            }
        }
        let totals = self.day_totals(id, false).await?;
        let suspect_totals = self.day_totals(id, true).await?;
        let mut kpis = Kpis::default();
        for d in &totals {
            d.add_to(&mut kpis);
            let point = d.point.clone();
            let day = point.date.clone();
            // Days outside the campaign appear only when the daily series has
            // something to show on them (late unfollows alone do not count).
            let shown = point
                != DailyPoint {
                    date: day.clone(),
                    ..Default::default()
                };
            if let Some(slot) = days.get_mut(&day) {
                *slot = point;
            } else if shown {
                days.insert(day, point);
            }
        }
        let daily: Vec<DailyPoint> = days.into_values().collect();
        let mut suspect = Kpis::default();
        let mut by_day: BTreeMap<String, DailyPoint> = BTreeMap::new();
        for d in suspect_totals {
            d.add_to(&mut suspect);
            by_day.insert(d.point.date.clone(), d.point);
        }
        // The suspected part of each shown day.
        let suspect_daily = daily
            .iter()
            .map(|p| {
                by_day.remove(&p.date).unwrap_or_else(|| DailyPoint {
                    date: p.date.clone(),
                    ..Default::default()
                })
            })
            .collect();
        Ok(Ok(CampaignSummary {
            campaign,
            kpis,
            suspect,
            daily,
            suspect_daily,
        }))
    }
}
