//! SPEC section 8: the two revisions. Each 2026-08 rule at its edges, the same inputs under
//! 2023-01 where the answer differs, the upsert of the new members, records moved between
//! revisions, and clients that send back what they read.

use std::collections::HashMap;

use rebilly_customer::*;
use serde_json::{Value, json};

mod common;
use common::pairs;

const ID: &str = "cus_1";
const NEW: Contract = Contract::Rebilly2026_08;
const SEED: Contract = Contract::Seed2023_01;

fn options(contract: Contract) -> ParseOptions {
    ParseOptions::new().with_contract(contract)
}

fn parse(contract: Contract, body: &Value) -> Result<UpsertRequest, RequestError> {
    UpsertRequest::parse_with(ID, body.to_string().as_bytes(), options(contract))
}

/// The `(field, code)` pairs of a refused body, in order; empty when it is accepted.
#[track_caller]
fn verdict(contract: Contract, body: &Value) -> Vec<(String, String)> {
    match parse(contract, body) {
        Ok(_) => Vec::new(),
        Err(RequestError::Invalid(error)) => error
            .violations()
            .iter()
            .map(|v| (v.field().to_string(), v.code().as_str().to_owned()))
            .collect(),
        Err(other) => panic!("not a 422: {other}"),
    }
}

/// The `(field, code)` of each violation, in order.
fn codes(error: &ValidationError) -> Vec<(String, ErrorCode)> {
    error
        .violations()
        .iter()
        .map(|v| (v.field().to_string(), v.code()))
        .collect()
}

fn context(contract: Contract) -> UpsertContext<'static> {
    common::context().with_contract(contract)
}

#[track_caller]
fn upsert(
    stored: Option<&Customer>,
    body: &Value,
    context: &UpsertContext<'_>,
) -> Result<UpsertOutcome, UpsertError> {
    let request = parse(context.contract(), body).unwrap();
    Customer::apply_upsert(stored.cloned(), request, context)
}

const FIVE_NAMES: [&str; 5] = ["अनुराग", "สมศักดิ์", "مُحَمَّد", "முருகன்", "יִצְחָק"];

#[test]
fn names_with_combining_marks_are_2026_names_and_not_2023_ones() {
    for name in FIVE_NAMES {
        for member in ["firstName", "lastName", "city", "organization", "address"] {
            let body = json!({"primaryAddress": {member: name}});
            assert_eq!(verdict(NEW, &body), pairs(&[]), "{member} {name}");
            let field = format!("primaryAddress.{member}");
            assert_eq!(
                verdict(SEED, &body),
                pairs(&[(&field, "pattern")]),
                "{member} {name}"
            );
        }
        assert_eq!(ContactName::parse_for(name, NEW).unwrap().as_str(), name);
        assert!(ContactName::parse(name).is_err());
    }
}

#[test]
fn astral_letters_are_2023_names_and_not_2026_ones() {
    for name in ["𠮷", "\u{1D400}", "ab𠮷"] {
        for member in ["firstName", "region", "jobTitle", "address2"] {
            let body = json!({"primaryAddress": {member: name}});
            let field = format!("primaryAddress.{member}");
            assert_eq!(verdict(NEW, &body), pairs(&[(&field, "pattern")]), "{name}");
            assert_eq!(verdict(SEED, &body), pairs(&[]), "{name}");
        }
    }
    // An astral character that is no letter is refused by both.
    let body = json!({"primaryAddress": {"firstName": "a😀"}});
    assert_eq!(
        verdict(NEW, &body),
        pairs(&[("primaryAddress.firstName", "pattern")])
    );
    assert_eq!(
        verdict(SEED, &body),
        pairs(&[("primaryAddress.firstName", "pattern")])
    );
}

#[test]
fn empty_text_nul_and_punctuation_at_the_class_edges() {
    let body = json!({"primaryAddress": {"firstName": ""}});
    for contract in Contract::ALL {
        assert_eq!(
            verdict(contract, &body),
            pairs(&[("primaryAddress.firstName", "empty")])
        );
    }
    // U+0000 and U+FFFF are the ends of the BMP range; `!` and `@` are outside every 2023 class.
    for text in ["\u{0}", "a\u{FFFF}", "R2-D2!", "a@b", "\u{0301}"] {
        let body = json!({"primaryAddress": {"lastName": text, "jobTitle": text}});
        assert_eq!(verdict(NEW, &body), pairs(&[]), "{text:?}");
        // `json!` writes members in name order.
        assert_eq!(
            verdict(SEED, &body),
            pairs(&[
                ("primaryAddress.jobTitle", "pattern"),
                ("primaryAddress.lastName", "pattern")
            ]),
            "{text:?}"
        );
    }
    // Postal code and country keep their 2023 rules.
    let body = json!({"primaryAddress": {"postalCode": "é1", "country": "ZZ"}});
    assert_eq!(
        verdict(NEW, &body),
        pairs(&[
            ("primaryAddress.country", "unknown_country"),
            ("primaryAddress.postalCode", "pattern")
        ])
    );
}

#[test]
fn lengths_are_unchanged_and_counted_in_code_points_under_2026() {
    let at_limit = "ज".repeat(45);
    let over = "ज".repeat(46);
    let body = json!({"primaryAddress": {"firstName": at_limit, "city": over}});
    assert_eq!(
        verdict(NEW, &body),
        pairs(&[("primaryAddress.city", "too_long")])
    );
    let organization = "€".repeat(256);
    let body = json!({"primaryAddress": {"organization": organization}});
    assert_eq!(
        verdict(NEW, &body),
        pairs(&[("primaryAddress.organization", "too_long")])
    );
}

#[test]
fn new_members_are_2026_members_and_unknown_in_2023() {
    let body = json!({
        "defaultPaymentInstrumentId": "inst_1",
        "preferredPayoutInstrumentId": "inst_2",
        "personId": "per_1",
        "locale": "fr-CA",
        "notificationEmails": ["ops@example.com"],
        "taxNumbers": [{"type": "eu-vat", "value": "DE1"}],
        "leadSource": {"medium": "email"},
    });
    assert_eq!(verdict(NEW, &body), pairs(&[]));
    let unknown: Vec<(String, String)> = body
        .as_object()
        .unwrap()
        .keys()
        .map(|key| (key.clone(), "unknown_field".to_owned()))
        .collect();
    let mut seed = verdict(SEED, &body);
    seed.sort();
    let mut expected = unknown;
    expected.sort();
    assert_eq!(seed, expected);
    // isEddRequired is a 2023 member only.
    let body = json!({"isEddRequired": true});
    assert_eq!(
        verdict(NEW, &body),
        pairs(&[("isEddRequired", "unknown_field")])
    );
    assert_eq!(verdict(SEED, &body), pairs(&[]));
}

#[test]
fn every_added_member_at_its_limit_and_one_over() {
    let at = |n: usize| "é".repeat(n);
    for member in [
        "defaultPaymentInstrumentId",
        "preferredPayoutInstrumentId",
        "personId",
    ] {
        assert_eq!(
            verdict(NEW, &json!({member: at(50)})),
            pairs(&[]),
            "{member}"
        );
        assert_eq!(
            verdict(NEW, &json!({member: at(51)})),
            pairs(&[(member, "too_long")]),
            "{member}"
        );
        assert_eq!(
            verdict(NEW, &json!({member: ""})),
            pairs(&[(member, "empty")])
        );
        assert_eq!(
            verdict(NEW, &json!({member: null})),
            pairs(&[]),
            "{member} null"
        );
        assert_eq!(
            verdict(NEW, &json!({member: 5})),
            pairs(&[(member, "type")])
        );
    }
    for member in LeadSource::member_names().filter(|m| *m != "referrer") {
        let body = json!({"leadSource": {member: at(512)}});
        assert_eq!(verdict(NEW, &body), pairs(&[]), "{member}");
        let body = json!({"leadSource": {member: at(513), "createdTime": "not checked"}});
        let field = format!("leadSource.{member}");
        assert_eq!(
            verdict(NEW, &body),
            pairs(&[(&field, "too_long")]),
            "{member}"
        );
    }
    let referrer = |n: usize| format!("https://example.com/{}", "a".repeat(n - 20));
    assert_eq!(referrer(2083).len(), 2083);
    let body = json!({"leadSource": {"referrer": referrer(2083)}});
    assert_eq!(verdict(NEW, &body), pairs(&[]));
    let body = json!({"leadSource": {"referrer": referrer(2084)}});
    assert_eq!(
        verdict(NEW, &body),
        pairs(&[("leadSource.referrer", "too_long")])
    );
    for uri in [
        "mailto:a@example.com",
        "urn:isbn:0451450523",
        "http://localhost:8080/a?b=%20",
    ] {
        let body = json!({"leadSource": {"referrer": uri}});
        assert_eq!(verdict(NEW, &body), pairs(&[]), "{uri}");
    }
    for not_uri in [
        "example.com/a",
        "https://exa mple.com",
        "1http://a",
        "http://a/%zz",
        "https://é.com",
    ] {
        let body = json!({"leadSource": {"referrer": not_uri}});
        assert_eq!(
            verdict(NEW, &body),
            pairs(&[("leadSource.referrer", "pattern")]),
            "{not_uri}"
        );
    }
    // A long address is a notification email (no cap), but not a contact email (255).
    let long = format!(
        "{}@{}.com",
        "a".repeat(64),
        vec!["b".repeat(63); 4].join(".")
    );
    assert!(long.len() > 255);
    assert_eq!(
        verdict(NEW, &json!({"notificationEmails": [long]})),
        pairs(&[])
    );
    assert!(EmailAddress::parse(&long).is_err());
}

#[test]
fn new_members_report_every_error_with_its_path() {
    let body = json!({
        "notificationEmails": ["ok@example.com", "nope", 3, "ok@example.com"],
        "taxNumbers": [
            {"type": "us-ein", "value": "1"},
            {"value": 5, "isDefault": "yes", "isValid": "not checked", "id": "x"},
            {"type": "other", "value": "A", "isDefault": true}
        ],
        "leadSource": {"medium": 1, "colour": "red", "path": null},
        "isEddRequired": false,
        "defaultPaymentInstrument": {"method": "not a method", "anything": 1},
        "company": {"name": "ignored"},
    });
    // In document order (`json!` writes members in name order); read-only members unchecked.
    assert_eq!(
        verdict(NEW, &body),
        pairs(&[
            ("isEddRequired", "unknown_field"),
            ("leadSource.colour", "unknown_field"),
            ("leadSource.medium", "type"),
            ("notificationEmails.1", "invalid_email"),
            ("notificationEmails.2", "type"),
            ("taxNumbers.0.type", "pattern"),
            ("taxNumbers.1.id", "unknown_field"),
            ("taxNumbers.1.isDefault", "type"),
            ("taxNumbers.1.value", "type"),
            ("taxNumbers.1.type", "required"),
        ])
    );
    for member in ["notificationEmails", "leadSource"] {
        assert_eq!(
            verdict(NEW, &json!({member: null})),
            pairs(&[(member, "not_null")])
        );
    }
    assert_eq!(verdict(NEW, &json!({"taxNumbers": null})), pairs(&[]));
    assert_eq!(verdict(NEW, &json!({"locale": ""})), pairs(&[]));
}

#[test]
fn the_2026_methods_and_tags_belong_to_2026() {
    assert!(PaymentMethod::parse("Affirm").is_err());
    assert!(PaymentMethod::parse_for("Affirm", NEW).is_ok());
    assert_eq!(PaymentMethod::of(NEW).len(), 199);
    assert_eq!(
        PaymentMethod::of(NEW)
            .iter()
            .filter(|m| m.since() == NEW)
            .count(),
        24
    );
    // A 2023 request may set an instrument; its method list is the seed's.
    let body = json!({"defaultPaymentInstrument": {"method": "Affirm"}});
    assert_eq!(
        verdict(SEED, &body),
        pairs(&[("defaultPaymentInstrument.method", "unknown_method")])
    );
    assert!(TagName::parse_for("vip+gold", NEW).is_ok());
    assert!(TagName::parse("vip+gold").is_err());
    assert!(TagName::parse_for("vip!", NEW).is_err());
    assert_eq!(
        TagType::parse_for("aml-check", NEW).unwrap(),
        TagType::AmlCheck
    );
    assert!(TagType::parse("aml-check").is_err());
}

fn vault() -> HashMap<String, PaymentMethod> {
    [
        ("inst_card".to_owned(), PaymentMethod::PaymentCard),
        ("inst_cash".to_owned(), PaymentMethod::Cash),
        (
            "inst_new".to_owned(),
            PaymentMethod::parse_for("Affirm", NEW).unwrap(),
        ),
    ]
    .into()
}

#[test]
fn a_2026_create_renders_every_member_in_order() {
    let body = json!({
        "websiteId": "web_1",
        "locale": "fr-CA",
        "leadSource": {"source": "newsletter"},
        "primaryAddress": {"firstName": "अनुराग"},
    });
    let created = upsert(None, &body, &context(NEW)).unwrap();
    let customer = created.customer();
    assert_eq!(customer.contract(), NEW);
    let text = customer.to_json();
    let response: Value = serde_json::from_str(&text).unwrap();
    // Each top-level member's first appearance, in the text: before any nested one of that name.
    let expected = [
        "id",
        "email",
        "firstName",
        "lastName",
        "websiteId",
        "defaultPaymentInstrument",
        "preferredPayoutInstrumentId",
        "createdTime",
        "updatedTime",
        "customFields",
        "primaryAddress",
        "company",
        "averageValue",
        "paymentCount",
        "lastPaymentTime",
        "lifetimeRevenue",
        "invoiceCount",
        "tags",
        "revision",
        "hasFulfilledKyc",
        "organizationId",
        "locale",
        "taxNumbers",
        "personId",
        "notificationEmails",
        "_links",
        "_embedded",
    ];
    assert_eq!(response.as_object().unwrap().len(), expected.len());
    let positions: Vec<usize> = expected
        .iter()
        .map(|key| text.find(&format!("\"{key}\":")).expect(key))
        .collect();
    assert!(positions.is_sorted(), "{text}");
    assert_eq!(response["notificationEmails"], json!([]));
    for member in [
        "taxNumbers",
        "personId",
        "preferredPayoutInstrumentId",
        "company",
    ] {
        assert_eq!(response[member], Value::Null, "{member}");
    }
    assert_eq!(response["firstName"], "अनुराग");
    // The stored form adds the lead source, all eleven members, `null` when unset.
    let stored: Value = serde_json::from_str(&customer.to_stored_json()).unwrap();
    assert_eq!(stored["leadSource"]["source"], "newsletter");
    assert_eq!(stored["leadSource"]["medium"], Value::Null);
    assert_eq!(stored["leadSource"].as_object().unwrap().len(), 11);
    assert_eq!(
        serde_json::to_string(customer).unwrap(),
        customer.to_json(),
        "Serialize writes the response"
    );
    // Read back, it is the same customer, and the same body again changes nothing.
    let read = Customer::parse_for(customer.to_stored_json().as_bytes(), NEW).unwrap();
    assert_eq!(&read, customer);
    let again = upsert(Some(&read), &body, &context(NEW)).unwrap();
    assert!(matches!(again, UpsertOutcome::Unchanged(_)), "{again:?}");
}

#[test]
fn the_default_instrument_comes_from_the_lookup() {
    let vault = vault();
    let with_vault = context(NEW).with_instrument_lookup(&vault);
    let body = json!({"websiteId": "web_1", "defaultPaymentInstrumentId": "inst_cash"});
    let created = upsert(None, &body, &with_vault).unwrap();
    let response: Value = serde_json::from_str(&created.customer().to_json()).unwrap();
    assert_eq!(
        response["defaultPaymentInstrument"],
        json!({"method": "cash", "paymentInstrumentId": "inst_cash"})
    );
    assert!(
        response["_links"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["rel"] == "defaultPaymentInstrument")
    );
    assert!(response.get("defaultPaymentInstrumentId").is_none());

    // Another id is a change of the instrument; null clears it.
    let stored = created.into_customer();
    let changed = upsert(
        Some(&stored),
        &json!({"defaultPaymentInstrumentId": "inst_new"}),
        &with_vault,
    )
    .unwrap();
    assert_eq!(
        changed
            .changes()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["defaultPaymentInstrument"]
    );
    assert_eq!(
        changed
            .customer()
            .default_payment_instrument()
            .unwrap()
            .method_name(),
        "Affirm"
    );
    let cleared = upsert(
        Some(&stored),
        &json!({"defaultPaymentInstrumentId": null}),
        &with_vault,
    )
    .unwrap();
    assert_eq!(cleared.customer().default_payment_instrument(), None);

    // Unknown ids: reported at the upsert stage, with the other upsert-level errors, also
    // when a token wins; with no lookup every id is unknown.
    let body = json!({"defaultPaymentInstrumentId": "inst_gone", "paymentToken": "tok_1"});
    let Err(UpsertError::Invalid(error)) = upsert(None, &body, &with_vault) else {
        panic!()
    };
    let found = codes(&error);
    assert_eq!(
        found,
        [
            ("websiteId".to_owned(), ErrorCode::Required),
            ("paymentToken".to_owned(), ErrorCode::TokenRejected),
            (
                "defaultPaymentInstrumentId".to_owned(),
                ErrorCode::UnknownInstrument
            ),
        ]
    );
    let body = json!({"websiteId": "web_1", "defaultPaymentInstrumentId": "inst_card"});
    let Err(UpsertError::Invalid(error)) = upsert(None, &body, &context(NEW)) else {
        panic!()
    };
    assert_eq!(error.violations()[0].code(), ErrorCode::UnknownInstrument);
    // The 409 comes first.
    let conflict = upsert(None, &body, &context(NEW).with_expected_revision(1));
    assert!(matches!(conflict, Err(UpsertError::Conflict(_))));

    // A token wins over the id.
    let resolver = |_: &PaymentToken| {
        Ok(PaymentInstrument::identified(
            PaymentMethod::Ach,
            PaymentInstrumentId::parse("inst_tok").unwrap(),
        ))
    };
    let both = with_vault.clone().with_token_resolver(&resolver);
    let body = json!({"websiteId": "web_1", "defaultPaymentInstrumentId": "inst_card",
        "paymentToken": "tok_1"});
    let created = upsert(None, &body, &both).unwrap();
    assert_eq!(
        created
            .customer()
            .default_payment_instrument()
            .unwrap()
            .payment_instrument_id()
            .unwrap()
            .as_str(),
        "inst_tok"
    );
}

#[test]
fn new_members_merge_and_report_their_changes() {
    let base = json!({
        "websiteId": "web_1",
        "taxNumbers": [{"type": "eu-vat", "value": "DE1", "isDefault": true}],
        "notificationEmails": ["a@Example.com"],
        "personId": "per_1",
    });
    let created = upsert(None, &base, &context(NEW)).unwrap().into_customer();
    assert_eq!(created.notification_emails()[0].as_str(), "a@example.com");
    // The server validates a tax number; the next upsert keeps its isValid.
    let mut stored_json: Value = serde_json::from_str(&created.to_stored_json()).unwrap();
    stored_json["taxNumbers"][0]["isValid"] = json!(true);
    let stored = Customer::parse_for(stored_json.to_string().as_bytes(), NEW).unwrap();
    let body = json!({
        "taxNumbers": [{"type": "eu-vat", "value": "DE1", "isDefault": true, "isValid": false},
            {"type": "other", "value": "X"}],
        "locale": "de",
        "personId": null,
        "leadSource": {},
        "notificationEmails": ["a@example.COM"],
    });
    let updated = upsert(Some(&stored), &body, &context(NEW)).unwrap();
    let changes: Vec<String> = updated.changes().iter().map(ToString::to_string).collect();
    assert_eq!(changes, ["locale", "taxNumbers", "leadSource", "personId"]);
    let taxes = updated.customer().tax_numbers().unwrap();
    assert_eq!(taxes[0].is_valid(), Some(true));
    assert_eq!(taxes[1].is_valid(), None);
    assert!(!taxes[1].is_default());
    assert_eq!(updated.customer().revision(), 1);
    // `{}` again is no change; a read-only company is kept.
    let again = upsert(
        Some(updated.customer()),
        &json!({"leadSource": {}}),
        &context(NEW),
    )
    .unwrap();
    assert!(matches!(again, UpsertOutcome::Unchanged(_)));
}

#[test]
fn records_move_between_revisions_without_loss() {
    // A 2023 record: isEddRequired is kept in the stored form under 2026, not in its response.
    let seed = upsert(
        None,
        &json!({"websiteId": "web_1", "isEddRequired": true}),
        &context(SEED),
    )
    .unwrap()
    .into_customer();
    let moved = seed.to_contract(NEW).unwrap();
    assert!(moved.to_stored_json().contains(r#""isEddRequired":true"#));
    assert!(!moved.to_json().contains("isEddRequired"));
    let back = moved.to_contract(SEED).unwrap();
    assert!(back.is_edd_required());
    // 2026's members come back to 2023 as members it does not define, kept as read.
    assert_eq!(
        back.other_members()
            .get("notificationEmails")
            .unwrap()
            .get(),
        "[]"
    );
    assert_eq!(
        back.to_contract(NEW).unwrap().to_stored_json(),
        moved.to_stored_json()
    );

    // A 2026 record read under 2023 keeps what 2023 does not define, and writes it back.
    let vault = vault();
    let body = json!({"websiteId": "web_1", "locale": "fr", "leadSource": {"term": "t"},
        "taxNumbers": [{"type": "other", "value": "1"}], "defaultPaymentInstrumentId": "inst_new",
        "notificationEmails": ["x@example.com"]});
    let new = upsert(None, &body, &context(NEW).with_instrument_lookup(&vault))
        .unwrap()
        .into_customer();
    let old = Customer::parse_for(new.to_stored_json().as_bytes(), SEED).unwrap();
    let names: Vec<&str> = old.other_members().iter().map(|(name, _)| name).collect();
    assert_eq!(
        names,
        [
            "preferredPayoutInstrumentId",
            "company",
            "locale",
            "taxNumbers",
            "leadSource",
            "personId",
            "notificationEmails"
        ]
    );
    // Back under 2026 it is the same response; its stored form keeps the `isEddRequired`
    // default that the 2023 form wrote, as any 2023 record's does.
    let returned = old.to_contract(NEW).unwrap();
    assert_eq!(returned.to_json(), new.to_json());
    assert_eq!(
        returned
            .to_stored_json()
            .replace(r#""isEddRequired":false,"#, ""),
        new.to_stored_json()
    );
    // An upsert under 2026 onto the 2023 record moves it first.
    let updated = upsert(Some(&seed), &json!({"locale": "en"}), &context(NEW)).unwrap();
    assert_eq!(updated.customer().contract(), NEW);
    assert!(
        updated
            .customer()
            .to_stored_json()
            .contains(r#""isEddRequired":true"#)
    );
}

#[test]
fn a_2026_response_read_and_sent_back_changes_nothing() {
    let vault = vault();
    let ctx = context(NEW).with_instrument_lookup(&vault);
    let body = json!({"websiteId": "web_1", "locale": "fr", "personId": "p",
        "preferredPayoutInstrumentId": "inst_p", "defaultPaymentInstrumentId": "inst_card",
        "taxNumbers": [{"type": "other", "value": "1"}],
        "notificationEmails": ["x@example.com", "x@example.com"],
        "customFields": {"n": 1.0}, "primaryAddress": {"firstName": "สมศักดิ์", "address": "a!b"}});
    let created = upsert(None, &body, &ctx).unwrap().into_customer();
    // What a client reads: the response, with members no revision defines.
    let mut response: Value = serde_json::from_str(&created.to_json()).unwrap();
    response["loyalty"] = json!({"tier": 123456789012345678901234567890u128.to_string()});
    response["primaryAddress"]["nickname"] = json!("Sam");
    let read = Customer::parse_for(response.to_string().as_bytes(), NEW).unwrap();
    let request = read.to_request();
    assert_eq!(request.contract(), NEW);
    let body = request.to_body_with_token();
    let parsed = UpsertRequest::parse_with(ID, body.as_bytes(), options(NEW)).unwrap();
    assert_eq!(parsed, request);
    let outcome = Customer::apply_upsert(Some(read.clone()), parsed, &ctx).unwrap();
    assert!(
        matches!(outcome, UpsertOutcome::Unchanged(_)),
        "{outcome:?}"
    );
}

#[test]
fn unknown_request_members_can_be_kept_for_sending_on() {
    let body = r#"{"websiteId":"web_1","x-trace":{"n":1.0000000000000000001},"primaryAddress":{"firstName":"A","nick":[1,2]},"loyalty":12345678901234567890123}"#;
    let keep = ParseOptions::new().with_unknown_members(UnknownMembers::Keep);
    let request = UpsertRequest::parse_with(ID, body.as_bytes(), keep).unwrap();
    let names: Vec<&str> = request.other_members().iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["x-trace", "loyalty"]);
    assert_eq!(
        request.to_body_with_token(),
        r#"{"id":"cus_1","websiteId":"web_1","x-trace":{"n":1.0000000000000000001},"primaryAddress":{"firstName":"A","nick":[1,2]},"loyalty":12345678901234567890123}"#
    );
    // The upsert never merges them.
    let created = Customer::apply_upsert(None, request, &context(SEED)).unwrap();
    let json = created.customer().to_json();
    assert!(!json.contains("x-trace") && !json.contains("nick") && !json.contains("loyalty"));
}

#[cfg(feature = "proptest")]
mod generated {
    //! The generators under both revisions, driven through the crate's own checks.

    use proptest::prelude::*;
    use rebilly_customer::strategies::{
        near_miss_body_for, near_miss_pair_for, stored_customer_for, valid_body_for,
    };
    use rebilly_customer::*;

    fn sorted_violations(
        contract: Contract,
        path_id: &str,
        json: &[u8],
    ) -> Vec<(String, ErrorCode)> {
        let options = ParseOptions::new().with_contract(contract);
        match UpsertRequest::parse_with(path_id, json, options) {
            Err(RequestError::Invalid(error)) => {
                let mut found: Vec<_> = error
                    .violations()
                    .iter()
                    .map(|v| (v.field().to_string(), v.code()))
                    .collect();
                found.sort();
                found
            }
            other => panic!(
                "{} under {contract} gave {other:?}",
                String::from_utf8_lossy(json)
            ),
        }
    }

    fn context(contract: Contract) -> UpsertContext<'static> {
        super::common::context().with_contract(contract)
    }

    fn contracts() -> impl Strategy<Value = Contract> {
        prop_oneof![Just(Contract::Seed2023_01), Just(Contract::Rebilly2026_08)]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn valid_bodies_of_either_revision_parse_to_their_request(
            body in contracts().prop_flat_map(valid_body_for),
        ) {
            let request = UpsertRequest::parse_with(body.path_id(), body.json(), body.options())
                .unwrap_or_else(|e| panic!("{} refused: {e}", String::from_utf8_lossy(body.json())));
            prop_assert_eq!(&request, body.request());
            let wire = request.to_body_with_token();
            let again = UpsertRequest::parse_with(body.path_id(), wire.as_bytes(), body.options());
            prop_assert_eq!(&again.unwrap(), &request);
        }

        #[test]
        fn near_misses_of_either_revision_give_exactly_their_errors(
            body in contracts().prop_flat_map(near_miss_body_for),
        ) {
            prop_assert_eq!(
                sorted_violations(body.contract(), body.path_id(), body.json()),
                body.expected().to_vec(),
                "{}",
                String::from_utf8_lossy(body.json())
            );
        }

        /// Clients lose nothing: the request form of a customer the crate read parses back under
        /// its revision, and upserting it is Unchanged; also after a trip through its stored
        /// form and its response.
        #[test]
        fn a_read_customer_of_either_revision_sent_back_is_unchanged(
            stored in contracts().prop_flat_map(stored_customer_for),
        ) {
            let contract = stored.contract();
            let read = Customer::parse_for(stored.to_stored_json().as_bytes(), contract).unwrap();
            prop_assert_eq!(&read, &stored);
            let response = Customer::parse_for(stored.to_json().as_bytes(), contract).unwrap();
            prop_assert_eq!(response.to_json(), stored.to_json());
            prop_assert_eq!(serde_json::to_string(&stored).unwrap(), stored.to_json());
            // Each request form is sent to the server, which holds the stored form.
            for customer in [read.clone(), response] {
                let request = customer.to_request();
                let body = request.to_body_with_token();
                let options = ParseOptions::new().with_contract(contract);
                let parsed = UpsertRequest::parse_with(customer.id().as_str(), body.as_bytes(), options)
                    .unwrap_or_else(|e| panic!("{body} refused: {e}"));
                prop_assert_eq!(&parsed, &request);
                let outcome = Customer::apply_upsert(
                    Some(read.clone()), parsed, &context(contract),
                ).unwrap();
                prop_assert!(matches!(outcome, UpsertOutcome::Unchanged(_)), "{:?}", outcome);
            }
        }

        /// Real responses carry members no revision defines: they survive the read and the
        /// request form, and the upsert is still Unchanged.
        #[test]
        fn members_no_revision_defines_survive_a_read_modify_write(
            stored in contracts().prop_flat_map(stored_customer_for),
            name in "[a-z]{1,8}",
            number in "[1-9][0-9]{20,30}",
        ) {
            let contract = stored.contract();
            let mut json = stored.to_json();
            // Added at the front, where no described member's name can be.
            let added = format!(r#"{{"x-{name}":{{"n":{number},"f":1.0000000000000000001}},"#);
            json.replace_range(..1, &added);
            let read = Customer::parse_for(json.as_bytes(), contract).unwrap();
            prop_assert_eq!(read.to_json(), json.clone());
            let outcome = Customer::apply_upsert(
                Some(read.clone()), read.to_request(), &context(contract),
            ).unwrap();
            prop_assert!(matches!(outcome, UpsertOutcome::Unchanged(_)), "{:?}", outcome);
            let kept = outcome.customer().other_members().get(&format!("x-{name}")).map(|v| v.get().to_owned());
            prop_assert_eq!(kept, Some(format!(r#"{{"n":{number},"f":1.0000000000000000001}}"#)));
        }

        /// A stored customer of one revision, moved to the other and back, renders the same
        /// response, but for the other revision's members at their unset values, kept as
        /// unknown members (or it is refused by the other revision's rules).
        #[test]
        fn records_move_between_revisions(
            stored in contracts().prop_flat_map(stored_customer_for),
        ) {
            let (from, to) = match stored.contract() {
                Contract::Seed2023_01 => (Contract::Seed2023_01, Contract::Rebilly2026_08),
                _ => (Contract::Rebilly2026_08, Contract::Seed2023_01),
            };
            if let Ok(moved) = stored.to_contract(to) {
                let back = moved.to_contract(from).unwrap();
                let original: serde_json::Value = serde_json::from_str(&stored.to_json()).unwrap();
                let mut returned: serde_json::Value = serde_json::from_str(&back.to_json()).unwrap();
                let returned_members = returned.as_object_mut().unwrap();
                returned_members.retain(|key, value| {
                    original.get(key).is_some() || !(value.is_null() || value == &serde_json::json!([]))
                });
                prop_assert_eq!(returned, original);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn two_breaks_of_either_revision_report_the_union(
            pair in contracts().prop_flat_map(near_miss_pair_for),
        ) {
            let contract = pair.contract();
            let mut union = sorted_violations(contract, pair.path_id(), pair.first());
            union.extend(sorted_violations(contract, pair.path_id(), pair.second()));
            union.sort();
            prop_assert_eq!(sorted_violations(contract, pair.path_id(), pair.both()), union);
        }

        #[test]
        fn revised_values_say_their_revision(customer in any::<Revised<Customer>>()) {
            prop_assert_eq!(customer.value().contract(), customer.contract());
        }
    }
}

#[test]
fn builders_follow_their_revision_and_send_null() {
    let error = UpsertRequest::builder_for(ID, NEW)
        .is_edd_required(true)
        .default_payment_instrument(PaymentInstrument::cash(None))
        .notification_email("ok@example.com")
        .notification_email("nope")
        .person_id(&"p".repeat(51))
        .null("websiteId")
        .null("colour")
        .primary_address(Contact::builder_for(NEW).first_name("𠮷").null("emails"))
        .build()
        .unwrap_err();
    let found = codes(&error);
    assert_eq!(
        found,
        [
            ("isEddRequired".to_owned(), ErrorCode::UnknownField),
            (
                "defaultPaymentInstrument".to_owned(),
                ErrorCode::UnknownField
            ),
            ("notificationEmails.1".to_owned(), ErrorCode::InvalidEmail),
            ("personId".to_owned(), ErrorCode::TooLong),
            ("websiteId".to_owned(), ErrorCode::NotNull),
            ("colour".to_owned(), ErrorCode::UnknownField),
            ("primaryAddress.firstName".to_owned(), ErrorCode::Pattern),
            ("primaryAddress.emails".to_owned(), ErrorCode::UnknownField),
        ]
    );
    // 2023 builders refuse 2026 members, and send null to clear a contact member.
    let error = UpsertRequest::builder(ID).locale("fr").build().unwrap_err();
    assert_eq!(error.violations()[0].code(), ErrorCode::UnknownField);
    let request = UpsertRequest::builder(ID)
        .primary_address(Contact::builder().null("city").null("dob"))
        .build()
        .unwrap();
    assert_eq!(
        request.to_body_with_token(),
        r#"{"id":"cus_1","primaryAddress":{"city":null,"dob":null}}"#
    );
    assert_eq!(
        UpsertRequest::parse(ID, request.to_body_with_token().as_bytes()).unwrap(),
        request
    );
}

#[test]
fn a_response_without_the_write_only_lead_source_keeps_the_stored_one() {
    let body = json!({"websiteId": "web_1", "leadSource": {"campaign": "winter"}});
    let created = upsert(None, &body, &context(NEW)).unwrap().into_customer();
    let stored = Customer::parse_for(created.to_stored_json().as_bytes(), NEW).unwrap();
    let response: Value = serde_json::from_str(&stored.to_json()).unwrap();
    assert!(response.get("leadSource").is_none());
    let outcome = upsert(Some(&stored), &response, &context(NEW)).unwrap();
    assert!(
        matches!(outcome, UpsertOutcome::Unchanged(_)),
        "{outcome:?}"
    );
    assert_eq!(
        outcome.customer().lead_source().unwrap().get("campaign"),
        Some("winter")
    );
}

#[test]
fn alternative_instruments_carry_a_reference_under_2026() {
    let stored = |instrument: Value| {
        json!({"id": ID, "websiteId": "w", "organizationId": "o",
            "createdTime": "2026-11-01T10:00:00Z", "updatedTime": "2026-11-01T10:00:00Z",
            "revision": 0, "defaultPaymentInstrument": instrument})
        .to_string()
    };
    for instrument in [
        json!({"method": "Affirm", "paymentInstrumentId": "i", "reference": "r-1"}),
        json!({"method": "bank-transfer", "paymentInstrumentId": "i", "reference": null}),
    ] {
        let text = stored(instrument.clone());
        let customer = Customer::parse_for(text.as_bytes(), NEW).unwrap();
        let Some(PaymentInstrument::Alternative(alternative)) =
            customer.default_payment_instrument()
        else {
            panic!("{instrument}")
        };
        assert_eq!(alternative.reference(), instrument["reference"].as_str());
        assert!(
            customer
                .default_payment_instrument()
                .unwrap()
                .other_members()
                .is_empty()
        );
        let rendered: Value = serde_json::from_str(&customer.to_json()).unwrap();
        assert_eq!(rendered["defaultPaymentInstrument"], instrument);
    }
    let text = stored(json!({"method": "Affirm", "paymentInstrumentId": "i", "reference": 5}));
    let Err(RequestError::Invalid(error)) = Customer::parse_for(text.as_bytes(), NEW) else {
        panic!()
    };
    assert_eq!(
        error.violations()[0].field(),
        "defaultPaymentInstrument.reference"
    );
    // A vaulted instrument has no reference: kept as a member this version does not describe.
    let text = stored(json!({"method": "ach", "paymentInstrumentId": "i", "reference": 5}));
    let customer = Customer::parse_for(text.as_bytes(), NEW).unwrap();
    let instrument = customer.default_payment_instrument().unwrap();
    assert_eq!(
        instrument.other_members().get("reference").unwrap().get(),
        "5"
    );
}

#[test]
fn a_request_of_another_revision_is_read_again_under_the_contexts() {
    // A 2023 request with isEddRequired, upserted under 2026: the member is refused there.
    let request = parse(SEED, &json!({"websiteId": "web_1", "isEddRequired": true})).unwrap();
    let Err(UpsertError::Invalid(error)) = Customer::apply_upsert(None, request, &context(NEW))
    else {
        panic!()
    };
    assert_eq!(
        codes(&error),
        [("isEddRequired".to_owned(), ErrorCode::UnknownField)]
    );
    // One that the other revision reads alike is upserted under the context's.
    let request = parse(SEED, &json!({"websiteId": "web_1"})).unwrap();
    let created = Customer::apply_upsert(None, request, &context(NEW)).unwrap();
    assert_eq!(created.customer().contract(), NEW);
}
