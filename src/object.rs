//! One description per JSON object: each object the crate reads or writes is declared once, as
//! rows `(Member, "key", flags)`, by [`json_object!`]. The rows give the member enum the reader
//! matches on (`RequestMember::WebsiteId`, never a position), each member's key for the writers,
//! and whether it is required, nullable or read-only for the checks; an exhaustive `match` on the
//! enum makes the compiler find a member that a reader or writer forgot.

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

/// Where an object's members are written: through serde, or the crate's fast JSON writer.
pub(crate) trait Fields<M: Member> {
    /// Writes `member` with `value`.
    fn field<T: serde::Serialize + WriteJson + ?Sized>(&mut self, member: M, value: &T);
}

/// An object that writes its members once, in [`Described::fields`], for both writers: its
/// `Serialize` ([`serialize`]) and the fast writer ([`write`]) then cannot drift apart.
pub(crate) trait Described {
    /// The members of its description.
    type Member: Member;

    /// Writes the members it renders, in order.
    fn fields<F: Fields<Self::Member>>(&self, fields: &mut F);
}

struct SerdeFields<S: serde::ser::SerializeMap> {
    map: S,
    error: Option<S::Error>,
}

impl<M: Member, S: serde::ser::SerializeMap> Fields<M> for SerdeFields<S> {
    fn field<T: serde::Serialize + WriteJson + ?Sized>(&mut self, member: M, value: &T) {
        if self.error.is_none() {
            if let Err(error) = self.map.serialize_entry(member.key(), value) {
                self.error = Some(error);
            }
        }
    }
}

/// `Serialize` for a described object.
pub(crate) fn serialize<D, S>(value: &D, serializer: S) -> Result<S::Ok, S::Error>
where
    D: Described + ?Sized,
    S: serde::Serializer,
{
    use serde::ser::SerializeMap;
    let mut fields = SerdeFields {
        map: serializer.serialize_map(None)?,
        error: None,
    };
    value.fields(&mut fields);
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
}

/// Writes a described object with the fast writer: the bytes `serde_json` writes through
/// [`serialize`].
pub(crate) fn write<D: Described + ?Sized>(value: &D, out: &mut JsonOut) {
    out.raw(b"{");
    value.fields(&mut JsonFields { out, first: true });
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
