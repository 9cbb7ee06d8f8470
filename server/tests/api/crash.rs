//! Crash test: a client sends 120 batches to a child server and retries
//! whatever was not acknowledged, while the server is killed with SIGKILL
//! at random moments (and once aborts right after a commit, before its
//! acknowledgement) and restarted. Every acknowledged event must be stored
//! exactly once, and SQLite's integrity check must pass.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn cli(db: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .lines()
        .last()
        .unwrap()
        .to_string()
}

fn start(db: &str, crash_after: Option<u32>) -> (Child, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.args(["serve", "--addr", "127.0.0.1:0"])
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "off");
    cmd.stdout(Stdio::piped()).stderr(Stdio::null());
    if let Some(n) = crash_after {
        cmd.env("WOM_CRASH_AFTER_COMMITS", n.to_string());
    }
    let mut child = cmd.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .trim_start_matches("Dashboard: http://")
        .trim_end_matches('/')
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{line}");
    (child, addr)
}

/// POSTs a batch; `Some(body)` if the server answered 200.
fn send(addr: &str, key: &str, body: &str) -> Option<String> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let req = format!(
        "POST /api/v1/ingest HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {key}\r\nContent-Type: application/x-ndjson\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).ok()?;
    let mut reply = String::new();
    s.read_to_string(&mut reply).ok()?;
    reply
        .starts_with("HTTP/1.1 200")
        .then(|| reply.split("\r\n\r\n").nth(1).unwrap_or("").to_string())
}

#[test]
fn acknowledged_events_survive_kills_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = super::fresh_db(dir.path(), "crash");
    cli(
        &db,
        &["workspace", "create", "--slug", "acme", "--name", "Acme"],
    );
    let key = cli(&db, &["api-key", "create", "--workspace", "acme"]);
    let campaign = cli(
        &db,
        &[
            "campaign",
            "create",
            "--workspace",
            "acme",
            "--brand",
            "b",
            "--name",
            "c",
            "--start",
            "2026-03-01",
            "--end",
            "2026-03-31",
        ],
    );
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut rng = analytics::rng::Rng::new(11);
    // The first server aborts right after its fifth commit, before answering.
    let (mut child, mut addr) = start(&db, Some(5));
    let (mut restarts, mut kills, mut retried_duplicates) = (0, 0, 0);
    let mut acknowledged = 0u64;
    for batch in 0..120 {
        let body: String = (0..20)
            .map(|j| format!(
                "{{\"kind\":\"exposure\",\"id\":\"b{batch}-{j}\",\"channel\":\"weibo\",\"user_id\":\"u{j}\",\"post_id\":\"p\",\"time\":\"2026-03-02T10:00:00Z\",\"campaign\":{campaign}}}\n"
            ))
            .collect();
        let mut attempts = 0;
        loop {
            assert!(Instant::now() < deadline, "the crash test ran out of time");
            // Sometimes kill the server while this request is in flight.
            // (Not while the first server is armed to abort after a commit,
            // so that the post-commit crash surely happens.)
            let killer = (restarts > 0 && rng.chance(0.12)).then(|| {
                let pid = child.id();
                let delay = Duration::from_micros(rng.below(4000));
                std::thread::spawn(move || {
                    std::thread::sleep(delay);
                    let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
                })
            });
            let answer = send(&addr, &key, &body);
            if let Some(k) = killer {
                k.join().unwrap();
                kills += 1;
            }
            match answer {
                // A 200 is an acknowledgement, whatever happens to the server next.
                Some(reply) => {
                    let v: serde_json::Value = serde_json::from_str(&reply).unwrap();
                    let (stored, duplicates) = (
                        v["stored"].as_u64().unwrap(),
                        v["duplicates"].as_u64().unwrap(),
                    );
                    assert_eq!(stored + duplicates, 20, "{reply}");
                    if attempts > 0 && duplicates > 0 {
                        retried_duplicates += 1;
                    }
                    acknowledged += 20;
                    break;
                }
                _ => {
                    attempts += 1;
                    let _ = child.kill();
                    let _ = child.wait();
                    (child, addr) = start(&db, None);
                    restarts += 1;
                }
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        restarts >= 1 && kills >= 1,
        "restarts {restarts}, kills {kills}"
    );
    assert!(
        retried_duplicates >= 1,
        "a batch stored before its acknowledgement was retried"
    );

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let db = server::db::Db::open(&db).await.unwrap();
        let (rows, distinct): (i64, i64) =
            sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT client_id) FROM exposures")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(
            (rows as u64, distinct as u64),
            (acknowledged, acknowledged),
            "each acknowledged event exactly once"
        );
        match db.backend() {
            server::db::Backend::Sqlite => {
                let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
                    .fetch_one(db.pool())
                    .await
                    .unwrap();
                assert_eq!(ok, "ok");
            }
            server::db::Backend::Postgres => {
                // amcheck: every B-tree index of the schema is consistent
                // with itself and its table (an error otherwise).
                sqlx::query("CREATE EXTENSION IF NOT EXISTS amcheck")
                    .execute(db.pool())
                    .await
                    .unwrap();
                let checked: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM (SELECT bt_index_check(c.oid, true) FROM pg_index i \
                     JOIN pg_class c ON c.oid = i.indexrelid \
                     WHERE c.relnamespace = 'public'::regnamespace) AS checks",
                )
                .fetch_one(db.pool())
                .await
                .unwrap();
                assert!(checked > 10, "{checked} indexes checked");
            }
        }
    });
    eprintln!(
        "crash test: 120 batches, {kills} kills, {restarts} restarts, {retried_duplicates} retried batches already stored"
    );
}
