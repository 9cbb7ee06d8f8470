//! `GET /api/v1/campaigns/{id}/cascades`: built by the engine from stored
//! edges, sorted, filtered, paged, and rebuilt when new edges arrive.

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
