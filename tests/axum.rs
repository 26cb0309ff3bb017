//! The axum integration, through real routers (no listener, no runtime: every handler here is
//! ready at its first poll): the upsert body under any parameter name, the GET path id, the
//! body limit per router, and the 412 with the current `ETag`.
#![cfg(feature = "axum")]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use axum::routing::{get, put};
use axum::{Extension, Router};
use http_body_util::BodyExt;
use rebilly_customer::axum::{BodyLimit, CustomerPath, UpsertBody};
use rebilly_customer::{Customer, IfMatch, Problem, UpsertOutcome};
use tower_service::Service;

mod common;
use common::context;

/// Runs a future that never waits on I/O to its end.
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    for _ in 0..1000 {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
    panic!("the future waits on something")
}

struct Answer {
    status: StatusCode,
    content_type: Option<String>,
    body: String,
}

fn send(router: &mut Router, method: &str, uri: &str, body: &str) -> Answer {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap();
    let response: Response<Body> = ready(router.call(request)).unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
    };
    let (status, content_type) = (response.status(), header("content-type"));
    let bytes = ready(response.into_body().collect()).unwrap().to_bytes();
    Answer {
        status,
        content_type,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

/// Creates whatever it is sent: the path id is the one the extractor found.
async fn create(UpsertBody(request): UpsertBody) -> Result<UpsertOutcome, Problem> {
    Ok(Customer::apply_upsert(None, request, &context())?)
}

#[test]
fn the_upsert_body_finds_the_id_whatever_the_parameter_is_called() {
    let mut router = Router::new()
        .route("/customers/{customerId}", put(create))
        .route("/organizations/{org}/customers/{customer}", put(create))
        .route("/customers/{id}/as/{view}", put(create));
    let body = r#"{"websiteId": "web_1"}"#;
    for (uri, id) in [
        ("/customers/cus_a", "cus_a"),
        // Without `id`, the last parameter.
        ("/organizations/org_1/customers/cus_b", "cus_b"),
        // `id` wins wherever it is.
        ("/customers/cus_c/as/full", "cus_c"),
        // Percent-decoded.
        ("/customers/cus%7Ed", "cus~d"),
    ] {
        let answer = send(&mut router, "PUT", uri, body);
        assert_eq!(answer.status, StatusCode::CREATED, "{uri}: {}", answer.body);
        let customer: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
        assert_eq!(customer["id"], id, "{uri}");
    }
    // Bytes that are not UTF-8 are the client's mistake: a 400 problem.
    let answer = send(&mut router, "PUT", "/customers/cus_%FF", body);
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer.content_type.as_deref(),
        Some("application/problem+json")
    );
    // A route without a parameter is the server's: a 500 problem.
    let mut unnamed = Router::new().route("/customers", put(create));
    let answer = send(&mut unnamed, "PUT", "/customers", body);
    assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        answer.content_type.as_deref(),
        Some("application/problem+json")
    );
}

async fn read(CustomerPath(id): CustomerPath) -> String {
    id.as_str().to_owned()
}

#[test]
fn the_get_path_id_is_a_customer_id_or_a_problem() {
    let mut router = Router::new().route("/organizations/{org}/customers/{customerId}", get(read));
    let answer = send(
        &mut router,
        "GET",
        "/organizations/org_1/customers/cus_1",
        "",
    );
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (StatusCode::OK, "cus_1")
    );
    let answer = send(
        &mut router,
        "GET",
        "/organizations/org_1/customers/cus%40one",
        "",
    );
    assert_eq!(answer.body, "cus@one");
    // No customer can have these ids: 404, as a problem.
    let too_long = "a".repeat(51);
    for id in ["cus%20space", too_long.as_str(), "cus%00", "cus_%C3%A9"] {
        let answer = send(
            &mut router,
            "GET",
            &format!("/organizations/org_1/customers/{id}"),
            "",
        );
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{id}");
        assert_eq!(
            answer.content_type.as_deref(),
            Some("application/problem+json")
        );
        let problem = Problem::parse(answer.body.as_bytes()).unwrap();
        assert_eq!(problem.status(), 404);
    }
    let answer = send(&mut router, "GET", "/organizations/org_1/customers/%FF", "");
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer.content_type.as_deref(),
        Some("application/problem+json")
    );
}

#[test]
fn each_router_has_its_own_body_limit() {
    let small = Router::new()
        .route("/small/{id}", put(create))
        .layer(Extension(BodyLimit::new(64)));
    let default = Router::new().route("/default/{id}", put(create));
    let mut app = small.merge(default);
    let body = format!(
        r#"{{"websiteId": "web_1", "customFields": {{"n": "{}"}}}}"#,
        "x".repeat(100)
    );
    let answer = send(&mut app, "PUT", "/small/cus_1", &body);
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(answer.body.contains("limit of 64 bytes"), "{}", answer.body);
    let answer = send(&mut app, "PUT", "/default/cus_1", &body);
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    // At the limit exactly, and one byte over.
    let exact = r#"{"websiteId": "web_1"}"#;
    let mut tight = Router::new()
        .route("/c/{id}", put(create))
        .layer(Extension(BodyLimit::new(exact.len() as u64)));
    assert_eq!(
        send(&mut tight, "PUT", "/c/cus_1", exact).status,
        StatusCode::CREATED
    );
    let over = format!("{exact} ");
    assert_eq!(
        send(&mut tight, "PUT", "/c/cus_1", &over).status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
}

#[test]
fn a_failed_if_match_is_a_412_with_the_current_tag() {
    let stored = Customer::apply_upsert(
        None,
        rebilly_customer::UpsertRequest::parse("cus_1", br#"{"websiteId": "web_1"}"#).unwrap(),
        &context(),
    )
    .unwrap()
    .into_customer();
    let upsert = move |if_match: Option<IfMatch>, UpsertBody(request): UpsertBody| {
        let stored = stored.clone();
        async move {
            let mut context = context();
            if let Some(if_match) = if_match {
                context = context.with_if_match(if_match);
            }
            Ok::<_, Problem>(Customer::apply_upsert(Some(stored), request, &context)?)
        }
    };
    let mut router = Router::new().route("/customers/{id}", put(upsert));
    let call = |router: &mut Router, tag: &str| {
        let request = Request::builder()
            .method("PUT")
            .uri("/customers/cus_1")
            .header("content-type", "application/json")
            .header("if-match", tag)
            .body(Body::from(r#"{"isEddRequired": true}"#))
            .unwrap();
        ready(router.call(request)).unwrap()
    };
    for tag in ["\"1\"", "\"00\"", "W/\"0\""] {
        let response = call(&mut router, tag);
        assert_eq!(response.status(), StatusCode::PRECONDITION_FAILED, "{tag}");
        assert_eq!(response.headers()["etag"], "\"0\"");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
    let response = call(&mut router, "\"0\"");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["etag"], "\"1\"");
}

#[test]
fn a_declared_length_over_the_limit_and_an_encoded_body_are_refused_before_reading() {
    let mut router = Router::new()
        .route("/customers/{id}", put(create))
        .layer(Extension(BodyLimit::new(64)));
    let request = |length: &str, encoding: Option<&str>| {
        let mut builder = Request::builder()
            .method("PUT")
            .uri("/customers/cus_1")
            .header("content-type", "application/json")
            .header("content-length", length);
        if let Some(encoding) = encoding {
            builder = builder.header("content-encoding", encoding);
        }
        // The body would never end: only the head may be read.
        builder.body(Body::new(Endless)).unwrap()
    };
    let response = ready(router.call(request("2000000000", None))).unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(response.headers()["connection"], "close");
    let response = ready(router.call(request("10", Some("gzip")))).unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // `identity` is no encoding.
    let response = ready(router.call({
        Request::builder()
            .method("PUT")
            .uri("/customers/cus_1")
            .header("content-type", "application/json")
            .header("content-encoding", "identity")
            .body(Body::from(r#"{"websiteId": "web_1"}"#))
            .unwrap()
    }))
    .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
}

/// A body that never yields a byte: reading it would wait forever, and `ready` would panic.
struct Endless;

impl axum::body::HttpBody for Endless {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Poll::Pending
    }
}
