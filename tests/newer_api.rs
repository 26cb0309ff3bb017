//! Reading what a newer API sends: members, link relations, payment methods and tag types this
//! version does not know are kept as read, in their places, and rendered back; an upsert keeps
//! them; requests keep their own rules.

use std::path::PathBuf;
use std::process::Command;

#[cfg(feature = "proptest")]
use proptest::prelude::*;
use rebilly_customer::{
    Customer, ErrorCode, LinkRel, ParseOptions, PaymentInstrument, RequestError, TagType,
    UpsertOutcome, UpsertRequest,
};
use serde_json::value::RawValue;

mod common;
use common::context;

fn text_of(value: Option<&RawValue>) -> Option<&str> {
    value.map(RawValue::get)
}

/// The violations of a read that must fail.
#[track_caller]
fn violations<T>(read: Result<T, RequestError>) -> rebilly_customer::ValidationError {
    match read {
        Err(RequestError::Invalid(error)) => error,
        _ => panic!("expected violations"),
    }
}

/// Each violation's path and code.
fn pairs(error: &rebilly_customer::ValidationError) -> Vec<(String, ErrorCode)> {
    error
        .violations()
        .iter()
        .map(|v| (v.field().to_string(), v.code()))
        .collect()
}

/// The sample customer as this crate renders it.
fn rendered_sample() -> String {
    Customer::parse(include_bytes!("data/customer.json"))
        .expect("the sample reads")
        .to_json()
}

/// `text` with `insert` put right after the one place `after` occurs.
fn insert_after(text: &str, after: &str, insert: &str) -> String {
    assert_eq!(text.matches(after).count(), 1, "{after} occurs once");
    text.replacen(after, &format!("{after}{insert}"), 1)
}

/// A customer as an API with more members, relations, methods and tag types renders it.
fn newer_customer_text() -> String {
    let mut text = rendered_sample();
    for (after, insert) in [
        // Top level: first, in the middle, last.
        ("{\"id\"", ""),
        (
            r#""websiteId":"web_1","#,
            r#""loyalty":{"tier":"gold","points":[1,2.5,null]},"#,
        ),
        (r#""_embedded":{}"#, r#","riskScore":0.25"#),
        // Inside the contact, an email and a phone.
        (r#""primaryAddress":{"#, r#""salutation":"Dr","#),
        (
            r#""value":"rebilly@example.com","primary":true"#,
            r#","verified":true"#,
        ),
        (
            r#""value":"1-512-777-0269","primary":true"#,
            r#","kind":"mobile""#,
        ),
        // A tag of a new type with a new member and its own links; an amount; a link.
        (
            r#""tags":[{"name":"vip","type":"customer"}"#,
            r#",{"name":"doc","type":"kyc-file","color":"red","_links":[{"rel":"self","href":"x"}]}"#,
        ),
        (r#""amountUsd":13.1"#, r#","amountEur":12.5"#),
        (
            r#""href":"https://api.rebilly.com/payment-instruments/inst_1"}"#,
            r#",{"rel":"transactions","href":"https://api.rebilly.com/transactions?customerId=cus_1","templated":false}"#,
        ),
        // The instrument: a new member on a known method.
        (
            r#""paymentInstrumentId":"inst_1""#,
            r#","fingerprint":"f-1""#,
        ),
    ] {
        text = insert_after(&text, after, insert);
    }
    text.replacen("{\"id\"", "{\"apiVersion\":\"2027-01\",\"id\"", 1)
        .replacen(
            r#""_embedded":{}"#,
            r#""_embedded":{"leadSource":{"id":"ls_1"}}"#,
            1,
        )
}

#[test]
fn a_customer_from_a_newer_api_is_read_and_rendered_back_byte_for_byte() {
    let text = newer_customer_text();
    let customer = Customer::parse(text.as_bytes()).expect("a newer API's customer reads");
    assert_eq!(customer.to_json(), text);
    assert_eq!(serde_json::to_string(&customer).unwrap(), text);
    // Deserialize and FromStr read the same way.
    let through_serde: Customer = serde_json::from_str(&text).unwrap();
    assert_eq!(through_serde, customer);
    assert_eq!(text.parse::<Customer>().unwrap(), customer);

    let top: Vec<&str> = customer.other_members().iter().map(|(k, _)| k).collect();
    assert_eq!(top, ["apiVersion", "loyalty", "riskScore"]);
    assert_eq!(
        text_of(customer.other_members().get("loyalty")),
        Some(r#"{"tier":"gold","points":[1,2.5,null]}"#)
    );
    let contact = customer.primary_address().unwrap();
    assert_eq!(
        text_of(contact.emails().items()[0].other_members().get("verified")),
        Some("true")
    );
    let tag = &customer.tags().tags()[1];
    assert_eq!((tag.tag_type(), tag.type_name()), (None, "kyc-file"));
    assert_eq!(text_of(tag.other_members().get("color")), Some(r#""red""#));
    let transactions = &customer.links()[3];
    assert_eq!(
        (transactions.rel(), transactions.rel_name()),
        (None, "transactions")
    );
    assert_eq!(
        text_of(customer.embedded()),
        Some(r#"{"leadSource":{"id":"ls_1"}}"#)
    );
    assert_eq!(customer.average_value().currency().as_str(), "EUR");
}

#[test]
fn a_payment_method_this_version_does_not_know_is_an_alternative_one_kept_whole() {
    let text = rendered_sample().replacen(
        r#"{"method":"payment-card","paymentInstrumentId":"inst_1"}"#,
        r#"{"method":"Quantum Pay","paymentInstrumentId":"inst_9","wallet":{"id":"w"}}"#,
        1,
    );
    let customer = Customer::parse(text.as_bytes()).unwrap();
    let Some(PaymentInstrument::Alternative(instrument)) = customer.default_payment_instrument()
    else {
        panic!("an unknown method is an alternative one")
    };
    assert_eq!(instrument.method(), None);
    assert_eq!(instrument.method_name(), "Quantum Pay");
    assert_eq!(
        instrument.payment_instrument_id().unwrap().as_str(),
        "inst_9"
    );
    assert_eq!(customer.to_json(), text);
    // Members before `method` go back before it.
    let before = rendered_sample().replacen(
        r#"{"method":"payment-card","paymentInstrumentId":"inst_1"}"#,
        r#"{"network":"visa","method":"payment-card","paymentInstrumentId":"inst_1"}"#,
        1,
    );
    assert_eq!(
        Customer::parse(before.as_bytes()).unwrap().to_json(),
        before
    );
}

#[test]
fn known_members_keep_every_rule_when_others_are_kept() {
    let text = newer_customer_text()
        .replacen(r#""country":"GB""#, r#""country":"ZZ""#, 1)
        .replacen(r#""rel":"transactions""#, r#""rel":5"#, 1)
        .replacen(r#""method":"payment-card""#, r#""method":null"#, 1)
        .replacen(
            r#""id":"cus_1","#,
            r#""id":"cus_1","paymentToken":"tok_1","#,
            1,
        );
    let error = violations(Customer::parse(text.as_bytes()));
    let found = pairs(&error);
    assert_eq!(
        found,
        [
            (
                "defaultPaymentInstrument.method".to_owned(),
                ErrorCode::Type
            ),
            (
                "primaryAddress.country".to_owned(),
                ErrorCode::UnknownCountry
            ),
            ("_links.3.rel".to_owned(), ErrorCode::Pattern),
            // A token is never a member of the resource: not kept, and never rendered back.
            ("paymentToken".to_owned(), ErrorCode::UnknownField),
        ]
    );
    assert!(!error.to_string().contains("tok_1"));
}

#[test]
fn an_upsert_onto_a_newer_apis_customer_keeps_what_it_does_not_know() {
    let stored = Customer::parse(newer_customer_text().as_bytes()).unwrap();
    let body = br#"{"primaryAddress": {"lastName": "Bache"}, "customFields": {"score": 8}}"#;
    let request = UpsertRequest::parse("cus_1", body).unwrap();
    let outcome = Customer::apply_upsert(Some(stored.clone()), request, &context()).unwrap();
    let UpsertOutcome::Updated { customer, .. } = outcome else {
        panic!("a change")
    };
    assert_eq!(customer.revision(), 5);
    assert_eq!(customer.other_members(), stored.other_members());
    let (before, after) = (
        stored.primary_address().unwrap(),
        customer.primary_address().unwrap(),
    );
    assert_eq!(after.last_name().unwrap().as_str(), "Bache");
    assert_eq!(after.other_members(), before.other_members());
    assert!(!after.other_members().is_empty());
    assert_eq!(after.emails(), before.emails());
    assert_eq!(customer.tags(), stored.tags());
    assert_eq!(text_of(customer.embedded()), text_of(stored.embedded()));
    assert_eq!(
        customer.default_payment_instrument(),
        stored.default_payment_instrument()
    );
    assert!(
        customer
            .links()
            .iter()
            .any(|l| l.rel_name() == "transactions")
    );
    assert_eq!(
        customer.link(LinkRel::SelfLink),
        stored.link(LinkRel::SelfLink)
    );
    let rendered = customer.to_json();
    for kept in [
        r#""salutation":"Dr""#,
        r#""verified":true"#,
        r#""kind":"mobile""#,
        r#""type":"kyc-file","color":"red""#,
        r#""amountEur":12.5"#,
        r#""fingerprint":"f-1""#,
        r#""templated":false"#,
        r#""riskScore":0.25"#,
        r#""leadSource":{"id":"ls_1"}"#,
    ] {
        assert!(rendered.contains(kept), "{kept} is kept");
    }

    // Read-modify-write changes nothing, on such a customer too.
    let outcome =
        Customer::apply_upsert(Some(stored.clone()), stored.to_request(), &context()).unwrap();
    assert!(matches!(outcome, UpsertOutcome::Unchanged(_)));
}

#[test]
fn requests_still_refuse_members_they_do_not_know_unless_asked_to_ignore_them() {
    let body = br#"{"websiteId": "web_1", "loyalty": 1, "primaryAddress": {"salutation": "Dr",
        "emails": [{"label": "a", "value": "a@b.co", "verified": true}]},
        "defaultPaymentInstrument": {"method": "Quantum Pay"}}"#;
    let found = pairs(&violations(UpsertRequest::parse("cus_1", body)));
    assert_eq!(
        found,
        [
            ("loyalty".to_owned(), ErrorCode::UnknownField),
            (
                "primaryAddress.salutation".to_owned(),
                ErrorCode::UnknownField
            ),
            (
                "primaryAddress.emails.0.verified".to_owned(),
                ErrorCode::UnknownField
            ),
            (
                "defaultPaymentInstrument.method".to_owned(),
                ErrorCode::UnknownMethod
            ),
        ]
    );
    let ignoring = br#"{"websiteId": "web_1", "loyalty": 1,
        "primaryAddress": {"emails": [{"label": "a", "value": "a@b.co", "verified": true}]}}"#;
    let request = UpsertRequest::parse_with("cus_1", ignoring, ParseOptions::ignoring_unknown())
        .expect("ignored");
    let body = request.to_body_with_token();
    assert!(!body.contains("loyalty") && !body.contains("verified"));
    // The standalone value doors stay strict: they validate what a client is about to send.
    assert!(rebilly_customer::Contact::parse(br#"{"salutation": "Dr"}"#).is_err());
    assert!(rebilly_customer::TagType::parse("kyc-file").is_err());
    assert_eq!(TagType::parse("customer").unwrap(), TagType::Customer);
}

#[test]
fn the_command_reads_its_existing_customer_the_same_way() {
    let dir = std::env::temp_dir().join(format!("newer-api-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let existing = dir.join("customer.json");
    std::fs::write(&existing, newer_customer_text()).unwrap();
    let output = upsert_command()
        .args([
            "--id",
            "cus_1",
            "--now",
            "2026-11-26T10:00:00Z",
            "--existing",
        ])
        .arg(&existing)
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(br#"{"isEddRequired": true}"#)?;
            child.wait_with_output()
        })
        .expect("the command runs");
    std::fs::remove_dir_all(&dir).ok();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{stdout}");
    for kept in [
        r#""loyalty""#,
        r#""verified":true"#,
        r#""kyc-file""#,
        r#""transactions""#,
    ] {
        assert!(stdout.contains(kept), "{kept} in {stdout}");
    }
}

/// The example binary that `cargo test` built beside this test's own.
fn upsert_command() -> Command {
    let mut dir: PathBuf = std::env::current_exe().expect("the test's own path");
    dir.pop();
    if dir.ends_with("deps") {
        dir.pop();
    }
    let mut command = Command::new(dir.join("examples").join("upsert"));
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// Where an unknown member may go in a rendered customer: right after an object's `{` or after
/// one of its members, in every object the resource describes.
#[derive(Debug)]
struct Slot {
    offset: usize,
    /// Right after `{`, so the member is the object's first.
    at_open: bool,
}

enum Frame {
    Object {
        described: bool,
        expect_key: bool,
        key: Option<String>,
    },
    Array {
        described_items: bool,
    },
}

/// The slots of the described objects in compact JSON: the top level, `primaryAddress`, the
/// amounts, the instrument, and each item of the email and phone lists, tags and links.
/// `customFields`, `_embedded` and a tag's own `_links` are values kept whole, not described.
fn slots(text: &str) -> Vec<Slot> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut out = Vec::new();
    // A member of the innermost object ended at `offset`.
    let member_end = |stack: &mut Vec<Frame>, out: &mut Vec<Slot>, offset: usize| {
        if let Some(Frame::Object { described, key, .. }) = stack.last_mut() {
            *key = None;
            if *described {
                out.push(Slot {
                    offset,
                    at_open: false,
                });
            }
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                match stack.last_mut() {
                    Some(Frame::Object {
                        expect_key: expect @ true,
                        key,
                        ..
                    }) => {
                        *expect = false;
                        *key = Some(text[start..i].to_owned());
                    }
                    _ => member_end(&mut stack, &mut out, i + 1),
                }
            }
            b'{' => {
                let described = match stack.last() {
                    None => true,
                    Some(Frame::Object {
                        described: true,
                        key: Some(key),
                        ..
                    }) => {
                        stack.len() == 1
                            && matches!(
                                key.as_str(),
                                "primaryAddress"
                                    | "averageValue"
                                    | "lifetimeRevenue"
                                    | "defaultPaymentInstrument"
                            )
                    }
                    Some(Frame::Array { described_items }) => *described_items,
                    _ => false,
                };
                if described {
                    out.push(Slot {
                        offset: i + 1,
                        at_open: true,
                    });
                }
                stack.push(Frame::Object {
                    described,
                    expect_key: true,
                    key: None,
                });
            }
            b'[' => {
                let described_items = match stack.last() {
                    Some(Frame::Object {
                        described: true,
                        key: Some(key),
                        ..
                    }) => match key.as_str() {
                        "emails" | "phoneNumbers" => stack.len() == 2,
                        "tags" | "_links" => stack.len() == 1,
                        _ => false,
                    },
                    _ => false,
                };
                stack.push(Frame::Array { described_items });
            }
            b'}' | b']' => {
                stack.pop();
                member_end(&mut stack, &mut out, i + 1);
            }
            b',' => {
                if let Some(Frame::Object { expect_key, .. }) = stack.last_mut() {
                    *expect_key = true;
                }
            }
            b':' => {}
            _ => {
                // A number, `true`, `false` or `null`.
                while !matches!(bytes[i + 1], b',' | b'}' | b']') {
                    i += 1;
                }
                member_end(&mut stack, &mut out, i + 1);
            }
        }
        i += 1;
    }
    out
}

#[cfg(feature = "proptest")]
/// Any JSON value, as `serde_json` renders it (objects with their names in order).
fn any_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        (-1.0e9..1.0e9f64).prop_map(serde_json::Value::from),
        "[a-z\u{e9}\u{301}\"\\\\\u{1}\u{6771}]{0,6}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(2, 12, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            proptest::collection::btree_map("[a-z]{0,4}", inner, 0..4)
                .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
        ]
    })
}

#[cfg(feature = "proptest")]
proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// A customer with members added anywhere in any of its described objects, as a newer API
    /// would add them, renders back byte for byte: nothing lost, nothing moved.
    #[test]
    fn members_added_anywhere_come_back_in_place(
        customer in rebilly_customer::strategies::stored_customer(),
        picks in proptest::collection::vec((any::<proptest::sample::Index>(), any_json()), 1..12),
    ) {
        let mut text = customer.to_json();
        let slots = slots(&text);
        let mut chosen: Vec<(usize, bool, usize, String)> = picks
            .iter()
            .enumerate()
            .map(|(n, (index, value))| {
                let slot = &slots[index.index(slots.len())];
                (slot.offset, slot.at_open, n, serde_json::to_string(value).unwrap())
            })
            .collect();
        // From the end backwards, so that every offset still holds; at one offset, the later
        // pick goes first.
        chosen.sort_by_key(|(offset, _, n, _)| std::cmp::Reverse((*offset, *n)));
        for (offset, at_open, n, value) in chosen {
            let member = format!("\"newMember{n}\":{value}");
            let insert = if !at_open {
                format!(",{member}")
            } else if text.as_bytes()[offset] == b'}' {
                member
            } else {
                format!("{member},")
            };
            text.insert_str(offset, &insert);
        }
        let read = Customer::parse(text.as_bytes());
        prop_assert!(read.is_ok(), "{:?}\n{}", read.err(), text);
        let read = read.unwrap();
        prop_assert_eq!(read.to_json(), text.clone());
        prop_assert_eq!(serde_json::to_string(&read).unwrap(), text);
    }
}

#[test]
fn the_slots_cover_every_described_object_of_the_sample() {
    let text = rendered_sample();
    let slots = slots(&text);
    for slot in &slots {
        let bytes = text.as_bytes();
        if slot.at_open {
            assert_eq!(bytes[slot.offset - 1], b'{');
        } else {
            assert!(matches!(bytes[slot.offset], b',' | b'}'), "{slot:?}");
        }
    }
    let opens = slots.iter().filter(|slot| slot.at_open).count();
    // The top level, the contact, one email, one phone, the instrument, two amounts, one tag
    // and three links.
    assert_eq!(opens, 11);
    // A member after each of the resource's 22, the contact's 14, the items' 3 + 3, the
    // instrument's 2, the amounts' 3 + 3, the tag's 2 and the links' 2 + 2 + 2.
    assert_eq!(slots.len() - opens, 22 + 14 + 6 + 2 + 6 + 2 + 6);
}

#[test]
fn kept_values_come_back_as_written_only_without_spaces() {
    let sample = rendered_sample();
    let pretty = insert_after(
        &sample,
        r#""websiteId":"web_1","#,
        "\"big\" : 123456789012345678901234567890 ,\"exact\": [1.0, 1e2, -0.0],\n \
         \"text\": \"Jose\u{301} \\u00e9 \\\" \", \"nested\": {\"z\": 1, \"a\": {\"y\": [ ] }},",
    );
    let customer = Customer::parse(pretty.as_bytes()).unwrap();
    let expected = insert_after(
        &sample,
        r#""websiteId":"web_1","#,
        "\"big\":123456789012345678901234567890,\"exact\":[1.0,1e2,-0.0],\
         \"text\":\"Jose\u{301} \\u00e9 \\\" \",\"nested\":{\"z\":1,\"a\":{\"y\":[]}},",
    );
    assert_eq!(customer.to_json(), expected);
    // Read through a `serde_json::Value` the members are kept too, as that value holds them.
    let value: serde_json::Value = serde_json::from_str(&pretty).unwrap();
    let through_value: Customer = serde_json::from_value(value).unwrap();
    assert_eq!(through_value.other_members().len(), 4);
}
