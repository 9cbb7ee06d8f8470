//! The binary itself: one clear line and a non-zero exit for bad input.

use std::process::Command;

fn server() -> Command {
    Command::new(env!("CARGO_BIN_EXE_server"))
}

fn fails_with(cmd: &mut Command, says: &[&str]) {
    let out = cmd.env("RUST_LOG", "off").output().expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    for s in says {
        assert!(lines[0].contains(s), "{s:?} missing from {stderr}");
    }
}

#[test]
fn a_port_in_use_is_one_clear_line() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    fails_with(
        server()
            .args(["serve", "--addr", &addr, "--database-url"])
            .arg(format!("sqlite:{}/x.db", dir.path().display())),
        &["cannot listen on", &addr],
    );
}

#[test]
fn an_unusable_database_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "not a folder").unwrap();
    // The database would need a folder where a file stands.
    let url = format!("sqlite://{}/sub/wom.db", file.display());
    fails_with(
        server().args(["--addr", "127.0.0.1:0", "--database-url", &url]),
        &["database"],
    );
    fails_with(
        server()
            .args(["--addr", "127.0.0.1:0"])
            .env("DATABASE_URL", "mysql://x/y"),
        &["unsupported database URL"],
    );
    // PostgreSQL not listening: the reason at once, the password hidden.
    let out = server()
        .args(["workspace", "list"])
        .env("DATABASE_URL", "postgres://wom:s3cret@127.0.0.1:1/wom")
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.starts_with("error: cannot open database postgres://wom:***@127.0.0.1:1/wom: ")
            && !stderr.contains("s3cret")
            && stderr.to_lowercase().contains("refused")
            && stderr.trim().lines().count() == 1,
        "{stderr}"
    );
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, vec![7u8; 4096]).unwrap();
    fails_with(
        server()
            .args(["serve", "--addr", "127.0.0.1:0"])
            .arg(format!("--database-url=sqlite:{}", garbage.display())),
        &["cannot", "database"],
    );
}

#[test]
fn help_lists_the_commands_and_global_options() {
    let out = server().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    for s in ["serve", "--database-url", "--addr", "--demo"] {
        assert!(help.contains(s), "{s} missing from --help");
    }
    // The global option is accepted after the subcommand too.
    let out = server()
        .args(["serve", "--database-url", "sqlite::memory:", "--help"])
        .output()
        .unwrap();
    assert!(out.status.success());
    // ...and before it.
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/cli.db", dir.path().display());
    let out = server()
        .args(["--database-url", &url, "workspace", "list"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // serve's options before another subcommand are refused, not ignored.
    let out = server()
        .args(["--database-url", &url, "--demo", "workspace", "list"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("--demo is an option of `serve`, not of `workspace`"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
