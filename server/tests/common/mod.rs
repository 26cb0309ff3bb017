//! What the server's end-to-end tests share: a server on an ephemeral port with its own SQLite
//! file, and a plain HTTP/1.1 client on raw sockets.
#![allow(dead_code)] // each test file uses its own part

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// A running server, stopped (and its directory removed) when dropped.
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub dir: PathBuf,
}

impl Server {
    pub fn start(name: &str, extra: &[&str]) -> Server {
        Server::start_with_delay(name, extra, 20)
    }

    /// A server whose writers pause `delay_ms` between their read and their write.
    pub fn start_with_delay(name: &str, extra: &[&str], delay_ms: u64) -> Server {
        Server::launch(name, extra, &[], delay_ms, Stdio::null())
    }

    /// A server with `extra` arguments and `env`, its stderr sent to `stderr`.
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
        let mut child = Command::new(env!("CARGO_BIN_EXE_rebilly-customer-server"))
            .arg("--db")
            .arg(dir.join("customers.db"))
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
        Server { child, port, dir }
    }

    pub fn call(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
        call(self.port, method, path, headers, body)
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

    pub fn get(&self, path: &str) -> Answer {
        self.call("GET", path, &[("REB-APIKEY", "key_1")], b"")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
        std::fs::remove_dir_all(&self.dir).ok();
    }
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
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream
        .write_all(body)
        .expect("the server reads the whole body, even one it refuses");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("the answer is read");
    let text = String::from_utf8(raw).unwrap();
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
