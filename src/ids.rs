//! Identifiers: the customer id of the path, and the ids of related resources.

use crate::text::{RESOURCE_ID_CLASS, TextRule};

/// Most code points in any identifier.
pub const ID_MAX: usize = 50;

/// `^[@~\-\.\w]+$`, at most 50: the path id.
const CUSTOMER_ID_RULE: TextRule = TextRule {
    max: Some(ID_MAX),
    non_empty: true,
    class: Some(&RESOURCE_ID_CLASS),
};

/// Any text, 1 to 50 code points (deviation: the schema allows the empty string).
const OPAQUE_ID_RULE: TextRule = TextRule {
    max: Some(ID_MAX),
    non_empty: true,
    class: None,
};

rule_text!(
    /// The id of a customer, as in `PUT /customers/{id}`: 1 to 50 of ASCII letters, digits, `_`,
    /// `@`, `~`, `-`, `.`. Its rule keeps it URL-safe.
    ///
    /// ```
    /// use rebilly_customer::CustomerId;
    /// let id = CustomerId::parse("cus_01HXYZ").unwrap();
    /// assert_eq!(id.as_str(), "cus_01HXYZ");
    /// assert!(CustomerId::parse("cus/01").is_err());
    /// ```
    CustomerId,
    CUSTOMER_ID_RULE
);

rule_text!(
    /// The id of a website: any text of 1 to 50 code points.
    WebsiteId,
    OPAQUE_ID_RULE
);

rule_text!(
    /// The id of an organization: any text of 1 to 50 code points.
    OrganizationId,
    OPAQUE_ID_RULE
);

rule_text!(
    /// The id of a payment instrument: any text of 1 to 50 code points.
    PaymentInstrumentId,
    OPAQUE_ID_RULE
);

rule_text!(
    /// The id of a tag: any text of 1 to 50 code points.
    TagId,
    OPAQUE_ID_RULE
);

rule_text!(
    /// The id of a person (2026-08's `personId`): any text of 1 to 50 code points.
    PersonId,
    OPAQUE_ID_RULE
);

/// Any text: the schema gives `locale` no rule.
const LOCALE_RULE: TextRule = TextRule {
    max: None,
    non_empty: false,
    class: None,
};

rule_text!(
    /// A customer's locale (2026-08's `locale`), such as `en-CA`: any text, stored in NFC. The
    /// schema describes RFC 5646 but checks nothing, and neither does the crate.
    Locale,
    LOCALE_RULE
);
