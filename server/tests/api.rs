//! The server's one integration test binary: the HTTP API, the embedded app
//! and the demo workspace, on real SQLite files or, with `WOM_TEST_POSTGRES`
//! set, on databases of a real PostgreSQL server (the test command runs it
//! both ways); and the binary's command line. Every API figure is checked against a plain SQL count over the raw
//! demo events, written independently of the API's own queries.

use analytics::wire::{Campaign, CampaignSummary, ErrorBody, Health};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use server::db::Db;
use server::demo::{self, Demo, DemoSize};
use server::http::{AppState, app};
use std::sync::OnceLock;
use tower::ServiceExt;

#[path = "api/access.rs"]
mod access;

/// The PostgreSQL server to test against, from `WOM_TEST_POSTGRES` (a URL
/// whose user may create databases, e.g.
/// `postgres://wom:wom@127.0.0.1:5432/postgres`); unset: SQLite files.
fn postgres_server() -> Option<String> {
    std::env::var("WOM_TEST_POSTGRES")
        .ok()
        .filter(|s| !s.is_empty())
}

/// Runs `f` to completion on a runtime of its own (tests call this from
/// inside theirs, or from none).
fn on_own_thread<T: Send>(f: impl std::future::Future<Output = T> + Send) -> T {
    std::thread::scope(|s| {
        s.spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(f)
        })
        .join()
        .unwrap()
    })
}

/// The URL of a new, empty database for one test: an SQLite file `name` in
/// `dir`, or a database of its own on the PostgreSQL server under test.
fn fresh_db(dir: &std::path::Path, name: &str) -> String {
    let Some(server) = postgres_server() else {
        return format!("sqlite://{}", dir.join(format!("{name}.db")).display());
    };
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let db = format!(
        "wom_t_{}_{}_{name}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    );
    on_own_thread(async {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&server)
            .await
            .expect("connect to the PostgreSQL server under test");
        sqlx::query(&format!("CREATE DATABASE {db}"))
            .execute(&mut conn)
            .await
            .expect("create a test database");
    });
    let base = server.rsplit_once('/').map_or(server.as_str(), |(b, _)| b);
    format!("{base}/{db}")
}

/// The demo workspace, generated once and stored in one SQLite file that the
/// read-only tests share.
struct Fixture {
    url: String,
    demo: Demo,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir").keep();
        let url = fresh_db(&dir, "demo");
        let demo = demo::generate(DemoSize::Small);
        on_own_thread(async {
            let db = Db::open(&url).await.expect("open");
            demo::load::store(&db, &demo).await.expect("store demo");
            db.pool().close().await;
        });
        Fixture { url, demo }
    })
}

async fn demo_db() -> Db {
    Db::open(&fixture().url).await.expect("open demo db")
}

struct Reply {
    status: StatusCode,
    headers: header::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not the expected JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
    fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

async fn call(db: &Db, method: &str, uri: &str, headers: &[(&str, &str)]) -> Reply {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app(AppState::new(db.clone()))
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

/// A `Cookie` header signing in a tester who may read every workspace of
/// `db` (a viewer of each, made a member of any workspace created since the
/// last call): what the read tests use, now that no read is open.
async fn reader_cookie(db: &Db) -> String {
    let user: i64 = match db.user_by_email("reader@test.example").await.unwrap() {
        Some(u) => u.id,
        None => match db.create_user("reader@test.example", "Reader", None).await {
            Ok(u) => u.id,
            // Another test made it meanwhile.
            Err(_) => {
                db.user_by_email("reader@test.example")
                    .await
                    .unwrap()
                    .unwrap()
                    .id
            }
        },
    };
    sqlx::query(
        "INSERT INTO memberships (workspace_id, user_id, role, created_at) \
         SELECT id, $1, 'viewer', 0 FROM workspaces WHERE true ON CONFLICT DO NOTHING",
    )
    .bind(user)
    .execute(db.pool())
    .await
    .unwrap();
    let token = db.create_session(user, false).await.unwrap();
    format!("{}={token}", server::http::SESSION_COOKIE)
}

/// `GET uri` as a reader of every workspace.
async fn get(db: &Db, uri: &str) -> Reply {
    let cookie = reader_cookie(db).await;
    call(db, "GET", uri, &[("cookie", &cookie)]).await
}

/// The parts of a cascade page the tests read.
#[derive(serde::Deserialize)]
struct CascadePageLite {
    total: u64,
    items: Vec<CascadeItemLite>,
}

#[derive(serde::Deserialize)]
struct CascadeItemLite {
    posted_at: i64,
}

/// A counter summed over every account row.
fn of_all(rows: &[analytics::wire::AccountDay], f: fn(&analytics::wire::AccountDay) -> u64) -> i64 {
    rows.iter().map(f).sum::<u64>() as i64
}

async fn sql_count(db: &Db, sql: &str, campaign: i64) -> u64 {
    sqlx::query_scalar::<_, i64>(sql)
        .bind(campaign)
        .fetch_one(db.pool())
        .await
        .unwrap() as u64
}

#[tokio::test]
async fn health_answers_json() {
    let db = demo_db().await;
    let r = get(&db, "/api/v1/health").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.header(header::CONTENT_TYPE)
            .starts_with("application/json")
    );
    let h: Health = r.json();
    assert_eq!(h.status, "ok");
    assert_eq!(h.database, "ok");
}

#[tokio::test]
async fn campaigns_are_listed_with_brand_channels_and_dates() {
    let db = demo_db().await;
    let r = get(&db, "/api/v1/campaigns").await;
    assert_eq!(r.status, StatusCode::OK);
    let raw: serde_json::Value = r.json();
    assert!(
        raw.as_array()
            .unwrap()
            .iter()
            .all(|c| c["id"].as_u64().is_some_and(|id| id > 0))
    );
    let list: Vec<Campaign> = r.json();
    assert_eq!(list.len(), 3);
    let spring = list
        .iter()
        .find(|c| c.name.starts_with("春季新品上市"))
        .expect("the flagship campaign");
    assert_eq!(spring.workspace.slug, "demo");
    assert_eq!(spring.workspace.timezone, "Asia/Shanghai");
    assert_eq!(spring.brand.name, "茶语 TeaWhisper");
    assert_eq!(spring.start_date, "2026-03-01");
    assert_eq!(spring.end_date, "2026-03-28");
    assert!(spring.channels.len() >= 3);
    assert!(list.iter().all(|c| c.budget_cents.is_some_and(|b| b > 0)));
    let brands: std::collections::BTreeSet<_> = list.iter().map(|c| c.brand.id).collect();
    assert!(brands.len() >= 2, "campaigns of at least two client brands");
}

/// The API's KPIs equal plain SQL over the raw events of each campaign.
#[tokio::test]
async fn summary_kpis_equal_plain_sql_over_raw_events() {
    let db = demo_db().await;
    let list: Vec<Campaign> = get(&db, "/api/v1/campaigns").await.json();
    for c in list {
        let r = get(&db, &format!("/api/v1/campaigns/{}/summary", c.id)).await;
        assert_eq!(r.status, StatusCode::OK);
        let s: CampaignSummary = r.json();
        let k = &s.kpis;
        let id = c.id;
        assert_eq!(
            k.impressions,
            sql_count(
                &db,
                "SELECT COUNT(*) FROM exposures WHERE campaign_id = $1",
                id
            )
            .await
        );
        assert_eq!(
            k.unique_reach,
            sql_count(&db, "SELECT COUNT(*) FROM (SELECT DISTINCT channel, user_id FROM exposures WHERE campaign_id = $1) AS u", id).await
        );
        assert_eq!(
            k.engagements,
            sql_count(
                &db,
                "SELECT COUNT(*) FROM engagements WHERE campaign_id = $1",
                id
            )
            .await
        );
        assert_eq!(
            k.reposts,
            sql_count(
                &db,
                "SELECT COUNT(*) FROM posts WHERE campaign_id = $1 AND parent_client_id IS NOT NULL",
                id
            )
            .await
        );
        assert_eq!(
            k.posts,
            sql_count(
                &db,
                "SELECT COUNT(*) FROM posts WHERE campaign_id = $1 AND parent_client_id IS NULL",
                id
            )
            .await
        );
        assert_eq!(
            k.new_fans,
            sql_count(
                &db,
                "SELECT COUNT(*) FROM follows WHERE campaign_id = $1 AND action = 'follow'",
                id
            )
            .await
        );
        assert_eq!(
            k.unfollows,
            sql_count(
                &db,
                "SELECT COUNT(*) FROM follows WHERE campaign_id = $1 AND action = 'unfollow'",
                id
            )
            .await
        );
        assert_eq!(
            k.conversions,
            sql_count(
                &db,
                "SELECT COUNT(*) FROM conversions WHERE campaign_id = $1",
                id
            )
            .await
        );
        assert_eq!(
            k.revenue_cents as u64,
            sql_count(
                &db,
                "SELECT CAST(COALESCE(SUM(value_cents), 0) AS BIGINT) FROM conversions WHERE campaign_id = $1",
                id
            )
            .await
        );
        assert!(
            k.impressions > 10_000
                && k.unique_reach < k.impressions
                && k.new_fans > 100
                && k.conversions > 10
        );

        // The daily series covers every day of the campaign and adds up to the totals.
        assert_eq!(s.daily.first().unwrap().date, c.start_date);
        assert_eq!(s.daily.last().unwrap().date, c.end_date);
        let days = analytics::date::Date::parse(&c.start_date)
            .unwrap()
            .through(analytics::date::Date::parse(&c.end_date).unwrap())
            .count();
        assert_eq!(s.daily.len(), days);
        assert_eq!(
            s.daily.iter().map(|d| d.impressions).sum::<u64>(),
            k.impressions
        );
        assert_eq!(
            s.daily.iter().map(|d| d.new_reach).sum::<u64>(),
            k.unique_reach
        );
        assert_eq!(s.daily.iter().map(|d| d.new_fans).sum::<u64>(), k.new_fans);
        assert_eq!(
            s.daily.iter().map(|d| d.conversions).sum::<u64>(),
            k.conversions
        );
    }
}

#[tokio::test]
async fn bad_ids_and_routes_get_json_errors() {
    let db = demo_db().await;
    let cases = [
        (
            "GET",
            "/api/v1/campaigns/999999/summary",
            StatusCode::NOT_FOUND,
            "not_found",
            "999999",
        ),
        (
            "GET",
            "/api/v1/campaigns/abc/summary",
            StatusCode::BAD_REQUEST,
            "bad_request",
            "positive integer",
        ),
        (
            "GET",
            "/api/v1/campaigns/0/summary",
            StatusCode::BAD_REQUEST,
            "bad_request",
            "positive integer",
        ),
        (
            "GET",
            "/api/v1/campaigns/-4/summary",
            StatusCode::BAD_REQUEST,
            "bad_request",
            "positive integer",
        ),
        (
            "GET",
            "/api/v1/nothing-here",
            StatusCode::NOT_FOUND,
            "not_found",
            "/api/v1/nothing-here",
        ),
        (
            "DELETE",
            "/api/v1/campaigns",
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "DELETE",
        ),
        (
            "GET",
            "/api/v1/campaigns/99999999999999999999/summary",
            StatusCode::BAD_REQUEST,
            "bad_request",
            "positive integer",
        ),
    ];
    let cookie = reader_cookie(&db).await;
    for (method, uri, status, code, says) in cases {
        let r = call(&db, method, uri, &[("cookie", &cookie)]).await;
        assert_eq!(r.status, status, "{method} {uri}");
        assert!(
            r.header(header::CONTENT_TYPE)
                .starts_with("application/json"),
            "{uri}"
        );
        let e: ErrorBody = r.json();
        assert_eq!(e.error.code, code, "{uri}");
        assert!(e.error.message.contains(says), "{uri}: {}", e.error.message);
    }
}

/// The files of the first load: the page and every script, module and
/// stylesheet it references.
fn first_load_paths(index: &str) -> Vec<String> {
    first_load_paths_of("/index.html", index)
}

/// What a browser loads for a page: the page `page` (whose HTML is
/// `index`), its scripts, module and stylesheet.
fn first_load_paths_of(page: &str, index: &str) -> Vec<String> {
    let mut paths = vec![page.to_string()];
    for attr in ["href=\"", "src=\"", "from '", "import('", "init('"] {
        for piece in index.split(attr).skip(1) {
            let end = piece.find(['"', '\'']).unwrap_or(0);
            let path = &piece[..end];
            let wanted = [".js", ".wasm", ".css"]
                .iter()
                .any(|ext| path.ends_with(ext));
            if wanted && path.starts_with('/') && !paths.iter().any(|p| p == path) {
                paths.push(path.to_string());
            }
        }
    }
    paths
}

#[tokio::test]
async fn the_app_is_embedded_compressed_and_cached() {
    let db = demo_db().await;
    let index = get(&db, "/").await;
    assert_eq!(index.status, StatusCode::OK);
    assert_eq!(
        index.header(header::CONTENT_TYPE),
        "text/html; charset=utf-8"
    );
    assert_eq!(index.header(header::CACHE_CONTROL), "no-cache");
    let html = String::from_utf8(index.body.clone()).unwrap();
    let paths = first_load_paths(&html);
    let wasm = paths
        .iter()
        .find(|p| p.ends_with(".wasm"))
        .expect("the page loads a wasm module");
    let js = paths
        .iter()
        .find(|p| p.ends_with(".js"))
        .expect("the page loads its glue script");
    assert!(
        paths.iter().any(|p| p.ends_with(".css")),
        "the page loads the stylesheet"
    );

    let r = call(
        &db,
        "GET",
        wasm,
        &[("accept-encoding", "gzip, deflate, br")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header(header::CONTENT_TYPE), "application/wasm");
    assert_eq!(r.header(header::CONTENT_ENCODING), "br");
    assert_eq!(
        r.header(header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    let r = call(&db, "GET", js, &[("accept-encoding", "gzip")]).await;
    assert_eq!(r.header(header::CONTENT_ENCODING), "gzip");
    assert_eq!(
        r.header(header::CONTENT_TYPE),
        "text/javascript; charset=utf-8"
    );
    assert_eq!(r.header(header::VARY), "Accept-Encoding");
    let r = get(&db, js).await;
    assert_eq!(
        r.header(header::CONTENT_ENCODING),
        "",
        "no encoding unless asked for"
    );

    // Client routes get the page; missing files do not.
    for route in [
        "/campaigns/1",
        "/campaigns/1?lang=zh-CN",
        "/some/deep/route",
    ] {
        let r = get(&db, route).await;
        assert_eq!(r.status, StatusCode::OK, "{route}");
        assert_eq!(r.body, index.body, "{route}");
    }
    assert_eq!(
        get(&db, "/missing-file.js").await.status,
        StatusCode::NOT_FOUND
    );
    let icon = get(&db, "/favicon.svg").await;
    assert_eq!(icon.status, StatusCode::OK);
    assert_eq!(icon.header(header::CONTENT_TYPE), "image/svg+xml");
}

/// The first-load budget of BENCHMARKS.md: HTML + JS + WASM + CSS, gzip as
/// served, at most 350 KB. A size, not a time: it does not vary between runs.
#[tokio::test]
async fn first_load_stays_within_budget() {
    let db = demo_db().await;
    // Each bundle's first load: the dashboard's, and word of mouth's (its
    // own page and module, served for the cascade and listening routes).
    for (route, page, module) in [
        ("/", "/index.html", "/app-"),
        (
            "/campaigns/1/cascades/c1-k0-n0",
            "/word/index.html",
            "/word/word-",
        ),
    ] {
        let html = String::from_utf8(get(&db, route).await.body).unwrap();
        let paths = first_load_paths_of(page, &html);
        assert!(
            paths
                .iter()
                .any(|p| p.starts_with(module) && p.ends_with(".wasm")),
            "{route} loads {paths:?}"
        );
        let mut total = 0;
        for path in paths {
            let r = call(&db, "GET", &path, &[("accept-encoding", "gzip")]).await;
            assert_eq!(r.status, StatusCode::OK, "{path}");
            total += r.body.len();
        }
        assert!(
            total <= 350_000,
            "the first load of {route} is {total} bytes gzipped, over the 350 KB budget"
        );
    }
}

/// The planted features every later page must reveal are really in the data.
#[tokio::test]
async fn demo_plants_are_in_the_stored_data() {
    let db = demo_db().await;
    let f = fixture();
    let m = &f.demo.manifest;
    let total: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM posts) + (SELECT COUNT(*) FROM exposures) + (SELECT COUNT(*) FROM engagements) \
         + (SELECT COUNT(*) FROM follows) + (SELECT COUNT(*) FROM conversions) + (SELECT COUNT(*) FROM mentions)",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert!(
        (150_000..=260_000).contains(&total),
        "about 2×10^5 events, got {total}"
    );
    assert_eq!(total as usize, f.demo.event_count());

    // Cascade shapes from the raw edges: mostly shallow, the hero one big and deep.
    let edges: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT client_id, parent_client_id, root_client_id FROM posts ORDER BY posted_at, id",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    let parent: std::collections::HashMap<&str, &str> = edges
        .iter()
        .filter_map(|(c, p, _)| p.as_deref().map(|p| (c.as_str(), p)))
        .collect();
    let mut depth_of_root: std::collections::HashMap<&str, (usize, usize)> =
        std::collections::HashMap::new();
    for (c, _, root) in &edges {
        let root = root.as_deref().unwrap_or(c.as_str());
        let mut d = 0;
        let mut v = c.as_str();
        while let Some(p) = parent.get(v) {
            d += 1;
            v = p;
        }
        let e = depth_of_root.entry(root).or_default();
        e.0 += 1;
        e.1 = e.1.max(d);
    }
    let cascades = depth_of_root.len();
    let shallow = depth_of_root.values().filter(|(_, d)| *d <= 3).count();
    assert!(
        shallow as f64 / cascades as f64 >= 0.7,
        "{shallow} of {cascades} cascades are shallow"
    );
    let (hero_n, hero_depth) = depth_of_root[m.hero_root.as_str()];
    let largest = depth_of_root.values().map(|(n, _)| *n).max().unwrap();
    assert_eq!(hero_n, largest, "the hero cascade is the largest");
    assert!(
        (15_000..=21_000).contains(&hero_n),
        "hero cascade has {hero_n} nodes"
    );
    assert!(hero_depth >= 10, "hero cascade depth {hero_depth}");

    // The paid-poster burst: hundreds of reposts of one node within a minute,
    // by accounts with next to no posts or followers.
    let (n, span, low_quality): (i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), MAX(p.posted_at) - MIN(p.posted_at), CAST(SUM(CASE WHEN a.posts <= 3 AND a.followers < 10 THEN 1 ELSE 0 END) AS BIGINT) \
         FROM posts p JOIN accounts a ON a.id = p.account_id WHERE p.client_id LIKE '%burst%' AND p.parent_client_id = $1",
    )
    .bind(&m.burst_parent)
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert!(
        n >= 250 && span <= 60 && low_quality == n,
        "burst: {n} reposts over {span}s, {low_quality} low quality"
    );

    // Zombie fans: a planted share of the flagship campaign's follows by
    // brand-new accounts with no posts that follow thousands.
    let (follows, zombies): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(SUM(CASE WHEN a.posts = 0 AND a.following >= 1000 AND f.at - a.created_at < 30 * 86400 THEN 1 ELSE 0 END) AS BIGINT) \
         FROM follows f JOIN accounts a ON a.platform_id = f.user_id AND a.channel = f.channel \
         WHERE f.campaign_id = 1 AND f.action = 'follow'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    let share = zombies as f64 / follows as f64;
    assert!(
        (0.14..=0.22).contains(&share),
        "zombie share {share:.3} of {follows} follows"
    );
    // The suspect rule (analytics::suspect) finds exactly the planted zombie
    // fans, and the summary splits them out.
    let summary: CampaignSummary = get(&db, "/api/v1/campaigns/1/summary").await.json();
    assert_eq!(
        (summary.suspect.new_fans, summary.kpis.new_fans),
        (zombies as u64, follows as u64)
    );

    // The mention spike: the planted hours are the busiest, far above the median hour.
    let hourly: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT m.at / 3600 * 3600 AS hour, COUNT(*) FROM mentions m JOIN brands b ON b.id = m.brand_id \
         WHERE b.name = $1 GROUP BY hour ORDER BY hour",
    )
    .bind(&m.spike_brand)
    .fetch_all(db.pool())
    .await
    .unwrap();
    let mut counts: Vec<i64> = hourly.iter().map(|(_, n)| *n).collect();
    counts.sort_unstable();
    let median = counts[counts.len() / 2] as f64;
    let (peak_hour, peak) = *hourly.iter().max_by_key(|(_, n)| *n).unwrap();
    assert!(
        peak_hour >= m.spike_start && peak_hour < m.spike_start + i64::from(m.spike_hours) * 3600
    );
    assert!(
        peak as f64 >= 5.0 * median,
        "peak {peak} vs median {median}"
    );

    // Chinese text and emoji are stored byte for byte.
    let text: String =
        sqlx::query_scalar("SELECT text FROM mentions WHERE text LIKE '%👍%' LIMIT 1")
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert!(
        text.starts_with("今天试了") && text.ends_with("味道不错 👍"),
        "{text}"
    );
}

#[tokio::test]
async fn demo_loads_once_into_a_new_file_with_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite:{}",
        dir.path().join("nested/folder/wom.db").display()
    );
    let db = Db::open(&url)
        .await
        .expect("creates the file and its folders");
    let first = demo::load::load_if_absent(&db, DemoSize::Small)
        .await
        .unwrap();
    assert!(first.is_some_and(|s| s.events > 150_000));
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM exposures")
            .fetch_one(db.pool())
            .await
            .unwrap()
    };
    let before = count().await;
    assert!(
        demo::load::load_if_absent(&db, DemoSize::Small)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(count().await, before, "a second --demo adds nothing");
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
}

#[tokio::test]
async fn an_empty_database_lists_no_campaigns() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&fresh_db(dir.path(), "empty")).await.unwrap();
    let r = get(&db, "/api/v1/campaigns").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json::<Vec<Campaign>>(), vec![]);
}

/// The binary itself: one clear line and a non-zero exit for bad input.
mod cli {
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
}

/// The word-of-mouth engine on real data: every Twitter15 tree, unpacked
/// from the fixtures into a temp folder named as the dataset, through the
/// real binary's `cascade metrics`, equals `reference_metrics.csv` in every
/// column (structural virality to 1e-9 relative).
mod twitter15 {
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
            rows[0].starts_with("| first 1 h | 1490 |")
                && rows[1].starts_with("| first 6 h | 1490 |"),
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
}

/// The amplification detector's defaults on the demo's planted paid-poster
/// burst: it is found, and nothing organic is flagged with it.
#[tokio::test]
async fn the_demo_burst_is_flagged_by_the_default_detector() {
    use analytics::cascade::amplification::{AmplificationConfig, detect};
    let db = demo_db().await;
    let m = &fixture().demo.manifest;
    let c = db
        .cascade("demo", &m.hero_root)
        .await
        .unwrap()
        .expect("the hero cascade");
    assert_eq!(c.tree.len(), m.hero_nodes + m.burst_posts.len());
    let flags = detect(&c.tree, &c.features, &AmplificationConfig::default());
    let flagged: std::collections::HashSet<&str> = flags
        .iter()
        .flat_map(|f| f.nodes.iter().map(|&v| c.tree.ids[v as usize].as_str()))
        .collect();
    let planted: std::collections::HashSet<&str> =
        m.burst_posts.iter().map(String::as_str).collect();
    let hits = flagged.intersection(&planted).count();
    let precision = hits as f64 / flagged.len() as f64;
    let recall = hits as f64 / planted.len() as f64;
    eprintln!(
        "demo burst: {} planted, {} flagged, precision {precision:.3}, recall {recall:.3}",
        planted.len(),
        flagged.len()
    );
    assert!(
        precision >= 0.99 && recall >= 0.99,
        "precision {precision}, recall {recall}"
    );
    let clean = c.tree.without(
        &flags
            .iter()
            .flat_map(|f| f.nodes.iter().copied())
            .collect::<Vec<_>>(),
    );
    assert_eq!(clean.len(), m.hero_nodes);
}

/// Setting up and importing from the command line, as a user would: a
/// workspace, a key, a campaign, then Twitter15 trees imported twice.
mod setup_and_import {
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
            String::from_utf8_lossy(&again.stdout)
                .contains("0 events stored, 3 duplicates skipped")
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
}

/// `POST /api/v1/ingest`: keys, atomic batches, duplicates and conflicts,
/// limits, and text stored byte for byte.
mod ingest {
    use super::*;
    use server::db::NewCampaign;

    const BATCH: &str = r#"{"kind":"account","id":"a1","channel":"weibo","user_id":"brand","handle":"茶语官方 🍵","followers":850000,"type":"owned","verified":true}
{"kind":"post","id":"p1","channel":"weibo","author":"brand","time":"2026-03-01T10:00:00+08:00","campaign":CAMPAIGN,"text":"春茶上市 🍵 «限量» \"quoted\""}
{"kind":"post","id":"p2","channel":"weibo","author":"u2","time":"2026-03-01T10:05:00+08:00","campaign":CAMPAIGN,"root_id":"p1","parent_id":"p1"}
{"kind":"exposure","id":"e1","channel":"weibo","user_id":"u3","post_id":"p1","time":"2026-03-01T10:01:00+08:00","campaign":CAMPAIGN}
{"kind":"engagement","id":"g1","channel":"weibo","user_id":"u3","post_id":"p1","action":"like","time":"2026-03-01T10:02:00+08:00","campaign":CAMPAIGN}
{"kind":"follow","id":"f1","channel":"weibo","user_id":"u3","account":"brand","time":"2026-03-01T10:03:00+08:00","campaign":CAMPAIGN}
{"kind":"conversion","id":"c1","channel":"weibo","user_id":"u3","action":"purchase","value":"89.90","post_id":"p1","time":"2026-03-02T10:00:00+08:00","campaign":CAMPAIGN}
"#;

    async fn post(db: &Db, key: Option<&str>, content_type: &str, body: String) -> Reply {
        post_to(db, "/api/v1/ingest", key, content_type, body).await
    }

    async fn post_to(
        db: &Db,
        uri: &str,
        key: Option<&str>,
        content_type: &str,
        body: String,
    ) -> Reply {
        let mut req = Request::builder()
            .method("POST")
            .uri(uri)
            .header("content-type", content_type);
        if let Some(k) = key {
            req = req.header("authorization", format!("Bearer {k}"));
        }
        let res = app(AppState::new(db.clone()))
            .oneshot(req.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    async fn rows(db: &Db) -> i64 {
        sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM posts) + (SELECT COUNT(*) FROM exposures) + (SELECT COUNT(*) FROM engagements) \
             + (SELECT COUNT(*) FROM follows) + (SELECT COUNT(*) FROM conversions) + (SELECT COUNT(*) FROM accounts)",
        )
        .fetch_one(db.pool())
        .await
        .unwrap()
    }

    async fn campaign(db: &Db, workspace: &str) -> i64 {
        db.create_campaign(&NewCampaign {
            workspace: workspace.into(),
            brand: "茶语".into(),
            competitor: false,
            name: "Spring".into(),
            start: "2026-03-01".into(),
            end: "2026-03-28".into(),
            budget: Some("1000".into()),
            currency: "CNY".into(),
            channels: vec!["weibo".into()],
            keywords: vec![],
        })
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn brands_and_campaigns_are_set_up_with_a_workspace_key() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&super::fresh_db(dir.path(), "s")).await.unwrap();
        db.create_workspace("acme", "Acme", "Asia/Shanghai")
            .await
            .unwrap();
        let (_, key) = db
            .create_api_key("acme", "setup", server::access::Scopes::DEFAULT)
            .await
            .unwrap();
        let json = "application/json";
        let brand =
            r#"{"name": "竞品 Rival", "competitor": true, "keywords": ["竞品", "rival", "竞品"]}"#;
        let r = post_to(&db, "/api/v1/brands", None, json, brand.into()).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let r = post_to(&db, "/api/v1/brands", Some(&key), json, brand.into()).await;
        assert_eq!(r.status, StatusCode::CREATED);
        let created: analytics::wire::Brand = r.json();
        assert_eq!(
            (
                created.name.as_str(),
                created.competitor,
                created.keywords.clone()
            ),
            (
                "竞品 Rival",
                true,
                vec!["竞品".to_string(), "rival".to_string()]
            )
        );
        let r = post_to(&db, "/api/v1/brands", Some(&key), json, brand.into()).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(
            r.json::<ErrorBody>()
                .error
                .message
                .contains("already has a brand")
        );
        let r = post_to(
            &db,
            "/api/v1/brands",
            Some(&key),
            json,
            r#"{"name": 3}"#.into(),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(
            r.json::<ErrorBody>()
                .error
                .message
                .contains("line 1, column")
        );
        let listed: Vec<analytics::wire::Brand> = get(&db, "/api/v1/brands").await.json();
        assert_eq!(listed, vec![created.clone()]);

        let campaign = |channels: &str, end: &str| {
            format!(
                r#"{{"brand": "茶语", "name": "夏季 Summer", "start": "2026-06-01", "end": "{end}", "budget": "50000.50", "channels": [{channels}], "keywords": ["夏茶", " ", "夏茶"]}}"#
            )
        };
        for (body, says) in [
            (
                campaign(r#""weibo", "myspace""#, "2026-06-30"),
                "channel \"myspace\" is unknown",
            ),
            (
                campaign(r#""weibo""#, "2026-05-30"),
                "before the start date",
            ),
        ] {
            let r = post_to(&db, "/api/v1/campaigns", Some(&key), json, body).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
            let e = r.json::<ErrorBody>().error;
            assert!(
                e.code == "invalid" && e.message.contains(says),
                "{}",
                e.message
            );
        }
        let r = post_to(
            &db,
            "/api/v1/campaigns",
            Some(&key),
            json,
            campaign(r#""weibo", "douyin""#, "2026-06-30"),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED);
        let c: Campaign = r.json();
        assert_eq!(
            (
                c.workspace.slug.as_str(),
                c.budget_cents,
                c.channels.len(),
                c.keywords.clone()
            ),
            ("acme", Some(5_000_050), 2, vec!["夏茶".to_string()])
        );
        let all: Vec<Campaign> = get(&db, "/api/v1/campaigns").await.json();
        assert_eq!(all, vec![c.clone()]);
        // The new brands take events at once: a mention of the competitor.
        let mention = r#"{"kind":"mention","id":"m1","brand":"竞品 Rival","channel":"weibo","author":"a","time":"2026-06-02T10:00:00+08:00","text":"竞品上新"}"#;
        let r = post(&db, Some(&key), "application/x-ndjson", mention.into()).await;
        assert_eq!(r.status, StatusCode::OK);
        let hours: Vec<analytics::wire::MentionHour> =
            get(&db, &format!("/api/v1/brands/{}/mentions", created.id))
                .await
                .json();
        assert_eq!(hours.iter().map(|h| h.mentions).sum::<u64>(), 1);
    }

    #[tokio::test]
    async fn batches_are_atomic_idempotent_and_authenticated() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&super::fresh_db(dir.path(), "i")).await.unwrap();
        db.create_workspace("acme", "Acme", "Asia/Shanghai")
            .await
            .unwrap();
        db.create_workspace("other", "Other", "UTC").await.unwrap();
        let c = campaign(&db, "acme").await;
        let other_c = campaign(&db, "other").await;
        let (_, key) = db
            .create_api_key("acme", "test", server::access::Scopes::DEFAULT)
            .await
            .unwrap();
        let batch = BATCH.replace("CAMPAIGN", &c.to_string());
        let nd = "application/x-ndjson";

        // Keys.
        assert_eq!(
            post(&db, None, nd, batch.clone()).await.status,
            StatusCode::UNAUTHORIZED
        );
        let r = post(&db, Some("wom_nope"), nd, batch.clone()).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.json::<ErrorBody>().error.code, "unauthorized");

        // A good batch, then the same batch again.
        let r = post(&db, Some(&key), nd, batch.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(
            r.json::<serde_json::Value>(),
            serde_json::json!({"stored": 7, "duplicates": 0})
        );
        let stored = rows(&db).await;
        let r = post(&db, Some(&key), nd, batch.clone()).await;
        assert_eq!(
            r.json::<serde_json::Value>(),
            serde_json::json!({"stored": 0, "duplicates": 7})
        );
        assert_eq!(rows(&db).await, stored, "a resent batch stores nothing");

        // What was acknowledged is read back at once, text byte for byte.
        let s: CampaignSummary = get(&db, &format!("/api/v1/campaigns/{c}/summary"))
            .await
            .json();
        assert_eq!(
            (
                s.kpis.impressions,
                s.kpis.reposts,
                s.kpis.new_fans,
                s.kpis.conversions
            ),
            (1, 1, 1, 1)
        );
        assert_eq!(s.kpis.revenue_cents, 8990);
        let text: String = sqlx::query_scalar("SELECT text FROM posts WHERE client_id = 'p1'")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(text, "春茶上市 🍵 «限量» \"quoted\"");

        // A batch with bad lines: every one listed, nothing stored.
        let bad = format!(
            "{}\n{{\"kind\":\"exposure\",\"id\":\"e9\",\"channel\":\"myspace\",\"user_id\":\"u\",\"post_id\":\"p1\",\"time\":\"2026-03-01T10:00:00Z\",\"campaign\":{c}}}\nnot json\n",
            batch.lines().nth(3).unwrap().replace("\"e1\"", "\"e2\"")
        );
        let r = post(&db, Some(&key), nd, bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let e: ErrorBody = r.json();
        let lines: Vec<(usize, &str)> = e
            .error
            .lines
            .iter()
            .map(|l| (l.line, l.field.as_str()))
            .collect();
        assert_eq!(lines, [(2, "channel"), (3, "")]);
        assert_eq!(
            rows(&db).await,
            stored,
            "nothing of a refused batch is stored"
        );

        // A conflict: a stored id with other content.
        let conflict = batch.lines().nth(3).unwrap().replace("\"u3\"", "\"u4\"");
        let r = post(&db, Some(&key), nd, conflict).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.json::<ErrorBody>().error.lines[0]
                .reason
                .contains("already stored with different content")
        );

        // Another workspace's campaign.
        let foreign = batch
            .lines()
            .nth(3)
            .unwrap()
            .replace("\"e1\"", "\"e3\"")
            .replace(
                &format!("\"campaign\":{c}"),
                &format!("\"campaign\":{other_c}"),
            );
        let r = post(&db, Some(&key), nd, foreign).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(r.json::<ErrorBody>().error.lines[0].field, "campaign");

        // Limits and formats.
        let csv = format!(
            "kind,id,channel,user_id,post_id,time,campaign\nexposure,e1,weibo,u3,p1,2026-03-01T10:01:00+08:00,{c}\n\
             exposure,e5,weibo,u5,p1,2026-03-03T10:01:00+08:00,{c}\n"
        );
        let r = post(&db, Some(&key), "text/csv; charset=utf-8", csv).await;
        assert_eq!(
            r.json::<serde_json::Value>(),
            serde_json::json!({"stored": 1, "duplicates": 1})
        );
        let stored = rows(&db).await;
        let r = post(&db, Some(&key), "text/csv", "kind,id\nexposure,e6\n".into()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json::<ErrorBody>().error.lines[0].line, 2);
        let r = post(&db, Some(&key), "application/xml", "<x/>".into()).await;
        assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let r = post(&db, Some(&key), nd, "x".repeat(9 * 1024 * 1024)).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(
            r.json::<ErrorBody>()
                .error
                .message
                .contains("8388608 bytes")
        );
        let long = batch
            .lines()
            .nth(1)
            .unwrap()
            .replace("春茶上市", &"长".repeat(5000));
        let r = post(&db, Some(&key), nd, long).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.json::<ErrorBody>().error.lines[0]
                .reason
                .contains("limit")
        );

        // A revoked key stops working.
        db.revoke_api_key("acme", &key).await.unwrap();
        assert_eq!(
            post(&db, Some(&key), nd, batch).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(rows(&db).await, stored);
    }
}

/// `GET /api/v1/campaigns/{id}/cascades`: built by the engine from stored
/// edges, sorted, filtered, paged, and rebuilt when new edges arrive.
mod cascade_list {
    use super::*;
    use analytics::wire::CascadePage;

    #[tokio::test]
    async fn the_demo_cascades_are_listed_sorted_filtered_and_paged() {
        let db = demo_db().await;
        let m = &fixture().demo.manifest;
        let page: CascadePage = get(
            &db,
            "/api/v1/campaigns/1/cascades?sort=size&order=desc&per_page=500",
        )
        .await
        .json();
        let all = page.items;
        assert_eq!(page.total as usize, all.len());
        assert!(all.windows(2).all(|w| w[0].size >= w[1].size));
        let hero = &all[0];
        assert_eq!(hero.root_id, m.hero_root);
        assert_eq!(hero.size as usize, m.hero_nodes + m.burst_posts.len());
        assert_eq!(hero.flagged_reposts as usize, m.burst_posts.len());
        // The same numbers as the engine on the stored tree.
        let stored = db.cascade("demo", &m.hero_root).await.unwrap().unwrap();
        let metrics = stored.tree.metrics();
        assert_eq!(
            (hero.size, hero.depth, hero.structural_virality),
            (metrics.n, metrics.depth, metrics.structural_virality)
        );
        assert!(hero.predicted_size >= hero.size as f64);

        let big: CascadePage = get(
            &db,
            "/api/v1/campaigns/1/cascades?min_size=100&sort=virality",
        )
        .await
        .json();
        assert!(big.items.iter().all(|c| c.size >= 100) && big.total < page.total);
        let second: CascadePage = get(
            &db,
            "/api/v1/campaigns/1/cascades?sort=size&page=2&per_page=5",
        )
        .await
        .json();
        let ids: Vec<&str> = second.items.iter().map(|c| c.root_id.as_str()).collect();
        let expected: Vec<&str> = all[5..10].iter().map(|c| c.root_id.as_str()).collect();
        assert_eq!(ids, expected);
        let weibo: CascadePage = get(
            &db,
            "/api/v1/campaigns/1/cascades?channel=weibo&per_page=500",
        )
        .await
        .json();
        assert!(
            weibo
                .items
                .iter()
                .all(|c| c.channel == analytics::wire::Channel::Weibo)
        );

        for (uri, says) in [
            ("/api/v1/campaigns/1/cascades?sort=bogus", "sort="),
            ("/api/v1/campaigns/1/cascades?page=0", "page="),
            ("/api/v1/campaigns/1/cascades?per_page=9999", "per_page="),
            (
                "/api/v1/campaigns/1/cascades?colour=red",
                "unknown query parameter",
            ),
        ] {
            let r = get(&db, uri).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
            assert!(r.json::<ErrorBody>().error.message.contains(says), "{uri}");
        }
        assert_eq!(
            get(&db, "/api/v1/campaigns/999/cascades").await.status,
            StatusCode::NOT_FOUND
        );

        // One cascade in its binary form: the stored tree, with the burst flagged.
        let r = get(
            &db,
            &format!("/api/v1/campaigns/1/cascades/{}/tree", m.hero_root),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.header(header::CONTENT_TYPE), "application/octet-stream");
        let blob = analytics::cascade::codec::decode(&r.body).unwrap();
        assert_eq!(blob.parent, stored.tree.parent);
        assert_eq!(blob.ids, stored.tree.ids);
        assert_eq!(blob.ids[0], m.hero_root);
        assert_eq!(blob.offset_ms[0], 0);
        let flagged = blob
            .flags
            .iter()
            .filter(|f| **f & analytics::cascade::codec::FLAG_SUSPICIOUS != 0)
            .count();
        assert_eq!(flagged, m.burst_posts.len());
        assert!(blob.handles.iter().all(|h| !h.is_empty()));
        // The browser's explorer decodes it and, running the same detector
        // on the accounts' features (codec v2), flags the same reposts.
        let explored = analytics::explorer::Cascade::from_blob(blob.clone()).unwrap();
        let mine = explored.flagged();
        assert_eq!(
            mine,
            blob.flags
                .iter()
                .map(|f| f & analytics::cascade::codec::FLAG_SUSPICIOUS != 0)
                .collect::<Vec<_>>()
        );
        // Same metrics; the explorer's times count from the original.
        let (mine, theirs) = (explored.tree.metrics(), stored.tree.metrics());
        assert_eq!(
            (
                mine.n,
                mine.depth,
                mine.max_breadth,
                mine.leaves,
                mine.wiener
            ),
            (
                theirs.n,
                theirs.depth,
                theirs.max_breadth,
                theirs.leaves,
                theirs.wiener
            )
        );
        assert_eq!(mine.structural_virality, theirs.structural_virality);
        assert_eq!(mine.t50, theirs.t50 - theirs.t_min);
        // Days as bounds: the originals posted on one day (Asia/Shanghai).
        let day: CascadePageLite = get(
            &db,
            "/api/v1/campaigns/1/cascades?from=2026-03-10&to=2026-03-10&per_page=500",
        )
        .await
        .json();
        let (start, end) = (1_773_072_000, 1_773_158_400); // 2026-03-10 00:00 +08:00, +1 day
        assert!(day.total > 0);
        assert!(
            day.items
                .iter()
                .all(|c| c.posted_at >= start && c.posted_at < end)
        );
        let seconds: CascadePageLite = get(
            &db,
            &format!("/api/v1/campaigns/1/cascades?from={start}&to={end}&per_page=500"),
        )
        .await
        .json();
        assert_eq!(seconds.total, day.total);
        assert_eq!(
            get(&db, "/api/v1/campaigns/1/cascades/no-such-post/tree")
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let other = format!("/api/v1/campaigns/2/cascades/{}/tree", m.hero_root);
        assert_eq!(get(&db, &other).await.status, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn a_new_repost_is_in_the_next_read() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&super::fresh_db(dir.path(), "c")).await.unwrap();
        db.create_workspace("acme", "Acme", "UTC").await.unwrap();
        let c = db
            .create_campaign(&server::db::NewCampaign {
                workspace: "acme".into(),
                brand: "b".into(),
                competitor: false,
                name: "n".into(),
                start: "2026-03-01".into(),
                end: "2026-03-02".into(),
                budget: None,
                currency: "CNY".into(),
                channels: vec!["weibo".into()],
                keywords: vec![],
            })
            .await
            .unwrap();
        let (_, key) = db
            .create_api_key("acme", "", server::access::Scopes::DEFAULT)
            .await
            .unwrap();
        let state = AppState::new(db.clone());
        let send = |body: String| {
            let state = state.clone();
            let key = key.clone();
            async move {
                let req = Request::builder()
                    .method("POST")
                    .uri("/api/v1/ingest")
                    .header("authorization", format!("Bearer {key}"))
                    .body(Body::from(body))
                    .unwrap();
                app(state).oneshot(req).await.unwrap().status()
            }
        };
        let list = || {
            let state = state.clone();
            let key = key.clone();
            async move {
                let req = Request::builder()
                    .uri(format!("/api/v1/campaigns/{c}/cascades"))
                    .header("authorization", format!("Bearer {key}"))
                    .body(Body::empty())
                    .unwrap();
                let res = app(state).oneshot(req).await.unwrap();
                let body = res.into_body().collect().await.unwrap().to_bytes();
                serde_json::from_slice::<CascadePage>(&body).unwrap()
            }
        };
        let post = |id: &str, parent: Option<&str>, minute: u32| {
            let link = parent
                .map(|p| format!(",\"root_id\":\"p0\",\"parent_id\":\"{p}\""))
                .unwrap_or_default();
            format!(
                "{{\"kind\":\"post\",\"id\":\"{id}\",\"channel\":\"weibo\",\"author\":\"u{id}\",\"time\":\"2026-03-01T10:{minute:02}:00Z\",\"campaign\":{c}{link}}}\n"
            )
        };
        assert_eq!(
            send(post("p0", None, 0) + &post("p1", Some("p0"), 1)).await,
            StatusCode::OK
        );
        assert_eq!(list().await.items[0].size, 2);
        // Late edges: a repost of p1, then one of a parent that arrives after it.
        assert_eq!(send(post("p3", Some("p2"), 3)).await, StatusCode::OK);
        assert_eq!(send(post("p2", Some("p1"), 2)).await, StatusCode::OK);
        let after = list().await;
        assert_eq!(
            (after.items[0].size, after.items[0].depth),
            (4, 3),
            "the cached list was rebuilt"
        );
    }
}

/// Crash test: a client sends 120 batches to a child server and retries
/// whatever was not acknowledged, while the server is killed with SIGKILL
/// at random moments (and once aborts right after a commit, before its
/// acknowledgement) and restarted. Every acknowledged event must be stored
/// exactly once, and SQLite's integrity check must pass.
mod crash {
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
}

/// Rollups kept incrementally by ingestion equal plain SQL over the raw
/// events and a rebuild from scratch, with events arriving out of order.
mod rollups {
    use super::*;
    use analytics::rng::Rng;
    use server::db::NewCampaign;

    #[tokio::test]
    async fn incremental_rollups_equal_raw_sql_and_a_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        let url = super::fresh_db(dir.path(), "r");
        let db = Db::open(&url).await.unwrap();
        db.create_workspace("acme", "Acme", "Asia/Shanghai")
            .await
            .unwrap();
        let c = db
            .create_campaign(&NewCampaign {
                workspace: "acme".into(),
                brand: "b".into(),
                competitor: false,
                name: "n".into(),
                start: "2026-03-01".into(),
                end: "2026-03-10".into(),
                budget: None,
                currency: "CNY".into(),
                channels: vec!["weibo".into(), "douyin".into()],
                keywords: vec![],
            })
            .await
            .unwrap();
        let mut rng = Rng::new(3);
        let mut id = 0;
        // Profiles first: users u0..u9 on weibo look like zombies (no posts,
        // created days before the campaign, following thousands), u10..u14
        // only half so (one signal: not suspected).
        let mut profiles = String::new();
        for u in 0..15 {
            let (posts, following) = if u < 10 { (0, 2000) } else { (5, 2000) };
            profiles.push_str(&format!(
                "{{\"kind\":\"account\",\"id\":\"a{u}\",\"channel\":\"weibo\",\"user_id\":\"u{u}\",\"followers\":3,\"following\":{following},\"posts\":{posts},\"created_at\":\"2026-02-27T00:00:00Z\"}}\n"
            ));
        }
        let events = analytics::events::parse_ndjson(&profiles).unwrap();
        db.ingest("acme", &events, server::db::OnConflict::Refuse)
            .await
            .unwrap();
        for _batch in 0..20 {
            let mut body = String::new();
            for _ in 0..50 {
                id += 1;
                let channel = ["weibo", "douyin"][rng.below(2) as usize];
                // Times in random order across the campaign, late ones included.
                let t = format!(
                    "2026-03-{:02}T{:02}:30:00+08:00",
                    1 + rng.below(10),
                    rng.below(24)
                );
                let user = format!("u{}", rng.below(60));
                let line = match rng.below(6) {
                    5 => format!(
                        r#"{{"kind":"post","id":"p{id}","channel":"{channel}","author":"{user}","time":"{t}","campaign":{c},"paid":{},"parent_id":"p"}}"#,
                        rng.below(2) == 0
                    ),
                    0 | 1 => format!(
                        r#"{{"kind":"exposure","id":"e{id}","channel":"{channel}","user_id":"{user}","post_id":"p","time":"{t}","campaign":{c}}}"#
                    ),
                    2 => format!(
                        r#"{{"kind":"engagement","id":"g{id}","channel":"{channel}","user_id":"{user}","post_id":"p","action":"like","time":"{t}","campaign":{c}}}"#
                    ),
                    3 => format!(
                        r#"{{"kind":"{}","id":"f{id}","channel":"{channel}","user_id":"{user}","account":"brand","time":"{t}","campaign":{c}}}"#,
                        ["follow", "follow", "unfollow"][rng.below(3) as usize]
                    ),
                    _ => format!(
                        r#"{{"kind":"conversion","id":"c{id}","channel":"{channel}","user_id":"{user}","action":"purchase","value":"{}.5","time":"{t}","campaign":{c}}}"#,
                        rng.below(100)
                    ),
                };
                body.push_str(&line);
                body.push('\n');
            }
            let events = analytics::events::parse_ndjson(&body).unwrap();
            db.ingest("acme", &events, server::db::OnConflict::Refuse)
                .await
                .unwrap();
        }
        let incremental = db.campaign_summary(c).await.unwrap().unwrap();
        let k = &incremental.kpis;
        let pool = db.pool().clone();
        let count = |sql: &'static str| {
            let pool = pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>(sql)
                    .bind(c)
                    .fetch_one(&pool)
                    .await
                    .unwrap() as u64
            }
        };
        assert_eq!(
            k.impressions,
            count("SELECT COUNT(*) FROM exposures WHERE campaign_id = $1").await
        );
        assert_eq!(
            k.unique_reach,
            count("SELECT COUNT(*) FROM (SELECT DISTINCT channel, user_id FROM exposures WHERE campaign_id = $1) AS u").await
        );
        assert_eq!(
            k.engagements,
            count("SELECT COUNT(*) FROM engagements WHERE campaign_id = $1").await
        );
        assert_eq!(
            k.new_fans,
            count("SELECT COUNT(*) FROM follows WHERE campaign_id = $1 AND action = 'follow'")
                .await
        );
        assert_eq!(
            k.revenue_cents as u64,
            count("SELECT CAST(COALESCE(SUM(value_cents), 0) AS BIGINT) FROM conversions WHERE campaign_id = $1")
                .await
        );
        // New reach per day: users by the day of their first exposure.
        let first_days: Vec<(String, i64)> = sqlx::query_as(
            "SELECT d, COUNT(*) FROM (SELECT MIN(local_day) AS d FROM exposures WHERE campaign_id = $1 GROUP BY channel, user_id) AS f GROUP BY d",
        )
        .bind(c)
        .fetch_all(db.pool())
        .await
        .unwrap();
        for (day, n) in first_days {
            let point = incremental.daily.iter().find(|p| p.date == day).unwrap();
            assert_eq!(point.new_reach as i64, n, "{day}");
        }
        // The suspect split, with the rule of analytics::suspect written
        // again in SQL: a suspected zombie has two of no posts, an account
        // under 30 days old at the event, and following >= 500 and >= 20x
        // its followers; a paid post is a paid poster's.
        let zombie = "(SELECT CASE WHEN (CASE WHEN a.posts = 0 THEN 1 ELSE 0 END) \
            + (CASE WHEN x.at - a.created_at < 30 * 86400 THEN 1 ELSE 0 END) \
            + (CASE WHEN a.following >= 500 AND a.following / 20 >= (CASE WHEN a.followers > 1 THEN a.followers ELSE 1 END) THEN 1 ELSE 0 END) \
            >= 2 THEN 1 ELSE 0 END FROM accounts a WHERE a.channel = x.channel AND a.platform_id = x.user_id)";
        let suspect_count = |table: &str, extra: &str| {
            format!(
                "SELECT COUNT(*) FROM {table} x WHERE x.campaign_id = $1 {extra} AND COALESCE({zombie}, 0) = 1"
            )
        };
        let plain = |sql: String| {
            let pool = pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>(&sql)
                    .bind(c)
                    .fetch_one(&pool)
                    .await
                    .unwrap() as u64
            }
        };
        let sk = &incremental.suspect;
        assert_eq!(sk.impressions, plain(suspect_count("exposures", "")).await);
        assert_eq!(
            sk.engagements,
            plain(suspect_count("engagements", "")).await
        );
        assert_eq!(
            sk.new_fans,
            plain(suspect_count("follows", "AND x.action = 'follow'")).await
        );
        assert_eq!(
            sk.conversions,
            plain(suspect_count("conversions", "")).await
        );
        assert_eq!(
            sk.reposts,
            plain("SELECT COUNT(*) FROM posts WHERE campaign_id = $1 AND paid = 1".into()).await
        );
        assert!(sk.impressions > 0 && sk.new_fans > 0 && sk.reposts > 0);
        assert!(sk.impressions < k.impressions && sk.reposts < k.reposts);
        // Reach by first exposure: suspected when the first exposure was.
        let first_suspect = format!(
            "SELECT COUNT(*) FROM exposures x WHERE x.campaign_id = $1 AND COALESCE({zombie}, 0) = 1 \
             AND NOT EXISTS (SELECT 1 FROM exposures e WHERE e.campaign_id = x.campaign_id \
             AND e.channel = x.channel AND e.user_id = x.user_id AND (e.at < x.at OR (e.at = x.at AND e.id < x.id)))"
        );
        assert_eq!(sk.unique_reach, plain(first_suspect).await);

        // The hourly rows add up to the daily ones, per channel and flag.
        let days = db.channel_days(c).await.unwrap();
        let hours = db.channel_hours(c, None, None).await.unwrap();
        for channel in ["weibo", "douyin"] {
            for suspect in [false, true] {
                let d = days
                    .iter()
                    .filter(|r| r.channel == channel && r.suspect == suspect);
                let h = hours
                    .iter()
                    .filter(|r| r.channel == channel && r.suspect == suspect);
                assert_eq!(
                    (
                        d.clone().map(|r| r.counters.impressions).sum::<u64>(),
                        d.clone().map(|r| r.counters.new_reach).sum::<u64>(),
                        d.map(|r| r.counters.revenue_cents).sum::<i64>()
                    ),
                    (
                        h.clone().map(|r| r.counters.impressions).sum::<u64>(),
                        h.clone().map(|r| r.counters.new_reach).sum::<u64>(),
                        h.map(|r| r.counters.revenue_cents).sum::<i64>()
                    ),
                    "{channel} suspect={suspect}"
                );
            }
        }
        let sketches = db.day_sketches(c).await.unwrap();
        let accounts = db.account_days(c).await.unwrap();
        let posts = db.post_totals(c, 1000).await.unwrap();
        // Every exposure and engagement went through post "p"; reposts hang under it.
        let through_p = |f: fn(&analytics::wire::PostTotals) -> u64| -> u64 {
            posts.iter().filter(|p| p.post == "p").map(f).sum()
        };
        assert_eq!(
            (
                through_p(|p| p.impressions),
                through_p(|p| p.engagements),
                through_p(|p| p.reposts)
            ),
            (k.impressions, k.engagements, k.reposts)
        );

        // The funnel, written again in SQL over the raw events: each step the
        // first of its kind at or after the previous one, counted within the
        // window from the first exposure; retained = no unfollow within 7 /
        // 30 days of the follow.
        let funnel = db
            .funnel(c, server::db::FunnelBy::Channel, None, None, None)
            .await
            .unwrap();
        for w in analytics::funnel::WINDOWS_S {
            let sql = format!(
                "WITH l0 AS (SELECT campaign_id, channel, user_id, MIN(at) AS t0 FROM exposures \
                   WHERE campaign_id = $1 GROUP BY campaign_id, channel, user_id), \
                 l1 AS (SELECT l0.*, (SELECT MIN(e.at) FROM engagements e WHERE e.campaign_id = l0.campaign_id \
                   AND e.channel = l0.channel AND e.user_id = l0.user_id AND e.at >= l0.t0) AS t1 FROM l0), \
                 l2 AS (SELECT l1.*, (SELECT MIN(f.at) FROM follows f WHERE f.campaign_id = l1.campaign_id \
                   AND f.channel = l1.channel AND f.user_id = l1.user_id AND f.action = 'follow' AND f.at >= l1.t1) AS t2 FROM l1), \
                 l3 AS (SELECT l2.*, (SELECT MIN(v.at) FROM conversions v WHERE v.campaign_id = l2.campaign_id \
                   AND v.channel = l2.channel AND v.user_id = l2.user_id AND v.at >= l2.t2) AS t3 FROM l2) \
                 SELECT channel, COUNT(*), \
                   CAST(SUM(CASE WHEN t1 - t0 <= {w} THEN 1 ELSE 0 END) AS BIGINT), \
                   CAST(SUM(CASE WHEN t2 - t0 <= {w} THEN 1 ELSE 0 END) AS BIGINT), \
                   CAST(SUM(CASE WHEN t3 - t0 <= {w} THEN 1 ELSE 0 END) AS BIGINT), \
                   CAST(SUM(CASE WHEN t2 - t0 <= {w} AND NOT EXISTS (SELECT 1 FROM follows u \
                     WHERE u.campaign_id = l3.campaign_id AND u.channel = l3.channel AND u.user_id = l3.user_id \
                     AND u.action = 'unfollow' AND u.at > t2 AND u.at <= t2 + 7 * 86400) THEN 1 ELSE 0 END) AS BIGINT), \
                   CAST(SUM(CASE WHEN t2 - t0 <= {w} AND NOT EXISTS (SELECT 1 FROM follows u \
                     WHERE u.campaign_id = l3.campaign_id AND u.channel = l3.channel AND u.user_id = l3.user_id \
                     AND u.action = 'unfollow' AND u.at > t2 AND u.at <= t2 + 30 * 86400) THEN 1 ELSE 0 END) AS BIGINT) \
                 FROM l3 GROUP BY channel ORDER BY channel"
            );
            let expected: Vec<(String, i64, i64, i64, i64, i64, i64)> = sqlx::query_as(&sql)
                .bind(c)
                .fetch_all(db.pool())
                .await
                .unwrap();
            for (channel, exposed, engaged, fans, converted, r7, r30) in expected {
                let rows = funnel
                    .iter()
                    .filter(|r| r.key == channel && r.window_s == w);
                let sum = |f: fn(&analytics::funnel::FunnelRow) -> u64| {
                    rows.clone().map(f).sum::<u64>() as i64
                };
                assert_eq!(
                    (
                        sum(|r| r.exposed),
                        sum(|r| r.engaged),
                        sum(|r| r.fans),
                        sum(|r| r.converted),
                        sum(|r| r.retained_7d),
                        sum(|r| r.retained_30d)
                    ),
                    (exposed, engaged, fans, converted, r7, r30),
                    "{channel}, window {w} s"
                );
            }
        }
        let week = |r: &&analytics::funnel::FunnelRow| r.window_s == 7 * 86_400;
        assert!(funnel.iter().filter(week).any(|r| r.suspect && r.fans > 0));
        assert!(
            funnel
                .iter()
                .filter(week)
                .any(|r| r.converted > 0 && r.retained_7d < r.fans)
        );

        db.rebuild_rollups(c).await.unwrap();
        let rebuilt = db.campaign_summary(c).await.unwrap().unwrap();
        assert_eq!(
            rebuilt, incremental,
            "incremental rollups equal a rebuild from raw events"
        );
        assert_eq!(db.channel_days(c).await.unwrap(), days);
        assert_eq!(db.channel_hours(c, None, None).await.unwrap(), hours);
        assert_eq!(db.account_days(c).await.unwrap(), accounts);
        assert_eq!(db.post_totals(c, 1000).await.unwrap(), posts);
        assert_eq!(
            db.funnel(c, server::db::FunnelBy::Channel, None, None, None)
                .await
                .unwrap(),
            funnel,
            "the funnel is order-independent"
        );
        assert_eq!(
            db.day_sketches(c).await.unwrap(),
            sketches,
            "sketches are order-independent"
        );

        // A migration that marks the aggregates stale has them rebuilt when
        // the database is next opened.
        sqlx::query("DELETE FROM rollup_daily WHERE campaign_id = $1")
            .bind(c)
            .execute(db.pool())
            .await
            .unwrap();
        sqlx::query("INSERT INTO rollups_stale (campaign_id) VALUES ($1)")
            .bind(c)
            .execute(db.pool())
            .await
            .unwrap();
        let reopened = Db::open(&url).await.unwrap();
        assert_eq!(
            reopened.campaign_summary(c).await.unwrap().unwrap(),
            incremental
        );

        // Mentions are rolled up per brand and hour as they are ingested.
        let mentions = "{\"kind\":\"mention\",\"id\":\"m1\",\"brand\":\"b\",\"channel\":\"weibo\",\"author\":\"x\",\"time\":\"2026-03-02T10:20:00Z\"}\n\
                        {\"kind\":\"mention\",\"id\":\"m2\",\"brand\":\"b\",\"channel\":\"weibo\",\"author\":\"y\",\"time\":\"2026-03-02T10:59:59Z\"}\n";
        let events = analytics::events::parse_ndjson(mentions).unwrap();
        db.ingest("acme", &events, server::db::OnConflict::Refuse)
            .await
            .unwrap();
        let brand: i64 = sqlx::query_scalar("SELECT id FROM brands WHERE name = 'b'")
            .fetch_one(db.pool())
            .await
            .unwrap();
        let (first, last) = db.mention_extent(brand, None, None).await.unwrap().unwrap();
        let hours = db.mention_hours(brand, first, last + 3600).await.unwrap();
        let hour = analytics::events::parse_rfc3339_ms("2026-03-02T10:00:00Z").unwrap() / 1000;
        assert_eq!(
            hours,
            vec![analytics::wire::MentionHour { hour, mentions: 2 }]
        );
    }
}

/// The timeseries by day × channel and the hourly mention volume come from
/// rollups and agree with the raw events.
mod listening_and_timeseries {
    use super::*;
    use analytics::wire::{ChannelDay, MentionHour};

    #[tokio::test]
    async fn timeseries_and_mention_hours_match_raw_events() {
        let db = demo_db().await;
        let m = &fixture().demo.manifest;
        let series: Vec<ChannelDay> = get(&db, "/api/v1/campaigns/1/timeseries").await.json();
        let summary: CampaignSummary = get(&db, "/api/v1/campaigns/1/summary").await.json();
        // By hour: every hour adds up to the totals; bounds select hours.
        let hours: Vec<analytics::wire::ChannelHour> =
            get(&db, "/api/v1/campaigns/1/timeseries?grain=hour")
                .await
                .json();
        assert_eq!(
            hours.iter().map(|h| h.counters.impressions).sum::<u64>(),
            summary.kpis.impressions
        );
        assert_eq!(
            hours.iter().map(|h| h.counters.new_reach).sum::<u64>(),
            summary.kpis.unique_reach
        );
        let first = hours[0].hour;
        let one: Vec<analytics::wire::ChannelHour> = get(
            &db,
            &format!(
                "/api/v1/campaigns/1/timeseries?grain=hour&from={first}&to={}",
                first + 3600
            ),
        )
        .await
        .json();
        assert!(!one.is_empty() && one.iter().all(|h| h.hour == first));
        // The funnel: every exposed user is in exactly one cohort, so each
        // window's exposed total is the unique reach; steps never grow.
        let funnel: Vec<analytics::funnel::FunnelRow> =
            get(&db, "/api/v1/campaigns/1/funnel").await.json();
        for w in analytics::funnel::WINDOWS_S {
            let rows: Vec<_> = funnel.iter().filter(|r| r.window_s == w).collect();
            let exposed: u64 = rows.iter().map(|r| r.exposed).sum();
            assert_eq!(exposed, summary.kpis.unique_reach, "window {w}");
            assert!(rows.iter().all(|r| r.exposed >= r.engaged
                && r.engaged >= r.fans
                && r.fans >= r.converted
                && r.fans >= r.retained_7d
                && r.retained_7d >= r.retained_30d));
        }
        let week: u64 = funnel
            .iter()
            .filter(|r| r.window_s == 7 * 86_400)
            .map(|r| r.fans)
            .sum();
        assert!(
            week > 0 && week < summary.kpis.new_fans,
            "{week} fans in the funnel"
        );
        let by_post: Vec<analytics::funnel::FunnelRow> = get(
            &db,
            "/api/v1/campaigns/1/funnel?by=post&channel=weibo&from=2026-03-01&to=2026-03-07",
        )
        .await
        .json();
        assert!(!by_post.is_empty(), "posts of the first week on weibo");

        // Credit by account: the owned and KOL accounts' impressions and new
        // fans equal plain SQL joins over the raw events; the rest is earned.
        let accounts: Vec<analytics::wire::AccountDay> =
            get(&db, "/api/v1/campaigns/1/accounts").await.json();
        let pool = db.pool().clone();
        let credited = |sql: &'static str| {
            let pool = pool.clone();
            async move {
                let rows: Vec<(String, i64)> = sqlx::query_as(sql).fetch_all(&pool).await.unwrap();
                rows
            }
        };
        let impressions = credited(
            "SELECT a.platform_id, COUNT(*) FROM exposures e JOIN posts p ON p.workspace_id = e.workspace_id \
             AND p.client_id = e.post_client_id JOIN accounts a ON a.id = p.account_id \
             WHERE e.campaign_id = 1 AND a.kind IN ('owned', 'kol') GROUP BY a.platform_id ORDER BY 1",
        )
        .await;
        let fans = credited(
            "SELECT a.platform_id, COUNT(*) FROM follows f JOIN accounts a ON a.id = f.account_id \
             WHERE f.campaign_id = 1 AND f.action = 'follow' AND a.kind IN ('owned', 'kol') \
             GROUP BY a.platform_id ORDER BY 1",
        )
        .await;
        assert!(impressions.len() >= 3 && !fans.is_empty());
        let of = |account: &str, f: fn(&analytics::wire::AccountDay) -> u64| -> i64 {
            accounts
                .iter()
                .filter(|r| r.account == account)
                .map(f)
                .sum::<u64>() as i64
        };
        for (account, n) in &impressions {
            assert_eq!(of(account, |r| r.counters.impressions), *n, "{account}");
        }
        for (account, n) in &fans {
            assert_eq!(of(account, |r| r.counters.new_fans), *n, "{account}");
        }
        let earned = summary.kpis.impressions as i64 - impressions.iter().map(|r| r.1).sum::<i64>();
        assert_eq!(of("", |r| r.counters.impressions), earned);
        // Each credited account's side: owned for the brand's own accounts,
        // paid for KOLs, earned for the rest.
        let kinds: Vec<(String, String)> =
            sqlx::query_as("SELECT platform_id, kind FROM accounts WHERE kind IN ('owned', 'kol')")
                .fetch_all(db.pool())
                .await
                .unwrap();
        let kinds: std::collections::HashMap<String, String> = kinds.into_iter().collect();
        for r in &accounts {
            let expected = match kinds.get(&r.account).map(String::as_str) {
                _ if r.account.is_empty() => analytics::wire::Source::Earned,
                Some("owned") => analytics::wire::Source::Owned,
                Some("kol") => analytics::wire::Source::Paid,
                other => panic!("credited account {} of kind {other:?}", r.account),
            };
            assert_eq!(r.source, expected, "{}", r.account);
            assert!(!r.handle.is_empty() || r.account.is_empty());
        }
        // Potential reach: the followers of every account that posted or
        // reposted, summed over the raw posts, equals the summary's, the day
        // rows' and the account rows'.
        let potential: i64 = sqlx::query_scalar(
            "SELECT CAST(SUM(a.followers) AS BIGINT) FROM posts p JOIN accounts a ON a.id = p.account_id \
             WHERE p.campaign_id = 1",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert!(potential > summary.kpis.unique_reach as i64, "{potential}");
        assert_eq!(summary.kpis.potential_reach as i64, potential);
        assert_eq!(
            series
                .iter()
                .map(|r| r.counters.potential_reach)
                .sum::<u64>() as i64,
            potential
        );
        assert_eq!(of_all(&accounts, |r| r.counters.potential_reach), potential);

        // Funnel by KOL: each first-exposure post credited to the closest KOL
        // among its author and ancestors, else its cascade root's author —
        // walked here over every stored post, then grouped.
        let posts: Vec<(String, Option<String>, String, String)> = sqlx::query_as(
            "SELECT p.client_id, p.parent_client_id, a.handle, a.kind FROM posts p \
             JOIN accounts a ON a.id = p.account_id",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        let posts: std::collections::HashMap<String, (Option<String>, String, bool)> = posts
            .into_iter()
            .map(|(id, parent, handle, kind)| (id, (parent, handle, kind == "kol")))
            .collect();
        let credit = |post: &str| -> String {
            let mut at = post.to_string();
            let mut credit = String::new();
            while let Some((parent, handle, kol)) = posts.get(&at) {
                credit = handle.clone();
                match parent {
                    Some(p) if !kol => at = p.clone(),
                    _ => break,
                }
            }
            credit
        };
        let by_post: Vec<analytics::funnel::FunnelRow> =
            get(&db, "/api/v1/campaigns/1/funnel?by=post").await.json();
        let mut expected: std::collections::BTreeMap<(String, bool, i64), [u64; 6]> =
            Default::default();
        for r in &by_post {
            let e = expected
                .entry((credit(&r.key), r.suspect, r.window_s))
                .or_default();
            for (slot, v) in e.iter_mut().zip([
                r.exposed,
                r.engaged,
                r.fans,
                r.converted,
                r.retained_7d,
                r.retained_30d,
            ]) {
                *slot += v;
            }
        }
        let by_kol: Vec<analytics::funnel::FunnelRow> =
            get(&db, "/api/v1/campaigns/1/funnel?by=kol").await.json();
        let got: std::collections::BTreeMap<(String, bool, i64), [u64; 6]> = by_kol
            .iter()
            .map(|r| {
                (
                    (r.key.clone(), r.suspect, r.window_s),
                    [
                        r.exposed,
                        r.engaged,
                        r.fans,
                        r.converted,
                        r.retained_7d,
                        r.retained_30d,
                    ],
                )
            })
            .collect();
        assert_eq!(got, expected);
        let kol_handles: std::collections::HashSet<&str> = posts
            .values()
            .filter(|p| p.2)
            .map(|p| p.1.as_str())
            .collect();
        assert!(
            by_kol
                .iter()
                .filter(|r| kol_handles.contains(r.key.as_str()))
                .count()
                >= 3,
            "KOLs credited: {:?}",
            by_kol
                .iter()
                .map(|r| &r.key)
                .collect::<std::collections::BTreeSet<_>>()
        );
        // Per post: the post with the most impressions, counted again.
        let top: Vec<analytics::wire::PostTotals> =
            get(&db, "/api/v1/campaigns/1/posts?limit=3").await.json();
        assert_eq!(top.len(), 3);
        assert!(top[0].impressions >= top[1].impressions);
        let (n, reposts): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM exposures WHERE campaign_id = 1 AND post_client_id = $1), \
             (SELECT COUNT(*) FROM posts WHERE campaign_id = 1 AND parent_client_id = $1)",
        )
        .bind(&top[0].post)
        .fetch_one(db.pool())
        .await
        .unwrap();
        let all_of_top: Vec<_> = get(&db, "/api/v1/campaigns/1/posts?limit=1000")
            .await
            .json::<Vec<analytics::wire::PostTotals>>()
            .into_iter()
            .filter(|p| p.post == top[0].post)
            .collect();
        assert_eq!(
            (
                all_of_top.iter().map(|p| p.impressions).sum::<u64>() as i64,
                all_of_top.iter().map(|p| p.reposts).sum::<u64>() as i64
            ),
            (n, reposts)
        );
        let r = get(&db, "/api/v1/campaigns/1/posts?limit=0").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        for (uri, says) in [
            (
                "/api/v1/campaigns/1/funnel?by=author",
                "by=\"author\" must be channel, post or kol",
            ),
            (
                "/api/v1/campaigns/1/funnel?channel=myspace",
                "is not a channel",
            ),
            (
                "/api/v1/campaigns/1/funnel?from=March",
                "must be a day, YYYY-MM-DD",
            ),
            (
                "/api/v1/campaigns/1/timeseries?grain=week",
                "grain=\"week\" must be day or hour",
            ),
            (
                "/api/v1/campaigns/1/timeseries?from=0",
                "use them with grain=hour",
            ),
            (
                "/api/v1/campaigns/1/timeseries?grain=hour&to=soon",
                "must be Unix seconds",
            ),
        ] {
            let r = get(&db, uri).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
            assert!(r.json::<ErrorBody>().error.message.contains(says), "{uri}");
        }
        for day in &summary.daily {
            let of_day = series.iter().filter(|p| p.date == day.date);
            assert_eq!(
                of_day.clone().map(|p| p.counters.impressions).sum::<u64>(),
                day.impressions,
                "{}",
                day.date
            );
            assert_eq!(
                of_day.map(|p| p.counters.new_fans).sum::<u64>(),
                day.new_fans,
                "{}",
                day.date
            );
        }
        let per_channel: Vec<(String, i64)> = sqlx::query_as(
            "SELECT channel, COUNT(*) FROM exposures WHERE campaign_id = 1 GROUP BY channel ORDER BY channel",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        for (channel, n) in per_channel {
            let sum: u64 = series
                .iter()
                .filter(|p| p.channel == channel)
                .map(|p| p.counters.impressions)
                .sum();
            assert_eq!(sum as i64, n, "{channel}");
        }

        let brand: i64 = sqlx::query_scalar("SELECT id FROM brands WHERE name = $1")
            .bind(&m.spike_brand)
            .fetch_one(db.pool())
            .await
            .unwrap();
        let hours: Vec<MentionHour> = get(&db, &format!("/api/v1/brands/{brand}/mentions"))
            .await
            .json();
        let raw: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM mentions WHERE brand_id = $1")
            .bind(brand)
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(hours.iter().map(|h| h.mentions).sum::<u64>() as i64, raw);
        assert!(
            hours.windows(2).all(|w| w[1].hour == w[0].hour + 3600),
            "every hour, zeros included"
        );
        let peak = hours.iter().max_by_key(|h| h.mentions).unwrap();
        assert!(
            peak.hour >= m.spike_start
                && peak.hour < m.spike_start + i64::from(m.spike_hours) * 3600
        );
        let window: Vec<MentionHour> = get(
            &db,
            &format!(
                "/api/v1/brands/{brand}/mentions?from={}&to={}",
                m.spike_start,
                m.spike_start + 3 * 3600
            ),
        )
        .await
        .json();
        assert_eq!(window.len(), 3);
        // The spike rule (rolling median + MAD, analytics::listening) finds
        // exactly the planted spike in every brand's series, and nothing else.
        let rule = analytics::listening::SpikeRule::default();
        let found = analytics::listening::spikes(&hours, &rule);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].start, found[0].end),
            (
                m.spike_start,
                m.spike_start + i64::from(m.spike_hours) * 3600
            )
        );
        let others: Vec<i64> = sqlx::query_scalar("SELECT id FROM brands WHERE id <> $1")
            .bind(brand)
            .fetch_all(db.pool())
            .await
            .unwrap();
        for other in others {
            let series: Vec<MentionHour> = get(&db, &format!("/api/v1/brands/{other}/mentions"))
                .await
                .json();
            assert!(
                analytics::listening::spikes(&series, &rule).is_empty(),
                "brand {other}"
            );
        }
        // What drove it: the spike's posts and authors, counted again in SQL.
        let drivers: analytics::wire::MentionDrivers = get(
            &db,
            &format!(
                "/api/v1/brands/{brand}/mentions/drivers?from={}&to={}&limit=5",
                found[0].start, found[0].end
            ),
        )
        .await
        .json();
        assert_eq!(drivers.mentions, found[0].mentions);
        let (authors, top): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(DISTINCT channel || ':' || author_id), \
             (SELECT COUNT(*) FROM mentions WHERE brand_id = $1 AND at >= $2 AND at < $3 \
              GROUP BY channel, author_id ORDER BY COUNT(*) DESC LIMIT 1) \
             FROM mentions WHERE brand_id = $1 AND at >= $2 AND at < $3",
        )
        .bind(brand)
        .bind(found[0].start)
        .bind(found[0].end)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(drivers.authors as i64, authors);
        assert_eq!(drivers.top_authors[0].mentions as i64, top);
        assert_eq!(drivers.top_posts.len(), 5);
        assert!(
            drivers
                .top_posts
                .iter()
                .all(|p| p.text.contains("求官方回应")
                    && p.at >= found[0].start
                    && p.at < found[0].end)
        );
        assert!(
            drivers
                .top_posts
                .windows(2)
                .all(|w| w[0].followers >= w[1].followers)
        );
        for (uri, status) in [
            (
                format!("/api/v1/brands/{brand}/mentions/drivers?from=1"),
                StatusCode::BAD_REQUEST,
            ),
            (
                format!("/api/v1/brands/{brand}/mentions/drivers?from=1&to=2&limit=0"),
                StatusCode::BAD_REQUEST,
            ),
            (
                "/api/v1/brands/99999/mentions/drivers?from=1&to=2".to_string(),
                StatusCode::NOT_FOUND,
            ),
        ] {
            assert_eq!(get(&db, &uri).await.status, status, "{uri}");
        }
        assert_eq!(
            get(&db, "/api/v1/brands/99999/mentions").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            get(&db, "/api/v1/brands/1/mentions?from=yesterday")
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            get(&db, "/api/v1/campaigns/999/timeseries").await.status,
            StatusCode::NOT_FOUND
        );
    }
}

/// The OpenAPI document is generated from the code and names every route.
#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let db = demo_db().await;
    let r = get(&db, "/api/v1/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let doc: serde_json::Value = r.json();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with('3'),
        "{}",
        doc["openapi"]
    );
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/health", "get"),
        ("/api/v1/campaigns", "get"),
        ("/api/v1/campaigns/{id}/summary", "get"),
        ("/api/v1/campaigns", "post"),
        ("/api/v1/brands", "get"),
        ("/api/v1/brands", "post"),
        ("/api/v1/campaigns/{id}/timeseries", "get"),
        ("/api/v1/campaigns/{id}/funnel", "get"),
        ("/api/v1/campaigns/{id}/accounts", "get"),
        ("/api/v1/campaigns/{id}/posts", "get"),
        ("/api/v1/campaigns/{id}/sketches", "get"),
        ("/api/v1/campaigns/{id}/cascades", "get"),
        ("/api/v1/campaigns/{id}/cascades/{root}/tree", "get"),
        ("/api/v1/brands/{id}/mentions", "get"),
        ("/api/v1/ingest", "post"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} missing"
        );
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in [
        "CampaignSummary",
        "Kpis",
        "DailyPoint",
        "CascadePage",
        "ErrorBody",
        "LineError",
        "IngestOutcome",
        "Channel",
        "ChannelHour",
        "FunnelRow",
        "AccountDay",
        "PostTotals",
        "Brand",
        "NewCampaignBody",
    ] {
        assert!(schemas.contains_key(name), "schema {name} missing");
    }
    assert!(doc["components"]["securitySchemes"]["api_key"].is_object());
    // The event format is documented once, in analytics::events: the OpenAPI
    // document carries it with every kind as NDJSON and CSV examples, and
    // the README quotes the same text.
    use analytics::events::{CSV_EXAMPLE, FORMAT_DOC, NDJSON_EXAMPLE};
    let body = &paths["/api/v1/ingest"]["post"]["requestBody"];
    assert_eq!(body["description"], FORMAT_DOC);
    assert_eq!(
        body["content"]["application/x-ndjson"]["example"],
        NDJSON_EXAMPLE
    );
    assert_eq!(body["content"]["text/csv"]["example"], CSV_EXAMPLE);
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    for (name, text) in [
        ("FORMAT_DOC", FORMAT_DOC),
        ("NDJSON_EXAMPLE", NDJSON_EXAMPLE),
        ("CSV_EXAMPLE", CSV_EXAMPLE),
    ] {
        assert!(
            readme.contains(text),
            "README.md must quote analytics::events::{name} exactly"
        );
    }
}

/// Reach sketches: their union estimates the exact unique reach within
/// three standard errors, for the whole campaign and for one day × channel.
#[tokio::test]
async fn reach_sketches_estimate_the_exact_reach() {
    use analytics::hll::{STANDARD_ERROR, Sketch, decode_set};
    let db = demo_db().await;
    let r = get(&db, "/api/v1/campaigns/1/sketches").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header(header::CONTENT_TYPE), "application/octet-stream");
    let set = decode_set(&r.body).unwrap();
    let summary: CampaignSummary = get(&db, "/api/v1/campaigns/1/summary").await.json();
    let mut all = Sketch::new();
    set.iter().for_each(|d| all.merge(&d.sketch));
    let exact = summary.kpis.unique_reach as f64;
    assert!(
        (all.estimate() - exact).abs() <= 3.0 * STANDARD_ERROR * exact,
        "{} vs {exact}",
        all.estimate()
    );
    let one = set
        .iter()
        .max_by_key(|d| d.sketch.estimate() as u64)
        .unwrap();
    let exact_one: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT user_id) FROM exposures WHERE campaign_id = 1 AND local_day = $1 AND channel = $2",
    )
    .bind(&one.day)
    .bind(&one.channel)
    .fetch_one(db.pool())
    .await
    .unwrap();
    let e = one.sketch.estimate();
    assert!(
        (e - exact_one as f64).abs() <= (3.0 * STANDARD_ERROR * exact_one as f64).max(1.0),
        "{e} vs {exact_one}"
    );
    assert!(r.body.len() < 400_000, "compact: {} bytes", r.body.len());
    assert_eq!(
        get(&db, "/api/v1/campaigns/999/sketches").await.status,
        StatusCode::NOT_FOUND
    );
}
