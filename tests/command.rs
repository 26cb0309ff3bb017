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

/// Runs the command with its stdout already closed, and returns its exit code and stderr.
fn run_with_closed_output(args: &[&str], stdin: &str) -> (Option<i32>, String) {
    let mut child = upsert_command()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts");
    // The reader goes away before the command writes a byte.
    drop(child.stdout.take());
    let mut input = child.stdin.take().expect("a stdin pipe");
    std::io::Write::write_all(&mut input, stdin.as_bytes()).expect("the body is written");
    drop(input);
    let output = child.wait_with_output().expect("the command ends");
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
