//! The command line: every flag, its default, and the checks a value must pass before the
//! server starts.

use std::collections::HashMap;
use std::time::Duration;

use rebilly_customer::axum::BodyLimit;
use rebilly_customer::{Contract, OrganizationId, PaymentInstrument, PaymentMethod, WebsiteId};

pub const USAGE: &str = "usage: rebilly-customer-server --database FILE|postgres://URL --listen ADDR \
(--api-key KEY | --api-key-file FILE | REBILLY_API_KEY in the environment | --no-auth) [--org ORG_ID] \
[--default-website WEBSITE_ID] [--token TOKEN=INSTRUMENT_JSON]... [--max-body BYTES] \
[--contract 2023-01|2026-08] [--instrument ID=METHOD]... [--max-customer-bytes BYTES] \
[--head-timeout SECONDS] [--body-timeout SECONDS] [--idle-timeout SECONDS] \
[--max-connections N] [--rate-limit REQUESTS_PER_MINUTE] [--store-timeout SECONDS]";

/// What the server was started with.
pub struct Config {
    /// A SQLite file, or a `postgres://` URL.
    pub db: String,
    pub listen: String,
    pub api_key: Option<String>,
    pub org: OrganizationId,
    pub default_website: Option<WebsiteId>,
    pub tokens: HashMap<String, PaymentInstrument>,
    pub max_body: BodyLimit,
    /// The longest stored form a customer may reach: an upsert past it is a 413, unwritten.
    pub max_customer_bytes: u64,
    pub contract: Contract,
    pub instruments: HashMap<String, PaymentMethod>,
    pub limits: Limits,
    /// Requests per minute per API key; `None`, no limit.
    pub rate_limit: Option<u32>,
    /// How long a statement waits for the store's write lock before the answer is a 503.
    pub store_timeout: Duration,
}

/// The limits that keep slow and idle clients from holding the server's connections.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// From the moment the server waits for a request head (a new connection, or the end of
    /// the previous answer) to its last byte; past it, the connection is closed.
    pub head_timeout: Duration,
    /// From the end of the head to the last byte of the body; past it, a 408 problem.
    pub body_timeout: Duration,
    /// How long a connection may wait, with nothing sent, for its next request.
    pub idle_timeout: Duration,
    /// Open connections at most. A new one beyond it closes the connection idle the longest;
    /// when every one is answering a request, new ones wait to be accepted.
    pub max_connections: usize,
}

impl Default for Limits {
    /// What a server on the open internet would pick: nginx's `client_header_timeout` and
    /// `client_body_timeout` are 60 s; a JSON body of a megabyte needs far less.
    fn default() -> Self {
        Limits {
            head_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(5),
            max_connections: 1024,
        }
    }
}

/// A duration in seconds (`2`, `0.5`): positive and finite.
fn seconds(flag: &str, text: &str) -> Result<Duration, String> {
    text.parse::<f64>()
        .ok()
        .filter(|seconds| seconds.is_finite() && *seconds > 0.0 && *seconds < 1e9)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("{flag} takes a positive number of seconds, got {text:?}"))
}

/// A positive count.
fn count<T: std::str::FromStr + PartialOrd + Default>(flag: &str, text: &str) -> Result<T, String> {
    text.parse::<T>()
        .ok()
        .filter(|n| *n > T::default())
        .ok_or_else(|| format!("{flag} takes a positive whole number, got {text:?}"))
}

pub fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Config, String> {
    let (mut db, mut listen, mut api_key, mut org, mut website, mut max_body) =
        (None, None, None, None, None, None);
    let mut max_customer_bytes = None;
    let mut no_auth = false;
    let mut tokens = HashMap::new();
    let mut instruments = HashMap::new();
    let mut contract = Contract::default();
    let mut limits = Limits::default();
    let mut rate_limit = None;
    let mut store_timeout = Duration::from_secs(5);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            // A file is SQLite; `postgres://…` is PostgreSQL. `--db` is the older name.
            "--database" | "--db" => db = Some(value()?),
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
            "--max-body" => max_body = Some(BodyLimit::new(count(&flag, &value()?)?)),
            "--max-customer-bytes" => max_customer_bytes = Some(count(&flag, &value()?)?),
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
            "--head-timeout" => limits.head_timeout = seconds(&flag, &value()?)?,
            "--body-timeout" => limits.body_timeout = seconds(&flag, &value()?)?,
            "--idle-timeout" => limits.idle_timeout = seconds(&flag, &value()?)?,
            "--max-connections" => limits.max_connections = count(&flag, &value()?)?,
            "--rate-limit" => rate_limit = Some(count(&flag, &value()?)?),
            "--store-timeout" => store_timeout = seconds(&flag, &value()?)?,
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
    let max_body = max_body.unwrap_or_default();
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
        max_body,
        max_customer_bytes: max_customer_bytes.unwrap_or(max_body.bytes()),
        contract,
        instruments,
        limits,
        rate_limit,
        store_timeout,
    })
}
