//! The store: customers keyed by organization and id, written only through an upsert's write
//! plan (insert if absent, update if the revision is still the one read, nothing).
//!
//! Two stores behind one interface: SQLite, one file, the embedded default that needs no set-up;
//! and PostgreSQL, which several server instances share.

mod postgres;
mod sqlite;

use std::time::Duration;

use rebilly_customer::{Contract, Customer, OrganizationId, UpsertOutcome};

/// Why the store did not answer.
#[derive(Debug)]
pub enum StoreError {
    /// For now (locked by another writer past the wait, out of disk, the database down or
    /// restarting): a 503, worth a retry.
    Unavailable(String),
    /// The store's own failure (a row that does not read back): a 500.
    Failed(String),
}

/// A write plan that no longer held: another writer stored first.
pub struct LostRace;

/// The store the server was started with.
pub enum Store {
    Sqlite(sqlite::Store),
    Postgres(postgres::Store),
}

impl Store {
    /// `postgres://…` (or `postgresql://…`) is PostgreSQL; anything else is a SQLite file.
    /// A statement waits up to `timeout` for a lock, a connection or the database itself.
    pub async fn open(database: &str, timeout: Duration) -> Result<Store, String> {
        if database.starts_with("postgres://") || database.starts_with("postgresql://") {
            postgres::Store::open(database, timeout)
                .await
                .map(Store::Postgres)
        } else {
            sqlite::Store::open(database, timeout)
                .map(Store::Sqlite)
                .map_err(|e| e.to_string())
        }
    }

    /// Whether the store answers a query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(store) => store.ping().await,
            Store::Postgres(store) => store.ping().await,
        }
    }

    /// The stored customer, read under `contract`.
    pub async fn get(
        &self,
        org: &OrganizationId,
        id: &str,
        contract: Contract,
    ) -> Result<Option<Customer>, StoreError> {
        let stored = match self {
            Store::Sqlite(store) => store.get(org, id).await?,
            Store::Postgres(store) => store.get(org, id).await?,
        };
        stored
            .map(|body| {
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
        let row = Row {
            org: org.as_str().to_owned(),
            id: customer.id().as_str().to_owned(),
            revision: sql_revision(customer.revision())?,
            body: stored_json,
        };
        let written = match outcome.write_plan() {
            rebilly_customer::WritePlan::InsertIfAbsent => match self {
                Store::Sqlite(store) => store.insert(row).await?,
                Store::Postgres(store) => store.insert(row).await?,
            },
            rebilly_customer::WritePlan::UpdateIfRevision { read_revision } => {
                let read = sql_revision(read_revision)?;
                match self {
                    Store::Sqlite(store) => store.update(row, read).await?,
                    Store::Postgres(store) => store.update(row, read).await?,
                }
            }
            _ => return Ok(Ok(())),
        };
        Ok(if written { Ok(()) } else { Err(LostRace) })
    }
}

/// One customer's row: the columns the write plan needs, and the stored form.
pub struct Row {
    pub org: String,
    pub id: String,
    pub revision: i64,
    pub body: String,
}

fn sql_revision(revision: u64) -> Result<i64, StoreError> {
    i64::try_from(revision).map_err(|_| StoreError::Failed("a revision past i64".to_owned()))
}
