//! The request parser beyond the golden corpus (exact messages, the three states of each member,
//! no panics), the customer resource and the problem bodies.

use rebilly_customer::*;

fn invalid(id: &str, body: &str) -> Vec<(String, String, String)> {
    match UpsertRequest::parse(id, body.as_bytes()) {
        Err(RequestError::Invalid(error)) => error
            .violations()
            .iter()
            .map(|v| {
                (
                    v.field().to_string(),
                    v.code().as_str().to_owned(),
                    v.message().to_string(),
                )
            })
            .collect(),
        other => panic!("expected a 422, got {other:?}"),
    }
}

#[test]
fn messages_name_the_rule_and_the_limit() {
    let got = invalid(
        "cus_1",
        &format!(
            r#"{{"primaryAddress": {{"lastName": "{}"}}}}"#,
            "ë".repeat(52)
        ),
    );
    assert_eq!(
        got,
        [(
            "primaryAddress.lastName".to_owned(),
            "too_long".to_owned(),
            "must be at most 45 characters, got 52".to_owned()
        )]
    );
    let got = invalid(
        "cus_1",
        r#"{"primaryAddress": {"city": null, "emails": "x"}, "websiteId": 1}"#,
    );
    assert_eq!(got[0].2, "must be an array");
    assert_eq!(got[1].2, "must be a string");
    let got = invalid("cus_1", r#"{"primaryAddress": {"city": 1}}"#);
    assert_eq!(got[0].2, "must be a string or null");
}

#[test]
fn no_message_repeats_personal_data() {
    let body = r#"{"primaryAddress": {"firstName": "Secretia!", "emails": [{"label": "x", "value": "secretia@@example.com"}],
        "phoneNumbers": [{"label": "x", "value": "55512345678901234567890123456789012345678901234567890"}]},
        "paymentToken": ""}"#;
    let problem =
        Problem::from(UpsertRequest::parse("cus_1", body.as_bytes()).unwrap_err()).to_json();
    for secret in ["Secretia", "secretia", "5551234"] {
        assert!(!problem.contains(secret), "{problem}");
    }
}

#[test]
fn each_member_keeps_absent_null_and_value_apart() {
    let absent = UpsertRequest::parse("cus_1", b"{}").unwrap();
    assert!(absent.primary_address().is_absent());
    assert!(absent.default_payment_instrument().is_absent());
    assert!(absent.website_id().is_none() && absent.custom_fields().is_none());
    assert!(absent.is_edd_required().is_none() && absent.payment_token().is_none());

    let null = UpsertRequest::parse(
        "cus_1",
        br#"{"primaryAddress": null, "defaultPaymentInstrument": null, "customFields": {"a": null}}"#,
    )
    .unwrap();
    assert!(matches!(null.primary_address(), Patch::Null));
    assert!(matches!(null.default_payment_instrument(), Patch::Null));
    assert_eq!(null.custom_fields().unwrap().members()[0].1, None);

    let value = UpsertRequest::parse(
        "cus_1",
        br#"{"primaryAddress": {"city": null, "firstName": "A"}, "isEddRequired": true, "paymentToken": "tok"}"#,
    )
    .unwrap();
    let Patch::Value(contact) = value.primary_address() else {
        panic!()
    };
    assert!(matches!(contact.city(), Patch::Null));
    assert!(contact.last_name().is_absent());
    assert_eq!(contact.first_name().as_value().unwrap().as_str(), "A");
    assert_eq!(value.is_edd_required(), Some(true));
    assert_eq!(value.payment_token().unwrap().expose_secret(), "tok");
    // The default Serialize never carries the token: it refuses a request that holds one.
    assert!(serde_json::to_string(&value).is_err());
}

#[test]
fn malformed_bodies_are_400_with_position() {
    let Err(RequestError::Malformed(m)) = UpsertRequest::parse("cus_1", b"{\n  \"a\": }") else {
        panic!()
    };
    assert_eq!((m.line(), m.column()), (2, 8));
    let problem = Problem::Malformed(m);
    assert_eq!(problem.status(), 400);
    assert_eq!(
        problem.to_json(),
        r#"{"type":"about:blank","title":"Malformed request","status":400,"detail":"expected value at line 2 column 8"}"#
    );
    // Malformed bytes give a 400 and nothing else, even with a bad path id.
    assert!(matches!(
        UpsertRequest::parse("bad id", b"{"),
        Err(RequestError::Malformed(_))
    ));
}

#[test]
fn conflict_problem_body() {
    let problem = Problem::Conflict {
        detail: "expected revision 3, stored revision is 4".into(),
    };
    assert_eq!(problem.status(), 409);
    assert_eq!(problem.content_type(), "application/problem+json");
    assert_eq!(
        problem.to_json(),
        r#"{"type":"about:blank","title":"Conflict","status":409,"detail":"expected revision 3, stored revision is 4"}"#
    );
}

#[test]
fn customer_round_trips_through_json() {
    let text = include_str!("data/customer.json");
    let customer: Customer = text.parse().unwrap();
    assert_eq!(customer.email().unwrap().as_str(), "rebilly@example.com");
    assert_eq!(customer.revision(), 4);
    let rendered = customer.to_json();
    let again: Customer = rendered.parse().unwrap();
    assert_eq!(again, customer);
    assert_eq!(again.to_json(), rendered);

    let value: serde_json::Value = serde_json::from_str(&rendered).unwrap();
    let object = value.as_object().unwrap();
    for member in [
        "id",
        "email",
        "firstName",
        "lastName",
        "websiteId",
        "defaultPaymentInstrument",
        "createdTime",
        "updatedTime",
        "customFields",
        "primaryAddress",
        "averageValue",
        "paymentCount",
        "lastPaymentTime",
        "lifetimeRevenue",
        "invoiceCount",
        "tags",
        "revision",
        "isEddRequired",
        "hasFulfilledKyc",
        "organizationId",
        "_links",
        "_embedded",
    ] {
        assert!(object.contains_key(member), "{member}");
    }
    assert_eq!(object.len(), 22);
    assert!(!object.contains_key("paymentToken"));
    assert_eq!(value["primaryAddress"]["address2"], serde_json::Value::Null);
    assert_eq!(
        value["primaryAddress"]["hash"],
        "21e123432909c0c8c687bfe47989f383e0e7fd5b"
    );
}

#[test]
fn stored_customers_are_read_with_every_rule() {
    let text = include_str!("data/customer.json");
    let broken = text
        .replace(r#""country": "GB""#, r#""country": "ZZ""#)
        .replace(
            r#""currency": "EUR", "amount": 12.5"#,
            r#""currency": "EURO", "amount": 12.5"#,
        )
        .replace(
            r#"[{"name": "vip", "type": "customer"}]"#,
            r#"[{"name": "vip", "type": "customer"}, {"name": "VIP", "type": "customer"}]"#,
        )
        .replace(r#""revision": 4"#, r#""revision": -1"#)
        .replace(r#""id": "cus_1","#, r#""paymentToken": "tok","#);
    let Err(RequestError::Invalid(error)) = Customer::parse(broken.as_bytes()) else {
        panic!("expected violations")
    };
    let mut found: Vec<(String, ErrorCode)> = error
        .violations()
        .iter()
        .map(|v| (v.field().to_string(), v.code()))
        .collect();
    found.sort();
    let mut expected = vec![
        (
            "averageValue.currency".to_owned(),
            ErrorCode::UnknownCurrency,
        ),
        ("id".to_owned(), ErrorCode::Required),
        ("paymentToken".to_owned(), ErrorCode::UnknownField),
        (
            "primaryAddress.country".to_owned(),
            ErrorCode::UnknownCountry,
        ),
        ("revision".to_owned(), ErrorCode::Type),
        ("tags.1.name".to_owned(), ErrorCode::Tag),
    ];
    expected.sort();
    assert_eq!(found, expected);
    // Deserialize reads with the same rules.
    assert!(serde_json::from_str::<Customer>(&broken).is_err());
}

#[test]
fn repeated_member_names_are_found_in_objects_of_any_size_and_spelling() {
    let malformed = |body: &str| {
        matches!(
            UpsertRequest::parse_with("cus_1", body.as_bytes(), ParseOptions::ignoring_unknown()),
            Err(RequestError::Malformed(_))
        )
    };
    // Past the inline list (16 names) and past the scanned list (48 names).
    for size in [3, 17, 40, 100] {
        let members: Vec<String> = (0..size).map(|i| format!("\"k{i}\": {i}")).collect();
        let unique = format!("{{{}}}", members.join(","));
        assert!(!malformed(&unique), "{size} distinct names");
        let repeated = format!("{{{}, \"k{}\": 0}}", members.join(","), size / 2);
        assert!(malformed(&repeated), "a repeat among {size}");
    }
    // An escaped spelling of the same name is the same name.
    assert!(malformed(r#"{"websiteId": "a", "\u0077ebsiteId": "b"}"#));
    assert!(malformed(r#"{"\u0077ebsiteId": "a", "websiteId": "b"}"#));
    assert!(malformed(r#"{"customFields": {"a\u00e9": 1, "aé": 2}}"#));
    // Members known by position: request, read-only, contact, list item; and unknown ones.
    assert!(malformed(
        r#"{"isEddRequired": true, "id": "cus_1", "isEddRequired": true}"#
    ));
    assert!(malformed(r#"{"tags": [], "revision": 1, "tags": []}"#));
    assert!(malformed(
        r#"{"primaryAddress": {"city": "a", "dob": null, "city": "b"}}"#
    ));
    assert!(malformed(
        r#"{"primaryAddress": {"hash": "0", "hash": "1"}}"#
    ));
    assert!(malformed(
        r#"{"primaryAddress": {"emails": [{"label": "a", "value": "a@example.com", "label": "b"}]}}"#
    ));
    assert!(malformed(r#"{"cityy": 1, "city": 2, "cityy": 3}"#));
    assert!(!malformed(
        r#"{"primaryAddress": {"city": "a", "address": "b", "address2": "c", "region": "d"}}"#
    ));
}

#[test]
fn bytes_that_are_not_utf8_are_malformed_where_they_are() {
    let malformed = |body: &[u8]| match UpsertRequest::parse("cus_1", body) {
        Err(RequestError::Malformed(m)) => m.to_string(),
        other => panic!("expected a 400, got {other:?}"),
    };
    assert_eq!(
        malformed(b"{\"websiteId\": \"web\xff1\"}"),
        "invalid unicode code point at line 1 column 19"
    );
    assert_eq!(
        malformed(b"{\n  \"websiteId\": \xc3}"),
        "expected value at line 2 column 16"
    );
}

/// Found by the `request_bytes` fuzzer: a long number in a custom field read to one f64, was
/// rendered as that f64's shortest text, and read back to a neighbouring f64, so a client sending
/// back what it read would have changed the customer. The fix is serde_json's `float_roundtrip`,
/// which the library now asks for itself. (This test build gets it from dev-dependencies too,
/// so the fuzz seed `fuzz/seeds/request_bytes/float-roundtrip`, replayed in CI by a build
/// without them, is what would catch a regression.)
#[test]
fn long_numbers_in_custom_fields_read_back_as_they_were_read() {
    for text in [
        "77777777777777700000000000000014737433520759053426",
        "0.1",
        "1e-7",
        "123456789012345678901234567890.123",
        "2.2250738585072011e-308",
    ] {
        let body = format!("{{\"customFields\": {{\"x\":\t{text}\t}}}}");
        let request = UpsertRequest::parse("c", body.as_bytes()).unwrap();
        let again = UpsertRequest::parse("c", request.to_body_with_token().as_bytes()).unwrap();
        assert_eq!(again.custom_fields(), request.custom_fields(), "{text}");
    }
}

#[test]
fn a_request_with_a_token_is_sent_only_through_its_named_wire_form() {
    let request = UpsertRequest::parse(
        "cus_1",
        br#"{"websiteId": "web_1", "paymentToken": "tok_secret_42"}"#,
    )
    .unwrap();
    // Loud, never a body without the token; and the message does not repeat it.
    let error = serde_json::to_string(&request).unwrap_err().to_string();
    assert!(error.contains("to_body_with_token"), "{error}");
    assert!(!error.contains("tok_secret_42"), "{error}");
    assert!(!format!("{request:?}").contains("tok_secret_42"));

    let body = request.to_body_with_token();
    assert_eq!(
        body,
        r#"{"id":"cus_1","websiteId":"web_1","paymentToken":"tok_secret_42"}"#
    );
    assert_eq!(
        UpsertRequest::parse("cus_1", body.as_bytes()).unwrap(),
        request
    );

    // Without a token the default Serialize writes the same body.
    let plain = UpsertRequest::parse("cus_1", br#"{"websiteId": "web_1"}"#).unwrap();
    assert_eq!(
        serde_json::to_string(&plain).unwrap(),
        plain.to_body_with_token()
    );
}

#[test]
fn problem_bodies_read_back_typed_with_unknown_codes_kept() {
    // The crate's own bodies come back as their variants.
    let invalid = Problem::from(
        UpsertRequest::parse("cus_1", br#"{"websiteId": null, "x": 1}"#).unwrap_err(),
    );
    let back = Problem::parse(invalid.to_json().as_bytes()).unwrap();
    assert!(matches!(back, Problem::Invalid(_)));
    let codes: Vec<ErrorCode> = back.invalid_fields().iter().map(|v| v.code()).collect();
    assert_eq!(codes, [ErrorCode::NotNull, ErrorCode::UnknownField]);
    let malformed = Problem::from(UpsertRequest::parse("cus_1", b"{").unwrap_err());
    let back = Problem::parse(malformed.to_json().as_bytes()).unwrap();
    assert_eq!(back, malformed);

    // A newer server's body: an unknown code is kept, `instance` and extension members too,
    // another status or title is Other, with what it holds (SPEC section 8, Clients).
    let newer = br#"{"type": "https://api.example/problems/limit", "title": "Too many",
        "status": 429, "instance": "/customers/cus_1", "invalidFields": [
        {"field": "customFields.", "message": "new rule", "code": "quota_exceeded"}]}"#;
    let problem = Problem::parse(newer).unwrap();
    assert_eq!(problem.status(), 429);
    assert_eq!(problem.type_uri(), "https://api.example/problems/limit");
    let violation = &problem.invalid_fields()[0];
    assert_eq!(
        violation.code(),
        ErrorCode::Unknown("quota_exceeded".into())
    );
    assert_eq!(violation.field().to_string(), "customFields.");
    assert_eq!(
        problem.to_json(),
        r#"{"type":"https://api.example/problems/limit","title":"Too many","status":429,"instance":"/customers/cus_1","invalidFields":[{"field":"customFields.","message":"new rule","code":"quota_exceeded"}]}"#
    );
    assert_eq!(problem.instance(), Some("/customers/cus_1"));
    assert_eq!(
        serde_json::from_str::<ErrorCode>(r#""too_long""#).unwrap(),
        ErrorCode::TooLong
    );

    // The official problem schemas require no member: `{}` is a problem, and so is one whose
    // items carry only a field and a message, or members of their own. Each renders back as
    // it was read. A member of the wrong type is still refused.
    for body in [
        "{}",
        r#"{"detail":"x"}"#,
        r#"{"status":422,"invalidFields":[{"field":"locale","message":"bad"}]}"#,
        r#"{"type":"about:blank","title":"Invalid data sent","status":422,"detail":"1 invalid field","invalidFields":[{"field":"a","message":"m","code":"c","hint":{"n":1.50}}]}"#,
        r#"{"traceId":12345678901234567890123,"title":"T","errors":[{"a":1}],"instance":"urn:x"}"#,
    ] {
        let problem = Problem::parse(body.as_bytes()).unwrap();
        assert!(matches!(problem, Problem::Other(_)), "{body}");
        assert_eq!(problem.to_json(), body);
        assert_eq!(serde_json::to_string(&problem).unwrap(), body);
    }
    let partial = Problem::parse(br#"{"invalidFields":[{"message":"only a message"}]}"#).unwrap();
    assert_eq!(
        partial.invalid_fields()[0].message().to_string(),
        "only a message"
    );
    assert_eq!(partial.status_member(), None);
    assert_eq!(partial.type_uri(), "about:blank");
    let Err(RequestError::Invalid(error)) = Problem::parse(br#"{"status": "422", "title": 1}"#)
    else {
        panic!("expected violations")
    };
    let found: Vec<(String, ErrorCode)> = error
        .violations()
        .iter()
        .map(|v| (v.field().to_string(), v.code()))
        .collect();
    assert_eq!(
        found,
        [
            ("status".to_owned(), ErrorCode::Type),
            ("title".to_owned(), ErrorCode::Type),
        ]
    );
}

#[test]
fn a_member_name_that_holds_a_dot_cannot_pass_for_a_path() {
    // One unknown member named `primaryAddress.city`, not the contact's city.
    let found = invalid(
        "cus_1",
        r#"{"primaryAddress.city": 1, "x[0]": 2, "primaryAddress": {"city": 3}}"#,
    );
    let fields: Vec<&str> = found.iter().map(|(field, _, _)| field.as_str()).collect();
    assert_eq!(
        fields,
        [
            r#"["primaryAddress.city"]"#,
            r#"["x[0]"]"#,
            "primaryAddress.city"
        ]
    );
    // Each spelling reads back as the path it was written from.
    for (field, _, _) in &found {
        assert_eq!(FieldPath::from_text(field).to_string(), *field);
    }
    assert_eq!(
        FieldPath::from_text(r#"["primaryAddress.city"]"#).segments(),
        [PathSegment::from("primaryAddress.city".to_owned())]
    );
    assert_eq!(
        FieldPath::from_text(r#"customFields["a.b"].0"#).segments(),
        [
            PathSegment::from("customFields"),
            PathSegment::from("a.b".to_owned()),
            PathSegment::from(0),
        ]
    );
}

#[test]
fn a_field_this_crate_would_write_otherwise_is_kept_as_read() {
    // A server's own spelling of an index is not ours: the item renders back as it was read.
    let body = br#"{"type":"about:blank","title":"Invalid data sent","status":422,"detail":"1 invalid field","invalidFields":[{"field":"items[0]","message":"bad","code":"pattern"}]}"#;
    let problem = Problem::parse(body).unwrap();
    assert_eq!(problem.to_json().as_bytes(), body);
}

#[test]
fn a_customer_read_from_text_keeps_every_violation() {
    let Err(RequestError::Invalid(error)) =
        r#"{"id": "cus_1", "revision": -1, "websiteId": 5}"#.parse::<Customer>()
    else {
        panic!("refused with its violations")
    };
    let fields: Vec<String> = error
        .violations()
        .iter()
        .map(|v| v.field().to_string())
        .collect();
    assert!(fields.contains(&"revision".to_owned()), "{fields:?}");
    assert!(fields.contains(&"websiteId".to_owned()), "{fields:?}");
    assert!(fields.contains(&"organizationId".to_owned()), "{fields:?}");
}
