#![doc = include_str!("../README.md")]
#![doc = "\n## The guides, in these docs\n\n\
[`docs::command`], [`docs::servers`], [`docs::clients`], [`docs::generators`], \
[`docs::revisions`], [`docs::rules`], [`docs::deviations`], [`docs::performance`], \
[`docs::design`], [`docs::tests`]."]
// The layers of the crate, lowest first. A module imports only from its own layer or a lower
// one, and nothing imports back: `tests/layers.rs` holds this table to the code. A module is a
// file; a directory's children share its layer. Inside the crate, items are named by their
// module, never through the re-exports below.
//
// | layer | what | modules |
// |---|---|---|
// | 0 | leaves: the writer, member plumbing, the calendar rule, the custom-field types | `json`, `object`, `calendar`, `custom_fields::field_type` |
// | 1 | the error model: every public error type | `error` |
// | 2 | text rules, revisions, tables of codes, time | `text`, `contract`, `codes`, `time` |
// | 3 | the reader, the member tables, absent/null/value | `de`, `members`, `macros`, `patch` |
// | 4 | values: identifiers, contact, payment, tags, custom fields, tax numbers, lead source | `ids`, `contact`, `payment`, `tags`, `custom_fields`, `tax_numbers`, `lead_source` |
// | 5 | the request | `request` |
// | 6 | the customer, the upsert and HTTP preconditions | `customer`, `precondition` |
// | 7 | problem bodies | `problem` |
// | 8 | integrations, generators and the guides | `axum`, `generate`, `docs` |
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[macro_use]
mod macros;
#[macro_use]
mod object;

/// axum 0.8 glue (feature `axum`).
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;
mod calendar;
mod codes;
mod contact;
mod contract;
mod custom_fields;
mod customer;
mod de;
pub mod docs;
mod error;
#[cfg(any(feature = "proptest", feature = "arbitrary"))]
mod generate;
mod ids;
mod json;
mod lead_source;
mod members;
mod patch;
mod payment;
mod precondition;
mod problem;
mod request;
mod tags;
mod tax_numbers;
mod text;
mod time;

/// The JSON crate whose types appear in this API (`serde_json::Value` in builders,
/// `serde_json::value::RawValue` for kept members), so callers use the same version.
pub use serde_json;

pub use codes::{CountryCode, CurrencyCode};
pub use contact::{
    AddressLine, City, Contact, ContactBuilder, ContactEmail, ContactName, ContactPatch,
    ContactPhone, DateOfBirth, EMAIL_MAX, EmailAddress, JobTitle, Label, ListItem,
    NotificationEmail, Organization, PhoneNumber, PostalCode, PrimaryList, Region,
};
pub use contract::Contract;
pub use custom_fields::{
    ARRAY_ITEM_MAX, ARRAY_MAX_ITEMS, CustomFieldDefinition, CustomFieldDefinitions,
    CustomFieldName, CustomFieldType, CustomFieldValue, CustomFields, CustomFieldsPatch,
    JsonNumber, STRING_DEFAULT_MAX, STRING_MAX_LIMIT,
};
pub use customer::{
    BaseUrl, Customer, DEFAULT_BASE_URL, InstrumentLookup, Link, LinkRel, Money, RefuseAllTokens,
    TokenResolver, UpsertContext, UpsertOutcome, WritePlan,
};
pub use error::{
    Conflict, CustomFieldRule, ErrorCode, FieldPath, MalformedBody, PathSegment,
    PreconditionFailed, RequestError, TokenRejection, UpsertError, ValidationError, Violation,
    ViolationKind,
};
pub use ids::{
    CustomerId, ID_MAX, Locale, OrganizationId, PaymentInstrumentId, PersonId, TagId, WebsiteId,
};
pub use lead_source::{LEAD_SOURCE_TEXT_MAX, LeadSource, REFERRER_MAX};
pub use object::OtherMembers;
pub use patch::Patch;
pub use payment::{
    AlternativeInstrument, CashInstrument, CheckInstrument, PaymentInstrument, PaymentMethod,
    PaymentToken, VaultedInstrument,
};
pub use precondition::{IfMatch, IfNoneMatch};
pub use problem::{PROBLEM_CONTENT_TYPE, Problem, ProblemDetails};
pub use request::{ParseOptions, RequestBuilder, UnknownMembers, UpsertRequest};
pub use tags::{CustomerTags, Tag, TagName, TagType};
pub use tax_numbers::{TaxNumber, TaxNumberType};
pub use time::Timestamp;

/// Proptest strategies (feature `proptest`): `any::<T>()` works for every public value type, the
/// request and the customer, each value valid; the functions here give request bodies.
#[cfg(feature = "proptest")]
#[cfg_attr(docsrs, doc(cfg(feature = "proptest")))]
pub use generate::strategies;
#[cfg(any(feature = "proptest", feature = "arbitrary"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "proptest", feature = "arbitrary"))))]
pub use generate::{NearMiss, NearMissPair, Revised, ValidBody};
