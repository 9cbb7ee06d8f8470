//! Saved report definitions: stored as the JSON `analytics::report` checks,
//! with their workspace and the campaign's brand beside them so that who
//! may see a report is decided without reading the definition.

use super::Db;
use analytics::report::{Report, ReportDefinition};
use analytics::wire::Campaign;
use sqlx::Row;

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

const COLUMNS: &str = "r.id, w.slug, r.brand_id, r.definition, r.created_at, r.updated_at";

fn report_of(row: &super::DbRow) -> Result<Report, sqlx::Error> {
    let id: i64 = row.try_get(0)?;
    let json: String = row.try_get(3)?;
    let definition: ReportDefinition = serde_json::from_str(&json).map_err(|e| {
        sqlx::Error::Decode(format!("report {id}'s stored definition cannot be read: {e}").into())
    })?;
    Ok(Report {
        id,
        workspace: row.try_get(1)?,
        brand_id: row.try_get(2)?,
        definition,
        created_at: row.try_get(4)?,
        updated_at: row.try_get(5)?,
    })
}

fn json(def: &ReportDefinition) -> Result<String, sqlx::Error> {
    serde_json::to_string(def)
        .map_err(|e| sqlx::Error::Protocol(format!("cannot write a report definition: {e}")))
}

impl Db {
    /// Stores a new report of `campaign` (whose workspace it joins).
    pub async fn create_report(
        &self,
        campaign: &Campaign,
        def: &ReportDefinition,
    ) -> Result<Report, sqlx::Error> {
        let at = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO reports (workspace_id, campaign_id, brand_id, definition, created_at, updated_at) \
             SELECT w.id, $1, $2, $3, $4, $4 FROM workspaces w WHERE w.slug = $5 RETURNING id",
        )
        .bind(campaign.id)
        .bind(campaign.brand.id)
        .bind(json(def)?)
        .bind(at)
        .bind(&campaign.workspace.slug)
        .fetch_one(&self.pool)
        .await?;
        self.report(id)
            .await?
            .ok_or_else(|| sqlx::Error::Protocol(format!("report {id} vanished after its insert")))
    }

    /// Report `id`, if it exists.
    pub async fn report(&self, id: i64) -> Result<Option<Report>, sqlx::Error> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM reports r JOIN workspaces w ON w.id = r.workspace_id WHERE r.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(report_of).transpose()
    }

    /// Every report of workspace `slug`, oldest first.
    pub async fn list_reports(&self, slug: &str) -> Result<Vec<Report>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM reports r JOIN workspaces w ON w.id = r.workspace_id \
             WHERE w.slug = $1 ORDER BY r.id"
        ))
        .bind(slug)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(report_of).collect()
    }

    /// Replaces report `id`'s definition (and its campaign, which must be
    /// in the same workspace: the caller checks). `None` if it is gone.
    pub async fn update_report(
        &self,
        id: i64,
        campaign: &Campaign,
        def: &ReportDefinition,
    ) -> Result<Option<Report>, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE reports SET campaign_id = $1, brand_id = $2, definition = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(campaign.id)
        .bind(campaign.brand.id)
        .bind(json(def)?)
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(None);
        }
        self.report(id).await
    }

    /// Deletes report `id`; whether there was one.
    pub async fn delete_report(&self, id: i64) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("DELETE FROM reports WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}
