//! The calendar-date rule shared by dates of birth and `date` custom fields: RFC 3339
//! `full-date`, a real day. A leaf: the error model names the rule's phrase from here.

use chrono::NaiveDate;

/// The rule in words, for messages.
pub(crate) const FULL_DATE: &str = "a real calendar date written YYYY-MM-DD";

/// `YYYY-MM-DD` with every digit present and the day real.
pub(crate) fn parse_full_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().ok();
    let year = i32::try_from(number(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)
}
