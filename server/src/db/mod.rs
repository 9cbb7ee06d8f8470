//! Storage: opening the database, its migrations, and the queries the API
//! needs. Only this module (and the demo loader) writes SQL.
//!
//! SQLite is the embedded default: a file created on first use, WAL mode so
//! readers never wait for the writer, and `synchronous=FULL` so a committed
//! write survives a power cut. PostgreSQL is the other backend, chosen by a
//! `postgres://` URL; both run the same queries through sqlx's `Any` driver
//! and have their own migrations (`migrations/sqlite`, `migrations/postgres`).

pub mod access;
mod aggregate;
mod campaigns;
mod cascades;
mod ingest;
mod reports;
pub mod rollups;
mod setup;
pub mod sql;

pub use campaigns::CampaignNotFound;
pub use cascades::StoredCascade;
pub use ingest::{IngestError, IngestOutcome, OnConflict};
pub use rollups::FunnelBy;
pub use setup::{KeyRow, NewCampaign, SetupError, WorkspaceRow};

use chrono::TimeZone;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Transaction};
use std::path::Path;
use std::time::Duration;

/// The default database: an SQLite file under `./data/`.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/wom.db";

/// A row as the queries of this module read it (either backend).
pub type DbRow = AnyRow;
/// A transaction on either backend.
pub type Tx<'c> = Transaction<'c, Any>;

/// The storage engine behind a [`Db`], chosen by the URL's scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `sqlite://PATH` or `sqlite:PATH`: an embedded file (the default).
    Sqlite,
    /// `postgres://…` or `postgresql://…`: a PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The backend a database URL names, or `None` for another scheme.
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "unsupported database URL {0:?}: use sqlite://PATH (the default, an embedded file) or postgres://USER:PASSWORD@HOST:PORT/DATABASE"
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

/// A handle on the database, cheap to clone. Every query of this module is
/// written once, in the SQL both backends accept (numbered `$N` parameters,
/// `ON CONFLICT` upserts, `CAST(SUM(..) AS BIGINT)`); the few differences
/// are behind [`Backend`].
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// Held by every writing transaction of this process: writers queue here
    /// instead of failing on SQLite's single-writer lock or deadlocking on
    /// PostgreSQL's row locks.
    write: std::sync::Arc<tokio::sync::Mutex<()>>,
}

impl Db {
    /// Opens and migrates the database at `url`. An SQLite file (and its
    /// folder) is created if missing; a PostgreSQL database must exist.
    pub async fn open(url: &str) -> Result<Db, OpenError> {
        sqlx::any::install_default_drivers();
        let backend =
            Backend::of_url(url).ok_or_else(|| OpenError::UnsupportedScheme(url.to_string()))?;
        let open_err = |source| OpenError::Open {
            url: redact(url),
            source,
        };
        let (pool, migrator) = match backend {
            Backend::Sqlite => {
                let path = sqlite_path(url).unwrap_or_default();
                if path != ":memory:"
                    && !path.is_empty()
                    && let Some(folder) = Path::new(path)
                        .parent()
                        .filter(|p| !p.as_os_str().is_empty())
                {
                    std::fs::create_dir_all(folder).map_err(|source| OpenError::CreateFolder {
                        path: folder.display().to_string(),
                        source,
                    })?;
                }
                // Create the file if missing, unless the URL says otherwise.
                let url = if url.contains("mode=") {
                    url.to_string()
                } else if url.contains('?') {
                    format!("{url}&mode=rwc")
                } else {
                    format!("{url}?mode=rwc")
                };
                let pool = AnyPoolOptions::new()
                    .max_connections(8)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // WAL: readers never wait for the writer; FULL: a
                            // commit survives a power cut.
                            for pragma in [
                                "PRAGMA journal_mode = WAL",
                                "PRAGMA synchronous = FULL",
                                "PRAGMA foreign_keys = ON",
                                "PRAGMA busy_timeout = 10000",
                            ] {
                                sqlx::query(pragma).execute(&mut *conn).await?;
                            }
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await
                    .map_err(open_err)?;
                (pool, sqlx::migrate!("./migrations/sqlite"))
            }
            Backend::Postgres => {
                // One connection first: a refused connection or a bad password
                // is reported as such at once, not as a pool timeout later.
                use sqlx::Connection;
                sqlx::AnyConnection::connect(url)
                    .await
                    .map_err(open_err)?
                    .close()
                    .await
                    .map_err(open_err)?;
                let pool = AnyPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await
                    .map_err(open_err)?;
                (pool, sqlx::migrate!("./migrations/postgres"))
            }
        };
        migrator
            .run(&pool)
            .await
            .map_err(|source| OpenError::Migrate {
                url: redact(url),
                source,
            })?;
        let db = Db {
            pool,
            backend,
            write: Default::default(),
        };
        let rebuilt = db.rebuild_stale().await.map_err(open_err)?;
        if rebuilt > 0 {
            tracing::info!("rebuilt the aggregates of {rebuilt} campaigns after a migration");
        }
        Ok(db)
    }

    /// The connection pool, for the demo loader and tests.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Which engine stores the data.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a writing transaction: waits for this process's other writers,
    /// and on SQLite takes the write lock up front (`BEGIN IMMEDIATE`), so a
    /// writer in another process makes it wait (busy timeout) rather than
    /// fail half-way.
    pub async fn begin_write(&self) -> Result<WriteTx<'_>, sqlx::Error> {
        let guard = self.write.lock().await;
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(WriteTx { tx, _guard: guard })
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
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM workspaces WHERE slug = $1")
            .bind(slug)
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }
}

/// A writing transaction that holds this process's write turn until it is
/// committed or dropped (rolled back).
pub struct WriteTx<'a> {
    pub tx: Tx<'static>,
    _guard: tokio::sync::MutexGuard<'a, ()>,
}

impl WriteTx<'_> {
    /// Commits, then gives the write turn to the next writer.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

/// Like a [`Transaction`], a `WriteTx` is used as its connection: `&mut *tx`.
impl std::ops::Deref for WriteTx<'_> {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &sqlx::AnyConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx<'_> {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }
}

/// `url` with any password replaced by `***`, for messages.
pub fn redact(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((userinfo, host)) = rest.split_once('@')
        && let Some((user, _)) = userinfo.split_once(':')
    {
        return format!("{scheme}://{user}:***@{host}");
    }
    url.to_string()
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
        assert_eq!(Backend::of_url("sqlite:x.db"), Some(Backend::Sqlite));
        assert_eq!(
            Backend::of_url("postgresql://h/db"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::of_url("mysql://h/db"), None);
        assert_eq!(
            redact("postgres://wom:secret@h:5432/db"),
            "postgres://wom:***@h:5432/db"
        );
        assert_eq!(redact("sqlite://data/wom.db"), "sqlite://data/wom.db");
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
