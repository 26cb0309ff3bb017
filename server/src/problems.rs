//! The server's own refusals, each a problem body in the crate's format (the crate writes the
//! operation's and the common ones: 400, 401, 404, 405, 409, 412, 413, 415, 422, 500).

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use rebilly_customer::{Problem, ProblemDetails};

use crate::store::StoreError;

fn problem(status: u16, title: &str, detail: String) -> Problem {
    Problem::Other(Box::new(ProblemDetails::new(status, title, Some(detail))))
}

/// 408: the body did not arrive within the limit. The connection is closed: the rest of the
/// body may still come.
pub fn body_timeout() -> Response {
    closing(problem(
        408,
        "Request Timeout",
        "the body did not arrive within the time limit".to_owned(),
    ))
}

/// 411: a PUT that declares neither a `Content-Length` nor a chunked body.
pub fn length_required() -> Problem {
    problem(
        411,
        "Length Required",
        "a PUT must declare its body's length (Content-Length) or send it chunked".to_owned(),
    )
}

/// 413: the customer the upsert would store is longer than the limit.
pub fn customer_too_large(limit: u64) -> Problem {
    problem(
        413,
        "Payload Too Large",
        format!("the customer would be longer than the limit of {limit} bytes once stored"),
    )
}

/// 414: a target longer than the limit.
pub fn uri_too_long(limit: usize) -> Response {
    closing(problem(
        414,
        "URI Too Long",
        format!("the request target is longer than the limit of {limit} bytes"),
    ))
}

/// 431: header fields longer (or more) than the limits.
pub fn headers_too_large(bytes: usize, fields: usize) -> Response {
    closing(problem(
        431,
        "Request Header Fields Too Large",
        format!("the header fields pass the limit of {bytes} bytes or {fields} fields"),
    ))
}

/// 429: past the key's requests per minute; `Retry-After` says when the next window opens.
pub fn too_many_requests(limit: u32, retry_after_seconds: u64) -> Response {
    let mut response = problem(
        429,
        "Too Many Requests",
        format!("the limit is {limit} requests per minute per API key"),
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds));
    response
}

/// A store failure: 503 with `Retry-After` when it should pass, else 500. Either way the
/// detail says nothing of why (that goes to the log).
pub fn store(error: StoreError) -> Response {
    match error {
        StoreError::Unavailable(error) => {
            tracing::warn!(%error, "store unavailable");
            let mut response = problem(
                503,
                "Service Unavailable",
                "the store cannot take the request now; try again".to_owned(),
            )
            .into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            response
        }
        StoreError::Failed(error) => {
            tracing::error!(%error, "store failed");
            Problem::internal().into_response()
        }
    }
}

/// A response after which the connection is closed (part of the request may be unread).
fn closing(problem: Problem) -> Response {
    let mut response = problem.into_response();
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}
