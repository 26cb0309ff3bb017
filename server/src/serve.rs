//! The connections: accepted up to a cap, each served by hyper's HTTP/1.1 with a time limit on
//! its request heads and on its idleness, closed idle-longest-first when the cap is reached,
//! and finished, not dropped, on shutdown.
//!
//! axum's own `serve` has no knob for any of these, so the loop is written out here, on the
//! same parts (hyper's connection builder, hyper-util's tokio adapters).

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Notify, Semaphore, watch};

use crate::config::Limits;

/// The most bytes hyper buffers for one request head. A head past it gets hyper's own empty
/// 431 (the service never sees it); heads within it are checked by the router's own, smaller
/// limits, which answer with problems.
const HEAD_BUFFER_BYTES: usize = 64 * 1024;
/// The most header fields hyper parses; the router's limit is lower, for the same reason.
const HEAD_FIELDS: usize = 400;

/// The open connections that are idle (no request in flight), oldest first, for eviction.
#[derive(Default)]
struct Idle {
    /// Idle since (a sequence number) → that connection's eviction signal.
    by_age: Mutex<BTreeMap<u64, Arc<Notify>>>,
    next: AtomicU64,
}

impl Idle {
    /// Closes the connection idle the longest; `false` when none is idle.
    fn evict_oldest(&self) -> bool {
        let oldest = self.by_age.lock().expect("never poisoned").pop_first();
        match oldest {
            Some((_, evict)) => {
                evict.notify_one();
                true
            }
            None => false,
        }
    }
}

/// One connection's state, shared by its task and its service.
struct Connection {
    idle: Arc<Idle>,
    /// This connection's place in [`Idle::by_age`], while it is idle.
    idle_key: Mutex<Option<u64>>,
    evict: Arc<Notify>,
    /// Woken each time the connection turns idle, to start its idle timer.
    turned_idle: Notify,
    in_flight: AtomicU64,
}

impl Connection {
    fn new(idle: Arc<Idle>) -> Arc<Connection> {
        let connection = Arc::new(Connection {
            idle,
            idle_key: Mutex::new(None),
            evict: Arc::new(Notify::new()),
            turned_idle: Notify::new(),
            in_flight: AtomicU64::new(0),
        });
        connection.turn_idle();
        connection
    }

    fn turn_idle(&self) {
        let key = self.idle.next.fetch_add(1, Ordering::Relaxed);
        self.idle
            .by_age
            .lock()
            .expect("never poisoned")
            .insert(key, self.evict.clone());
        *self.idle_key.lock().expect("never poisoned") = Some(key);
        self.turned_idle.notify_one();
    }

    fn turn_busy(&self) {
        if let Some(key) = self.idle_key.lock().expect("never poisoned").take() {
            self.idle
                .by_age
                .lock()
                .expect("never poisoned")
                .remove(&key);
        }
    }

    fn is_busy(&self) -> bool {
        self.in_flight.load(Ordering::Relaxed) > 0
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.turn_busy();
    }
}

/// Marks its connection busy while a request is in flight.
struct InFlight(Arc<Connection>);

impl InFlight {
    fn start(connection: &Arc<Connection>) -> InFlight {
        connection.in_flight.fetch_add(1, Ordering::Relaxed);
        connection.turn_busy();
        InFlight(connection.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if self.0.in_flight.fetch_sub(1, Ordering::Relaxed) == 1 {
            self.0.turn_idle();
        }
    }
}

/// The router as hyper's service, marking the connection busy from a request's head until
/// hyper drops the answer's body, once it has written all of it.
#[derive(Clone)]
struct Service {
    router: Router,
    connection: Arc<Connection>,
}

impl hyper::service::Service<Request<Incoming>> for Service {
    type Response = axum::response::Response;
    type Error = std::convert::Infallible;
    type Future = std::pin::Pin<
        Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send + 'static>,
    >;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        let in_flight = InFlight::start(&self.connection);
        let mut router = self.router.clone();
        Box::pin(async move {
            let response =
                tower_service::Service::call(&mut router, request.map(Body::new)).await?;
            Ok(response.map(|body| {
                Body::new(AnswerBody {
                    inner: body,
                    _in_flight: in_flight,
                })
            }))
        })
    }
}

/// An answer's body, holding its connection busy until it is dropped.
struct AnswerBody {
    inner: Body,
    _in_flight: InFlight,
}

impl http_body::Body for AnswerBody {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::pin::Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// Serves `router` on `listener` under `limits` until `shutdown` completes, then stops
/// accepting, lets each connection finish the request it is answering, and returns.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let idle = Arc::new(Idle::default());
    let (stop, stopped) = watch::channel(());
    let mut shutdown = pin!(shutdown);
    loop {
        // A slot first: at the cap, the connection idle the longest makes room; when every
        // connection is answering, new ones wait in the listen queue (and the wait looks again
        // for an idle one now and then: a connection turning idle frees no slot by itself).
        let permit = loop {
            if let Ok(permit) = slots.clone().try_acquire_owned() {
                break Some(permit);
            }
            idle.evict_oldest();
            tokio::select! {
                permit = slots.clone().acquire_owned() => break Some(permit.expect("never closed")),
                () = tokio::time::sleep(Duration::from_millis(50)) => {}
                () = &mut shutdown => break None,
            }
        };
        let Some(permit) = permit else { break };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    // Out of file descriptors, most likely: free one, and go on.
                    tracing::warn!(%error, "accept failed");
                    idle.evict_oldest();
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        stream.set_nodelay(true).ok();
        let connection = Connection::new(idle.clone());
        let service = Service {
            router: router.clone(),
            connection: connection.clone(),
        };
        let stopped = stopped.clone();
        tokio::spawn(async move {
            serve_connection(stream, service, connection, limits, stopped).await;
            drop(permit);
        });
    }
    drop(listener);
    drop(stopped);
    // Each connection holds a receiver: they have all finished when the channel closes.
    stop.send(()).ok();
    stop.closed().await;
}

async fn serve_connection(
    stream: tokio::net::TcpStream,
    service: Service,
    connection: Arc<Connection>,
    limits: Limits,
    mut stopped: watch::Receiver<()>,
) {
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.head_timeout)
        // A client that half-closes after its request still gets the answer.
        .half_close(true)
        .max_buf_size(HEAD_BUFFER_BYTES)
        .max_headers(HEAD_FIELDS);
    let served = builder.serve_connection(TokioIo::new(stream), service);
    let mut served = pin!(served);
    let mut shutting_down = false;
    loop {
        let idle_timer = async {
            if connection.is_busy() || shutting_down {
                std::future::pending::<()>().await;
            }
            tokio::time::sleep(limits.idle_timeout).await;
        };
        tokio::select! {
            result = served.as_mut() => {
                if let Err(error) = result {
                    tracing::debug!(%error, "connection ended");
                }
                return;
            }
            // Under pressure: a connection with no request in flight has nothing to lose.
            () = connection.evict.notified() => {
                if !connection.is_busy() {
                    return;
                }
            }
            () = idle_timer => {
                if !connection.is_busy() {
                    served.as_mut().graceful_shutdown();
                    shutting_down = true;
                }
            }
            // The timer starts again when the connection turns idle.
            () = connection.turned_idle.notified(), if !shutting_down => {}
            _ = stopped.changed(), if !shutting_down => {
                served.as_mut().graceful_shutdown();
                shutting_down = true;
            }
        }
    }
}

/// Polls `future` once, for the unit tests.
#[cfg(test)]
fn poll_once<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
    let waker = std::task::Waker::noop();
    std::pin::Pin::new(future).poll(&mut Context::from_waker(waker))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_idle_the_longest_is_evicted_first_and_a_busy_one_never() {
        let idle = Arc::new(Idle::default());
        let first = Connection::new(idle.clone());
        let second = Connection::new(idle.clone());
        let third = Connection::new(idle.clone());
        let busy = InFlight::start(&first);
        let mut evicted_second = Box::pin(second.evict.notified());
        let mut evicted_third = Box::pin(third.evict.notified());
        assert!(idle.evict_oldest());
        assert!(poll_once(&mut evicted_second).is_ready());
        assert!(poll_once(&mut evicted_third).is_pending());
        assert!(idle.evict_oldest());
        assert!(poll_once(&mut evicted_third).is_ready());
        assert!(!idle.evict_oldest(), "the busy one is not a candidate");
        drop(busy);
        assert!(idle.evict_oldest(), "idle again once its answer is out");
    }
}
