//! Country and currency codes, checked against the ISO tables in `data/` (compiled in by
//! `build.rs`; nothing is read at run time).

use std::borrow::Cow;

use crate::error::{ValidationError, ViolationKind};

include!(concat!(env!("OUT_DIR"), "/code_tables.rs"));

/// For each pair of capitals, its position in `COUNTRY_CODES` plus one (0: not in the table),
/// so that a look-up is one load instead of a binary search of string comparisons.
static COUNTRY_BY_LETTERS: [u8; 26 * 26] = {
    assert!(COUNTRY_CODES.len() < 255, "a position fits in a byte");
    let mut table = [0; 26 * 26];
    let mut i = 0;
    while i < COUNTRY_CODES.len() {
        let code = COUNTRY_CODES[i].as_bytes();
        table[(code[0] - b'A') as usize * 26 + (code[1] - b'A') as usize] = i as u8 + 1;
        i += 1;
    }
    table
};

/// Kosovo's user-assigned code, which the contract accepts beside the ISO table.
const KOSOVO: &str = "XK";

/// An uppercase ISO 3166-1 alpha-2 country code from the table, or `XK`.
///
/// (deviation: the schema accepts any two capitals, e.g. `ZZ`.)
///
/// ```
/// use rebilly_customer::CountryCode;
/// assert_eq!(CountryCode::parse("GB").unwrap().as_str(), "GB");
/// assert!(CountryCode::parse("XK").is_ok());
/// assert!(CountryCode::parse("gb").is_err());
/// assert!(CountryCode::parse("UK").is_err());
/// assert!(CountryCode::parse("ZZ").is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CountryCode(&'static str);

impl CountryCode {
    fn parse_cow(text: Cow<'_, str>) -> Result<Self, ValidationError> {
        if let [first @ b'A'..=b'Z', second @ b'A'..=b'Z'] = *text.as_bytes() {
            let slot =
                COUNTRY_BY_LETTERS[usize::from(first - b'A') * 26 + usize::from(second - b'A')];
            if slot != 0 {
                return Ok(CountryCode(COUNTRY_CODES[usize::from(slot) - 1]));
            }
        }
        if text == KOSOVO {
            return Ok(CountryCode(KOSOVO));
        }
        Err(ValidationError::single(ViolationKind::UnknownCountry))
    }

    /// Every accepted code: the table, then `XK`.
    pub fn all() -> impl Iterator<Item = CountryCode> {
        COUNTRY_CODES
            .iter()
            .copied()
            .chain(std::iter::once(KOSOVO))
            .map(CountryCode)
    }
}

/// An ISO 4217 alpha-3 currency code from the table.
///
/// ```
/// use rebilly_customer::CurrencyCode;
/// assert_eq!(CurrencyCode::parse("EUR").unwrap().as_str(), "EUR");
/// assert!(CurrencyCode::parse("eur").is_err());
/// assert!(CurrencyCode::parse("XYZ").is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CurrencyCode(&'static str);

impl CurrencyCode {
    /// The US dollar, the default reporting currency.
    pub const USD: CurrencyCode = CurrencyCode("USD");

    fn parse_cow(text: Cow<'_, str>) -> Result<Self, ValidationError> {
        match CURRENCY_CODES.binary_search(&text.as_ref()) {
            Ok(i) => Ok(CurrencyCode(CURRENCY_CODES[i])),
            Err(_) => Err(ValidationError::single(ViolationKind::UnknownCurrency)),
        }
    }

    /// Every code of the table.
    pub fn all() -> impl Iterator<Item = CurrencyCode> {
        CURRENCY_CODES.iter().copied().map(CurrencyCode)
    }
}

string_value!(CountryCode);
string_value!(CurrencyCode);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_letter_index_agrees_with_the_table_for_every_pair() {
        for first in b'A'..=b'Z' {
            for second in b'A'..=b'Z' {
                let text = String::from_utf8(vec![first, second]).unwrap();
                let in_table = COUNTRY_CODES.contains(&text.as_str()) || text == KOSOVO;
                let parsed = CountryCode::parse(&text);
                assert_eq!(parsed.is_ok(), in_table, "{text}");
                if let Ok(code) = parsed {
                    assert_eq!(code.as_str(), text);
                }
            }
        }
    }
}
