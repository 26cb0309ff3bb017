//! Generators of valid values, for property-based harnesses (`proptest` feature) and fuzzers
//! (`arbitrary` feature).
//!
//! Each type is generated once, here, from a stream of choices ([`Entropy`]); the two front ends
//! only supply the stream: proptest from a shrinkable byte vector (fewer or smaller bytes give
//! simpler values), `arbitrary` from its `Unstructured`. Text is built from the same
//! [`TextRule`](crate::text::TextRule) and class definitions that check it, so a generator cannot
//! drift from its rule, and every generated value goes through its public constructor.

/// Calls `$m!` with every type that has a generator: the front ends implement their traits for
/// exactly this list.
macro_rules! for_each_generated_type {
    ($m:ident) => {
        $m!(
            crate::contact::ContactName,
            crate::contact::City,
            crate::contact::Organization,
            crate::contact::AddressLine,
            crate::contact::Region,
            crate::contact::JobTitle,
            crate::contact::PostalCode,
            crate::contact::Label,
            crate::contact::PhoneNumber,
            crate::ids::CustomerId,
            crate::ids::WebsiteId,
            crate::ids::OrganizationId,
            crate::ids::PaymentInstrumentId,
            crate::ids::TagId,
            crate::tags::TagName,
            crate::custom_fields::CustomFieldName,
            crate::payment::PaymentToken,
            crate::codes::CountryCode,
            crate::codes::CurrencyCode,
            crate::payment::PaymentMethod,
            crate::tags::TagType,
            crate::customer::LinkRel,
            crate::contact::EmailAddress,
            crate::contact::DateOfBirth,
            crate::time::Timestamp,
            crate::contact::ContactEmail,
            crate::contact::ContactPhone,
            crate::contact::PrimaryList<crate::contact::EmailAddress>,
            crate::contact::PrimaryList<crate::contact::PhoneNumber>,
            crate::contact::Contact,
            crate::contact::ContactPatch,
            crate::payment::PaymentInstrument,
            crate::custom_fields::CustomFields,
            crate::custom_fields::CustomFieldsPatch,
            crate::custom_fields::CustomFieldType,
            crate::custom_fields::CustomFieldDefinition,
            crate::custom_fields::CustomFieldDefinitions,
            crate::customer::Money,
            crate::customer::Link,
            crate::tags::Tag,
            crate::tags::CustomerTags,
            crate::customer::Customer,
            crate::generate::NearMiss,
            crate::generate::NearMissPair,
            crate::contract::Contract,
            crate::generate::Revised<crate::contact::Contact>,
            crate::generate::Revised<crate::request::UpsertRequest>,
            crate::generate::Revised<crate::customer::Customer>,
            crate::generate::Revised<crate::generate::ValidBody>,
            crate::generate::Revised<crate::generate::NearMiss>,
            crate::generate::Revised<crate::generate::NearMissPair>,
        );
    };
}

/// Calls `$m!` with the types whose proptest strategy is built member by member (so that a
/// failing case shrinks one member at a time); `arbitrary` draws them like the others.
macro_rules! for_each_structured_type {
    ($m:ident) => {
        $m!(crate::request::UpsertRequest, crate::generate::ValidBody);
    };
}

mod bodies;
mod entropy;
mod text;
pub(crate) mod values;

#[cfg(feature = "arbitrary")]
mod arbitrary_impls;
#[cfg(feature = "proptest")]
pub mod strategies;

pub use bodies::{NearMiss, NearMissPair, ValidBody};
pub use entropy::Revised;
#[cfg(feature = "proptest")]
pub(crate) use entropy::{Bytes, generate_under, under};
pub(crate) use entropy::{Entropy, Generate};
