//! The table of error codes: each code it lists is reachable through the public API, its
//! messages take one of the forms its row gives, its status is the one of the problem that
//! carries it, and its wire string reads back as itself.

use std::collections::HashMap;

use rebilly_customer::*;
use serde_json::json;

mod common;
use common::context;

fn request(body: serde_json::Value) -> Vec<Violation> {
    match UpsertRequest::parse("cus_1", body.to_string().as_bytes()) {
        Err(RequestError::Invalid(error)) => error.into_violations(),
        other => panic!("{body}: not a 422: {other:?}"),
    }
}

fn upsert(context: &UpsertContext<'_>, body: serde_json::Value) -> Vec<Violation> {
    let request = UpsertRequest::parse("cus_1", body.to_string().as_bytes()).unwrap();
    match Customer::apply_upsert(None, request, context) {
        Err(UpsertError::Invalid(error)) => error.into_violations(),
        other => panic!("{body}: not a 422: {other:?}"),
    }
}

fn stored(change: serde_json::Value) -> Vec<Violation> {
    let mut customer = json!({
        "id": "cus_1", "websiteId": "web_1", "organizationId": "org_1",
        "createdTime": "2026-01-01T00:00:00Z", "updatedTime": "2026-01-01T00:00:00Z",
        "revision": 3
    });
    for (key, value) in change.as_object().unwrap() {
        customer[key] = value.clone();
    }
    match Customer::parse(customer.to_string().as_bytes()) {
        Err(RequestError::Invalid(error)) => error.into_violations(),
        other => panic!("not refused: {other:?}"),
    }
}

/// Every violation the public API reports for a set of inputs chosen to break each rule once.
fn reached() -> Vec<Violation> {
    let mut all = Vec::new();
    all.extend(request(json!({
        "id": "cus_2",
        "websiteId": null,
        "isEddRequired": "yes",
        "paymentToken": "",
        "unknown": 1,
        "primaryAddress": {
            "firstName": "x".repeat(46),
            "lastName": "J0hn",
            "country": "ZZ",
            "dob": "2026-02-30",
            "emails": [
                {"label": "a", "value": "not-an-email", "primary": true},
                {"label": "b", "value": "b@example.com", "primary": true}
            ]
        },
        "defaultPaymentInstrument": {"method": "teleport"}
    })));
    all.extend(request(
        json!({"defaultPaymentInstrument": {"method": "payment-card"}}),
    ));
    // 2026-08: a lead source's referrer that is not an absolute URI.
    let options = ParseOptions::new().with_contract(Contract::Rebilly2026_08);
    let body = br#"{"leadSource": {"referrer": "not a uri"}, "taxNumbers": [{"type": "x", "value": "1"}]}"#;
    match UpsertRequest::parse_with("cus_1", body, options) {
        Err(RequestError::Invalid(error)) => all.extend(error.into_violations()),
        other => panic!("not a 422: {other:?}"),
    }
    // The upsert's own: a refused token, an unknown instrument, custom fields without a
    // definition.
    let resolver = |_: &PaymentToken| Err(TokenRejection::new("expired"));
    let definitions = CustomFieldDefinitions::new();
    let lookup: HashMap<String, PaymentMethod> = HashMap::new();
    let context = context()
        .with_token_resolver(&resolver)
        .with_custom_field_definitions(&definitions);
    all.extend(upsert(
        &context,
        json!({"websiteId": "web_1", "paymentToken": "tok_1", "customFields": {"x": 1}}),
    ));
    let today = context
        .clone()
        .with_contract(Contract::Rebilly2026_08)
        .with_instrument_lookup(&lookup);
    let request = UpsertRequest::parse_with(
        "cus_1",
        br#"{"websiteId": "web_1", "defaultPaymentInstrumentId": "inst_1"}"#,
        ParseOptions::new().with_contract(Contract::Rebilly2026_08),
    )
    .unwrap();
    match Customer::apply_upsert(None, request, &today) {
        Err(UpsertError::Invalid(error)) => all.extend(error.into_violations()),
        other => panic!("not a 422: {other:?}"),
    }
    // Read-only members, when reading a stored customer.
    all.extend(stored(json!({
        "averageValue": {"currency": "ZZZ", "amount": 1, "amountUsd": 1},
        "tags": [{"name": "a", "type": "customer"}, {"name": "A", "type": "customer"}],
        "primaryAddress": {"firstName": ""}
    })));
    all
}

/// Whether `message` takes the form of `template`, `{…}` matching any text.
fn takes_the_form(message: &str, template: &str) -> bool {
    let mut parts = template.split('{').enumerate();
    let mut rest = message;
    while let Some((i, part)) = parts.next() {
        let literal = if i == 0 {
            part
        } else {
            part.split_once('}').map_or(part, |(_, after)| after)
        };
        if i == 0 {
            let Some(after) = rest.strip_prefix(literal) else {
                return false;
            };
            rest = after;
        } else if literal.is_empty() {
            rest = "";
        } else {
            // A placeholder, then the literal: the last place it fits, when it ends the form.
            let last = parts.clone().next().is_none();
            let found = if last {
                rest.strip_suffix(literal)
                    .map(|_| rest.len() - literal.len())
            } else {
                rest.find(literal)
            };
            let Some(at) = found else {
                return false;
            };
            rest = &rest[at + literal.len()..];
        }
    }
    rest.is_empty() || template.ends_with('}')
}

#[test]
fn every_code_of_the_table_is_reachable_and_says_what_its_row_says() {
    let violations = reached();
    for code in ErrorCode::ALL {
        let of_code: Vec<&Violation> = violations.iter().filter(|v| v.code() == *code).collect();
        assert!(!of_code.is_empty(), "no input reaches {code}");
        for violation in of_code {
            let message = violation.message().to_string();
            assert!(
                code.templates().iter().any(|t| takes_the_form(&message, t)),
                "{code}: {message:?} takes none of the forms {:?}",
                code.templates()
            );
        }
        assert_eq!(code.status(), Some(422));
        assert_eq!(ErrorCode::from_wire(code.as_str()), *code);
    }
    // Every violation found has a code of the table: no code is made outside it.
    assert!(
        violations
            .iter()
            .all(|v| ErrorCode::ALL.contains(&v.code()))
    );
    // The problem that carries them is a 422.
    let problem = Problem::from(RequestError::Invalid(ValidationError::new(violations)));
    assert_eq!(problem.status(), 422);
}

#[test]
fn a_code_the_table_does_not_list_is_kept_without_a_status() {
    let code = ErrorCode::from_wire("too_young");
    assert_eq!(code, ErrorCode::Unknown("too_young".into()));
    assert_eq!((code.status(), code.templates().len()), (None, 0));
    assert!(!ErrorCode::ALL.contains(&code));
}

#[test]
fn the_form_matcher_tells_forms_apart() {
    assert!(takes_the_form(
        "must be at most 45 characters, got 46",
        "must be at most {max} characters, got {actual}"
    ));
    assert!(!takes_the_form(
        "must be at most 45 characters",
        "must be at most {max} characters, got {actual}"
    ));
    assert!(takes_the_form(
        "must be a string or null",
        "must be {expected} or null"
    ));
    assert!(takes_the_form("anything at all", "{rule}"));
    assert!(!takes_the_form("unknown field x", "unknown field"));
    assert!(takes_the_form(
        "unknown payment method \"teleport\"",
        "unknown payment method {method}"
    ));
}
