//! The store: customers keyed by organization and id, written only through an upsert's write
//! plan (insert if absent, update if the revision is still the one read, nothing).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rebilly_customer::{Contract, Customer, OrganizationId, UpsertOutcome, WritePlan};
use rusqlite::{Connection, OptionalExtension, params};

/// Why the store did not answer.
#[derive(Debug)]
pub enum StoreError {
    /// For now (locked by another writer past the wait, out of disk, gone): a 503, worth a
    /// retry.
    Unavailable(String),
    /// The store's own failure (a row that does not read back): a 500.
    Failed(String),
}

/// A write plan that no longer held: another writer stored first.
pub struct LostRace;

/// The SQLite store: one connection, used by one statement at a time on tokio's blocking
/// threads, so that a statement waiting on the file's lock never holds up a runtime thread.
/// Writers interleave between their read and their write as they would with a pool of
/// connections: the write plan, not a lock, keeps two writers from both winning.
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

    /// Whether the store answers a query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.run(|c| c.query_row("SELECT 1", [], |_| Ok(()))).await
    }

    /// The stored customer, read under `contract`.
    pub async fn get(
        &self,
        org: &OrganizationId,
        id: &str,
        contract: Contract,
    ) -> Result<Option<Customer>, StoreError> {
        let (org, id) = (org.as_str().to_owned(), id.to_owned());
        let body: Option<String> = self
            .run(move |c| {
                c.query_row(
                    "SELECT body FROM customers WHERE organization_id = ?1 AND id = ?2",
                    params![org, id],
                    |row| row.get(0),
                )
                .optional()
            })
            .await?;
        body.map(|body| {
            Customer::parse_for(body.as_bytes(), contract)
                .map_err(|e| StoreError::Failed(e.to_string()))
        })
        .transpose()
    }

    /// Carries out `outcome`'s write plan with `stored_json`, the customer's stored form: an
    /// INSERT for a new id, an UPDATE conditional on the revision the upsert read, nothing for
    /// an unchanged customer.
    pub async fn write(
        &self,
        org: &OrganizationId,
        outcome: &UpsertOutcome,
        stored_json: String,
    ) -> Result<Result<(), LostRace>, StoreError> {
        let customer = outcome.customer();
        let revision = sql_revision(customer.revision())?;
        let (org, id) = (org.as_str().to_owned(), customer.id().as_str().to_owned());
        let written = match outcome.write_plan() {
            WritePlan::InsertIfAbsent => {
                self.run(move |c| {
                    c.execute(
                        "INSERT INTO customers (organization_id, id, revision, body)
                         VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                        params![org, id, revision, stored_json],
                    )
                })
                .await?
            }
            WritePlan::UpdateIfRevision { read_revision } => {
                let read_revision = sql_revision(read_revision)?;
                self.run(move |c| {
                    c.execute(
                        "UPDATE customers SET revision = ?3, body = ?4
                         WHERE organization_id = ?1 AND id = ?2 AND revision = ?5",
                        params![org, id, revision, stored_json, read_revision],
                    )
                })
                .await?
            }
            _ => return Ok(Ok(())),
        };
        Ok(if written == 1 { Ok(()) } else { Err(LostRace) })
    }
}

fn sql_revision(revision: u64) -> Result<i64, StoreError> {
    i64::try_from(revision).map_err(|_| StoreError::Failed("a revision past i64".to_owned()))
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
