//! Every error at once, whatever else is wrong nearby: the cases where one violation used to hide
//! another, in requests, stored customers and custom field definitions; and the two rules of SPEC
//! section 2 that make read-modify-write clients work (`customFields: []`, numbers by value).

use rebilly_customer::*;
use serde_json::{Value, json};

mod common;
use common::{context, fields_and_codes, pairs};

type Found = Vec<(String, String)>;

#[track_caller]
fn request_violations(body: &Value) -> Found {
    match UpsertRequest::parse("cus_1", body.to_string().as_bytes()) {
        Err(RequestError::Invalid(error)) => fields_and_codes(&error),
        other => panic!("expected a 422, got {other:?}"),
    }
}

#[track_caller]
fn request_messages(body: &Value) -> Vec<String> {
    match UpsertRequest::parse("cus_1", body.to_string().as_bytes()) {
        Err(RequestError::Invalid(error)) => error
            .violations()
            .iter()
            .map(|v| v.message().to_string())
            .collect(),
        other => panic!("expected a 422, got {other:?}"),
    }
}

/// A stored customer as the crate renders it, with `change` applied to its JSON.
fn stored_json(change: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Vec<u8> {
    let mut customer = json!({
        "id": "cus_1", "websiteId": "web_1", "organizationId": "org_1",
        "createdTime": "2026-01-01T00:00:00Z", "updatedTime": "2026-01-01T00:00:00Z",
        "revision": 3, "customFields": {}
    });
    change(customer.as_object_mut().unwrap());
    customer.to_string().into_bytes()
}

#[track_caller]
fn stored_violations(bytes: &[u8]) -> Found {
    match Customer::parse(bytes) {
        Err(RequestError::Invalid(error)) => fields_and_codes(&error),
        other => panic!("expected violations, got {other:?}"),
    }
}

// ---- the payment instrument ----

#[test]
fn an_unknown_instrument_member_does_not_hide_the_missing_id() {
    // The shape older Rebilly SDKs send, with the unknown member before and after `method`.
    for instrument in [
        json!({"method": "payment-card", "paymentCardId": "card_1"}),
        json!({"paymentCardId": "card_1", "method": "payment-card"}),
    ] {
        assert_eq!(
            request_violations(&json!({ "defaultPaymentInstrument": instrument })),
            pairs(&[
                ("defaultPaymentInstrument.paymentCardId", "unknown_field"),
                ("defaultPaymentInstrument.paymentInstrumentId", "required"),
            ])
        );
    }
    // Ignoring unknown members leaves the missing id alone.
    let body = br#"{"defaultPaymentInstrument": {"method": "ach", "x": 1}}"#;
    let Err(RequestError::Invalid(error)) =
        UpsertRequest::parse_with("cus_1", body, ParseOptions::ignoring_unknown())
    else {
        panic!("expected a 422")
    };
    assert_eq!(
        fields_and_codes(&error),
        pairs(&[("defaultPaymentInstrument.paymentInstrumentId", "required")])
    );
}

#[test]
fn an_unknown_member_and_a_bad_id_are_reported_together() {
    let id = "i".repeat(51);
    assert_eq!(
        request_violations(&json!({"defaultPaymentInstrument":
            {"method": "ach", "paymentInstrumentId": id, "extra": true}})),
        pairs(&[
            ("defaultPaymentInstrument.paymentInstrumentId", "too_long"),
            ("defaultPaymentInstrument.extra", "unknown_field"),
        ])
    );
    // An id of the wrong type is one violation, not also "required".
    assert_eq!(
        request_violations(&json!({"defaultPaymentInstrument":
            {"method": "payment-card", "paymentInstrumentId": 7}})),
        pairs(&[("defaultPaymentInstrument.paymentInstrumentId", "type")])
    );
}

#[test]
fn a_method_that_is_not_a_string_is_one_violation_on_method() {
    for method in [
        json!(5),
        json!(null),
        json!(true),
        json!({"a": 1}),
        json!(["cash"]),
    ] {
        let body =
            json!({"defaultPaymentInstrument": {"method": method, "paymentInstrumentId": "x"}});
        assert_eq!(
            request_violations(&body),
            pairs(&[("defaultPaymentInstrument.method", "type")]),
            "{method}"
        );
        assert_eq!(request_messages(&body), ["must be a string"]);
    }
}

// ---- the email and phone lists ----

#[test]
fn two_primaries_are_reported_with_the_errors_of_their_items() {
    let body = json!({"primaryAddress": {"emails": [
        {"label": "a", "value": "not-an-email", "primary": true},
        {"label": "b", "value": "b@example.com"},
        {"value": "c@example.com", "primary": true}
    ]}});
    assert_eq!(
        request_violations(&body),
        pairs(&[
            ("primaryAddress.emails.0.value", "invalid_email"),
            ("primaryAddress.emails.2.label", "required"),
            ("primaryAddress.emails", "multiple_primary"),
        ])
    );
    assert_eq!(
        request_messages(&body)[2],
        "at most one item may be primary, got 2"
    );
}

#[test]
fn only_a_primary_that_is_true_counts() {
    // `"primary": "yes"` is a type error, not a second primary.
    let body = json!({"primaryAddress": {"phoneNumbers": [
        {"label": "a", "value": "1", "primary": true},
        {"label": "b", "value": "2", "primary": "yes"},
        {"label": "c", "value": "3", "primary": false}
    ]}});
    assert_eq!(
        request_violations(&body),
        pairs(&[("primaryAddress.phoneNumbers.1.primary", "type")])
    );
    // Three primaries, all of them otherwise broken, are counted as three.
    let body = json!({"primaryAddress": {"phoneNumbers": [
        {"value": "1", "primary": true}, {"value": "2", "primary": true},
        {"label": "c", "value": 3, "primary": true}
    ]}});
    assert_eq!(
        request_violations(&body),
        pairs(&[
            ("primaryAddress.phoneNumbers.0.label", "required"),
            ("primaryAddress.phoneNumbers.1.label", "required"),
            ("primaryAddress.phoneNumbers.2.value", "type"),
            ("primaryAddress.phoneNumbers", "multiple_primary"),
        ])
    );
    assert!(request_messages(&body)[3].ends_with("got 3"));
}

// ---- stored customers ----

#[test]
fn money_reports_a_missing_currency_beside_a_bad_amount() {
    let bytes = stored_json(|c| {
        c.insert("averageValue".into(), json!({"amount": "x"}));
    });
    assert_eq!(
        stored_violations(&bytes),
        pairs(&[
            ("averageValue.amount", "type"),
            ("averageValue.currency", "required"),
        ])
    );
}

#[test]
fn tag_rules_hold_beside_a_tag_refused_for_its_own_errors() {
    let bytes = stored_json(|c| {
        c.insert(
            "tags".into(),
            json!([
                {"name": 5, "type": "customer"},
                {"name": "vip", "type": "customer"},
                {"name": "VIP", "type": "customer"},
                {"name": "kyc", "type": "kyc-document"},
                {"name": "x", "type": 7}
            ]),
        );
    });
    // Another tag type is a newer API's, kept; a type that is not text is still refused.
    assert_eq!(
        stored_violations(&bytes),
        pairs(&[
            ("tags.0.name", "type"),
            ("tags.4.type", "type"),
            ("tags.2.name", "tag"),
        ])
    );
}

#[test]
fn a_stored_customer_reports_every_missing_member_and_every_bad_one() {
    let bytes =
        br#"{"id": "cus 1", "revision": -1, "tags": {}, "primaryAddress": {"country": "gb"}}"#;
    assert_eq!(
        stored_violations(bytes),
        pairs(&[
            ("id", "pattern"),
            ("revision", "type"),
            ("tags", "type"),
            ("primaryAddress.country", "unknown_country"),
            ("websiteId", "required"),
            ("createdTime", "required"),
            ("updatedTime", "required"),
            ("organizationId", "required"),
        ])
    );
    assert!(matches!(
        Customer::parse(br#"{"id": "a", "id": "b"}"#),
        Err(RequestError::Malformed(_))
    ));
}

// ---- custom field definitions ----

#[track_caller]
fn definition_violations(document: &Value) -> Found {
    match CustomFieldDefinitions::parse(document.to_string().as_bytes()) {
        Err(RequestError::Invalid(error)) => fields_and_codes(&error),
        other => panic!("expected violations, got {other:?}"),
    }
}

#[test]
fn a_definition_reports_its_type_and_its_schema_together() {
    assert_eq!(
        definition_violations(&json!([
            {"name": "a", "additionalSchema": {"maxLength": 0, "allowedValues": "x"}},
            {"name": "b", "type": "integer", "additionalSchema": {"allowedValues": ["1"], "maxLength": 5}},
            {"name": "c d", "type": 5}
        ])),
        pairs(&[
            ("0.type", "required"),
            ("0.additionalSchema.allowedValues", "custom_field"),
            ("0.additionalSchema.maxLength", "custom_field"),
            ("1.additionalSchema.allowedValues", "custom_field"),
            ("1.additionalSchema.maxLength", "custom_field"),
            ("2.name", "pattern"),
            ("2.type", "type"),
        ])
    );
    let error = CustomFieldDefinition::new(CustomFieldType::Integer)
        .with_max_length(0)
        .unwrap_err();
    assert_eq!(error.violations().len(), 2, "{error}");
}

#[test]
fn a_string_value_reports_its_length_and_its_allowed_values_together() {
    let definition = CustomFieldDefinition::new(CustomFieldType::String)
        .with_allowed_values(vec!["gold".into()])
        .unwrap()
        .with_max_length(3)
        .unwrap();
    let error = definition.check(&json!("bronze").into()).unwrap_err();
    let kinds: Vec<&ViolationKind> = error.violations().iter().map(|v| v.kind()).collect();
    assert_eq!(
        kinds,
        [
            &ViolationKind::CustomField {
                rule: CustomFieldRule::TooLong { max: 3, actual: 6 }
            },
            &ViolationKind::CustomField {
                rule: CustomFieldRule::NotAllowed { allowed: 1 }
            },
        ]
    );
    let array = CustomFieldDefinition::new(CustomFieldType::Array)
        .with_allowed_values(vec!["a".into()])
        .unwrap();
    let error = array
        .check(&json!(["a", "b".repeat(256), 3]).into())
        .unwrap_err();
    let paths: Vec<String> = error
        .violations()
        .iter()
        .map(|v| v.field().to_string())
        .collect();
    assert_eq!(paths, ["1", "1", "2"]);
}

// ---- SPEC section 2: `customFields: []` and numbers by value ----

#[test]
fn an_empty_list_of_custom_fields_is_an_empty_object() {
    let request = UpsertRequest::parse("cus_1", br#"{"customFields": []}"#).unwrap();
    assert_eq!(request.custom_fields(), Some(&CustomFieldsPatch::new()));
    for wrong in [json!([1]), json!([{}]), json!([[]]), json!([null])] {
        assert_eq!(
            request_violations(&json!({ "customFields": wrong })),
            pairs(&[("customFields", "type")]),
            "{wrong}"
        );
    }
    let stored = Customer::parse(&stored_json(|c| {
        c.insert("customFields".into(), json!([]));
    }))
    .unwrap();
    assert!(stored.custom_fields().is_empty());
    // It renders back as an object.
    assert!(stored.to_json().contains(r#""customFields":{}"#));
    assert_eq!(
        stored_violations(&stored_json(|c| {
            c.insert("customFields".into(), json!(["x"]));
        })),
        pairs(&[("customFields", "type")])
    );
}

fn upsert(stored: &Customer, body: &str) -> UpsertOutcome {
    common::upsert(Some(stored), body, &context()).unwrap()
}

#[test]
fn numbers_are_equal_by_value_at_any_depth() {
    let stored = Customer::parse(&stored_json(|c| {
        c.insert(
            "customFields".into(),
            json!({"n": 1.0, "big": 10000000000.0, "o": {"x": [1, 2.0, {"y": -0.0}], "z": 2.5}}),
        );
    }))
    .unwrap();
    let outcome = upsert(
        &stored,
        r#"{"customFields": {"n": 1, "big": 1e10, "o": {"x": [1.0, 2, {"y": 0}], "z": 25e-1}}}"#,
    );
    assert!(
        matches!(outcome, UpsertOutcome::Unchanged(_)),
        "{outcome:?}"
    );
    assert_eq!(outcome.customer().revision(), 3);
    // What was stored is kept as it was written.
    assert_eq!(
        outcome
            .customer()
            .custom_fields()
            .get("n")
            .unwrap()
            .to_string(),
        "1.0"
    );

    // A different value is a change, at its own path.
    let outcome = upsert(&stored, r#"{"customFields": {"n": 1.5, "o": {"z": 2.5}}}"#);
    let changes: Vec<String> = outcome.changes().iter().map(ToString::to_string).collect();
    assert_eq!(changes, ["customFields.n"]);
    assert_eq!(outcome.customer().revision(), 4);
}

#[test]
fn numbers_compare_exactly_not_through_a_rounded_float() {
    let field = |text: &str| -> CustomFields { serde_json::from_str(text).unwrap() };
    assert_eq!(field(r#"{"n": 1}"#), field(r#"{"n": 1.0}"#));
    assert_eq!(field(r#"{"n": 0}"#), field(r#"{"n": -0.0}"#));
    assert_eq!(
        field(r#"{"n": 18446744073709551615}"#),
        field(r#"{"n": 18446744073709551615}"#)
    );
    // 2^53 + 1 is not the float 2^53, though `as f64` would make them equal.
    assert_ne!(
        field(r#"{"n": 9007199254740993}"#),
        field(r#"{"n": 9007199254740992.0}"#)
    );
    assert_ne!(
        field(r#"{"n": -1}"#),
        field(r#"{"n": 18446744073709551615}"#)
    );
    assert_ne!(field(r#"{"n": 1}"#), field(r#"{"n": "1"}"#));
    assert_ne!(field(r#"{"n": [1]}"#), field(r#"{"n": [1, 1]}"#));
    assert_ne!(field(r#"{"n": {"a": 1}}"#), field(r#"{"n": {"b": 1}}"#));
}

/// Found by fuzzing `stored_customer_bytes`: a leap second (`…:60`) read as the second after
/// `:59` rendered as `:59` and read back unequal. It is truncated like a fraction now.
#[test]
fn a_leap_second_reads_back_equal_after_a_render() {
    let bytes = stored_json(|c| {
        c.insert("createdTime".into(), json!("2026-01-01T00:00:60Z"));
    });
    let customer = Customer::parse(&bytes).unwrap();
    assert_eq!(customer.created_time().to_string(), "2026-01-01T00:00:59Z");
    let back = Customer::parse(customer.to_json().as_bytes()).unwrap();
    assert_eq!(back, customer);
}

#[test]
fn a_name_defined_twice_in_a_list_keeps_its_last_definition() {
    let definitions = CustomFieldDefinitions::parse(
        br#"[{"name": "a", "type": "string"}, {"name": "b", "type": "date"},
             {"name": "a", "type": "integer"}]"#,
    )
    .unwrap();
    assert_eq!(
        definitions.get("a").unwrap().field_type(),
        CustomFieldType::Integer
    );
    assert_eq!(definitions.iter().count(), 2);
}

#[test]
fn a_null_in_a_list_of_definitions_is_reported_once() {
    let Err(RequestError::Invalid(error)) =
        CustomFieldDefinitions::parse(br#"[null, {"name": "ok", "type": "string"}]"#)
    else {
        panic!("expected violations")
    };
    assert_eq!(fields_and_codes(&error), pairs(&[("0", "not_null")]));
}
