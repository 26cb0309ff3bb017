//! What a description says of each member (its key and flags), and `json_object!`, which
//! declares an object's members once as rows `(Member, "key", flags)`.

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
