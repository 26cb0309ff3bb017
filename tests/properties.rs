//! Properties over generated values (feature `proptest`): round trips, near misses refused with
//! exactly their errors, the upsert's idempotence and revision rule, the merge against an
//! independent RFC 7396 implementation, the contact hash, and no panic on any input.
#![cfg(feature = "proptest")]

use proptest::prelude::*;
use rebilly_customer::strategies::{near_miss_body, near_miss_pair, stored_customer, valid_body};
use rebilly_customer::*;
use serde_json::{Map, Value, json};
use unicode_normalization::UnicodeNormalization;

/// Every value renders to JSON and reads back equal.
macro_rules! serde_round_trip {
    ($($name:ident: $ty:ty),* $(,)?) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]
            $(
                #[test]
                fn $name(value in any::<$ty>()) {
                    let json = serde_json::to_string(&value).unwrap();
                    let back: $ty = serde_json::from_str(&json)
                        .unwrap_or_else(|e| panic!("{json} does not read back: {e}"));
                    prop_assert_eq!(back, value);
                }
            )*
        }
    };
}

serde_round_trip!(
    contact_name_round_trips: ContactName,
    city_round_trips: City,
    organization_round_trips: Organization,
    address_round_trips: AddressLine,
    region_round_trips: Region,
    job_title_round_trips: JobTitle,
    postal_code_round_trips: PostalCode,
    label_round_trips: Label,
    phone_round_trips: PhoneNumber,
    customer_id_round_trips: CustomerId,
    website_id_round_trips: WebsiteId,
    organization_id_round_trips: OrganizationId,
    instrument_id_round_trips: PaymentInstrumentId,
    tag_id_round_trips: TagId,
    tag_name_round_trips: TagName,
    custom_field_name_round_trips: CustomFieldName,
    country_round_trips: CountryCode,
    currency_round_trips: CurrencyCode,
    email_round_trips: EmailAddress,
    dob_round_trips: DateOfBirth,
    timestamp_round_trips: Timestamp,
    contact_email_round_trips: ContactEmail,
    contact_phone_round_trips: ContactPhone,
    email_list_round_trips: PrimaryList<EmailAddress>,
    contact_round_trips: Contact,
    contact_patch_round_trips: ContactPatch,
    instrument_round_trips: PaymentInstrument,
    custom_fields_round_trips: CustomFields,
    custom_fields_patch_round_trips: CustomFieldsPatch,
    customer_round_trips: Customer,
);

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn the_fast_writer_writes_what_serialize_writes(customer in stored_customer()) {
        prop_assert_eq!(customer.to_json(), serde_json::to_string(&customer).unwrap());
    }

    #[test]
    fn text_values_parse_back_from_their_text(
        name in any::<ContactName>(),
        address in any::<AddressLine>(),
        token in any::<PaymentToken>(),
        method in any::<PaymentMethod>(),
    ) {
        prop_assert_eq!(ContactName::parse(name.as_str()).unwrap(), name.clone());
        prop_assert_eq!(AddressLine::parse(address.as_str()).unwrap(), address.clone());
        prop_assert_eq!(PaymentToken::parse(token.expose_secret()).unwrap(), token.clone());
        prop_assert_eq!(PaymentMethod::parse(method.as_str()).unwrap(), method);
    }

    #[test]
    fn valid_bodies_parse_to_their_request(body in valid_body()) {
        let request = UpsertRequest::parse(body.path_id(), body.json());
        let request = request.unwrap_or_else(|e| {
            panic!("{} refused: {e}", String::from_utf8_lossy(body.json()))
        });
        prop_assert_eq!(&request, body.request());
        // Body -> parse -> wire form -> parse gives the same request, token included.
        let wire = request.to_body_with_token();
        let again = UpsertRequest::parse(body.path_id(), wire.as_bytes()).unwrap();
        prop_assert_eq!(&again, &request);
        // The default Serialize writes the same body without a token, and refuses one.
        match serde_json::to_string(&request) {
            Ok(rendered) => {
                prop_assert!(request.payment_token().is_none());
                prop_assert_eq!(rendered, wire);
            }
            Err(_) => prop_assert!(request.payment_token().is_some()),
        }
    }

    #[test]
    fn near_misses_are_refused_with_exactly_their_errors(body in near_miss_body()) {
        let error = UpsertRequest::parse(body.path_id(), body.json()).unwrap_err();
        let RequestError::Invalid(error) = error else {
            panic!("a near miss is valid JSON: {error}");
        };
        let mut actual: Vec<(String, ErrorCode)> =
            error.violations().iter().map(|v| (v.field().to_string(), v.code())).collect();
        actual.sort();
        prop_assert_eq!(actual, body.expected().to_vec(), "{}", String::from_utf8_lossy(body.json()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Read-modify-write: the request a customer converts to changes nothing when applied to
    /// it, directly and after the trip through its wire form.
    #[test]
    fn a_customer_sent_back_as_its_request_is_unchanged(stored in stored_customer()) {
        let context = UpsertContext::new(
            Timestamp::parse("2026-11-26T10:00:00Z").unwrap(),
            OrganizationId::parse("org_1").unwrap(),
        );
        let request = stored.to_request();
        let wire = UpsertRequest::parse(stored.id().as_str(), request.to_body_with_token().as_bytes())
            .unwrap();
        prop_assert_eq!(&wire, &request);
        for request in [request, wire] {
            let outcome = Customer::apply_upsert(Some(stored.clone()), request, &context)
                .unwrap();
            prop_assert!(matches!(outcome, UpsertOutcome::Unchanged(_)), "{:?}", outcome);
            prop_assert_eq!(outcome.customer().revision(), stored.revision());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A client reads back every problem body the crate writes, and any other, and renders it
    /// to the same text.
    #[test]
    fn problems_render_read_and_render_the_same(
        body in near_miss_body(),
        bytes in proptest::collection::vec(any::<u8>(), 0..48),
        detail in ".{0,40}",
        title in ".{0,20}",
        type_uri in "[a-z:/.]{0,20}",
        status in 100u16..600,
        field in "[a-zA-Z0-9.]{0,12}",
        code in "[a-z_]{0,12}",
        with_detail in any::<bool>(),
        with_fields in any::<bool>(),
    ) {
        let mut problems = vec![
            Problem::from(UpsertRequest::parse(body.path_id(), body.json()).unwrap_err()),
            Problem::Conflict { detail: detail.clone() },
            Problem::Other(Box::new({
                let mut other = ProblemDetails::new(status, &title, with_detail.then(|| detail.clone()));
                other.type_uri = Some(type_uri);
                if with_fields {
                    let reported = json!({"field": field, "message": detail, "code": code});
                    other.invalid_fields = vec![serde_json::from_value::<Violation>(reported).unwrap()];
                }
                other
            })),
        ];
        if let Err(RequestError::Malformed(m)) = UpsertRequest::parse("cus_1", &bytes) {
            problems.push(Problem::Malformed(m));
        }
        for problem in problems {
            let json = problem.to_json();
            let back = Problem::parse(json.as_bytes()).unwrap();
            prop_assert_eq!(back.to_json(), json.clone());
            prop_assert_eq!(serde_json::to_string(&back).unwrap(), json.clone());
            prop_assert_eq!(serde_json::from_str::<Problem>(&json).unwrap(), back);
        }
    }
}

proptest! {
    // Each pair of breaks is one of a few hundred: enough cases to meet each pair often.
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Every error at once: a break never hides another, wherever the two sit.
    #[test]
    fn two_breaks_report_exactly_the_union_of_their_violations(pair in near_miss_pair()) {
        let violations = |json: &[u8]| -> Vec<(String, ErrorCode)> {
            match UpsertRequest::parse(pair.path_id(), json) {
                Err(RequestError::Invalid(error)) => {
                    let mut found: Vec<_> =
                        error.violations().iter().map(|v| (v.field().to_string(), v.code())).collect();
                    found.sort();
                    found
                }
                other => panic!("{} gave {other:?}", String::from_utf8_lossy(json)),
            }
        };
        let mut union = violations(pair.first());
        union.extend(violations(pair.second()));
        union.sort();
        prop_assert_eq!(
            violations(pair.both()),
            union,
            "{}",
            String::from_utf8_lossy(pair.both())
        );
    }
}

/// A resolver that accepts tokens of even length (as cash) and refuses the others.
fn resolver(token: &PaymentToken) -> Result<PaymentInstrument, TokenRejection> {
    if token.expose_secret().chars().count() % 2 == 0 {
        Ok(PaymentInstrument::cash(Some("teller")))
    } else {
        Err(TokenRejection::new("the token has expired"))
    }
}

/// `stored` under the request's id, as a server would have loaded it.
fn stored_as(stored: &Customer, id: &CustomerId) -> Customer {
    let mut json = serde_json::to_value(stored).unwrap();
    json["id"] = json!(id.as_str());
    serde_json::from_value(json).unwrap()
}

#[derive(Debug)]
struct Case {
    stored: Option<Customer>,
    body: ValidBody,
    now: Timestamp,
    default_website: Option<WebsiteId>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        // One in eight at the top of `u64`, where a change cannot grow the revision.
        proptest::option::of(prop_oneof![
            7 => stored_customer(),
            1 => rebilly_customer::strategies::stored_customer_with_revisions(u64::MAX - 1..=u64::MAX),
        ]),
        valid_body(),
        any::<Timestamp>(),
        proptest::option::of(any::<WebsiteId>()),
    )
        .prop_map(|(stored, body, now, default_website)| {
            let id = body.request().id().clone();
            Case {
                stored: stored.map(|s| stored_as(&s, &id)),
                body,
                now,
                default_website,
            }
        })
}

fn run(case: &Case, stored: Option<Customer>) -> Result<UpsertOutcome, UpsertError> {
    let organization = OrganizationId::parse("org_1").unwrap();
    let mut context = UpsertContext::new(case.now, organization).with_token_resolver(&resolver);
    if let Some(website) = &case.default_website {
        context = context.with_default_website(website.clone());
    }
    let request = UpsertRequest::parse(case.body.path_id(), case.body.json()).unwrap();
    Customer::apply_upsert(stored, request, &context)
}

/// Numbers are equal by value (SPEC section 2): a stored `1.0` stays `1.0` when `1` is sent,
/// where RFC 7396 would write `1`. Both sides are compared with integral numbers as integers.
fn integral_numbers_as_integers(value: &mut Value) {
    match value {
        Value::Number(n) => {
            if let Some(f) = n
                .as_f64()
                .filter(|f| !n.is_i64() && !n.is_u64() && f.fract() == 0.0 && f.abs() < 9.0e15)
            {
                *value = json!(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers_as_integers),
        Value::Object(members) => members.values_mut().for_each(integral_numbers_as_integers),
        _ => {}
    }
}

/// The writable members of a rendered customer, in the normal form both sides of the merge
/// comparison use: no `null` members, no `hash`, no empty lists, no `"primary": false`.
fn writable(customer: &Value) -> Value {
    let mut out = Map::new();
    for member in [
        "websiteId",
        "defaultPaymentInstrument",
        "customFields",
        "primaryAddress",
        "isEddRequired",
    ] {
        if let Some(value) = customer.get(member) {
            out.insert(member.to_owned(), value.clone());
        }
    }
    normal(Value::Object(out))
}

fn normal(mut value: Value) -> Value {
    integral_numbers_as_integers(&mut value);
    let Value::Object(members) = &mut value else {
        return value;
    };
    members.retain(|_, v| !v.is_null());
    if let Some(Value::Object(contact)) = members.get_mut("primaryAddress") {
        contact.retain(|k, v| !v.is_null() && k != "hash" && v != &json!([]));
        for list in ["emails", "phoneNumbers"] {
            if let Some(Value::Array(items)) = contact.get_mut(list) {
                for item in items {
                    if let Value::Object(item) = item {
                        item.retain(|k, v| !(k == "primary" && v == &json!(false)));
                    }
                }
            }
        }
    }
    value
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn the_same_request_twice_is_unchanged_the_second_time(case in case()) {
        let Ok(first) = run(&case, case.stored.clone()) else { return Ok(()) };
        let first = first.into_customer();
        let second = run(&case, Some(first.clone())).unwrap();
        prop_assert!(matches!(second, UpsertOutcome::Unchanged(_)), "{second:?}");
        prop_assert_eq!(second.customer().revision(), first.revision());
        prop_assert_eq!(second.customer().updated_time(), first.updated_time());
        prop_assert_eq!(second.customer(), &first);
    }

    #[test]
    fn the_revision_grows_by_one_exactly_when_a_writable_member_changes(case in case()) {
        let Some(stored) = case.stored.clone() else { return Ok(()) };
        let before = writable(&serde_json::to_value(&stored).unwrap());
        match run(&case, Some(stored.clone())) {
            Ok(outcome) => {
                let after = writable(&serde_json::to_value(outcome.customer()).unwrap());
                match &outcome {
                    UpsertOutcome::Updated { customer, changes } => {
                        prop_assert_eq!(customer.revision(), stored.revision() + 1);
                        prop_assert!(before != after);
                        prop_assert!(!changes.is_empty());
                        prop_assert!(customer.updated_time() >= stored.updated_time());
                    }
                    UpsertOutcome::Unchanged(customer) => {
                        prop_assert_eq!(customer.revision(), stored.revision());
                        prop_assert_eq!(customer.updated_time(), stored.updated_time());
                        prop_assert_eq!(before, after);
                    }
                    other => prop_assert!(false, "an update cannot be {:?}", other),
                }
            }
            // Only a change can overflow the revision.
            Err(UpsertError::Conflict(_)) => prop_assert_eq!(stored.revision(), u64::MAX),
            Err(UpsertError::Invalid(_)) => {}
            Err(other) => prop_assert!(false, "unexpected {:?}", other),
        }
    }

    #[test]
    fn the_merge_is_rfc_7396_on_the_writable_members(case in case()) {
        let Ok(outcome) = run(&case, case.stored.clone()) else { return Ok(()) };
        let mut expected = match &case.stored {
            Some(stored) => writable(&serde_json::to_value(stored).unwrap()),
            None => {
                let website = case.body.request().website_id().or(case.default_website.as_ref());
                json!({"websiteId": website.unwrap().as_str(), "customFields": {}, "isEddRequired": false})
            }
        };
        let request = case.body.request();
        let mut patch: Value = serde_json::from_str(&request.to_body_with_token()).unwrap();
        patch.as_object_mut().unwrap().remove("id");
        patch.as_object_mut().unwrap().remove("paymentToken");
        // SPEC's exceptions to RFC 7396: the instrument is replaced whole, and a resolved
        // token's instrument replaces it.
        if let Some(token) = request.payment_token() {
            patch["defaultPaymentInstrument"] = serde_json::to_value(resolver(token).unwrap()).unwrap();
        }
        if patch.get("defaultPaymentInstrument").is_some() {
            expected.as_object_mut().unwrap().remove("defaultPaymentInstrument");
        }
        json_patch::merge(&mut expected, &patch);
        let actual = writable(&serde_json::to_value(outcome.customer()).unwrap());
        prop_assert_eq!(actual, normal(expected));
    }

    #[test]
    fn definitions_only_ever_refuse_custom_fields(case in case(), definitions in any::<CustomFieldDefinitions>()) {
        let organization = OrganizationId::parse("org_1").unwrap();
        let context = UpsertContext::new(case.now, organization)
            .with_token_resolver(&resolver)
            .with_custom_field_definitions(&definitions);
        let request = UpsertRequest::parse(case.body.path_id(), case.body.json()).unwrap();
        if let Err(UpsertError::Invalid(error)) = Customer::apply_upsert(case.stored.clone(), request, &context) {
            for violation in error.violations() {
                let field = violation.field().to_string();
                let known = matches!(field.as_str(), "websiteId" | "paymentToken")
                    || (field.starts_with("customFields.") && violation.code() == ErrorCode::CustomField);
                prop_assert!(known, "{} {}", field, violation.code());
            }
        }
    }

    #[test]
    fn the_contact_hash_ignores_normalization_and_sees_every_attribute(
        contact in any::<Contact>(),
        other in any::<Contact>(),
    ) {
        let mut json = serde_json::to_value(&contact).unwrap();
        decompose(&mut json);
        let from_nfd: Contact = serde_json::from_value(json).unwrap();
        prop_assert_eq!(&from_nfd, &contact);
        prop_assert_eq!(from_nfd.hash(), contact.hash());
        prop_assert_eq!(contact.hash().len(), 40);
        if other != contact {
            prop_assert_ne!(other.hash(), contact.hash());
        }
    }

    #[test]
    fn the_hash_is_sha1_of_the_general_canonical_json(contact in any::<Contact>()) {
        // An independent JCS: serde_json's sorted map of the rendered attributes.
        let mut json = serde_json::to_value(&contact).unwrap();
        let attributes = json.as_object_mut().unwrap();
        attributes.retain(|k, v| !v.is_null() && k != "hash" && v != &json!([]));
        for list in ["emails", "phoneNumbers"] {
            if let Some(Value::Array(items)) = attributes.get_mut(list) {
                for item in items.iter_mut().filter_map(Value::as_object_mut) {
                    item.retain(|k, v| !(k == "primary" && v == &json!(false)));
                }
            }
        }
        use sha1::Digest;
        let digest = sha1::Sha1::digest(json.to_string().as_bytes());
        let expected: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        prop_assert_eq!(contact.hash(), expected);
    }

    #[test]
    fn changing_one_attribute_changes_the_hash(contact in any::<Contact>(), city in any::<City>(), dob in any::<DateOfBirth>()) {
        let mut changed = contact.clone();
        changed.set_city(Some(city.clone()));
        if contact.city() != Some(&city) {
            prop_assert_ne!(changed.hash(), contact.hash());
        }
        let mut changed = contact.clone();
        changed.set_dob(Some(dob));
        if contact.dob() != Some(&dob) {
            prop_assert_ne!(changed.hash(), contact.hash());
        }
        let mut changed = contact.clone();
        changed.set_emails(PrimaryList::default());
        if !contact.emails().is_empty() {
            prop_assert_ne!(changed.hash(), contact.hash());
        }
    }
}

fn decompose(value: &mut Value) {
    match value {
        Value::String(text) => *text = text.nfd().collect(),
        Value::Array(items) => items.iter_mut().for_each(decompose),
        Value::Object(members) => members.values_mut().for_each(decompose),
        _ => {}
    }
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("websiteId"),
            Just("primaryAddress"),
            Just("emails"),
            Just("method"),
            Just("customFields"),
            Just("paymentToken"),
            Just("cash"),
            Just("payment-card"),
            Just("GB"),
            Just("a@example.com"),
            Just("2024-02-29")
        ]
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let key = prop_oneof![
            Just("websiteId".to_owned()),
            Just("primaryAddress".to_owned()),
            Just("defaultPaymentInstrument".to_owned()),
            Just("customFields".to_owned()),
            Just("emails".to_owned()),
            Just("phoneNumbers".to_owned()),
            Just("method".to_owned()),
            Just("label".to_owned()),
            Just("value".to_owned()),
            Just("primary".to_owned()),
            Just("id".to_owned()),
            Just("revision".to_owned()),
            Just("tags".to_owned()),
            Just("_links".to_owned()),
            "[a-zA-Z]{0,8}",
        ];
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(key, inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn nothing_panics_on_any_bytes(
        bytes in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..256),
            // Text that is nearly JSON reaches further into the reader than random bytes.
            r#"[{}\[\]":,a-z0-9 \\u.-]{0,80}"#.prop_map(String::into_bytes),
        ],
        id in ".{0,60}",
    ) {
        let _ = UpsertRequest::parse(&id, &bytes);
        let _ = UpsertRequest::parse_with(&id, &bytes, ParseOptions::ignoring_unknown());
        let _ = serde_json::from_slice::<Customer>(&bytes);
        let _ = serde_json::from_slice::<Contact>(&bytes);
        let _ = serde_json::from_slice::<PaymentInstrument>(&bytes);
    }

    #[test]
    fn nothing_panics_on_any_json(value in any_json(), id in "[a-z_]{1,8}") {
        let bytes = serde_json::to_vec(&value).unwrap();
        if let Err(error) = UpsertRequest::parse(&id, &bytes) {
            let _ = Problem::from(error).to_json();
        }
        let _ = serde_json::from_slice::<Customer>(&bytes);
        let mut wrapped = json!({"primaryAddress": value.clone(), "customFields": value.clone(), "defaultPaymentInstrument": value});
        let _ = UpsertRequest::parse(&id, &serde_json::to_vec(&wrapped).unwrap());
        wrapped["websiteId"] = json!("web_1");
        let _ = serde_json::from_value::<Customer>(wrapped);
    }
}

proptest! {
    /// A harness can ask for the revisions its store holds.
    #[test]
    fn revisions_can_be_bounded_for_a_store(
        bounded in rebilly_customer::strategies::stored_customer_with_revisions(0..=i64::MAX as u64),
        top in rebilly_customer::strategies::stored_customer_with_revisions(u64::MAX - 1..=u64::MAX),
    ) {
        prop_assert!(bounded.revision() <= i64::MAX as u64);
        prop_assert!(top.revision() >= u64::MAX - 1);
    }
}

#[test]
fn generated_revisions_are_in_the_documented_range_and_the_simplest_is_zero() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use rebilly_customer::strategies::REVISIONS;
    let mut runner = TestRunner::deterministic();
    let mut above_a_thousand = 0;
    for round in 0..200 {
        let mut tree = stored_customer().new_tree(&mut runner).unwrap();
        let revision = tree.current().revision();
        assert!(REVISIONS.contains(&revision), "{revision}");
        above_a_thousand += usize::from(revision > 1000);
        // Shrunk as far as it goes, a customer has revision 0.
        if round < 10 {
            while tree.simplify() {}
            assert_eq!(tree.current().revision(), 0);
        }
    }
    // Mostly small, sometimes anywhere in the range.
    assert!(
        (1..100).contains(&above_a_thousand),
        "{above_a_thousand} of 200 above 1000"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// The builder reads a contact's own text back to the same contact.
    #[test]
    fn a_contact_built_from_its_own_text_is_itself(contact in any::<Contact>()) {
        let mut builder = Contact::builder();
        macro_rules! text_members {
            ($($member:ident),*) => {$(
                if let Some(value) = contact.$member() {
                    builder = builder.$member(&value.to_string());
                }
            )*};
        }
        text_members!(
            first_name, last_name, organization, address, address2, city, region, country,
            postal_code, dob, job_title
        );
        for item in contact.emails().items() {
            builder = builder.email(item.label().as_str(), item.value().as_str(), item.is_primary());
        }
        for item in contact.phone_numbers().items() {
            builder = builder.phone(item.label().as_str(), item.value().as_str(), item.is_primary());
        }
        prop_assert_eq!(builder.build().unwrap(), contact);
    }
}

proptest! {
    /// Any path of any member names and indices writes as text that reads back as itself, and
    /// compares equal to that text.
    #[test]
    fn field_paths_write_and_read_back(
        segments in proptest::collection::vec(
            prop_oneof![
                any::<usize>().prop_map(PathSegment::from),
                "[a-z.\\[\\]\"\\\\é0-9]{0,6}".prop_map(PathSegment::from),
            ],
            0..5,
        ),
    ) {
        let path = segments.iter().cloned().fold(FieldPath::root(), FieldPath::join);
        let text = path.to_string();
        let read = FieldPath::from_text(&text);
        prop_assert_eq!(&read.to_string(), &text);
        prop_assert!(path == *text.as_str());
        // Names that look like indices read back as indices; everything else as written.
        let as_written = read.segments().len() == path.segments().len()
            && read.segments().iter().zip(path.segments()).all(|(r, p)| r == p || matches!((r, p),
                (PathSegment::Index(i), PathSegment::Key(k)) if i.to_string() == *k));
        prop_assert!(as_written || text.is_empty() || path.segments().iter().any(|s| matches!(s, PathSegment::Key(k) if k.is_empty())), "{:?} read as {:?}", path, read);
    }
}
