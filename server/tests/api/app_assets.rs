//! The built app as the server embeds and serves it: compressed, cached,
//! one entry page per route, and every page's first load within its budget.

use super::*;
use std::collections::BTreeMap;

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
    // Client routes get their entry page (the same app, with that route's
    // chunks preloaded); unknown ones the list's, where the app says so.
    let overview = get(&db, "/pages/overview.html").await;
    assert_eq!(overview.header(header::CACHE_CONTROL), "no-cache");
    for (route, page) in [
        ("/campaigns/1", &overview),
        ("/campaigns/1?lang=zh-CN", &overview),
        ("/some/deep/route", &index),
    ] {
        let r = get(&db, route).await;
        assert_eq!(r.status, StatusCode::OK, "{route}");
        assert_eq!(r.body, page.body, "{route}");
    }
    assert_eq!(
        get(&db, "/missing-file.js").await.status,
        StatusCode::NOT_FOUND
    );
    let icon = get(&db, "/favicon.svg").await;
    assert_eq!(icon.status, StatusCode::OK);
    assert_eq!(icon.header(header::CONTENT_TYPE), "image/svg+xml");
}

/// First-load budgets, gzip as served (BENCHMARKS.md): the campaign list and
/// the sign-in page, and every other page. Sizes, not times: they do not
/// vary between runs.
const LIST_BUDGET: usize = 200_000;
const PAGE_BUDGET: usize = 300_000;

/// `pages.json`, written by `server/build/pages.rs`: every entry page with
/// the chunks its route needs before it can draw.
#[derive(Debug, serde::Deserialize)]
struct Manifest {
    pages: Vec<ManifestPage>,
    on_demand: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, serde::Deserialize)]
struct ManifestPage {
    route: String,
    html: String,
    chunks: Vec<String>,
    /// Chunks of parts drawn after the first draw (not preloaded).
    later: Vec<String>,
}

/// Bytes of `paths`, gzip as served.
async fn gzip_bytes(db: &Db, paths: &[String]) -> usize {
    let mut total = 0;
    for path in paths {
        let r = call(db, "GET", path, &[("accept-encoding", "gzip")]).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        total += r.body.len();
    }
    total
}

/// Every page the build knows (a page added later is in the manifest, or the
/// build stops) is served for its route, preloads every chunk its route
/// needs, and stays within its budget; so do the pages without WebAssembly.
#[tokio::test]
async fn every_page_first_load_stays_within_its_budget() {
    let db = demo_db().await;
    let manifest: Manifest = get(&db, "/pages.json").await.json();
    let routes: Vec<&str> = manifest.pages.iter().map(|p| p.route.as_str()).collect();
    for route in [
        "/",
        "/campaigns/:id",
        "/campaigns/:id/cascades",
        "/campaigns/:id/cascades/:root",
        "/campaigns/:id/listening",
        "/compare",
        "/reports",
        "/reports/:id",
    ] {
        assert!(
            routes.contains(&route),
            "{route} has no entry page: {routes:?}"
        );
    }
    let hero = &fixture().demo.manifest.hero_root;
    let mut report = Vec::new();
    let mut over: Vec<String> = Vec::new();
    for page in &manifest.pages {
        let url = page.route.replace(":id", "1").replace(":root", hero);
        let served = get(&db, &url).await;
        let html = get(&db, &page.html).await;
        assert_eq!(served.body, html.body, "{url} is served {}", page.html);
        let html = String::from_utf8(html.body).unwrap();
        let paths = first_load_paths_of(&page.html, &html);
        for chunk in &page.chunks {
            assert!(
                paths.contains(chunk),
                "{} does not preload {chunk}",
                page.html
            );
        }
        assert!(
            paths.iter().filter(|p| p.ends_with(".wasm")).count() == 1 + page.chunks.len(),
            "{} loads more than its route's chunks: {paths:?}",
            page.html
        );
        // The reports' pages are their own module, not the dashboard's.
        let module = if page.route.starts_with("/reports") {
            "/reports-"
        } else {
            "/app-"
        };
        assert!(
            paths
                .iter()
                .any(|p| p.starts_with(module) && p.ends_with(".wasm")),
            "{} is not drawn by {module}: {paths:?}",
            page.html
        );
        let total = gzip_bytes(&db, &paths).await;
        let budget = if page.route == "/" {
            LIST_BUDGET
        } else {
            PAGE_BUDGET
        };
        let later = gzip_bytes(&db, &page.later).await;
        for chunk in &page.later {
            assert!(
                !paths.contains(chunk),
                "{} preloads its later {chunk}",
                page.html
            );
        }
        report.push(format!(
            "{}: {total} B (+{later} B after the first draw)",
            page.route
        ));
        if total > budget {
            over.push(format!("{} is {total} B (budget {budget} B)", page.route));
        }
    }
    for chunks in manifest.on_demand.values() {
        assert!(!chunks.is_empty());
        gzip_bytes(&db, chunks).await;
    }
    // The report builder's preview fetches the reports' typeface after its
    // first draw (no page preloads it); served as it is, being WOFF2.
    let font = call(
        &db,
        "GET",
        "/fonts/ReportSansSC-Regular.woff2",
        &[("accept-encoding", "gzip, br")],
    )
    .await;
    assert_eq!(font.status, StatusCode::OK);
    assert_eq!(font.header(header::CONTENT_TYPE), "font/woff2");
    assert_eq!(&font.body[..4], b"wOF2");
    report.push(format!(
        "/reports/:id's typeface: +{} B after the first draw",
        font.body.len()
    ));
    let licence = get(&db, "/fonts/OFL.txt").await;
    assert!(String::from_utf8_lossy(&licence.body).contains("SIL OPEN FONT LICENSE"));
    for page in ["/sign-in", "/settings"] {
        let html = String::from_utf8(get(&db, page).await.body).unwrap();
        let paths = first_load_paths_of(&format!("{page}/index.html"), &html);
        assert!(
            !paths.iter().any(|p| p.ends_with(".wasm")),
            "{page}: {paths:?}"
        );
        let total = gzip_bytes(&db, &paths).await;
        report.push(format!("{page}: {total} B"));
        if total > LIST_BUDGET {
            over.push(format!("{page} is {total} B (budget {LIST_BUDGET} B)"));
        }
    }
    println!("first loads (gzip): {}", report.join(", "));
    assert!(
        over.is_empty(),
        "first loads over budget, gzip as served: {over:?}"
    );
}
