//! What both benches share: the committed inputs, the floor (a plain serde derive of the same
//! shape, no checks), the usual alternative (a `serde_json::Value` validated by the `jsonschema`
//! crate against the official `customer` schema), and a stored customer for the upsert.

#![allow(dead_code)]

use std::collections::HashMap;

use rebilly_customer::{Customer, OrganizationId, Timestamp, UpsertContext, UpsertRequest};
use serde::Deserialize;

/// The inputs, by name: a typical full request (~1 KB), a minimal one, a large one (long texts in
/// several scripts, 20 emails) and an invalid one with 21 errors.
pub const INPUTS: [(&str, &[u8]); 4] = [
    ("typical", include_bytes!("../inputs/typical.json")),
    ("minimal", include_bytes!("../inputs/minimal.json")),
    ("large", include_bytes!("../inputs/large.json")),
    ("invalid", include_bytes!("../inputs/invalid.json")),
];

pub const PATH_ID: &str = "cus_1";

/// The floor: `serde_json::from_slice` into a derive of the same shape, `String`/`Option`
/// members, no checks at all.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FloorBody {
    pub id: Option<String>,
    pub website_id: Option<String>,
    pub payment_token: Option<String>,
    pub default_payment_instrument: Option<FloorInstrument>,
    pub custom_fields: Option<HashMap<String, serde_json::Value>>,
    pub primary_address: Option<FloorContact>,
    pub is_edd_required: Option<bool>,
}

/// The floor of the same body as a 2026-08 client sends it (see `as_2026_08` in the
/// interleaved bench): the instrument named by its id, no `isEddRequired`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FloorBody2026 {
    pub id: Option<String>,
    pub website_id: Option<String>,
    pub payment_token: Option<String>,
    pub default_payment_instrument_id: Option<String>,
    pub custom_fields: Option<HashMap<String, serde_json::Value>>,
    pub primary_address: Option<FloorContact>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FloorInstrument {
    pub method: String,
    pub payment_instrument_id: Option<String>,
    pub received_by: Option<String>,
    pub reference: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FloorContact {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub organization: Option<String>,
    pub address: Option<String>,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub postal_code: Option<String>,
    pub dob: Option<String>,
    pub job_title: Option<String>,
    pub emails: Option<Vec<FloorItem>>,
    pub phone_numbers: Option<Vec<FloorItem>>,
}

#[derive(Deserialize)]
pub struct FloorItem {
    pub label: String,
    pub value: String,
    pub primary: Option<bool>,
}

/// Draft 2020-12 leaves `format` unchecked by default; it is turned on so that the alternative
/// checks emails and dates as this crate does.
pub fn schema_validator() -> jsonschema::Validator {
    let bundle: serde_json::Value =
        serde_json::from_slice(include_bytes!("../schema/rebilly-customer.schema.json")).unwrap();
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&bundle["customer"])
        .expect("the official schema compiles")
}

pub fn context() -> UpsertContext<'static> {
    UpsertContext::new(
        Timestamp::parse("2026-11-26T12:00:00Z").unwrap(),
        OrganizationId::parse("org_1").unwrap(),
    )
}

/// The customer stored by the typical request an hour earlier, and an update onto it that
/// changes a few members.
pub fn stored_and_update() -> (Customer, UpsertRequest) {
    let typical = INPUTS[0].1;
    let earlier = UpsertContext::new(
        Timestamp::parse("2026-11-26T11:00:00Z").unwrap(),
        OrganizationId::parse("org_1").unwrap(),
    );
    let request = UpsertRequest::parse(PATH_ID, typical).unwrap();
    let stored = Customer::apply_upsert(None, request, &earlier)
        .unwrap()
        .into_customer();
    let update = br#"{"primaryAddress": {"city": "London", "region": null}, "customFields": {"loyalty-tier": "platinum"}, "isEddRequired": true}"#;
    (stored, UpsertRequest::parse(PATH_ID, update).unwrap())
}
