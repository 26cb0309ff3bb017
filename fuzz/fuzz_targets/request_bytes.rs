//! Any bytes as a request body (the path id is the first line when there is a short one): the
//! parser must not panic, a 400 must carry a position, a 422 must render, and an accepted
//! request must render to a body that parses back to the same request.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rebilly_customer::{
    Customer, OrganizationId, ParseOptions, Problem, RequestError, Timestamp, UpsertContext,
    UpsertRequest, WebsiteId,
};

fuzz_target!(|data: &[u8]| {
    let (id, body) = match data.iter().position(|b| *b == b'\n') {
        Some(at) if at <= 64 => (
            String::from_utf8_lossy(&data[..at]).into_owned(),
            &data[at + 1..],
        ),
        _ => ("cus_1".to_owned(), data),
    };
    for options in [ParseOptions::default(), ParseOptions::ignoring_unknown()] {
        match UpsertRequest::parse_with(&id, body, options) {
            Ok(request) => check_accepted(&id, request),
            Err(RequestError::Malformed(malformed)) => {
                assert!(malformed.line() >= 1, "a 400 names its line");
                let _ = Problem::Malformed(malformed).to_json();
            }
            Err(RequestError::Invalid(error)) => {
                assert!(!error.violations().is_empty());
                let json = Problem::Invalid(error).to_json();
                assert!(json.starts_with(
                    r#"{"type":"about:blank","title":"Invalid data sent","status":422"#
                ));
            }
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
});

fn check_accepted(id: &str, request: UpsertRequest) {
    let rendered = request.to_body_with_token();
    let again = UpsertRequest::parse(id, rendered.as_bytes()).expect("a rendered request parses");
    assert_eq!(again.payment_token(), request.payment_token());
    assert_eq!(again.id(), request.id());
    assert_eq!(again.website_id(), request.website_id());
    assert_eq!(
        again.default_payment_instrument(),
        request.default_payment_instrument()
    );
    assert_eq!(again.custom_fields(), request.custom_fields());
    assert_eq!(again.primary_address(), request.primary_address());
    assert_eq!(again.is_edd_required(), request.is_edd_required());

    let context = UpsertContext::new(
        Timestamp::parse("2026-11-26T10:00:00Z").unwrap(),
        OrganizationId::from_static("org_1"),
    )
    .with_default_website(WebsiteId::from_static("web_1"));
    let id = request.id().clone();
    match Customer::apply_upsert(None, request, &context) {
        Ok(outcome) => {
            let customer = outcome.customer();
            let back: Customer = customer
                .to_json()
                .parse()
                .expect("a rendered customer reads back");
            assert_eq!(&back, customer);
        }
        Err(error) => {
            let _ = Problem::from(error).to_json();
        }
    }
}
