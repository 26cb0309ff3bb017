//! The free-text members of a contact, each with its row of the text rules' table.

use crate::text::{
    ADDRESS_CLASS, NAME_CLASS, ORGANIZATION_CLASS, POSTAL_CODE_CLASS, REGION_CLASS, TextRule,
};

const NAME_RULE: TextRule = TextRule {
    max: Some(45),
    non_empty: true,
    class: Some(&NAME_CLASS),
};
const ORGANIZATION_RULE: TextRule = TextRule {
    max: Some(255),
    non_empty: true,
    class: Some(&ORGANIZATION_CLASS),
};
const ADDRESS_RULE: TextRule = TextRule {
    max: Some(60),
    non_empty: true,
    class: Some(&ADDRESS_CLASS),
};
const REGION_RULE: TextRule = TextRule {
    max: Some(45),
    non_empty: true,
    class: Some(&REGION_CLASS),
};
const JOB_TITLE_RULE: TextRule = TextRule {
    max: Some(255),
    non_empty: true,
    class: Some(&REGION_CLASS),
};
const POSTAL_CODE_RULE: TextRule = TextRule {
    max: Some(10),
    non_empty: true,
    class: Some(&POSTAL_CODE_CLASS),
};
const LABEL_RULE: TextRule = TextRule {
    max: Some(45),
    non_empty: false,
    class: None,
};
const PHONE_RULE: TextRule = TextRule {
    max: Some(50),
    non_empty: false,
    class: None,
};

rule_text!(
    /// A first or last name: 1 to 45 letters (`\p{L}`), ASCII digits, `_`, ECMA whitespace and
    /// `-` `,` `.` `'`.
    ///
    /// ```
    /// use rebilly_customer::ContactName;
    /// assert_eq!(ContactName::parse("Zoë O'Brien").unwrap().as_str(), "Zoë O'Brien");
    /// assert!(ContactName::parse("R2-D2!").is_err());
    /// // NFC first: `e` + U+0301 is stored as `é`.
    /// assert_eq!(ContactName::parse("Jose\u{301}").unwrap().as_str(), "José");
    /// ```
    ContactName,
    NAME_RULE
);

rule_text!(
    /// A city: the name rule (1 to 45 of `\w`, `\s`, `\p{L}`, `-` `,` `.` `'`).
    City,
    NAME_RULE
);

rule_text!(
    /// An organization: 1 to 255 of the name class plus `&`.
    Organization,
    ORGANIZATION_RULE
);

rule_text!(
    /// A street address line (`address`, `address2`): 1 to 60 of `\w`, `\s`, `\p{L}` and
    /// `-` `/` `,` `.` `#` `;` `:` `(` `)` `'` `&`.
    AddressLine,
    ADDRESS_RULE
);

rule_text!(
    /// A region: 1 to 45 of the address class without `&`.
    Region,
    REGION_RULE
);

rule_text!(
    /// A job title: 1 to 255 of the address class without `&`.
    JobTitle,
    JOB_TITLE_RULE
);

rule_text!(
    /// A postal code: 1 to 10 of ASCII letters, digits, `_`, ECMA whitespace and `-`.
    PostalCode,
    POSTAL_CODE_RULE
);

rule_text!(
    /// The label of an email or phone item: any text of at most 45 code points, possibly empty.
    Label,
    LABEL_RULE
);

rule_text!(
    /// A phone number value: any text of at most 50 code points, possibly empty.
    PhoneNumber,
    PHONE_RULE
);
