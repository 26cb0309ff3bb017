//! Helpers the integration tests share: one context, the request and upsert shortcuts, and the
//! `(field, code)` view of violations. Each test file takes what it needs (`mod common;`).
#![allow(dead_code)]

use rebilly_customer::{
    Customer, OrganizationId, RequestError, Timestamp, UpsertContext, UpsertError, UpsertOutcome,
    UpsertRequest, ValidationError,
};

/// The path id most tests use.
pub const ID: &str = "cus_1";

/// The time of most tests' upserts.
pub const NOW: &str = "2026-11-26T10:00:00Z";

/// A time from its RFC 3339 text.
#[track_caller]
pub fn at(time: &str) -> Timestamp {
    Timestamp::parse(time).unwrap()
}

/// The context of `org_1` at `now`, with every other default.
pub fn context_at(now: &str) -> UpsertContext<'static> {
    UpsertContext::new(at(now), OrganizationId::parse("org_1").unwrap())
}

/// The context of `org_1` at [`NOW`].
pub fn context() -> UpsertContext<'static> {
    context_at(NOW)
}

/// The request `body` makes for [`ID`]; panics when it is refused.
#[track_caller]
pub fn request(body: &str) -> UpsertRequest {
    UpsertRequest::parse(ID, body.as_bytes()).unwrap_or_else(|e| panic!("{body}: {e}"))
}

/// Upserts `body` onto `stored` in `context`.
#[track_caller]
pub fn upsert(
    stored: Option<&Customer>,
    body: &str,
    context: &UpsertContext<'_>,
) -> Result<UpsertOutcome, UpsertError> {
    Customer::apply_upsert(stored.cloned(), request(body), context)
}

/// The customer that creating `body` (with a website added) makes, at [`NOW`].
#[track_caller]
pub fn create(body: &str) -> Customer {
    let body = body.replacen('{', r#"{"websiteId":"web_1","#, 1);
    upsert(None, &body, &context()).unwrap().into_customer()
}

/// Each violation as `(field, code)`, in order.
pub fn fields_and_codes(error: &ValidationError) -> Vec<(String, String)> {
    error
        .violations()
        .iter()
        .map(|v| (v.field().to_string(), v.code().as_str().to_owned()))
        .collect()
}

/// `(field, code)` pairs written as literals.
pub fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(field, code)| ((*field).to_owned(), (*code).to_owned()))
        .collect()
}

/// The `(field, code)` pairs of a body the parser refuses with a 422.
#[track_caller]
pub fn refused(body: &str) -> Vec<(String, String)> {
    match UpsertRequest::parse(ID, body.as_bytes()) {
        Err(RequestError::Invalid(error)) => fields_and_codes(&error),
        other => panic!("{body}: not a 422: {other:?}"),
    }
}

/// The 400 `detail` of bytes the parser finds malformed.
#[track_caller]
pub fn malformed(body: impl AsRef<[u8]>) -> String {
    match UpsertRequest::parse(ID, body.as_ref()) {
        Err(RequestError::Malformed(error)) => error.to_string(),
        other => panic!("not a 400: {other:?}"),
    }
}
