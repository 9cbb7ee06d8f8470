//! `server cascade …`: metrics and layouts of cascade files, computed by
//! `analytics::cascade` (the same code the browser runs).

use crate::config::{CascadeArgs, CascadeFormat, EvaluateArgs, TreeFiles};
use crate::db::Db;
use analytics::cascade::twitter15::{self, format_g10};
use analytics::cascade::{Tree, build_tree};
use analytics::cascade::{layout, prediction, prediction_eval};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What to print per tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    MetricsCsv,
    LayoutJson,
}

/// The header of the metrics CSV: exactly Twitter15's `reference_metrics.csv`.
pub const METRICS_HEADER: &str = "dataset,tree_id,label,lines,dup_lines,self_loops,edges_into_root,extra_parents,\
unreachable,n,depth,max_breadth,max_breadth_depth,root_outdeg,max_outdeg,leaves,wiener,structural_virality,\
t_min,t50,t90,t_max";

/// The header of `evaluate-prediction --csv`.
pub const EVALUATION_HEADER: &str =
    "horizon_h,model,trees,mdape,median_signed_error,coverage80,coverage95";

/// One tree file to read, with the dataset it belongs to.
#[derive(Debug, Clone)]
struct Input {
    file: PathBuf,
    /// The folder that holds `tree/`.
    dataset_dir: PathBuf,
}

/// The inputs of `paths`; each path that names nothing is reported on `err`
/// and counted in `failed`.
fn inputs(
    paths: &[PathBuf],
    err: &mut dyn Write,
    failed: &mut usize,
) -> std::io::Result<Vec<Input>> {
    let mut inputs = Vec::new();
    for path in paths {
        match expand(path) {
            Ok(found) => inputs.extend(found),
            Err(reason) => {
                writeln!(err, "{}: {reason}", path.display())?;
                *failed += 1;
            }
        }
    }
    Ok(inputs)
}

/// Reads and builds one tree file; a failure is reported on `err`, counted
/// in `failed`, and is `None`.
fn read_tree(
    input: &Input,
    err: &mut dyn Write,
    failed: &mut usize,
) -> std::io::Result<Option<(twitter15::ParsedFile, Tree<String>)>> {
    let text = match std::fs::read_to_string(&input.file) {
        Ok(t) => t,
        Err(e) => {
            writeln!(err, "{}: cannot read: {e}", input.file.display())?;
            *failed += 1;
            return Ok(None);
        }
    };
    let parsed = match twitter15::parse(&text) {
        Ok(p) => p,
        Err(e) => {
            writeln!(err, "{}: {e}", input.file.display())?;
            *failed += 1;
            return Ok(None);
        }
    };
    match build_tree(&parsed.rows) {
        Ok(t) => Ok(Some((parsed, t))),
        Err(e) => {
            writeln!(err, "{}: {e}", input.file.display())?;
            *failed += 1;
            Ok(None)
        }
    }
}

/// Prints every tree of `args.paths`; returns how many inputs failed (each
/// named on `err` with its reason). Only a failure to write is an `Err`.
pub fn run(
    args: &CascadeArgs,
    output: Output,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<usize> {
    let CascadeFormat::Twitter15 = args.format;
    let mut failed = 0;
    let inputs = inputs(&args.paths, err, &mut failed)?;
    let mut labels: HashMap<PathBuf, HashMap<String, String>> = HashMap::new();
    let mut out = std::io::BufWriter::new(out);
    if output == Output::MetricsCsv {
        writeln!(out, "{METRICS_HEADER}")?;
    }
    for input in inputs {
        let Some((parsed, tree)) = read_tree(&input, err, &mut failed)? else {
            continue;
        };
        let tree_id = input
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        match output {
            Output::MetricsCsv => {
                let dataset = input
                    .dataset_dir
                    .file_name()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let label = labels
                    .entry(input.dataset_dir.clone())
                    .or_insert_with(|| read_labels(&input.dataset_dir))
                    .get(&tree_id)
                    .cloned()
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{}",
                    metrics_row(
                        &dataset,
                        &tree_id,
                        &label,
                        parsed.lines,
                        parsed.dup_lines,
                        &tree
                    )
                )?;
            }
            Output::LayoutJson => writeln!(out, "{}", layout_json(&tree_id, &tree))?,
        }
    }
    out.flush()?;
    Ok(failed)
}

/// The finished trees of `paths` (times in minutes, as Twitter15 gives
/// them, turned into seconds), in file order.
fn finished_trees(paths: &[PathBuf], err: &mut dyn Write) -> anyhow::Result<Vec<Tree<String>>> {
    let mut failed = 0;
    let mut trees = Vec::new();
    for input in inputs(paths, err, &mut failed)? {
        if let Some((_, mut tree)) = read_tree(&input, err, &mut failed)? {
            tree.time.iter_mut().for_each(|t| *t *= 60.0);
            trees.push(tree);
        }
    }
    if failed > 0 {
        anyhow::bail!("{failed} file(s) could not be read or parsed (named above)");
    }
    Ok(trees)
}

fn too_few_to_fit() -> String {
    format!(
        "too few trees of at least {} nodes to fit the models (need {} to fit on)",
        prediction::MIN_TREE,
        prediction::MIN_SAMPLES
    )
}

/// `server cascade evaluate-prediction`: every model at 1 and 6 hours, by
/// training and test sets or by cross-validation.
pub fn evaluate_prediction(
    args: &EvaluateArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<()> {
    let CascadeFormat::Twitter15 = args.format;
    let test = finished_trees(&args.paths, err)?;
    let train = if args.train.is_empty() {
        None
    } else {
        Some(finished_trees(&args.train, err)?)
    };
    let mut rows = Vec::new();
    for hours in [1.0, 6.0] {
        let scores = match &train {
            Some(train) => prediction_eval::train_and_test(train, &test, hours),
            None => prediction_eval::cross_validate(&test, hours, 10),
        };
        let Some(scores) = scores else {
            anyhow::bail!(too_few_to_fit());
        };
        rows.extend(scores);
    }
    let mut out = std::io::BufWriter::new(out);
    if args.csv {
        writeln!(out, "{EVALUATION_HEADER}")?;
        for r in &rows {
            writeln!(
                out,
                "{},{},{},{:.6},{:.6},{:.6},{:.6}",
                r.horizon_h,
                r.model,
                r.trees,
                r.mdape,
                r.median_signed_error,
                r.coverage80,
                r.coverage95
            )?;
        }
    } else {
        let how = if train.is_some() {
            "fitted on the --train trees"
        } else {
            "10-fold cross-validation"
        };
        writeln!(
            out,
            "| observed ({how}) | model | trees (n ≥ {}) | MdAPE | median signed error | 80% interval coverage | 95% interval coverage |",
            prediction::MIN_TREE
        )?;
        writeln!(out, "|---|---|---|---|---|---|---|")?;
        for r in &rows {
            writeln!(
                out,
                "| first {} h | {} | {} | {:.1}% | {:+.1}% | {:.1}% | {:.1}% |",
                r.horizon_h,
                r.model,
                r.trees,
                r.mdape * 100.0,
                r.median_signed_error * 100.0,
                r.coverage80 * 100.0,
                r.coverage95 * 100.0
            )?;
        }
    }
    out.flush()?;
    Ok(())
}

/// `server cascade fit-prediction`: the models fitted on the trees, printed
/// as the table the product ships as its defaults.
pub fn fit_prediction(
    args: &TreeFiles,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<()> {
    let CascadeFormat::Twitter15 = args.format;
    let trees = finished_trees(&args.paths, err)?;
    let Some(models) = prediction::fit_all(&trees) else {
        anyhow::bail!(too_few_to_fit());
    };
    write!(out, "{}", prediction::models_source(&models))?;
    Ok(())
}

/// The tree files of a path: a file itself, or the `tree/*.txt` of a folder
/// that holds `tree/` (sorted by name), or the files of a `tree/` folder.
fn expand(path: &Path) -> Result<Vec<Input>, String> {
    let abs = std::path::absolute(path).map_err(|e| format!("cannot resolve the path: {e}"))?;
    if abs.is_file() {
        let folder = abs.parent().map(Path::to_path_buf).unwrap_or_default();
        let dataset_dir = if folder.file_name().is_some_and(|n| n == "tree") {
            folder.parent().map(Path::to_path_buf).unwrap_or(folder)
        } else {
            folder
        };
        return Ok(vec![Input {
            file: abs,
            dataset_dir,
        }]);
    }
    if !abs.is_dir() {
        return Err("no such file or folder".into());
    }
    let (tree_dir, dataset_dir) = if abs.join("tree").is_dir() {
        (abs.join("tree"), abs.clone())
    } else if abs.file_name().is_some_and(|n| n == "tree") {
        (
            abs.clone(),
            abs.parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| abs.clone()),
        )
    } else {
        return Err("a folder must hold tree/ (as the Twitter15 dataset does)".into());
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&tree_dir)
        .map_err(|e| format!("cannot list {}: {e}", tree_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    Ok(files
        .into_iter()
        .map(|file| Input {
            file,
            dataset_dir: dataset_dir.clone(),
        })
        .collect())
}

/// `label:tree_id` lines of the `label.txt` beside `tree/`, when present.
fn read_labels(dataset_dir: &Path) -> HashMap<String, String> {
    let Ok(text) = std::fs::read_to_string(dataset_dir.join("label.txt")) else {
        return HashMap::new();
    };
    text.lines()
        .filter_map(|l| l.trim().split_once(':'))
        .map(|(label, id)| (id.trim().to_string(), label.trim().to_string()))
        .collect()
}

/// One row under [`METRICS_HEADER`].
pub fn metrics_row<K>(
    dataset: &str,
    tree_id: &str,
    label: &str,
    lines: u64,
    dup_lines: u64,
    tree: &Tree<K>,
) -> String {
    let m = tree.metrics();
    let r = &tree.repairs;
    format!(
        "{dataset},{tree_id},{label},{lines},{dup_lines},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
        r.self_loops,
        r.edges_into_root,
        r.extra_parents,
        r.unreachable,
        m.n,
        m.depth,
        m.max_breadth,
        m.max_breadth_depth,
        m.root_outdeg,
        m.max_outdeg,
        m.leaves,
        m.wiener,
        format_g10(m.structural_virality.unwrap_or(0.0)),
        format_g10(m.t_min),
        format_g10(m.t50),
        format_g10(m.t90),
        format_g10(m.t_max),
    )
}

/// `{"tree_id", "ids", "parent", "x", "y"}`: breadth-first order, parent
/// index -1 for the root, coordinates at full precision.
fn layout_json(tree_id: &str, tree: &Tree<String>) -> String {
    let l = layout::tidy(tree);
    let parent: Vec<i64> = tree
        .parent
        .iter()
        .map(|&p| {
            if p == analytics::cascade::NONE {
                -1
            } else {
                i64::from(p)
            }
        })
        .collect();
    serde_json::json!({ "tree_id": tree_id, "ids": tree.ids, "parent": parent, "x": l.x, "y": l.y })
        .to_string()
}

/// `cascade metrics --workspace S --campaign C`: the stored cascades of a
/// campaign, with the columns of [`METRICS_HEADER`]. Times are minutes after
/// the campaign's first day began (local midnight); `lines` and the repair
/// columns describe the stored edges.
pub async fn stored_metrics(
    db: &Db,
    workspace: &str,
    campaign: i64,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let (ws, start) = db.campaign_in_workspace(workspace, campaign).await?;
    let tz: chrono_tz::Tz = ws
        .timezone
        .parse()
        .map_err(|_| anyhow::anyhow!("bad time zone {}", ws.timezone))?;
    let base_ms = crate::import::local_midnight_ms(tz, start);
    let labels = db.cascade_labels(workspace).await?;
    let mut out = std::io::BufWriter::new(out);
    writeln!(out, "{METRICS_HEADER}")?;
    for root in db.cascade_roots(campaign).await? {
        let Some(c) = db.cascade(workspace, &root).await? else {
            continue;
        };
        let mut tree = c.tree;
        for (t, ms) in tree.time.iter_mut().zip(&c.time_ms) {
            *t = (ms - base_ms) as f64 / 60_000.0;
        }
        let label = labels.get(&root).map(String::as_str).unwrap_or("");
        let lines = tree.len() as u64;
        writeln!(
            out,
            "{}",
            metrics_row(workspace, &root, label, lines, 0, &tree)
        )?;
    }
    out.flush()?;
    Ok(())
}
