//! The demo workspace as stored: its planted features are in the data, it
//! loads once into a new file, and the detector finds its planted burst.

use super::*;

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
