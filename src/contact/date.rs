//! Dates of birth: RFC 3339 `full-date`.

use chrono::{Datelike, NaiveDate};

use crate::calendar::{FULL_DATE, parse_full_date};
use crate::error::{ValidationError, ViolationKind};

/// A date of birth: exactly `YYYY-MM-DD`, a real calendar day.
///
/// ```
/// use rebilly_customer::DateOfBirth;
/// assert!(DateOfBirth::parse("2024-02-29").is_ok());
/// assert!(DateOfBirth::parse("2023-02-29").is_err());
/// assert!(DateOfBirth::parse("2024-2-9").is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateOfBirth(NaiveDate);

impl DateOfBirth {
    /// Parses `YYYY-MM-DD`.
    ///
    /// # Errors
    /// `invalid_date` for any other shape or a day that does not exist.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        parse_full_date(text).map(DateOfBirth).ok_or_else(|| {
            ValidationError::single(ViolationKind::InvalidDate {
                expected: FULL_DATE,
            })
        })
    }

    /// `YYYY-MM-DD`, without allocating.
    pub(crate) fn text(self) -> DateText {
        let mut bytes = [0u8; 10];
        crate::time::write_date(&mut bytes, &self.0);
        DateText(bytes)
    }

    /// The date.
    #[must_use]
    pub fn date(self) -> NaiveDate {
        self.0
    }

    /// Builds from a date whose year has four digits (0 to 9999).
    ///
    /// # Errors
    /// `invalid_date` when the year cannot be written as `YYYY`.
    pub fn from_date(date: NaiveDate) -> Result<Self, ValidationError> {
        if (0..=9999).contains(&date.year()) {
            Ok(DateOfBirth(date))
        } else {
            Err(ValidationError::single(ViolationKind::InvalidDate {
                expected: FULL_DATE,
            }))
        }
    }
}

/// A date written `YYYY-MM-DD` on the stack.
pub(crate) struct DateText([u8; 10]);

impl DateText {
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("digits and hyphens are ASCII")
    }
}

impl std::fmt::Display for DateOfBirth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text().as_str())
    }
}

impl serde::Serialize for DateOfBirth {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.text().as_str())
    }
}

parse_door!(DateOfBirth);

impl crate::json::WriteJson for DateOfBirth {
    fn write_json(&self, out: &mut crate::json::JsonOut) {
        out.raw(b"\"");
        out.raw(self.text().as_str().as_bytes());
        out.raw(b"\"");
    }
}
