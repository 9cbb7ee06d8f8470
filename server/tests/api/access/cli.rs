//! The accounts' command line against a real database, and the demo start:
//! its one link signs in, and no secret reaches the log.

use super::sessions::{set_cookie, sign_in, token_of};
use super::*;
use std::io::Write;
use std::process::{Command, Stdio};

fn server(db: &str, args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "info")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[tokio::test]
async fn users_members_and_scoped_keys_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_db(dir.path(), "cliusers");
    let run = |args: &[&str], stdin: Option<&str>| server(&url, args, stdin);
    assert!(
        run(
            &["workspace", "create", "--slug", "acme", "--name", "Acme"],
            None
        )
        .0
    );
    let (ok, out, err) = run(
        &[
            "user",
            "create",
            "--email",
            "Ann@Example.com",
            "--name",
            "Ann",
            "--password-stdin",
        ],
        Some("s3cret pass word\n"),
    );
    assert!(ok, "{err}");
    assert!(
        out.contains("ann@example.com") && !out.contains("#signin="),
        "{out}"
    );
    let (ok, out, _) = run(
        &[
            "user",
            "create",
            "--email",
            "bo@example.com",
            "--name",
            "Bo",
        ],
        None,
    );
    assert!(ok);
    let link = out.lines().last().unwrap();
    assert!(
        link.starts_with("http://127.0.0.1:3000/sign-in#signin=") && link.len() > 40,
        "{link}"
    );
    let (_, out, _) = run(
        &[
            "--public-url",
            "https://dash.example.com/",
            "user",
            "reset-password",
            "--email",
            "bo@example.com",
        ],
        None,
    );
    assert!(
        out.lines()
            .last()
            .unwrap()
            .starts_with("https://dash.example.com/sign-in#signin="),
        "{out}"
    );
    let (ok, _, err) = run(
        &[
            "member",
            "add",
            "--workspace",
            "acme",
            "--email",
            "ann@example.com",
            "--role",
            "boss",
        ],
        None,
    );
    assert!(!ok && err.contains("role \"boss\" is unknown"), "{err}");
    assert!(
        run(
            &[
                "member",
                "add",
                "--workspace",
                "acme",
                "--email",
                "ann@example.com",
                "--role",
                "analyst"
            ],
            None
        )
        .0
    );
    let (ok, _, err) = run(
        &[
            "member",
            "add",
            "--workspace",
            "acme",
            "--email",
            "ann@example.com",
            "--role",
            "viewer",
        ],
        None,
    );
    assert!(!ok && err.contains("already a member"), "{err}");
    let (_, out, _) = run(&["member", "list", "--workspace", "acme"], None);
    assert_eq!(
        out.trim_end_matches('\n'),
        "ann@example.com\tAnn\tanalyst\t"
    );
    let (_, out, _) = run(
        &[
            "api-key",
            "create",
            "--workspace",
            "acme",
            "--scope",
            "read",
        ],
        None,
    );
    let key = out.lines().last().unwrap().to_string();
    let (ok, _, err) = run(
        &[
            "api-key",
            "create",
            "--workspace",
            "acme",
            "--scope",
            "write",
        ],
        None,
    );
    assert!(!ok && err.contains("scope \"write\" is unknown"), "{err}");

    // The password works over the API; the read key reads but cannot ingest.
    let db = Db::open(&url).await.unwrap();
    let state = AppState::new(db.clone());
    assert_eq!(
        sign_in(&state, "ann@example.com", "s3cret pass word")
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let bearer = [("authorization", format!("Bearer {key}"))];
    assert_eq!(
        send(&state, "GET", "/api/v1/campaigns", &bearer, "")
            .await
            .status,
        StatusCode::OK
    );
    let r = send(&state, "POST", "/api/v1/ingest", &bearer, "{}").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(String::from_utf8_lossy(&r.body).contains("no `ingest` scope"));
    let (_, out, _) = run(&["api-key", "list", "--workspace", "acme"], None);
    let row = out.lines().nth(1).unwrap();
    assert!(
        row.contains("\tread\t") && !row.ends_with("never\tactive"),
        "last use recorded: {row}"
    );
    // Disabled: sign-in refused, sessions ended at once.
    let session = token_of(&set_cookie(
        &sign_in(&state, "ann@example.com", "s3cret pass word").await,
    ));
    assert!(run(&["user", "disable", "--email", "ann@example.com"], None).0);
    assert_eq!(
        sign_in(&state, "ann@example.com", "s3cret pass word")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let me = send(
        &state,
        "GET",
        "/api/v1/me",
        &[("cookie", format!("{SESSION_COOKIE}={session}"))],
        "",
    )
    .await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    let (_, out, _) = run(&["user", "list"], None);
    assert!(out.contains("ann@example.com\tAnn\tdisabled"), "{out}");
    assert!(
        run(
            &[
                "member",
                "remove",
                "--workspace",
                "acme",
                "--email",
                "ann@example.com"
            ],
            None
        )
        .0
    );
    for help in [
        &["user", "--help"][..],
        &["member", "add", "--help"],
        &["api-key", "create", "--help"],
    ] {
        let (ok, out, _) = run(help, None);
        assert!(ok && out.contains("Usage"), "{help:?}");
    }
}

/// The demo start prints one link that signs in; neither it nor a
/// password ever reaches the log.
#[tokio::test]
async fn the_demo_link_signs_in_and_no_secret_reaches_the_log() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_db(dir.path(), "demolog");
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .args([
            "serve",
            "--demo",
            "--addr",
            "127.0.0.1:0",
            "--database-url",
            &url,
        ])
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let log = std::thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let url_line = line
        .trim()
        .strip_prefix("Dashboard: ")
        .unwrap_or_else(|| panic!("{line}"))
        .to_string();
    let (base, secret) = url_line.split_once("/sign-in#signin=").unwrap();
    // Sign in over real HTTP, with the link and then with a password set.
    let post = |path: &str, body: String, cookie: Option<&str>, method: &str| {
        let addr = base.strip_prefix("http://").unwrap().to_string();
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
            body.len()
        );
        if let Some(c) = cookie {
            req.push_str(&format!("Cookie: {c}\r\n"));
        }
        req.push_str("\r\n");
        req.push_str(&body);
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        std::io::Write::write_all(&mut s, req.as_bytes()).unwrap();
        let mut out = String::new();
        std::io::Read::read_to_string(&mut s, &mut out).unwrap();
        out
    };
    let r = post(
        "/api/v1/session",
        serde_json::json!({"link": secret}).to_string(),
        None,
        "POST",
    );
    assert!(r.starts_with("HTTP/1.1 204"), "{r}");
    let cookie = r
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let password = "a password nobody logs";
    let r = post(
        "/api/v1/me/password",
        serde_json::json!({"password": password}).to_string(),
        Some(&cookie),
        "PUT",
    );
    assert!(r.starts_with("HTTP/1.1 204"), "{r}");
    let r = post(
        "/api/v1/session",
        serde_json::json!({"email": "demo@example.com", "password": password}).to_string(),
        None,
        "POST",
    );
    assert!(r.starts_with("HTTP/1.1 204"), "{r}");
    let r = post(
        "/api/v1/session",
        serde_json::json!({"email": "demo@example.com", "password": "wrong one"}).to_string(),
        None,
        "POST",
    );
    assert!(r.starts_with("HTTP/1.1 401"), "{r}");
    child.kill().unwrap();
    child.wait().unwrap();
    let log = log.join().unwrap();
    assert!(log.contains("signed in"), "the log is being read: {log}");
    let session = cookie.split_once('=').unwrap().1;
    for secret in [secret, password, "wrong one", session] {
        assert!(!log.contains(secret), "the log holds a secret: {log}");
    }
    // Two agencies in the demo; the first keeps campaign ids 1–3.
    let db = Db::open(&url).await.unwrap();
    let campaigns = db.list_campaigns().await.unwrap();
    let demo: Vec<i64> = campaigns
        .iter()
        .filter(|c| c.workspace.slug == "demo")
        .map(|c| c.id)
        .collect();
    assert_eq!(
        demo.iter()
            .copied()
            .collect::<std::collections::BTreeSet<_>>(),
        [1, 2, 3].into()
    );
    assert!(campaigns.iter().any(|c| c.workspace.slug == "northwind"));
    let owner = db.user_by_email("demo@example.com").await.unwrap().unwrap();
    let grants = db.grants_of_user(owner.id).await.unwrap();
    assert_eq!(grants.len(), 1);
    assert_eq!(
        (grants[0].workspace.as_str(), grants[0].role),
        ("demo", Role::Owner)
    );
}
