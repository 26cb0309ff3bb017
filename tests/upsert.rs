//! SPEC sections 3 and 4: every outcome of `Customer::apply_upsert`, the merge rules, revision
//! and timestamps, derived members, links, the contact hash and custom field definitions.

use rebilly_customer::*;
use serde_json::{Value, json};

mod common;
use common::{ID, at, context_at as context, fields_and_codes, pairs};

fn request(body: &Value) -> UpsertRequest {
    UpsertRequest::parse(ID, body.to_string().as_bytes()).unwrap()
}

#[track_caller]
fn upsert(
    stored: Option<&Customer>,
    body: &Value,
    context: &UpsertContext<'_>,
) -> Result<UpsertOutcome, UpsertError> {
    Customer::apply_upsert(stored.cloned(), request(body), context)
}

#[track_caller]
fn ok(stored: Option<&Customer>, body: &Value, context: &UpsertContext<'_>) -> UpsertOutcome {
    upsert(stored, body, context).unwrap()
}

#[track_caller]
fn invalid(
    stored: Option<&Customer>,
    body: &Value,
    context: &UpsertContext<'_>,
) -> Vec<(String, String)> {
    match upsert(stored, body, context) {
        Err(UpsertError::Invalid(error)) => fields_and_codes(&error),
        other => panic!("expected a 422, got {other:?}"),
    }
}

fn changes(outcome: &UpsertOutcome) -> Vec<String> {
    outcome.changes().iter().map(ToString::to_string).collect()
}

fn rendered(customer: &Customer) -> Value {
    serde_json::to_value(customer).unwrap()
}

/// A customer created at 10:00 from a full body.
fn created() -> Customer {
    let body = json!({
        "websiteId": "web_1",
        "defaultPaymentInstrument": {"method": "payment-card", "paymentInstrumentId": "inst_1"},
        "customFields": {"tier": "gold", "limits": {"daily": 10, "weekly": 50}},
        "primaryAddress": {
            "firstName": "John", "lastName": "Doe", "city": "Austin",
            "emails": [
                {"label": "main", "value": "john.doe@example.com", "primary": true},
                {"label": "work", "value": "jd@example.org"}
            ]
        }
    });
    ok(None, &body, &context("2026-11-26T10:00:00Z")).into_customer()
}

#[test]
fn create_then_the_same_body_again_is_unchanged() {
    let body = json!({"websiteId": "web_1", "primaryAddress": {"firstName": "Zoë"}});
    let first = ok(None, &body, &context("2026-11-26T10:00:00Z"));
    assert_eq!(first.status(), 201);
    assert!(matches!(first, UpsertOutcome::Created(_)), "{first:?}");
    let stored = first.into_customer();
    assert_eq!(stored.revision(), 0);
    assert_eq!(stored.created_time(), at("2026-11-26T10:00:00Z"));
    assert_eq!(stored.updated_time(), at("2026-11-26T10:00:00Z"));

    let second = ok(Some(&stored), &body, &context("2026-11-26T11:00:00Z"));
    assert_eq!(second.status(), 200);
    assert!(matches!(second, UpsertOutcome::Unchanged(_)), "{second:?}");
    assert!(second.changes().is_empty());
    assert_eq!(second.customer().revision(), 0);
    assert_eq!(second.customer().updated_time(), at("2026-11-26T10:00:00Z"));
    assert_eq!(second.customer(), &stored);
}

#[test]
fn create_takes_the_defaults_of_spec_section_3() {
    let context = context("2026-11-26T10:00:00.750Z")
        .with_reporting_currency(CurrencyCode::parse("EUR").unwrap());
    let outcome = ok(None, &json!({"websiteId": "web_1"}), &context);
    let body = rendered(outcome.customer());
    assert_eq!(
        outcome.location(),
        Some("https://api.rebilly.com/customers/cus_1")
    );
    assert_eq!(body["id"], "cus_1");
    assert_eq!(body["organizationId"], "org_1");
    assert_eq!(body["customFields"], json!({}));
    assert_eq!(body["isEddRequired"], false);
    assert_eq!(body["primaryAddress"], Value::Null);
    assert_eq!(body["defaultPaymentInstrument"], Value::Null);
    assert_eq!(body["email"], Value::Null);
    assert_eq!(body["firstName"], Value::Null);
    assert_eq!(body["revision"], 0);
    // Fractions of `now` are dropped.
    assert_eq!(body["createdTime"], "2026-11-26T10:00:00Z");
    assert_eq!(body["updatedTime"], "2026-11-26T10:00:00Z");
    assert_eq!(body["paymentCount"], 0);
    assert_eq!(body["invoiceCount"], 0);
    assert_eq!(body["lastPaymentTime"], Value::Null);
    assert_eq!(
        body["averageValue"],
        json!({"currency": "EUR", "amount": 0.0, "amountUsd": 0.0})
    );
    assert_eq!(
        body["lifetimeRevenue"],
        json!({"currency": "EUR", "amount": 0.0, "amountUsd": 0.0})
    );
    assert_eq!(body["tags"], json!([]));
    assert_eq!(body["hasFulfilledKyc"], false);
    assert_eq!(body["_embedded"], json!({}));
    assert!(body.get("paymentToken").is_none());
}

#[test]
fn a_change_bumps_the_revision_by_one_and_lists_the_changed_paths() {
    let stored = created();
    let body = json!({
        "websiteId": "web_2",
        "isEddRequired": true,
        "customFields": {"tier": "silver", "limits": {"daily": 10}},
        "primaryAddress": {"city": "London", "firstName": "John", "phoneNumbers": []}
    });
    let outcome = ok(Some(&stored), &body, &context("2026-11-26T12:00:00Z"));
    assert!(
        matches!(outcome, UpsertOutcome::Updated { .. }),
        "{outcome:?}"
    );
    assert_eq!(outcome.status(), 200);
    assert_eq!(outcome.location(), None);
    assert_eq!(
        changes(&outcome),
        [
            "websiteId",
            "customFields.tier",
            "primaryAddress.city",
            "isEddRequired"
        ]
    );
    let customer = outcome.customer();
    assert_eq!(customer.revision(), stored.revision() + 1);
    assert_eq!(customer.updated_time(), at("2026-11-26T12:00:00Z"));
    assert_eq!(customer.created_time(), stored.created_time());

    let again = ok(Some(customer), &body, &context("2026-11-26T13:00:00Z"));
    assert!(matches!(again, UpsertOutcome::Unchanged(_)), "{again:?}");
    assert_eq!(again.customer().revision(), 1);
}

#[test]
fn absent_keeps_null_clears_and_a_value_replaces() {
    let stored = created();
    // An empty body keeps everything.
    let outcome = ok(Some(&stored), &json!({}), &context("2026-11-26T12:00:00Z"));
    assert!(
        matches!(outcome, UpsertOutcome::Unchanged(_)),
        "{outcome:?}"
    );

    let outcome = ok(
        Some(&stored),
        &json!({"defaultPaymentInstrument": null, "primaryAddress": {"lastName": null}}),
        &context("2026-11-26T12:00:00Z"),
    );
    assert_eq!(
        changes(&outcome),
        ["defaultPaymentInstrument", "primaryAddress.lastName"]
    );
    let body = rendered(outcome.customer());
    assert_eq!(body["defaultPaymentInstrument"], Value::Null);
    assert_eq!(body["lastName"], Value::Null);
    assert_eq!(body["firstName"], "John");
    assert_eq!(body["primaryAddress"]["city"], "Austin");
}

#[test]
fn null_clears_the_contact_and_drops_its_hash() {
    let stored = created();
    let outcome = ok(
        Some(&stored),
        &json!({"primaryAddress": null}),
        &context("2026-11-26T12:00:00Z"),
    );
    assert_eq!(changes(&outcome), ["primaryAddress"]);
    let body = rendered(outcome.customer());
    assert_eq!(body["primaryAddress"], Value::Null);
    assert_eq!(body["email"], Value::Null);
    assert_eq!(body["firstName"], Value::Null);
    assert_eq!(body["lastName"], Value::Null);
    assert!(!body.to_string().contains("\"hash\""));
}

#[test]
fn a_patch_onto_no_contact_creates_one_even_when_empty() {
    let stored = ok(
        None,
        &json!({"websiteId": "web_1"}),
        &context("2026-11-26T10:00:00Z"),
    )
    .into_customer();
    let outcome = ok(
        Some(&stored),
        &json!({"primaryAddress": {}}),
        &context("2026-11-26T12:00:00Z"),
    );
    assert_eq!(changes(&outcome), ["primaryAddress"]);
    let body = rendered(outcome.customer());
    assert_eq!(
        body["primaryAddress"]["hash"],
        "bf21a9e8fbc5a3846fb05b4fa0859e0917b2202f"
    );
    let again = ok(
        Some(outcome.customer()),
        &json!({"primaryAddress": {}}),
        &context("2026-11-26T13:00:00Z"),
    );
    assert!(matches!(again, UpsertOutcome::Unchanged(_)), "{again:?}");
}

#[test]
fn lists_and_the_instrument_are_replaced_whole() {
    let stored = created();
    let outcome = ok(
        Some(&stored),
        &json!({"primaryAddress": {"emails": [{"label": "work", "value": "jd@example.org"}]}}),
        &context("2026-11-26T12:00:00Z"),
    );
    assert_eq!(changes(&outcome), ["primaryAddress.emails"]);
    let contact = outcome.customer().primary_address().unwrap();
    assert_eq!(contact.emails().items().len(), 1);
    assert_eq!(
        outcome.customer().email().unwrap().as_str(),
        "jd@example.org"
    );

    let outcome = ok(
        Some(&stored),
        &json!({"defaultPaymentInstrument": {"method": "cash"}}),
        &context("2026-11-26T12:00:00Z"),
    );
    assert_eq!(
        rendered(outcome.customer())["defaultPaymentInstrument"],
        json!({"method": "cash"})
    );
    // Without an instrument id there is no instrument link.
    assert_eq!(
        outcome.customer().link(LinkRel::DefaultPaymentInstrument),
        None
    );
}

#[test]
fn two_primaries_are_refused_whatever_the_merge() {
    let stored = created();
    let body = json!({"primaryAddress": {"emails": [
        {"label": "a", "value": "a@example.com", "primary": true},
        {"label": "b", "value": "b@example.com", "primary": true}
    ]}});
    let error = UpsertRequest::parse(ID, body.to_string().as_bytes()).unwrap_err();
    let RequestError::Invalid(error) = error else {
        panic!()
    };
    assert_eq!(error.violations()[0].field(), "primaryAddress.emails");
    assert_eq!(error.codes(), [ErrorCode::MultiplePrimary]);
    // The stored list is replaced whole, so its primary cannot add to the new one's.
    let outcome = ok(
        Some(&stored),
        &json!({"primaryAddress": {"emails": [{"label": "b", "value": "b@example.com", "primary": true}]}}),
        &context("2026-11-26T12:00:00Z"),
    );
    let emails = outcome.customer().primary_address().unwrap().emails();
    assert_eq!(emails.items().iter().filter(|e| e.is_primary()).count(), 1);
}

#[test]
fn custom_fields_merge_as_rfc_7396_and_null_deletes() {
    let stored = created();
    let outcome = ok(
        Some(&stored),
        &json!({"customFields": {"tier": null, "limits": {"weekly": null, "monthly": 200}, "new": [1, null]}}),
        &context("2026-11-26T12:00:00Z"),
    );
    assert_eq!(
        changes(&outcome),
        // By name, as the resource renders them.
        [
            "customFields.limits",
            "customFields.new",
            "customFields.tier"
        ]
    );
    let fields = rendered(outcome.customer())["customFields"].clone();
    assert_eq!(
        fields,
        json!({"limits": {"daily": 10, "monthly": 200}, "new": [1, null]})
    );
    assert_eq!(outcome.customer().custom_fields().get("tier"), None);

    // Deleting a field that is not there changes nothing.
    let outcome = ok(
        Some(&stored),
        &json!({"customFields": {"absent": null}}),
        &context("2026-11-26T12:00:00Z"),
    );
    assert!(
        matches!(outcome, UpsertOutcome::Unchanged(_)),
        "{outcome:?}"
    );
}

#[test]
fn expected_revision_conflicts() {
    let stored = created();
    let conflict = |stored: Option<&Customer>, revision| match upsert(
        stored,
        &json!({"websiteId": "web_1"}),
        &context("2026-11-26T12:00:00Z").with_expected_revision(revision),
    ) {
        Err(UpsertError::Conflict(conflict)) => conflict,
        other => panic!("expected a 409, got {other:?}"),
    };
    let mismatch = conflict(Some(&stored), 1);
    assert_eq!(mismatch.expected_revision(), Some(1));
    assert_eq!(mismatch.stored_revision(), Some(0));
    let problem = Problem::from(UpsertError::Conflict(mismatch));
    assert_eq!(
        problem.to_json(),
        r#"{"type":"about:blank","title":"Conflict","status":409,"detail":"expected revision 1, but the stored revision is 0"}"#
    );

    let nothing = conflict(None, 0);
    assert_eq!(nothing.stored_revision(), None);
    assert_eq!(
        nothing.to_string(),
        "expected revision 0, but no customer is stored"
    );

    let matching = upsert(
        Some(&stored),
        &json!({"isEddRequired": true}),
        &context("2026-11-26T12:00:00Z").with_expected_revision(0),
    );
    assert_eq!(matching.unwrap().customer().revision(), 1);
}

#[test]
fn the_409_comes_before_the_upsert_level_422s() {
    let resolver = RefuseAllTokens;
    let context = context("2026-11-26T12:00:00Z")
        .with_expected_revision(5)
        .with_token_resolver(&resolver);
    let outcome = upsert(None, &json!({"paymentToken": "tok_1"}), &context);
    assert!(matches!(outcome, Err(UpsertError::Conflict(_))));
}

fn token_resolver(token: &PaymentToken) -> Result<PaymentInstrument, TokenRejection> {
    match token.expose_secret() {
        "tok_paypal" => Ok(serde_json::from_str(
            r#"{"method": "paypal", "paymentInstrumentId": "inst pp/1"}"#,
        )
        .unwrap()),
        "tok_leaky" => Err(TokenRejection::new("tok_leaky has expired")),
        _ => Err(TokenRejection::new("the token has expired")),
    }
}

#[test]
fn the_token_instrument_wins_over_the_body_instrument() {
    let stored = created();
    let context = context("2026-11-26T12:00:00Z").with_token_resolver(&token_resolver);
    let outcome = ok(
        Some(&stored),
        &json!({"paymentToken": "tok_paypal", "defaultPaymentInstrument": {"method": "cash"}}),
        &context,
    );
    assert_eq!(changes(&outcome), ["defaultPaymentInstrument"]);
    let customer = outcome.customer();
    assert_eq!(
        customer.default_payment_instrument().unwrap().method(),
        Some(PaymentMethod::Paypal)
    );
    assert_eq!(
        customer.link(LinkRel::DefaultPaymentInstrument),
        Some("https://api.rebilly.com/payment-instruments/inst%20pp%2F1")
    );
    let body = rendered(customer).to_string();
    assert!(!body.contains("tok_paypal"), "the token is never rendered");
}

#[test]
fn a_refused_token_is_a_422_on_payment_token_that_never_shows_it() {
    let stored = created();
    let context = context("2026-11-26T12:00:00Z").with_token_resolver(&token_resolver);
    assert_eq!(
        invalid(
            Some(&stored),
            &json!({"paymentToken": "tok_expired"}),
            &context
        ),
        pairs(&[("paymentToken", "token_rejected")])
    );
    let Err(error) = upsert(
        Some(&stored),
        &json!({"paymentToken": "tok_leaky"}),
        &context,
    ) else {
        panic!()
    };
    let problem = Problem::from(error).to_json();
    assert!(!problem.contains("tok_leaky"), "{problem}");
    assert!(problem.contains("payment token was refused: the resolver refused it"));

    // Without a resolver every token is refused.
    let outcome = invalid(
        Some(&stored),
        &json!({"paymentToken": "tok_paypal"}),
        &super_context(),
    );
    assert_eq!(outcome, pairs(&[("paymentToken", "token_rejected")]));
}

fn super_context() -> UpsertContext<'static> {
    context("2026-11-26T12:00:00Z")
}

#[test]
fn website_id_on_create_comes_from_the_body_else_the_default_else_422() {
    let website = |outcome: &UpsertOutcome| outcome.customer().website_id().as_str().to_owned();
    let with_default = context("2026-11-26T10:00:00Z")
        .with_default_website(WebsiteId::parse("web_default").unwrap());

    assert_eq!(
        website(&ok(None, &json!({"websiteId": "web_body"}), &with_default)),
        "web_body"
    );
    assert_eq!(website(&ok(None, &json!({}), &with_default)), "web_default");
    assert_eq!(
        invalid(None, &json!({}), &context("2026-11-26T10:00:00Z")),
        pairs(&[("websiteId", "required")])
    );

    // The default applies on create only.
    let stored = created();
    let outcome = ok(Some(&stored), &json!({}), &with_default);
    assert_eq!(website(&outcome), "web_1");
    assert!(
        matches!(outcome, UpsertOutcome::Unchanged(_)),
        "{outcome:?}"
    );
}

#[test]
fn missing_website_and_refused_token_are_reported_together() {
    let context = context("2026-11-26T10:00:00Z").with_token_resolver(&token_resolver);
    assert_eq!(
        invalid(None, &json!({"paymentToken": "tok_expired"}), &context),
        pairs(&[
            ("websiteId", "required"),
            ("paymentToken", "token_rejected")
        ])
    );
}

#[test]
fn updated_time_never_goes_backwards() {
    let stored = created();
    let outcome = ok(
        Some(&stored),
        &json!({"isEddRequired": true}),
        &context("2020-01-01T00:00:00Z"),
    );
    assert_eq!(outcome.customer().revision(), 1);
    assert_eq!(outcome.customer().updated_time(), stored.updated_time());
    assert_eq!(outcome.customer().created_time(), stored.created_time());
}

#[test]
fn sending_back_what_was_read_changes_nothing() {
    let stored = created();
    let body = rendered(&stored);
    let outcome = ok(Some(&stored), &body, &context("2026-11-26T12:00:00Z"));
    assert!(
        matches!(outcome, UpsertOutcome::Unchanged(_)),
        "{outcome:?}"
    );
    assert_eq!(outcome.customer(), &stored);
}

#[test]
fn unchanged_is_decided_on_the_stored_form() {
    let stored = created();
    let body = json!({"primaryAddress": {
        "firstName": "Jo\u{68}n",
        "emails": [
            {"label": "main", "value": "john.doe@EXAMPLE.com", "primary": true},
            {"label": "work", "value": "jd@example.org", "primary": false}
        ]
    }});
    assert_eq!(
        ok(Some(&stored), &body, &context("2026-11-26T12:00:00Z")).as_str(),
        "unchanged"
    );

    let nfd = json!({"websiteId": "web_1", "primaryAddress": {"firstName": "Jose\u{301}"}});
    let nfc = json!({"primaryAddress": {"firstName": "Jos\u{e9}"}});
    let created = ok(None, &nfd, &context("2026-11-26T10:00:00Z")).into_customer();
    let again = ok(Some(&created), &nfc, &context("2026-11-26T12:00:00Z"));
    assert!(matches!(again, UpsertOutcome::Unchanged(_)), "{again:?}");
}

#[test]
fn derived_members_follow_the_contact() {
    let stored = created();
    let body = rendered(&stored);
    assert_eq!(body["email"], "john.doe@example.com");
    assert_eq!(body["firstName"], "John");
    assert_eq!(body["lastName"], "Doe");

    // No primary: the first email.
    let outcome = ok(
        Some(&stored),
        &json!({"primaryAddress": {"emails": [
            {"label": "a", "value": "first@example.com"},
            {"label": "b", "value": "second@example.com"}
        ]}}),
        &context("2026-11-26T12:00:00Z"),
    );
    assert_eq!(rendered(outcome.customer())["email"], "first@example.com");

    // A primary later in the list wins over the first.
    let outcome = ok(
        Some(&stored),
        &json!({"primaryAddress": {"emails": [
            {"label": "a", "value": "first@example.com"},
            {"label": "b", "value": "second@example.com", "primary": true}
        ]}}),
        &context("2026-11-26T12:00:00Z"),
    );
    assert_eq!(rendered(outcome.customer())["email"], "second@example.com");

    // No emails: null.
    let outcome = ok(
        Some(&stored),
        &json!({"primaryAddress": {"emails": []}}),
        &context("2026-11-26T12:00:00Z"),
    );
    assert_eq!(rendered(outcome.customer())["email"], Value::Null);
}

#[test]
fn the_hash_vectors_of_spec_section_4_come_out_of_the_upsert() {
    let vectors = [
        (json!({}), "bf21a9e8fbc5a3846fb05b4fa0859e0917b2202f"),
        (
            json!({"firstName": null, "lastName": null, "emails": [], "phoneNumbers": []}),
            "bf21a9e8fbc5a3846fb05b4fa0859e0917b2202f",
        ),
        (
            json!({"firstName": "Jose\u{301}", "lastName": "Doe"}),
            "b59abba148d1743f266a05486dc034c4a2b27db5",
        ),
        (
            json!({"firstName": "John", "lastName": "Doe", "emails": [
                {"label": "main", "value": "john.doe@example.com", "primary": true},
                {"label": "work", "value": "jd@example.org"}
            ]}),
            "6e6b73c49bce4417c200d36440f9226ad518f098",
        ),
        (
            json!({
                "firstName": "Benjamin", "lastName": "Franklin", "organization": "Rebilly",
                "address": "36 Craven St", "city": "Austin", "region": "Texas", "country": "GB",
                "postalCode": "WC2N 5NF", "dob": "1980-04-01", "jobTitle": "CEO",
                "emails": [{"label": "main", "value": "rebilly@example.com", "primary": true}],
                "phoneNumbers": [{"label": "main", "value": "1-512-777-0269", "primary": true}]
            }),
            "21e123432909c0c8c687bfe47989f383e0e7fd5b",
        ),
    ];
    for (contact, hash) in vectors {
        let outcome = ok(
            None,
            &json!({"websiteId": "web_1", "primaryAddress": contact}),
            &context("2026-11-26T10:00:00Z"),
        );
        assert_eq!(
            rendered(outcome.customer())["primaryAddress"]["hash"],
            hash,
            "{contact}"
        );
    }
}

#[test]
fn links_are_recomputed_with_percent_encoded_ids() {
    let context = context("2026-11-26T10:00:00Z")
        .with_base_url(BaseUrl::from_static("https://api.example.com/v1/"));
    let outcome = ok(
        None,
        &json!({"websiteId": "web 1/é?", "defaultPaymentInstrument": {"method": "ach", "paymentInstrumentId": "inst#1"}}),
        &context,
    );
    assert_eq!(
        rendered(outcome.customer())["_links"],
        json!([
            {"rel": "self", "href": "https://api.example.com/v1/customers/cus_1"},
            {"rel": "website", "href": "https://api.example.com/v1/websites/web%201%2F%C3%A9%3F"},
            {"rel": "defaultPaymentInstrument", "href": "https://api.example.com/v1/payment-instruments/inst%231"}
        ])
    );
    assert_eq!(
        outcome.location(),
        Some("https://api.example.com/v1/customers/cus_1")
    );

    // A stored customer's derived links follow the new base; relations the crate cannot derive
    // are kept as stored.
    let mut stored = rendered(outcome.customer());
    stored["_links"] = json!([
        {"rel": "self", "href": "https://old.example.com/customers/cus_1"},
        {"rel": "leadSource", "href": "https://old.example.com/customers/cus_1/lead-source"}
    ]);
    let stored: Customer = serde_json::from_value(stored).unwrap();
    let outcome = ok(Some(&stored), &json!({}), &super_context());
    assert!(
        matches!(outcome, UpsertOutcome::Unchanged(_)),
        "{outcome:?}"
    );
    let links: Vec<(&str, &str)> = outcome
        .customer()
        .links()
        .iter()
        .map(|l| (l.rel_name(), l.href()))
        .collect();
    assert_eq!(
        links,
        [
            ("self", "https://api.rebilly.com/customers/cus_1"),
            (
                "website",
                "https://api.rebilly.com/websites/web%201%2F%C3%A9%3F"
            ),
            (
                "defaultPaymentInstrument",
                "https://api.rebilly.com/payment-instruments/inst%231"
            ),
            (
                "leadSource",
                "https://old.example.com/customers/cus_1/lead-source"
            ),
        ]
    );
}

#[test]
fn a_stored_customer_of_another_id_is_refused() {
    // The id comes from the request (its path); a store that hands over another customer has a
    // bug, and writing over that one would lose it.
    let stored = created();
    let request_for_other = UpsertRequest::parse("cus_2", b"{}").unwrap();
    let outcome = Customer::apply_upsert(Some(stored), request_for_other, &super_context());
    let Err(UpsertError::Invalid(error)) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(error.violations()[0].field(), "id");
    assert_eq!(error.codes(), [ErrorCode::IdMismatch]);
}

#[test]
fn a_revision_at_its_maximum_cannot_grow() {
    let mut stored = rendered(&created());
    stored["revision"] = json!(u64::MAX);
    let stored: Customer = serde_json::from_value(stored).unwrap();
    let outcome = upsert(
        Some(&stored),
        &json!({"isEddRequired": true}),
        &super_context(),
    );
    let Err(UpsertError::Conflict(conflict)) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(conflict.stored_revision(), Some(u64::MAX));
    // Nothing to change: still fine.
    assert!(upsert(Some(&stored), &json!({}), &super_context()).is_ok());
}

// Custom field definitions.

fn definitions() -> CustomFieldDefinitions {
    serde_json::from_value(json!([
        {"name": "tags", "type": "array", "additionalSchema": {"allowedValues": ["a", "b", "é"]}},
        {"name": "free-list", "type": "array"},
        {"name": "vip", "type": "boolean"},
        {"name": "birthday", "type": "date"},
        {"name": "seen", "type": "datetime"},
        {"name": "count", "type": "integer"},
        {"name": "score", "type": "number"},
        {"name": "note", "type": "string"},
        {"name": "code", "type": "string", "additionalSchema": {"maxLength": 3}},
        {"name": "tier", "type": "string", "additionalSchema": {"allowedValues": ["gold", "silver"]}},
        {"name": "budget", "type": "monetary", "description": "ignored"}
    ]))
    .unwrap()
}

#[track_caller]
fn field_codes(fields: Value) -> Vec<(String, String)> {
    let definitions = definitions();
    let context = context("2026-11-26T10:00:00Z").with_custom_field_definitions(&definitions);
    match upsert(
        None,
        &json!({"websiteId": "web_1", "customFields": fields}),
        &context,
    ) {
        Ok(_) => vec![],
        Err(UpsertError::Invalid(error)) => error
            .violations()
            .iter()
            .map(|v| (v.field().to_string(), v.code().as_str().to_owned()))
            .collect(),
        Err(other) => panic!("{other:?}"),
    }
}

#[test]
fn valid_custom_field_values_pass_their_definitions() {
    let fields = json!({
        "tags": ["a", "e\u{301}"],
        "free-list": ["x".repeat(255)],
        "vip": false,
        "birthday": "2024-02-29",
        "seen": "2026-11-26T10:00:00+02:00",
        "count": 2147483647,
        "score": -1.5,
        "note": "ë".repeat(255),
        "code": "ab\u{e9}",
        "tier": "gold",
        "budget": {"currency": "EUR", "amount": 25.30}
    });
    assert_eq!(field_codes(fields), vec![]);
    assert_eq!(
        field_codes(json!({"count": -2147483648_i64, "score": 3})),
        vec![]
    );
    assert_eq!(field_codes(json!({"count": 5.0})), vec![]);
}

#[test]
fn each_custom_field_type_refuses_what_it_is_not() {
    let cases = [
        (json!({"tags": "a"}), "customFields.tags"),
        (json!({"tags": ["c"]}), "customFields.tags.0"),
        (json!({"tags": ["a", 1]}), "customFields.tags.1"),
        (
            json!({"free-list": ["x".repeat(256)]}),
            "customFields.free-list.0",
        ),
        (
            json!({"free-list": vec!["x"; 1001]}),
            "customFields.free-list",
        ),
        (json!({"vip": "true"}), "customFields.vip"),
        (json!({"birthday": "2023-02-29"}), "customFields.birthday"),
        (json!({"birthday": "2024-2-9"}), "customFields.birthday"),
        (json!({"seen": "2026-11-26"}), "customFields.seen"),
        (json!({"count": 2147483648_i64}), "customFields.count"),
        (json!({"count": -2147483649_i64}), "customFields.count"),
        (json!({"count": 1.5}), "customFields.count"),
        (json!({"count": "1"}), "customFields.count"),
        (json!({"score": "1"}), "customFields.score"),
        (json!({"note": "ë".repeat(256)}), "customFields.note"),
        (json!({"code": "abcd"}), "customFields.code"),
        (json!({"tier": "bronze"}), "customFields.tier"),
        (json!({"budget": 25}), "customFields.budget"),
        (
            json!({"budget": {"currency": "eur", "amount": 1}}),
            "customFields.budget.currency",
        ),
        (
            json!({"budget": {"currency": "EUR", "amount": "1"}}),
            "customFields.budget.amount",
        ),
        (
            json!({"budget": {"currency": "EUR"}}),
            "customFields.budget.amount",
        ),
        (
            json!({"budget": {"currency": "EUR", "amount": 1, "x": 1}}),
            "customFields.budget.x",
        ),
        (json!({"unknown": 1}), "customFields.unknown"),
    ];
    for (fields, path) in cases {
        assert_eq!(
            field_codes(fields.clone()),
            pairs(&[(path, "custom_field")]),
            "{fields}"
        );
    }
}

#[test]
fn custom_field_messages_name_the_rule_not_the_value() {
    let definitions = definitions();
    let context = context("2026-11-26T10:00:00Z").with_custom_field_definitions(&definitions);
    let Err(UpsertError::Invalid(error)) = upsert(
        None,
        &json!({"websiteId": "web_1", "customFields": {"code": "secret", "tier": "private", "nope": "hidden"}}),
        &context,
    ) else {
        panic!()
    };
    let messages: Vec<String> = error
        .violations()
        .iter()
        .map(|v| v.message().to_string())
        .collect();
    assert_eq!(
        messages,
        [
            "must be at most 3 characters, got 6",
            "no custom field of this name is defined",
            "must be one of the 2 allowed values",
        ]
    );
    let json = Problem::from(error).to_json();
    for value in ["secret", "private", "hidden"] {
        assert!(!json.contains(value));
    }
}

#[test]
fn definitions_judge_the_merged_value_and_let_any_field_be_deleted() {
    let definitions = definitions();
    let context = context("2026-11-26T10:00:00Z").with_custom_field_definitions(&definitions);
    let stored = ok(
        None,
        &json!({"websiteId": "web_1", "customFields": {"budget": {"currency": "EUR", "amount": 1}}}),
        &context,
    )
    .into_customer();
    // A partial monetary patch is judged merged: the stored currency completes it.
    let outcome = ok(
        Some(&stored),
        &json!({"customFields": {"budget": {"amount": 2}}}),
        &context,
    );
    assert_eq!(changes(&outcome), ["customFields.budget"]);
    // Removing a required member of the merged value is refused.
    let codes = invalid(
        Some(&stored),
        &json!({"customFields": {"budget": {"currency": null}}}),
        &context,
    );
    assert_eq!(
        codes,
        pairs(&[("customFields.budget.currency", "custom_field")])
    );
    // A field without a definition may still be deleted.
    let outcome = ok(
        Some(&stored),
        &json!({"customFields": {"retired": null}}),
        &context,
    );
    assert!(
        matches!(outcome, UpsertOutcome::Unchanged(_)),
        "{outcome:?}"
    );
}

#[test]
fn without_definitions_any_custom_field_is_accepted() {
    let outcome = ok(
        None,
        &json!({"websiteId": "web_1", "customFields": {"anything": {"deep": [1]}}}),
        &super_context(),
    );
    assert_eq!(outcome.customer().custom_fields().len(), 1);
}

#[test]
fn definition_documents_are_checked() {
    let error = |document: Value| -> Vec<(String, String)> {
        CustomFieldDefinitions::from_json(&document)
            .unwrap_err()
            .violations()
            .iter()
            .map(|v| (v.field().to_string(), v.code().as_str().to_owned()))
            .collect()
    };
    assert_eq!(
        error(json!([{"name": "x"}])),
        pairs(&[("0.type", "required")])
    );
    assert_eq!(
        error(json!([{"name": "x", "type": "float"}])),
        pairs(&[("0.type", "pattern")])
    );
    assert_eq!(
        error(json!([{"type": "string"}])),
        pairs(&[("0.name", "type")])
    );
    assert_eq!(
        error(json!([{"name": "bad name", "type": "string"}])),
        pairs(&[("0.name", "pattern")])
    );
    assert_eq!(
        error(json!({"n": {"type": "boolean", "additionalSchema": {"allowedValues": ["x"]}}})),
        pairs(&[("n.additionalSchema.allowedValues", "custom_field")])
    );
    assert_eq!(
        error(json!({"n": {"type": "string", "additionalSchema": {"maxLength": 4001}}})),
        pairs(&[("n.additionalSchema.maxLength", "custom_field")])
    );
    assert_eq!(error(json!("x")), pairs(&[("", "type")]));
    let ok = CustomFieldDefinitions::from_json(
        &json!({"n": {"type": "string", "additionalSchema": {"maxLength": 4000}}}),
    )
    .unwrap();
    assert_eq!(ok.get("n").unwrap().max_length(), Some(4000));
    assert_eq!(ok.get("n").unwrap().field_type(), CustomFieldType::String);
}

/// A store that applies write plans as a database would: a compare-and-set per customer.
#[derive(Default)]
struct Store(std::collections::HashMap<String, Customer>);

impl Store {
    /// Applies `outcome`'s plan; `Err` with the 409 when the plan no longer holds.
    fn write(&mut self, outcome: &UpsertOutcome) -> Result<(), Problem> {
        let customer = outcome.customer();
        let key = customer.id().as_str().to_owned();
        let stored_now = self.0.get(&key).map(Customer::revision);
        let plan = outcome.write_plan();
        let lost = || Problem::from(UpsertError::from(Conflict::lost_race(plan, stored_now)));
        match plan {
            WritePlan::InsertIfAbsent if stored_now.is_none() => {}
            WritePlan::UpdateIfRevision { read_revision } if stored_now == Some(read_revision) => {}
            WritePlan::InsertIfAbsent | WritePlan::UpdateIfRevision { .. } => return Err(lost()),
            WritePlan::Nothing => return Ok(()),
            _ => unreachable!("every plan is handled"),
        }
        self.0.insert(key, customer.clone());
        Ok(())
    }
}

#[test]
fn of_two_writers_that_read_the_same_revision_only_one_wins_and_the_other_can_retry() {
    let context = context("2026-11-26T10:00:00Z");
    let mut store = Store::default();
    let created = ok(None, &json!({"websiteId": "web_1"}), &context);
    store.write(&created).unwrap();
    // Two creates of one id: the second insert finds a row.
    assert_eq!(
        store.write(&created).unwrap_err().detail().to_string(),
        "another write created the customer first"
    );

    let read = store.0["cus_1"].clone();
    let first = ok(Some(&read), &json!({"customFields": {"a": 1}}), &context);
    let second = ok(Some(&read), &json!({"customFields": {"b": 2}}), &context);
    assert_eq!(
        first.write_plan(),
        WritePlan::UpdateIfRevision { read_revision: 0 }
    );
    store.write(&first).unwrap();
    let lost = store.write(&second).unwrap_err();
    assert_eq!(lost.status(), 409);
    assert_eq!(
        lost.detail().to_string(),
        "another write stored revision 1 after revision 0 was read"
    );

    // The loser retries on the fresh state: both changes are kept.
    let fresh = store.0["cus_1"].clone();
    let retried = ok(Some(&fresh), &json!({"customFields": {"b": 2}}), &context);
    store.write(&retried).unwrap();
    let kept = &store.0["cus_1"];
    assert_eq!(kept.revision(), 2);
    assert_eq!(kept.custom_fields().get("a").unwrap(), &json!(1));
    assert_eq!(kept.custom_fields().get("b").unwrap(), &json!(2));

    // Unchanged writes nothing, so it cannot lose.
    let same = ok(Some(kept), &json!({"customFields": {"b": 2}}), &context);
    assert_eq!(same.write_plan(), WritePlan::Nothing);
    store.write(&same).unwrap();
}

#[test]
fn a_token_resolved_before_the_upsert_is_used_instead_of_the_resolver() {
    let body = json!({"websiteId": "web_1", "paymentToken": "tok_1"});
    let refusing = |_: &PaymentToken| Err(TokenRejection::new("the resolver is not asked"));
    let resolved = context("2026-11-26T10:00:00Z")
        .with_token_resolver(&refusing)
        .with_resolved_token(Ok(PaymentInstrument::check(Some("chk 7"))));
    let created = ok(None, &body, &resolved);
    assert_eq!(
        created.customer().default_payment_instrument(),
        Some(&PaymentInstrument::check(Some("chk 7")))
    );

    let rejected = context("2026-11-26T10:00:00Z")
        .with_resolved_token(Err(TokenRejection::new("the vault says it expired")));
    let Err(UpsertError::Invalid(error)) = Customer::apply_upsert(None, request(&body), &rejected)
    else {
        panic!("a rejected token is a 422")
    };
    assert_eq!(error.violations()[0].field(), "paymentToken");
    assert_eq!(error.violations()[0].code(), ErrorCode::TokenRejected);

    // Without a token in the request, a resolution is ignored.
    let no_token = ok(None, &json!({"websiteId": "web_1"}), &resolved);
    assert_eq!(no_token.customer().default_payment_instrument(), None);
}

#[test]
fn a_clock_reading_is_a_timestamp_to_the_second() {
    let reading = std::time::UNIX_EPOCH + std::time::Duration::new(1_764_151_200, 999_999_999);
    assert_eq!(Timestamp::from(reading), at("2025-11-26T10:00:00Z"));
    let context = UpsertContext::new(
        std::time::SystemTime::now(),
        OrganizationId::from_static("org_1"),
    );
    assert!(context.now() > at("2026-01-01T00:00:00Z"));
}

#[test]
fn an_if_match_in_the_context_is_judged_before_the_expected_revision() {
    let stored = created();
    let etag = stored.etag();
    // A stale tag: 412 even though the expected revision would also fail (409).
    let stale = context("2026-11-26T12:00:00Z")
        .with_if_match(IfMatch::from_header("\"7\""))
        .with_expected_revision(9);
    let outcome = Customer::apply_upsert(Some(stored.clone()), request(&json!({})), &stale);
    let Err(UpsertError::PreconditionFailed(failed)) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(failed.etag(), Some(etag.clone()));
    assert_eq!(failed.stored_revision(), Some(stored.revision()));
    // The 412 reads back as itself, with or without a stored customer.
    for failed in [
        failed,
        IfMatch::from_header("*")
            .expected_revision(None)
            .unwrap_err(),
    ] {
        let problem = Problem::from(failed);
        assert_eq!(
            (problem.status(), problem.title()),
            (412, "Precondition Failed")
        );
        assert_eq!(
            Problem::parse(problem.to_json().as_bytes()).unwrap(),
            problem
        );
    }
    // The tag of the stored revision holds; the expected revision is then judged (409).
    let current = context("2026-11-26T12:00:00Z")
        .with_if_match(IfMatch::from_header(&etag))
        .with_expected_revision(9);
    let outcome = Customer::apply_upsert(Some(stored), request(&json!({})), &current);
    assert!(
        matches!(outcome, Err(UpsertError::Conflict(_))),
        "{outcome:?}"
    );
}

#[test]
fn if_none_match_in_the_context_creates_only_what_is_absent() {
    let create_only =
        context("2026-11-26T12:00:00Z").with_if_none_match(IfNoneMatch::from_header("*"));
    let outcome =
        Customer::apply_upsert(None, request(&json!({"websiteId": "web_1"})), &create_only);
    assert!(
        matches!(outcome, Ok(UpsertOutcome::Created(_))),
        "{outcome:?}"
    );
    let stored = outcome.unwrap().into_customer();
    let outcome = Customer::apply_upsert(Some(stored.clone()), request(&json!({})), &create_only);
    let Err(UpsertError::PreconditionFailed(failed)) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(failed.etag(), Some(stored.etag()));
}
