//! A report's numbers, read from the database the way the API serves them
//! to the dashboard (the same queries, the same caches), so the server's
//! pictures and the page's agree.

use super::tree;
use crate::db::{CampaignNotFound, Db, FunnelBy};
use crate::stats::cascades::{self, CascadeCache, ListQuery};
use analytics::date::Date;
use analytics::listening::{self, SpikeRule};
use analytics::report::{PanelKind, ReportDefinition};
use analytics::wire::Brand;
use report::ReportData;
use report::content::{TOP_CASCADES, filter_of};

/// Reads what `def`'s panels show. `may_see` says which tracked
/// competitors the reader may see beside the campaign's brand (a client
/// sees none).
pub async fn read(
    db: &Db,
    cascade_cache: &CascadeCache,
    tree_cache: &tree::TreeCache,
    def: &ReportDefinition,
    may_see: impl Fn(&Brand) -> bool,
) -> Result<Result<ReportData, CampaignNotFound>, sqlx::Error> {
    let summary = match db.campaign_summary(def.campaign_id).await? {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    let id = def.campaign_id;
    let wants = |k: PanelKind| def.panels.iter().any(|p| p.kind == k);
    let filter = filter_of(def);
    let days = db.channel_days(id).await?;
    let sketches = db.day_sketches(id).await?;
    let accounts = if wants(PanelKind::Sources) || wants(PanelKind::Accounts) {
        db.account_days(id).await?
    } else {
        Vec::new()
    };
    let funnel = if wants(PanelKind::Funnel) {
        let day = |d: Option<Date>| d.map(|d| d.to_string());
        db.funnel(
            id,
            FunnelBy::Channel,
            None,
            day(filter.from).as_deref(),
            day(filter.to).as_deref(),
        )
        .await?
    } else {
        Vec::new()
    };
    let cascades = if wants(PanelKind::Cascades) {
        let q = ListQuery {
            per_page: TOP_CASCADES as u32,
            ..ListQuery::default()
        };
        cascades::list(db, cascade_cache, id, &q).await?.items
    } else {
        Vec::new()
    };
    let mut trees = Vec::new();
    if wants(PanelKind::Tree) {
        let size = report::content::tree_picture_size(def.page);
        for panel in def.panels.iter().filter(|p| p.kind == PanelKind::Tree) {
            // The cascade the API lists first: the named one, or the largest
            // (the builder's preview asks the same question).
            let q = ListQuery {
                root: panel.cascade.clone(),
                per_page: 1,
                ..ListQuery::default()
            };
            let page = cascades::list(db, cascade_cache, id, &q).await?;
            let Some(c) = page.items.first() else {
                continue;
            };
            if trees
                .iter()
                .any(|t: &report::content::TreePicture| t.root == c.root_id)
            {
                continue;
            }
            let key = (id, db.campaign_version(id).await?, c.root_id.clone(), size);
            if let Some(p) = tree_cache.get(&key) {
                trees.push(p);
                continue;
            }
            let ws = &summary.campaign.workspace.slug;
            if let Some(blob) = cascades::tree_blob(db, ws, &c.root_id).await?
                && let Some(p) = tree::picture(blob, &c.root_id, &c.author, c.channel, size)
            {
                tree_cache.put(key, p.clone());
                trees.push(p);
            }
        }
    }
    let (mut mentions, mut drivers) = (Vec::new(), None);
    if wants(PanelKind::Listening) {
        let c = &summary.campaign;
        let offset = i64::from(c.workspace.utc_offset_s);
        let start = |d: &str| Date::parse(d).map(|d| d.to_days() * 86_400 - offset);
        let from = start(&c.start_date).unwrap_or(0);
        let to = start(&c.end_date).map_or(from + 86_400, |d| d + 86_400);
        let ours = db.brand(c.brand.id).await?;
        let rivals = db
            .list_brands(Some(&c.workspace.slug))
            .await?
            .into_iter()
            .filter(|b| b.competitor && b.id != c.brand.id && may_see(b));
        for (b, competitor) in ours
            .into_iter()
            .map(|b| (b, false))
            .chain(rivals.map(|b| (b, true)))
        {
            let hours = db.mention_hours(b.id, from, to).await?;
            mentions.push((b.name.clone(), competitor, hours));
        }
        if let Some((_, _, hours)) = mentions.first() {
            let biggest = listening::spikes(hours, &SpikeRule::default())
                .into_iter()
                .max_by_key(|s| s.mentions);
            if let Some(s) = biggest {
                let d = db
                    .mention_drivers(c.brand.id, s.start, s.end, report::content::DRIVERS.into())
                    .await?;
                drivers = Some((s, d));
            }
        }
    }
    Ok(Ok(ReportData {
        summary,
        days,
        sketches,
        accounts,
        funnel,
        cascades,
        mentions,
        drivers,
        trees,
        as_of: chrono::Utc::now().timestamp(),
    }))
}
