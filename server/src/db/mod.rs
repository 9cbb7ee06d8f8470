//! Storage: opening the database, its migrations, and the queries the API
//! needs. Only this module (and the demo loader) writes SQL.
//!
//! SQLite is the embedded default: a file created on first use, WAL mode so
//! readers never wait for the writer, and `synchronous=FULL` so a committed
//! write survives a power cut.

mod campaigns;
mod cascades;
mod ingest;
pub mod rollups;
mod setup;

pub use campaigns::CampaignNotFound;
pub use cascades::StoredCascade;
pub use ingest::{IngestError, IngestOutcome, OnConflict};
pub use setup::{KeyRow, NewCampaign, SetupError, WorkspaceRow};

use chrono::TimeZone;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// The default database: an SQLite file under `./data/`.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/wom.db";

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "unsupported database URL {0:?}: this build stores data in SQLite (use sqlite://PATH or sqlite:PATH)"
    )]
    UnsupportedScheme(String),
    #[error("cannot create the database folder {path}: {source}")]
    CreateFolder {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open database {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot migrate database {url}: {source}")]
    Migrate {
        url: String,
        source: sqlx::migrate::MigrateError,
    },
}

/// A handle on the database, cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    pool: SqlitePool,
}

impl Db {
    /// Opens (creating the file and its folder if missing) and migrates the
    /// database at `url`.
    pub async fn open(url: &str) -> Result<Db, OpenError> {
        let path = sqlite_path(url).ok_or_else(|| OpenError::UnsupportedScheme(url.to_string()))?;
        if path != ":memory:" && !path.is_empty() {
            if let Some(folder) = Path::new(path)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
            {
                std::fs::create_dir_all(folder).map_err(|source| OpenError::CreateFolder {
                    path: folder.display().to_string(),
                    source,
                })?;
            }
        }
        let open_err = |source| OpenError::Open {
            url: url.to_string(),
            source,
        };
        let options = SqliteConnectOptions::from_str(url)
            .map_err(open_err)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(open_err)?;
        sqlx::migrate!("./migrations/sqlite")
            .run(&pool)
            .await
            .map_err(|source| OpenError::Migrate {
                url: url.to_string(),
                source,
            })?;
        Ok(Db { pool })
    }

    /// The connection pool, for the demo loader and tests.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Whether a workspace with this slug exists.
    pub async fn workspace_exists(&self, slug: &str) -> Result<bool, sqlx::Error> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM workspaces WHERE slug = ?")
            .bind(slug)
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }
}

/// The file path of an `sqlite:` URL (`sqlite://path`, `sqlite:path`, with an
/// optional `?query`), or `None` for another scheme.
pub fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    Some(rest.split('?').next().unwrap_or(rest))
}

/// The calendar day (`YYYY-MM-DD`) of `at` (Unix seconds) in time zone `tz`.
pub fn local_day(tz: chrono_tz::Tz, at: i64) -> String {
    match tz.timestamp_opt(at, 0) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
            t.format("%Y-%m-%d").to_string()
        }
        chrono::LocalResult::None => analytics::date::Date::from_unix(at, 0).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls() {
        assert_eq!(sqlite_path("sqlite://data/wom.db"), Some("data/wom.db"));
        assert_eq!(sqlite_path("sqlite:///tmp/x.db"), Some("/tmp/x.db"));
        assert_eq!(sqlite_path("sqlite:x.db?mode=rwc"), Some("x.db"));
        assert_eq!(sqlite_path("sqlite::memory:"), Some(":memory:"));
        assert_eq!(sqlite_path("postgres://localhost/db"), None);
    }

    #[test]
    fn local_days_follow_the_zone() {
        let tz: chrono_tz::Tz = "Asia/Shanghai".parse().unwrap();
        // 2026-02-28T16:30:00Z is 2026-03-01 00:30 in Shanghai.
        let at = 1_772_296_200;
        assert_eq!(local_day(tz, at), "2026-03-01");
        assert_eq!(local_day(chrono_tz::UTC, at), "2026-02-28");
    }
}
