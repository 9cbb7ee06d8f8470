//! The cascade list of a campaign: every cascade built from the stored raw
//! edges by the engine, summarised, then filtered, sorted and paged.
//!
//! Building is the expensive part, so the summaries are cached per campaign
//! under the campaign's data version, which every ingested batch and every
//! import raises in its own transaction (in any process): the next read
//! rebuilds. A read after an acknowledged write sees it.

use crate::db::Db;
use analytics::cascade::amplification::{AccountFeatures, AmplificationConfig, detect};
use analytics::cascade::prediction;
use analytics::cascade::{Endpoint, Row, build_tree};
use analytics::wire::{CascadeOutlook, CascadePage, CascadeSummary, Channel, PredictionParams};
use sqlx::Row as _;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A campaign's data version (`Db::campaign_version`): changes with every new edge.
type Version = i64;

/// A campaign's summaries, the version they were built at and when: an
/// outlook is "as of now", so summaries older than [`OUTLOOK_FOR`] are
/// rebuilt even when no data came in.
type Built = (Version, std::time::Instant, Arc<Vec<CascadeSummary>>);

/// How long a cascade's outlook is kept before it is computed again.
const OUTLOOK_FOR: std::time::Duration = std::time::Duration::from_secs(600);

/// Summaries per campaign, with the version they were built at.
#[derive(Debug, Default, Clone)]
pub struct CascadeCache {
    inner: Arc<Mutex<HashMap<i64, Built>>>,
}

/// How to order the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Size,
    Depth,
    Virality,
    T50,
    Predicted,
    Posted,
}

impl SortKey {
    pub const NAMES: &'static str = "size, depth, virality, t50, predicted, posted";

    pub fn parse(s: &str) -> Option<SortKey> {
        Some(match s {
            "size" => SortKey::Size,
            "depth" => SortKey::Depth,
            "virality" | "structural_virality" => SortKey::Virality,
            "t50" => SortKey::T50,
            "predicted" | "predicted_size" => SortKey::Predicted,
            "posted" | "posted_at" => SortKey::Posted,
            _ => return None,
        })
    }
}

/// A parsed list request.
#[derive(Debug, Clone, PartialEq)]
pub struct ListQuery {
    pub sort: SortKey,
    pub descending: bool,
    pub channel: Option<Channel>,
    pub min_size: Option<u64>,
    pub max_size: Option<u64>,
    /// Posted at or after / before (Unix seconds).
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// Only the cascade rooted at this post.
    pub root: Option<String>,
    pub page: u32,
    pub per_page: u32,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            sort: SortKey::Size,
            descending: true,
            channel: None,
            min_size: None,
            max_size: None,
            from: None,
            to: None,
            root: None,
            page: 1,
            per_page: 50,
        }
    }
}

/// The cascades of `campaign`, filtered, sorted and paged.
pub async fn list(
    db: &Db,
    cache: &CascadeCache,
    campaign: i64,
    q: &ListQuery,
) -> Result<CascadePage, sqlx::Error> {
    let all = summaries(db, cache, campaign).await?;
    let mut items: Vec<&CascadeSummary> = all
        .iter()
        .filter(|c| q.channel.is_none_or(|ch| c.channel == ch))
        .filter(|c| {
            q.min_size.is_none_or(|m| c.size >= m) && q.max_size.is_none_or(|m| c.size <= m)
        })
        .filter(|c| q.from.is_none_or(|f| c.posted_at >= f) && q.to.is_none_or(|t| c.posted_at < t))
        .filter(|c| q.root.as_ref().is_none_or(|r| &c.root_id == r))
        .collect();
    let key = |c: &CascadeSummary| -> f64 {
        match q.sort {
            SortKey::Size => c.size as f64,
            SortKey::Depth => f64::from(c.depth),
            SortKey::Virality => c.structural_virality.unwrap_or(0.0),
            SortKey::T50 => c.t50_s,
            SortKey::Predicted => c.prediction.estimate,
            SortKey::Posted => c.posted_at as f64,
        }
    };
    items.sort_by(|a, b| {
        let o = key(a)
            .total_cmp(&key(b))
            .then_with(|| a.root_id.cmp(&b.root_id));
        if q.descending { o.reverse() } else { o }
    });
    let total = items.len() as u64;
    let start = (q.page.max(1) as usize - 1).saturating_mul(q.per_page as usize);
    let items = items
        .into_iter()
        .skip(start)
        .take(q.per_page as usize)
        .cloned()
        .collect();
    Ok(CascadePage {
        total,
        page: q.page.max(1),
        per_page: q.per_page,
        items,
    })
}

pub async fn summaries(
    db: &Db,
    cache: &CascadeCache,
    campaign: i64,
) -> Result<Arc<Vec<CascadeSummary>>, sqlx::Error> {
    let version: Version = db.campaign_version(campaign).await?;
    if let Some((v, at, s)) = cache
        .inner
        .lock()
        .ok()
        .and_then(|m| m.get(&campaign).cloned())
        && v == version
        && at.elapsed() < OUTLOOK_FOR
    {
        return Ok(s);
    }
    let now_s = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    let built = Arc::new(build_all(db, campaign, now_s).await?);
    if let Ok(mut m) = cache.inner.lock() {
        m.insert(
            campaign,
            (version, std::time::Instant::now(), built.clone()),
        );
    }
    Ok(built)
}

/// Builds and summarises every cascade of a campaign from one scan of its
/// posts, with its outlook as of `now_s` (Unix seconds).
async fn build_all(db: &Db, campaign: i64, now_s: f64) -> Result<Vec<CascadeSummary>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT p.client_id, p.parent_client_id, p.root_client_id, COALESCE(p.posted_at_ms, p.posted_at * 1000), \
         p.channel, a.handle, a.followers, a.following, a.posts, a.created_at \
         FROM posts p JOIN accounts a ON a.id = p.account_id WHERE p.campaign_id = $1 ORDER BY p.id",
    )
    .bind(campaign)
    .fetch_all(db.pool())
    .await?;
    struct Node {
        row: Row<String>,
        features: AccountFeatures,
    }
    let mut by_root: HashMap<String, Vec<Node>> = HashMap::new();
    let mut roots: Vec<(String, Channel, String, i64)> = Vec::new();
    for r in &rows {
        let id: String = r.try_get(0)?;
        let parent: Option<String> = r.try_get(1)?;
        let root: Option<String> = r.try_get(2)?;
        let ms: i64 = r.try_get(3)?;
        let channel: String = r.try_get(4)?;
        let handle: String = r.try_get(5)?;
        let created: Option<i64> = r.try_get(9)?;
        let count = |i: usize| r.try_get::<i64, _>(i).map(|v| v.max(0) as u64);
        let features = AccountFeatures {
            followers: count(6)?,
            following: count(7)?,
            posts: count(8)?,
            age_days: created.map(|c| (ms.div_euclid(1000) - c) as f64 / 86_400.0),
        };
        let (key, endpoint) = match parent {
            None => {
                roots.push((
                    id.clone(),
                    Channel::parse(&channel).unwrap_or(Channel::Weibo),
                    handle,
                    ms.div_euclid(1000),
                ));
                (id.clone(), Endpoint::Root)
            }
            Some(p) => (root.unwrap_or_else(|| p.clone()), Endpoint::Node(p)),
        };
        let row = Row {
            parent: endpoint,
            child: id,
            parent_time: f64::NAN,
            child_time: ms as f64 / 1000.0,
        };
        by_root.entry(key).or_default().push(Node { row, features });
    }
    let config = AmplificationConfig::default();
    let mut out = Vec::with_capacity(roots.len());
    let mut trees = Vec::with_capacity(roots.len());
    for (root, channel, author, posted_at) in roots {
        let Some(nodes) = by_root.get(&root) else {
            continue;
        };
        let edge_rows: Vec<Row<String>> = nodes.iter().map(|n| n.row.clone()).collect();
        let Ok(tree) = build_tree(&edge_rows) else {
            continue;
        };
        let index: HashMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.row.child.as_str(), i))
            .collect();
        let feature_of = |id: &String| {
            index
                .get(id.as_str())
                .map(|&i| nodes[i].features)
                .unwrap_or_default()
        };
        let features: Vec<AccountFeatures> = tree.ids.iter().map(feature_of).collect();
        let m = tree.metrics();
        let root_s = tree.time.first().copied().unwrap_or(0.0);
        let flagged = detect(&tree, &features, &config)
            .iter()
            .map(|f| f.nodes.len() as u64)
            .sum();
        out.push(CascadeSummary {
            root_id: root,
            channel,
            author,
            posted_at,
            size: m.n,
            depth: m.depth,
            structural_virality: m.structural_virality,
            t50_s: m.t50 - root_s,
            prediction: CascadeOutlook::of(
                &prediction::Outlook::Finished,
                m.n,
                PredictionParams::Defaults,
            ),
            flagged_reposts: flagged,
        });
        trees.push(tree);
    }
    let models = models_per_channel(&out, &trees, now_s);
    for (summary, tree) in out.iter_mut().zip(&trees) {
        let (models, params) = &models[&summary.channel];
        let outlook = prediction::outlook(tree, now_s, models);
        summary.prediction = CascadeOutlook::of(&outlook, summary.size, *params);
    }
    Ok(out)
}

/// The models each channel's forecasts use: a fit on the campaign's own
/// finished cascades of that channel when it has at least
/// [`prediction::MIN_FIT_TREES`] of [`prediction::MIN_TREE`] nodes or more,
/// else the shipped defaults.
fn models_per_channel<K>(
    summaries: &[CascadeSummary],
    trees: &[analytics::cascade::Tree<K>],
    now_s: f64,
) -> HashMap<Channel, (Vec<prediction::Model>, PredictionParams)> {
    let defaults = prediction::default_models();
    Channel::ALL
        .iter()
        .map(|&channel| {
            let finished: Vec<&analytics::cascade::Tree<K>> = summaries
                .iter()
                .zip(trees)
                .filter(|(s, t)| {
                    s.channel == channel
                        && t.len() >= prediction::MIN_TREE
                        && prediction::is_finished(&t.time, now_s)
                })
                .map(|(_, t)| t)
                .collect();
            let own = (finished.len() >= prediction::MIN_FIT_TREES)
                .then(|| prediction::fit_all(&finished))
                .flatten();
            let chosen = match own {
                Some(models) => (models, PredictionParams::Own),
                None => (defaults.clone(), PredictionParams::Defaults),
            };
            (channel, chosen)
        })
        .collect()
}

fn saturate(n: u64) -> u32 {
    n.min(u64::from(u32::MAX)) as u32
}

/// One cascade as the explorer reads it (`analytics::cascade::codec`): its
/// tree, times, the accounts' features, the default detector's flags, ids
/// and handles; `None` when the workspace has no cascade rooted at `root`.
pub async fn tree_blob(
    db: &Db,
    workspace: &str,
    root: &str,
) -> Result<Option<analytics::cascade::codec::TreeBlob>, sqlx::Error> {
    use analytics::cascade::codec::{FLAG_SUSPICIOUS, TreeBlob};
    let Some(c) = db.cascade(workspace, root).await? else {
        return Ok(None);
    };
    let mut flags = vec![0u8; c.tree.len()];
    for flag in detect(&c.tree, &c.features, &AmplificationConfig::default()) {
        for v in flag.nodes {
            flags[v as usize] |= FLAG_SUSPICIOUS;
        }
    }
    let root_ms = c.time_ms.first().copied().unwrap_or(0);
    Ok(Some(TreeBlob {
        root_time_ms: root_ms,
        parent: c.tree.parent.clone(),
        offset_ms: c.time_ms.iter().map(|t| t - root_ms).collect(),
        followers: c.features.iter().map(|f| saturate(f.followers)).collect(),
        following: c.features.iter().map(|f| saturate(f.following)).collect(),
        posts: c.features.iter().map(|f| saturate(f.posts)).collect(),
        age_days: c
            .features
            .iter()
            .map(|f| f.age_days.map_or(f32::NAN, |d| d as f32))
            .collect(),
        flags,
        ids: c.tree.ids.clone(),
        handles: c.handles,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use analytics::cascade::{NONE, Tree};

    /// A finished star of `n` nodes on `channel`, a minute between reposts.
    fn star(n: usize) -> Tree<u32> {
        let parent: Vec<u32> = (0..n).map(|i| if i == 0 { NONE } else { 0 }).collect();
        let time = (0..n)
            .map(|i| i as f64 * (30.0 + (n % 7) as f64 * 60.0))
            .collect();
        Tree::from_parents((0..n as u32).collect(), &parent, time).unwrap()
    }

    fn summary(channel: Channel, n: usize) -> CascadeSummary {
        CascadeSummary {
            root_id: String::new(),
            channel,
            author: String::new(),
            posted_at: 0,
            size: n as u64,
            depth: 1,
            structural_virality: None,
            t50_s: 0.0,
            prediction: CascadeOutlook::of(
                &prediction::Outlook::Finished,
                n as u64,
                PredictionParams::Defaults,
            ),
            flagged_reposts: 0,
        }
    }

    /// A channel with enough finished cascades gets its own fit; the others
    /// keep the shipped defaults.
    #[test]
    fn a_channel_with_enough_finished_cascades_is_fitted_on_them() {
        let sizes: Vec<usize> = (0..prediction::MIN_FIT_TREES)
            .map(|i| 50 + i % 90)
            .collect();
        let mut summaries: Vec<CascadeSummary> =
            sizes.iter().map(|&n| summary(Channel::Weibo, n)).collect();
        let mut trees: Vec<Tree<u32>> = sizes.iter().map(|&n| star(n)).collect();
        // Too few on Douyin.
        for n in [60, 70, 80] {
            summaries.push(summary(Channel::Douyin, n));
            trees.push(star(n));
        }
        let now = 400.0 * 86_400.0;
        let models = models_per_channel(&summaries, &trees, now);
        let (weibo, params) = &models[&Channel::Weibo];
        assert_eq!(*params, PredictionParams::Own);
        assert_eq!(weibo.len(), prediction::HORIZONS_H.len());
        assert_ne!(*weibo, prediction::default_models());
        let (douyin, params) = &models[&Channel::Douyin];
        assert_eq!(
            (douyin, *params),
            (&prediction::default_models(), PredictionParams::Defaults)
        );
        // One fewer finished Weibo cascade than the minimum: the defaults.
        let models = models_per_channel(&summaries[1..], &trees[1..], now);
        assert_eq!(models[&Channel::Weibo].1, PredictionParams::Defaults);
    }
}
