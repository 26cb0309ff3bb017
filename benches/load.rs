//! A load benchmark of the reference server: PUT, then GET, over keep-alive HTTP/1.1
//! connections, each connection one thread, for a fixed time; requests per second and the
//! latency's median and 99th percentile.
//!
//! ```sh
//! cargo build --release -p rebilly-customer-server
//! cargo bench -p rebilly-customer-benches --bench load -- \
//!     [--server target/release/rebilly-customer-server] [--instances 1] [--db SQLITE_FILE] \
//!     [--connections 16] [--seconds 10] [--customers 1000]
//! ```
//!
//! It starts `--instances` servers on ephemeral ports, all on the same `--db` (a new SQLite file
//! in a temporary directory unless given), and spreads the connections over them. Every
//! answer must be a 200 or a 201; any other is counted and printed.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Options {
    server: String,
    instances: usize,
    db: Option<String>,
    connections: usize,
    seconds: u64,
    customers: usize,
}

fn options() -> Options {
    let mut options = Options {
        server: concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../target/release/rebilly-customer-server"
        )
        .to_owned(),
        instances: 1,
        db: None,
        connections: 16,
        seconds: 10,
        customers: 1000,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| panic!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--server" => options.server = value(),
            "--instances" => options.instances = value().parse().expect("a count"),
            "--db" => options.db = Some(value()),
            "--connections" => options.connections = value().parse().expect("a count"),
            "--seconds" => options.seconds = value().parse().expect("seconds"),
            "--customers" => options.customers = value().parse().expect("a count"),
            // cargo bench passes --bench to every bench target.
            "--bench" => {}
            other => panic!("unknown argument {other}"),
        }
    }
    options
}

/// A server instance, killed when dropped.
struct Instance {
    child: Child,
    port: u16,
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn start(server: &str, db: &str) -> Instance {
    let mut child = Command::new(server)
        .args([
            "--db",
            db,
            "--listen",
            "127.0.0.1:0",
            "--api-key",
            "key_load",
        ])
        .args(["--default-website", "web_load"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("{server}: {e} (build it: cargo build --release -p rebilly-customer-server)")
        });
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("the first line");
    let port = first
        .trim()
        .rsplit(':')
        .next()
        .and_then(|port| port.parse().ok())
        .unwrap_or_else(|| panic!("first line: {first:?}"));
    Instance { child, port }
}

/// One keep-alive connection.
struct Connection {
    port: u16,
    stream: Option<BufReader<TcpStream>>,
}

impl Connection {
    /// Sends one request and reads its answer: the status.
    fn exchange(&mut self, request: &[u8]) -> u16 {
        for _ in 0..2 {
            if self.stream.is_none() {
                let stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
                stream.set_nodelay(true).ok();
                self.stream = Some(BufReader::new(stream));
            }
            match self.try_exchange(request) {
                Some(status) => return status,
                // The server closed an idle connection: connect again, once.
                None => self.stream = None,
            }
        }
        panic!("the server does not answer");
    }

    fn try_exchange(&mut self, request: &[u8]) -> Option<u16> {
        let stream = self.stream.as_mut()?;
        stream.get_mut().write_all(request).ok()?;
        let mut line = String::new();
        stream.read_line(&mut line).ok()?;
        let status = line.split(' ').nth(1)?.parse().ok()?;
        let mut length = 0usize;
        let mut close = false;
        loop {
            line.clear();
            stream.read_line(&mut line).ok()?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':')?;
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok()?;
            }
            if name.eq_ignore_ascii_case("connection") && value.trim() == "close" {
                close = true;
            }
        }
        let mut body = vec![0; length];
        stream.read_exact(&mut body).ok()?;
        if close {
            self.stream = None;
        }
        Some(status)
    }
}

/// What one phase measured.
struct Phase {
    latencies: Vec<Duration>,
    unexpected: Vec<u16>,
    elapsed: Duration,
}

fn run_phase(
    ports: &[u16],
    options: &Options,
    request: impl Fn(usize, usize) -> Vec<u8> + Sync,
) -> Phase {
    let deadline = Instant::now() + Duration::from_secs(options.seconds);
    let started = Instant::now();
    let results: Vec<(Vec<Duration>, Vec<u16>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..options.connections)
            .map(|thread| {
                let port = ports[thread % ports.len()];
                let request = &request;
                scope.spawn(move || {
                    let mut connection = Connection { port, stream: None };
                    let (mut latencies, mut unexpected) = (Vec::new(), Vec::new());
                    let mut i = 0;
                    while Instant::now() < deadline {
                        let bytes = request(thread, i);
                        let sent = Instant::now();
                        let status = connection.exchange(&bytes);
                        latencies.push(sent.elapsed());
                        if !matches!(status, 200 | 201) {
                            unexpected.push(status);
                        }
                        i += 1;
                    }
                    (latencies, unexpected)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a load thread"))
            .collect()
    });
    let elapsed = started.elapsed();
    let (mut latencies, mut unexpected) = (Vec::new(), Vec::new());
    for (l, u) in results {
        latencies.extend(l);
        unexpected.extend(u);
    }
    latencies.sort_unstable();
    Phase {
        latencies,
        unexpected,
        elapsed,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied().unwrap_or_default()
}

fn report(name: &str, phase: &Phase) {
    let count = phase.latencies.len();
    println!(
        "{name:4} {count:8} requests  {:8.0} req/s  p50 {:7.2} ms  p99 {:7.2} ms  unexpected {}",
        count as f64 / phase.elapsed.as_secs_f64(),
        percentile(&phase.latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&phase.latencies, 0.99).as_secs_f64() * 1e3,
        phase.unexpected.len(),
    );
    if let Some(status) = phase.unexpected.first() {
        println!("     first unexpected status: {status}");
    }
}

fn main() {
    let options = options();
    let dir = std::env::temp_dir().join(format!("rebilly-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let db = options
        .db
        .clone()
        .unwrap_or_else(|| dir.join("customers.db").display().to_string());
    let instances: Vec<Instance> = (0..options.instances)
        .map(|_| start(&options.server, &db))
        .collect();
    let ports: Vec<u16> = instances.iter().map(|i| i.port).collect();
    println!(
        "{} instance(s), {} connections, {} s per phase, {} customers, store {}",
        options.instances,
        options.connections,
        options.seconds,
        options.customers,
        if db.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        },
    );
    let customers = options.customers;
    let put_request = |thread: usize, i: usize| {
        let body = format!(
            r#"{{"primaryAddress": {{"firstName": "Load", "lastName": "Test", "city": "Riga"}}, "customFields": {{"n": {i}}}, "isEddRequired": {}}}"#,
            i % 2 == 0
        );
        format!(
            "PUT /customers/cus_{} HTTP/1.1\r\nHost: x\r\nREB-APIKEY: key_load\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            (thread * 7919 + i) % customers,
            body.len()
        )
        .into_bytes()
    };
    // Every customer exists before the clock starts: the PUTs measured are updates and the
    // GETs all find theirs.
    let mut setup = Connection {
        port: ports[0],
        stream: None,
    };
    for i in 0..customers {
        let status = setup.exchange(&put_request(0, i));
        assert!(matches!(status, 200 | 201), "setup: {status}");
    }
    let put = run_phase(&ports, &options, put_request);
    report("PUT", &put);
    let get = run_phase(&ports, &options, |thread, i| {
        format!(
            "GET /customers/cus_{} HTTP/1.1\r\nHost: x\r\nREB-APIKEY: key_load\r\n\r\n",
            (thread * 7919 + i) % customers
        )
        .into_bytes()
    });
    report("GET", &get);
    drop(instances);
    std::fs::remove_dir_all(&dir).ok();
}
