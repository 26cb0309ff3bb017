//! One description per JSON object: each object the crate reads or writes is declared once, as
//! rows `(Member, "key", flags)`, by [`json_object!`]. The rows give the member enum the reader
//! matches on (`RequestMember::WebsiteId`, never a position), each member's key for the writers,
//! and whether it is required, nullable or read-only for the checks; an exhaustive `match` on the
//! enum makes the compiler find a member that a reader or writer forgot.

use serde_json::value::RawValue;

use crate::json::{JsonOut, WriteJson};

/// What a description says of one member.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Flags {
    /// Reading fails when the member is absent.
    pub(crate) required: bool,
    /// `null` is a value of its own (clear, or unset), not a violation.
    pub(crate) nullable: bool,
    /// Derived or kept by the server: read back unchecked from a request, never set by one.
    pub(crate) read_only: bool,
}

impl Flags {
    /// The flags named in a row of a description.
    pub(crate) const fn of(names: &[&str]) -> Flags {
        let mut flags = Flags {
            required: false,
            nullable: false,
            read_only: false,
        };
        let mut i = 0;
        while i < names.len() {
            match names[i].as_bytes() {
                b"required" => flags.required = true,
                b"nullable" => flags.nullable = true,
                b"read_only" => flags.read_only = true,
                _ => panic!("a flag is required, nullable or read_only"),
            }
            i += 1;
        }
        flags
    }
}

/// A member of a described object.
pub(crate) trait Member: Copy + Eq + 'static {
    /// Every member, in the order of the description (the order the writers follow).
    const ALL: &'static [Self];

    /// The member's key, as the API spells it.
    fn key(self) -> &'static str;

    /// The member spelled `key`, if the object has one. Each key is compared as a constant,
    /// which the compiler reduces to a length test and a few loads instead of a call to memcmp.
    fn from_key(key: &str) -> Option<Self>;

    /// The member's bit among at most 64: a repeated member is found with one test.
    fn bit(self) -> u64;

    /// What the description says of it.
    fn flags(self) -> Flags;

    /// `,"key":`, built at compile time: writers copy it at once (without the comma for an
    /// object's first member).
    fn quoted(self) -> &'static [u8];
}

/// `,"key":` as bytes, for [`Member::quoted`]; `N` is the key's length plus four.
pub(crate) const fn quote_key<const N: usize>(key: &str) -> [u8; N] {
    let key = key.as_bytes();
    assert!(key.len() + 4 == N, "N is the key's length plus four");
    let mut out = [0u8; N];
    out[0] = b',';
    out[1] = b'"';
    let mut i = 0;
    while i < key.len() {
        out[i + 2] = key[i];
        i += 1;
    }
    out[N - 2] = b'"';
    out[N - 1] = b':';
    out
}

/// `Serialize` and the fast writer's `WriteJson` for types that are [`Described`]: both write
/// what its `fields` writes.
macro_rules! serialize_described {
    ($($name:ty),* $(,)?) => {$(
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                $crate::object::serialize(self, serializer)
            }
        }

        impl $crate::json::WriteJson for $name {
            fn write_json(&self, out: &mut $crate::json::JsonOut) {
                $crate::object::write(self, out);
            }
        }
    )*};
}

/// Declares an object's members once:
///
/// ```text
/// json_object! {
///     /// The members of a list item.
///     pub(crate) enum ItemMember {
///         Label = "label", required;
///         Value = "value", required;
///         Primary = "primary";
///     }
/// }
/// ```
macro_rules! json_object {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$row_meta:meta])* $variant:ident = $key:expr $(, $flag:ident)* ; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$row_meta])* $variant, )*
        }

        #[allow(dead_code)]
        impl $name {
            /// The member's key, in constant contexts.
            pub(crate) const fn key_const(self) -> &'static str {
                match self {
                    $( $name::$variant => $key, )*
                }
            }
        }

        impl $crate::object::Member for $name {
            const ALL: &'static [Self] = &[$($name::$variant),*];

            fn key(self) -> &'static str {
                self.key_const()
            }

            fn from_key(key: &str) -> Option<Self> {
                $(
                    if key == $key {
                        return Some($name::$variant);
                    }
                )*
                None
            }

            fn bit(self) -> u64 {
                const _: () = assert!(
                    [$(stringify!($variant)),*].len() <= 64,
                    "at most 64 members: one bit each"
                );
                1u64 << (self as u32)
            }

            fn quoted(self) -> &'static [u8] {
                match self {
                    $( $name::$variant => {
                        const QUOTED: [u8; $key.len() + 4] = $crate::object::quote_key($key);
                        &QUOTED
                    } )*
                }
            }

            fn flags(self) -> $crate::object::Flags {
                match self {
                    $( $name::$variant => const {
                        $crate::object::Flags::of(&[$(stringify!($flag)),*])
                    }, )*
                }
            }
        }
    };
}

/// Members of an object that its description does not name: what a newer version of the API
/// added. A customer read from a response or a store keeps them, each as it was read and in its
/// place (after the described member it followed), and renders them back there: protobuf's
/// unknown-field rule, applied to JSON objects. Requests never hold any.
///
/// ```
/// use rebilly_customer::Customer;
/// let customer = Customer::parse(br#"{"id": "cus_1", "websiteId": "web_1",
///     "loyaltyTier": "gold", "organizationId": "org_1", "createdTime": "2026-11-01T10:00:00Z",
///     "updatedTime": "2026-11-01T10:00:00Z", "revision": 3}"#).unwrap();
/// let others: Vec<(&str, &str)> =
///     customer.other_members().iter().map(|(name, value)| (name, value.get())).collect();
/// assert_eq!(others, [("loyaltyTier", r#""gold""#)]);
/// assert!(customer.to_json().contains(r#""websiteId":"web_1","loyaltyTier":"gold","#));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct OtherMembers(Vec<OtherMember>);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct OtherMember {
    /// 0 when it came before every described member; `i + 1` when the last described member
    /// before it was the one of index `i`. Rendered right after that member.
    after: u8,
    key: Box<str>,
    value: Kept,
}

/// A JSON value kept unjudged, as the text it was read as without the whitespace between its
/// tokens: it renders back exactly (big integers and member order included), which a
/// `serde_json::Value` cannot promise. Two are equal when they are spelled the same.
#[derive(Clone, Debug)]
pub(crate) struct Kept(Box<RawValue>);

impl Kept {
    pub(crate) fn raw(&self) -> &RawValue {
        &self.0
    }
}

impl PartialEq for Kept {
    fn eq(&self, other: &Self) -> bool {
        self.0.get() == other.0.get()
    }
}

impl Eq for Kept {}

impl std::hash::Hash for Kept {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.get().hash(state);
    }
}

impl serde::Serialize for Kept {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl WriteJson for Kept {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw(self.0.get().as_bytes());
    }
}

/// The empty set, for objects that have no other members.
static NO_OTHER_MEMBERS: OtherMembers = OtherMembers(Vec::new());

impl OtherMembers {
    /// No members.
    #[must_use]
    pub const fn new() -> Self {
        OtherMembers(Vec::new())
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Each member's name and value (its JSON text, as read), in the order they are rendered.
    /// Read a value into any type with `serde_json::from_str(value.get())`.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RawValue)> {
        self.members()
            .iter()
            .map(|member| (&*member.key, member.value.raw()))
    }

    /// The value of the member named `key` (a walk over the members: there are few).
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&RawValue> {
        self.iter()
            .find(|(name, _)| *name == key)
            .map(|(_, value)| value)
    }

    /// Takes out the member named `key`.
    pub(crate) fn remove(&mut self, key: &str) -> Option<Kept> {
        let at = self.0.iter().position(|member| &*member.key == key)?;
        Some(self.0.remove(at).value)
    }

    fn members(&self) -> &[OtherMember] {
        &self.0
    }

    /// Keeps a member read after the described member whose anchor is `after` (see
    /// [`OtherMember::after`]), its value compact.
    pub(crate) fn push(&mut self, after: u8, key: String, value: Kept) {
        self.0.push(OtherMember {
            after,
            key: key.into_boxed_str(),
            value,
        });
    }

    /// Puts the members in render order once an object is read: by anchor, and as read among
    /// the same anchor (a stable sort, done only when the described members came out of order).
    pub(crate) fn settle(&mut self) {
        if !self.0.is_sorted_by_key(|member| member.after) {
            self.0.sort_by_key(|member| member.after);
        }
    }
}

/// A name from one of the crate's closed lists (a link relation, a payment method, a tag type),
/// or one a newer API added, kept as read.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Named<T> {
    Known(T),
    Other(Box<str>),
}

impl<T: Copy> Named<T> {
    /// The name, if this version knows it.
    pub(crate) fn known(&self) -> Option<T> {
        match self {
            Named::Known(known) => Some(*known),
            Named::Other(_) => None,
        }
    }

    /// The name as the API spells it; `spell` spells the known ones.
    pub(crate) fn as_str(&self, spell: impl FnOnce(T) -> &'static str) -> &str {
        match self {
            Named::Known(known) => spell(*known),
            Named::Other(text) => text,
        }
    }
}

/// JSON text without the whitespace between its tokens, so that a value kept from a pretty
/// document renders compact like the rest; strings are left exactly as they were.
pub(crate) fn compact(raw: Box<RawValue>) -> Kept {
    let text = raw.get();
    let mut in_string = false;
    let mut escaped = false;
    let spaced = text.bytes().any(|b| {
        let space = !in_string && matches!(b, b' ' | b'\t' | b'\n' | b'\r');
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        }
        space
    });
    if !spaced {
        return Kept(raw);
    }
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            in_string = c == '"';
            out.push(c);
        }
    }
    Kept(RawValue::from_string(out).expect("JSON without its insignificant whitespace is JSON"))
}

/// Where an object's members are written: through serde, or the crate's fast JSON writer.
pub(crate) trait Fields<M: Member> {
    /// Writes `member` with `value`.
    fn field<T: serde::Serialize + WriteJson + ?Sized>(&mut self, member: M, value: &T);

    /// Writes a member the description does not name.
    fn other(&mut self, key: &str, value: &Kept);
}

/// An object that writes its members once, in [`Described::fields`], for both writers: its
/// `Serialize` ([`serialize`]) and the fast writer ([`write`]) then cannot drift apart.
pub(crate) trait Described {
    /// The members of its description.
    type Member: Member;

    /// Writes the members it renders, in order.
    fn fields<F: Fields<Self::Member>>(&self, fields: &mut F);

    /// The members read that the description does not name, written in their places.
    fn other_members(&self) -> &OtherMembers {
        &NO_OTHER_MEMBERS
    }

    /// Names of other members kept but not written by this rendering (a write-only member of
    /// another revision).
    fn hidden_others(&self) -> &'static [&'static str] {
        &[]
    }
}

/// Writes an object's other members among its described ones: each right after the described
/// member it followed when read, whether or not that member is written this time.
struct WithOthers<'a, F> {
    inner: F,
    others: &'a [OtherMember],
    hidden: &'static [&'static str],
}

impl<F> WithOthers<'_, F> {
    /// Writes the other members anchored at or before `anchor`.
    fn flush<M: Member>(&mut self, anchor: u8)
    where
        F: Fields<M>,
    {
        while let Some((first, rest)) = self.others.split_first() {
            if first.after > anchor {
                break;
            }
            if !self.hidden.contains(&&*first.key) {
                self.inner.other(&first.key, &first.value);
            }
            self.others = rest;
        }
    }
}

impl<M: Member, F: Fields<M>> Fields<M> for WithOthers<'_, F> {
    fn field<T: serde::Serialize + WriteJson + ?Sized>(&mut self, member: M, value: &T) {
        let anchor = anchor_of(member);
        self.flush::<M>(anchor - 1);
        self.inner.field(member, value);
        self.flush::<M>(anchor);
    }

    fn other(&mut self, key: &str, value: &Kept) {
        self.inner.other(key, value);
    }
}

/// The anchor of the members read after `member`: its index plus one.
pub(crate) fn anchor_of<M: Member>(member: M) -> u8 {
    // At most 64 members, so the index fits.
    member.bit().trailing_zeros() as u8 + 1
}

/// Writes `value`'s fields, and its other members in their places.
fn fields_with_others<D, F>(value: &D, fields: F) -> F
where
    D: Described + ?Sized,
    F: Fields<D::Member>,
{
    let others = value.other_members().members();
    if others.is_empty() {
        let mut fields = fields;
        value.fields(&mut fields);
        return fields;
    }
    let mut with = WithOthers {
        inner: fields,
        others,
        hidden: value.hidden_others(),
    };
    value.fields(&mut with);
    with.flush::<D::Member>(u8::MAX);
    with.inner
}

struct SerdeFields<S: serde::ser::SerializeMap> {
    map: S,
    error: Option<S::Error>,
}

impl<S: serde::ser::SerializeMap> SerdeFields<S> {
    fn entry<T: serde::Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        if self.error.is_none() {
            if let Err(error) = self.map.serialize_entry(key, value) {
                self.error = Some(error);
            }
        }
    }
}

impl<M: Member, S: serde::ser::SerializeMap> Fields<M> for SerdeFields<S> {
    fn field<T: serde::Serialize + WriteJson + ?Sized>(&mut self, member: M, value: &T) {
        self.entry(member.key(), value);
    }

    fn other(&mut self, key: &str, value: &Kept) {
        self.entry(key, value);
    }
}

/// `Serialize` for a described object.
pub(crate) fn serialize<D, S>(value: &D, serializer: S) -> Result<S::Ok, S::Error>
where
    D: Described + ?Sized,
    S: serde::Serializer,
{
    use serde::ser::SerializeMap;
    let fields = SerdeFields {
        map: serializer.serialize_map(None)?,
        error: None,
    };
    let fields = fields_with_others(value, fields);
    match fields.error {
        Some(error) => Err(error),
        None => fields.map.end(),
    }
}

struct JsonFields<'o> {
    out: &'o mut JsonOut,
    first: bool,
}

impl<M: Member> Fields<M> for JsonFields<'_> {
    fn field<T: serde::Serialize + WriteJson + ?Sized>(&mut self, member: M, value: &T) {
        let quoted = member.quoted();
        let skip = usize::from(std::mem::take(&mut self.first));
        self.out.raw(&quoted[skip..]);
        value.write_json(self.out);
    }

    fn other(&mut self, key: &str, value: &Kept) {
        if !std::mem::take(&mut self.first) {
            self.out.raw(b",");
        }
        self.out.string(key);
        self.out.raw(b":");
        value.write_json(self.out);
    }
}

/// Writes a described object with the fast writer: the bytes `serde_json` writes through
/// [`serialize`].
pub(crate) fn write<D: Described + ?Sized>(value: &D, out: &mut JsonOut) {
    out.raw(b"{");
    let out = fields_with_others(value, JsonFields { out, first: true }).out;
    out.raw(b"}");
}

/// Writes an array of described objects with the fast writer.
pub(crate) fn write_array<D: Described>(items: &[D], out: &mut JsonOut) {
    out.raw(b"[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.raw(b",");
        }
        write(item, out);
    }
    out.raw(b"]");
}

/// Member keys that more than one object has: each is spelled here once, and the descriptions
/// that share it name the constant.
pub(crate) mod keys {
    /// A resource's id (customer, tag).
    pub(crate) const ID: &str = "id";
    /// When a resource was created (customer, tag).
    pub(crate) const CREATED_TIME: &str = "createdTime";
    /// When a resource last changed (customer, tag).
    pub(crate) const UPDATED_TIME: &str = "updatedTime";
    /// A resource's links (customer, tag).
    pub(crate) const LINKS: &str = "_links";
    /// A tag's or a custom field definition's type, and a problem's.
    pub(crate) const TYPE: &str = "type";
    /// A tag's or a custom field definition's name.
    pub(crate) const NAME: &str = "name";
    /// A money amount's or a monetary custom field's currency.
    pub(crate) const CURRENCY: &str = "currency";
    /// A money amount's or a monetary custom field's amount.
    pub(crate) const AMOUNT: &str = "amount";
}

#[cfg(test)]
mod tests {
    use super::{Flags, Member};

    json_object! {
        enum Sample {
            A = "a", required;
            B = "b", nullable, read_only;
            Long = "a_name_well_past_eight_bytes";
            Empty = "";
        }
    }

    #[test]
    fn members_are_found_by_their_keys_and_only_by_them() {
        for member in Sample::ALL {
            assert_eq!(Sample::from_key(member.key()), Some(*member));
        }
        for unknown in ["c", "A", "ab", "a_name_well_past_eight_byteS", "b "] {
            assert_eq!(Sample::from_key(unknown), None, "{unknown}");
        }
        let bits: Vec<u64> = Sample::ALL.iter().map(|m| m.bit()).collect();
        assert_eq!(bits, [1, 2, 4, 8]);
        assert_eq!(Sample::Long.quoted(), b",\"a_name_well_past_eight_bytes\":");
        assert_eq!(Sample::Empty.quoted(), b",\"\":");
    }

    #[test]
    fn flags_come_from_the_rows() {
        assert_eq!(
            Sample::A.flags(),
            Flags {
                required: true,
                ..Flags::default()
            }
        );
        assert_eq!(
            Sample::B.flags(),
            Flags {
                nullable: true,
                read_only: true,
                ..Flags::default()
            }
        );
        assert_eq!(Sample::Long.flags(), Flags::default());
    }
}
