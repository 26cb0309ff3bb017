//! SPEC section 8, Clients: numbers in custom fields keep their exact text. They are equal by
//! value and rendered as written, through every door (the request parser, the resource reader,
//! `serde_json::from_*`), and the checks serde_json leaves to the reader of a raw value (a
//! repeated name, a lone surrogate, a number past the floats, nesting) fail exactly where and
//! as they would have in the whole document.

use rebilly_customer::*;
use serde_json::{Value, json};

mod common;
use common::{ID, context, create, malformed};

/// Numbers no `f64` keeps as written, and spellings serde_json would change.
const EXACT: &str = r#"{"long":1.0000000000000000001,"big":123456789012345678901234567890,"nested":{"list":[1.50,-0.0,1E+2,2e-3]},"neg":-98765432109876543210987}"#;

/// The `customFields` member of a rendered customer, as its text.
fn fields_text(json: &str) -> &str {
    let start = json.find(r#""customFields":"#).expect("has custom fields") + 15;
    let mut depth = 0;
    for (i, b) in json[start..].bytes().enumerate() {
        match b {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return &json[start..=start + i];
                }
            }
            _ => {}
        }
    }
    panic!("unterminated")
}

#[test]
fn numbers_are_rendered_as_written_after_a_create_a_read_and_a_send_back() {
    let created = create(&format!(r#"{{"customFields":{EXACT}}}"#));
    // Objects are ordered by member name, as they always were; the numbers are untouched.
    let rendered = r#"{"big":123456789012345678901234567890,"long":1.0000000000000000001,"neg":-98765432109876543210987,"nested":{"list":[1.50,-0.0,1E+2,2e-3]}}"#;
    assert_eq!(fields_text(&created.to_json()), rendered);
    assert_eq!(
        fields_text(&serde_json::to_string(&created).unwrap()),
        rendered
    );

    // A client reads the response and sends its request form back: the same text, Unchanged.
    let read = Customer::parse(created.to_json().as_bytes()).unwrap();
    assert_eq!(read, created);
    let body = read.to_request().to_body_with_token();
    assert_eq!(fields_text(&body), rendered);
    let sent = UpsertRequest::parse(ID, body.as_bytes()).unwrap();
    let outcome = Customer::apply_upsert(Some(read), sent, &context()).unwrap();
    assert!(
        matches!(outcome, UpsertOutcome::Unchanged(_)),
        "{outcome:?}"
    );
    assert_eq!(fields_text(&outcome.customer().to_json()), rendered);
}

#[test]
fn every_serde_door_keeps_the_text() {
    let created = create(&format!(r#"{{"customFields":{EXACT}}}"#));
    let json = created.to_json();
    let rendered = fields_text(&json);
    // From text (copied raw values), from a reader, and through a `Value` and back.
    let from_str: Customer = serde_json::from_str(&json).unwrap();
    assert_eq!(fields_text(&from_str.to_json()), rendered);
    let from_reader: Customer = serde_json::from_reader(json.as_bytes()).unwrap();
    assert_eq!(fields_text(&from_reader.to_json()), rendered);
    let fields: CustomFields = serde_json::from_str(EXACT).unwrap();
    assert_eq!(serde_json::to_string(&fields).unwrap(), rendered);
    assert!(serde_json::from_str::<CustomFieldValue>("[1.50, 1e400]").is_err());
    // A `Value` has lost the text already; what it holds is kept by value.
    let through_value: CustomFields = serde_json::from_value(json!({"n": 1.5})).unwrap();
    assert_eq!(through_value.get("n").unwrap(), &json!(1.5));
}

#[test]
fn numbers_are_equal_by_value_and_the_stored_spelling_stays() {
    let stored = create(r#"{"customFields":{"n":1.0,"big":1e29,"f":0.5}}"#);
    // `1`, `1e0` and `1.0000000000000000001` are the double 1.0; 10^29 written out is 1e29;
    // `5E-1` is 0.5: nothing changes, and the stored text is kept.
    let body = r#"{"customFields":{"n":1.0000000000000000001,"big":100000000000000000000000000000,"f":5E-1}}"#;
    let request = UpsertRequest::parse(ID, body.as_bytes()).unwrap();
    let outcome = Customer::apply_upsert(Some(stored), request, &context()).unwrap();
    assert!(
        matches!(outcome, UpsertOutcome::Unchanged(_)),
        "{outcome:?}"
    );
    assert_eq!(
        fields_text(&outcome.customer().to_json()),
        r#"{"big":1e29,"f":0.5,"n":1.0}"#
    );

    // A different value is a change, and the new text is stored as written.
    let stored = outcome.customer().clone();
    let body = r#"{"customFields":{"f":0.50000000000000001e1}}"#;
    let request = UpsertRequest::parse(ID, body.as_bytes()).unwrap();
    let outcome = Customer::apply_upsert(Some(stored), request, &context()).unwrap();
    assert!(
        matches!(outcome, UpsertOutcome::Updated { .. }),
        "{outcome:?}"
    );
    assert_eq!(
        fields_text(&outcome.customer().to_json()),
        r#"{"big":1e29,"f":0.50000000000000001e1,"n":1.0}"#
    );
}

#[test]
fn json_numbers_are_built_from_their_text_only() {
    for good in [
        "0",
        "-0",
        "1.5",
        "1e5",
        "1E+5",
        "1e-5",
        "-12.50e+10",
        "123456789012345678901234567890",
    ] {
        let number: JsonNumber = good.parse().unwrap_or_else(|e| panic!("{good}: {e}"));
        assert_eq!(number.as_str(), good);
        assert_eq!(number.to_string(), good);
    }
    for bad in [
        "", "-", "01", "1.", ".5", "+1", "1e", "1e+", "0x1", "NaN", "1 ", " 1", "1.5.5",
    ] {
        let error = bad.parse::<JsonNumber>().unwrap_err();
        assert_eq!(error.to_string(), "must be a JSON number", "{bad:?}");
        assert_eq!(error.codes(), [ErrorCode::Type]);
    }
    for far in ["1e309", "-1e309", &"9".repeat(400)] {
        let error = far.parse::<JsonNumber>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "must be a number within the range of a double",
            "{far}"
        );
    }
    // The largest double is in range; underflow reads as zero, as serde_json reads it.
    assert!("1.7976931348623157e308".parse::<JsonNumber>().is_ok());
    assert_eq!("1e-400".parse::<JsonNumber>().unwrap().as_f64(), 0.0);
    // Values: integers by value whatever their spelling.
    let n: JsonNumber = "2.0e0".parse().unwrap();
    assert_eq!(
        (n.as_i64(), n.as_u64(), n.as_f64()),
        (Some(2), Some(2), 2.0)
    );
    let f: JsonNumber = "2.5".parse().unwrap();
    assert_eq!((f.as_i64(), f.as_u64(), f.as_f64()), (None, None, 2.5));
    assert_eq!(JsonNumber::from(u64::MAX).as_u64(), Some(u64::MAX));
    assert_eq!(JsonNumber::from(i64::MIN).as_i64(), Some(i64::MIN));
}

#[test]
fn the_builder_sends_a_number_as_written() {
    let number: JsonNumber = "1.0000000000000000001".parse().unwrap();
    let request = UpsertRequest::builder(ID)
        .custom_field("n", number)
        .custom_field("v", json!({"a": 1}))
        .build()
        .unwrap();
    assert_eq!(
        request.to_body_with_token(),
        r#"{"id":"cus_1","customFields":{"n":1.0000000000000000001,"v":{"a":1}}}"#
    );
}

/// What serde_json says of the whole document, as the 400 says it.
fn serde_says(body: &str) -> String {
    serde_json::from_str::<Value>(body).unwrap_err().to_string()
}

#[test]
fn errors_inside_a_value_are_where_serde_json_finds_them() {
    let bodies = [
        // A lone surrogate, in a string and in a member name, on later lines.
        "{\"customFields\": {\"x\": [1, \"\\ud800\"]}}",
        "{\n  \"customFields\": {\n    \"x\": {\"a\": 1,\n      \"\\udc00b\": 2}}}",
        "{\"customFields\": {\"x\": {\"a\": [\"ok\", \"\\ud83d\\u0041\"]}}}",
        // Numbers past the floats, as exponents and as digits.
        "{\"customFields\": {\"x\": 1e400}}",
        "{\"customFields\": {\"x\": [0, -1.5e309]}}",
        &format!(
            "{{\"customFields\": {{\"x\": {{\"y\":\n {}}}}}}}",
            "9".repeat(400)
        ),
    ];
    for body in bodies {
        assert_eq!(malformed(body), serde_says(body), "{body}");
    }
}

#[test]
fn a_repeated_name_inside_a_value_is_placed_after_it() {
    // Just past the second name, as for every other object of the body.
    assert_eq!(
        malformed(r#"{"customFields": {"x": {"k": 1, "k": 2}}}"#),
        "duplicate member name in an object at line 1 column 35"
    );
    assert_eq!(
        malformed("{\n \"customFields\": {\"x\": [{\n  \"k\": 1,\n  \"\\u006b\": 2}]}}"),
        "duplicate member name in an object at line 4 column 10"
    );
    assert_eq!(
        malformed("{\"primaryAddress\": {\n  \"city\": \"a\",\n  \"city\": \"b\"}}"),
        "duplicate member name in an object at line 3 column 8"
    );
}

fn nested(levels: usize) -> String {
    format!("{}{}", "[".repeat(levels), "]".repeat(levels))
}

#[test]
fn nesting_stops_where_serde_json_stops_it() {
    // serde_json refuses the 128th container of a document: the request and the customer
    // hold 2 around a field's value, a custom-fields document 1.
    let request = |levels| format!(r#"{{"customFields": {{"x": {}}}}}"#, nested(levels));
    assert!(UpsertRequest::parse(ID, request(125).as_bytes()).is_ok());
    assert_eq!(malformed(request(126)), serde_says(&request(126)));

    let customer = create(&request(125));
    assert!(Customer::parse(customer.to_json().as_bytes()).is_ok());
    let deeper = customer.to_json().replace(&nested(125), &nested(126));
    match Customer::parse(deeper.as_bytes()) {
        Err(RequestError::Malformed(error)) => assert_eq!(error.to_string(), serde_says(&deeper)),
        other => panic!("not malformed: {other:?}"),
    }

    let fields = |levels| format!(r#"{{"x": {}}}"#, nested(levels));
    assert!(CustomFields::parse(fields(126).as_bytes()).is_ok());
    match CustomFields::parse(fields(127).as_bytes()) {
        Err(RequestError::Malformed(error)) => {
            assert_eq!(error.to_string(), serde_says(&fields(127)));
        }
        other => panic!("not malformed: {other:?}"),
    }
    // Through serde's own door the message is serde_json's too.
    let error = serde_json::from_str::<CustomFields>(&fields(127)).unwrap_err();
    assert!(
        error.to_string().starts_with("recursion limit exceeded"),
        "{error}"
    );
}

#[test]
fn bytes_that_are_not_utf8_are_placed_as_before() {
    // Not UTF-8: malformed whatever else, and serde_json alone says where.
    let body = b"{\"customFields\": {\"x\": [\"\xff\", 1.50]}}";
    match UpsertRequest::parse(ID, body) {
        Err(RequestError::Malformed(error)) => assert_eq!(
            error.to_string(),
            serde_json::from_slice::<Value>(body)
                .unwrap_err()
                .to_string()
        ),
        other => panic!("not malformed: {other:?}"),
    }
}
