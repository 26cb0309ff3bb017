//! PostgreSQL: a pool of connections that several server instances share a database through.
//! The write plan maps onto conditional statements (`INSERT … ON CONFLICT DO NOTHING`,
//! `UPDATE … WHERE revision = read`), so instances need no lock between them: a writer whose
//! plan no longer holds reads again and upserts again.
//!
//! The customer is stored twice in its row: `body`, its stored form as the crate wrote it,
//! which is what is read back; and `document`, the same JSON as `jsonb`, for queries and
//! indexes. `jsonb` cannot be what is read back: it rewrites numbers (`1E+2` becomes `100`)
//! and the order of members, which the crate keeps as written, and it cannot hold `\u0000`,
//! which a label may (`document` is then NULL).

use std::future::Future;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime};
use rebilly_customer::OrganizationId;
use tokio_postgres::NoTls;
use tokio_postgres::error::SqlState;

use super::{Row, StoreError};

/// The schema, one step per version: a database at version N gets the steps after N, in one
/// transaction, on start. A database newer than this list refuses to start this server.
const MIGRATIONS: &[&str] = &["CREATE TABLE rebilly_customers (
         organization_id bytea NOT NULL,
         id text NOT NULL,
         revision bigint NOT NULL,
         body text NOT NULL,
         document jsonb,
         PRIMARY KEY (organization_id, id)
     )"];

/// The advisory lock that instances starting at once take turns on while they migrate.
const MIGRATION_LOCK: i64 = 0x0072_6562_696c_6c79; // "rebilly"

/// `body` as `jsonb`, or NULL when it holds `\u0000` (which `jsonb` refuses).
/// (`E'\\u0000'` is the six characters `\u0000` whatever `standard_conforming_strings` says.)
const DOCUMENT: &str = "CASE WHEN strpos($4::text, E'\\\\u0000') = 0 THEN ($4::text)::jsonb END";

/// Connections per instance.
const POOL_SIZE: usize = 16;

pub struct Store {
    pool: Pool,
    timeout: Duration,
}

impl Store {
    /// Connects (each connection, each statement and each wait for a free connection bounded
    /// by `timeout`), and brings the schema to this server's version.
    pub async fn open(url: &str, timeout: Duration) -> Result<Store, String> {
        let mut config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| format!("the database URL is invalid: {e}"))?;
        config.connect_timeout(timeout);
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(timeout))
            .create_timeout(Some(timeout))
            .recycle_timeout(Some(timeout))
            .build()
            .map_err(|e| e.to_string())?;
        let store = Store { pool, timeout };
        store.migrate().await.map_err(|error| match error {
            StoreError::Unavailable(e) | StoreError::Failed(e) => e,
        })?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut client = self.pool.get().await.map_err(from_pool)?;
        let transaction = client.transaction().await.map_err(classify)?;
        transaction
            .execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(classify)?;
        transaction
            .batch_execute("CREATE TABLE IF NOT EXISTS rebilly_schema (version integer NOT NULL)")
            .await
            .map_err(classify)?;
        let version: i32 = transaction
            .query_one("SELECT coalesce(max(version), 0) FROM rebilly_schema", &[])
            .await
            .map_err(classify)?
            .get(0);
        let known = i32::try_from(MIGRATIONS.len()).expect("few migrations");
        if version > known {
            return Err(StoreError::Failed(format!(
                "the database's schema is at version {version}, newer than this server's {known}"
            )));
        }
        for (step, migration) in (1..)
            .zip(MIGRATIONS)
            .skip(usize::try_from(version).unwrap_or(0))
        {
            transaction
                .batch_execute(migration)
                .await
                .map_err(classify)?;
            transaction
                .execute("INSERT INTO rebilly_schema (version) VALUES ($1)", &[&step])
                .await
                .map_err(classify)?;
        }
        transaction.commit().await.map_err(classify)
    }

    /// Runs `statement` within the time limit: past it, the database is unavailable.
    async fn bounded<T>(
        &self,
        statement: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        tokio::time::timeout(self.timeout, statement)
            .await
            .unwrap_or_else(|_| {
                Err(StoreError::Unavailable(
                    "the database did not answer in time".to_owned(),
                ))
            })
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        self.bounded(async {
            let client = self.pool.get().await.map_err(from_pool)?;
            client.batch_execute("SELECT 1").await.map_err(classify)
        })
        .await
    }

    /// The stored form, as written.
    pub async fn get(&self, org: &OrganizationId, id: &str) -> Result<Option<String>, StoreError> {
        self.bounded(async {
            let client = self.pool.get().await.map_err(from_pool)?;
            let row = client
                .query_opt(
                    "SELECT body FROM rebilly_customers WHERE organization_id = $1 AND id = $2",
                    &[&org.as_str().as_bytes(), &id],
                )
                .await
                .map_err(classify)?;
            Ok(row.map(|row| row.get(0)))
        })
        .await
    }

    /// `INSERT … ON CONFLICT DO NOTHING`: whether the row was written.
    pub async fn insert(&self, row: Row) -> Result<bool, StoreError> {
        let statement = format!(
            "INSERT INTO rebilly_customers (organization_id, id, revision, body, document)
             VALUES ($1, $2, $3, $4::text, {DOCUMENT}) ON CONFLICT DO NOTHING"
        );
        self.bounded(async {
            let client = self.pool.get().await.map_err(from_pool)?;
            client
                .execute(
                    &statement,
                    &[&row.org.as_bytes(), &row.id, &row.revision, &row.body],
                )
                .await
                .map_err(classify)
        })
        .await
        .map(|written| written == 1)
    }

    /// `UPDATE … WHERE revision = read`: whether the row was written.
    pub async fn update(&self, row: Row, read_revision: i64) -> Result<bool, StoreError> {
        let statement = format!(
            "UPDATE rebilly_customers SET revision = $3, body = $4::text, document = {DOCUMENT}
             WHERE organization_id = $1 AND id = $2 AND revision = $5"
        );
        self.bounded(async {
            let client = self.pool.get().await.map_err(from_pool)?;
            client
                .execute(
                    &statement,
                    &[
                        &row.org.as_bytes(),
                        &row.id,
                        &row.revision,
                        &row.body,
                        &read_revision,
                    ],
                )
                .await
                .map_err(classify)
        })
        .await
        .map(|written| written == 1)
    }
}

fn from_pool(error: PoolError) -> StoreError {
    match error {
        PoolError::Backend(error) => classify(error),
        PoolError::Timeout(_) => {
            StoreError::Unavailable("no database connection within the time limit".to_owned())
        }
        other => StoreError::Failed(other.to_string()),
    }
}

/// Which failures pass: the connection is gone or cannot be made (the database is down or
/// restarting), the server is shutting down or full, or the statement lost a lock.
fn classify(error: tokio_postgres::Error) -> StoreError {
    let passing = [
        SqlState::ADMIN_SHUTDOWN,
        SqlState::CRASH_SHUTDOWN,
        SqlState::CANNOT_CONNECT_NOW,
        SqlState::CONNECTION_EXCEPTION,
        SqlState::CONNECTION_FAILURE,
        SqlState::TOO_MANY_CONNECTIONS,
        SqlState::T_R_SERIALIZATION_FAILURE,
        SqlState::T_R_DEADLOCK_DETECTED,
        SqlState::LOCK_NOT_AVAILABLE,
        SqlState::QUERY_CANCELED,
        SqlState::DISK_FULL,
    ];
    match error.code() {
        // No SQLSTATE: the connection itself failed (refused, reset, closed).
        None => StoreError::Unavailable(error.to_string()),
        Some(code) if passing.contains(code) => StoreError::Unavailable(error.to_string()),
        Some(_) => StoreError::Failed(error.to_string()),
    }
}
