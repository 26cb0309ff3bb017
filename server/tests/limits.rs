//! Slow, idle and hostile clients on raw sockets, and the problem the server answers for each
//! limit: every refusal is `application/problem+json`, and no client can hold the server.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use common::{Answer, Server, call};
use serde_json::json;

const KEY: (&str, &str) = ("REB-APIKEY", "key_1");

/// Reads until the peer closes (or `limit` passes): what came, and whether it closed.
fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (Vec<u8>, bool) {
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return (seen, true),
            Ok(read) => seen.extend_from_slice(&buffer[..read]),
            Err(error) if error.kind() == std::io::ErrorKind::ConnectionReset => {
                return (seen, true);
            }
            Err(_) => return (seen, false),
        }
    }
}

/// A new connection to `port` that has sent `bytes`.
fn sent(port: u16, bytes: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(bytes).unwrap();
    stream
}

/// The head of a JSON PUT to `/customers/cus_1` with the key, `extra` header lines (each
/// ending in CRLF) and the blank line.
fn put_head(extra: &str) -> String {
    format!(
        "PUT /customers/cus_1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
         REB-APIKEY: key_1\r\n{extra}\r\n"
    )
}

/// The status and body of a raw answer.
fn parse(raw: &[u8]) -> Answer {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").expect("a head and a body");
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|line| line.split_once(": "))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    Answer {
        status,
        headers,
        body: body.to_owned(),
    }
}

/// `GET /health` on a fresh connection, and how long its answer took.
fn timed_health(port: u16) -> (u16, Duration) {
    let started = Instant::now();
    let answer = call(port, "GET", "/health", &[], b"");
    (answer.status, started.elapsed())
}

#[test]
fn a_slowloris_client_is_cut_off_at_the_head_timeout_while_others_are_served() {
    let server = Server::start("slowloris", &["--api-key", "key_1", "--head-timeout", "1"]);
    let mut slow = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    slow.write_all(b"PUT /customers/cus_1 HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let started = Instant::now();
    let mut cut_off = None;
    // One header byte every 100 ms: each byte comes well within any read timeout, but the
    // head never ends.
    for _ in 0..60 {
        std::thread::sleep(Duration::from_millis(100));
        if slow.write_all(b"X").is_err() {
            cut_off = Some(started.elapsed());
            break;
        }
        let (status, took) = timed_health(server.port);
        assert_eq!(status, 200);
        assert!(
            took < Duration::from_secs(1),
            "another client waited {took:?}"
        );
        let mut probe = [0u8; 1];
        slow.set_nonblocking(true).unwrap();
        let closed = matches!(slow.read(&mut probe), Ok(0));
        slow.set_nonblocking(false).unwrap();
        if closed {
            cut_off = Some(started.elapsed());
            break;
        }
    }
    let cut_off = cut_off.expect("the dribbling client is cut off");
    assert!(
        cut_off >= Duration::from_millis(800) && cut_off < Duration::from_secs(4),
        "cut off after {cut_off:?}, the head timeout is 1 s"
    );
}

#[test]
fn a_thousand_idle_connections_do_not_keep_another_client_waiting() {
    // A cap of 100 open connections: the thousand idle ones cannot all be held; each new one
    // closes the connection idle the longest.
    let server = Server::start("idle", &["--api-key", "key_1", "--max-connections", "100"]);
    let idle: Vec<TcpStream> = (0..1000)
        .map(|_| TcpStream::connect(("127.0.0.1", server.port)).unwrap())
        .collect();
    let (status, took) = timed_health(server.port);
    assert_eq!(status, 200);
    assert!(took < Duration::from_secs(1), "the client waited {took:?}");
    // A client with a request in flight is never the one closed: a PUT whose body is still
    // coming survives another thousand connections.
    let body = br#"{"websiteId": "web_1"}"#;
    let head = put_head(&format!(
        "Connection: close\r\nContent-Length: {}\r\n",
        body.len()
    ));
    let mut writer = sent(server.port, head.as_bytes());
    writer.write_all(&body[..5]).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let more: Vec<TcpStream> = (0..1000)
        .map(|_| TcpStream::connect(("127.0.0.1", server.port)).unwrap())
        .collect();
    let (status, took) = timed_health(server.port);
    assert_eq!(status, 200);
    assert!(took < Duration::from_secs(1), "the client waited {took:?}");
    writer.write_all(&body[5..]).unwrap();
    let (raw, _) = read_until_closed(&mut writer, Duration::from_secs(5));
    assert_eq!(parse(&raw).status, 201);
    drop((idle, more));
}

#[test]
fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    let server = Server::start(
        "keepalive",
        &["--api-key", "key_1", "--idle-timeout", "0.5"],
    );
    let mut stream = sent(server.port, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    let started = Instant::now();
    let (raw, closed) = read_until_closed(&mut stream, Duration::from_secs(5));
    assert!(closed, "the idle connection is closed");
    assert_eq!(parse(&raw).status, 200, "after its answer");
    let idle = started.elapsed();
    assert!(
        idle >= Duration::from_millis(400) && idle < Duration::from_secs(3),
        "closed after {idle:?}, the idle timeout is 0.5 s"
    );
    // A connection that never sends a byte is idle too.
    let mut silent = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let (raw, closed) = read_until_closed(&mut silent, Duration::from_secs(5));
    assert!(closed && raw.is_empty());
}

#[test]
fn a_body_that_does_not_arrive_in_time_is_a_408_problem() {
    let server = Server::start(
        "body-timeout",
        &["--api-key", "key_1", "--body-timeout", "0.5"],
    );
    let head = put_head("Content-Length: 100\r\n");
    let mut stream = sent(server.port, format!("{head}{{\"websiteId\"").as_bytes());
    let started = Instant::now();
    let (raw, closed) = read_until_closed(&mut stream, Duration::from_secs(5));
    let answer = parse(&raw);
    answer.problem(408);
    assert!(
        closed,
        "the rest of the body could still come: the connection closes"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    server.get("/customers/cus_1").problem(404);
}

#[test]
fn a_client_that_half_closes_after_its_request_gets_the_answer() {
    let server = Server::start("half-close", &["--api-key", "key_1"]);
    let body = r#"{"websiteId": "web_1"}"#;
    let head = put_head(&format!("Content-Length: {}\r\n", body.len()));
    let mut stream = sent(server.port, format!("{head}{body}").as_bytes());
    stream.shutdown(Shutdown::Write).unwrap();
    let (raw, _) = read_until_closed(&mut stream, Duration::from_secs(5));
    assert_eq!(parse(&raw).status, 201, "{}", String::from_utf8_lossy(&raw));
    assert_eq!(
        server.get("/customers/cus_1").status,
        200,
        "and it is stored"
    );
}

#[test]
fn heads_past_the_limits_are_problems_411_414_431() {
    let server = Server::start("heads", &["--api-key", "key_1"]);
    // A PUT that frames no body: 411.
    let mut stream = sent(server.port, put_head("Connection: close\r\n").as_bytes());
    let (raw, _) = read_until_closed(&mut stream, Duration::from_secs(5));
    parse(&raw).problem(411);
    // A chunked body is framed: no 411.
    let head = put_head("Connection: close\r\nTransfer-Encoding: chunked\r\n");
    let chunked = "16\r\n{\"websiteId\": \"web_1\"}\r\n0\r\n\r\n";
    let mut stream = sent(server.port, format!("{head}{chunked}").as_bytes());
    let (raw, _) = read_until_closed(&mut stream, Duration::from_secs(5));
    assert_eq!(parse(&raw).status, 201, "{}", String::from_utf8_lossy(&raw));

    // A target of 8 KiB is served; one byte more is a 414.
    let at_limit = format!("/customers/cus_1?{}", "q".repeat(8192 - 17));
    assert_eq!(at_limit.len(), 8192);
    assert_eq!(server.get(&at_limit).status, 200);
    server.get(&format!("{at_limit}q")).problem(414);

    // 100 header fields are served (the client's own three and the key among them); 101 are
    // a 431.
    let fields: Vec<(String, String)> = (0..96).map(|i| (format!("x-{i}"), "1".into())).collect();
    let mut headers: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    headers.push(KEY);
    assert_eq!(
        server.call("GET", "/customers/cus_1", &headers, b"").status,
        200
    );
    headers.push(("x-one-more", "1"));
    server
        .call("GET", "/customers/cus_1", &headers, b"")
        .problem(431);
    // Header fields over 16 KiB in all: a 431.
    let long = "v".repeat(17 * 1024);
    server
        .call("GET", "/customers/cus_1", &[KEY, ("x-long", &long)], b"")
        .problem(431);
    // Past hyper's own 64 KiB head buffer, hyper answers before any service runs: a 431 of
    // its own, with no body (docs/servers.md lists these).
    let longer = "v".repeat(70 * 1024);
    let answer = server.call("GET", "/customers/cus_1", &[KEY, ("x-long", &longer)], b"");
    assert_eq!(answer.status, 431);
}

#[test]
fn past_the_rate_limit_a_429_problem_says_when_to_come_back() {
    let server = Server::start("rate", &["--api-key", "key_1", "--rate-limit", "3"]);
    let remaining: Vec<String> = (0..3)
        .map(|_| {
            let answer = server.get("/customers/cus_1");
            assert_eq!(answer.status, 404);
            assert_eq!(answer.header("x-ratelimit-limit"), Some("3"));
            answer.header("x-ratelimit-remaining").unwrap().to_owned()
        })
        .collect();
    // The minute may turn between two requests, and the window with it: then it starts over.
    if remaining != ["2", "1", "0"] {
        return;
    }
    let refused = server.get("/customers/cus_1");
    refused.problem(429);
    assert_eq!(refused.header("x-ratelimit-remaining"), Some("0"));
    let retry: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
    // Without the key, a 401 that counts for nothing; /health is never limited.
    server
        .call("GET", "/customers/cus_1", &[], b"")
        .problem(401);
    assert_eq!(server.call("GET", "/health", &[], b"").status, 200);
}

#[test]
fn a_store_locked_by_another_writer_is_a_503_problem_and_reads_go_on() {
    let server = Server::start("locked", &["--api-key", "key_1", "--store-timeout", "0.2"]);
    server.create_cus_1();
    // Another process's write transaction holds the file's write lock.
    let other = rusqlite::Connection::open(server.dir.join("customers.db")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let refused = server.json(
        "PUT",
        "/customers/cus_1",
        &[],
        &json!({"isEddRequired": true}),
    );
    refused.problem(503);
    assert_eq!(refused.header("retry-after"), Some("1"));
    assert!(
        !refused.body.contains("locked"),
        "the store's error is the log's"
    );
    assert_eq!(server.get("/customers/cus_1").status, 200, "reads go on");
    other.execute_batch("ROLLBACK").unwrap();
    let updated = server.json(
        "PUT",
        "/customers/cus_1",
        &[],
        &json!({"isEddRequired": true}),
    );
    assert_eq!(updated.status, 200, "{}", updated.body);
}

#[test]
fn a_customer_that_would_grow_past_its_limit_is_a_413_and_nothing_is_written() {
    let server = Server::start(
        "bounded",
        &["--api-key", "key_1", "--max-customer-bytes", "2000"],
    );
    server.create_cus_1();
    let before = server.get("/customers/cus_1");
    // Each PUT alone is small; the customer they build is not.
    let long = "x".repeat(900);
    for (i, expected) in [(1, 200), (2, 413)] {
        let answer = server.json(
            "PUT",
            "/customers/cus_1",
            &[],
            &json!({"customFields": {format!("field{i}"): long}}),
        );
        if expected == 413 {
            let problem = answer.problem(413);
            assert!(problem["detail"].as_str().unwrap().contains("2000 bytes"));
        } else {
            assert_eq!(answer.status, expected, "{}", answer.body);
        }
    }
    let after = server.get("/customers/cus_1");
    assert_ne!(after.body, before.body);
    assert_eq!(
        after.header("etag"),
        Some("\"1\""),
        "the refused upsert wrote nothing"
    );
}
