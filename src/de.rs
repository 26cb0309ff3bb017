//! The one pass that reads JSON into validated values while collecting *every* violation.
//!
//! serde's derive stops at the first error; the contract wants all of them, in document order,
//! with their paths. So each composite value is read by a [`Shape`] driven through a serde
//! visitor: a wrong type or a broken rule is recorded in the [`Collector`] and the walk goes on.
//! Only what makes the bytes malformed (bad JSON, a repeated member name) stops it, as a
//! deserializer error that becomes the 400. No `serde_json::Value` is built first.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Number;

use crate::contract::Contract;
use crate::error::{FieldPath, PathSegment, ValidationError, Violation, ViolationKind};
use crate::object::{Member, OtherMembers};

/// A string value type with one parsing door; implemented by every text type.
pub(crate) trait ParseText: Sized {
    /// Parses (NFC first) and checks every rule of `contract` (most types have one rule for
    /// every revision).
    fn parse_text(text: &str, contract: Contract) -> Result<Self, ValidationError>;
}

/// The deserializer error for a member name that appears twice in one object.
pub(crate) const DUPLICATE_MEMBER: &str = "duplicate member name in an object";

/// Where the walk is, and what it has found wrong so far.
pub(crate) struct Collector {
    path: Vec<PathSegment>,
    violations: Vec<Violation>,
    /// Drop unknown members instead of reporting them.
    pub(crate) ignore_unknown: bool,
    /// Keep unknown members, unknown link relations, payment methods and tag types, as read
    /// (reading a customer: what a newer API or a newer instance wrote). See
    /// [`Collector::keeping_others`].
    pub(crate) keep_others: bool,
    /// The revision whose rules the walk applies.
    pub(crate) contract: Contract,
    /// How custom-field values are read (see [`RawValues`]).
    pub(crate) raw_values: RawValues,
    /// A value read whole and then found malformed inside: the message, and the index in the
    /// document just past the point serde_json would have stopped at.
    pub(crate) malformed_at: Option<(String, usize)>,
}

/// How a walk reads the values it keeps as written (custom fields, so their numbers keep
/// their text): through serde_json's raw values, borrowed from a document in memory or copied.
#[derive(Clone, Copy)]
pub(crate) enum RawValues {
    /// Borrowed from the text being read, which starts at this address: a raw value's address
    /// says where in the document it is, so an error inside is placed exactly.
    Borrowed { document_start: usize },
    /// Copied, from any serde_json deserializer (a reader, a `Value`).
    Copied,
    /// Not at all: bytes that are not UTF-8, malformed whatever else they hold, are read by
    /// serde_json alone, which says exactly where.
    Off,
}

impl RawValues {
    /// Raw values borrowed from `text`.
    pub(crate) fn borrowed_from(text: &str) -> Self {
        RawValues::Borrowed {
            document_start: text.as_ptr() as usize,
        }
    }
}

impl Collector {
    pub(crate) fn new(ignore_unknown: bool) -> Self {
        Collector {
            // Deep enough for every path of the contract (`primaryAddress.emails.1.value`).
            path: Vec::with_capacity(6),
            violations: Vec::new(),
            ignore_unknown,
            keep_others: false,
            contract: Contract::Seed2023_01,
            raw_values: RawValues::Copied,
            malformed_at: None,
        }
    }

    /// The same collector, applying the rules of `contract`.
    pub(crate) fn under(mut self, contract: Contract) -> Self {
        self.contract = contract;
        self
    }

    /// Runs `read` with unknown members kept instead of judged, then restores the mode.
    pub(crate) fn keeping_others<T>(&mut self, read: impl FnOnce(&mut Collector) -> T) -> T {
        let before = std::mem::replace(&mut self.keep_others, true);
        let out = read(self);
        self.keep_others = before;
        out
    }

    /// The current path, with room for `extra` more segments.
    fn here(&self, extra: usize) -> Vec<PathSegment> {
        let mut segments = Vec::with_capacity(self.path.len() + extra);
        segments.extend_from_slice(&self.path);
        segments
    }

    /// Records a violation at the current path.
    pub(crate) fn report(&mut self, kind: ViolationKind) {
        let path = FieldPath::from_segments(self.here(0));
        self.violations.push(Violation::new(path, kind));
    }

    /// Records a violation at a member of the current path.
    pub(crate) fn report_at(&mut self, segment: impl Into<PathSegment>, kind: ViolationKind) {
        let mut segments = self.here(1);
        segments.push(segment.into());
        let path = FieldPath::from_segments(segments);
        self.violations.push(Violation::new(path, kind));
    }

    /// Records the violations of a value parsed at the current path.
    pub(crate) fn absorb(&mut self, error: ValidationError) {
        for violation in error {
            let violation = violation.prefixed(&self.path);
            self.violations.push(violation);
        }
    }

    /// A count to compare with later: did a part of the walk add violations?
    pub(crate) fn mark(&self) -> usize {
        self.violations.len()
    }

    pub(crate) fn clean_since(&self, mark: usize) -> bool {
        self.violations.len() == mark
    }

    pub(crate) fn into_violations(self) -> Vec<Violation> {
        self.violations
    }

    /// How many segments the current path has: one per container around the value being read.
    pub(crate) fn depth(&self) -> usize {
        self.path.len()
    }

    pub(crate) fn enter(&mut self, segment: impl Into<PathSegment>) {
        self.path.push(segment.into());
    }

    pub(crate) fn leave(&mut self) {
        self.path.pop();
    }

    /// Reads the value of `member` with `shape`; `null` is a value when the description says
    /// the member is nullable, else a `not_null` violation.
    pub(crate) fn read<'de, A, S, M>(
        &mut self,
        map: &mut A,
        member: M,
        shape: S,
    ) -> Result<Got<S::Out>, A::Error>
    where
        A: MapAccess<'de>,
        S: Shape<'de>,
        M: Member,
    {
        self.enter(member.key());
        let got = map.next_value_seed(Seed::new(self, shape, member.flags().nullable))?;
        self.leave();
        Ok(got)
    }

    /// Reports each member the description of `M` requires that is not among `seen` (the bits
    /// an object walk returned).
    pub(crate) fn missing<M: Member>(&mut self, seen: u64) {
        for member in M::ALL {
            if member.flags().required && seen & member.bit() == 0 {
                self.report_at(member.key(), ViolationKind::Required);
            }
        }
    }
}

/// What reading one value gave.
pub(crate) enum Got<T> {
    /// `null`, where allowed.
    Null,
    /// A valid value.
    Value(T),
    /// Something wrong, already reported.
    Invalid,
    /// The JSON type was wrong; the driver reports it and turns it into `Invalid`.
    Mismatch,
}

impl<T> Got<T> {
    pub(crate) fn value(self) -> Option<T> {
        match self {
            Got::Value(v) => Some(v),
            _ => None,
        }
    }
}

/// How to read one kind of value. Each method gets the value's JSON type; the defaults refuse it
/// (after walking an object or array, so that malformed input deeper down is still found).
pub(crate) trait Shape<'de>: Sized {
    type Out;
    /// The expected JSON type with its article, for `type` messages.
    const EXPECTED: &'static str;

    fn on_str(self, _c: &mut Collector, _text: &str) -> Got<Self::Out> {
        Got::Mismatch
    }
    fn on_bool(self, _c: &mut Collector, _value: bool) -> Got<Self::Out> {
        Got::Mismatch
    }
    fn on_number(self, _c: &mut Collector, _value: Number) -> Got<Self::Out> {
        Got::Mismatch
    }
    fn on_map<A: MapAccess<'de>>(
        self,
        c: &mut Collector,
        map: A,
    ) -> Result<Got<Self::Out>, A::Error> {
        skip_map(c, map)?;
        Ok(Got::Mismatch)
    }
    fn on_seq<A: SeqAccess<'de>>(
        self,
        c: &mut Collector,
        seq: A,
    ) -> Result<Got<Self::Out>, A::Error> {
        skip_seq(c, seq)?;
        Ok(Got::Mismatch)
    }
}

/// Drives a [`Shape`] from a deserializer.
pub(crate) struct Seed<'c, S> {
    c: &'c mut Collector,
    shape: S,
    nullable: bool,
}

impl<'c, S> Seed<'c, S> {
    pub(crate) fn new(c: &'c mut Collector, shape: S, nullable: bool) -> Self {
        Seed { c, shape, nullable }
    }
}

fn settle<'de, S: Shape<'de>>(c: &mut Collector, got: Got<S::Out>, nullable: bool) -> Got<S::Out> {
    match got {
        Got::Mismatch => {
            c.report(ViolationKind::Type {
                expected: S::EXPECTED,
                nullable,
            });
            Got::Invalid
        }
        other => other,
    }
}

impl<'de, S: Shape<'de>> DeserializeSeed<'de> for Seed<'_, S> {
    type Value = Got<S::Out>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, S: Shape<'de>> Visitor<'de> for Seed<'_, S> {
    type Value = Got<S::Out>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        if self.nullable {
            Ok(Got::Null)
        } else {
            self.c.report(ViolationKind::NotNull);
            Ok(Got::Invalid)
        }
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.visit_unit()
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        let got = self.shape.on_bool(self.c, v);
        Ok(settle::<S>(self.c, got, self.nullable))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        let got = self.shape.on_number(self.c, Number::from(v));
        Ok(settle::<S>(self.c, got, self.nullable))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        let got = self.shape.on_number(self.c, Number::from(v));
        Ok(settle::<S>(self.c, got, self.nullable))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // JSON has no NaN or infinity; another format's are refused as malformed.
        let number = Number::from_f64(v).ok_or_else(|| E::custom("a number must be finite"))?;
        let got = self.shape.on_number(self.c, number);
        Ok(settle::<S>(self.c, got, self.nullable))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let got = self.shape.on_str(self.c, v);
        Ok(settle::<S>(self.c, got, self.nullable))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let got = self.shape.on_map(self.c, map)?;
        Ok(settle::<S>(self.c, got, self.nullable))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let got = self.shape.on_seq(self.c, seq)?;
        Ok(settle::<S>(self.c, got, self.nullable))
    }
}

/// Member names, borrowed from the input when they hold no escape.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// Names an object can hold before its seen-names list allocates.
const INLINE_KEYS: usize = 16;

/// The member names seen in one object, kept without allocating for ordinary objects: borrowed
/// names in a fixed array, behind a 64-bit filter that answers "new" for most names without a
/// comparison. Escaped (owned) names, and names past the array, go to a list, then to a hash set
/// once the object is large enough that scanning would be quadratic.
pub(crate) struct SeenKeys<'de> {
    filter: u64,
    few: [&'de str; INLINE_KEYS],
    len: usize,
    rest: Vec<Cow<'de, str>>,
    many: Option<HashSet<Cow<'de, str>>>,
}

impl<'de> SeenKeys<'de> {
    const SCAN_LIMIT: usize = 32;

    pub(crate) fn new() -> Self {
        SeenKeys {
            filter: 0,
            few: [""; INLINE_KEYS],
            len: 0,
            rest: Vec::new(),
            many: None,
        }
    }

    /// One of 64 bits for a name; equal names always get the same bit.
    fn bit(key: &str) -> u64 {
        let bytes = key.as_bytes();
        let (first, last) = (bytes.first().copied(), bytes.last().copied());
        let mix = bytes.len()
            ^ usize::from(first.unwrap_or(0)).wrapping_mul(31)
            ^ usize::from(last.unwrap_or(0)).wrapping_mul(7)
            ^ usize::from(bytes.get(bytes.len() / 2).copied().unwrap_or(0)).wrapping_mul(131);
        1u64 << (mix % 64)
    }

    /// False when `key` was already there.
    // The `Cow` itself is the point: a borrowed name is kept in the array without a copy.
    #[allow(clippy::ptr_arg)]
    pub(crate) fn insert(&mut self, key: &Cow<'de, str>) -> bool {
        if let Some(many) = &mut self.many {
            return many.insert(key.clone());
        }
        let bit = Self::bit(key);
        if self.filter & bit != 0 {
            let name: &str = key;
            let seen = self.few[..self.len].contains(&name)
                || self.rest.iter().any(|k| k.as_ref() == name);
            if seen {
                return false;
            }
        }
        self.filter |= bit;
        match key {
            Cow::Borrowed(name) if self.len < INLINE_KEYS => {
                self.few[self.len] = name;
                self.len += 1;
            }
            _ => {
                self.rest.push(key.clone());
                if self.rest.len() > Self::SCAN_LIMIT {
                    let mut many: HashSet<Cow<'de, str>> = self.few[..self.len]
                        .iter()
                        .map(|k| Cow::Borrowed(*k))
                        .collect();
                    many.extend(self.rest.drain(..));
                    self.many = Some(many);
                }
            }
        }
        true
    }
}

/// Walks an object's members. `on_member` reads the value of a member it knows and returns
/// true; for any other member the value is skipped and, unless unknown members are ignored, an
/// `unknown_field` violation is recorded. A repeated name is a deserializer error (malformed).
pub(crate) fn members<'de, A, F>(
    c: &mut Collector,
    mut map: A,
    mut on_member: F,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    F: FnMut(&mut Collector, &str, &mut A) -> Result<bool, A::Error>,
{
    let mut seen = SeenKeys::new();
    while let Some(key) = map.next_key_seed(KeySeed)? {
        if !seen.insert(&key) {
            return Err(de::Error::custom(DUPLICATE_MEMBER));
        }
        if !on_member(c, &key, &mut map)? {
            skip_unknown(c, key, &mut map)?;
        }
    }
    Ok(())
}

/// A member the contract does not define: reported (unless ignored), its value skipped.
fn skip_unknown<'de, A: MapAccess<'de>>(
    c: &mut Collector,
    key: Cow<'de, str>,
    map: &mut A,
) -> Result<(), A::Error> {
    if !c.ignore_unknown {
        c.report_at(key.into_owned(), ViolationKind::UnknownField);
    }
    map.next_value_seed(Seed::new(c, Skip, true))?;
    Ok(())
}

/// A member an object's description does not name: kept in `others` (after the described
/// member of `last_bit`, 0 when none came yet) when the walk keeps them and the object has room
/// for them, else reported (unless ignored) and skipped. Out of line: the usual object has
/// none, and its walk stays small.
#[inline(never)]
fn unknown_member<'de, A: MapAccess<'de>>(
    c: &mut Collector,
    key: Cow<'de, str>,
    map: &mut A,
    others: Option<&mut OtherMembers>,
    last_bit: u64,
) -> Result<(), A::Error> {
    match others {
        Some(others) if c.keep_others => {
            // The anchor (see `OtherMembers`): 0 before every described member, else the last
            // one's index plus one.
            let anchor = if last_bit == 0 {
                0
            } else {
                last_bit.trailing_zeros() as u8 + 1
            };
            others.push(anchor, key.into_owned(), kept_as_read(map)?);
            Ok(())
        }
        _ => skip_unknown(c, key, map),
    }
}

/// Walks an object whose members `classify` knows: it gives each known name's member and bit (at
/// most 64 bits, one per member), and `on_member` reads that member's value. A repeated known
/// member is found with one bit test, so only unknown names are kept, to find their repeats.
/// Unknown members go into `others` when the walk keeps them and the object has room for them;
/// otherwise they are reported (unless ignored) and skipped. Returns the bits of the members
/// seen.
pub(crate) fn classified_members<'de, A, K, P, F>(
    c: &mut Collector,
    mut map: A,
    mut others: Option<&mut OtherMembers>,
    classify: P,
    mut on_member: F,
) -> Result<u64, A::Error>
where
    A: MapAccess<'de>,
    P: Fn(&str) -> Option<(K, u64)>,
    F: FnMut(&mut Collector, K, &mut A) -> Result<(), A::Error>,
{
    let mut seen_known = 0u64;
    let mut seen_unknown: Option<SeenKeys<'de>> = None;
    let mut last_bit = 0u64;
    while let Some(key) = map.next_key_seed(KeySeed)? {
        if let Some((member, bit)) = classify(&key) {
            if seen_known & bit != 0 {
                return Err(de::Error::custom(DUPLICATE_MEMBER));
            }
            seen_known |= bit;
            last_bit = bit;
            on_member(c, member, &mut map)?;
        } else {
            if !seen_unknown.get_or_insert_with(SeenKeys::new).insert(&key) {
                return Err(de::Error::custom(DUPLICATE_MEMBER));
            }
            unknown_member(c, key, &mut map, others.as_deref_mut(), last_bit)?;
        }
    }
    if let Some(others) = others {
        others.settle();
    }
    Ok(seen_known)
}

/// Walks an object of a described type `M`: `on_member` reads each member of the description;
/// the others are kept in `others` when the walk keeps them ([`Collector::keeping_others`]),
/// else unknown. Returns the bits of the members seen, for [`Collector::missing`].
pub(crate) fn object_members_keeping<'de, A, M, F>(
    c: &mut Collector,
    map: A,
    others: &mut OtherMembers,
    on_member: F,
) -> Result<u64, A::Error>
where
    A: MapAccess<'de>,
    M: Member,
    F: FnMut(&mut Collector, M, &mut A) -> Result<(), A::Error>,
{
    classified_members(
        c,
        map,
        Some(others),
        |key| M::from_key(key).map(|m| (m, m.bit())),
        on_member,
    )
}

/// Reads every item of an array with `shape`, handing `on_item` each item's index and what
/// reading it gave (anything but a value is already reported).
pub(crate) fn each_item<'de, A, S, F>(
    c: &mut Collector,
    mut seq: A,
    shape: S,
    mut on_item: F,
) -> Result<(), A::Error>
where
    A: SeqAccess<'de>,
    S: Shape<'de> + Clone,
    F: FnMut(usize, Got<S::Out>),
{
    let mut index = 0;
    loop {
        c.enter(index);
        let item = seq.next_element_seed(Seed::new(c, shape.clone(), false))?;
        c.leave();
        match item {
            Some(got) => on_item(index, got),
            None => return Ok(()),
        }
        index += 1;
    }
}

/// Items of an array with their indices in it.
pub(crate) type Indexed<T> = Vec<(usize, T)>;

/// The valid items of an array with their indices, and whether every item was valid.
pub(crate) fn indexed_items<'de, A, S>(
    c: &mut Collector,
    seq: A,
    shape: S,
) -> Result<(Indexed<S::Out>, bool), A::Error>
where
    A: SeqAccess<'de>,
    S: Shape<'de> + Clone,
{
    let mut valid = Vec::new();
    let mut all_valid = true;
    each_item(c, seq, shape, |index, got| match got {
        Got::Value(value) => valid.push((index, value)),
        _ => all_valid = false,
    })?;
    Ok((valid, all_valid))
}

fn skip_map<'de, A: MapAccess<'de>>(c: &mut Collector, map: A) -> Result<(), A::Error> {
    // Every member is "known" here: skipping is not judging.
    members(c, map, |c, _, map| {
        map.next_value_seed(Seed::new(c, Skip, true))?;
        Ok(true)
    })
}

fn skip_seq<'de, A: SeqAccess<'de>>(c: &mut Collector, mut seq: A) -> Result<(), A::Error> {
    while seq.next_element_seed(Seed::new(c, Skip, true))?.is_some() {}
    Ok(())
}

/// Accepts any value without judging it (read-only members), still refusing repeated names.
#[derive(Clone, Copy)]
pub(crate) struct Skip;

impl<'de> Shape<'de> for Skip {
    type Out = ();
    const EXPECTED: &'static str = "a JSON value";
    fn on_str(self, _: &mut Collector, _: &str) -> Got<()> {
        Got::Value(())
    }
    fn on_bool(self, _: &mut Collector, _: bool) -> Got<()> {
        Got::Value(())
    }
    fn on_number(self, _: &mut Collector, _: Number) -> Got<()> {
        Got::Value(())
    }
    fn on_map<A: MapAccess<'de>>(self, c: &mut Collector, map: A) -> Result<Got<()>, A::Error> {
        skip_map(c, map)?;
        Ok(Got::Value(()))
    }
    fn on_seq<A: SeqAccess<'de>>(self, c: &mut Collector, seq: A) -> Result<Got<()>, A::Error> {
        skip_seq(c, seq)?;
        Ok(Got::Value(()))
    }
}

/// A string read into a text value type.
pub(crate) struct Text<T>(PhantomData<fn() -> T>);

impl<T> Text<T> {
    pub(crate) const fn new() -> Self {
        Text(PhantomData)
    }
}

impl<T> Clone for Text<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Text<T> {}

impl<'de, T: ParseText> Shape<'de> for Text<T> {
    type Out = T;
    const EXPECTED: &'static str = "a string";
    fn on_str(self, c: &mut Collector, text: &str) -> Got<T> {
        match T::parse_text(text, c.contract) {
            Ok(value) => Got::Value(value),
            Err(error) => {
                c.absorb(error);
                Got::Invalid
            }
        }
    }
}

/// An array whose every item is read with `S`, each reported at its index: the items when
/// every one is valid.
#[derive(Clone, Copy)]
pub(crate) struct ListOf<S>(pub(crate) S);

impl<'de, S: Shape<'de> + Clone> Shape<'de> for ListOf<S> {
    type Out = Vec<S::Out>;
    const EXPECTED: &'static str = "an array";
    fn on_seq<A: SeqAccess<'de>>(
        self,
        c: &mut Collector,
        seq: A,
    ) -> Result<Got<Vec<S::Out>>, A::Error> {
        let mut items = Vec::new();
        let mut all_valid = true;
        each_item(c, seq, self.0, |_, got| match got {
            Got::Value(item) => items.push(item),
            _ => all_valid = false,
        })?;
        Ok(if all_valid {
            Got::Value(items)
        } else {
            Got::Invalid
        })
    }
}

/// An array of strings, each read into a text value type.
pub(crate) type TextList<T> = ListOf<Text<T>>;

impl<T> TextList<T> {
    pub(crate) const fn new() -> Self {
        ListOf(Text::new())
    }
}

/// A value kept unjudged until its meaning is known (a payment instrument's members before its
/// `method`, the body `id` before it is compared).
pub(crate) enum Raw {
    Text(String),
    NotText,
}

#[derive(Clone, Copy)]
pub(crate) struct RawShape;

impl<'de> Shape<'de> for RawShape {
    type Out = Raw;
    const EXPECTED: &'static str = "a JSON value";
    fn on_str(self, _: &mut Collector, text: &str) -> Got<Raw> {
        Got::Value(Raw::Text(text.to_owned()))
    }
    fn on_bool(self, _: &mut Collector, _: bool) -> Got<Raw> {
        Got::Value(Raw::NotText)
    }
    fn on_number(self, _: &mut Collector, _: Number) -> Got<Raw> {
        Got::Value(Raw::NotText)
    }
    fn on_map<A: MapAccess<'de>>(self, c: &mut Collector, map: A) -> Result<Got<Raw>, A::Error> {
        Skip.on_map(c, map)?;
        Ok(Got::Value(Raw::NotText))
    }
    fn on_seq<A: SeqAccess<'de>>(self, c: &mut Collector, seq: A) -> Result<Got<Raw>, A::Error> {
        Skip.on_seq(c, seq)?;
        Ok(Got::Value(Raw::NotText))
    }
}

/// A boolean.
#[derive(Clone, Copy)]
pub(crate) struct Bool;

impl<'de> Shape<'de> for Bool {
    type Out = bool;
    const EXPECTED: &'static str = "a boolean";
    fn on_bool(self, _: &mut Collector, value: bool) -> Got<bool> {
        Got::Value(value)
    }
}

/// Any JSON value, built strictly: repeated member names are malformed and strings are NFC.
#[derive(Clone, Copy)]
pub(crate) struct Json;

impl<'de> Shape<'de> for Json {
    type Out = serde_json::Value;
    const EXPECTED: &'static str = "a JSON value";
    fn on_str(self, _: &mut Collector, text: &str) -> Got<serde_json::Value> {
        Got::Value(serde_json::Value::String(
            crate::text::nfc(text).into_owned(),
        ))
    }
    fn on_bool(self, _: &mut Collector, value: bool) -> Got<serde_json::Value> {
        Got::Value(serde_json::Value::Bool(value))
    }
    fn on_number(self, _: &mut Collector, value: Number) -> Got<serde_json::Value> {
        Got::Value(serde_json::Value::Number(value))
    }
    fn on_map<A: MapAccess<'de>>(
        self,
        c: &mut Collector,
        map: A,
    ) -> Result<Got<serde_json::Value>, A::Error> {
        // A small object is filled as it is read. Past `BULK_FROM` members the rest are
        // collected and the map is built at once (sorted, bulk-built; the names are distinct,
        // a repeat being malformed): one insert after another into a tree that outgrows the
        // cache cost far more per member at 40,000 than at 2,500.
        const BULK_FROM: usize = 32;
        let mut object = serde_json::Map::new();
        let mut rest = Vec::new();
        members(c, map, |c, key, map| {
            let value = json_or_null(map.next_value_seed(Seed::new(c, Json, true))?);
            if object.len() < BULK_FROM {
                object.insert(key.to_owned(), value);
            } else {
                rest.push((key.to_owned(), value));
            }
            Ok(true)
        })?;
        if !rest.is_empty() {
            object = object.into_iter().chain(rest).collect();
        }
        Ok(Got::Value(serde_json::Value::Object(object)))
    }
    fn on_seq<A: SeqAccess<'de>>(
        self,
        c: &mut Collector,
        mut seq: A,
    ) -> Result<Got<serde_json::Value>, A::Error> {
        let mut array = Vec::new();
        while let Some(got) = seq.next_element_seed(Seed::new(c, Json, true))? {
            array.push(json_or_null(got));
        }
        Ok(Got::Value(serde_json::Value::Array(array)))
    }
}

/// A value kept unjudged as the JSON text it was read as, without the whitespace between its
/// tokens (members a newer API added, `_embedded`).
pub(crate) fn kept_as_read<'de, A: MapAccess<'de>>(
    map: &mut A,
) -> Result<crate::object::Kept, A::Error> {
    Ok(crate::object::compact(map.next_value()?))
}

/// `Json` never reports, so anything but a value is `null`.
pub(crate) fn json_or_null(got: Got<serde_json::Value>) -> serde_json::Value {
    got.value().unwrap_or(serde_json::Value::Null)
}

/// Reads a whole JSON document from bytes with `shape`: bytes that are not one JSON value (or
/// that repeat a member name) are malformed, and every violation is collected.
pub(crate) fn parse_document<'de, S: Shape<'de>>(
    bytes: &'de [u8],
    shape: S,
) -> Result<S::Out, crate::error::RequestError> {
    parse_document_with(bytes, shape, false)
}

/// [`parse_document`] under the rules of `contract`.
pub(crate) fn parse_document_under<'de, S: Shape<'de>>(
    bytes: &'de [u8],
    shape: S,
    contract: Contract,
) -> Result<S::Out, crate::error::RequestError> {
    read_document(Collector::new(false).under(contract), bytes, shape)
}

/// [`parse_document`], ignoring unknown members when `ignore_unknown` (documents another
/// version may have written: problem bodies).
pub(crate) fn parse_document_with<'de, S: Shape<'de>>(
    bytes: &'de [u8],
    shape: S,
    ignore_unknown: bool,
) -> Result<S::Out, crate::error::RequestError> {
    read_document(Collector::new(ignore_unknown), bytes, shape)
}

fn read_document<'de, S: Shape<'de>>(
    mut c: Collector,
    bytes: &'de [u8],
    shape: S,
) -> Result<S::Out, crate::error::RequestError> {
    use crate::error::RequestError;
    // The UTF-8 is checked once for the whole document, so strings need no second check;
    // bytes that are not UTF-8 go through the byte reader, which says where.
    let got = match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => {
            c.raw_values = RawValues::borrowed_from(text);
            read_whole(&mut c, shape, serde_json::Deserializer::from_str(text))
        }
        Err(_) => {
            c.raw_values = RawValues::Off;
            read_whole(&mut c, shape, serde_json::Deserializer::from_slice(bytes))
        }
    }
    .map_err(|e| RequestError::Malformed(malformed(&mut c, bytes, &e)))?;
    verdict(c, got, S::EXPECTED).map_err(RequestError::Invalid)
}

/// Where and why `bytes` are malformed, from the error serde_json stopped with.
pub(crate) fn malformed(
    c: &mut Collector,
    bytes: &[u8],
    error: &serde_json::Error,
) -> crate::error::MalformedBody {
    use crate::error::MalformedBody;
    match c.malformed_at.take() {
        Some((message, at)) => MalformedBody::at(message, bytes, at),
        None => MalformedBody::from_json(error),
    }
}

/// The value read, or every violation found; a value refused without one is a `type` error.
fn verdict<T>(mut c: Collector, got: Got<T>, expected: &'static str) -> Result<T, ValidationError> {
    match got {
        Got::Value(value) if c.violations.is_empty() => Ok(value),
        _ => {
            if c.violations.is_empty() {
                c.report(ViolationKind::Type {
                    expected,
                    nullable: false,
                });
            }
            Err(ValidationError::new(c.violations))
        }
    }
}

fn read_whole<'de, R: serde_json::de::Read<'de>, S: Shape<'de>>(
    c: &mut Collector,
    shape: S,
    mut deserializer: serde_json::Deserializer<R>,
) -> Result<Got<S::Out>, serde_json::Error> {
    let got = Seed::new(c, shape, false).deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(got)
}

/// Reads a whole value with `shape` through any deserializer, for `Deserialize` impls: every
/// violation becomes one deserializer error listing them all.
pub(crate) fn deserialize_shape<'de, D, S>(deserializer: D, shape: S) -> Result<S::Out, D::Error>
where
    D: Deserializer<'de>,
    S: Shape<'de>,
{
    deserialize_shape_with(deserializer, shape, false)
}

/// [`deserialize_shape`], ignoring unknown members when `ignore_unknown`.
pub(crate) fn deserialize_shape_with<'de, D, S>(
    deserializer: D,
    shape: S,
    ignore_unknown: bool,
) -> Result<S::Out, D::Error>
where
    D: Deserializer<'de>,
    S: Shape<'de>,
{
    let mut c = Collector::new(ignore_unknown);
    let got = Seed::new(&mut c, shape, false).deserialize(deserializer)?;
    verdict(c, got, S::EXPECTED).map_err(de::Error::custom)
}
