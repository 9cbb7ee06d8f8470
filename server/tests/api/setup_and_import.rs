//! Setting up and importing from the command line, as a user would: a
//! workspace, a key, a campaign, then Twitter15 trees imported twice.

use super::twitter15::unpacked;
use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Output};

fn server(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "off")
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn one_line_error(out: &Output, says: &str) {
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.trim().lines().count() == 1 && stderr.contains(says),
        "{stderr}"
    );
}

fn table_counts(db_url: &str) -> Vec<(String, i64)> {
    super::on_own_thread(async {
        let db = server::db::Db::open(db_url).await.unwrap();
        let mut counts = Vec::new();
        for t in [
            "workspaces",
            "brands",
            "campaigns",
            "accounts",
            "posts",
            "cascade_labels",
            "api_keys",
        ] {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {t}"))
                .fetch_one(db.pool())
                .await
                .unwrap();
            counts.push((t.to_string(), n));
        }
        counts
    })
}

#[test]
fn workspace_key_campaign_and_an_idempotent_twitter15_import() {
    // A subset of the real trees keeps this test quick; the full corpus is
    // checked the same way in the note's figures (release build, 21 s).
    let (_tmp, full) = unpacked();
    let dir = tempfile::tempdir().unwrap();
    let dataset = dir.path().join("twitter15");
    std::fs::create_dir_all(dataset.join("tree")).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(full.join("tree"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files.iter().step_by(12) {
        std::fs::copy(f, dataset.join("tree").join(f.file_name().unwrap())).unwrap();
    }
    std::fs::copy(full.join("label.txt"), dataset.join("label.txt")).unwrap();
    let subset = std::fs::read_dir(dataset.join("tree")).unwrap().count();
    let db = super::fresh_db(dir.path(), "wom");

    ok(&server(
        &db,
        &[
            "workspace",
            "create",
            "--slug",
            "acme",
            "--name",
            "Acme 代理",
            "--timezone",
            "Asia/Shanghai",
        ],
    ));
    one_line_error(
        &server(
            &db,
            &["workspace", "create", "--slug", "acme", "--name", "again"],
        ),
        "already exists",
    );
    one_line_error(
        &server(
            &db,
            &["workspace", "create", "--slug", "x y", "--name", "n"],
        ),
        "workspace slug",
    );
    // A tracked competitor, with its listening keywords.
    let rival = ok(&server(
        &db,
        &[
            "brand",
            "create",
            "--workspace",
            "acme",
            "--name",
            "竞品",
            "--competitor",
            "--keywords",
            "竞品,rival",
        ],
    ))
    .lines()
    .last()
    .unwrap_or_default()
    .to_string();
    assert!(rival.parse::<i64>().is_ok(), "{rival}");
    let listed = server(&db, &["brand", "list", "--workspace", "acme"]);
    assert_eq!(
        String::from_utf8_lossy(&listed.stdout).trim(),
        format!("{rival}\t竞品\tcompetitor\t竞品,rival")
    );
    one_line_error(
        &server(
            &db,
            &["brand", "create", "--workspace", "acme", "--name", "竞品"],
        ),
        "already has a brand named",
    );

    let key = ok(&server(
        &db,
        &["api-key", "create", "--workspace", "acme", "--name", "ci"],
    ));
    let key = key.trim().lines().last().unwrap().to_string();
    assert!(key.starts_with("wom_") && key.len() == 52, "{key}");
    let listed = ok(&server(&db, &["api-key", "list", "--workspace", "acme"]));
    assert!(
        listed.contains(&format!("{}…", &key[..12])) && !listed.contains(&key),
        "{listed}"
    );
    one_line_error(
        &server(&db, &["api-key", "create", "--workspace", "nope"]),
        "no workspace has slug \"nope\"",
    );

    let campaign = ok(&server(
        &db,
        &[
            "campaign",
            "create",
            "--workspace",
            "acme",
            "--brand",
            "Rumour Watch",
            "--name",
            "Twitter15 replay",
            "--start",
            "2015-01-01",
            "--end",
            "2015-12-31",
            "--channels",
            "x",
            "--budget",
            "1000",
        ],
    ));
    let campaign = campaign.trim().lines().last().unwrap().to_string();
    one_line_error(
        &server(
            &db,
            &[
                "campaign",
                "create",
                "--workspace",
                "acme",
                "--brand",
                "b",
                "--name",
                "n",
                "--start",
                "2015-01-01",
                "--end",
                "2015-01-01",
                "--channels",
                "myspace",
            ],
        ),
        "channel \"myspace\" is unknown",
    );

    let dataset_arg = dataset.to_str().unwrap();
    let first = ok(&server(
        &db,
        &[
            "import",
            "--workspace",
            "acme",
            "--campaign",
            &campaign,
            "--format",
            "twitter15",
            dataset_arg,
        ],
    ));
    assert!(
        first.contains(&format!("imported {subset} trees from {subset} files")),
        "{first}"
    );
    assert!(
        first.contains("0 duplicates skipped, 0 conflicts"),
        "{first}"
    );
    let before = table_counts(&db);
    let second = ok(&server(
        &db,
        &[
            "import",
            "--workspace",
            "acme",
            "--campaign",
            &campaign,
            "--format",
            "twitter15",
            dataset_arg,
        ],
    ));
    assert!(second.contains(": 0 posts stored,"), "{second}");
    assert_eq!(
        table_counts(&db),
        before,
        "a second import adds no row anywhere"
    );

    // The stored cascades' metrics equal the files' (label and n … t_max).
    let from_files = ok(&server(&db, &["cascade", "metrics", dataset_arg]));
    let stored = ok(&server(
        &db,
        &[
            "cascade",
            "metrics",
            "--workspace",
            "acme",
            "--campaign",
            &campaign,
        ],
    ));
    let rows = |csv: &str, key: fn(&str) -> String| -> HashMap<String, Vec<String>> {
        csv.lines()
            .skip(1)
            .map(|l| {
                let cols: Vec<String> = l.split(',').map(String::from).collect();
                let mut wanted = vec![cols[2].clone()];
                wanted.extend(cols[9..].iter().cloned());
                (key(&cols[1]), wanted)
            })
            .collect()
    };
    let files_rows = rows(&from_files, |id| id.to_string());
    let stored_rows = rows(&stored, |id| {
        id.split('-').nth(1).unwrap_or_default().to_string()
    });
    assert_eq!(files_rows.len(), subset);
    assert_eq!(stored_rows, files_rows);

    // Wrong campaign or workspace: one clear line, nothing stored.
    one_line_error(
        &server(
            &db,
            &[
                "import",
                "--workspace",
                "acme",
                "--campaign",
                "999",
                dataset_arg,
            ],
        ),
        "no campaign 999 in workspace \"acme\"",
    );
    // A broken file is named; the good ones are still imported.
    let broken = dir.path().join("broken");
    std::fs::create_dir_all(broken.join("tree")).unwrap();
    std::fs::write(
        broken.join("tree/1.txt"),
        "['ROOT', 'ROOT', '0.0']->['1', '1', '0.0']\nnot an edge\n",
    )
    .unwrap();
    std::fs::copy(
        files[1].clone(),
        broken.join("tree").join(files[1].file_name().unwrap()),
    )
    .unwrap();
    let out = server(
        &db,
        &[
            "import",
            "--workspace",
            "acme",
            "--campaign",
            &campaign,
            "--format",
            "twitter15",
            broken.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1.txt: line 2: no `->`"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported 1 trees from 2 files"));

    // NDJSON and CSV event files into the same campaign: bad lines are
    // skipped and named, good ones stored; a re-run stores nothing;
    // --strict makes a file all-or-nothing.
    let events = dir.path().join("events.ndjson");
    std::fs::write(
        &events,
        "{\"kind\":\"account\",\"id\":\"acc1\",\"channel\":\"x\",\"user_id\":\"brand\",\"type\":\"owned\"}\n\
         {\"kind\":\"exposure\",\"id\":\"x1\",\"channel\":\"x\",\"user_id\":\"u1\",\"post_id\":\"p\",\"time\":\"2015-03-01T00:00:00Z\"}\n\
         {\"kind\":\"exposure\",\"id\":\"x2\",\"channel\":\"x\",\"user_id\":\"u2\",\"post_id\":\"p\",\"time\":\"yesterday\"}\n\
         {\"kind\":\"mention\",\"id\":\"m1\",\"brand\":\"Rumour Watch\",\"channel\":\"x\",\"author\":\"u3\",\"time\":\"2015-03-01T00:00:00Z\",\"text\":\"谣言？🤔\"}\n\
         {\"kind\":\"mention\",\"id\":\"m2\",\"brand\":\"Nobody\",\"channel\":\"x\",\"author\":\"u3\",\"time\":\"2015-03-01T00:00:00Z\"}\n",
    )
    .unwrap();
    let import = |extra: &[&str], file: &Path| {
        let mut args = vec![
            "import",
            "--workspace",
            "acme",
            "--campaign",
            campaign.as_str(),
        ];
        args.extend_from_slice(extra);
        args.push(file.to_str().unwrap());
        server(&db, &args)
    };
    let out = import(&[], &events);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("events.ndjson: line 3: time:"), "{stderr}");
    assert!(
        stderr.contains("events.ndjson: line 5: brand: \"Nobody\" is not a brand"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("3 events stored, 0 duplicates skipped, 2 lines rejected"),
        "{stdout}"
    );
    let before = table_counts(&db);
    let again = import(&[], &events);
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("0 events stored, 3 duplicates skipped")
    );
    assert_eq!(table_counts(&db), before);
    let csv = dir.path().join("events.csv");
    std::fs::write(
        &csv,
        "kind,id,channel,user_id,post_id,time\nexposure,x3,x,u4,p,2015-03-02T00:00:00Z\nexposure,x4,x,u5,p,nope\n",
    )
    .unwrap();
    let strict = import(&["--format", "csv", "--strict"], &csv);
    assert!(!strict.status.success());
    assert!(
        String::from_utf8_lossy(&strict.stdout).contains("0 events stored"),
        "strict stores nothing of a bad file"
    );
    let loose = import(&["--format", "csv"], &csv);
    assert!(String::from_utf8_lossy(&loose.stdout).contains("1 events stored"));
    let revoked = ok(&server(
        &db,
        &["api-key", "revoke", "--workspace", "acme", &key],
    ));
    assert!(revoked.contains("revoked key 1"), "{revoked}");
    assert!(ok(&server(&db, &["api-key", "list", "--workspace", "acme"])).contains("revoked"));
}
