//! A client of Rebilly's API as it is today (revision 2026-08): read a response, change the
//! customer's locale, and send it back. No network: the response is a sample, with a name in
//! a script that keeps combining marks, the members 2026-08 added, a read-only instrument and
//! a member no revision defines.
//!
//! ```sh
//! cargo run --example client_2026
//! ```

use rebilly_customer::{Contract, Customer, Locale, ParseOptions, Patch, Problem, UpsertRequest};

const RESPONSE_2026: &str = r#"{
  "id": "cus_7", "email": "anurag@example.com", "firstName": "अनुराग", "lastName": "शर्मा",
  "websiteId": "web_1",
  "defaultPaymentInstrument": {"method": "Affirm", "paymentInstrumentId": "inst_3"},
  "preferredPayoutInstrumentId": null,
  "createdTime": "2026-11-26T10:00:00Z", "updatedTime": "2026-11-26T10:00:00Z",
  "customFields": {"tier": "gold"},
  "primaryAddress": {"firstName": "अनुराग", "lastName": "शर्मा", "city": "बेंगलुरु",
    "emails": [{"label": "main", "value": "anurag@example.com", "primary": true}]},
  "company": {"name": "Example Pvt Ltd", "domain": "example.com"},
  "averageValue": {"currency": "INR", "amount": 0, "amountUsd": 0}, "paymentCount": 0,
  "lastPaymentTime": null,
  "lifetimeRevenue": {"currency": "INR", "amount": 0, "amountUsd": 0}, "invoiceCount": 0,
  "tags": [{"name": "vip+gold", "type": "aml-check"}], "revision": 4,
  "hasFulfilledKyc": true, "organizationId": "org_1", "locale": "hi-IN",
  "taxNumbers": [{"type": "other", "value": "29ABCDE1234F1Z5", "isDefault": true, "isValid": true}],
  "personId": "per_1", "notificationEmails": ["billing@example.com"],
  "riskScore": {"value": 0.12, "model": "v9"},
  "_links": [{"rel": "self", "href": "https://api.rebilly.com/customers/cus_7"}],
  "_embedded": {}
}"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let today = Contract::Rebilly2026_08;

    // 1. Read the response under today's rules: the names, the new members and the member
    //    no revision defines are all kept.
    let customer = Customer::parse_for(RESPONSE_2026.as_bytes(), today)?;
    println!(
        "{} {:?}, locale {:?}, kept {:?}",
        customer.id(),
        customer.first_name().map(|name| name.as_str()),
        customer.locale().map(Locale::as_str),
        customer
            .other_members()
            .iter()
            .map(|(name, _)| name)
            .collect::<Vec<_>>()
    );

    // 2. Change the locale and send the customer back.
    let update = customer
        .to_request()
        .with_locale(Patch::Value(Locale::parse("en-IN")?));
    let body = update.to_body_with_token();
    println!("PUT /customers/cus_7 {body}");

    // 3. What is sent parses under the same revision: the crate accepts what it renders.
    let options = ParseOptions::new().with_contract(today);
    let parsed = UpsertRequest::parse_with(customer.id().as_str(), body.as_bytes(), options)?;
    assert_eq!(parsed, update);
    assert!(body.contains(r#""locale":"en-IN""#));
    assert!(
        !body.contains("defaultPaymentInstrument\""),
        "read-only: not sent"
    );

    // 4. A problem in the shape today's API may answer: no member is required, and extension
    //    members come back as they were.
    let answer = br#"{"title":"Invalid data","instance":"/customers/cus_7","traceId":"t-42","invalidFields":[{"field":"locale","message":"unsupported locale"}]}"#;
    let problem = Problem::parse(answer)?;
    println!(
        "problem at {:?}: {} ({})",
        problem.instance(),
        problem.invalid_fields()[0].message(),
        problem.to_json()
    );
    assert_eq!(problem.to_json().as_bytes(), answer);
    Ok(())
}
