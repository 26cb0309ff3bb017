//! Timestamps of the resource: RFC 3339, whole seconds, rendered in UTC as
//! `YYYY-MM-DDTHH:MM:SSZ`.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

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

/// The first and last instants `YYYY-MM-DDTHH:MM:SSZ` can write: years 0000 to 9999.
fn representable() -> (DateTime<Utc>, DateTime<Utc>) {
    let first = NaiveDate::from_ymd_opt(0, 1, 1).expect("year 0 exists");
    let last = NaiveDate::from_ymd_opt(9999, 12, 31).expect("year 9999 exists");
    (
        first.and_hms_opt(0, 0, 0).expect("midnight").and_utc(),
        last.and_hms_opt(23, 59, 59)
            .expect("a second before midnight")
            .and_utc(),
    )
}

impl Timestamp {
    /// Parses an RFC 3339 date-time with any offset.
    ///
    /// # Errors
    /// `invalid_date` when the text is not one, or when in UTC it falls outside the years 0000
    /// to 9999 (`0000-01-01T00:00:00+01:00` is in year -1 in UTC, which the resource's
    /// `YYYY-MM-DDTHH:MM:SSZ` cannot write).
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let (first, last) = representable();
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|t| t.with_timezone(&Utc))
            .filter(|t| (first..=last).contains(t))
            .map(Timestamp::from_datetime)
            .ok_or_else(|| {
                ValidationError::single(ViolationKind::InvalidDate {
                    expected: "an RFC 3339 date-time in the years 0000 to 9999",
                })
            })
    }

    /// The time truncated to whole seconds, and brought within the years 0000 to 9999 (the
    /// only ones the resource can write) when it lies outside them. A leap second (`…:60`) is
    /// truncated too, to the second before it: it cannot be written in `YYYY-MM-DDTHH:MM:SSZ`
    /// any more than a fraction can, and a time must read back equal to what it rendered.
    ///
    /// ```
    /// use rebilly_customer::Timestamp;
    /// let leap = Timestamp::parse("2016-12-31T23:59:60Z").unwrap();
    /// assert_eq!(leap, Timestamp::parse("2016-12-31T23:59:59Z").unwrap());
    /// assert_eq!(leap.to_string(), "2016-12-31T23:59:59Z");
    /// ```
    #[must_use]
    pub fn from_datetime(time: DateTime<Utc>) -> Self {
        let (first, last) = representable();
        // chrono keeps a leap second as a nanosecond count of a second or more: zero clears
        // it with the fraction.
        let whole = time.with_nanosecond(0).unwrap_or(time);
        Timestamp(whole.clamp(first, last))
    }

    /// The time.
    #[must_use]
    pub fn datetime(self) -> DateTime<Utc> {
        self.0
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, without allocating.
    fn text(self) -> [u8; 20] {
        let mut bytes = *b"0000-00-00T00:00:00Z";
        // The constructors keep the year within 0 to 9999.
        write_date(&mut bytes, &self.0);
        put_digits(&mut bytes[11..13], self.0.hour());
        put_digits(&mut bytes[14..16], self.0.minute());
        put_digits(&mut bytes[17..19], self.0.second());
        bytes
    }
}

/// Writes `value` in decimal into all of `out`, zero-padded on the left.
fn put_digits(out: &mut [u8], mut value: u32) {
    for byte in out.iter_mut().rev() {
        *byte = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// Writes `YYYY-MM-DD` into the first ten bytes of `out`, for a year from 0 to 9999.
pub(crate) fn write_date(out: &mut [u8], date: &impl Datelike) {
    put_digits(&mut out[0..4], date.year().unsigned_abs());
    out[4] = b'-';
    put_digits(&mut out[5..7], date.month());
    out[7] = b'-';
    put_digits(&mut out[8..10], date.day());
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(time: DateTime<Utc>) -> Self {
        Timestamp::from_datetime(time)
    }
}

/// A clock reading the caller took (the crate never reads the clock itself), to the second.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use rebilly_customer::Timestamp;
/// let then = SystemTime::UNIX_EPOCH + Duration::from_millis(1_764_151_200_750);
/// assert_eq!(Timestamp::from(then).to_string(), "2025-11-26T10:00:00Z");
/// ```
impl From<std::time::SystemTime> for Timestamp {
    fn from(time: std::time::SystemTime) -> Self {
        Timestamp::from_datetime(DateTime::<Utc>::from(time))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(std::str::from_utf8(&self.text()).expect("ASCII"))
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(std::str::from_utf8(&self.text()).expect("ASCII"))
    }
}

parse_door!(Timestamp);

impl crate::json::WriteJson for Timestamp {
    fn write_json(&self, out: &mut crate::json::JsonOut) {
        out.raw(b"\"");
        out.raw(&self.text());
        out.raw(b"\"");
    }
}
