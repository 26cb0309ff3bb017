//! The writers of described objects: one `fields` walk per object, which `Serialize` and the
//! crate's fast writer both run, with the kept members in their places.

use crate::json::{JsonOut, WriteJson};

use super::kept::{Kept, NO_OTHER_MEMBERS, OtherMember, OtherMembers};
use super::member::Member;

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
