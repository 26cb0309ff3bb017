//! The eight types of a custom field, as definitions name them: a leaf, so that the error
//! model's rules can name a type.

use std::fmt;

use crate::calendar::FULL_DATE;

/// The type of a custom field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum CustomFieldType {
    /// `array`: up to 1000 strings of up to 255 characters.
    Array,
    /// `boolean`: `true` or `false`.
    Boolean,
    /// `date`: `YYYY-MM-DD`, a real calendar day.
    Date,
    /// `datetime`: an RFC 3339 date-time.
    Datetime,
    /// `integer`: a whole number from -2^31 to 2^31-1.
    Integer,
    /// `number`: any JSON number.
    Number,
    /// `string`: up to `maxLength` characters (255 unless set, at most 4000).
    String,
    /// `monetary`: `{"currency": ISO 4217 code, "amount": number}`.
    Monetary,
}

impl CustomFieldType {
    /// Every type.
    pub(crate) const ALL: [CustomFieldType; 8] = [
        CustomFieldType::Array,
        CustomFieldType::Boolean,
        CustomFieldType::Date,
        CustomFieldType::Datetime,
        CustomFieldType::Integer,
        CustomFieldType::Number,
        CustomFieldType::String,
        CustomFieldType::Monetary,
    ];

    /// The type as definitions spell it.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            CustomFieldType::Array => "array",
            CustomFieldType::Boolean => "boolean",
            CustomFieldType::Date => "date",
            CustomFieldType::Datetime => "datetime",
            CustomFieldType::Integer => "integer",
            CustomFieldType::Number => "number",
            CustomFieldType::String => "string",
            CustomFieldType::Monetary => "monetary",
        }
    }

    /// What a value of this type is, in words, for messages.
    pub(crate) fn expected(self) -> &'static str {
        match self {
            CustomFieldType::Array => "an array of strings",
            CustomFieldType::Boolean => "a boolean",
            CustomFieldType::Date => FULL_DATE,
            CustomFieldType::Datetime => "an RFC 3339 date-time",
            CustomFieldType::Integer => "an integer from -2147483648 to 2147483647",
            CustomFieldType::Number => "a number",
            CustomFieldType::String => "a string",
            CustomFieldType::Monetary => "an object with currency and amount",
        }
    }
}

impl fmt::Display for CustomFieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
