//! `server report list|render`: the saved reports of a workspace, and one
//! drawn to a file by the same renderer as the API (the operator sees every
//! brand of the workspace, competitors included).

use super::{Format, Renderer, Request};
use crate::config::ReportCommand;
use crate::db::Db;
use crate::stats::cascades::CascadeCache;
use anyhow::{Context, bail};
use std::sync::Arc;

pub async fn run(database_url: &str, command: &ReportCommand) -> anyhow::Result<()> {
    let db = Db::open(database_url).await?;
    match command {
        ReportCommand::List { workspace } => {
            db.workspace(workspace).await?;
            for r in db.list_reports(workspace).await? {
                let d = &r.definition;
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    r.id,
                    report::text::clean(&d.title),
                    d.campaign_id,
                    d.lang.tag(),
                    d.page.as_str()
                );
            }
            Ok(())
        }
        ReportCommand::Render {
            report,
            format,
            scale,
            page,
            out,
        } => {
            let Some(format) = Format::parse(format) else {
                bail!("--format {format:?} must be png, svg or pdf");
            };
            if format != Format::Png && *scale != 2 {
                bail!("--scale is for PNG only: SVG and PDF are vector drawings");
            }
            let r = db
                .report(*report)
                .await?
                .with_context(|| format!("no report has id {report}"))?;
            let renderer = Arc::new(Renderer::new());
            let req = Request {
                format,
                scale: *scale,
                page: *page,
            };
            let rendered = renderer
                .render(&db, &CascadeCache::default(), &r, req, |_| true)
                .await?;
            for w in &rendered.warnings {
                eprintln!("warning: {w}");
            }
            std::fs::write(out, &rendered.bytes)
                .with_context(|| format!("cannot write {}", out.display()))?;
            eprintln!(
                "wrote {} ({} bytes, {} page{})",
                out.display(),
                rendered.bytes.len(),
                rendered.pages,
                if rendered.pages == 1 { "" } else { "s" }
            );
            Ok(())
        }
    }
}
