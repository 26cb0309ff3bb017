//! Country and currency codes, checked against the ISO tables in `data/` (compiled in by
//! `build.rs`; nothing is read at run time).

use std::borrow::Cow;

use crate::error::{ValidationError, ViolationKind};

include!(concat!(env!("OUT_DIR"), "/code_tables.rs"));

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
        if let Ok(i) = COUNTRY_CODES.binary_search(&text.as_ref()) {
            return Ok(CountryCode(COUNTRY_CODES[i]));
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
