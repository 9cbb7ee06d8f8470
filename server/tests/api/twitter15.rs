//! The word-of-mouth engine on real data: every Twitter15 tree, unpacked
//! from the fixtures into a temp folder named as the dataset, through the
//! real binary's `cascade metrics`, equals `reference_metrics.csv` in every
//! column (structural virality to 1e-9 relative).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/twitter15");

/// `<tmp>/twitter15/{tree/, label.txt}`.
pub(super) fn unpacked() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dataset = tmp.path().join("twitter15");
    std::fs::create_dir_all(&dataset).unwrap();
    let archive = std::fs::File::open(Path::new(FIXTURES).join("tree.tar.gz")).unwrap();
    tar::Archive::new(flate2::read::GzDecoder::new(archive))
        .unpack(&dataset)
        .unwrap();
    std::fs::copy(
        Path::new(FIXTURES).join("label.txt"),
        dataset.join("label.txt"),
    )
    .unwrap();
    (tmp, dataset)
}

/// Runs `server cascade <command> --format twitter15 <dataset>` and returns its stdout.
fn cascade_cli(command: &str, dataset: &Path) -> String {
    cascade_cli_with(command, &[dataset.as_os_str()])
}

/// Runs `server cascade <command> --format twitter15 <args>`, which must
/// succeed, and returns its stdout.
fn cascade_cli_with(command: &str, args: &[&std::ffi::OsStr]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["cascade", command, "--format", "twitter15"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn csv(text: &str) -> (Vec<String>, HashMap<String, HashMap<String, String>>) {
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| {
            let row: HashMap<String, String> = header
                .iter()
                .cloned()
                .zip(l.split(',').map(String::from))
                .collect();
            (row["tree_id"].clone(), row)
        })
        .collect();
    (header, rows)
}

#[test]
fn every_tree_matches_the_reference_metrics() {
    let (_tmp, dataset) = unpacked();
    let metrics = cascade_cli("metrics", &dataset);
    let reference =
        std::fs::read_to_string(Path::new(FIXTURES).join("reference_metrics.csv")).unwrap();
    let (ref_header, expected) = csv(&reference);
    let (header, got) = csv(&metrics);
    assert_eq!(header, ref_header, "exactly the reference columns");
    assert_eq!(expected.len(), 1490);
    assert_eq!(got.len(), expected.len());
    let mut mismatches = Vec::new();
    for (id, want) in &expected {
        let have = &got[id];
        for column in &ref_header {
            let (w, h) = (&want[column], &have[column]);
            let equal = if column == "structural_virality" {
                let (w, h): (f64, f64) = (w.parse().unwrap(), h.parse().unwrap());
                (w - h).abs() <= 1e-9 * w.abs().max(f64::MIN_POSITIVE)
            } else {
                w == h
            };
            if !equal {
                mismatches.push(format!("{id} {column}: want {w}, got {h}"));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches, e.g. {:?}",
        mismatches.len(),
        &mismatches[..mismatches.len().min(5)]
    );
}

/// `evaluate-prediction --csv` rows: `(horizon, model) → [trees, mdape,
/// median signed error, coverage80, coverage95]`.
fn evaluation(args: &[&std::ffi::OsStr]) -> std::collections::BTreeMap<(String, String), Vec<f64>> {
    let mut with_csv = vec!["--csv".as_ref()];
    with_csv.extend_from_slice(args);
    let text = cascade_cli_with("evaluate-prediction", &with_csv);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("horizon_h,model,trees,mdape,median_signed_error,coverage80,coverage95")
    );
    lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            assert_eq!(cells.len(), 7, "{l}");
            let values = cells[2..]
                .iter()
                .map(|v| v.parse::<f64>().unwrap())
                .collect();
            ((cells[0].to_string(), cells[1].to_string()), values)
        })
        .collect()
}

/// The goals of BENCHMARKS.md, by 10-fold cross-validation on all 1,490
/// trees: ours beats both naive guesses at 1 h and 6 h, is unbiased within
/// ±10%, and its intervals hold the truth as often as they say.
#[test]
fn prediction_beats_the_naive_guesses_by_cross_validation() {
    let (_tmp, dataset) = unpacked();
    let rows = evaluation(&[dataset.as_os_str()]);
    assert_eq!(rows.len(), 6, "{rows:?}");
    for h in ["1", "6"] {
        let of = |m: &str| &rows[&(h.to_string(), m.to_string())];
        let (ours, base, sh) = (of("ours"), of("baseline_growth"), of("szabo_huberman"));
        assert!(rows.values().all(|r| r[0] == 1490.0));
        assert!(
            ours[1] < base[1] && ours[1] < sh[1],
            "{h} h: {ours:?} {base:?} {sh:?}"
        );
        assert!(ours[2].abs() <= 0.10, "{h} h bias {ours:?}");
        assert!(
            (0.75..=0.85).contains(&ours[3]),
            "{h} h 80% coverage {ours:?}"
        );
        assert!(
            (0.90..=0.97).contains(&ours[4]),
            "{h} h 95% coverage {ours:?}"
        );
    }
}

/// With --train, every model is fitted on those trees only: scored on the
/// other half, in the table form too.
#[test]
fn prediction_fitted_on_training_trees_is_scored_on_the_others() {
    let (tmp, dataset) = unpacked();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dataset.join("tree"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let (train, test) = (tmp.path().join("train"), tmp.path().join("test"));
    for (i, f) in files.iter().enumerate() {
        let to = if i % 2 == 0 { &train } else { &test };
        std::fs::create_dir_all(to.join("tree")).unwrap();
        std::fs::copy(f, to.join("tree").join(f.file_name().unwrap())).unwrap();
    }
    let rows = evaluation(&["--train".as_ref(), train.as_os_str(), test.as_os_str()]);
    assert!(rows.values().all(|r| r[0] == 745.0), "{rows:?}");
    let ours = &rows[&("6".to_string(), "ours".to_string())];
    assert!(ours[1] < rows[&("6".to_string(), "baseline_growth".to_string())][1]);
    let table = cascade_cli_with(
        "evaluate-prediction",
        &["--train".as_ref(), train.as_os_str(), test.as_os_str()],
    );
    assert!(table.contains("fitted on the --train trees"), "{table}");
    assert_eq!(
        table.lines().filter(|l| l.starts_with("| first")).count(),
        6,
        "{table}"
    );
}

/// The parameters the product ships are the fit on Twitter15, as
/// `fit-prediction` prints it.
#[test]
fn the_shipped_prediction_defaults_are_the_fit_on_twitter15() {
    let (_tmp, dataset) = unpacked();
    let printed = cascade_cli("fit-prediction", &dataset);
    let shipped = include_str!("../../../app/analytics/src/cascade/prediction_defaults.in");
    let numbers = |t: &str| -> Vec<f64> {
        t.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap())
            .collect()
    };
    let (a, b) = (numbers(&printed), numbers(shipped));
    assert_eq!(a.len(), b.len(), "{printed}");
    assert_eq!(a.len(), 7 * (1 + 5 * 4));
    for (x, y) in a.iter().zip(&b) {
        assert!(
            (x - y).abs() < 1e-6,
            "{x} vs {y}: regenerate prediction_defaults.in with `server cascade fit-prediction`"
        );
    }
}

#[test]
fn a_bad_file_is_named_and_the_others_still_print() {
    let (_tmp, dataset) = unpacked();
    let tree = dataset.join("tree");
    let good = tree.join("265953285247209472.txt");
    let bad = tree.join("000bad.txt");
    std::fs::write(
        &bad,
        "['ROOT', 'ROOT', '0.0']->['1', '2', '0.0']\nthis is not an edge\n",
    )
    .unwrap();
    let missing = dataset.join("nope.txt");
    let out = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["cascade", "metrics", "--format", "twitter15"])
        .arg(&bad)
        .arg(&missing)
        .arg(&good)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stdout.lines().count(),
        2,
        "header and the good tree: {stdout}"
    );
    assert!(
        stdout
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("twitter15,265953285247209472,false,"),
        "{stdout}"
    );
    assert!(stderr.contains("000bad.txt: line 2: no `->`"), "{stderr}");
    assert!(
        stderr.contains("nope.txt: no such file or folder"),
        "{stderr}"
    );
}
