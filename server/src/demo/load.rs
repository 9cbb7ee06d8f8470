//! Writes a generated demo workspace into the database, in one transaction:
//! a crash half-way leaves no half-loaded workspace behind.

use super::{Demo, DemoSize, TIMEZONE};
use crate::db::{Db, local_day};
use sqlx::{QueryBuilder, Sqlite, Transaction};
use std::time::Instant;

/// What a load stored.
#[derive(Debug, Clone, Copy)]
pub struct LoadStats {
    pub events: usize,
    pub seconds: f64,
}

/// SQLite accepts up to 32,766 bound values per statement; stay below it.
const MAX_BINDS: usize = 32_000;

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
    let mut tx = db.pool().begin().await?;
    let ws: i64 = sqlx::query_scalar(
        "INSERT INTO workspaces (slug, name, timezone, created_at) VALUES (?, ?, ?, strftime('%s','now')) RETURNING id",
    )
    .bind(demo.slug)
    .bind(demo.name)
    .bind(TIMEZONE)
    .fetch_one(&mut *tx)
    .await?;

    let mut brand_ids = Vec::new();
    for b in &demo.brands {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO brands (workspace_id, name, is_competitor, keywords) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(ws)
        .bind(b.name)
        .bind(b.competitor)
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
             channels, keywords) VALUES (?, ?, ?, ?, ?, ?, 'CNY', ?, ?) RETURNING id",
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
    insert(&mut tx, "INSERT INTO accounts (id, workspace_id, channel, platform_id, handle, kind, brand_id, followers, following, posts, created_at, verified) ", 12, demo.accounts.iter().enumerate(), |q, (i, a)| {
        q.push_bind(first_account + i as i64)
            .push_bind(ws)
            .push_bind(a.user.0.as_str())
            .push_bind(Demo::platform_id(a.user))
            .push_bind(a.handle.as_str())
            .push_bind(a.kind.as_str())
            .push_bind(a.brand.map(|b| brand_ids[b]))
            .push_bind(a.followers)
            .push_bind(a.following)
            .push_bind(a.posts)
            .push_bind(a.created_at)
            .push_bind(a.verified);
    })
    .await?;
    let account_id = |i: usize| first_account + i as i64;
    let post_id = |p: u32| demo.posts[p as usize].client_id.as_str();
    let channel_of_post = |p: u32| {
        demo.accounts[demo.posts[p as usize].account]
            .user
            .0
            .as_str()
    };

    insert(&mut tx, "INSERT INTO posts (workspace_id, client_id, campaign_id, channel, account_id, posted_at, local_day, root_client_id, parent_client_id, paid, text) ", 11, demo.posts.iter(), |q, p| {
        q.push_bind(ws)
            .push_bind(p.client_id.as_str())
            .push_bind(campaign_ids[p.campaign])
            .push_bind(demo.accounts[p.account].user.0.as_str())
            .push_bind(account_id(p.account))
            .push_bind(p.at)
            .push_bind(day(p.at))
            .push_bind(p.root.map(post_id))
            .push_bind(p.parent.map(post_id))
            .push_bind(p.paid)
            .push_bind(p.text.as_str());
    })
    .await?;
    insert(&mut tx, "INSERT INTO exposures (workspace_id, client_id, campaign_id, channel, user_id, post_client_id, at, local_day) ", 8, demo.exposures.iter().enumerate(), |q, (i, e)| {
        q.push_bind(ws)
            .push_bind(format!("exp-{i}"))
            .push_bind(campaign_ids[e.campaign])
            .push_bind(channel_of_post(e.post))
            .push_bind(Demo::platform_id(e.user))
            .push_bind(post_id(e.post))
            .push_bind(e.at)
            .push_bind(day(e.at));
    })
    .await?;
    insert(&mut tx, "INSERT INTO engagements (workspace_id, client_id, campaign_id, channel, user_id, post_client_id, kind, at, local_day) ", 9, demo.engagements.iter().enumerate(), |q, (i, (e, kind))| {
        q.push_bind(ws)
            .push_bind(format!("eng-{i}"))
            .push_bind(campaign_ids[e.campaign])
            .push_bind(channel_of_post(e.post))
            .push_bind(Demo::platform_id(e.user))
            .push_bind(post_id(e.post))
            .push_bind(kind.as_str())
            .push_bind(e.at)
            .push_bind(day(e.at));
    })
    .await?;
    insert(&mut tx, "INSERT INTO follows (workspace_id, client_id, campaign_id, channel, user_id, account_id, action, at, local_day) ", 9, demo.follows.iter().enumerate(), |q, (i, f)| {
        q.push_bind(ws)
            .push_bind(format!("fol-{i}"))
            .push_bind(campaign_ids[f.campaign])
            .push_bind(f.user.0.as_str())
            .push_bind(Demo::platform_id(f.user))
            .push_bind(account_id(f.account))
            .push_bind(if f.follow { "follow" } else { "unfollow" })
            .push_bind(f.at)
            .push_bind(day(f.at));
    })
    .await?;
    insert(&mut tx, "INSERT INTO conversions (workspace_id, client_id, campaign_id, channel, user_id, kind, value_cents, post_client_id, at, local_day) ", 10, demo.conversions.iter().enumerate(), |q, (i, c)| {
        q.push_bind(ws)
            .push_bind(format!("cnv-{i}"))
            .push_bind(campaign_ids[c.campaign])
            .push_bind(c.user.0.as_str())
            .push_bind(Demo::platform_id(c.user))
            .push_bind(c.kind.as_str())
            .push_bind(c.value_cents)
            .push_bind(post_id(c.post))
            .push_bind(c.at)
            .push_bind(day(c.at));
    })
    .await?;
    insert(
        &mut tx,
        "INSERT INTO mentions (workspace_id, client_id, brand_id, channel, author_id, text, at) ",
        7,
        demo.mentions.iter().enumerate(),
        |q, (i, m)| {
            q.push_bind(ws)
                .push_bind(format!("men-{i}"))
                .push_bind(brand_ids[m.brand])
                .push_bind(m.user.0.as_str())
                .push_bind(Demo::platform_id(m.user))
                .push_bind(m.text.as_str())
                .push_bind(m.at);
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

/// Inserts `rows` with multi-row `VALUES` statements of as many rows as the
/// bind limit allows.
async fn insert<'q, T>(
    tx: &mut Transaction<'_, Sqlite>,
    head: &str,
    columns: usize,
    rows: impl Iterator<Item = T>,
    mut bind: impl FnMut(&mut sqlx::query_builder::Separated<'_, 'q, Sqlite, &'static str>, T),
) -> Result<(), sqlx::Error> {
    let per_statement = MAX_BINDS / columns;
    let mut rows = rows.peekable();
    while rows.peek().is_some() {
        let mut q: QueryBuilder<'q, Sqlite> = QueryBuilder::new(head);
        q.push_values(rows.by_ref().take(per_statement), |mut s, row| {
            bind(&mut s, row)
        });
        q.build().execute(&mut **tx).await?;
    }
    Ok(())
}
