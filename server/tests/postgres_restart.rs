//! PostgreSQL restarted under load: requests fail fast with a 503 problem (not a hang, not a
//! 500 with a driver's message), and the server recovers without a restart of its own.
//!
//! Its own test binary, so that the restart cannot reach another test's requests. It needs
//! `REBILLY_TEST_POSTGRES` and `REBILLY_TEST_PG_RESTART`, a shell command that restarts that
//! server (`.ci/run` sets both), and skips, saying so, without them.

mod common;

use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{new_postgres_database, postgres_url, start_instance, try_call};

#[test]
fn a_database_restart_is_503_problems_then_service_again() {
    let (Some(_), Ok(restart)) = (postgres_url(), std::env::var("REBILLY_TEST_PG_RESTART")) else {
        common::say_skipped(
            "the PostgreSQL restart test: REBILLY_TEST_POSTGRES or REBILLY_TEST_PG_RESTART is not set",
        );
        return;
    };
    let (_, url) = new_postgres_database("restart");
    let (mut child, port) = start_instance(
        &url,
        &["--api-key", "key_1", "--store-timeout", "1"],
        &[],
        0,
        Stdio::null(),
    );
    let headers = [
        ("Content-Type", "application/json"),
        ("REB-APIKEY", "key_1"),
    ];
    let put = move |i: usize| {
        let body = format!(r#"{{"websiteId": "web_1", "customFields": {{"n": {i}}}}}"#);
        let started = Instant::now();
        let answer = try_call(port, "PUT", "/customers/cus_1", &headers, body.as_bytes())
            .expect("the server answers");
        (answer, started.elapsed())
    };
    assert!(matches!(put(0).0.status, 200 | 201));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let load = {
        let (seen, stop) = (seen.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut i = 1;
            while !stop.load(Ordering::Relaxed) {
                let (answer, took) = put(i);
                seen.lock().unwrap().push((answer, took));
                i += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    let restarted = std::process::Command::new("sh")
        .args(["-c", &restart])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(restarted.success(), "{restart}");
    // Service again within a few seconds of the database's return, with no restart of ours.
    let back = Instant::now();
    let recovered = loop {
        if seen
            .lock()
            .unwrap()
            .last()
            .is_some_and(|(answer, _)| answer.status == 200)
            && back.elapsed() > Duration::from_millis(200)
        {
            break true;
        }
        if back.elapsed() > Duration::from_secs(20) {
            break false;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    stop.store(true, Ordering::Relaxed);
    load.join().unwrap();
    child.kill().ok();
    child.wait().ok();
    assert!(recovered, "no 200 within 20 s of the restart");
    let seen = seen.lock().unwrap();
    let refused: Vec<_> = seen.iter().filter(|(a, _)| a.status != 200).collect();
    assert!(!refused.is_empty(), "the restart was seen by no request");
    for (answer, took) in &refused {
        let problem = answer.problem(503);
        assert_eq!(answer.header("retry-after"), Some("1"));
        assert!(
            !problem["detail"].as_str().unwrap().contains("db error"),
            "{problem}"
        );
        // The store's wait is 1 s: never a hang.
        assert!(*took < Duration::from_secs(4), "a refusal took {took:?}");
    }
}
