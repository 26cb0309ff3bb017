//! The PostgreSQL store: what it keeps, its schema, and two instances on one database when
//! one of them is killed. Each test needs `REBILLY_TEST_POSTGRES` (a connection string to a
//! PostgreSQL server; `.ci/run` starts one) and skips, saying so, without it. The end-to-end
//! suite of `server.rs` also runs on two instances sharing a database (its `each_store`).

mod common;

use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{call, new_postgres_database, postgres_url, psql, start_instance, try_call};
use serde_json::{Value, json};

/// The database URL of a new database, or `None` (and a line saying so) without PostgreSQL.
fn database(name: &str) -> Option<(String, String)> {
    if postgres_url().is_none() {
        common::say_skipped("the PostgreSQL tests: REBILLY_TEST_POSTGRES is not set");
        return None;
    }
    Some(new_postgres_database(name))
}

fn put(port: u16, path: &str, body: &str) -> (u16, String) {
    let headers = [
        ("Content-Type", "application/json"),
        ("REB-APIKEY", "key_1"),
    ];
    let answer = call(port, "PUT", path, &headers, body.as_bytes());
    (answer.status, answer.body)
}

fn get(port: u16, path: &str) -> (u16, String) {
    let answer = call(port, "GET", path, &[("REB-APIKEY", "key_1")], b"");
    (answer.status, answer.body)
}

/// Kills its instances when dropped.
struct Instances(Vec<(std::process::Child, u16)>);

impl Drop for Instances {
    fn drop(&mut self) {
        for (child, _) in &mut self.0 {
            child.kill().ok();
            child.wait().ok();
        }
    }
}

fn instances(url: &str, count: usize, extra: &[&str]) -> Instances {
    let mut args = vec!["--api-key", "key_1"];
    args.extend_from_slice(extra);
    Instances(
        (0..count)
            .map(|_| start_instance(url, &args, &[], 0, Stdio::null()))
            .collect(),
    )
}

#[test]
fn what_is_read_back_is_what_was_written_numbers_nul_and_all() {
    let Some((_, url)) = database("exact") else {
        return;
    };
    let servers = instances(&url, 1, &[]);
    let port = servers.0[0].1;
    // Numbers as written, a NUL in a label, an organization id with a NUL (bytea).
    let body = r#"{"websiteId": "web_1", "customFields": {"a": 1E+2, "b": 1.0000000000000000001, "c": 123456789012345678901234567890},
                  "primaryAddress": {"emails": [{"label": "x\u0000y", "value": "a@example.com"}]}}"#;
    let (status, created) = put(port, "/customers/cus_1", body);
    assert_eq!(status, 201, "{created}");
    let (status, read) = get(port, "/customers/cus_1");
    assert_eq!(status, 200);
    assert_eq!(read, created, "read back as written");
    for exact in [
        "1E+2",
        "1.0000000000000000001",
        "123456789012345678901234567890",
    ] {
        assert!(read.contains(exact), "{exact} in {read}");
    }
    // An organization id with a NUL: its own organization.
    let in_org = "/organizations/org%00x/customers/cus_3";
    assert_eq!(put(port, in_org, r#"{"websiteId": "web_1"}"#).0, 201);
    assert_eq!(get(port, in_org).0, 200);
    assert_eq!(get(port, "/customers/cus_3").0, 404, "another organization");
    // jsonb cannot hold \u0000: those rows have no document; one without it has.
    assert_eq!(
        put(port, "/customers/cus_2", r#"{"websiteId": "web_2"}"#).0,
        201
    );
    let documents = psql(
        &url,
        "SELECT id, document IS NULL, document->>'websiteId' FROM rebilly_customers ORDER BY id",
    );
    assert_eq!(documents, "cus_1|t|\ncus_2|f|web_2\ncus_3|t|");
    drop(servers);
}

#[test]
fn the_schema_is_created_once_with_its_version_and_a_newer_one_refuses_to_start() {
    let Some((_, url)) = database("schema") else {
        return;
    };
    // Two instances starting at once: one creates the schema, the other finds it.
    let servers = instances(&url, 2, &[]);
    assert_eq!(
        psql(
            &url,
            "SELECT string_agg(version::text, ',') FROM rebilly_schema"
        ),
        "1"
    );
    drop(servers);
    // And again: nothing to do.
    let servers = instances(&url, 1, &[]);
    assert_eq!(psql(&url, "SELECT count(*) FROM rebilly_schema"), "1");
    drop(servers);
    psql(&url, "INSERT INTO rebilly_schema VALUES (99)");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_rebilly-customer-server"))
        .args(["--database", &url, "--listen", "127.0.0.1:0", "--no-auth"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("version 99, newer than this server's 1"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("postgres://"),
        "the URL may hold a password: {stderr}"
    );
}

#[test]
fn one_instance_killed_mid_load_loses_no_acknowledged_write_and_the_other_keeps_answering() {
    let Some((_, url)) = database("kill") else {
        return;
    };
    let mut servers = instances(&url, 2, &[]);
    let ports: Vec<u16> = servers.0.iter().map(|(_, port)| *port).collect();
    assert_eq!(
        put(ports[0], "/customers/cus_1", r#"{"websiteId": "web_1"}"#).0,
        201
    );
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let survivor_failures = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..8)
        .map(|writer| {
            let (acknowledged, failures, stop) = (
                acknowledged.clone(),
                survivor_failures.clone(),
                stop.clone(),
            );
            let ports = ports.clone();
            std::thread::spawn(move || {
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    let port = ports[(writer + i) % 2];
                    let field = format!("w{writer}_{i}");
                    let body = json!({"customFields": {field.clone(): i}}).to_string();
                    let headers = [
                        ("Content-Type", "application/json"),
                        ("REB-APIKEY", "key_1"),
                    ];
                    // The killed instance's connections fail: no answer, nothing acknowledged.
                    let answer =
                        try_call(port, "PUT", "/customers/cus_1", &headers, body.as_bytes());
                    match answer.map(|answer| answer.status) {
                        Ok(200) => acknowledged.lock().unwrap().push(field),
                        Ok(status) if port == ports[1] => failures.lock().unwrap().push(status),
                        Err(_) if port == ports[1] => failures.lock().unwrap().push(0),
                        _ => {}
                    }
                    i += 1;
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(400));
    let (killed, _) = &mut servers.0[0];
    killed.kill().unwrap(); // SIGKILL
    killed.wait().unwrap();
    std::thread::sleep(Duration::from_millis(400));
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.join().unwrap();
    }
    assert!(
        survivor_failures.lock().unwrap().is_empty(),
        "{:?}",
        survivor_failures
    );
    let (status, body) = get(ports[1], "/customers/cus_1");
    assert_eq!(status, 200);
    let customer: Value = serde_json::from_str(&body).unwrap();
    let acknowledged = acknowledged.lock().unwrap();
    assert!(
        acknowledged.len() > 20,
        "a load: {} writes",
        acknowledged.len()
    );
    for field in acknowledged.iter() {
        assert!(
            customer["customFields"].get(field).is_some(),
            "{field} was acknowledged"
        );
    }
    // Each committed update added one field and one revision (the create is revision 0):
    // every update counted exactly once, the acknowledged ones and any the killed instance
    // committed without answering.
    let fields = customer["customFields"].as_object().unwrap().len();
    assert_eq!(customer["revision"], json!(fields));
}
