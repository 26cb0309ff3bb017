//! The upsert as a server runs it, from bytes to response: parse the request, merge it into the
//! stored customer (if any), and print one JSON object:
//!
//! `{"status": S, "outcome": "created"|"updated"|"unchanged"|"rejected",
//!   "headers": {"Location": …} (201 only), "changes": [paths] (updated only),
//!   "body": customer or problem}`
//!
//! ```sh
//! cargo run --release --example upsert -- --id cus_1 examples/data/request.json
//! cargo run --release --example upsert -- --id cus_1 --existing examples/data/customer.json \
//!     --now 2026-11-26T12:00:00Z examples/data/update.json
//! cargo run --release --example upsert -- --lines < examples/data/cases.jsonl
//! cargo run --release --example upsert -- --contract 2026-08 --id cus_1 \
//!     --instrument inst_1=payment-card examples/data/request-2026-08.json
//! ```
//!
//! `--contract 2023-01|2026-08` picks the revision (2023-01 unless given): the request, the
//! existing customer and the output are read and written under it. `--instrument ID=METHOD`
//! (repeatable) fills the instrument lookup of 2026-08's `defaultPaymentInstrumentId`. A
//! `--lines` case may carry `"contract"` and `"instruments": {ID: METHOD}`.
//!
//! Exit code: 0 for 2xx, 1 for 4xx, 2 for a usage error. With `--lines`, each line of stdin is one
//! case and the exit code is 0 unless stdin cannot be read.

use std::collections::HashMap;
use std::io::{BufRead, Read, Write};
use std::process::ExitCode;

use rebilly_customer::{
    BaseUrl, Contract, Customer, OrganizationId, ParseOptions, PaymentInstrument, PaymentMethod,
    PaymentToken, Problem, Timestamp, TokenRejection, UpsertContext, UpsertRequest, WebsiteId,
};
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;
use serde_json::{Value, json};

const USAGE: &str = "usage: upsert --id ID [--existing CUSTOMER_JSON_FILE] [--now RFC3339] \
[--org ORG_ID] [--default-website WEBSITE_ID] [--if-revision N] [--base-url URL] \
[--token TOKEN=INSTRUMENT_JSON]... [--ignore-unknown] [--contract 2023-01|2026-08] \
[--instrument ID=METHOD]... [BODY_FILE|-]
       upsert --lines < CASES.jsonl";

/// The most bytes of a body, an existing customer or a `--lines` line: the reference server's
/// default body limit (`rebilly_customer::axum::BodyLimit::DEFAULT`, behind the `axum`
/// feature). Input past it is refused, not read on: `/dev/zero` is not a body.
const MAX_INPUT_BYTES: usize = 1 << 20;

/// The organization of every case that names none.
const EXAMPLE_ORG: &str = "org_example";

/// One upsert to run: what the command line or a line of `--lines` describes.
#[derive(Default)]
struct Case {
    id: String,
    body: Vec<u8>,
    existing: Option<Customer>,
    now: Option<Timestamp>,
    org: Option<String>,
    default_website: Option<String>,
    if_revision: Option<u64>,
    base_url: Option<BaseUrl>,
    /// The body was longer than [`MAX_INPUT_BYTES`]: the answer is a 413.
    body_too_long: bool,
    tokens: HashMap<String, PaymentInstrument>,
    ignore_unknown: bool,
    contract: Contract,
    instruments: HashMap<String, PaymentMethod>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if args.first().map(String::as_str) == Some("--lines") {
        return if args.len() == 1 {
            run_lines()
        } else {
            usage("--lines takes no other argument")
        };
    }
    let case = match case_from_args(args) {
        Ok(case) => case,
        Err(message) => return usage(&message),
    };
    let (output, success) = match run(case) {
        Ok(ran) => ran,
        Err(message) => return usage(&message),
    };
    let code = if success {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    };
    match print_line(&mut std::io::stdout().lock(), &output) {
        // A reader that stopped early (`| head -c 10`) has what it wanted: no panic, no noise,
        // and the exit code still says how the upsert went.
        Ok(()) | Err(Closed) => code,
        Err(Failed(error)) => {
            eprintln!("upsert: cannot write the output: {error}");
            ExitCode::from(2)
        }
    }
}

/// Why a line could not be written.
enum WriteError {
    /// The reader closed the pipe: it wants no more.
    Closed,
    Failed(std::io::Error),
}
use WriteError::{Closed, Failed};

/// Writes `line` and a newline, and flushes: `println!` panics when stdout is closed.
fn print_line(out: &mut impl Write, line: &str) -> Result<(), WriteError> {
    let written = out
        .write_all(line.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    match written {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Err(Closed),
        Err(error) => Err(Failed(error)),
    }
}

fn case_from_args(args: Vec<String>) -> Result<Case, String> {
    let mut case = Case::default();
    let mut id = None;
    let mut body_path = None;
    let mut existing = None;
    let mut seen = std::collections::HashSet::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let repeatable = matches!(arg.as_str(), "--token" | "--instrument");
        if arg.starts_with("--") && !repeatable && !seen.insert(arg.clone()) {
            return Err(format!("{arg} is given twice"));
        }
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--id" => id = Some(value("--id")?),
            "--existing" => {
                let path = value("--existing")?;
                let bytes = read_capped(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
                existing = Some(bytes.ok_or_else(|| {
                    format!("{path} is longer than the limit of {MAX_INPUT_BYTES} bytes")
                })?);
            }
            "--contract" => case.contract = read_contract(&value("--contract")?)?,
            "--instrument" => {
                let pair = value("--instrument")?;
                let (id, method) = pair.split_once('=').ok_or("--instrument takes ID=METHOD")?;
                if case
                    .instruments
                    .insert(id.to_owned(), read_method(method)?)
                    .is_some()
                {
                    return Err(format!("--instrument {id} is given twice"));
                }
            }
            "--now" => case.now = Some(read_now(&value("--now")?)?),
            "--org" => case.org = Some(value("--org")?),
            "--default-website" => case.default_website = Some(value("--default-website")?),
            "--if-revision" => {
                let text = value("--if-revision")?;
                let revision = text.parse().map_err(|_| {
                    format!("--if-revision must be a non-negative integer, got {text:?}")
                })?;
                case.if_revision = Some(revision);
            }
            "--base-url" => case.base_url = Some(read_base_url(&value("--base-url")?)?),
            "--token" => {
                let pair = value("--token")?;
                let (token, instrument) = pair
                    .split_once('=')
                    .ok_or("--token takes TOKEN=INSTRUMENT_JSON")?;
                let instrument = read_instrument(instrument.as_bytes())?;
                if case.tokens.insert(token.to_owned(), instrument).is_some() {
                    return Err("a --token is given twice".to_owned());
                }
            }
            "--ignore-unknown" => case.ignore_unknown = true,
            _ if body_path.is_none() && (arg == "-" || !arg.starts_with('-')) => {
                body_path = Some(arg)
            }
            _ => return Err(format!("unexpected argument {arg:?}")),
        }
    }
    case.id = id.ok_or("--id is required")?;
    // Read under the revision, whichever came first on the command line.
    if let Some(bytes) = existing {
        case.existing = Some(read_existing(&bytes, case.contract)?);
    }
    // A body past the limit is what a server answers 413 to.
    match read_capped(body_path.as_deref().unwrap_or("-"))
        .map_err(|e| format!("cannot read the body: {e}"))?
    {
        Some(body) => case.body = body,
        None => case.body_too_long = true,
    }
    Ok(case)
}

/// Runs one case: the output line, and whether the upsert succeeded (a 2xx). `Err` is a usage
/// error (a bad argument, not a refused request).
fn run(case: Case) -> Result<(String, bool), String> {
    let organization = case.org.as_deref().unwrap_or(EXAMPLE_ORG);
    let organization = OrganizationId::parse(organization)
        .map_err(|e| format!("the organization id is invalid: {e}"))?;
    let now = case
        .now
        .unwrap_or_else(|| Timestamp::from_datetime(std::time::SystemTime::now().into()));
    let tokens = case.tokens;
    let resolver = move |token: &PaymentToken| {
        tokens
            .get(token.expose_secret())
            .cloned()
            .ok_or_else(|| TokenRejection::new("the token is unknown or has expired"))
    };
    let instruments = case.instruments;
    let mut context = UpsertContext::new(now, organization)
        .with_token_resolver(&resolver)
        .with_contract(case.contract)
        .with_instrument_lookup(&instruments);
    if let Some(website) = case.default_website {
        let website = WebsiteId::parse(&website)
            .map_err(|e| format!("the default website id is invalid: {e}"))?;
        context = context.with_default_website(website);
    }
    if let Some(revision) = case.if_revision {
        context = context.with_expected_revision(revision);
    }
    if let Some(base_url) = case.base_url {
        context = context.with_base_url(base_url);
    }
    if case.body_too_long {
        let problem = Problem::payload_too_large(MAX_INPUT_BYTES as u64);
        return Ok((rejected(&problem), false));
    }

    let options = if case.ignore_unknown {
        ParseOptions::ignoring_unknown()
    } else {
        ParseOptions::default()
    }
    .with_contract(case.contract);
    let outcome = UpsertRequest::parse_with(&case.id, &case.body, options)
        .map_err(Problem::from)
        .and_then(|request| {
            Customer::apply_upsert(case.existing, request, &context).map_err(Problem::from)
        });
    Ok(match outcome {
        Ok(outcome) => {
            let changes: Vec<String> = outcome.changes().iter().map(ToString::to_string).collect();
            let output = render(&Output {
                status: outcome.status(),
                outcome: outcome.as_str(),
                location: outcome.location(),
                changes: &changes,
                body: Body::Customer(outcome.customer()),
            });
            (output, true)
        }
        Err(problem) => (rejected(&problem), false),
    })
}

/// The output line of a refused upsert.
fn rejected(problem: &Problem) -> String {
    render(&Output {
        status: problem.status(),
        outcome: "rejected",
        location: None,
        changes: &[],
        body: Body::Problem(problem),
    })
}

/// One line of output, its members in the order the issue lists them, and the body in the
/// crate's own member order.
struct Output<'a> {
    status: u16,
    outcome: &'static str,
    location: Option<&'a str>,
    changes: &'a [String],
    body: Body<'a>,
}

enum Body<'a> {
    Customer(&'a Customer),
    Problem(&'a Problem),
}

impl Serialize for Output<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut object = serializer.serialize_map(None)?;
        object.serialize_entry("status", &self.status)?;
        object.serialize_entry("outcome", self.outcome)?;
        if let Some(location) = self.location {
            object.serialize_entry("headers", &json!({ "Location": location }))?;
        }
        if !self.changes.is_empty() {
            object.serialize_entry("changes", self.changes)?;
        }
        match self.body {
            Body::Customer(customer) => object.serialize_entry("body", customer)?,
            Body::Problem(problem) => object.serialize_entry("body", problem)?,
        }
        object.end()
    }
}

fn render(output: &Output<'_>) -> String {
    serde_json::to_string(output).expect("the crate's types always serialize")
}

/// `--lines`: one case per line of stdin, one output per line of stdout. A line that is not
/// UTF-8, or longer than [`MAX_INPUT_BYTES`], is an `{"error": …}` line, and the next goes on.
fn run_lines() -> ExitCode {
    let stdin = std::io::stdin();
    let mut stdin = stdin.lock();
    let mut stdout = std::io::stdout().lock();
    let mut line = Vec::new();
    loop {
        let read = match read_line_capped(&mut stdin, &mut line) {
            Ok(Some(read)) => read,
            Ok(None) => break,
            Err(error) => {
                eprintln!("upsert: cannot read stdin: {error}");
                return ExitCode::from(2);
            }
        };
        let output = match (read, std::str::from_utf8(&line)) {
            (Line::TooLong, _) => Some(error_line(&format!(
                "the line is longer than the limit of {MAX_INPUT_BYTES} bytes"
            ))),
            (Line::Whole, Err(error)) => Some(error_line(&format!(
                "the line is not UTF-8 (at byte {})",
                error.valid_up_to()
            ))),
            (Line::Whole, Ok(text)) if text.trim().is_empty() => None,
            (Line::Whole, Ok(text)) => Some(
                case_from_line(text)
                    .and_then(run)
                    .map_or_else(|error| error_line(&error), |(output, _)| output),
            ),
        };
        let Some(output) = output else { continue };
        match print_line(&mut stdout, &output) {
            Ok(()) => {}
            // The reader stopped early: the remaining cases are not wanted.
            Err(Closed) => return ExitCode::SUCCESS,
            Err(Failed(error)) => {
                eprintln!("upsert: cannot write the output: {error}");
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}

fn error_line(error: &str) -> String {
    json!({ "error": error }).to_string()
}

/// How a line was read.
enum Line {
    /// All of it is in the buffer (without its newline).
    Whole,
    /// It passed [`MAX_INPUT_BYTES`]: the rest was read and dropped.
    TooLong,
}

/// Reads one line into `line` (cleared first), keeping at most [`MAX_INPUT_BYTES`] of it.
/// `None` at the end of the input.
fn read_line_capped(input: &mut impl BufRead, line: &mut Vec<u8>) -> std::io::Result<Option<Line>> {
    line.clear();
    let mut too_long = false;
    let mut any = false;
    loop {
        let chunk = match input.fill_buf() {
            Ok(chunk) => chunk,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (part, used, ended) = match chunk.iter().position(|&b| b == b'\n') {
            Some(at) => (&chunk[..at], at + 1, true),
            None => (chunk, chunk.len(), false),
        };
        if !too_long && line.len() + part.len() <= MAX_INPUT_BYTES {
            line.extend_from_slice(part);
        } else {
            too_long = true;
            line.clear();
        }
        input.consume(used);
        if ended {
            break;
        }
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(any.then_some(if too_long { Line::TooLong } else { Line::Whole }))
}

fn case_from_line(line: &str) -> Result<Case, String> {
    // Raw members keep `body` byte for byte: its member order, its duplicates, its spelling.
    let UniqueMembers(members) =
        serde_json::from_str(line).map_err(|e| format!("a case must be a JSON object: {e}"))?;
    let mut case = Case::default();
    let mut id = None;
    let mut existing = None;
    let has = |name: &str| members.iter().any(|(key, _)| key == name);
    if has("body") && has("rawBody") {
        return Err("a case has body or rawBody, not both".into());
    }
    for (key, raw) in members {
        let value = |what: &str| -> Result<Value, String> {
            serde_json::from_str(raw.get()).map_err(|e| format!("{key} must be {what}: {e}"))
        };
        let text = |what: &str| -> Result<String, String> {
            serde_json::from_str(raw.get()).map_err(|_| format!("{key} must be {what}"))
        };
        match key.as_str() {
            "id" => id = Some(text("a string")?),
            "body" => case.body = raw.get().as_bytes().to_vec(),
            "rawBody" => case.body = text("a string")?.into_bytes(),
            "existing" if raw.get() == "null" => {}
            "existing" => existing = Some(raw),
            "contract" => case.contract = read_contract(&text("a string")?)?,
            "instruments" => {
                let UniqueMembers(instruments) = serde_json::from_str(raw.get())
                    .map_err(|e| format!("instruments must be an object of strings: {e}"))?;
                for (id, method) in instruments {
                    let method: String = serde_json::from_str(method.get())
                        .map_err(|_| "instruments must be an object of strings".to_owned())?;
                    case.instruments.insert(id, read_method(&method)?);
                }
            }
            "now" => case.now = Some(read_now(&text("a string")?)?),
            "org" => case.org = Some(text("a string")?),
            "defaultWebsite" => case.default_website = Some(text("a string")?),
            "ifRevision" => {
                let revision = value("a non-negative integer")?;
                case.if_revision = Some(
                    revision
                        .as_u64()
                        .ok_or("ifRevision must be a non-negative integer")?,
                );
            }
            "baseUrl" => case.base_url = Some(read_base_url(&text("a string")?)?),
            "tokens" => {
                let UniqueMembers(tokens) = serde_json::from_str(raw.get())
                    .map_err(|e| format!("tokens must be an object: {e}"))?;
                for (token, instrument) in tokens {
                    let instrument = read_instrument(instrument.get().as_bytes())?;
                    case.tokens.insert(token, instrument);
                }
            }
            "ignoreUnknown" => {
                case.ignore_unknown = value("a boolean")?
                    .as_bool()
                    .ok_or("ignoreUnknown must be a boolean")?;
            }
            _ => return Err(format!("unknown case member {key:?}")),
        }
    }
    case.id = id.ok_or("a case needs an id")?;
    if let Some(raw) = existing {
        case.existing = Some(read_existing(raw.get().as_bytes(), case.contract)?);
    }
    Ok(case)
}

/// A JSON object's members in order, as raw values; a name given twice is an error, not a
/// silent win for the last one.
struct UniqueMembers(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for UniqueMembers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = UniqueMembers;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UniqueMembers, A::Error> {
                let mut names = std::collections::HashSet::new();
                let mut members = Vec::new();
                while let Some((name, value)) = map.next_entry::<String, Box<RawValue>>()? {
                    if !names.insert(name.clone()) {
                        return Err(de::Error::custom(format!(
                            "the member {name:?} is repeated"
                        )));
                    }
                    members.push((name, value));
                }
                Ok(UniqueMembers(members))
            }
        }
        deserializer.deserialize_map(Members)
    }
}

fn read_existing(bytes: &[u8], contract: Contract) -> Result<Customer, String> {
    Customer::parse_for(bytes, contract)
        .map_err(|e| format!("the existing customer is invalid: {e}"))
}

fn read_base_url(text: &str) -> Result<BaseUrl, String> {
    BaseUrl::parse(text).map_err(|e| format!("the base URL is invalid: {e}"))
}

fn read_contract(text: &str) -> Result<Contract, String> {
    Contract::parse(text)
        .map_err(|_| format!("the contract must be 2023-01 or 2026-08, got {text:?}"))
}

fn read_method(text: &str) -> Result<PaymentMethod, String> {
    PaymentMethod::parse_for(text, Contract::Rebilly2026_08)
        .map_err(|_| format!("{text:?} is not a payment method"))
}

fn read_now(text: &str) -> Result<Timestamp, String> {
    Timestamp::parse(text).map_err(|_| format!("now must be an RFC 3339 date-time, got {text:?}"))
}

fn read_instrument(json: &[u8]) -> Result<PaymentInstrument, String> {
    serde_json::from_slice(json).map_err(|e| format!("a token's instrument is invalid: {e}"))
}

/// The file's bytes (stdin for `-`), or `None` past [`MAX_INPUT_BYTES`]: no more is read.
fn read_capped(path: &str) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    let limit = MAX_INPUT_BYTES as u64 + 1;
    if path == "-" {
        std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut bytes)?;
    } else {
        std::fs::File::open(path)?
            .take(limit)
            .read_to_end(&mut bytes)?;
    }
    Ok((bytes.len() <= MAX_INPUT_BYTES).then_some(bytes))
}

fn usage(message: &str) -> ExitCode {
    eprintln!("upsert: {message}\n{USAGE}");
    ExitCode::from(2)
}
