//! The reference server: PUT and GET /customers/{id} (and the same under
//! /organizations/{organizationId}/customers/{id}) over HTTP, stored in SQLite, with every
//! write through the outcome's write plan.
//!
//! ```sh
//! cargo run --release -p rebilly-customer-server -- --db FILE --listen ADDR \
//!     [--api-key KEY] [--org ORG_ID] [--default-website WEBSITE_ID] \
//!     [--token TOKEN=INSTRUMENT_JSON]... [--max-body BYTES] [--contract 2023-01|2026-08] \
//!     [--instrument ID=METHOD]...
//!
//! `--contract` picks the revision every request, stored customer and response follows (the
//! store keeps each customer's stored form, so 2026-08's write-only `leadSource` survives);
//! `--instrument` fills the vault that 2026-08's `defaultPaymentInstrumentId` is looked up in.
//! ```
//!
//! The first line it prints is `listening on http://HOST:PORT` (the real port when ADDR ends in
//! `:0`). Customers are keyed by organization and id: a customer of one organization does not
//! exist for another. A writer whose write plan no longer holds (another writer stored first)
//! upserts again on the fresh state, so an update answered 200 is never lost; with `If-Match`
//! the retry answers the 412 that the fresh state calls for.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::HeaderMap;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use axum::{Extension, Router};
use rebilly_customer::axum::{BodyLimit, CustomerPath, UpsertBody};
use rebilly_customer::{
    Conflict, Contract, Customer, CustomerId, IfMatch, IfNoneMatch, OrganizationId, ParseOptions,
    PaymentInstrument, PaymentMethod, Problem, TokenRejection, UpsertContext, UpsertOutcome,
    UpsertRequest, WebsiteId, WritePlan,
};
use rusqlite::{Connection, OptionalExtension, params};

const USAGE: &str = "usage: rebilly-customer-server --db FILE --listen ADDR [--api-key KEY] [--org ORG_ID] \
[--default-website WEBSITE_ID] [--token TOKEN=INSTRUMENT_JSON]... [--max-body BYTES] \
[--contract 2023-01|2026-08] [--instrument ID=METHOD]...";

/// How many times a writer that lost a race upserts again before it answers 409. Writers of
/// one customer take turns on this instance (see [`KeyLocks`]), so a race is lost only to
/// another instance writing the same store.
const RETRIES: usize = 64;

/// A lock per customer: writers of one customer take turns (read, upsert, write), so that an
/// unconditional writer always succeeds, while writers of different customers never wait on
/// each other. A lock lives only while someone holds or awaits it: the map holds no more
/// entries than there are writers.
#[derive(Default)]
struct KeyLocks(std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>);

/// A customer's turn; dropping it lets the next writer of that customer in.
struct KeyTurn {
    locks: Arc<App>,
    key: String,
    turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl KeyLocks {
    async fn turn(app: &Arc<App>, key: String) -> KeyTurn {
        let lock = {
            let mut map = app.locks.0.lock().expect("the lock map is never poisoned");
            map.entry(key.clone()).or_default().clone()
        };
        let turn = lock.lock_owned().await;
        KeyTurn {
            locks: app.clone(),
            key,
            turn: Some(turn),
        }
    }
}

impl Drop for KeyTurn {
    fn drop(&mut self) {
        drop(self.turn.take());
        let mut map = self
            .locks
            .locks
            .0
            .lock()
            .expect("the lock map is never poisoned");
        // Only the map holds it now: nobody holds or awaits this customer's lock.
        if map
            .get(&self.key)
            .is_some_and(|lock| Arc::strong_count(lock) == 1)
        {
            map.remove(&self.key);
        }
    }
}

struct Config {
    db: String,
    listen: String,
    api_key: Option<String>,
    org: OrganizationId,
    default_website: Option<WebsiteId>,
    tokens: HashMap<String, PaymentInstrument>,
    max_body: BodyLimit,
    contract: Contract,
    instruments: HashMap<String, PaymentMethod>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Config, String> {
    let (mut db, mut listen, mut api_key, mut org, mut website, mut max_body) =
        (None, None, None, None, None, None);
    let mut tokens = HashMap::new();
    let mut instruments = HashMap::new();
    let mut contract = Contract::default();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--db" => db = Some(value()?),
            "--listen" => listen = Some(value()?),
            "--api-key" => api_key = Some(value()?),
            "--org" => {
                org = Some(OrganizationId::parse(&value()?).map_err(|e| format!("--org: {e}"))?);
            }
            "--default-website" => {
                let text = value()?;
                website =
                    Some(WebsiteId::parse(&text).map_err(|e| format!("--default-website: {e}"))?);
            }
            "--token" => {
                let text = value()?;
                let (token, json) = text
                    .split_once('=')
                    .ok_or("--token takes TOKEN=INSTRUMENT_JSON")?;
                let instrument = PaymentInstrument::parse(json.as_bytes())
                    .map_err(|e| format!("--token {token}: {e}"))?;
                tokens.insert(token.to_owned(), instrument);
            }
            "--max-body" => {
                let bytes = value()?
                    .parse()
                    .map_err(|_| "--max-body takes a byte count")?;
                max_body = Some(BodyLimit::new(bytes));
            }
            "--contract" => {
                let text = value()?;
                contract = Contract::parse(&text)
                    .map_err(|_| format!("--contract takes 2023-01 or 2026-08, got {text:?}"))?;
            }
            "--instrument" => {
                let text = value()?;
                let (id, method) = text.split_once('=').ok_or("--instrument takes ID=METHOD")?;
                let method =
                    PaymentMethod::parse_for(method, Contract::Rebilly2026_08).map_err(|_| {
                        format!("--instrument {id}: {method:?} is not a payment method")
                    })?;
                instruments.insert(id.to_owned(), method);
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(Config {
        db: db.ok_or(USAGE)?,
        listen: listen.ok_or(USAGE)?,
        api_key,
        org: match org {
            Some(org) => org,
            None => OrganizationId::parse("org_default").expect("a valid id"),
        },
        default_website: website,
        tokens,
        max_body: max_body.unwrap_or_default(),
        contract,
        instruments,
    })
}

/// The store: one SQLite connection, awaited like a pool's and held for one statement at a
/// time, so that writers interleave between their read and their write as they would with a
/// pool of connections: the write plan, not a lock, keeps two writers from both winning.
struct Store(tokio::sync::Mutex<Connection>);

/// A write plan that no longer held.
struct LostRace;

impl Store {
    fn open(path: &str) -> rusqlite::Result<Store> {
        let connection = Connection::open(path)?;
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
        Ok(Store(tokio::sync::Mutex::new(connection)))
    }

    async fn get(
        &self,
        org: &OrganizationId,
        id: &str,
        contract: Contract,
    ) -> Result<Option<Customer>, Problem> {
        let connection = self.0.lock().await;
        let body: Option<String> = connection
            .query_row(
                "SELECT body FROM customers WHERE organization_id = ?1 AND id = ?2",
                params![org.as_str(), id],
                |row| row.get(0),
            )
            .optional()
            .map_err(internal)?;
        body.map(|body| Customer::parse_for(body.as_bytes(), contract).map_err(internal))
            .transpose()
    }

    /// Carries out `outcome`'s write plan: INSERT for a new id, an UPDATE conditional on the
    /// revision the upsert read, nothing for Unchanged.
    async fn write(
        &self,
        org: &OrganizationId,
        outcome: &UpsertOutcome,
    ) -> Result<Result<(), LostRace>, Problem> {
        let customer = outcome.customer();
        let revision = i64::try_from(customer.revision()).map_err(internal)?;
        let connection = self.0.lock().await;
        let (org, id, body) = (
            org.as_str(),
            customer.id().as_str(),
            customer.to_stored_json(),
        );
        let written = match outcome.write_plan() {
            WritePlan::InsertIfAbsent => connection.execute(
                "INSERT INTO customers (organization_id, id, revision, body) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT DO NOTHING",
                params![org, id, revision, body],
            ),
            WritePlan::UpdateIfRevision { read_revision } => connection.execute(
                "UPDATE customers SET revision = ?3, body = ?4
                 WHERE organization_id = ?1 AND id = ?2 AND revision = ?5",
                params![
                    org,
                    id,
                    revision,
                    body,
                    i64::try_from(read_revision).map_err(internal)?
                ],
            ),
            _ => return Ok(Ok(())),
        }
        .map_err(internal)?;
        Ok(if written == 1 { Ok(()) } else { Err(LostRace) })
    }
}

/// A failure of the server's own: logged, and answered as a 500 that says nothing of it.
fn internal(error: impl std::fmt::Display) -> Problem {
    eprintln!("server error: {error}");
    Problem::internal()
}

struct App {
    store: Store,
    config: Config,
    locks: KeyLocks,
    /// A pause between a writer's read and its write, from `REBILLY_SERVER_RACE_DELAY_MS`: the
    /// end-to-end tests set it so that concurrent writers really race. Unset, none.
    race_delay: Option<std::time::Duration>,
}

/// The organization a path names, or the server's own for `/customers/{id}`. An id that is
/// not valid names no organization: nothing is stored there.
fn organization(app: &App, params: &HashMap<String, String>) -> Result<OrganizationId, Problem> {
    match params.get("organizationId") {
        Some(text) => OrganizationId::parse(text).map_err(|_| Problem::not_found()),
        None => Ok(app.config.org.clone()),
    }
}

async fn get_customer(
    State(app): State<Arc<App>>,
    Path(params): Path<HashMap<String, String>>,
    CustomerPath(id): CustomerPath,
) -> Result<Customer, Problem> {
    let org = organization(&app, &params)?;
    app.store
        .get(&org, id.as_str(), app.config.contract)
        .await?
        .ok_or_else(Problem::not_found)
}

/// The vault: the token resolved before the upsert, as an async vault would be awaited.
async fn resolve_token(
    app: &App,
    request: &UpsertRequest,
) -> Option<Result<PaymentInstrument, TokenRejection>> {
    let token = request.payment_token()?;
    Some(
        app.config
            .tokens
            .get(token.expose_secret())
            .cloned()
            .ok_or_else(|| TokenRejection::new("the token is unknown or has expired")),
    )
}

async fn put_customer(
    State(app): State<Arc<App>>,
    Path(params): Path<HashMap<String, String>>,
    if_match: Option<IfMatch>,
    if_none_match: Option<IfNoneMatch>,
    UpsertBody(request): UpsertBody,
) -> Result<UpsertOutcome, Problem> {
    let org = organization(&app, &params)?;
    let resolved = resolve_token(&app, &request).await;
    let id: CustomerId = request.id().clone();
    // The body is read and parsed; only now does the writer wait for its customer's turn.
    let _turn = KeyLocks::turn(&app, format!("{}/{}", org.as_str(), id.as_str())).await;
    let mut last_plan = WritePlan::Nothing;
    for _ in 0..RETRIES {
        let stored = app
            .store
            .get(&org, id.as_str(), app.config.contract)
            .await?;
        let mut context = UpsertContext::new(std::time::SystemTime::now(), org.clone())
            .with_contract(app.config.contract)
            .with_instrument_lookup(&app.config.instruments);
        if let Some(website) = &app.config.default_website {
            context = context.with_default_website(website.clone());
        }
        if let Some(resolved) = resolved.clone() {
            context = context.with_resolved_token(resolved);
        }
        if let Some(if_match) = &if_match {
            context = context.with_if_match(if_match.clone());
        }
        if let Some(if_none_match) = &if_none_match {
            context = context.with_if_none_match(if_none_match.clone());
        }
        let outcome = Customer::apply_upsert(stored, request.clone(), &context)?;
        last_plan = outcome.write_plan();
        if let Some(delay) = app.race_delay {
            tokio::time::sleep(delay).await;
        }
        match app.store.write(&org, &outcome).await? {
            Ok(()) => return Ok(outcome),
            Err(LostRace) => tokio::task::yield_now().await,
        }
    }
    Err(Conflict::lost_race(last_plan, None).into())
}

/// With `--api-key`, every request must carry `REB-APIKEY: KEY`, or it gets a 401 and nothing
/// is read or written.
async fn require_api_key(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    request: Request,
    next: Next,
) -> Response {
    if let Some(key) = &app.config.api_key {
        let sent = headers.get("REB-APIKEY").map(|value| value.as_bytes());
        if sent != Some(key.as_bytes()) {
            return Problem::unauthorized().into_response();
        }
    }
    next.run(request).await
}

fn router(app: Arc<App>) -> Router {
    let limit = app.config.max_body;
    let customers = put(put_customer).get(get_customer);
    Router::new()
        .route("/customers/{id}", customers.clone())
        .route("/organizations/{organizationId}/customers/{id}", customers)
        .fallback(|| async { Problem::not_found() })
        .layer(Extension(limit))
        .layer(Extension(
            ParseOptions::new().with_contract(app.config.contract),
        ))
        .layer(middleware::from_fn_with_state(app.clone(), require_api_key))
        .with_state(app)
}

#[tokio::main]
async fn main() {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let store = match Store::open(&config.db) {
        Ok(store) => store,
        Err(error) => {
            eprintln!("cannot open {}: {error}", config.db);
            std::process::exit(1);
        }
    };
    let listener = match tokio::net::TcpListener::bind(&config.listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("cannot listen on {}: {error}", config.listen);
            std::process::exit(1);
        }
    };
    let address = listener
        .local_addr()
        .expect("a bound listener has an address");
    println!("listening on http://{address}");
    std::io::stdout().flush().ok();
    let race_delay = std::env::var("REBILLY_SERVER_RACE_DELAY_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map(std::time::Duration::from_millis);
    let app = Arc::new(App {
        store,
        config,
        locks: KeyLocks::default(),
        race_delay,
    });
    if let Err(error) = axum::serve(listener, router(app)).await {
        eprintln!("server stopped: {error}");
        std::process::exit(1);
    }
}
