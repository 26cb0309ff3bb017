//! SPEC section 1 and 2: every row of the text-rule table at its limit and one over (counted in
//! code points with multi-byte text), every allowed punctuation mark, the edges of each class,
//! NFC, emails, dates, countries, currencies, the payment-instrument table and the token.

use rebilly_customer::*;

/// The codes of a failed parse, or empty for success.
#[track_caller]
fn codes<T, E: Into<ValidationError>>(result: Result<T, E>) -> Vec<String> {
    match result {
        Ok(_) => vec![],
        Err(e) => e.into().codes().iter().map(ToString::to_string).collect(),
    }
}

/// `n` code points of a letter that takes several bytes.
fn letters(n: usize) -> String {
    "ë".repeat(n)
}

macro_rules! length_rows {
    ($($ty:ty => $max:expr, $fill:expr;)*) => {
        #[test]
        fn every_row_accepts_its_limit_and_refuses_one_more() {
            $(
                let at_limit: String = $fill($max);
                let over: String = $fill($max + 1);
                assert_eq!(codes(<$ty>::parse(&at_limit)), Vec::<&str>::new(), "{} at {}", stringify!($ty), $max);
                assert_eq!(codes(<$ty>::parse(&over)), vec!["too_long"], "{} at {}", stringify!($ty), $max + 1);
                let message = <$ty>::parse(&over).unwrap_err().to_string();
                assert_eq!(message, format!("must be at most {} characters, got {}", $max, $max + 1));
            )*
        }
    };
}

length_rows! {
    ContactName => 45, letters;
    City => 45, letters;
    Organization => 255, letters;
    AddressLine => 60, letters;
    Region => 45, letters;
    JobTitle => 255, letters;
    PostalCode => 10, |n| "9".repeat(n);
    CustomerId => 50, |n| "a".repeat(n);
    TagName => 255, |n| "t".repeat(n);
    WebsiteId => 50, |n| "李".repeat(n);
    OrganizationId => 50, |n| "李".repeat(n);
    PaymentInstrumentId => 50, |n| "李".repeat(n);
    Label => 45, |n| "李".repeat(n);
    PhoneNumber => 50, |n| "李".repeat(n);
    CustomFieldName => 60, |n| "f".repeat(n);
}

#[test]
fn email_limit_is_255_code_points() {
    let local = "a".repeat(64);
    let domain_at = |len: usize| {
        // labels of 63 joined by dots, padded to `len` characters
        let mut d = String::new();
        while d.len() < len {
            if !d.is_empty() {
                d.push('.');
            }
            let take = (len - d.len()).min(63);
            d.push_str(&"b".repeat(take));
        }
        d
    };
    let at_limit = format!("{local}@{}", domain_at(255 - 65));
    assert_eq!(at_limit.len(), 255);
    assert_eq!(codes(EmailAddress::parse(&at_limit)), Vec::<&str>::new());
    let over = format!("{local}@{}", domain_at(256 - 65));
    assert_eq!(codes(EmailAddress::parse(&over)), vec!["too_long"]);
}

#[test]
fn too_long_and_bad_character_are_both_reported() {
    let value = format!("{}!", letters(45));
    assert_eq!(
        codes(ContactName::parse(&value)),
        vec!["too_long", "pattern"]
    );
}

#[test]
fn pattern_fields_refuse_the_empty_string() {
    for result in [
        codes(ContactName::parse("")),
        codes(City::parse("")),
        codes(Organization::parse("")),
        codes(AddressLine::parse("")),
        codes(Region::parse("")),
        codes(JobTitle::parse("")),
        codes(PostalCode::parse("")),
        codes(CustomerId::parse("")),
        codes(TagName::parse("")),
        codes(WebsiteId::parse("")),
        codes(OrganizationId::parse("")),
        codes(PaymentInstrumentId::parse("")),
        codes(PaymentToken::parse("")),
        codes(CustomFieldName::parse("")),
    ] {
        assert_eq!(result, vec!["empty"]);
    }
    // Labels and phone values may be empty (the schema decides).
    assert!(Label::parse("").is_ok());
    assert!(PhoneNumber::parse("").is_ok());
}

#[test]
fn every_allowed_punctuation_mark_is_accepted() {
    for c in "-,.'".chars() {
        let text = format!("a{c}b");
        assert!(ContactName::parse(&text).is_ok(), "name {c}");
        assert!(City::parse(&text).is_ok(), "city {c}");
    }
    for c in "-,.'&".chars() {
        assert!(
            Organization::parse(&format!("a{c}b")).is_ok(),
            "organization {c}"
        );
    }
    for c in "-/,.#;:()'&".chars() {
        assert!(AddressLine::parse(&format!("a{c}b")).is_ok(), "address {c}");
    }
    for c in "-/,.#;:()'".chars() {
        assert!(Region::parse(&format!("a{c}b")).is_ok(), "region {c}");
        assert!(JobTitle::parse(&format!("a{c}b")).is_ok(), "job title {c}");
    }
    assert!(PostalCode::parse("AB-1_2 3").is_ok());
    for c in "@~-._".chars() {
        assert!(
            CustomerId::parse(&format!("a{c}b")).is_ok(),
            "customer id {c}"
        );
        assert!(TagName::parse(&format!("a{c}b")).is_ok(), "tag {c}");
    }
    assert!(CustomFieldName::parse("a-b_C9").is_ok());
}

#[test]
fn a_character_just_outside_each_class_is_refused() {
    for c in ['!', '@', '&', '/', '#', '\u{200D}', '\u{0085}', '\u{20DD}'] {
        assert_eq!(
            codes(ContactName::parse(&format!("a{c}b"))),
            vec!["pattern"],
            "name {c:?}"
        );
    }
    assert_eq!(codes(Region::parse("a&b")), vec!["pattern"]);
    assert_eq!(codes(JobTitle::parse("a&b")), vec!["pattern"]);
    assert_eq!(codes(AddressLine::parse("a@b")), vec!["pattern"]);
    assert_eq!(codes(Organization::parse("a/b")), vec!["pattern"]);
    assert_eq!(codes(PostalCode::parse("12\u{0663}")), vec!["pattern"]);
    assert_eq!(codes(PostalCode::parse("AB.1")), vec!["pattern"]);
    assert_eq!(codes(PostalCode::parse("Zoë")), vec!["pattern"]);
    assert_eq!(codes(CustomerId::parse("a b")), vec!["pattern"]);
    assert_eq!(codes(CustomerId::parse("a/b")), vec!["pattern"]);
    assert_eq!(codes(CustomerId::parse("é")), vec!["pattern"]);
    assert_eq!(codes(TagName::parse("a,b")), vec!["pattern"]);
    assert_eq!(codes(CustomFieldName::parse("a.b")), vec!["pattern"]);
    assert_eq!(codes(CustomFieldName::parse("a b")), vec!["pattern"]);
}

#[test]
fn ecma_whitespace_is_accepted_where_s_is_and_nel_is_not() {
    for c in [
        '\u{00A0}', '\u{2028}', '\u{2029}', '\u{FEFF}', '\u{3000}', '\t', '\u{000B}',
    ] {
        assert!(ContactName::parse(&format!("a{c}b")).is_ok(), "{c:?}");
        assert!(PostalCode::parse(&format!("1{c}2")).is_ok(), "{c:?}");
    }
    assert_eq!(codes(ContactName::parse("a\u{0085}b")), vec!["pattern"]);
    assert_eq!(codes(PostalCode::parse("1\u{0085}2")), vec!["pattern"]);
    // A name of only spaces matches its pattern (SPEC section 7).
    assert!(ContactName::parse("   ").is_ok());
}

#[test]
fn letters_of_several_scripts_and_no_marks() {
    for name in ["李小龍", "Zoë", "Ωμέγα", "Ярослав", "محمد", "ǅemal"] {
        assert!(ContactName::parse(name).is_ok(), "{name}");
    }
    // Devanagari vowel signs and Arabic harakat are marks, not letters.
    assert_eq!(codes(ContactName::parse("हिंदी")), vec!["pattern"]);
    assert_eq!(codes(ContactName::parse("مُحَمَّد")), vec!["pattern"]);
}

#[test]
fn nfd_input_passes_because_of_nfc_and_is_stored_composed() {
    let nfd = "Jose\u{0301}";
    let name = ContactName::parse(nfd).unwrap();
    assert_eq!(name.as_str(), "José");
    assert_eq!(name, ContactName::parse("José").unwrap());
    // 45 composed letters written as 90 code points of NFD fit.
    let long_nfd = "e\u{0301}".repeat(45);
    assert_eq!(
        ContactName::parse(&long_nfd)
            .unwrap()
            .as_str()
            .chars()
            .count(),
        45
    );
    // Without NFC the combining mark would break the letter class.
    assert!(ContactName::parse("\u{0301}").is_err());
}

#[test]
fn messages_never_repeat_the_value() {
    let secret = "Secretname!";
    let error = ContactName::parse(secret).unwrap_err();
    assert!(!error.to_string().contains("Secretname"));
    let error = EmailAddress::parse("private.person@@example").unwrap_err();
    assert!(!error.to_string().contains("private"));
}

#[test]
fn emails() {
    for ok in [
        "john.doe@example.com",
        "a+tag@sub.example.co.uk",
        "\"john doe\"@example.com",
        "x@a-b.io",
        "o'neil@example.ie",
    ] {
        assert!(EmailAddress::parse(ok).is_ok(), "{ok}");
    }
    for bad in [
        "",
        "plainaddress",
        "@example.com",
        "john@",
        "john@localhost",
        "John <john@example.com>",
        "john@[127.0.0.1]",
        "john(comment)@example.com",
        "jöhn@example.com",
        "john@exämple.com",
        "john..doe@example.com",
        ".john@example.com",
        "john@-example.com",
        "john@example-.com",
        "john@example..com",
        "john@exa_mple.com",
        "john doe@example.com",
    ] {
        assert_eq!(
            codes(EmailAddress::parse(bad)),
            vec!["invalid_email"],
            "{bad}"
        );
    }
    let local_64 = format!("{}@example.com", "a".repeat(64));
    assert!(EmailAddress::parse(&local_64).is_ok());
    let local_65 = format!("{}@example.com", "a".repeat(65));
    assert_eq!(codes(EmailAddress::parse(&local_65)), vec!["invalid_email"]);
    let label_63 = format!("a@{}.com", "b".repeat(63));
    assert!(EmailAddress::parse(&label_63).is_ok());
    let label_64 = format!("a@{}.com", "b".repeat(64));
    assert_eq!(codes(EmailAddress::parse(&label_64)), vec!["invalid_email"]);

    let email = EmailAddress::parse("Mixed.Case@Example.ORG").unwrap();
    assert_eq!(email.as_str(), "Mixed.Case@example.org");
    assert_eq!(email.local_part(), "Mixed.Case");
    assert_eq!(email.domain(), "example.org");
    assert_eq!(
        email,
        EmailAddress::parse("Mixed.Case@example.org").unwrap()
    );
    assert_ne!(
        email,
        EmailAddress::parse("mixed.case@example.org").unwrap()
    );
}

#[test]
fn dates() {
    assert!(DateOfBirth::parse("2024-02-29").is_ok());
    assert_eq!(
        DateOfBirth::parse("1980-04-01").unwrap().to_string(),
        "1980-04-01"
    );
    for bad in [
        "2023-02-29",
        "2024-2-9",
        "2024-02-30",
        "2024-13-01",
        "2024-00-10",
        "24-02-09",
        "2024/02/09",
        "2024-02-09T00:00:00Z",
        " 2024-02-09",
        "２０２４-02-09",
        "",
    ] {
        assert_eq!(
            codes(DateOfBirth::parse(bad)),
            vec!["invalid_date"],
            "{bad}"
        );
    }
}

#[test]
fn countries_and_currencies() {
    assert_eq!(CountryCode::parse("GB").unwrap().as_str(), "GB");
    assert!(CountryCode::parse("XK").is_ok());
    for bad in ["gb", "UK", "ZZ", "G", "GBR", "", "Gb"] {
        assert_eq!(
            codes(CountryCode::parse(bad)),
            vec!["unknown_country"],
            "{bad}"
        );
    }
    assert_eq!(CountryCode::all().count(), 250);
    assert!(CurrencyCode::parse("USD").is_ok());
    assert!(CurrencyCode::parse("EUR").is_ok());
    for bad in ["usd", "US", "USDT", "XYZ", ""] {
        assert_eq!(
            codes(CurrencyCode::parse(bad)),
            vec!["unknown_currency"],
            "{bad}"
        );
    }
}

#[test]
fn payment_methods_round_trip_their_exact_spelling() {
    let list = include_str!("../data/payment-methods.txt");
    let names: Vec<&str> = list.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(names.len(), 175);
    assert_eq!(PaymentMethod::ALL.len(), 199);
    assert_eq!(
        PaymentMethod::of(rebilly_customer::Contract::Seed2023_01).len(),
        175
    );
    for name in names {
        let method = PaymentMethod::parse(name).unwrap();
        assert_eq!(method.as_str(), name);
        assert_eq!(
            serde_json::to_string(&method).unwrap(),
            serde_json::to_string(name).unwrap()
        );
    }
    assert_eq!(
        PaymentMethod::parse("Apple Pay").unwrap(),
        PaymentMethod::ApplePay
    );
    assert_eq!(
        PaymentMethod::parse("ePay.bg").unwrap(),
        PaymentMethod::EPayBg
    );
    assert_eq!(codes(PaymentMethod::parse("visa")), vec!["unknown_method"]);
    assert_eq!(
        PaymentMethod::parse("visa").unwrap_err().to_string(),
        "unknown payment method \"visa\""
    );
}

fn instrument(json: &str) -> Result<PaymentInstrument, RequestError> {
    PaymentInstrument::parse(json.as_bytes())
}

/// The `(field, code)` pairs of a refused JSON value, in document order.
#[track_caller]
fn pairs<T: std::fmt::Debug>(result: Result<T, RequestError>) -> Vec<(String, String)> {
    match result {
        Err(RequestError::Invalid(error)) => error
            .violations()
            .iter()
            .map(|v| (v.field().to_string(), v.code().as_str().to_owned()))
            .collect(),
        other => panic!("expected violations, got {other:?}"),
    }
}

fn owned(list: &[(&str, &'static str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(f, c)| (f.to_string(), c.to_string()))
        .collect()
}

#[test]
fn payment_instrument_table() {
    let cash = instrument(r#"{"method": "cash", "receivedBy": "Front desk"}"#).unwrap();
    assert!(matches!(&cash, PaymentInstrument::Cash(c) if c.received_by() == Some("Front desk")));
    assert!(matches!(
        instrument(r#"{"method": "cash"}"#).unwrap(),
        PaymentInstrument::Cash(_)
    ));

    let check = instrument(r#"{"method": "check", "reference": "CHK-1"}"#).unwrap();
    assert!(matches!(&check, PaymentInstrument::Check(c) if c.reference() == Some("CHK-1")));

    for method in ["payment-card", "ach"] {
        let json = format!(r#"{{"method": "{method}", "paymentInstrumentId": "inst_1"}}"#);
        assert!(
            matches!(instrument(&json).unwrap(), PaymentInstrument::Vaulted(_)),
            "{method}"
        );
        let missing = format!(r#"{{"method": "{method}"}}"#);
        assert_eq!(
            pairs(instrument(&missing)),
            owned(&[("paymentInstrumentId", "required")])
        );
    }

    let paypal = instrument(r#"{"method": "paypal", "paymentInstrumentId": "inst_2"}"#).unwrap();
    assert!(matches!(paypal, PaymentInstrument::Vaulted(_)));
    let paypal = instrument(r#"{"method": "paypal"}"#).unwrap();
    assert!(matches!(paypal, PaymentInstrument::Alternative(_)));

    let apple = instrument(r#"{"method": "Apple Pay"}"#).unwrap();
    assert!(
        matches!(&apple, PaymentInstrument::Alternative(a) if a.payment_instrument_id().is_none())
    );
    let apple = instrument(r#"{"method": "Apple Pay", "paymentInstrumentId": "inst_3"}"#).unwrap();
    assert_eq!(apple.payment_instrument_id().unwrap().as_str(), "inst_3");
    assert_eq!(apple.method(), Some(PaymentMethod::ApplePay));

    // Other members are not judged when the method is unknown.
    let unknown = instrument(r#"{"method": "visa", "paymentInstrumentId": 5}"#);
    assert_eq!(pairs(unknown), owned(&[("method", "unknown_method")]));

    // Members the variant lacks are unknown fields.
    let error = instrument(r#"{"method": "cash", "paymentInstrumentId": "inst_1"}"#);
    assert_eq!(
        pairs(error),
        owned(&[("paymentInstrumentId", "unknown_field")])
    );
    let error =
        instrument(r#"{"method": "payment-card", "paymentInstrumentId": "i", "receivedBy": "x"}"#);
    assert_eq!(pairs(error), owned(&[("receivedBy", "unknown_field")]));

    // Render: optional members omitted when unset.
    assert_eq!(
        serde_json::to_string(&cash).unwrap(),
        r#"{"method":"cash","receivedBy":"Front desk"}"#
    );
    assert_eq!(
        serde_json::to_string(&PaymentInstrument::new(PaymentMethod::Paypal, None).unwrap())
            .unwrap(),
        r#"{"method":"paypal"}"#
    );
}

#[test]
fn payment_instrument_constructor_errors_name_their_member() {
    let error = PaymentInstrument::new(PaymentMethod::Ach, None).unwrap_err();
    assert_eq!(error.violations()[0].field(), "paymentInstrumentId");
    assert_eq!(error.codes(), vec![ErrorCode::Required]);
    let id = PaymentInstrumentId::parse("inst").unwrap();
    let error = PaymentInstrument::new(PaymentMethod::Check, Some(id)).unwrap_err();
    assert_eq!(error.codes(), vec![ErrorCode::UnknownField]);
}

#[test]
fn token_debug_shows_no_part_of_it() {
    let token = PaymentToken::parse("tok_live_abcdef123456").unwrap();
    let debug = format!("{token:?}");
    for part in ["tok", "live", "abc", "123", "456"] {
        assert!(!debug.contains(part), "{debug}");
    }
    assert_eq!(token.expose_secret(), "tok_live_abcdef123456");
    let wrapped = format!("{:?}", Some(&token));
    assert!(!wrapped.contains("abcdef"));
}

#[test]
fn contact_rules() {
    let contact: Contact = serde_json::from_str(
        r#"{"firstName": "Benjamin", "lastName": null, "country": "GB", "dob": "1980-04-01",
            "emails": [{"label": "main", "value": "b@Example.com", "primary": true}],
            "phoneNumbers": [{"label": "", "value": ""}], "hash": "ignored"}"#,
    )
    .unwrap();
    assert_eq!(contact.first_name().unwrap().as_str(), "Benjamin");
    assert!(contact.last_name().is_none());
    assert_eq!(
        contact.emails().primary().unwrap().value().as_str(),
        "b@example.com"
    );
    assert!(!contact.phone_numbers().items()[0].is_primary());

    let error = Contact::parse(
        br#"{"emails": [{"label": "a", "value": "a@example.com", "primary": true},
                        {"label": "b", "value": "b@example.com", "primary": true}]}"#,
    );
    assert_eq!(pairs(error), owned(&[("emails", "multiple_primary")]));

    let error = Contact::parse(
        br#"{"firstName": "A!", "country": "gb", "emails": [{"value": "nope", "primary": null}], "extra": 1}"#,
    );
    assert_eq!(
        pairs(error),
        owned(&[
            ("firstName", "pattern"),
            ("country", "unknown_country"),
            ("emails.0.value", "invalid_email"),
            ("emails.0.primary", "not_null"),
            ("emails.0.label", "required"),
            ("extra", "unknown_field"),
        ])
    );
    // Deserialize reads with the same rules.
    assert!(serde_json::from_str::<Contact>(r#"{"country": "gb"}"#).is_err());
}

#[test]
fn tags_must_be_customer_tags_with_unique_names() {
    let ok: CustomerTags = serde_json::from_str(
        r#"[{"name": "vip", "type": "customer"}, {"name": "new", "type": "customer", "id": "t1"}]"#,
    )
    .unwrap();
    assert_eq!(ok.tags().len(), 2);
    let error = CustomerTags::parse(
        br#"[{"name": "VIP", "type": "customer"}, {"name": "vip", "type": "kyc-document"}]"#,
    );
    assert_eq!(pairs(error), owned(&[("1.type", "tag"), ("1.name", "tag")]));
}

#[test]
fn value_types_deserialize_through_the_same_rules() {
    assert!(serde_json::from_str::<ContactName>("\"Zoë\"").is_ok());
    assert!(serde_json::from_str::<ContactName>("\"Zoë!\"").is_err());
    assert!(serde_json::from_str::<CountryCode>("\"ZZ\"").is_err());
    assert!(serde_json::from_str::<CustomerId>("\"a b\"").is_err());
    let name: ContactName = serde_json::from_str("\"Jose\\u0301\"").unwrap();
    assert_eq!(name.as_str(), "José");
    assert_eq!(serde_json::to_string(&name).unwrap(), "\"José\"");
    let parsed: ContactName = "Zoë".parse().unwrap();
    assert_eq!(parsed.to_string(), "Zoë");
    assert_eq!(ContactName::try_from("Zoë".to_string()).unwrap(), parsed);
}

#[test]
fn public_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Contact>();
    assert_send_sync::<PaymentInstrument>();
    assert_send_sync::<PaymentToken>();
    assert_send_sync::<ValidationError>();
    assert_send_sync::<CustomFields>();
    assert_send_sync::<CustomerTags>();
}

#[test]
fn timestamps_stay_within_the_years_the_resource_can_write() {
    // In UTC this is year -1: `YYYY-MM-DDTHH:MM:SSZ` cannot write it, so it is refused rather
    // than rendered as text that would not read back.
    assert_eq!(
        codes(Timestamp::parse("0000-01-01T00:00:00+01:00")),
        vec!["invalid_date"]
    );
    assert_eq!(
        codes(Timestamp::parse("9999-12-31T23:59:59-00:01")),
        vec!["invalid_date"]
    );
    let first = Timestamp::parse("0000-01-01T00:00:00Z").unwrap();
    assert_eq!(first.to_string(), "0000-01-01T00:00:00Z");
    let last = Timestamp::parse("9999-12-31T23:59:59Z").unwrap();
    assert_eq!(last.to_string(), "9999-12-31T23:59:59Z");
    // Built from any time, a timestamp is brought within range.
    let far = chrono::DateTime::from_timestamp(400_000_000_000, 0).unwrap();
    assert_eq!(Timestamp::from_datetime(far), last);
    let before = chrono::DateTime::from_timestamp(-70_000_000_000, 0).unwrap();
    assert_eq!(Timestamp::from_datetime(before), first);
}
