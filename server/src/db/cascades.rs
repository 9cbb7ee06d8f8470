//! Cascades read back from stored posts: the raw repost edges of one
//! original post, built into a tree by `analytics` (never stored as a tree,
//! so edges that arrive late are simply part of the next read).

use super::Db;
use analytics::cascade::amplification::AccountFeatures;
use analytics::cascade::{BuildError, Endpoint, Row, Tree, build_tree};
use sqlx::Row as _;

/// One cascade with what the analyses need per node.
#[derive(Debug, Clone)]
pub struct StoredCascade {
    /// Node ids are post client ids; times are Unix seconds.
    pub tree: Tree<String>,
    /// Exact node times, Unix milliseconds.
    pub time_ms: Vec<i64>,
    pub features: Vec<AccountFeatures>,
    /// The handle of each node's account.
    pub handles: Vec<String>,
}

impl Db {
    /// The cascade rooted at the post `root` (a client id) of `workspace`, or
    /// `None` when no such post exists.
    pub async fn cascade(
        &self,
        workspace: &str,
        root: &str,
    ) -> Result<Option<StoredCascade>, sqlx::Error> {
        let Some(ws): Option<i64> = sqlx::query_scalar("SELECT id FROM workspaces WHERE slug = $1")
            .bind(workspace)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        // Two indexed lookups (the original, then its reposts), in storage order.
        let columns = "p.id, p.client_id, p.parent_client_id, COALESCE(p.posted_at_ms, p.posted_at * 1000), \
                       a.followers, a.following, a.posts, a.created_at, a.handle \
                       FROM posts p JOIN accounts a ON a.id = p.account_id";
        let sql = format!(
            "SELECT {columns} WHERE p.workspace_id = $1 AND p.client_id = $2 \
             UNION ALL SELECT {columns} WHERE p.workspace_id = $1 AND p.root_client_id = $2 ORDER BY 1"
        );
        let rows = sqlx::query(&sql)
            .bind(ws)
            .bind(root)
            .fetch_all(&self.pool)
            .await?;
        let mut edges = Vec::with_capacity(rows.len());
        let mut features = std::collections::HashMap::with_capacity(rows.len());
        let mut handles: std::collections::HashMap<String, String> =
            std::collections::HashMap::with_capacity(rows.len());
        let mut times: std::collections::HashMap<String, i64> =
            std::collections::HashMap::with_capacity(rows.len());
        for r in &rows {
            let id: String = r.try_get(1)?;
            let parent: Option<String> = r.try_get(2)?;
            let at_ms: i64 = r.try_get(3)?;
            let at = at_ms.div_euclid(1000);
            let created: Option<i64> = r.try_get(7)?;
            let count = |i: usize| r.try_get::<i64, _>(i).map(|v| v.max(0) as u64);
            handles.insert(id.clone(), r.try_get(8)?);
            features.insert(
                id.clone(),
                AccountFeatures {
                    followers: count(4)?,
                    following: count(5)?,
                    posts: count(6)?,
                    age_days: created.map(|c| (at - c) as f64 / 86_400.0),
                },
            );
            let parent = match parent {
                None if id == root => Endpoint::Root,
                None => continue,
                Some(p) => Endpoint::Node(p),
            };
            times.insert(id.clone(), at_ms);
            edges.push(Row {
                parent,
                child: id,
                parent_time: f64::NAN,
                child_time: at_ms as f64 / 1000.0,
            });
        }
        let tree = match build_tree(&edges) {
            Ok(t) => t,
            Err(BuildError::NoRoot) => return Ok(None),
            Err(e) => return Err(sqlx::Error::Protocol(e.to_string())),
        };
        let features = tree
            .ids
            .iter()
            .map(|id| features.get(id).copied().unwrap_or_default())
            .collect();
        let time_ms = tree
            .ids
            .iter()
            .map(|id| times.get(id).copied().unwrap_or_default())
            .collect();
        let handles = tree
            .ids
            .iter()
            .map(|id| handles.get(id).cloned().unwrap_or_default())
            .collect();
        Ok(Some(StoredCascade {
            tree,
            time_ms,
            features,
            handles,
        }))
    }

    /// Whether `post` is an original post of `campaign`.
    pub async fn post_in_campaign(&self, post: &str, campaign: i64) -> Result<bool, sqlx::Error> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM posts WHERE campaign_id = $1 AND client_id = $2 AND parent_client_id IS NULL",
        )
        .bind(campaign)
        .bind(post)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// Labels of a workspace's imported cascades, by root client id.
    pub async fn cascade_labels(
        &self,
        workspace: &str,
    ) -> Result<std::collections::HashMap<String, String>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT l.root_client_id, l.label FROM cascade_labels l JOIN workspaces w ON w.id = l.workspace_id \
             WHERE w.slug = $1",
        )
        .bind(workspace)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    /// Client ids of the original posts of a campaign's cascades, in order of storage.
    pub async fn cascade_roots(&self, campaign: i64) -> Result<Vec<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT client_id FROM posts WHERE campaign_id = $1 AND parent_client_id IS NULL ORDER BY id")
            .bind(campaign)
            .fetch_all(&self.pool)
            .await
    }
}
