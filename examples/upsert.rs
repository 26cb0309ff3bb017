//! Parses an upsert request the way a server would and prints the outcome as one JSON object:
//! `{"status": 200, "body": <normalized request>}`, or 400/422 with the problem body.
//!
//! ```sh
//! cargo run --example upsert -- --id cus_1 examples/data/request.json
//! echo '{"websiteId": null}' | cargo run --example upsert -- --id cus_1 -
//! ```
//!
//! Exit code: 0 for 2xx, 1 for 4xx, 2 for a usage error.

use std::io::Read;
use std::process::ExitCode;

use rebilly_customer::{ParseOptions, Problem, UpsertRequest};
use serde_json::json;

const USAGE: &str = "usage: upsert --id ID [--ignore-unknown] [BODY_FILE|-]";

fn main() -> ExitCode {
    let mut id = None;
    let mut body_path = None;
    let mut options = ParseOptions::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--id" => id = args.next(),
            "--ignore-unknown" => options = ParseOptions::ignoring_unknown(),
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ if body_path.is_none() && (arg == "-" || !arg.starts_with('-')) => {
                body_path = Some(arg)
            }
            _ => return usage(&format!("unexpected argument {arg:?}")),
        }
    }
    let Some(id) = id else {
        return usage("--id is required");
    };
    let body = match read_body(body_path.as_deref().unwrap_or("-")) {
        Ok(body) => body,
        Err(error) => return usage(&format!("cannot read the body: {error}")),
    };

    let (status, body) = match UpsertRequest::parse_with(&id, &body, options) {
        Ok(request) => (
            200,
            serde_json::to_value(&request).expect("a request serializes"),
        ),
        Err(error) => {
            let problem = Problem::from(error);
            (
                problem.status(),
                serde_json::to_value(&problem).expect("a problem serializes"),
            )
        }
    };
    println!("{}", json!({"status": status, "body": body}));
    if status < 300 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn read_body(path: &str) -> std::io::Result<Vec<u8>> {
    if path == "-" {
        let mut body = Vec::new();
        std::io::stdin().read_to_end(&mut body)?;
        Ok(body)
    } else {
        std::fs::read(path)
    }
}

fn usage(message: &str) -> ExitCode {
    eprintln!("upsert: {message}\n{USAGE}");
    ExitCode::from(2)
}
