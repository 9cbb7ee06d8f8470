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

/// One request to the whole application on `state`, answered in full.
async fn send_to(
    state: &AppState,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: Body,
) -> Reply {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app(state.clone())
        .oneshot(req.body(body).unwrap())
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

async fn call(db: &Db, method: &str, uri: &str, headers: &[(&str, &str)]) -> Reply {
    send_to(
        &AppState::new(db.clone()),
        method,
        uri,
        headers,
        Body::empty(),
    )
    .await
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

#[path = "api/app_assets.rs"]
mod app_assets;

#[path = "api/demo.rs"]
mod demo_data;

#[path = "api/cli.rs"]
mod cli;

#[path = "api/twitter15.rs"]
mod twitter15;

#[path = "api/setup_and_import.rs"]
mod setup_and_import;

#[path = "api/ingest.rs"]
mod ingest;

#[path = "api/cascade_list.rs"]
mod cascade_list;

#[path = "api/crash.rs"]
mod crash;

#[path = "api/rollups.rs"]
mod rollups;

#[path = "api/listening_and_timeseries.rs"]
mod listening_and_timeseries;

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

#[path = "api/reports.rs"]
mod reports;
