//! The reference server: PUT and GET /customers/{id} (and the same under
//! /organizations/{organizationId}/customers/{id}) over HTTP, stored in SQLite or PostgreSQL,
//! with every write through the outcome's write plan.
//!
//! ```sh
//! cargo run --release -p rebilly-customer-server -- --database FILE|postgres://… --listen ADDR \
//!     (--api-key-file FILE | --no-auth) [--org ORG_ID] [--default-website WEBSITE_ID] \
//!     [--token TOKEN=INSTRUMENT_JSON]... [--max-body BYTES] [--contract 2023-01|2026-08] \
//!     [--instrument ID=METHOD]... [--max-customer-bytes BYTES] [--head-timeout SECONDS] \
//!     [--body-timeout SECONDS] [--idle-timeout SECONDS] [--max-connections N] \
//!     [--rate-limit REQUESTS_PER_MINUTE] [--store-timeout SECONDS]
//! ```
//!
//! `--contract` picks the revision every request, stored customer and response follows (the
//! store keeps each customer's stored form, so 2026-08's write-only `leadSource` survives);
//! `--instrument` fills the vault that 2026-08's `defaultPaymentInstrumentId` is looked up in.
//!
//! The first line it prints is `listening on http://HOST:PORT` (the real port when ADDR ends in
//! `:0`). Customers are keyed by organization and id: a customer of one organization does not
//! exist for another. A writer whose write plan no longer holds (another writer stored first)
//! upserts again on the fresh state, so an update answered 200 is never lost; with `If-Match`
//! the retry answers the 412 that the fresh state calls for.
//!
//! Modules: [`config`] (the flags), [`serve`] (connections and their limits), [`routes`] (the
//! handlers and the layers in front of them), [`store`] (SQLite and PostgreSQL), [`problems`] (the server's
//! own refusals).

mod config;
mod problems;
mod routes;
mod serve;
mod store;

use std::io::Write;
use std::sync::Arc;

use crate::routes::App;

#[tokio::main]
async fn main() {
    let config = match config::parse_args(std::env::args().skip(1)) {
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
    let store = match store::Store::open(&config.db, config.store_timeout).await {
        Ok(store) => store,
        Err(error) => {
            eprintln!("cannot open the store: {error}");
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
    let limits = config.limits;
    let app = Arc::new(App::new(store, config));
    serve::serve(listener, routes::router(app), limits, shutdown_signal()).await;
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
