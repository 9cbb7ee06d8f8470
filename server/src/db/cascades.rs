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
    pub features: Vec<AccountFeatures>,
}

impl Db {
    /// The cascade rooted at the post `root` (a client id) of `workspace`, or
    /// `None` when no such post exists.
    pub async fn cascade(
        &self,
        workspace: &str,
        root: &str,
    ) -> Result<Option<StoredCascade>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT p.client_id, p.parent_client_id, p.posted_at, a.followers, a.following, a.posts, a.created_at \
             FROM posts p JOIN accounts a ON a.id = p.account_id JOIN workspaces w ON w.id = p.workspace_id \
             WHERE w.slug = ? AND (p.client_id = ? OR p.root_client_id = ?) ORDER BY p.posted_at, p.id",
        )
        .bind(workspace)
        .bind(root)
        .bind(root)
        .fetch_all(&self.pool)
        .await?;
        let mut edges = Vec::with_capacity(rows.len());
        let mut features = std::collections::HashMap::with_capacity(rows.len());
        for r in &rows {
            let id: String = r.try_get(0)?;
            let parent: Option<String> = r.try_get(1)?;
            let at: i64 = r.try_get(2)?;
            let created: Option<i64> = r.try_get(6)?;
            let count = |i: usize| r.try_get::<i64, _>(i).map(|v| v.max(0) as u64);
            features.insert(
                id.clone(),
                AccountFeatures {
                    followers: count(3)?,
                    following: count(4)?,
                    posts: count(5)?,
                    age_days: created.map(|c| (at - c) as f64 / 86_400.0),
                },
            );
            let parent = match parent {
                None if id == root => Endpoint::Root,
                None => continue,
                Some(p) => Endpoint::Node(p),
            };
            edges.push(Row {
                parent,
                child: id,
                parent_time: f64::NAN,
                child_time: at as f64,
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
        Ok(Some(StoredCascade { tree, features }))
    }
}
