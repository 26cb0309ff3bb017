//! End to end over real HTTP: the reference server (`server/src/main.rs`, built by the test
//! command with `--all-features`) on an ephemeral port, with a real SQLite file in a temporary
//! directory, driven by a plain HTTP/1.1 client. The tests wrapped in `each_store` run again
//! on two instances sharing a PostgreSQL database, each request sent to either one, when
//! `REBILLY_TEST_POSTGRES` names a PostgreSQL server.

mod common;

use std::process::{Command, Stdio};

use common::{Server, call, declared_only, each_store};
use serde_json::{Value, json};

#[test]
fn create_get_update_unchanged_and_put_back_what_get_returned() {
    each_store(|| {
        let server = Server::start("basic", &["--api-key", "key_1"]);
        let created = server.json(
            "PUT",
            "/customers/cus_1",
            &[],
            &json!({"websiteId": "web_1", "primaryAddress": {"firstName": "Zoë"}}),
        );
        assert_eq!(created.status, 201, "{}", created.body);
        assert_eq!(created.header("etag"), Some("\"0\""));
        assert_eq!(
            created.header("location"),
            Some("https://api.rebilly.com/customers/cus_1")
        );
        assert_eq!(created.header("content-type"), Some("application/json"));

        let got = server.get("/customers/cus_1");
        assert_eq!(got.status, 200);
        assert_eq!(got.header("etag"), Some("\"0\""));
        assert_eq!(got.body, created.body);

        let updated = server.json(
            "PUT",
            "/customers/cus_1",
            &[],
            &json!({"isEddRequired": true}),
        );
        assert_eq!(updated.status, 200, "{}", updated.body);
        assert_eq!(updated.header("etag"), Some("\"1\""));
        assert_eq!(updated.header("location"), None);
        assert_eq!(updated.json()["revision"], 1);

        let same = server.json(
            "PUT",
            "/customers/cus_1",
            &[],
            &json!({"isEddRequired": true}),
        );
        assert_eq!((same.status, same.header("etag")), (200, Some("\"1\"")));

        // What GET returned, sent back whole: nothing changes.
        let current = server.get("/customers/cus_1");
        let back = server.call(
            "PUT",
            "/customers/cus_1",
            &[
                ("Content-Type", "application/json"),
                ("REB-APIKEY", "key_1"),
            ],
            current.body.as_bytes(),
        );
        assert_eq!(back.status, 200, "{}", back.body);
        assert_eq!(back.body, current.body);
    });
}

#[test]
fn every_refusal_is_a_problem_body() {
    each_store(|| {
        let server = Server::start("refusals", &["--api-key", "key_1", "--max-body", "1000"]);
        let invalid = server
            .json(
                "PUT",
                "/customers/cus_1",
                &[],
                &json!({"websiteId": 5, "primaryAddress": {"country": "ZZ", "emails": [{"label": "a"}]},
                        "loyalty": 1}),
            )
            .problem(422);
        let fields: Vec<&str> = invalid["invalidFields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["field"].as_str().unwrap())
            .collect();
        // In document order (`json!` writes its members sorted by name).
        assert_eq!(
            fields,
            [
                "loyalty",
                "primaryAddress.country",
                "primaryAddress.emails.0.value",
                "websiteId"
            ]
        );
        let malformed = server
            .call(
                "PUT",
                "/customers/cus_1",
                &[
                    ("Content-Type", "application/json"),
                    ("REB-APIKEY", "key_1"),
                ],
                b"{\"websiteId\": ",
            )
            .problem(400);
        assert!(malformed["detail"].as_str().unwrap().contains("line 1"));

        // A body declared over the limit: the 413 comes at once, before a byte of it is sent.
        let declared = declared_only(server.port, "2000000000", &[]);
        assert!(declared.starts_with("HTTP/1.1 413"), "{declared}");
        assert!(
            declared.to_ascii_lowercase().contains("connection: close"),
            "{declared}"
        );
        assert!(declared.contains("application/problem+json"), "{declared}");
        // An encoded body is refused before it is read: a decoder would multiply the limit.
        let encoded = declared_only(server.port, "10", &[("Content-Encoding", "gzip")]);
        assert!(encoded.starts_with("HTTP/1.1 415"), "{encoded}");
        // A path that is not percent-encoded UTF-8, in either segment: a 400 problem.
        for path in [
            "/customers/cus_%FF",
            "/organizations/org_%FF/customers/cus_1",
        ] {
            server
                .call("GET", path, &[("REB-APIKEY", "key_1")], b"")
                .problem(400);
        }
        // A method the route does not serve: 405, with Allow, as a problem.
        let post = server.call("POST", "/customers/cus_1", &[("REB-APIKEY", "key_1")], b"");
        post.problem(405);
        let allow = post.header("allow").unwrap_or_default().to_owned();
        assert!(allow.contains("GET") && allow.contains("PUT"), "{allow}");
        server
            .call(
                "PUT",
                "/customers/cus_1",
                &[("Content-Type", "text/plain"), ("REB-APIKEY", "key_1")],
                b"{}",
            )
            .problem(415);
        server.get("/customers/cus_404").problem(404);
        // A route the server does not have: a 404 problem too (and 401 without the key).
        server.get("/no/such/route").problem(404);
        server.call("GET", "/no/such/route", &[], b"").problem(401);

        // Without the key: a 401, and nothing is written.
        server
            .call(
                "PUT",
                "/customers/cus_1",
                &[("Content-Type", "application/json")],
                br#"{"websiteId": "web_1"}"#,
            )
            .problem(401);
        server
            .call("GET", "/customers/cus_1", &[], b"")
            .problem(401);
        server.get("/customers/cus_1").problem(404);
    });
}

#[test]
fn organizations_in_the_path_keep_their_customers_apart() {
    each_store(|| {
        let server = Server::start("orgs", &["--api-key", "key_1", "--org", "org_main"]);
        let body = json!({"websiteId": "web_1"});
        assert_eq!(
            server.json("PUT", "/customers/cus_1", &[], &body).status,
            201
        );
        let main = server.get("/organizations/org_main/customers/cus_1");
        assert_eq!(main.json()["organizationId"], "org_main");
        server
            .get("/organizations/org_other/customers/cus_1")
            .problem(404);
        let other = server.json(
            "PUT",
            "/organizations/org_other/customers/cus_1",
            &[],
            &body,
        );
        assert_eq!(other.status, 201);
        assert_eq!(other.json()["organizationId"], "org_other");
        assert_eq!(server.get("/customers/cus_1").json()["revision"], 0);
    });
}

#[test]
fn if_match_stale_current_and_on_a_missing_id() {
    each_store(|| {
        let server = Server::start("if-match", &["--api-key", "key_1"]);
        // On an id that does not exist: a 412 without a tag, and nothing is created.
        let body = json!({"websiteId": "web_1"});
        for tag in ["\"0\"", "*"] {
            let failed = server.json("PUT", "/customers/cus_1", &[("If-Match", tag)], &body);
            assert_eq!(failed.problem(412)["title"], "Precondition Failed");
            assert_eq!(failed.header("etag"), None);
        }
        server.get("/customers/cus_1").problem(404);

        assert_eq!(
            server.json("PUT", "/customers/cus_1", &[], &body).status,
            201
        );
        // A stale tag, a weak one and one spelled otherwise (`"00"` is not `"0"`): 412 with the
        // current tag, so the client can read again.
        let change = json!({"isEddRequired": true});
        for tag in ["\"3\"", "W/\"0\"", "\"00\""] {
            let failed = server.json("PUT", "/customers/cus_1", &[("If-Match", tag)], &change);
            failed.problem(412);
            assert_eq!(failed.header("etag"), Some("\"0\""), "{tag}");
        }
        let current = server.json("PUT", "/customers/cus_1", &[("If-Match", "\"0\"")], &change);
        assert_eq!(
            (current.status, current.header("etag")),
            (200, Some("\"1\""))
        );
        let any = server.json("PUT", "/customers/cus_1", &[("If-Match", "*")], &json!({}));
        assert_eq!(any.status, 200);
    });
}

/// Creates `cus_1`, then has `count` writers, started together so that their reads and writes
/// interleave, each set its own custom field `f{i}` (with `If-Match` when given). Returns each
/// writer's index and status.
fn writers(server: &Server, count: usize, if_match: Option<&'static str>) -> Vec<(usize, u16)> {
    server.create_cus_1();
    let start = std::sync::Arc::new(std::sync::Barrier::new(count));
    let writers: Vec<_> = (0..count)
        .map(|i| {
            let start = start.clone();
            // Each writer to an instance in turn (on PostgreSQL, two share the store).
            let port = server.next_port();
            std::thread::spawn(move || {
                start.wait();
                let body = json!({"customFields": {format!("f{i}"): i}}).to_string();
                let mut headers = vec![
                    ("Content-Type", "application/json"),
                    ("REB-APIKEY", "key_1"),
                ];
                headers.extend(if_match.map(|tag| ("If-Match", tag)));
                (
                    i,
                    call(port, "PUT", "/customers/cus_1", &headers, body.as_bytes()).status,
                )
            })
        })
        .collect();
    writers.into_iter().map(|w| w.join().unwrap()).collect()
}

fn twenty_writers(server: &Server, if_match: Option<&'static str>) -> Vec<(usize, u16)> {
    writers(server, 20, if_match)
}

#[test]
fn three_hundred_unconditional_writers_of_one_customer_all_succeed_and_all_changes_are_kept() {
    each_store(|| {
        // Writers of one customer take turns, so none has anything to retry with: each gets 200.
        let server = Server::start_with_delay("race-300", &["--api-key", "key_1"], 1);
        let results = writers(&server, 300, None);
        let refused: Vec<&(usize, u16)> = results.iter().filter(|(_, s)| *s != 200).collect();
        assert!(refused.is_empty(), "{refused:?}");
        let stored = server.get("/customers/cus_1").json();
        let fields = stored["customFields"].as_object().unwrap();
        for i in 0..300 {
            assert_eq!(
                fields.get(&format!("f{i}")),
                Some(&json!(i)),
                "change {i} was lost"
            );
        }
        assert_eq!(stored["revision"], 300);
    });
}

#[test]
fn if_none_match_creates_only_what_is_absent() {
    each_store(|| {
        let server = Server::start("if-none-match", &["--api-key", "key_1"]);
        let body = json!({"websiteId": "web_1"});
        let created = server.json("PUT", "/customers/cus_1", &[("If-None-Match", "*")], &body);
        assert_eq!(created.status, 201);
        let again = server.json("PUT", "/customers/cus_1", &[("If-None-Match", "*")], &body);
        assert_eq!(again.problem(412)["title"], "Precondition Failed");
        assert_eq!(again.header("etag"), Some("\"0\""));
        // A tag that names the stored revision fails too (weakly compared); another one does not.
        let change = json!({"isEddRequired": true});
        let named = server.json(
            "PUT",
            "/customers/cus_1",
            &[("If-None-Match", "W/\"0\"")],
            &change,
        );
        named.problem(412);
        let other = server.json(
            "PUT",
            "/customers/cus_1",
            &[("If-None-Match", "\"7\"")],
            &change,
        );
        assert_eq!(other.status, 200);
    });
}

#[test]
fn of_twenty_writers_from_one_revision_with_if_match_exactly_one_wins() {
    each_store(|| {
        let server = Server::start("race-if-match", &["--api-key", "key_1"]);
        let mut statuses: Vec<u16> = twenty_writers(&server, Some("\"0\""))
            .into_iter()
            .map(|(_, status)| status)
            .collect();
        statuses.sort_unstable();
        assert_eq!(statuses[0], 200);
        // Each loser finds revision 1 when it reads (again, after a lost write): 412.
        assert!(statuses[1..].iter().all(|s| *s == 412), "{statuses:?}");
        let stored = server.get("/customers/cus_1").json();
        assert_eq!(stored["revision"], 1);
        assert_eq!(stored["customFields"].as_object().unwrap().len(), 1);
    });
}

#[test]
fn every_change_answered_200_by_twenty_concurrent_writers_is_stored() {
    each_store(|| {
        let server = Server::start("race", &["--api-key", "key_1"]);
        let results = twenty_writers(&server, None);
        let stored = server.get("/customers/cus_1").json();
        let fields = stored["customFields"].as_object().unwrap();
        let answered_200: Vec<usize> = results
            .iter()
            .filter(|(_, status)| *status == 200)
            .map(|(i, _)| *i)
            .collect();
        assert!(!answered_200.is_empty());
        for i in &answered_200 {
            assert_eq!(
                fields.get(&format!("f{i}")),
                Some(&json!(i)),
                "change {i} was lost"
            );
        }
        assert_eq!(stored["revision"], answered_200.len());
    });
}

#[test]
fn a_token_resolves_through_the_servers_vault() {
    each_store(|| {
        let server = Server::start(
            "token",
            &[
                "--api-key",
                "key_1",
                "--token",
                r#"tok_1={"method": "check", "reference": "c-1"}"#,
                "--default-website",
                "web_9",
            ],
        );
        let created = server.json(
            "PUT",
            "/customers/cus_1",
            &[],
            &json!({"paymentToken": "tok_1"}),
        );
        assert_eq!(created.status, 201, "{}", created.body);
        let customer = created.json();
        assert_eq!(
            customer["defaultPaymentInstrument"],
            json!({"method": "check", "reference": "c-1"})
        );
        assert_eq!(customer["websiteId"], "web_9");
        assert!(!created.body.contains("tok_1"));
        let refused = server
            .json(
                "PUT",
                "/customers/cus_2",
                &[],
                &json!({"paymentToken": "tok_2"}),
            )
            .problem(422);
        assert_eq!(refused["invalidFields"][0]["code"], "token_rejected");
    });
}

#[test]
fn a_server_of_revision_2026_08_speaks_it() {
    each_store(|| {
        let server = Server::start(
            "contract",
            &[
                "--api-key",
                "key_1",
                "--contract",
                "2026-08",
                "--instrument",
                "inst_1=Affirm",
            ],
        );
        let body = json!({"websiteId": "web_1", "locale": "hi-IN", "defaultPaymentInstrumentId": "inst_1",
            "leadSource": {"campaign": "winter"}, "primaryAddress": {"firstName": "अनुराग"}});
        let created = server.json("PUT", "/customers/cus_1", &[], &body);
        assert_eq!(created.status, 201, "{}", created.body);
        let customer = created.json();
        assert_eq!(customer["locale"], "hi-IN");
        assert_eq!(
            customer["defaultPaymentInstrument"],
            json!({"method": "Affirm", "paymentInstrumentId": "inst_1"})
        );
        assert!(customer.get("leadSource").is_none());
        // The store keeps the write-only lead source: the same body again changes nothing.
        let again = server.json("PUT", "/customers/cus_1", &[], &body);
        assert_eq!(again.status, 200, "{}", again.body);
        assert_eq!(again.json()["revision"], 0);
        let changed = server.json(
            "PUT",
            "/customers/cus_1",
            &[],
            &json!({"leadSource": {"campaign": "spring"}}),
        );
        assert_eq!(changed.json()["revision"], 1);
        // GET answers the 2026-08 response; PUT back what GET returned changes nothing.
        let got = server.get("/customers/cus_1");
        assert_eq!(got.status, 200);
        let back = server.json("PUT", "/customers/cus_1", &[], &got.json());
        assert_eq!(back.status, 200, "{}", back.body);
        assert_eq!(back.json()["revision"], 1);
        // 2023 members are unknown here; unknown instruments are refused.
        let refused = server
            .json(
                "PUT",
                "/customers/cus_2",
                &[],
                &json!({"isEddRequired": true, "defaultPaymentInstrumentId": "inst_9"}),
            )
            .problem(422);
        assert_eq!(refused["invalidFields"][0]["field"], "isEddRequired");
        let refused = server
            .json(
                "PUT",
                "/customers/cus_2",
                &[],
                &json!({"websiteId": "w", "defaultPaymentInstrumentId": "inst_9"}),
            )
            .problem(422);
        assert_eq!(refused["invalidFields"][0]["code"], "unknown_instrument");
    });
}

/// The server's exit status and what it wrote on stderr, when it refuses to start.
fn refused_start(args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_rebilly-customer-server"))
        .args([
            "--db",
            "/nonexistent/never-opened.db",
            "--listen",
            "127.0.0.1:0",
        ])
        .args(args)
        .env_remove("REBILLY_API_KEY")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_server_without_a_usable_key_refuses_to_start() {
    let (code, stderr) = refused_start(&["--api-key", ""], &[]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("the API key is empty"), "{stderr}");
    let (code, stderr) = refused_start(&[], &[("REBILLY_API_KEY", "")]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("the API key is empty"), "{stderr}");
    let (code, stderr) = refused_start(&[], &[]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("--no-auth"), "{stderr}");
}

#[test]
fn the_key_comes_from_a_file_or_the_environment_and_no_auth_warns() {
    let dir = std::env::temp_dir().join(format!("rebilly-key-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key_file = dir.join("key");
    std::fs::write(&key_file, "key_from_file\n").unwrap();
    let from_file = Server::launch(
        "key-file",
        &["--api-key-file", key_file.to_str().unwrap()],
        &[],
        0,
        Stdio::null(),
    );
    let body = json!({"websiteId": "web_1"}).to_string();
    let put = |server: &Server, key: &str| {
        let headers = [("Content-Type", "application/json"), ("REB-APIKEY", key)];
        server
            .call("PUT", "/customers/cus_1", &headers, body.as_bytes())
            .status
    };
    assert_eq!(put(&from_file, "key_from_file"), 201);
    assert_eq!(put(&from_file, "key_from_fil"), 401);
    let from_env = Server::launch(
        "key-env",
        &[],
        &[("REBILLY_API_KEY", "key_env")],
        0,
        Stdio::null(),
    );
    assert_eq!(put(&from_env, "key_env"), 201);
    assert_eq!(put(&from_env, "key_1"), 401);
    std::fs::remove_dir_all(&dir).ok();

    let mut open = Server::launch("no-auth", &["--no-auth"], &[], 0, Stdio::piped());
    assert_eq!(put(&open, "anything"), 201);
    open.child.kill().ok();
    let mut stderr = String::new();
    std::io::Read::read_to_string(open.child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("warning: --no-auth"), "{stderr}");
}

#[test]
fn health_answers_without_a_key() {
    each_store(|| {
        let server = Server::start("health", &["--api-key", "key_1"]);
        let health = server.call("GET", "/health", &[], b"");
        assert_eq!(
            (health.status, health.body.as_str()),
            (200, r#"{"status":"ok"}"#)
        );
    });
}

#[test]
fn each_request_is_one_log_line_without_bodies_keys_or_tokens() {
    let mut server = Server::launch(
        "logs",
        &[
            "--api-key",
            "secret_key_1",
            "--token",
            r#"tok_secret={"method": "cash"}"#,
        ],
        &[],
        0,
        Stdio::piped(),
    );
    let headers = [
        ("Content-Type", "application/json"),
        ("REB-APIKEY", "secret_key_1"),
    ];
    let body = json!({"websiteId": "web_1", "paymentToken": "tok_secret", "primaryAddress": {"firstName": "Zoë"}});
    let created = server.call(
        "PUT",
        "/customers/cus_1",
        &headers,
        body.to_string().as_bytes(),
    );
    assert_eq!(created.status, 201);
    let request_id = created.header("x-request-id").unwrap().to_owned();
    let missing = server.call("GET", "/customers/cus_404", &headers, b"");
    assert_eq!(missing.status, 404);
    server.child.kill().ok();
    let mut stderr = String::new();
    std::io::Read::read_to_string(server.child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    let lines: Vec<Value> = stderr
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    let first = &lines[0]["fields"];
    assert_eq!(first["method"], "PUT");
    assert_eq!(first["route"], "/customers/{id}");
    assert_eq!(first["status"], 201);
    assert_eq!(first["request_id"].to_string(), request_id);
    assert!(first["latency_us"].is_u64());
    assert_eq!(lines[1]["fields"]["status"], 404);
    for secret in ["secret_key_1", "tok_secret", "Zoë", "cus_1", "web_1"] {
        assert!(!stderr.contains(secret), "the log shows {secret}: {stderr}");
    }
}

#[cfg(unix)]
#[test]
fn a_terminated_server_finishes_the_requests_in_flight() {
    // Each write pauses 600 ms between its read and its write: SIGTERM comes in between.
    let mut server = Server::start_with_delay("shutdown", &["--api-key", "key_1"], 600);
    let port = server.port;
    let writer = std::thread::spawn(move || {
        let headers = [
            ("Content-Type", "application/json"),
            ("REB-APIKEY", "key_1"),
        ];
        call(
            port,
            "PUT",
            "/customers/cus_1",
            &headers,
            br#"{"websiteId": "web_1"}"#,
        )
        .status
    });
    std::thread::sleep(std::time::Duration::from_millis(200));
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    assert_eq!(
        writer.join().unwrap(),
        201,
        "the request in flight is answered"
    );
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}
