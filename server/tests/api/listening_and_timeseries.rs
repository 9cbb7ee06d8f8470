//! The timeseries by day × channel and the hourly mention volume come from
//! rollups and agree with the raw events.

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
        peak.hour >= m.spike_start && peak.hour < m.spike_start + i64::from(m.spike_hours) * 3600
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
