//! `POST /api/v1/ingest`: keys, atomic batches, duplicates and conflicts,
//! limits, and text stored byte for byte.

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

async fn post_to(db: &Db, uri: &str, key: Option<&str>, content_type: &str, body: String) -> Reply {
    let bearer = key.map(|k| format!("Bearer {k}"));
    let mut headers = vec![("content-type", content_type)];
    if let Some(b) = &bearer {
        headers.push(("authorization", b));
    }
    super::send_to(
        &AppState::new(db.clone()),
        "POST",
        uri,
        &headers,
        Body::from(body),
    )
    .await
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
