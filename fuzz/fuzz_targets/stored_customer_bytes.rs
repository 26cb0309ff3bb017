//! Any bytes as a stored customer: reading must not panic, `Customer::parse` and `Deserialize`
//! must agree, and a customer that reads must render and read back equal, and take an empty
//! upsert as Unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rebilly_customer::{
    Customer, OrganizationId, Timestamp, UpsertContext, UpsertOutcome, UpsertRequest,
};

fuzz_target!(|data: &[u8]| {
    // The strict reader and `Deserialize` share one shape: they accept the same customers.
    let parsed = Customer::parse(data);
    let Ok(customer) = serde_json::from_slice::<Customer>(data) else {
        assert!(
            parsed.is_err(),
            "Customer::parse accepts what Deserialize refuses"
        );
        return;
    };
    assert_eq!(
        parsed.as_ref().ok(),
        Some(&customer),
        "the two readers differ"
    );
    let json = customer.to_json();
    let back: Customer = json.parse().expect("a rendered customer reads back");
    assert_eq!(back, customer);

    let context = UpsertContext::new(
        Timestamp::parse("2026-11-26T10:00:00Z").unwrap(),
        OrganizationId::from_static("org_1"),
    );
    let id = customer.id().clone();
    let outcome = Customer::apply_upsert(
        Some(customer.clone()),
        UpsertRequest::new(id.clone()),
        &context,
    )
    .expect("an empty request onto a stored customer is fine");
    assert!(
        matches!(outcome, UpsertOutcome::Unchanged(_)),
        "{outcome:?}"
    );
    assert_eq!(outcome.customer().revision(), customer.revision());
    assert_eq!(outcome.customer().updated_time(), customer.updated_time());
});
