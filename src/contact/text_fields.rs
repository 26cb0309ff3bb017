//! The free-text members of a contact, each with its row of the text rules' table. The eight
//! members whose rule changed in 2026-08 have a row per revision.

use crate::contract::ByContract;
use crate::text::{
    ADDRESS_CLASS, BMP_CLASS, NAME_CLASS, ORGANIZATION_CLASS, POSTAL_CODE_CLASS, REGION_CLASS,
    TextRule,
};

/// `^[\u0000-\uFFFF]+$` with the member's length limit: the 2026-08 rule of the eight contact
/// text members.
const fn bmp_rule(max: usize) -> TextRule {
    TextRule {
        max: Some(max),
        non_empty: true,
        class: Some(&BMP_CLASS),
    }
}

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
/// `NAME_RULE` under 2023-01; any BMP text of the same length under 2026-08.
static NAME_RULES: ByContract<TextRule> = ByContract::new(NAME_RULE, bmp_rule(45));
/// `ORGANIZATION_RULE` under 2023-01; any BMP text of the same length under 2026-08.
static ORGANIZATION_RULES: ByContract<TextRule> = ByContract::new(ORGANIZATION_RULE, bmp_rule(255));
/// `ADDRESS_RULE` under 2023-01; any BMP text of the same length under 2026-08.
static ADDRESS_RULES: ByContract<TextRule> = ByContract::new(ADDRESS_RULE, bmp_rule(60));
/// `REGION_RULE` under 2023-01; any BMP text of the same length under 2026-08.
static REGION_RULES: ByContract<TextRule> = ByContract::new(REGION_RULE, bmp_rule(45));
/// `JOB_TITLE_RULE` under 2023-01; any BMP text of the same length under 2026-08.
static JOB_TITLE_RULES: ByContract<TextRule> = ByContract::new(JOB_TITLE_RULE, bmp_rule(255));
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

contract_text!(
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
    ///
    /// Under 2026-08 ([`Contract::Rebilly2026_08`](crate::Contract)): any character of the Basic
    /// Multilingual Plane, same length; build such a value with `parse_for`.
    ContactName,
    NAME_RULES
);

contract_text!(
    /// A city: the name rule (1 to 45 of `\w`, `\s`, `\p{L}`, `-` `,` `.` `'`).
    ///
    /// Under 2026-08 ([`Contract::Rebilly2026_08`](crate::Contract)): any character of the Basic
    /// Multilingual Plane, same length; build such a value with `parse_for`.
    City,
    NAME_RULES
);

contract_text!(
    /// An organization: 1 to 255 of the name class plus `&`.
    ///
    /// Under 2026-08 ([`Contract::Rebilly2026_08`](crate::Contract)): any character of the Basic
    /// Multilingual Plane, same length; build such a value with `parse_for`.
    Organization,
    ORGANIZATION_RULES
);

contract_text!(
    /// A street address line (`address`, `address2`): 1 to 60 of `\w`, `\s`, `\p{L}` and
    /// `-` `/` `,` `.` `#` `;` `:` `(` `)` `'` `&`.
    ///
    /// Under 2026-08 ([`Contract::Rebilly2026_08`](crate::Contract)): any character of the Basic
    /// Multilingual Plane, same length; build such a value with `parse_for`.
    AddressLine,
    ADDRESS_RULES
);

contract_text!(
    /// A region: 1 to 45 of the address class without `&`.
    ///
    /// Under 2026-08 ([`Contract::Rebilly2026_08`](crate::Contract)): any character of the Basic
    /// Multilingual Plane, same length; build such a value with `parse_for`.
    Region,
    REGION_RULES
);

contract_text!(
    /// A job title: 1 to 255 of the address class without `&`.
    ///
    /// Under 2026-08 ([`Contract::Rebilly2026_08`](crate::Contract)): any character of the Basic
    /// Multilingual Plane, same length; build such a value with `parse_for`.
    JobTitle,
    JOB_TITLE_RULES
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
