//! Structured: a valid stored customer (or none), a valid body, a time and a default website,
//! all from `Arbitrary`. The upsert is applied twice; the second time must be Unchanged, and the
//! revision must grow by exactly one when, and only when, a writable member changed.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use rebilly_customer::{
    Customer, OrganizationId, PaymentInstrument, PaymentToken, Timestamp, TokenRejection,
    UpsertContext, UpsertError, UpsertOutcome, UpsertRequest, ValidBody, WebsiteId,
};

#[derive(Arbitrary, Debug)]
struct Input {
    stored: Option<Customer>,
    body: ValidBody,
    now: Timestamp,
    default_website: Option<WebsiteId>,
    expect_revision: bool,
}

fn resolver(token: &PaymentToken) -> Result<PaymentInstrument, TokenRejection> {
    if token.expose_secret().len() % 2 == 0 {
        Ok(PaymentInstrument::cash(Some("teller")))
    } else {
        Err(TokenRejection::new("the token has expired"))
    }
}

/// The writable members, as rendered (the hash is derived from the contact, so it may stay).
fn writable(customer: &Customer) -> serde_json::Value {
    let json = serde_json::to_value(customer).unwrap();
    serde_json::json!([
        json["websiteId"],
        json["defaultPaymentInstrument"],
        json["customFields"],
        json["primaryAddress"],
        json["isEddRequired"],
    ])
}

fuzz_target!(|input: Input| {
    let request = || {
        UpsertRequest::parse(input.body.path_id(), input.body.json()).expect("a valid body parses")
    };
    let id = request().id().clone();
    // The stored customer is the one under the request's id.
    let stored = input.stored.as_ref().map(|stored| {
        let mut json = serde_json::to_value(stored).unwrap();
        json["id"] = serde_json::json!(id.as_str());
        serde_json::from_value::<Customer>(json).unwrap()
    });
    let mut context = UpsertContext::new(input.now, OrganizationId::from_static("org_1"))
        .with_token_resolver(&resolver);
    if let Some(website) = &input.default_website {
        context = context.with_default_website(website.clone());
    }
    if input.expect_revision {
        if let Some(stored) = &stored {
            context = context.with_expected_revision(stored.revision());
        }
    }

    let first = match Customer::apply_upsert(stored.clone(), request(), &context) {
        Ok(outcome) => outcome,
        Err(UpsertError::Conflict(_)) => {
            assert_eq!(
                stored.map(|s| s.revision()),
                Some(u64::MAX),
                "only an exhausted revision conflicts here"
            );
            return;
        }
        Err(UpsertError::Invalid(_)) => return,
        Err(other) => panic!("unexpected {other:?}"),
    };
    match (&stored, &first) {
        (None, UpsertOutcome::Created(customer)) => assert_eq!(customer.revision(), 0),
        (Some(stored), UpsertOutcome::Updated { customer, .. }) => {
            assert_eq!(customer.revision(), stored.revision() + 1);
            assert_ne!(writable(stored), writable(customer));
            assert!(customer.updated_time() >= stored.updated_time());
        }
        (Some(stored), UpsertOutcome::Unchanged(customer)) => {
            assert_eq!(customer.revision(), stored.revision());
            assert_eq!(writable(stored), writable(customer));
        }
        (stored, outcome) => panic!("{outcome:?} with stored = {}", stored.is_some()),
    }

    let first = first.into_customer();
    let context = context.with_expected_revision(first.revision());
    let second = Customer::apply_upsert(Some(first.clone()), request(), &context)
        .expect("the same request again is fine");
    assert!(matches!(second, UpsertOutcome::Unchanged(_)), "{second:?}");
    assert_eq!(second.customer(), &first);
});
