//! The public API's promises that the compiler can check: every public type is `Send + Sync`
//! (a server shares them across threads and holds them across an `.await`), and this list names
//! every type the crate exports.

use rebilly_customer::*;

fn send_sync<T: Send + Sync + ?Sized>() {}

/// Every public type, by the name it is exported under. `every_export_is_listed` holds this list
/// to `src/lib.rs`.
macro_rules! public_types {
    ($($name:ident $(<$($arg:tt),*>)?),* $(,)?) => {
        const LISTED: &[&str] = &[$(stringify!($name)),*];

        #[test]
        fn every_public_type_is_send_and_sync() {
            $( send_sync::<$name $(<$($arg),*>)?>(); )*
        }
    };
}

public_types!(
    AddressLine,
    AlternativeInstrument,
    CashInstrument,
    CheckInstrument,
    City,
    Conflict,
    Contact,
    Contract,
    ContactBuilder,
    ContactEmail,
    ContactName,
    ContactPatch,
    ContactPhone,
    CountryCode,
    CurrencyCode,
    CustomFieldDefinition,
    CustomFieldDefinitions,
    CustomFieldName,
    CustomFieldRule,
    CustomFieldType,
    CustomFieldValue,
    CustomFields,
    CustomFieldsPatch,
    Customer,
    CustomerId,
    CustomerTags,
    DateOfBirth,
    EmailAddress,
    ErrorCode,
    FieldPath,
    IfMatch,
    IfNoneMatch,
    PreconditionFailed,
    LeadSource,
    Locale,
    NotificationEmail,
    PersonId,
    TaxNumber,
    TaxNumberType,
    JobTitle,
    JsonNumber,
    Label,
    BaseUrl,
    Link,
    LinkRel,
    ListItem<EmailAddress>,
    MalformedBody,
    Money,
    Organization,
    OrganizationId,
    OtherMembers,
    ParseOptions,
    Patch<ContactName>,
    PathSegment,
    PaymentInstrument,
    PaymentInstrumentId,
    PaymentMethod,
    PaymentToken,
    PhoneNumber,
    PostalCode,
    PrimaryList<PhoneNumber>,
    Problem,
    ProblemDetails,
    RefuseAllTokens,
    Region,
    RequestBuilder,
    RequestError,
    Tag,
    TagId,
    TagName,
    TagType,
    Timestamp,
    TokenRejection,
    UnknownMembers,
    UpsertContext<'static>,
    UpsertError,
    UpsertOutcome,
    UpsertRequest,
    ValidationError,
    VaultedInstrument,
    Violation,
    ViolationKind,
    WebsiteId,
    WritePlan,
);

/// Every public error type converts into a problem body.
#[test]
fn every_error_converts_into_a_problem() {
    fn converts<E: Into<Problem> + std::error::Error>() {}
    converts::<ValidationError>();
    converts::<MalformedBody>();
    converts::<RequestError>();
    converts::<UpsertError>();
    converts::<Conflict>();
    converts::<PreconditionFailed>();
}

/// The generator types, which exist with either generator feature.
const GENERATOR_TYPES: &[&str] = &["NearMiss", "NearMissPair", "Revised", "ValidBody"];

#[cfg(any(feature = "proptest", feature = "arbitrary"))]
#[test]
fn the_generator_types_are_send_and_sync() {
    send_sync::<NearMiss>();
    send_sync::<NearMissPair>();
    send_sync::<Revised<Customer>>();
    send_sync::<ValidBody>();
}

#[test]
fn a_token_resolver_is_send_and_sync() {
    send_sync::<dyn TokenResolver>();
    send_sync::<dyn InstrumentLookup>();
}

/// The axum module's types, which `src/lib.rs` does not re-export one by one.
#[cfg(feature = "axum")]
#[test]
fn the_axum_types_are_send_and_sync() {
    send_sync::<rebilly_customer::axum::BodyLimit>();
    send_sync::<rebilly_customer::axum::UpsertBody>();
    send_sync::<rebilly_customer::axum::CustomerPath>();
}

/// Every type `src/lib.rs` re-exports (names starting with a capital in a `pub use`) is in the
/// list above, so a new public type cannot skip the check.
#[test]
fn every_export_is_listed() {
    let lib = include_str!("../src/lib.rs");
    let mut exported = Vec::new();
    let mut in_use = false;
    for line in lib.lines() {
        let line = line.trim();
        if line.starts_with("pub use") {
            in_use = true;
        }
        if in_use {
            let names = line.split(|c: char| !(c.is_alphanumeric() || c == '_'));
            exported.extend(names.filter(|name| {
                name.chars().next().is_some_and(char::is_uppercase)
                    && name.chars().any(char::is_lowercase)
            }));
            if line.ends_with(';') {
                in_use = false;
            }
        }
    }
    // Traits are checked on their own above, not as types.
    let traits = ["TokenResolver", "InstrumentLookup"];
    let missing: Vec<&str> = exported
        .into_iter()
        .filter(|name| {
            !LISTED.contains(name) && !traits.contains(name) && !GENERATOR_TYPES.contains(name)
        })
        .collect();
    assert!(missing.is_empty(), "not in the list: {missing:?}");
}

/// Each JSON object is described once (`json_object!` in `src/`): a member's key is spelled as
/// a string literal at most twice in the code outside `generate/`, once for a request-side
/// object and once for a resource-side one. Comments, doc comments and unit tests are not code.
#[test]
fn no_member_name_is_spelled_more_than_twice() {
    const NAMES: &[&str] = &[
        "id",
        "email",
        "firstName",
        "lastName",
        "websiteId",
        "paymentToken",
        "defaultPaymentInstrument",
        "createdTime",
        "updatedTime",
        "customFields",
        "primaryAddress",
        "averageValue",
        "paymentCount",
        "lastPaymentTime",
        "lifetimeRevenue",
        "invoiceCount",
        "tags",
        "revision",
        "isEddRequired",
        "hasFulfilledKyc",
        "organizationId",
        "_links",
        "_embedded",
        "organization",
        "address",
        "address2",
        "city",
        "region",
        "country",
        "postalCode",
        "dob",
        "jobTitle",
        "phoneNumbers",
        "emails",
        "hash",
        "label",
        "value",
        "primary",
        "method",
        "paymentInstrumentId",
        "receivedBy",
        "reference",
        "name",
        "type",
        "currency",
        "amount",
        "amountUsd",
        "rel",
        "href",
        "title",
        "status",
        "detail",
        "invalidFields",
        "field",
        "message",
        "code",
        "additionalSchema",
        "allowedValues",
        "maxLength",
    ];
    let mut counts = std::collections::BTreeMap::<&str, Vec<String>>::new();
    let mut dirs = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if !path.ends_with("generate") {
                    dirs.push(path);
                }
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
            for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
                for name in NAMES {
                    let literal = format!("\"{name}\"");
                    for (at, _) in line.match_indices(&literal) {
                        // Not the end of a longer literal (`"a\"id\""`), nor an escaped quote.
                        if at > 0 && line.as_bytes()[at - 1] == b'\\' {
                            continue;
                        }
                        counts
                            .entry(name)
                            .or_default()
                            .push(path.display().to_string());
                    }
                }
            }
        }
    }
    let over: Vec<_> = counts
        .iter()
        .filter(|(_, places)| places.len() > 2)
        .collect();
    assert!(over.is_empty(), "spelled more than twice: {over:?}");
}
