//! The `upsert` command (`examples/upsert.rs`) when its reader stops early, as `… | head -c 10`
//! does: it must exit quietly, with the exit code of the upsert, and never panic.

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
fn run_command(args: &[&str], stdin: &str, close_output: bool) -> std::process::Output {
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
    // A usage error ends the command before it reads its input: the pipe may then be closed.
    let written = std::io::Write::write_all(&mut input, stdin.as_bytes());
    drop(input);
    let output = child.wait_with_output().expect("the command ends");
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
fn run(args: &[&str], stdin: &str) -> (Option<i32>, String) {
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
