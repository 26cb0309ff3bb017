//! The revisions of the contract the crate serves: the seed's (`2023-01`, the default) and
//! Rebilly's of August 2026 (`2026-08`). A caller picks one for every parse, upsert and rendering;
//! nothing mixes them.
//!
//! Rules that differ between revisions are data, never branches: each concept's module holds a
//! [`ByContract`] table with one row per revision (the contact's text rules in `contact`, the
//! tag rules in `tags`, the member tables of the request and the customer in their modules, the
//! payment methods' first revision in `data/payment-methods.tsv`), and the code reads the row of
//! the revision it was given.

use std::fmt;

use crate::error::{ValidationError, ViolationKind};

/// A revision of the "Upsert a customer" contract.
///
/// ```
/// use rebilly_customer::Contract;
/// assert_eq!(Contract::default(), Contract::Seed2023_01);
/// assert_eq!(Contract::parse("2026-08").unwrap(), Contract::Rebilly2026_08);
/// assert_eq!(Contract::Rebilly2026_08.as_str(), "2026-08");
/// assert!(Contract::parse("2025-01").is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Contract {
    /// `2023-01`: the operation as Rebilly defined it on 2023-01-27 (the seed). The default.
    #[default]
    Seed2023_01,
    /// `2026-08`: the operation as Rebilly defines it on 2026-08-21 (SPEC section 8).
    Rebilly2026_08,
}

impl Contract {
    /// Every revision, oldest first.
    pub const ALL: [Contract; 2] = [Contract::Seed2023_01, Contract::Rebilly2026_08];

    /// The revision's name: `2023-01` or `2026-08`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Contract::Seed2023_01 => "2023-01",
            Contract::Rebilly2026_08 => "2026-08",
        }
    }

    /// The revision named `text` (`2023-01` or `2026-08`).
    ///
    /// # Errors
    /// `pattern` for any other text.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        Contract::ALL
            .into_iter()
            .find(|contract| contract.as_str() == text)
            .ok_or_else(|| {
                ValidationError::single(ViolationKind::Pattern {
                    allowed: "a contract revision: 2023-01 or 2026-08",
                })
            })
    }

    /// The row of this revision in a table.
    pub(crate) const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Contract {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Contract {
    type Err = ValidationError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Contract::parse(text)
    }
}

impl serde::Serialize for Contract {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Contract {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Contract::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A table with one row per revision: what a rule is under each. A rule that differs between
/// revisions is one of these, read with [`ByContract::get`].
pub(crate) struct ByContract<T> {
    rows: [T; 2],
}

impl<T> ByContract<T> {
    /// The rows, in the order of [`Contract::ALL`].
    pub(crate) const fn new(seed_2023_01: T, rebilly_2026_08: T) -> Self {
        ByContract {
            rows: [seed_2023_01, rebilly_2026_08],
        }
    }

    /// The row of `contract`.
    pub(crate) const fn get(&self, contract: Contract) -> &T {
        &self.rows[contract.index()]
    }
}
