//! A client of PUT /customers/{id}: build a request from plain values, print the body it sends
//! (token included, by explicit choice), read a response from a newer API whole, and turn it
//! into the next request (read-modify-write). No network: the response is a sample.
//!
//! ```sh
//! cargo run --example client
//! ```

use rebilly_customer::{Contact, Customer, Problem, UpsertRequest};

/// A response of a newer API: it adds a top-level member, one in the contact and one in an
/// email, a link relation, a tag type, and a payment method this version does not know.
const NEWER_RESPONSE: &str = r#"{
  "id": "cus_1", "email": "jose@example.com", "firstName": "José", "lastName": null,
  "websiteId": "web_1", "loyalty": {"tier": "gold", "points": 1250},
  "defaultPaymentInstrument": {"method": "Quantum Pay", "paymentInstrumentId": "inst_9"},
  "createdTime": "2026-11-26T10:00:00Z", "updatedTime": "2026-11-26T10:00:00Z",
  "customFields": {},
  "primaryAddress": {"firstName": "José", "salutation": "Sr",
    "emails": [{"label": "main", "value": "jose@example.com", "primary": true, "verified": true}]},
  "revision": 0, "isEddRequired": false, "organizationId": "org_1",
  "tags": [{"name": "kyc-pending", "type": "kyc-file"}],
  "_links": [{"rel": "self", "href": "https://api.rebilly.com/customers/cus_1"},
    {"rel": "transactions", "href": "https://api.rebilly.com/transactions?filter=customerId:cus_1"}]
}"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. Build: plain text in, every violation at once out.
    let request = UpsertRequest::builder("cus_1")
        .website_id("web_1")
        .payment_token("tok_from_the_vault")
        .primary_address(Contact::builder().first_name("Jose\u{301}").email(
            "main",
            "jose@Example.com",
            true,
        ))
        .build()?;
    // Debug never shows the token; the body that is sent does, because this call says so.
    println!("request:  {request:?}");
    println!("PUT body: {}", request.to_body_with_token());

    // 2. Read what a newer API answered: nothing it added is lost.
    let customer = Customer::parse(NEWER_RESPONSE.as_bytes())?;
    let added: Vec<&str> = customer
        .other_members()
        .iter()
        .map(|(name, _)| name)
        .collect();
    println!("members this version does not know, kept: {added:?}");
    println!(
        "method {:?}, tag type {:?}, link {:?}",
        customer
            .default_payment_instrument()
            .map(|instrument| instrument.method_name()),
        customer.tags().tags()[0].type_name(),
        customer.links()[1].rel_name(),
    );
    let rendered = customer.to_json();
    for added in [
        r#""loyalty":{"tier":"gold","points":1250}"#,
        r#""salutation":"Sr""#,
        r#""verified":true"#,
        r#""method":"Quantum Pay""#,
        r#""type":"kyc-file""#,
        r#""rel":"transactions""#,
    ] {
        assert!(rendered.contains(added), "{added} survives a render");
    }
    println!("rendered back: {rendered}");

    // 3. Read-modify-write: the customer as a request, one member changed.
    let update = customer.to_request().with_is_edd_required(true);
    println!("next PUT body: {}", update.to_body_with_token());

    // 4. A problem the server answers is read back into the crate's types.
    let problem = Problem::parse(
        br#"{"type": "about:blank", "title": "Conflict", "status": 409,
            "detail": "the customer changed: revision 1 is stored"}"#,
    )?;
    println!("a {} problem: {}", problem.status(), problem.detail());
    Ok(())
}
