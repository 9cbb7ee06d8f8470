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
    let out = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["cascade", command, "--format", "twitter15"])
        .arg(dataset)
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

#[test]
fn prediction_is_evaluated_at_one_and_six_hours() {
    let (_tmp, dataset) = unpacked();
    let table = cascade_cli("evaluate-prediction", &dataset);
    let rows: Vec<&str> = table.lines().filter(|l| l.starts_with("| first")).collect();
    assert_eq!(rows.len(), 2, "{table}");
    assert!(
        rows[0].starts_with("| first 1 h | 1490 |") && rows[1].starts_with("| first 6 h | 1490 |"),
        "{table}"
    );
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
