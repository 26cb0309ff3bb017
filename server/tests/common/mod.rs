//! What the server's end-to-end tests share: a server on an ephemeral port with its own store
//! (a SQLite file, or two instances on a PostgreSQL database of their own), and a plain
//! HTTP/1.1 client on raw sockets.
#![allow(dead_code)] // each test file uses its own part

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// The store a test's servers use: set per run by [`each_store`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreKind {
    /// One instance, a SQLite file in a temporary directory.
    Sqlite,
    /// Two instances on one new PostgreSQL database; requests alternate between them.
    Postgres,
}

thread_local! {
    static STORE: std::cell::Cell<StoreKind> = const { std::cell::Cell::new(StoreKind::Sqlite) };
}

/// The PostgreSQL server the tests may use: a connection string in `REBILLY_TEST_POSTGRES`
/// (`.ci/run` starts one and sets it), e.g. `postgres://postgres@127.0.0.1:5433/postgres`.
pub fn postgres_url() -> Option<String> {
    std::env::var("REBILLY_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// Runs `test` on SQLite, then on two instances sharing PostgreSQL when
/// `REBILLY_TEST_POSTGRES` is set (else says that it skipped that run).
pub fn each_store(test: impl Fn()) {
    STORE.with(|store| store.set(StoreKind::Sqlite));
    test();
    if postgres_url().is_some() {
        STORE.with(|store| store.set(StoreKind::Postgres));
        test();
        STORE.with(|store| store.set(StoreKind::Sqlite));
    } else {
        say_skipped("the server's suite on PostgreSQL: REBILLY_TEST_POSTGRES is not set");
    }
}

/// Prints, once per test binary, what was skipped and why: on stderr itself, which the test
/// harness does not capture, so that a passing run shows it.
pub fn say_skipped(what: &str) {
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        let _ = writeln!(std::io::stderr(), "skipped: {what}");
    });
}

/// A database of its own on the PostgreSQL server, created empty, and its URL.
pub fn new_postgres_database(name: &str) -> (String, String) {
    let base = postgres_url().expect("REBILLY_TEST_POSTGRES");
    let database: String = format!("rebilly_{name}_{}", std::process::id())
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    psql(
        &base,
        &format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"),
    );
    psql(&base, &format!("CREATE DATABASE {database}"));
    let (url, query) = base.split_once('?').unwrap_or((&base, ""));
    let (server, _) = url.rsplit_once('/').expect("a URL with a database name");
    let mut url = format!("{server}/{database}");
    if !query.is_empty() {
        url = format!("{url}?{query}");
    }
    (database, url)
}

/// Runs one SQL statement with psql.
pub fn psql(url: &str, sql: &str) -> String {
    let output = Command::new("psql")
        .args([
            "-X",
            "-q",
            "-t",
            "-A",
            "-v",
            "ON_ERROR_STOP=1",
            url,
            "-c",
            sql,
        ])
        .output()
        .expect("psql runs");
    assert!(
        output.status.success(),
        "psql {sql}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// A running server (on PostgreSQL, two instances), stopped, and its directory or database
/// removed, when dropped.
pub struct Server {
    /// The first instance.
    pub child: Child,
    pub port: u16,
    pub dir: PathBuf,
    /// The other instances on the same store, with their ports.
    pub others: Vec<(Child, u16)>,
    /// The PostgreSQL database of this server, dropped with it.
    pub postgres: Option<String>,
    next: std::sync::atomic::AtomicUsize,
}

impl Server {
    pub fn start(name: &str, extra: &[&str]) -> Server {
        Server::start_with_delay(name, extra, 20)
    }

    /// A server whose writers pause `delay_ms` between their read and their write.
    pub fn start_with_delay(name: &str, extra: &[&str], delay_ms: u64) -> Server {
        Server::launch(name, extra, &[], delay_ms, Stdio::null())
    }

    /// A server with `extra` arguments and `env`, its stderr sent to `stderr`, on the store
    /// of the current run.
    pub fn launch(
        name: &str,
        extra: &[&str],
        env: &[(&str, &str)],
        delay_ms: u64,
        stderr: Stdio,
    ) -> Server {
        let dir =
            std::env::temp_dir().join(format!("rebilly-server-{name}-{}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        std::fs::create_dir_all(&dir).unwrap();
        let store = STORE.with(std::cell::Cell::get);
        let (database, instances, postgres) = match store {
            StoreKind::Sqlite => (dir.join("customers.db").display().to_string(), 1, None),
            StoreKind::Postgres => {
                let (database, url) = new_postgres_database(name);
                (url, 2, Some(database))
            }
        };
        let mut stderr = Some(stderr);
        let mut spawned: Vec<(Child, u16)> = (0..instances)
            .map(|_| {
                start_instance(
                    &database,
                    extra,
                    env,
                    delay_ms,
                    stderr.take().unwrap_or_else(Stdio::null),
                )
            })
            .collect();
        let (child, port) = spawned.remove(0);
        Server {
            child,
            port,
            dir,
            others: spawned,
            postgres,
            next: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// The port of the instance the next request goes to: each in turn.
    pub fn next_port(&self) -> u16 {
        let turn = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match turn % (self.others.len() + 1) {
            0 => self.port,
            other => self.others[other - 1].1,
        }
    }

    pub fn call(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
        call(self.next_port(), method, path, headers, body)
    }

    /// A JSON request with the API key the tests' servers expect.
    pub fn json(&self, method: &str, path: &str, extra: &[(&str, &str)], body: &Value) -> Answer {
        let mut headers = vec![
            ("Content-Type", "application/json"),
            ("REB-APIKEY", "key_1"),
        ];
        headers.extend_from_slice(extra);
        self.call(method, path, &headers, body.to_string().as_bytes())
    }

    /// Creates `cus_1` with a website, and checks the 201.
    #[track_caller]
    pub fn create_cus_1(&self) -> Answer {
        let created = self.json(
            "PUT",
            "/customers/cus_1",
            &[],
            &serde_json::json!({"websiteId": "web_1"}),
        );
        assert_eq!(created.status, 201, "{}", created.body);
        created
    }

    pub fn get(&self, path: &str) -> Answer {
        self.call("GET", path, &[("REB-APIKEY", "key_1")], b"")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        for child in std::iter::once(&mut self.child).chain(self.others.iter_mut().map(|(c, _)| c))
        {
            child.kill().ok();
            child.wait().ok();
        }
        std::fs::remove_dir_all(&self.dir).ok();
        if let (Some(database), Some(base)) = (&self.postgres, postgres_url()) {
            psql(
                &base,
                &format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"),
            );
        }
    }
}

/// Starts one instance on `database` and waits for its first line: the child and its port.
pub fn start_instance(
    database: &str,
    extra: &[&str],
    env: &[(&str, &str)],
    delay_ms: u64,
    stderr: Stdio,
) -> (Child, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rebilly-customer-server"))
        .args(["--database", database])
        .args(["--listen", "127.0.0.1:0"])
        .args(extra)
        .env_remove("REBILLY_API_KEY")
        .envs(env.iter().copied())
        // Writers pause between their read and their write, so that concurrent ones race.
        .env("REBILLY_SERVER_RACE_DELAY_MS", delay_ms.to_string())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("the reference server starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let port = first
        .trim()
        .strip_prefix("listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("first line: {first:?}"))
        .parse()
        .unwrap();
    (child, port)
}

#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// A problem body, with its media type.
    #[track_caller]
    pub fn problem(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json")
        );
        let problem = self.json();
        assert_eq!(problem["status"], status);
        problem
    }
}

/// One HTTP/1.1 exchange on a fresh connection: the whole body is written before the answer
/// is read, as a client that does not watch for an early answer does.
pub fn call(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    match try_call(port, method, path, headers, body) {
        Ok(answer) => answer,
        Err(error) => panic!("{method} {path}: {error}"),
    }
}

/// One exchange, as [`call`], that returns what went wrong instead of panicking (a killed
/// server's connection, say).
pub fn try_call(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Answer, String> {
    let mut stream =
        TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body))
        .map_err(|e| format!("the server reads the whole body, even one it refuses: {e}"))?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .map_err(|e| format!("the answer is read: {e}"))?;
    let text = String::from_utf8(raw).map_err(|e| e.to_string())?;
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("no head and body: {text:?}"))?;
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|status| status.parse().ok())
        .ok_or_else(|| format!("no status: {head:?}"))?;
    let headers = lines
        .filter_map(|line| line.split_once(": "))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    Ok(Answer {
        status,
        headers,
        body: body.to_owned(),
    })
}

/// Sends a PUT's head declaring `length` bytes, and no body, then reads what comes back within
/// two seconds.
pub fn declared_only(port: u16, length: &str, extra: &[(&str, &str)]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(2)))
        .unwrap();
    let mut head = format!(
        "PUT /customers/cus_1 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         REB-APIKEY: key_1\r\nContent-Length: {length}\r\n"
    );
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    while let Ok(read) = std::io::Read::read(&mut stream, &mut buffer) {
        if read == 0 {
            break;
        }
        answer.extend_from_slice(&buffer[..read]);
        if answer.windows(4).any(|w| w == b"\r\n\r\n") && answer.ends_with(b"}") {
            break;
        }
    }
    String::from_utf8_lossy(&answer).into_owned()
}
