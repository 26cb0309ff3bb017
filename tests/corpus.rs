//! The golden corpus: every file in `tests/corpus/` is a request body with its path id and the
//! exact outcome the contract demands: the status, and for a 422 every `(field, code)` in order,
//! for a 400 the exact detail with line and column.

use std::fs;
use std::path::Path;

use rebilly_customer::{Contract, ParseOptions, Problem, UpsertRequest};
use serde::Deserialize;
use serde_json::value::RawValue;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Case {
    id: String,
    body: Option<Box<RawValue>>,
    raw: Option<String>,
    #[serde(default)]
    ignore_unknown: bool,
    /// The revision (`2023-01` unless given).
    #[serde(default)]
    contract: Contract,
    status: u16,
    #[serde(default)]
    invalid_fields: Vec<(String, String)>,
    detail: Option<String>,
}

fn run(path: &Path) -> Result<(), String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    let case: Case = serde_json::from_str(&text).map_err(|e| format!("bad case file: {e}"))?;
    let body = match (&case.body, &case.raw) {
        (Some(body), None) => body.get().as_bytes().to_vec(),
        (None, Some(raw)) => raw.as_bytes().to_vec(),
        _ => return Err("a case has exactly one of body and raw".into()),
    };
    let options = if case.ignore_unknown {
        ParseOptions::ignoring_unknown()
    } else {
        ParseOptions::default()
    }
    .with_contract(case.contract);
    match UpsertRequest::parse_with(&case.id, &body, options) {
        Ok(request) => {
            if case.status != 200 {
                return Err(format!("accepted, expected {}", case.status));
            }
            // The normalized request parses again to itself.
            let rendered = request.to_body_with_token();
            let again = UpsertRequest::parse_with(&case.id, rendered.as_bytes(), options)
                .map_err(|e| format!("normalized form refused: {e}"))?;
            if again != request {
                return Err("normalized form differs".into());
            }
            Ok(())
        }
        Err(error) => {
            let problem = Problem::from(error);
            if problem.status() != case.status {
                return Err(format!(
                    "status {}, expected {}: {}",
                    problem.status(),
                    case.status,
                    problem.to_json()
                ));
            }
            let got: Vec<(String, String)> = problem
                .invalid_fields()
                .iter()
                .map(|v| (v.field().to_string(), v.code().as_str().to_owned()))
                .collect();
            if got != case.invalid_fields {
                return Err(format!(
                    "invalidFields\n  got      {got:?}\n  expected {:?}",
                    case.invalid_fields
                ));
            }
            if let Some(detail) = &case.detail {
                if problem.detail().to_string() != *detail {
                    return Err(format!(
                        "detail {:?}, expected {detail:?}",
                        problem.detail().to_string()
                    ));
                }
            }
            Ok(())
        }
    }
}

#[test]
fn golden_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut paths: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert!(paths.len() >= 60, "the corpus holds {} bodies", paths.len());
    let newer = paths
        .iter()
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("2026-08-")
        })
        .count();
    assert!(newer >= 15, "the corpus holds {newer} 2026-08 bodies");
    let failures: Vec<String> = paths
        .iter()
        .filter_map(|p| {
            run(p)
                .err()
                .map(|e| format!("{}: {e}", p.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}
