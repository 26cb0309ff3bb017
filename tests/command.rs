//! The `upsert` command (`examples/upsert.rs`): when its reader stops early, as `… | head -c 10`
//! does, it must exit quietly, with the exit code of the upsert, and never panic; and what it
//! reads is bounded and checked.

use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The example binary that `cargo test` built beside this test's own.
fn upsert_command() -> Command {
    let mut dir: PathBuf = std::env::current_exe().expect("the test's own path");
    dir.pop(); // deps/
    if dir.ends_with("deps") {
        dir.pop();
    }
    let binary = dir
        .join("examples")
        .join(format!("upsert{}", std::env::consts::EXE_SUFFIX));
    assert!(binary.exists(), "{} was not built", binary.display());
    let mut command = Command::new(binary);
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// Runs the command with `args`, writes `stdin` to it, and waits for it; with
/// `close_output` its stdout is closed before it writes a byte.
fn run_command(args: &[&str], stdin: impl AsRef<[u8]>, close_output: bool) -> std::process::Output {
    let mut child = upsert_command()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts");
    if close_output {
        drop(child.stdout.take());
    }
    let mut input = child.stdin.take().expect("a stdin pipe");
    // Written while the output is read: a large input must not wait on a full output pipe.
    let stdin = stdin.as_ref().to_vec();
    let writer = std::thread::spawn(move || {
        // A usage error ends the command before it reads its input: the pipe may then be
        // closed.
        std::io::Write::write_all(&mut input, &stdin)
    });
    let output = child.wait_with_output().expect("the command ends");
    let written = writer.join().expect("the writer thread ends");
    if let Err(error) = written {
        assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "{error}");
        assert_eq!(
            output.status.code(),
            Some(2),
            "only a usage error stops reading early"
        );
    }
    output
}

/// Runs the command with its stdout already closed, and returns its exit code and stderr.
fn run_with_closed_output(args: &[&str], stdin: &str) -> (Option<i32>, String) {
    let output = run_command(args, stdin, true);
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_closed_output_ends_a_created_upsert_quietly_with_its_exit_code() {
    let (code, stderr) = run_with_closed_output(
        &["--id", "cus_1", "--now", "2026-11-26T10:00:00Z", "-"],
        r#"{"websiteId": "web_1"}"#,
    );
    assert_eq!(stderr, "");
    assert_eq!(code, Some(0));
}

#[test]
fn a_closed_output_ends_a_refused_upsert_quietly_with_its_exit_code() {
    let (code, stderr) = run_with_closed_output(
        &["--id", "cus_1", "--now", "2026-11-26T10:00:00Z", "-"],
        r#"{"websiteId": null}"#,
    );
    assert_eq!(stderr, "");
    assert_eq!(code, Some(1));
}

#[test]
fn a_closed_output_ends_the_lines_mode_quietly() {
    let cases = r#"{"id": "cus_1", "body": {"websiteId": "web_1"}, "now": "2026-11-26T10:00:00Z"}
{"id": "cus_2", "body": {"websiteId": "web_1"}, "now": "2026-11-26T10:00:00Z"}
"#;
    let (code, stderr) = run_with_closed_output(&["--lines"], cases);
    assert_eq!(stderr, "");
    assert_eq!(code, Some(0));
}

/// Runs the command with `args` and `stdin`, and returns its exit code and stdout.
fn run(args: &[&str], stdin: impl AsRef<[u8]>) -> (Option<i32>, String) {
    let output = run_command(args, stdin, false);
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn both_revisions_answer_their_recorded_cases() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data");
    for name in ["cases", "cases-2026-08"] {
        let cases = std::fs::read_to_string(dir.join(format!("{name}.jsonl"))).unwrap();
        let expected = std::fs::read_to_string(dir.join(format!("{name}.out.jsonl"))).unwrap();
        let (code, out) = run(&["--lines"], &cases);
        assert_eq!(code, Some(0), "{name}");
        assert_eq!(out, expected, "{name}");
    }
}

#[test]
fn the_contract_and_instrument_flags() {
    let body = r#"{"websiteId": "web_1", "defaultPaymentInstrumentId": "inst_1", "locale": "fr"}"#;
    let (code, out) = run(
        &[
            "--contract",
            "2026-08",
            "--id",
            "cus_1",
            "--instrument",
            "inst_1=Affirm",
            "-",
        ],
        body,
    );
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains(
            r#""defaultPaymentInstrument":{"method":"Affirm","paymentInstrumentId":"inst_1"}"#
        ),
        "{out}"
    );
    assert!(out.contains(r#""locale":"fr""#), "{out}");
    // Without the lookup entry the id is unknown; under the default revision locale is.
    let (code, out) = run(&["--contract", "2026-08", "--id", "cus_1", "-"], body);
    assert_eq!(code, Some(1));
    assert!(out.contains("unknown_instrument"), "{out}");
    let (code, out) = run(&["--id", "cus_1", "-"], body);
    assert_eq!(code, Some(1));
    assert!(out.contains(r#""field":"locale""#), "{out}");
    // Usage errors.
    for args in [
        &["--contract", "2025-01", "--id", "cus_1", "-"][..],
        &["--instrument", "inst_1", "--id", "cus_1", "-"][..],
        &[
            "--instrument",
            "inst_1=no-such-method",
            "--id",
            "cus_1",
            "-",
        ][..],
    ] {
        assert_eq!(run(args, body).0, Some(2), "{args:?}");
    }
}

/// The reference server's default body limit, which the command's input shares.
const LIMIT: usize = 1 << 20;

#[test]
fn lines_that_are_not_utf8_or_too_long_are_error_lines_and_the_next_goes_on() {
    let good = r#"{"id": "cus_1", "body": {"websiteId": "web_1"}, "now": "2026-01-01T00:00:00Z"}"#;
    // At the limit, a line is read (and refused as a case); one byte over, it is too long.
    let case = |fill: usize| {
        format!(
            r#"{{"id": "cus_1", "body": {{"websiteId": "{}"}}}}"#,
            "x".repeat(fill)
        )
    };
    let frame = case(0).len();
    let at_limit = case(LIMIT - frame);
    let over = case(LIMIT - frame + 1);
    let mut input = Vec::new();
    for line in [
        good.as_bytes(),
        b"{\"id\": \"\xff\"}",
        at_limit.as_bytes(),
        over.as_bytes(),
        good.as_bytes(),
    ] {
        input.extend_from_slice(line);
        input.push(b'\n');
    }
    let (code, out) = run(&["--lines"], &input);
    assert_eq!(code, Some(0));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{out:.300}");
    assert!(lines[0].starts_with(r#"{"status":201"#), "{}", lines[0]);
    assert_eq!(lines[1], r#"{"error":"the line is not UTF-8 (at byte 8)"}"#);
    assert!(
        lines[2].starts_with(r#"{"status":422"#) && lines[2].contains("at most 50"),
        "{:.100}",
        lines[2]
    );
    assert_eq!(
        lines[3],
        format!(r#"{{"error":"the line is longer than the limit of {LIMIT} bytes"}}"#)
    );
    assert_eq!(lines[4], lines[0]);
}

#[test]
fn a_body_past_the_limit_is_a_413_without_reading_on() {
    let body = format!(r#"{{"websiteId": "web_1", "x": "{}"}}"#, "x".repeat(LIMIT));
    let (code, out) = run(&["--id", "cus_1", "-"], &body);
    assert_eq!(code, Some(1));
    assert!(
        out.starts_with(r#"{"status":413,"outcome":"rejected""#),
        "{out:.200}"
    );
    assert!(
        out.contains(&format!("limit of {LIMIT} bytes")),
        "{out:.300}"
    );
}

#[test]
fn a_member_or_flag_given_twice_is_an_error() {
    let (_, out) = run(
        &["--lines"],
        r#"{"id": "cus_1", "id": "cus_2", "body": {}}
{"id": "cus_1", "body": {}, "tokens": {"t": {"method": "cash"}, "t": {"method": "cash"}}}
{"id": "cus_1", "body": {}, "contract": "2026-08", "instruments": {"i": "cash", "i": "cash"}}
"#,
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    for line in lines {
        assert!(line.starts_with(r#"{"error":"#), "{line}");
        assert!(line.contains("is repeated"), "{line}");
    }
    for args in [
        &["--id", "cus_1", "--id", "cus_2", "-"][..],
        &["--org", "org_1", "--org", "org_2", "--id", "cus_1", "-"][..],
        &[
            "--token",
            "t={\"method\":\"cash\"}",
            "--token",
            "t={\"method\":\"cash\"}",
            "--id",
            "cus_1",
            "-",
        ][..],
    ] {
        assert_eq!(run(args, "{}").0, Some(2), "{args:?}");
    }
}

#[test]
fn the_base_url_is_an_absolute_http_url_without_control_characters() {
    let body = r#"{"websiteId": "web_1"}"#;
    let (code, out) = run(
        &[
            "--id",
            "cus_1",
            "--base-url",
            "https://api.example.com/v1/",
            "-",
        ],
        body,
    );
    assert_eq!(code, Some(0));
    assert!(
        out.contains(r#""Location":"https://api.example.com/v1/customers/cus_1""#),
        "{out}"
    );
    for base in [
        "https://api.example.com\r\nSet-Cookie: a=b",
        "https://api.example.com/\u{7f}",
        "https://api.example.com/a b",
        "ftp://api.example.com",
        "api.example.com",
        "https://",
        "https://api.example.com/?q=1",
        "https://api.example.com/é",
    ] {
        assert_eq!(
            run(&["--id", "cus_1", "--base-url", base, "-"], body).0,
            Some(2),
            "{base:?}"
        );
        let case = serde_json::json!({"id": "cus_1", "body": {}, "baseUrl": base}).to_string();
        let (_, out) = run(&["--lines"], case);
        assert!(
            out.starts_with(r#"{"error":"the base URL is invalid"#),
            "{out}"
        );
    }
}

#[test]
fn organization_ids_follow_the_specs_id_rule() {
    // SPEC section 1: an organization id is any text of 1 to 50 code points. Control
    // characters are text; the output escapes them as JSON does.
    let body = r#"{"websiteId": "web_1"}"#;
    let fifty = "é".repeat(50);
    let control = "org\u{1}\u{202e}";
    for org in [fifty.as_str(), control] {
        let (code, out) = run(&["--id", "cus_1", "--org", org, "-"], body);
        assert_eq!(code, Some(0), "{org:?}: {out}");
        let response: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(response["body"]["organizationId"], org);
        assert!(!out.contains('\u{1}'), "escaped: {out}");
    }
    // A NUL cannot be an argument; a case can carry it.
    let case =
        serde_json::json!({"id": "cus_1", "body": {"websiteId": "web_1"}, "org": "org\u{0}"});
    let (_, out) = run(&["--lines"], case.to_string());
    assert!(out.contains(r#""organizationId":"org\u0000""#), "{out}");
    let fifty_one = "é".repeat(51);
    for org in ["", fifty_one.as_str()] {
        assert_eq!(
            run(&["--id", "cus_1", "--org", org, "-"], body).0,
            Some(2),
            "{org:?}"
        );
    }
}
