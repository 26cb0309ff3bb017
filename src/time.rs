//! Timestamps of the resource: RFC 3339, whole seconds, rendered in UTC as
//! `YYYY-MM-DDTHH:MM:SSZ`.

use std::fmt;

use chrono::{DateTime, SubsecRound, Utc};

use crate::error::{ValidationError, ViolationKind};

/// A point in time in whole seconds (fractions are dropped when built).
///
/// ```
/// use rebilly_customer::Timestamp;
/// let t = Timestamp::parse("2019-08-24T16:15:22.75+02:00").unwrap();
/// assert_eq!(t.to_string(), "2019-08-24T14:15:22Z");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    /// Parses an RFC 3339 date-time with any offset.
    ///
    /// # Errors
    /// `invalid_date` when the text is not one.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| Timestamp::from_datetime(t.with_timezone(&Utc)))
            .map_err(|_| {
                ValidationError::single(ViolationKind::InvalidDate {
                    expected: "an RFC 3339 date-time",
                })
            })
    }

    /// The time truncated to whole seconds.
    pub fn from_datetime(time: DateTime<Utc>) -> Self {
        Timestamp(time.trunc_subsecs(0))
    }

    /// The time.
    pub fn datetime(self) -> DateTime<Utc> {
        self.0
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(time: DateTime<Utc>) -> Self {
        Timestamp::from_datetime(time)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%dT%H:%M:%SZ"))
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

parse_door!(Timestamp);
