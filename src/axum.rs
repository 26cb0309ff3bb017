//! The upsert's path id and body as an extractor, the path id alone for a GET, `If-Match` as
//! an optional extractor, and responses for the outcome, a customer and every problem, all in
//! the crate's problem format. Nothing here starts a runtime or a server.
//!
//! ```
//! use axum::{routing::put, Extension, Router};
//! use rebilly_customer::{Customer, IfMatch, OrganizationId, Problem, UpsertContext,
//!     UpsertOutcome, axum::{BodyLimit, CustomerPath, UpsertBody}};
//!
//! async fn upsert(
//!     if_match: Option<IfMatch>,
//!     UpsertBody(request): UpsertBody, // 415, 413, 400 and 422 as problems
//! ) -> Result<UpsertOutcome, Problem> {
//!     let stored: Option<Customer> = None; // the store's row for request.id()
//!     let mut context = UpsertContext::new(
//!         std::time::SystemTime::now(),
//!         OrganizationId::parse("org_1").unwrap(),
//!     );
//!     if let Some(if_match) = if_match {
//!         context = context.with_if_match(if_match); // 412 with the current ETag
//!     }
//!     let outcome = Customer::apply_upsert(stored, request, &context)?; // 409, 422
//!     // … write through outcome.write_plan() …
//!     Ok(outcome)
//! }
//!
//! async fn get(CustomerPath(id): CustomerPath) -> Result<Customer, Problem> {
//!     Err(Problem::not_found()) // the store's row for `id`
//! }
//!
//! // Any name for the id parameter; the body limit is this router's.
//! let app: Router = Router::new()
//!     .route("/customers/{customerId}", put(upsert).get(get))
//!     .layer(Extension(BodyLimit::new(64 * 1024)));
//! ```

use std::convert::Infallible;

use ::axum::body::Body;
use ::axum::extract::{
    FromRequest, FromRequestParts, OptionalFromRequestParts, RawPathParams, Request,
};
use ::axum::http::request::Parts;
use ::axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use ::axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;

use crate::customer::{Customer, UpsertOutcome};
use crate::error::{PreconditionFailed, RequestError, UpsertError};
use crate::ids::CustomerId;
use crate::precondition::{IfMatch, IfNoneMatch};
use crate::problem::{PROBLEM_CONTENT_TYPE, Problem};
use crate::request::{ParseOptions, UpsertRequest};

/// The most a request body may hold, for [`UpsertBody`]: 1 MiB unless a layer sets another,
/// with `axum::Extension(BodyLimit::new(bytes))` on the router (each router its own, the
/// innermost layer winning).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BodyLimit(u64);

impl BodyLimit {
    /// The default: 1 MiB.
    pub const DEFAULT: BodyLimit = BodyLimit(1 << 20);

    /// A limit of `bytes`.
    #[must_use]
    pub const fn new(bytes: u64) -> Self {
        BodyLimit(bytes)
    }

    /// The limit in bytes.
    #[must_use]
    pub const fn bytes(self) -> u64 {
        self.0
    }
}

impl Default for BodyLimit {
    fn default() -> Self {
        BodyLimit::DEFAULT
    }
}

/// How much of a body past the limit is still read (and thrown away) before the 413 is
/// answered: a client that is still sending when the server answers and closes sees a reset
/// connection instead of the 413 (Node and axios do). Past this, the server stops reading.
const DRAIN_MAX: u64 = 64 << 20;

/// The upsert's request, from the route's customer id (the path parameter named `id`, else the
/// last one) and a JSON body, read with every rule of [`UpsertRequest::parse_with`].
///
/// Every refusal is a [`Problem`], never axum's plain text:
/// - a `Content-Type` other than `application/json` (parameters allowed): 415;
/// - a `Content-Encoding` other than `identity`: 415 (the limit is on the bytes read, and a
///   decoder would multiply them);
/// - a body declared (`Content-Length`) longer than the [`BodyLimit`]: 413 at once, without
///   reading it; a body that turns out longer: 413 after reading the rest of it (up to 64 MiB);
///   either way with `Connection: close`;
/// - bytes that are not one JSON object: 400; a body that breaks a rule: 422.
///
/// The parse options come from a `ParseOptions` request extension when a layer sets one
/// (`axum::Extension(ParseOptions::ignoring_unknown())`), else the defaults.
#[derive(Clone, Debug)]
pub struct UpsertBody(pub UpsertRequest);

impl<S: Send + Sync> FromRequest<S> for UpsertBody {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Problem> {
        let (mut parts, body) = request.into_parts();
        let id = path_id(&mut parts, state).await?;
        if !is_json(&parts.headers) {
            return Err(Problem::unsupported_media_type());
        }
        if is_encoded(&parts.headers) {
            // The limit is on the bytes the parser reads; a decoder would hand it more.
            return Err(Problem::status_problem(
                415,
                "Unsupported Media Type",
                "the body must not be encoded (Content-Encoding: identity only)".to_owned(),
            ));
        }
        let limit = parts
            .extensions
            .get::<BodyLimit>()
            .copied()
            .unwrap_or_default();
        // A body declared longer than the limit is refused before a byte of it is read.
        if declared_length(&parts.headers).is_some_and(|length| length > limit.bytes()) {
            return Err(Problem::payload_too_large(limit.bytes()));
        }
        let options = parts
            .extensions
            .get::<ParseOptions>()
            .copied()
            .unwrap_or_default();
        let bytes = read_body(body, limit).await?;
        UpsertRequest::parse_with(&id, &bytes, options)
            .map(UpsertBody)
            .map_err(Problem::from)
    }
}

/// The customer id of the route: the path parameter named `id` if there is one, else the
/// last one (`/organizations/{org}/customers/{customerId}`), percent-decoded.
///
/// A route without a parameter is the server's mistake: a 500. Bytes that do not decode to
/// UTF-8 (`%FF`) are a 400 problem.
async fn path_id<S: Send + Sync>(parts: &mut Parts, state: &S) -> Result<String, Problem> {
    let params = RawPathParams::from_request_parts(parts, state)
        .await
        .map_err(|_| Problem::malformed_path())?;
    let named_id = params.iter().find(|(name, _)| *name == "id");
    match named_id.or_else(|| params.iter().last()) {
        Some((_, id)) => Ok(id.to_owned()),
        None => Err(Problem::internal()),
    }
}

/// The customer id of a route's path, for a GET (or a DELETE): the parameter named `id`, else
/// the last one, as [`UpsertBody`] reads it, in NFC.
///
/// Refusals are problems: an id that no customer can have (too long, a character outside the
/// id's class) is a 404, since nothing is stored under it; a path that is not percent-encoded
/// UTF-8 is a 400.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CustomerPath(pub CustomerId);

impl<S: Send + Sync> FromRequestParts<S> for CustomerPath {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        let id = path_id(parts, state).await?;
        CustomerId::parse(&crate::text::nfc(&id))
            .map(CustomerPath)
            .map_err(|_| Problem::not_found())
    }
}

/// Whether the body declares a `Content-Encoding` other than `identity`.
fn is_encoded(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::CONTENT_ENCODING)
        .iter()
        .any(|value| {
            value.to_str().map_or(true, |text| {
                text.split(',')
                    .any(|coding| !coding.trim().eq_ignore_ascii_case("identity"))
            })
        })
}

/// The body's declared `Content-Length`, when it is one number.
fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Whether the body is declared `application/json` (any case, any parameters).
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

/// The body, up to `limit` bytes; past it, the rest is read and dropped (up to [`DRAIN_MAX`])
/// and the answer is a 413.
async fn read_body(mut body: Body, limit: BodyLimit) -> Result<Vec<u8>, Problem> {
    let unreadable = || {
        Problem::status_problem(
            400,
            "Malformed request",
            "the body could not be read to its end".to_owned(),
        )
    };
    let mut bytes = Vec::new();
    let mut seen: u64 = 0;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| unreadable())?;
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        seen = seen.saturating_add(data.len() as u64);
        if seen <= limit.bytes() {
            bytes.extend_from_slice(&data);
        } else if seen > limit.bytes().saturating_add(DRAIN_MAX) {
            break;
        }
    }
    if seen > limit.bytes() {
        return Err(Problem::payload_too_large(limit.bytes()));
    }
    Ok(bytes)
}

/// Every value of header `name`, joined as one comma-separated list (several headers are one
/// list); `None` when there is none. A value that is not text counts as empty.
fn header_list(parts: &Parts, name: header::HeaderName) -> Option<String> {
    let values: Vec<&str> = parts
        .headers
        .get_all(name)
        .iter()
        .map(|value| value.to_str().unwrap_or(""))
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

/// `Option<IfMatch>` in a handler: the `If-Match` headers, read (several are one list), or
/// `None` when there is none. A header that is not text matches nothing.
impl<S: Send + Sync> OptionalFromRequestParts<S> for IfMatch {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Option<Self>, Infallible> {
        Ok(header_list(parts, header::IF_MATCH).map(|list| IfMatch::from_header(&list)))
    }
}

/// `Option<IfNoneMatch>` in a handler: the `If-None-Match` headers, read (several are one
/// list), or `None` when there is none.
impl<S: Send + Sync> OptionalFromRequestParts<S> for IfNoneMatch {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Option<Self>, Infallible> {
        Ok(header_list(parts, header::IF_NONE_MATCH).map(|list| IfNoneMatch::from_header(&list)))
    }
}

/// The status, `Content-Type: application/problem+json` and the body; a 412 also carries the
/// current `ETag` when a customer is stored.
impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let etag = match &self {
            Problem::PreconditionFailed(failed) => failed
                .etag()
                .map(|tag| HeaderValue::from_str(&tag).expect("digits in quotes")),
            _ => None,
        };
        let mut response = (
            status,
            [(header::CONTENT_TYPE, PROBLEM_CONTENT_TYPE)],
            self.to_json(),
        )
            .into_response();
        if let Some(etag) = etag {
            response.headers_mut().insert(header::ETAG, etag);
        }
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            // The rest of the body is not read: the connection cannot carry another request.
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}

/// A failed `If-Match`: its 412 problem, with the current `ETag`.
impl IntoResponse for PreconditionFailed {
    fn into_response(self) -> Response {
        Problem::from(self).into_response()
    }
}

/// A refused upsert: its 409 or 422 problem.
impl IntoResponse for UpsertError {
    fn into_response(self) -> Response {
        Problem::from(self).into_response()
    }
}

/// A request refused by the parser: its 400 or 422 problem.
impl IntoResponse for RequestError {
    fn into_response(self) -> Response {
        Problem::from(self).into_response()
    }
}

/// 201 with `Location` and `ETag`, or 200 with `ETag`; the body is the customer.
impl IntoResponse for UpsertOutcome {
    fn into_response(self) -> Response {
        let status = if self.status() == 201 {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        let location = self
            .location()
            .and_then(|url| HeaderValue::from_str(url).ok());
        let mut response = customer_response(status, &self.into_customer());
        if let Some(location) = location {
            response.headers_mut().insert(header::LOCATION, location);
        }
        response
    }
}

/// 200 with `ETag`; the body is the customer (a GET).
impl IntoResponse for Customer {
    fn into_response(self) -> Response {
        customer_response(StatusCode::OK, &self)
    }
}

fn customer_response(status: StatusCode, customer: &Customer) -> Response {
    let etag = HeaderValue::from_str(&customer.etag()).expect("digits in quotes");
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::ETAG, etag),
        ],
        customer.to_json(),
    )
        .into_response()
}
