//! `server import`: files into a campaign, idempotently. A file is stored in
//! one transaction (all of it or none of it); what is already stored with the
//! same content is skipped and counted as a duplicate, what is stored with
//! different content is a conflict, reported and never overwritten.
//!
//! `twitter15`: each tree file becomes one cascade, one post per uid (the
//! canonical rule of `analytics::cascade::build` is applied first, and its
//! repairs are reported); post `t15-<tree>-<uid>` by account `<uid>` on X,
//! at the campaign's start (local midnight) plus the node's delay, kept to
//! the millisecond so the stored tree's metrics equal the file's.

use crate::db::sql::{MAX_BINDS, Sql, insert_rows};
use crate::db::{Db, IngestError, OnConflict, SetupError, local_day};
use analytics::cascade::twitter15;
use analytics::cascade::{Repairs, build_tree};
use analytics::events::{self, Defaults, LineError};
use sqlx::Row;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportSummary {
    pub files: u64,
    pub trees: u64,
    /// Posts newly stored.
    pub stored: u64,
    /// Posts already stored with the same content.
    pub duplicates: u64,
    /// Posts already stored with different content (not overwritten).
    pub conflicts: u64,
    /// A few conflicts, described.
    pub conflict_examples: Vec<String>,
    pub labels: u64,
    /// Repairs made while building the trees, summed.
    pub repairs: Repairs,
    pub dup_lines: u64,
    /// Files that could not be read or parsed, with the reason.
    pub rejected: Vec<(PathBuf, String)>,
}

/// The tree files of the given paths (files, or folders holding `tree/`),
/// each with the label file beside its `tree/` folder.
fn tree_files(
    paths: &[PathBuf],
    rejected: &mut Vec<(PathBuf, String)>,
) -> Vec<(PathBuf, Option<PathBuf>)> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_file() {
            let labels = path
                .parent()
                .and_then(Path::parent)
                .map(|d| d.join("label.txt"));
            out.push((path.clone(), labels));
            continue;
        }
        let tree = if path.join("tree").is_dir() {
            path.join("tree")
        } else {
            path.clone()
        };
        match std::fs::read_dir(&tree) {
            Ok(entries) => {
                let mut files: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "txt"))
                    .collect();
                files.sort();
                let labels = tree.parent().map(|d| d.join("label.txt"));
                out.extend(files.into_iter().map(|f| (f, labels.clone())));
            }
            Err(e) => rejected.push((path.clone(), format!("cannot list: {e}"))),
        }
    }
    out
}

fn read_labels(path: &Path) -> HashMap<String, String> {
    std::fs::read_to_string(path)
        .map(|text| {
            text.lines()
                .filter_map(|l| l.trim().split_once(':'))
                .map(|(label, id)| (id.trim().to_string(), label.trim().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// Imports Twitter15 tree files into `campaign` of `workspace`; `progress`
/// is called with (files done, files in all) after each file.
pub async fn import_twitter15(
    db: &Db,
    workspace: &str,
    campaign: i64,
    paths: &[PathBuf],
    mut progress: impl FnMut(u64, u64),
) -> Result<ImportSummary, SetupError> {
    let (ws, start) = db.campaign_in_workspace(workspace, campaign).await?;
    let tz: chrono_tz::Tz = ws
        .timezone
        .parse()
        .map_err(|_| SetupError::BadTimezone(ws.timezone.clone()))?;
    let base_ms = local_midnight_ms(tz, start);
    let mut summary = ImportSummary::default();
    let files = tree_files(paths, &mut summary.rejected);
    let total = files.len() as u64;
    let mut label_cache: HashMap<PathBuf, HashMap<String, String>> = HashMap::new();
    for (i, (file, label_file)) in files.iter().enumerate() {
        summary.files += 1;
        let outcome = async {
            let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read: {e}"))?;
            let parsed = twitter15::parse(&text).map_err(|e| e.to_string())?;
            let tree = build_tree(&parsed.rows).map_err(|e| e.to_string())?;
            Ok::<_, String>((parsed.dup_lines, tree))
        }
        .await;
        let (dup_lines, tree) = match outcome {
            Ok(t) => t,
            Err(reason) => {
                summary.rejected.push((file.clone(), reason));
                progress(i as u64 + 1, total);
                continue;
            }
        };
        let tree_id = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let label = label_file.as_ref().and_then(|lf| {
            label_cache
                .entry(lf.clone())
                .or_insert_with(|| read_labels(lf))
                .get(&tree_id)
                .cloned()
        });
        summary.trees += 1;
        summary.dup_lines += dup_lines;
        let r = &tree.repairs;
        summary.repairs.self_loops += r.self_loops;
        summary.repairs.edges_into_root += r.edges_into_root;
        summary.repairs.extra_parents += r.extra_parents;
        summary.repairs.unreachable += r.unreachable;
        summary.repairs.before_root += r.before_root;
        summary.repairs.before_parent += r.before_parent;
        let post_id = |uid: &str| format!("t15-{tree_id}-{uid}");
        let nodes: Vec<ImportNode> = (0..tree.len())
            .map(|v| ImportNode {
                client_id: post_id(&tree.ids[v]),
                parent: (v > 0).then(|| post_id(&tree.ids[tree.parent[v] as usize])),
                uid: tree.ids[v].as_str(),
                ms: base_ms + (tree.time[v] * 60_000.0).round() as i64,
            })
            .collect();
        store_tree(
            db,
            ws.id,
            campaign,
            tz,
            &nodes,
            label.as_deref(),
            &mut summary,
        )
        .await
        .map_err(SetupError::Storage)?;
        progress(i as u64 + 1, total);
    }
    if summary.stored > 0 {
        db.rebuild_rollups(campaign)
            .await
            .map_err(SetupError::Storage)?;
    }
    Ok(summary)
}

/// Unix milliseconds of local midnight at the start of `day` in `tz`.
pub fn local_midnight_ms(tz: chrono_tz::Tz, day: analytics::date::Date) -> i64 {
    use chrono::TimeZone;
    let naive = chrono::NaiveDate::from_ymd_opt(day.year, u32::from(day.month), u32::from(day.day))
        .and_then(|d| d.and_hms_opt(0, 0, 0));
    naive
        .and_then(|n| tz.from_local_datetime(&n).earliest())
        .map(|t| t.timestamp_millis())
        .unwrap_or_else(|| day.to_days() * 86_400_000)
}

/// One node of a tree, as it is to be stored.
struct ImportNode<'a> {
    client_id: String,
    parent: Option<String>,
    uid: &'a str,
    ms: i64,
}

/// What is stored for a post already: parent, time (ms) and campaign.
type StoredPost = (Option<String>, Option<i64>, Option<i64>);

async fn store_tree(
    db: &Db,
    workspace_id: i64,
    campaign: i64,
    tz: chrono_tz::Tz,
    nodes: &[ImportNode<'_>],
    label: Option<&str>,
    summary: &mut ImportSummary,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let root = nodes[0].client_id.clone();
    // What is already stored of this cascade.
    let existing: HashMap<String, StoredPost> = sqlx::query(
        // Two indexed lookups: an OR of the two columns would scan the table.
        "SELECT client_id, parent_client_id, posted_at_ms, campaign_id FROM posts \
         WHERE workspace_id = $1 AND client_id = $2 \
         UNION ALL SELECT client_id, parent_client_id, posted_at_ms, campaign_id FROM posts \
         WHERE workspace_id = $3 AND root_client_id = $4",
    )
    .bind(workspace_id)
    .bind(&root)
    .bind(workspace_id)
    .bind(&root)
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|r| Ok((r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?, r.try_get(3)?))))
    .collect::<Result<_, sqlx::Error>>()?;
    let mut fresh = Vec::new();
    for node in nodes {
        match existing.get(&node.client_id) {
            None => fresh.push(node),
            Some((parent, ms, camp))
                if *parent == node.parent && *ms == Some(node.ms) && *camp == Some(campaign) =>
            {
                summary.duplicates += 1;
            }
            Some((parent, ms, camp)) => {
                summary.conflicts += 1;
                if summary.conflict_examples.len() < 5 {
                    summary.conflict_examples.push(format!(
                        "{}: stored with parent {:?}, time {:?} ms, campaign {:?}; the file says parent {:?}, time {} ms, campaign {}",
                        node.client_id, parent, ms, camp, node.parent, node.ms, campaign
                    ));
                }
            }
        }
    }
    if !fresh.is_empty() {
        // Accounts: one per uid on X, created on first sight.
        insert_rows(
            &mut tx.tx,
            db.backend(),
            "INSERT INTO accounts (workspace_id, channel, platform_id, handle, kind) ",
            5,
            &fresh,
            " ON CONFLICT DO NOTHING",
            |b, n| {
                b.bind(workspace_id)
                    .bind("x")
                    .bind(n.uid)
                    .bind(n.uid)
                    .bind("regular");
            },
        )
        .await?;
        let mut account_ids: HashMap<String, i64> = HashMap::with_capacity(fresh.len());
        for chunk in fresh.chunks(MAX_BINDS - 2) {
            let mut q = Sql::new(
                db.backend(),
                "SELECT platform_id, id FROM accounts WHERE channel = 'x' AND workspace_id = ",
            );
            q.bind(workspace_id).push(" AND platform_id IN (");
            q.binds(chunk.iter().map(|n| n.uid)).push(")");
            for r in q.build()?.fetch_all(&mut *tx).await? {
                account_ids.insert(r.try_get(0)?, r.try_get(1)?);
            }
        }
        insert_rows(
            &mut tx.tx,
            db.backend(),
            "INSERT INTO posts (workspace_id, client_id, campaign_id, channel, account_id, posted_at, posted_at_ms, \
                 local_day, root_client_id, parent_client_id, paid) ",
            11,
            &fresh,
            "",
            |b, n| {
                let seconds = n.ms.div_euclid(1000);
                b.bind(workspace_id)
                    .bind(n.client_id.as_str())
                    .bind(campaign)
                    .bind("x")
                    .bind(account_ids.get(n.uid).copied())
                    .bind(seconds)
                    .bind(n.ms)
                    .bind(local_day(tz, seconds))
                    .bind(n.parent.is_some().then_some(root.as_str()))
                    .bind(n.parent.as_deref())
                    .bind(0_i64);
            },
        )
        .await?;
        summary.stored += fresh.len() as u64;
    }
    if let Some(label) = label {
        let done = sqlx::query("INSERT INTO cascade_labels (workspace_id, root_client_id, label) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(workspace_id)
            .bind(&root)
            .bind(label)
            .execute(&mut *tx)
            .await?;
        summary.labels += done.rows_affected();
    }
    tx.commit().await
}

/// What an event import did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventImportSummary {
    pub files: u64,
    pub stored: u64,
    pub duplicates: u64,
    /// Lines not stored: invalid, conflicting, or in a file refused by
    /// `--strict`; each with file, line, field and reason.
    pub rejected: Vec<(PathBuf, LineError)>,
    /// Files that could not be read at all.
    pub unreadable: Vec<(PathBuf, String)>,
}

/// Events per transaction when streaming a file.
const IMPORT_BATCH: usize = 20_000;

/// Imports NDJSON or CSV event files into `campaign` (events that name no
/// campaign get it; naming another is an error). `progress` gets (bytes
/// done, bytes in all).
pub async fn import_events(
    db: &Db,
    workspace: &str,
    campaign: i64,
    csv: bool,
    strict: bool,
    paths: &[PathBuf],
    mut progress: impl FnMut(u64, u64),
) -> Result<EventImportSummary, SetupError> {
    db.campaign_in_workspace(workspace, campaign).await?;
    let mut summary = EventImportSummary::default();
    let wanted: &[&str] = if csv {
        &["csv"]
    } else {
        &["ndjson", "jsonl", "json"]
    };
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            match std::fs::read_dir(path) {
                Ok(entries) => {
                    let mut found: Vec<PathBuf> = entries
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| {
                            p.is_file()
                                && p.extension()
                                    .is_some_and(|x| wanted.iter().any(|w| x == *w))
                        })
                        .collect();
                    found.sort();
                    files.extend(found);
                }
                Err(e) => summary
                    .unreadable
                    .push((path.clone(), format!("cannot list: {e}"))),
            }
        } else {
            files.push(path.clone());
        }
    }
    let total: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let mut done = 0u64;
    let defaults = Defaults {
        campaign: Some(campaign),
    };
    for file in files {
        summary.files += 1;
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) => {
                summary
                    .unreadable
                    .push((file.clone(), format!("cannot read: {e}")));
                continue;
            }
        };
        let lines = if csv {
            events::csv_lines(&text, defaults)
        } else {
            Ok(events::ndjson_lines(&text, defaults))
        };
        let lines = match lines {
            Ok(l) => l,
            Err(header) => {
                summary.rejected.push((file.clone(), header));
                continue;
            }
        };
        let (good, bad): (Vec<_>, Vec<_>) = lines.into_iter().partition(|(_, r)| r.is_ok());
        let mut good: Vec<(usize, events::NewEvent)> = good
            .into_iter()
            .filter_map(|(line, r)| r.ok().map(|e| (line, e)))
            .collect();
        let bad: Vec<LineError> = bad.into_iter().filter_map(|(_, r)| r.err()).collect();
        let mut bad = bad;
        // An id repeated within the file: a duplicate if equal (dropped), an
        // error if not (reported), as within one HTTP batch.
        let mut first_seen: HashMap<String, (usize, String)> = HashMap::new();
        good.retain(|(line, e)| match first_seen.get(e.id()) {
            None => {
                first_seen.insert(e.id().to_string(), (*line, e.fingerprint()));
                true
            }
            Some((first, fp)) => {
                if *fp != e.fingerprint() {
                    bad.push(LineError {
                        line: *line,
                        field: "id".into(),
                        reason: format!(
                            "{:?} also appears on line {first} with different content",
                            e.id()
                        ),
                    });
                }
                false
            }
        });
        if strict {
            if !bad.is_empty() {
                summary
                    .rejected
                    .extend(bad.into_iter().map(|e| (file.clone(), e)));
                done += text.len() as u64;
                progress(done, total);
                continue;
            }
            match db.ingest(workspace, &good, OnConflict::Refuse).await {
                Ok(o) => {
                    summary.stored += o.stored;
                    summary.duplicates += o.duplicates;
                }
                Err(IngestError::Conflicts(lines) | IngestError::ForeignCampaign(lines)) => {
                    summary
                        .rejected
                        .extend(lines.into_iter().map(|e| (file.clone(), e)));
                }
                Err(IngestError::Storage(e)) => return Err(SetupError::Storage(e)),
            }
        } else {
            summary
                .rejected
                .extend(bad.into_iter().map(|e| (file.clone(), e)));
            for chunk in good.chunks(IMPORT_BATCH) {
                match db.ingest(workspace, chunk, OnConflict::Skip).await {
                    Ok(o) => {
                        summary.stored += o.stored;
                        summary.duplicates += o.duplicates;
                        summary
                            .rejected
                            .extend(o.skipped.into_iter().map(|e| (file.clone(), e)));
                    }
                    Err(IngestError::Conflicts(lines) | IngestError::ForeignCampaign(lines)) => {
                        summary
                            .rejected
                            .extend(lines.into_iter().map(|e| (file.clone(), e)));
                    }
                    Err(IngestError::Storage(e)) => return Err(SetupError::Storage(e)),
                }
            }
        }
        done += text.len() as u64;
        progress(done, total);
    }
    Ok(summary)
}
