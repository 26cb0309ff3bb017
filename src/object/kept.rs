//! What the crate keeps without judging it: members a description does not name, and names
//! from a closed list that a newer API extended, each rendered back as it was read.

use serde_json::value::RawValue;

use crate::json::{JsonOut, WriteJson};

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
pub(super) struct OtherMember {
    /// 0 when it came before every described member; `i + 1` when the last described member
    /// before it was the one of index `i`. Rendered right after that member.
    pub(super) after: u8,
    pub(super) key: Box<str>,
    pub(super) value: Kept,
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
pub(super) static NO_OTHER_MEMBERS: OtherMembers = OtherMembers(Vec::new());

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

    pub(super) fn members(&self) -> &[OtherMember] {
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
