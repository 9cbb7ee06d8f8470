//! Campaign reads: the list and one campaign's summary.
//!
//! Each figure is one aggregate query over the raw events of the campaign.
//! The ingestion work replaces these scans with rollups kept at ingest; the
//! wire shapes stay.

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

/// How one row `(local_day, n, extra)` of a daily query adds to its day.
type AddToDay = fn(&mut DailyPoint, u64, i64);

const CAMPAIGN_COLUMNS: &str = "c.id, c.name, c.start_date, c.end_date, c.budget_cents, c.currency, c.channels, \
     w.slug, w.name AS workspace_name, w.timezone, b.id AS brand_id, b.name AS brand_name, b.is_competitor \
     FROM campaigns c JOIN workspaces w ON w.id = c.workspace_id JOIN brands b ON b.id = c.brand_id";

fn campaign_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<Campaign, sqlx::Error> {
    let channels: String = row.try_get("channels")?;
    Ok(Campaign {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        workspace: WorkspaceRef {
            slug: row.try_get("slug")?,
            name: row.try_get("workspace_name")?,
            timezone: row.try_get("timezone")?,
        },
        brand: BrandRef {
            id: row.try_get("brand_id")?,
            name: row.try_get("brand_name")?,
            competitor: row.try_get::<i64, _>("is_competitor")? != 0,
        },
        channels: channels.split(',').filter_map(Channel::parse).collect(),
        start_date: row.try_get("start_date")?,
        end_date: row.try_get("end_date")?,
        budget_cents: row.try_get("budget_cents")?,
        currency: row.try_get("currency")?,
    })
}

impl Db {
    /// Every campaign, by workspace, brand and start date.
    pub async fn list_campaigns(&self) -> Result<Vec<Campaign>, sqlx::Error> {
        let sql = format!("SELECT {CAMPAIGN_COLUMNS} ORDER BY w.slug, b.id, c.start_date, c.id");
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(campaign_from_row).collect()
    }

    /// One campaign, or `None`.
    pub async fn campaign(&self, id: i64) -> Result<Option<Campaign>, sqlx::Error> {
        let sql = format!("SELECT {CAMPAIGN_COLUMNS} WHERE c.id = ?");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(campaign_from_row).transpose()
    }

    /// KPIs and a daily series (every day of the campaign, zeros included).
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
        let mut kpis = Kpis::default();

        let per_day: [(&str, AddToDay); 6] = [
            (
                "SELECT local_day, COUNT(*), 0 FROM exposures WHERE campaign_id = ? GROUP BY local_day",
                |d, n, _| d.impressions += n,
            ),
            (
                "SELECT d, COUNT(*), 0 FROM (SELECT MIN(local_day) AS d FROM exposures WHERE campaign_id = ? \
                 GROUP BY channel, user_id) GROUP BY d",
                |d, n, _| d.new_reach += n,
            ),
            (
                "SELECT local_day, COUNT(*), 0 FROM engagements WHERE campaign_id = ? GROUP BY local_day",
                |d, n, _| d.engagements += n,
            ),
            (
                "SELECT local_day, COUNT(*), 0 FROM posts WHERE campaign_id = ? AND parent_client_id IS NOT NULL \
                 GROUP BY local_day",
                |d, n, _| d.reposts += n,
            ),
            (
                "SELECT local_day, COUNT(*), 0 FROM follows WHERE campaign_id = ? AND action = 'follow' \
                 GROUP BY local_day",
                |d, n, _| d.new_fans += n,
            ),
            (
                "SELECT local_day, COUNT(*), COALESCE(SUM(value_cents), 0) FROM conversions WHERE campaign_id = ? \
                 GROUP BY local_day",
                |d, n, v| {
                    d.conversions += n;
                    d.revenue_cents += v;
                },
            ),
        ];
        for (sql, add) in per_day {
            let rows = sqlx::query(sql).bind(id).fetch_all(&self.pool).await?;
            for row in rows {
                let day: String = row.try_get(0)?;
                let n: i64 = row.try_get(1)?;
                let extra: i64 = row.try_get(2)?;
                let point = days.entry(day.clone()).or_insert_with(|| DailyPoint {
                    date: day,
                    ..Default::default()
                });
                add(point, n.max(0) as u64, extra);
            }
        }
        let daily: Vec<DailyPoint> = days.into_values().collect();
        for d in &daily {
            kpis.impressions += d.impressions;
            kpis.unique_reach += d.new_reach;
            kpis.engagements += d.engagements;
            kpis.reposts += d.reposts;
            kpis.new_fans += d.new_fans;
            kpis.conversions += d.conversions;
            kpis.revenue_cents += d.revenue_cents;
        }
        let scalar = |sql: &'static str| async move {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(id)
                .fetch_one(&self.pool)
                .await
                .map(|n| n.max(0) as u64)
        };
        kpis.posts =
            scalar("SELECT COUNT(*) FROM posts WHERE campaign_id = ? AND parent_client_id IS NULL")
                .await?;
        kpis.unfollows =
            scalar("SELECT COUNT(*) FROM follows WHERE campaign_id = ? AND action = 'unfollow'")
                .await?;
        Ok(Ok(CampaignSummary {
            campaign,
            kpis,
            daily,
        }))
    }
}
