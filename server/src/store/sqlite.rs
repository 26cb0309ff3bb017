//! SQLite: one file, one connection, used by one statement at a time on tokio's blocking
//! threads, so that a statement waiting on the file's lock never holds up a runtime thread.
//! Writers interleave between their read and their write as they would with a pool of
//! connections: the write plan, not a lock, keeps two writers from both winning.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rebilly_customer::OrganizationId;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Row, StoreError};

#[derive(Clone)]
pub struct Store(Arc<Mutex<Connection>>);

impl Store {
    /// Opens (or creates) the file. A statement waits up to `busy_timeout` for another
    /// process's lock on it, then fails as [`StoreError::Unavailable`].
    pub fn open(path: &str, busy_timeout: Duration) -> rusqlite::Result<Store> {
        let connection = Connection::open(path)?;
        connection.busy_timeout(busy_timeout)?;
        connection.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE IF NOT EXISTS customers (
                 organization_id TEXT NOT NULL,
                 id TEXT NOT NULL,
                 revision INTEGER NOT NULL,
                 body TEXT NOT NULL,
                 PRIMARY KEY (organization_id, id)
             );",
        )?;
        Ok(Store(Arc::new(Mutex::new(connection))))
    }

    /// Runs `statement` on the connection, off the runtime's threads.
    async fn run<T: Send + 'static>(
        &self,
        statement: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, StoreError> {
        let connection = self.0.clone();
        tokio::task::spawn_blocking(move || {
            let connection = connection
                .lock()
                .map_err(|_| StoreError::Failed("a statement panicked".to_owned()))?;
            statement(&connection).map_err(classify)
        })
        .await
        .map_err(|e| StoreError::Failed(e.to_string()))?
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        self.run(|c| c.query_row("SELECT 1", [], |_| Ok(()))).await
    }

    /// The stored form, as written.
    pub async fn get(&self, org: &OrganizationId, id: &str) -> Result<Option<String>, StoreError> {
        let (org, id) = (org.as_str().to_owned(), id.to_owned());
        self.run(move |c| {
            c.query_row(
                "SELECT body FROM customers WHERE organization_id = ?1 AND id = ?2",
                params![org, id],
                |row| row.get(0),
            )
            .optional()
        })
        .await
    }

    /// `INSERT … ON CONFLICT DO NOTHING`: whether the row was written.
    pub async fn insert(&self, row: Row) -> Result<bool, StoreError> {
        self.run(move |c| {
            c.execute(
                "INSERT INTO customers (organization_id, id, revision, body)
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                params![row.org, row.id, row.revision, row.body],
            )
        })
        .await
        .map(|written| written == 1)
    }

    /// `UPDATE … WHERE revision = read`: whether the row was written.
    pub async fn update(&self, row: Row, read_revision: i64) -> Result<bool, StoreError> {
        self.run(move |c| {
            c.execute(
                "UPDATE customers SET revision = ?3, body = ?4
                 WHERE organization_id = ?1 AND id = ?2 AND revision = ?5",
                params![row.org, row.id, row.revision, row.body, read_revision],
            )
        })
        .await
        .map(|written| written == 1)
    }
}

/// Which failures pass: a lock held past the wait, a full disk, a file that cannot be opened
/// or read for now.
fn classify(error: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode::{
        CannotOpen, DatabaseBusy, DatabaseLocked, DiskFull, SystemIoFailure,
    };
    match error.sqlite_error_code() {
        Some(DatabaseBusy | DatabaseLocked | DiskFull | CannotOpen | SystemIoFailure) => {
            StoreError::Unavailable(error.to_string())
        }
        _ => StoreError::Failed(error.to_string()),
    }
}
