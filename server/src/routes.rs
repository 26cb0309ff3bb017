//! The routes and what stands in front of them: the key, the rate limit, the limits on a
//! request's head and body, and the request log.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use axum::{Extension, Router};
use http_body::{Frame, SizeHint};
use rebilly_customer::axum::{CustomerPath, UpsertBody};
use rebilly_customer::{
    Customer, CustomerId, IfMatch, IfNoneMatch, OrganizationId, ParseOptions, PaymentInstrument,
    Problem, TokenRejection, UpsertContext, UpsertOutcome, UpsertRequest, WritePlan,
};

use crate::config::Config;
use crate::problems;
use crate::store::{LostRace, Store, StoreError};

/// Races a writer may lose in a row (see `put_customer`).
const LOST_RACES_MAX: usize = 10_000;

/// The longest request target (path and query) served; a longer one is a 414 problem.
pub const MAX_TARGET_BYTES: usize = 8 * 1024;
/// The most header bytes (names, values and their separators) served; more is a 431 problem.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// The most header fields served; more is a 431 problem.
pub const MAX_HEADER_FIELDS: usize = 100;

pub struct App {
    pub store: Store,
    pub config: Config,
    pub locks: KeyLocks,
    pub rate: RateWindow,
    /// A pause between a writer's read and its write, from `REBILLY_SERVER_RACE_DELAY_MS`: the
    /// end-to-end tests set it so that concurrent writers really race. Unset, none.
    pub race_delay: Option<Duration>,
}

impl App {
    pub fn new(store: Store, config: Config) -> App {
        let race_delay = std::env::var("REBILLY_SERVER_RACE_DELAY_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map(Duration::from_millis);
        App {
            store,
            config,
            locks: KeyLocks::default(),
            rate: RateWindow::default(),
            race_delay,
        }
    }
}

/// A lock per customer: writers of one customer take turns (read, upsert, write), so that an
/// unconditional writer always succeeds, while writers of different customers never wait on
/// each other. A lock lives only while someone holds or awaits it: the map holds no more
/// entries than there are writers.
#[derive(Default)]
pub struct KeyLocks(Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>);

/// A customer's turn; dropping it lets the next writer of that customer in.
struct KeyTurn {
    app: Arc<App>,
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
            app: app.clone(),
            key,
            turn: Some(turn),
        }
    }
}

impl Drop for KeyTurn {
    fn drop(&mut self) {
        drop(self.turn.take());
        let mut map = self
            .app
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

/// The rate limit's window: requests counted per minute. The server has one API key, so the
/// limit per key is one window.
#[derive(Default)]
pub struct RateWindow(Mutex<(u64, u32)>);

impl RateWindow {
    /// Counts a request: `Ok(remaining)` in this minute, or `Err(seconds)` until the next.
    fn take(&self, limit: u32) -> Result<u32, u64> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        let (minute, used) = &mut *self.0.lock().expect("the window is never poisoned");
        if *minute != now / 60 {
            (*minute, *used) = (now / 60, 0);
        }
        if *used >= limit {
            return Err(60 - now % 60);
        }
        *used += 1;
        Ok(limit - *used)
    }
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
) -> Result<Customer, Response> {
    let org = organization(&app, path);
    app.store
        .get(&org, id.as_str(), app.config.contract)
        .await
        .map_err(problems::store)?
        .ok_or_else(|| Problem::not_found().into_response())
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
) -> Result<UpsertOutcome, Response> {
    let org = organization(&app, path);
    let resolved = resolve_token(&app, &request).await;
    let id: CustomerId = request.id().clone();
    // The body is read and parsed; only now does the writer wait for its customer's turn.
    let _turn = KeyLocks::turn(&app, format!("{}/{}", org.as_str(), id.as_str())).await;
    // A lost race means another writer stored first: read again and upsert again, for as long
    // as it takes (each loss is another writer's success, so this ends). A writer with a
    // precondition gets the 412 or 409 the fresh state calls for; one without always wins.
    // Only a store whose revision column disagrees with its rows could lose forever: past
    // LOST_RACES_MAX losses in a row, that is a 503, not a request that never ends.
    for _ in 0..LOST_RACES_MAX {
        let stored = app
            .store
            .get(&org, id.as_str(), app.config.contract)
            .await
            .map_err(problems::store)?;
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
        let outcome = Customer::apply_upsert(stored, request.clone(), &context)
            .map_err(|error| Problem::from(error).into_response())?;
        if outcome.write_plan() == WritePlan::Nothing {
            return Ok(outcome);
        }
        // The stored customer is bounded: an upsert that would pass the limit writes nothing.
        let stored_json = outcome.customer().to_stored_json();
        let limit = app.config.max_customer_bytes;
        if stored_json.len() as u64 > limit {
            return Err(problems::customer_too_large(limit).into_response());
        }
        if let Some(delay) = app.race_delay {
            tokio::time::sleep(delay).await;
        }
        match app
            .store
            .write(&org, &outcome, stored_json)
            .await
            .map_err(problems::store)?
        {
            Ok(()) => return Ok(outcome),
            Err(LostRace) => tokio::task::yield_now().await,
        }
    }
    Err(problems::store(StoreError::Unavailable(format!(
        "{LOST_RACES_MAX} races lost in a row on one customer"
    ))))
}

/// With a key, every request must carry `REB-APIKEY: KEY`, or it gets a 401 and nothing is
/// read or written.
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

/// With `--rate-limit`, each answer says the limit and what is left of it
/// (`X-RateLimit-Limit`, `X-RateLimit-Remaining`), and a request past it is a 429.
async fn rate_limit(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let Some(limit) = app.config.rate_limit else {
        return next.run(request).await;
    };
    let (mut response, remaining) = match app.rate.take(limit) {
        Ok(remaining) => (next.run(request).await, remaining),
        Err(retry_after) => (problems::too_many_requests(limit, retry_after), 0),
    };
    let headers = response.headers_mut();
    headers.insert("x-ratelimit-limit", HeaderValue::from(limit));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
    response
}

/// A PUT must frame its body: without `Content-Length` or `Transfer-Encoding` it is a 411.
async fn require_length(request: Request, next: Next) -> Response {
    let framed = request.headers().contains_key(header::CONTENT_LENGTH)
        || request.headers().contains_key(header::TRANSFER_ENCODING);
    if request.method() == Method::PUT && !framed {
        return problems::length_required().into_response();
    }
    next.run(request).await
}

/// The limits on a request's head that hyper leaves to the service: a target over
/// [`MAX_TARGET_BYTES`] is a 414, header fields over [`MAX_HEADER_BYTES`] or
/// [`MAX_HEADER_FIELDS`] a 431.
async fn limit_head(request: Request, next: Next) -> Response {
    let target = request
        .uri()
        .path_and_query()
        .map_or(0, |target| target.as_str().len());
    if target > MAX_TARGET_BYTES {
        return problems::uri_too_long(MAX_TARGET_BYTES);
    }
    let headers = request.headers();
    let header_bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if headers.len() > MAX_HEADER_FIELDS || header_bytes > MAX_HEADER_BYTES {
        return problems::headers_too_large(MAX_HEADER_BYTES, MAX_HEADER_FIELDS);
    }
    next.run(request).await
}

/// The body must arrive within `--body-timeout` of the head; past it, the request is a 408.
async fn limit_body_time(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let fired = Arc::new(AtomicBool::new(false));
    let (parts, body) = request.into_parts();
    let body = Body::new(DeadlineBody {
        inner: body,
        deadline: Box::pin(tokio::time::sleep(app.config.limits.body_timeout)),
        fired: fired.clone(),
    });
    let response = next.run(Request::from_parts(parts, body)).await;
    if fired.load(Ordering::Relaxed) {
        return problems::body_timeout();
    }
    response
}

/// A body that fails once its deadline passes, and says so in `fired`.
struct DeadlineBody {
    inner: Body,
    deadline: Pin<Box<tokio::time::Sleep>>,
    fired: Arc<AtomicBool>,
}

impl http_body::Body for DeadlineBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(frame);
        }
        if this.deadline.as_mut().poll(cx).is_ready() {
            this.fired.store(true, Ordering::Relaxed);
            return Poll::Ready(Some(Err(axum::Error::new("the body's time limit passed"))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// One structured log line per request: method, route (the pattern, never the path's ids),
/// status, latency and a request id, also sent back as `X-Request-Id`. Never a body, a key or
/// a token.
async fn log_request(request: Request, next: Next) -> Response {
    static NEXT_ID: AtomicU64 = AtomicU64::new(1);
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let method = request.method().clone();
    let started = Instant::now();
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
    response
        .headers_mut()
        .insert("x-request-id", HeaderValue::from(id));
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
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"status":"ok"}"#,
        )
            .into_response(),
        Err(error) => problems::store(error),
    }
}

/// The whole service. Layers run outside in: the log, the head's limits, then (but for
/// `/health`) the key, the rate limit, the body's framing and its time limit.
pub fn router(app: Arc<App>) -> Router {
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
        .layer(middleware::from_fn_with_state(app.clone(), limit_body_time))
        .layer(middleware::from_fn(require_length))
        .layer(middleware::from_fn_with_state(app.clone(), rate_limit))
        .layer(middleware::from_fn_with_state(app.clone(), require_api_key));
    Router::new()
        .route("/health", axum::routing::get(health))
        .merge(guarded)
        .route_layer(middleware::from_fn(record_route))
        .layer(middleware::from_fn(limit_head))
        .layer(middleware::from_fn(log_request))
        .with_state(app)
}
