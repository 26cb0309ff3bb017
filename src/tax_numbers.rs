//! Tax numbers (2026-08's `taxNumbers`): a type, a value, whether it is the default, and
//! whether the server found it valid (read-only).

use serde::de::MapAccess;
use serde::{Serialize, Serializer};

use crate::de::{self, Bool, Collector, Got, Seed, Shape, Skip};
use crate::error::{ValidationError, ViolationKind};
use crate::json::{JsonOut, WriteJson};
use crate::object::{self, Described, Fields, Member, OtherMembers, keys};
use crate::text::nfc;

json_object! {
    /// The members of a tax number, in the order they are rendered.
    pub(crate) enum TaxNumberMember {
        Type = keys::TYPE, required;
        Value = "value", required;
        IsDefault = "isDefault";
        /// Set by the server: accepted unchecked in a request, never taken from one.
        IsValid = "isValid", nullable, read_only;
    }
}

/// The kind of a tax number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum TaxNumberType {
    /// `eu-vat`: a VAT number of the European Union.
    EuVat,
    /// `other`.
    Other,
}

impl TaxNumberType {
    /// Every type.
    pub const ALL: [TaxNumberType; 2] = [TaxNumberType::EuVat, TaxNumberType::Other];

    /// The type as the API spells it.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            TaxNumberType::EuVat => "eu-vat",
            TaxNumberType::Other => "other",
        }
    }

    /// The type spelled `text`.
    ///
    /// # Errors
    /// `pattern` unless `text` is `eu-vat` or `other`.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|known| known.as_str() == text)
            .ok_or_else(|| {
                ValidationError::single(ViolationKind::NotOneOf {
                    allowed: "eu-vat or other",
                })
            })
    }
}

impl Serialize for TaxNumberType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl WriteJson for TaxNumberType {
    fn write_json(&self, out: &mut JsonOut) {
        out.string(self.as_str());
    }
}

impl std::fmt::Display for TaxNumberType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

parse_door!(TaxNumberType);

/// One of a customer's tax numbers. `isValid` is the server's: a request's is ignored, and the
/// upsert carries it over from the stored item with the same type and value.
///
/// ```
/// use rebilly_customer::{TaxNumber, TaxNumberType};
/// let vat = TaxNumber::new(TaxNumberType::EuVat, "DE123456789", true);
/// assert_eq!(vat.value(), "DE123456789");
/// assert_eq!(vat.is_valid(), None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TaxNumber {
    tax_type: TaxNumberType,
    value: String,
    is_default: bool,
    is_valid: Option<bool>,
    others: OtherMembers,
}

impl TaxNumber {
    /// A tax number; `value` is stored in NFC (the schema gives it no other rule).
    #[must_use]
    pub fn new(tax_type: TaxNumberType, value: &str, is_default: bool) -> Self {
        TaxNumber {
            tax_type,
            value: nfc(value).into_owned(),
            is_default,
            is_valid: None,
            others: OtherMembers::new(),
        }
    }

    /// The type.
    #[must_use]
    pub fn tax_type(&self) -> TaxNumberType {
        self.tax_type
    }
    /// The number, in NFC.
    #[must_use]
    pub fn value(&self) -> &str {
        &self.value
    }
    /// Whether it is the default (`false` when not sent).
    #[must_use]
    pub fn is_default(&self) -> bool {
        self.is_default
    }
    /// Whether the server found it valid, when it checked.
    #[must_use]
    pub fn is_valid(&self) -> Option<bool> {
        self.is_valid
    }
    /// Members a newer API added, kept as read.
    #[must_use]
    pub fn other_members(&self) -> &OtherMembers {
        &self.others
    }

    /// The same number with `isValid` as the server found it.
    #[must_use]
    pub fn with_is_valid(mut self, is_valid: Option<bool>) -> Self {
        self.is_valid = is_valid;
        self
    }
}

/// Gives each item of `sent` the `isValid` of the first item of `stored` with the same type and
/// value (SPEC section 8), `null` when none has one.
///
/// One keyed hash per item, into a compact table of first occurrences (hash to index), so that
/// 40,000 items stay in the cache; an item sent back at its stored place is confirmed against
/// that place, read in order, and only an item that moved is compared with another place. The
/// hash is `RandomState`'s, keyed per process, so that a client cannot send keys that pile up
/// in one bucket. Two different stored keys with one hash (never seen in practice) fall back to
/// a map of the keys themselves.
pub(crate) fn carry_validity(sent: &mut [TaxNumber], stored: &[TaxNumber]) {
    use std::collections::HashMap;
    use std::hash::BuildHasher;

    // The usual case: the server found nothing yet, so there is nothing to carry.
    if stored.iter().all(|item| item.is_valid.is_none()) {
        sent.iter_mut().for_each(|item| item.is_valid = None);
        return;
    }
    let keyed = std::collections::hash_map::RandomState::new();
    let hash = |item: &TaxNumber| keyed.hash_one((item.tax_type, item.value.as_str()));
    let same = |a: &TaxNumber, b: &TaxNumber| a.tax_type == b.tax_type && a.value == b.value;
    let mut first: HashMap<u64, usize, std::hash::BuildHasherDefault<AlreadyHashed>> =
        HashMap::with_capacity_and_hasher(stored.len(), Default::default());
    for (index, item) in stored.iter().enumerate() {
        let earlier = *first.entry(hash(item)).or_insert(index);
        if earlier != index && !same(&stored[earlier], item) {
            return carry_validity_by_key(sent, stored);
        }
    }
    for item in sent.iter_mut() {
        // An item sent back at its place is compared with that place, read in order.
        item.is_valid = match first.get(&hash(item)) {
            Some(&at) if same(&stored[at], item) => stored[at].is_valid,
            _ => None,
        };
    }
}

/// [`carry_validity`] with the keys themselves in the map.
fn carry_validity_by_key(sent: &mut [TaxNumber], stored: &[TaxNumber]) {
    let mut known = std::collections::HashMap::with_capacity(stored.len());
    for item in stored {
        known
            .entry((item.tax_type, item.value.as_str()))
            .or_insert(item.is_valid);
    }
    for item in sent {
        item.is_valid = known
            .get(&(item.tax_type, item.value.as_str()))
            .copied()
            .flatten();
    }
}

/// The table's own hasher: its keys are keyed hashes already, used as they are.
#[derive(Default)]
struct AlreadyHashed(u64);

impl std::hash::Hasher for AlreadyHashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used; anything else is folded in, for completeness.
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

impl Described for TaxNumber {
    type Member = TaxNumberMember;

    fn fields<F: Fields<TaxNumberMember>>(&self, fields: &mut F) {
        for member in TaxNumberMember::ALL {
            match member {
                TaxNumberMember::Type => fields.field(*member, &self.tax_type),
                TaxNumberMember::Value => fields.field(*member, self.value.as_str()),
                TaxNumberMember::IsDefault => fields.field(*member, &self.is_default),
                TaxNumberMember::IsValid => fields.field(*member, &self.is_valid),
            }
        }
    }

    fn other_members(&self) -> &OtherMembers {
        &self.others
    }
}

serialize_described!(TaxNumber);

/// A list of tax numbers as JSON.
pub(crate) struct TaxNumberList<'a>(pub(crate) &'a [TaxNumber]);

impl Serialize for TaxNumberList<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl WriteJson for TaxNumberList<'_> {
    fn write_json(&self, out: &mut JsonOut) {
        object::write_array(self.0, out);
    }
}

/// A value read as text, without a copy until it is kept.
#[derive(Clone, Copy)]
struct PlainText;

impl<'de> Shape<'de> for PlainText {
    type Out = String;
    const EXPECTED: &'static str = "a string";
    fn on_str(self, _: &mut Collector, text: &str) -> Got<String> {
        Got::Value(nfc(text).into_owned())
    }
}

/// One tax number. In a request `isValid` is accepted unchecked; reading a stored customer
/// it is a boolean or `null`.
#[derive(Clone, Copy)]
pub(crate) struct TaxNumberShape;

impl<'de> Shape<'de> for TaxNumberShape {
    type Out = TaxNumber;
    const EXPECTED: &'static str = "an object";

    fn on_map<A: MapAccess<'de>>(
        self,
        c: &mut Collector,
        map: A,
    ) -> Result<Got<TaxNumber>, A::Error> {
        let mark = c.mark();
        let (mut tax_type, mut value, mut is_default, mut is_valid) = (None, None, false, None);
        let mut others = OtherMembers::new();
        let seen = de::object_members_keeping(c, map, &mut others, |c, member, map| {
            match member {
                TaxNumberMember::Type => {
                    tax_type = c
                        .read(map, member, de::Text::<TaxNumberType>::new())?
                        .value();
                }
                TaxNumberMember::Value => value = c.read(map, member, PlainText)?.value(),
                TaxNumberMember::IsDefault => {
                    is_default = c.read(map, member, Bool)?.value().unwrap_or(false);
                }
                TaxNumberMember::IsValid if c.keep_others => {
                    is_valid = c.read(map, member, Bool)?.value();
                }
                TaxNumberMember::IsValid => {
                    map.next_value_seed(Seed::new(c, Skip, true))?;
                }
            }
            Ok(())
        })?;
        c.missing::<TaxNumberMember>(seen);
        Ok(match (tax_type, value) {
            (Some(tax_type), Some(value)) if c.clean_since(mark) => Got::Value(TaxNumber {
                tax_type,
                value,
                is_default,
                is_valid,
                others,
            }),
            _ => Got::Invalid,
        })
    }
}

/// `taxNumbers`: an array of tax numbers (its `null` is the member's, read by the caller).
pub(crate) const TAX_NUMBERS_SHAPE: de::ListOf<TaxNumberShape> = de::ListOf(TaxNumberShape);

#[cfg(test)]
mod tests {
    use super::{TaxNumber, TaxNumberType, carry_validity, carry_validity_by_key};

    /// The hashed table gives what the map of keys gives, duplicates, moves and unknown items
    /// included.
    #[test]
    fn the_table_of_first_occurrences_agrees_with_the_map_of_keys() {
        let item = |kind: usize, value: usize, valid: Option<bool>| {
            let tax_type = TaxNumberType::ALL[kind % TaxNumberType::ALL.len()];
            TaxNumber::new(tax_type, &format!("v{value}"), false).with_is_valid(valid)
        };
        let validity = [None, Some(true), Some(false)];
        for seed in 0..200usize {
            let stored: Vec<TaxNumber> = (0..seed % 17)
                .map(|i| item(i * seed % 3, (i * 7 + seed) % 9, validity[(i + seed) % 3]))
                .collect();
            let sent: Vec<TaxNumber> = (0..seed % 13)
                .map(|i| item(i * 5 % 3, (i * 3 + seed) % 11, None))
                .collect();
            let (mut hashed, mut by_key) = (sent.clone(), sent);
            carry_validity(&mut hashed, &stored);
            carry_validity_by_key(&mut by_key, &stored);
            let found =
                |items: &[TaxNumber]| items.iter().map(TaxNumber::is_valid).collect::<Vec<_>>();
            assert_eq!(found(&hashed), found(&by_key), "seed {seed}");
        }
    }
}
