//! The harness a property-test user meets: at proptest's default settings, a property that
//! fails on one member shrinks to a body holding that member alone; a stored customer and a
//! request share their id.
#![cfg(feature = "proptest")]

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};
use rebilly_customer::strategies::{stored_and_request_for, valid_body, valid_body_for};
use rebilly_customer::{Contract, Customer, UpsertError, ValidBody};
use serde_json::{Map, Value};

/// The body a property that fails whenever `member` is sent shrinks to, at proptest's default
/// settings (with the seed `seed`, so that the test does not depend on luck).
fn shrunk(strategy: &BoxedStrategy<ValidBody>, member: &str, seed: u8) -> Map<String, Value> {
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let outcome = runner.run(strategy, |body| {
        let json: Value = serde_json::from_slice(body.json()).unwrap();
        prop_assert!(json.get(member).is_none(), "sends {member}");
        Ok(())
    });
    match outcome {
        Err(TestError::Fail(_, minimal)) => match serde_json::from_slice(minimal.json()).unwrap() {
            Value::Object(members) => members,
            other => panic!("not an object: {other}"),
        },
        other => panic!("the property did not fail: {other:?}"),
    }
}

#[test]
fn a_failure_on_one_member_shrinks_to_that_member_alone() {
    let seed_2023 = valid_body();
    let today = valid_body_for(Contract::Rebilly2026_08);
    for seed in 0..4 {
        for member in ["customFields", "primaryAddress", "websiteId"] {
            let body = shrunk(&seed_2023, member, seed);
            let keys: Vec<&str> = body.keys().map(String::as_str).collect();
            assert_eq!(keys, [member], "seed {seed}: {body:?}");
        }
        for member in ["locale", "taxNumbers", "leadSource"] {
            let body = shrunk(&today, member, seed);
            let keys: Vec<&str> = body.keys().map(String::as_str).collect();
            assert_eq!(keys, [member], "seed {seed}: {body:?}");
        }
    }
}

proptest! {
    /// The first property a user writes: upserting a generated request onto a generated stored
    /// customer never fails on `id`.
    #[test]
    fn a_stored_customer_and_a_request_share_their_id(
        (stored, request) in stored_and_request_for(Contract::Seed2023_01, false),
    ) {
        prop_assert_eq!(stored.id(), request.id());
        let context = rebilly_customer::UpsertContext::new(
            rebilly_customer::Timestamp::parse("2026-11-26T10:00:00Z").unwrap(),
            rebilly_customer::OrganizationId::parse("org_1").unwrap(),
        );
        if let Err(UpsertError::Invalid(error)) = Customer::apply_upsert(Some(stored), request, &context) {
            prop_assert!(error.violations().iter().all(|v| v.field() != "id"), "{error}");
        }
    }

    /// With the same website, the request sets the stored one.
    #[test]
    fn the_same_website_when_asked(
        (stored, request) in stored_and_request_for(Contract::Rebilly2026_08, true),
    ) {
        prop_assert_eq!(Some(stored.website_id()), request.website_id());
    }
}
