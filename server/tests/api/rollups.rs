//! Rollups kept incrementally by ingestion equal plain SQL over the raw
//! events and a rebuild from scratch, with events arriving out of order.

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
        count("SELECT COUNT(*) FROM follows WHERE campaign_id = $1 AND action = 'follow'").await
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
