//! Writes a generated demo workspace into the database, in one transaction:
//! a crash half-way leaves no half-loaded workspace behind.

use super::{Demo, DemoSize, TIMEZONE};
use crate::db::sql::insert_rows;
use crate::db::{Db, local_day};
use std::time::Instant;

/// What a load stored.
#[derive(Debug, Clone, Copy)]
pub struct LoadStats {
    pub events: usize,
    pub seconds: f64,
}

/// Generates and stores the demo workspace unless a workspace `demo` exists.
/// Returns `None` when it was already there.
pub async fn load_if_absent(db: &Db, size: DemoSize) -> Result<Option<LoadStats>, sqlx::Error> {
    let started = Instant::now();
    if db.workspace_exists("demo").await? {
        return Ok(None);
    }
    let demo = tokio::task::spawn_blocking(move || super::generate(size))
        .await
        .map_err(|e| sqlx::Error::Protocol(format!("the demo generator failed: {e}")))?;
    store(db, &demo).await?;
    Ok(Some(LoadStats {
        events: demo.event_count(),
        seconds: started.elapsed().as_secs_f64(),
    }))
}

/// Stores `demo` as a new workspace.
pub async fn store(db: &Db, demo: &Demo) -> Result<(), sqlx::Error> {
    let tz: chrono_tz::Tz = TIMEZONE
        .parse()
        .map_err(|e| sqlx::Error::Protocol(format!("bad zone: {e}")))?;
    let day = |at: i64| local_day(tz, at);
    let mut tx = db.begin_write().await?;
    let ws: i64 = sqlx::query_scalar(
        "INSERT INTO workspaces (slug, name, timezone, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(demo.slug)
    .bind(demo.name)
    .bind(TIMEZONE)
    .bind(chrono::Utc::now().timestamp())
    .fetch_one(&mut *tx)
    .await?;

    let mut brand_ids = Vec::new();
    for b in &demo.brands {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO brands (workspace_id, name, is_competitor, keywords) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(ws)
        .bind(b.name)
        .bind(i64::from(b.competitor))
        .bind(b.keywords.join("\n"))
        .fetch_one(&mut *tx)
        .await?;
        brand_ids.push(id);
    }
    let mut campaign_ids = Vec::new();
    for c in &demo.campaigns {
        let channels: Vec<&str> = c.channels.iter().map(|ch| ch.as_str()).collect();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO campaigns (workspace_id, brand_id, name, start_date, end_date, budget_cents, currency, \
             channels, keywords) VALUES ($1, $2, $3, $4, $5, $6, 'CNY', $7, $8) RETURNING id",
        )
        .bind(ws)
        .bind(brand_ids[c.brand])
        .bind(c.name)
        .bind(c.start.to_string())
        .bind(c.end.to_string())
        .bind(c.budget_cents)
        .bind(channels.join(","))
        .bind(c.keywords.join("\n"))
        .fetch_one(&mut *tx)
        .await?;
        campaign_ids.push(id);
    }

    // Accounts get ids after the largest one in use, so events can refer to them.
    let first_account: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM accounts")
        .fetch_one(&mut *tx)
        .await?;
    insert_rows(&mut tx.tx, db.backend(), "INSERT INTO accounts (id, workspace_id, channel, platform_id, handle, kind, brand_id, followers, following, posts, created_at, verified) ", 12, demo.accounts.iter().enumerate(), "", |q, (i, a)| {
        q.bind(first_account + i as i64)
            .bind(ws)
            .bind(a.user.0.as_str())
            .bind(Demo::platform_id(a.user))
            .bind(a.handle.as_str())
            .bind(a.kind.as_str())
            .bind(a.brand.map(|b| brand_ids[b]))
            .bind(a.followers)
            .bind(a.following)
            .bind(a.posts)
            .bind(a.created_at)
            .bind(i64::from(a.verified));
    })
    .await?;
    if db.backend() == crate::db::Backend::Postgres {
        // The ids above were chosen here, not drawn from the sequence: move it past them.
        sqlx::query("SELECT setval(pg_get_serial_sequence('accounts', 'id'), (SELECT MAX(id) FROM accounts))")
            .execute(&mut *tx)
            .await?;
    }
    let account_id = |i: usize| first_account + i as i64;
    let post_id = |p: u32| demo.posts[p as usize].client_id.as_str();
    let channel_of_post = |p: u32| {
        demo.accounts[demo.posts[p as usize].account]
            .user
            .0
            .as_str()
    };

    insert_rows(&mut tx.tx, db.backend(), "INSERT INTO posts (workspace_id, client_id, campaign_id, channel, account_id, posted_at, local_day, root_client_id, parent_client_id, paid, text) ", 11, demo.posts.iter(), "", |q, p| {
        q.bind(ws)
            .bind(p.client_id.as_str())
            .bind(campaign_ids[p.campaign])
            .bind(demo.accounts[p.account].user.0.as_str())
            .bind(account_id(p.account))
            .bind(p.at)
            .bind(day(p.at))
            .bind(p.root.map(post_id))
            .bind(p.parent.map(post_id))
            .bind(i64::from(p.paid))
            .bind(p.text.as_str());
    })
    .await?;
    insert_rows(&mut tx.tx, db.backend(), "INSERT INTO exposures (workspace_id, client_id, campaign_id, channel, user_id, post_client_id, at, local_day) ", 8, demo.exposures.iter().enumerate(), "", |q, (i, e)| {
        q.bind(ws)
            .bind(format!("exp-{i}"))
            .bind(campaign_ids[e.campaign])
            .bind(channel_of_post(e.post))
            .bind(Demo::platform_id(e.user))
            .bind(post_id(e.post))
            .bind(e.at)
            .bind(day(e.at));
    })
    .await?;
    insert_rows(&mut tx.tx, db.backend(), "INSERT INTO engagements (workspace_id, client_id, campaign_id, channel, user_id, post_client_id, kind, at, local_day) ", 9, demo.engagements.iter().enumerate(), "", |q, (i, (e, kind))| {
        q.bind(ws)
            .bind(format!("eng-{i}"))
            .bind(campaign_ids[e.campaign])
            .bind(channel_of_post(e.post))
            .bind(Demo::platform_id(e.user))
            .bind(post_id(e.post))
            .bind(kind.as_str())
            .bind(e.at)
            .bind(day(e.at));
    })
    .await?;
    insert_rows(&mut tx.tx, db.backend(), "INSERT INTO follows (workspace_id, client_id, campaign_id, channel, user_id, account_id, action, at, local_day) ", 9, demo.follows.iter().enumerate(), "", |q, (i, f)| {
        q.bind(ws)
            .bind(format!("fol-{i}"))
            .bind(campaign_ids[f.campaign])
            .bind(f.user.0.as_str())
            .bind(Demo::platform_id(f.user))
            .bind(account_id(f.account))
            .bind(if f.follow { "follow" } else { "unfollow" })
            .bind(f.at)
            .bind(day(f.at));
    })
    .await?;
    insert_rows(&mut tx.tx, db.backend(), "INSERT INTO conversions (workspace_id, client_id, campaign_id, channel, user_id, kind, value_cents, post_client_id, at, local_day) ", 10, demo.conversions.iter().enumerate(), "", |q, (i, c)| {
        q.bind(ws)
            .bind(format!("cnv-{i}"))
            .bind(campaign_ids[c.campaign])
            .bind(c.user.0.as_str())
            .bind(Demo::platform_id(c.user))
            .bind(c.kind.as_str())
            .bind(c.value_cents)
            .bind(post_id(c.post))
            .bind(c.at)
            .bind(day(c.at));
    })
    .await?;
    insert_rows(
        &mut tx.tx,
        db.backend(),
        "INSERT INTO mentions (workspace_id, client_id, brand_id, channel, author_id, text, at) ",
        7,
        demo.mentions.iter().enumerate(),
        "",
        |q, (i, m)| {
            q.bind(ws)
                .bind(format!("men-{i}"))
                .bind(brand_ids[m.brand])
                .bind(m.user.0.as_str())
                .bind(Demo::platform_id(m.user))
                .bind(m.text.as_str())
                .bind(m.at);
        },
    )
    .await?;
    tx.commit().await?;
    for campaign in campaign_ids {
        db.rebuild_rollups(campaign).await?;
    }
    db.rebuild_mention_rollups(ws).await?;
    Ok(())
}

/// The second demo agency's workspace: loaded after the first, so the first
/// agency's campaigns keep ids 1–3. Its owner is not the demo owner: the
/// demo shows two tenants side by side that cannot see each other.
pub const SECOND_AGENCY: &str = "northwind";
/// The demo workspace's owner, who signs in with the printed link.
pub const DEMO_OWNER: &str = "demo@example.com";

/// Loads the second agency (a workspace, a client brand, one campaign and a
/// small word-of-mouth cascade, stored through the ordinary ingestion path)
/// unless it exists.
pub async fn load_second_agency(db: &Db) -> anyhow::Result<bool> {
    if db.workspace_exists(SECOND_AGENCY).await? {
        return Ok(false);
    }
    db.create_workspace(SECOND_AGENCY, "北风传播 Northwind Agency", TIMEZONE)
        .await?;
    let id = db
        .create_campaign(&crate::db::NewCampaign {
            workspace: SECOND_AGENCY.into(),
            brand: "极光咖啡 Aurora Coffee".into(),
            competitor: false,
            name: "冷萃季 Cold Brew Season".into(),
            start: "2026-03-05".into(),
            end: "2026-03-25".into(),
            budget: Some("20000".into()),
            currency: "CNY".into(),
            channels: vec!["weibo".into(), "xiaohongshu".into()],
            keywords: vec!["#冷萃季#".into()],
        })
        .await?;
    let mut lines = vec![
        r#"{"kind":"account","id":"nw-a0","channel":"weibo","user_id":"aurora","handle":"极光咖啡官方","followers":120000,"type":"owned","verified":true}"#.to_string(),
        format!(r#"{{"kind":"post","id":"nw-p0","channel":"weibo","author":"aurora","time":"2026-03-05T10:00:00+08:00","campaign":{id},"text":"冷萃季开始 ☕"}}"#),
    ];
    // A small cascade: ten reposts of the original, two of them reposted again.
    for i in 1..=12 {
        let parent = if i > 10 {
            format!("nw-p{}", i - 10)
        } else {
            "nw-p0".into()
        };
        lines.push(format!(
            r#"{{"kind":"post","id":"nw-p{i}","channel":"weibo","author":"nw-u{i}","time":"2026-03-05T{:02}:{:02}:00+08:00","campaign":{id},"root_id":"nw-p0","parent_id":"{parent}"}}"#,
            10 + i / 6,
            (i * 7) % 60
        ));
    }
    for i in 0..200 {
        let post = format!("nw-p{}", i % 13);
        lines.push(format!(
            r#"{{"kind":"exposure","id":"nw-e{i}","channel":"weibo","user_id":"nw-v{}","post_id":"{post}","time":"2026-03-{:02}T12:{:02}:00+08:00","campaign":{id}}}"#,
            i % 150,
            5 + i % 15,
            i % 60
        ));
    }
    for i in 0..40 {
        lines.push(format!(
            r#"{{"kind":"engagement","id":"nw-g{i}","channel":"weibo","user_id":"nw-v{i}","post_id":"nw-p0","action":"like","time":"2026-03-{:02}T13:00:00+08:00","campaign":{id}}}"#,
            5 + i % 15
        ));
    }
    let events = analytics::events::parse_ndjson(&lines.join("\n")).map_err(|lines| {
        anyhow::anyhow!("the second demo agency's events are invalid: {lines:?}")
    })?;
    db.ingest(SECOND_AGENCY, &events, crate::db::OnConflict::Refuse)
        .await?;
    Ok(true)
}

/// The demo owner (created, with no password, and made owner of `demo`, if
/// missing) and a new one-time sign-in link for them.
pub async fn demo_sign_in_link(db: &Db) -> Result<String, crate::db::access::AccessError> {
    let user = match db.user_by_email(DEMO_OWNER).await? {
        Some(u) => u,
        None => {
            let u = db.create_user(DEMO_OWNER, "演示 Demo Owner", None).await?;
            db.add_member("demo", DEMO_OWNER, crate::access::Role::Owner, None)
                .await?;
            u
        }
    };
    Ok(db.create_sign_in_link(user.id).await?)
}

/// A small, clean agency mark for the demo's reports (sanitised on load
/// like any uploaded logo).
const DEMO_LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="140" height="30" viewBox="0 0 140 30"><rect x="0" y="3" width="24" height="24" rx="6" fill="#1d4ed8"/><path d="M6 20 L12 9 L18 20 Z" fill="#ffffff"/><rect x="32" y="9" width="100" height="5" rx="2.5" fill="#0f172a"/><rect x="32" y="18" width="70" height="4" rx="2" fill="#94a3b8"/></svg>"##;

/// Saves the demo's reports of its flagship campaign unless the demo
/// workspace has some: first in Chinese (A4), then in English (slides).
pub async fn load_reports(db: &Db) -> anyhow::Result<bool> {
    use analytics::Lang;
    use analytics::report::{
        Branding, PageFormat, Panel, PanelKind, ReportDefinition, ReportFilter,
    };
    use base64::Engine;
    if !db.workspace_exists("demo").await? || !db.list_reports("demo").await?.is_empty() {
        return Ok(false);
    }
    let Some(flagship) = db
        .list_campaigns()
        .await?
        .into_iter()
        .filter(|c| c.workspace.slug == "demo")
        .min_by_key(|c| c.id)
    else {
        return Ok(false);
    };
    let fonts = crate::report::font::Fonts::load().map_err(anyhow::Error::msg)?;
    let logo = format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(DEMO_LOGO)
    );
    let logo = crate::report::logo::sanitize(&logo, &fonts)?;
    // Every kind of panel, in the dashboard's order.
    let panels = PanelKind::ALL.map(Panel::of).to_vec();
    let name = flagship.name.clone();
    for (lang, page, title, agency) in [
        (
            Lang::Zh,
            PageFormat::A4Portrait,
            format!("「{name}」传播效果报告"),
            "星火数字营销",
        ),
        (
            Lang::En,
            PageFormat::Slide16x9,
            format!("{name}: campaign results"),
            "Spark Digital Agency",
        ),
    ] {
        let def = ReportDefinition {
            title,
            campaign_id: flagship.id,
            lang,
            page,
            filter: ReportFilter::default(),
            panels: panels.clone(),
            branding: Branding {
                name: agency.into(),
                logo: Some(logo.clone()),
                ..Branding::default()
            },
        };
        def.check()
            .map_err(|e| anyhow::anyhow!("the demo report: {e}"))?;
        db.create_report(&flagship, &def).await?;
    }
    Ok(true)
}
