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

use axum::extract::{Request, State};
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

const USAGE: &str = "usage: rebilly-customer-server --db FILE --listen ADDR \
(--api-key KEY | --api-key-file FILE | REBILLY_API_KEY in the environment | --no-auth) [--org ORG_ID] \
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
    let mut no_auth = false;
    let mut tokens = HashMap::new();
    let mut instruments = HashMap::new();
    let mut contract = Contract::default();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--db" => db = Some(value()?),
            "--listen" => listen = Some(value()?),
            "--api-key" => api_key = Some(value()?),
            "--api-key-file" => {
                let path = value()?;
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("--api-key-file {path}: {e}"))?;
                // A trailing newline is the file's, not the key's.
                api_key = Some(text.trim_end_matches(['\n', '\r']).to_owned());
            }
            "--no-auth" => no_auth = true,
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
    let api_key = api_key.or_else(|| std::env::var("REBILLY_API_KEY").ok());
    match (&api_key, no_auth) {
        (Some(key), _) if key.is_empty() => return Err("the API key is empty".to_owned()),
        (Some(_), true) => return Err("--no-auth and an API key exclude each other".to_owned()),
        (None, false) => {
            return Err(format!(
                "no API key: give --api-key-file, REBILLY_API_KEY or --api-key, or run with --no-auth\n{USAGE}"
            ));
        }
        _ => {}
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

    /// Whether the store answers a query.
    async fn ping(&self) -> Result<(), Problem> {
        let connection = self.0.lock().await;
        connection
            .query_row("SELECT 1", [], |_| Ok(()))
            .map_err(internal)
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
    tracing::error!(%error, "server error");
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

/// The organization a path names (`/organizations/{organizationId}/…`), as an extractor whose
/// refusals are problems: a segment that is not percent-encoded UTF-8 is a 400, and an id that
/// is not valid names no organization, so nothing is stored there (404).
struct PathOrganization(Option<OrganizationId>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PathOrganization {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Problem> {
        let params = axum::extract::RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| Problem::malformed_path())?;
        match params.iter().find(|(name, _)| *name == "organizationId") {
            Some((_, text)) => OrganizationId::parse(text)
                .map(|org| PathOrganization(Some(org)))
                .map_err(|_| Problem::not_found()),
            None => Ok(PathOrganization(None)),
        }
    }
}

/// The organization of a request: the path's, or the server's own for `/customers/{id}`.
fn organization(app: &App, path: PathOrganization) -> OrganizationId {
    path.0.unwrap_or_else(|| app.config.org.clone())
}

async fn get_customer(
    State(app): State<Arc<App>>,
    path: PathOrganization,
    CustomerPath(id): CustomerPath,
) -> Result<Customer, Problem> {
    let org = organization(&app, path);
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
    path: PathOrganization,
    if_match: Option<IfMatch>,
    if_none_match: Option<IfNoneMatch>,
    UpsertBody(request): UpsertBody,
) -> Result<UpsertOutcome, Problem> {
    let org = organization(&app, path);
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
        let sent = headers
            .get("REB-APIKEY")
            .map_or(&b""[..], |value| value.as_bytes());
        // Constant time in the key's content (its length may show, as with any comparison).
        let matches: bool = subtle::ConstantTimeEq::ct_eq(sent, key.as_bytes()).into();
        if !matches {
            return Problem::unauthorized().into_response();
        }
    }
    next.run(request).await
}

/// One structured log line per request: method, route (the pattern, never the path's ids),
/// status, latency and a request id, also sent back as `X-Request-Id`. Never a body, a key or
/// a token.
async fn log_request(request: Request, next: Next) -> Response {
    static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let method = request.method().clone();
    let started = std::time::Instant::now();
    let mut response = next.run(request).await;
    // The route the router matched, as `record_route` left it on the response.
    let route = response
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or("(no route)", |path| path.as_str())
        .to_owned();
    tracing::info!(
        request_id = id,
        method = %method,
        route = %route,
        status = response.status().as_u16(),
        latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        "request"
    );
    if let Ok(value) = axum::http::HeaderValue::from_str(&id.to_string()) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// Leaves the matched route on the response, for [`log_request`], which runs before routing.
async fn record_route(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .cloned();
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(route);
    }
    response
}

/// `GET /health`: the store answers. Open to every client, key or not.
async fn health(State(app): State<Arc<App>>) -> Response {
    match app.store.ping().await {
        Ok(()) => (
            axum::http::StatusCode::OK,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            r#"{"status":"ok"}"#,
        )
            .into_response(),
        Err(problem) => problem.into_response(),
    }
}

fn router(app: Arc<App>) -> Router {
    let limit = app.config.max_body;
    let customers = put(put_customer).get(get_customer);
    let guarded = Router::new()
        .route("/customers/{id}", customers.clone())
        .route("/organizations/{organizationId}/customers/{id}", customers)
        .method_not_allowed_fallback(|| async { Problem::method_not_allowed() })
        .fallback(|| async { Problem::not_found() })
        .layer(Extension(limit))
        .layer(Extension(
            ParseOptions::new().with_contract(app.config.contract),
        ))
        .layer(middleware::from_fn_with_state(app.clone(), require_api_key));
    Router::new()
        .route("/health", axum::routing::get(health))
        .merge(guarded)
        .route_layer(middleware::from_fn(record_route))
        .layer(middleware::from_fn(log_request))
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
    if config.api_key.is_none() {
        eprintln!("warning: --no-auth: every client may read and write every customer");
    }
    tracing_subscriber::fmt()
        .json()
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
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
    let served = axum::serve(listener, router(app)).with_graceful_shutdown(shutdown_signal());
    if let Err(error) = served.await {
        eprintln!("server stopped: {error}");
        std::process::exit(1);
    }
}

/// Ctrl-C or SIGTERM: the server stops accepting, finishes the requests in flight, and exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
