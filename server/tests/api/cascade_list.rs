//! `GET /api/v1/campaigns/{id}/cascades`: built by the engine from stored
//! edges, sorted, filtered, paged, and rebuilt when new edges arrive.

use super::*;
use analytics::wire::{CascadePage, OutlookState, PredictionParams};

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
    // The demo is months old: every cascade has finished, at its size.
    assert_eq!(hero.prediction.state, OutlookState::Finished);
    assert_eq!(hero.prediction.estimate, hero.size as f64);
    assert!(
        all.iter()
            .all(|c| c.prediction.state == OutlookState::Finished)
    );
    // Replayed, the hero gets a finite forecast at hour 1 and 6.
    use analytics::cascade::prediction::{Outlook, at_hour, default_models};
    for h in [1.0, 6.0] {
        let Some(Outlook::Growing {
            horizon_h,
            forecast: f,
        }) = at_hour(&stored.tree, h, &default_models())
        else {
            panic!("no forecast at hour {h}");
        };
        assert_eq!(horizon_h, h);
        let n = hero.size as f64;
        println!("hero at {h} h: {f:?}, final {n}");
        assert!(f.high95.is_finite() && f.low95 <= f.estimate && f.estimate <= f.high95);
        assert!(f.low95 >= f.observed as f64 && f.observed as f64 <= n);
    }

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

/// A fresh workspace with one Weibo campaign, and a key that writes and
/// reads it: `(dir, state, key, campaign)`.
async fn acme() -> (tempfile::TempDir, AppState, String, i64) {
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
    (dir, AppState::new(db), key, c)
}

async fn send(state: &AppState, key: &str, body: String) -> StatusCode {
    let req = Request::builder()
        .method("POST")
        .uri("/api/v1/ingest")
        .header("authorization", format!("Bearer {key}"))
        .body(Body::from(body))
        .unwrap();
    app(state.clone()).oneshot(req).await.unwrap().status()
}

async fn list(state: &AppState, key: &str, c: i64) -> CascadePage {
    list_sorted(state, key, c, "posted&order=asc").await
}

async fn list_sorted(state: &AppState, key: &str, c: i64, sort: &str) -> CascadePage {
    let req = Request::builder()
        .uri(format!("/api/v1/campaigns/{c}/cascades?sort={sort}"))
        .header("authorization", format!("Bearer {key}"))
        .body(Body::empty())
        .unwrap();
    let res = app(state.clone()).oneshot(req).await.unwrap();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice::<CascadePage>(&body).unwrap()
}

/// One post event of campaign `c` at `time` (RFC 3339), a repost of
/// `parent` in the cascade of `root` when given.
fn post(c: i64, id: &str, link: Option<(&str, &str)>, time: &str) -> String {
    let link = link
        .map(|(root, p)| format!(",\"root_id\":\"{root}\",\"parent_id\":\"{p}\""))
        .unwrap_or_default();
    format!(
        "{{\"kind\":\"post\",\"id\":\"{id}\",\"channel\":\"weibo\",\"author\":\"u{id}\",\"time\":\"{time}\",\"campaign\":{c}{link}}}\n"
    )
}

#[tokio::test]
async fn a_new_repost_is_in_the_next_read() {
    let (_dir, state, key, c) = acme().await;
    let at = |minute: u32| format!("2026-03-01T10:{minute:02}:00Z");
    let body = post(c, "p0", None, &at(0)) + &post(c, "p1", Some(("p0", "p0")), &at(1));
    assert_eq!(send(&state, &key, body).await, StatusCode::OK);
    assert_eq!(list(&state, &key, c).await.items[0].size, 2);
    // Late edges: a repost of p1, then one of a parent that arrives after it.
    let late = post(c, "p3", Some(("p0", "p2")), &at(3));
    assert_eq!(send(&state, &key, late).await, StatusCode::OK);
    let parent = post(c, "p2", Some(("p0", "p1")), &at(2));
    assert_eq!(send(&state, &key, parent).await, StatusCode::OK);
    let after = list(&state, &key, c).await;
    assert_eq!(
        (after.items[0].size, after.items[0].depth),
        (4, 3),
        "the cached list was rebuilt"
    );
}

/// Predictions are made as of now: a months-old cascade is finished, a
/// ten-minute-old one too early to tell, and one still arriving three hours
/// in is forecast from its second hour, with finite intervals.
#[tokio::test]
async fn a_cascade_is_finished_too_early_or_forecast_as_of_now() {
    let (_dir, state, key, c) = acme().await;
    let now = chrono::Utc::now();
    let at = |ago_s: i64| {
        (now - chrono::Duration::seconds(ago_s)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    let mut body = String::new();
    // Finished: posted in March, done within minutes.
    body += &post(c, "old", None, "2026-03-01T10:00:00Z");
    for i in 0..60 {
        body += &post(
            c,
            &format!("old{i}"),
            Some(("old", "old")),
            &format!("2026-03-01T10:{:02}:00Z", i % 60),
        );
    }
    // Growing: posted 3 h ago, a repost every 2.5 minutes since.
    body += &post(c, "live", None, &at(3 * 3600));
    for i in 0..70 {
        body += &post(
            c,
            &format!("live{i}"),
            Some(("live", "live")),
            &at(3 * 3600 - 150 * (i + 1)),
        );
    }
    // Too early: posted 10 minutes ago.
    body += &post(c, "young", None, &at(600));
    body += &post(c, "young1", Some(("young", "young")), &at(300));
    assert_eq!(send(&state, &key, body).await, StatusCode::OK);
    let page = list(&state, &key, c).await;
    let by_root = |r: &str| {
        page.items
            .iter()
            .find(|i| i.root_id == r)
            .unwrap()
            .prediction
            .clone()
    };
    let old = by_root("old");
    assert_eq!(old.state, OutlookState::Finished);
    assert_eq!((old.estimate, old.high95), (61.0, None));
    let young = by_root("young");
    assert_eq!(
        (young.state, young.estimate, young.low80),
        (OutlookState::TooEarly, 2.0, None)
    );
    let live = by_root("live");
    assert_eq!(live.state, OutlookState::Growing, "{live:?}");
    assert_eq!(live.horizon_h, Some(2.0));
    assert_eq!(live.params, PredictionParams::Defaults);
    let (l95, l80, h80, h95) = (
        live.low95.unwrap(),
        live.low80.unwrap(),
        live.high80.unwrap(),
        live.high95.unwrap(),
    );
    // Seen by hour 2: the root and 48 reposts.
    assert!(
        49.0 <= l95 && l95 <= l80 && l80 <= live.estimate && live.estimate <= h80 && h80 <= h95
    );
    assert!(h95.is_finite() && h95 < 49.0 * 50.0, "{live:?}");
    // Sorting by the prediction sorts by its estimate.
    let sorted = list_sorted(&state, &key, c, "predicted&order=desc").await;
    let estimates: Vec<f64> = sorted.items.iter().map(|i| i.prediction.estimate).collect();
    assert!(estimates.windows(2).all(|w| w[0] >= w[1]), "{estimates:?}");
}
