//! A JSON writer for the hot outputs (the resource and the contact hash's canonical form):
//! member names are written as the constant bytes they are, and strings that need no escape,
//! the usual case, are copied at once. Anything else goes through serde_json, whose escapes
//! (`\"`, `\\`, `\b\f\n\r\t`, `\u00xx` in lowercase) are also RFC 8785's.
//!
//! The `Serialize` impls stay the definition of every shape; `tests/properties.rs` holds the
//! writer's output byte-equal to `serde_json::to_string` for generated customers.

use serde::Serialize;

/// The bytes a JSON string cannot hold as they are: controls, `"` and `\`.
static NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// Whether any byte needs an escape, eight bytes at a time: a byte below 0x20 and a byte equal
/// to `"` or `\` are found with the word tricks of "Bit Twiddling Hacks" (`hasless`,
/// `haszero`), exact as a yes/no answer. No early exit: the usual string needs no escape and is
/// read to its end anyway.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    const QUOTES: u64 = ONES * b'"' as u64;
    const BACKSLASHES: u64 = ONES * b'\\' as u64;
    let mut chunks = bytes.chunks_exact(8);
    let mut found = 0;
    for chunk in &mut chunks {
        let x = u64::from_le_bytes(chunk.try_into().expect("chunks of eight"));
        let (quote, backslash) = (x ^ QUOTES, x ^ BACKSLASHES);
        found |= (x.wrapping_sub(ONES * 0x20) & !x)
            | (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash);
    }
    let tail = chunks
        .remainder()
        .iter()
        .fold(false, |any, &b| any | NEEDS_ESCAPE[usize::from(b)]);
    found & HIGH != 0 || tail
}

pub(crate) struct JsonOut {
    buf: Vec<u8>,
}

impl JsonOut {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        JsonOut {
            buf: Vec::with_capacity(capacity),
        }
    }

    /// Bytes that are already JSON: punctuation and quoted member names.
    pub(crate) fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// A JSON string.
    pub(crate) fn string(&mut self, value: &str) {
        if !needs_escape(value.as_bytes()) {
            self.buf.reserve(value.len() + 2);
            self.buf.push(b'"');
            self.buf.extend_from_slice(value.as_bytes());
            self.buf.push(b'"');
        } else {
            self.serde(value);
        }
    }

    /// A JSON object of these members, in this order.
    pub(crate) fn object<'v, V: WriteJson + ?Sized + 'v>(
        &mut self,
        members: impl Iterator<Item = (&'v str, &'v V)>,
    ) {
        self.raw(b"{");
        for (i, (name, value)) in members.enumerate() {
            if i > 0 {
                self.raw(b",");
            }
            self.string(name);
            self.raw(b":");
            value.write_json(self);
        }
        self.raw(b"}");
    }

    pub(crate) fn bool(&mut self, value: bool) {
        self.raw(if value { b"true" } else { b"false" });
    }

    /// Any value, through serde_json.
    pub(crate) fn serde<T: Serialize + ?Sized>(&mut self, value: &T) {
        serde_json::to_writer(&mut self.buf, value).expect("writing into a Vec cannot fail");
    }

    /// How many bytes are written.
    pub(crate) fn len(&self) -> usize {
        self.buf.len()
    }

    /// Takes back what was written after the first `len` bytes.
    pub(crate) fn truncate(&mut self, len: usize) {
        self.buf.truncate(len);
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    pub(crate) fn into_string(self) -> String {
        String::from_utf8(self.buf).expect("only UTF-8 is written")
    }
}

/// A value the writer can write the way its `Serialize` does.
pub(crate) trait WriteJson {
    fn write_json(&self, out: &mut JsonOut);
}

impl<T: WriteJson> WriteJson for Option<T> {
    fn write_json(&self, out: &mut JsonOut) {
        match self {
            Some(value) => value.write_json(out),
            None => out.raw(b"null"),
        }
    }
}

impl WriteJson for str {
    fn write_json(&self, out: &mut JsonOut) {
        out.string(self);
    }
}

impl WriteJson for String {
    fn write_json(&self, out: &mut JsonOut) {
        out.string(self);
    }
}

impl WriteJson for bool {
    fn write_json(&self, out: &mut JsonOut) {
        out.bool(*self);
    }
}

/// Numbers as `serde_json` writes them.
macro_rules! numbers_through_serde {
    ($($ty:ty),*) => {$(
        impl WriteJson for $ty {
            fn write_json(&self, out: &mut JsonOut) {
                out.serde(self);
            }
        }
    )*};
}

numbers_through_serde!(u16, u64, usize, f64);

impl<T: WriteJson + ?Sized> WriteJson for &T {
    fn write_json(&self, out: &mut JsonOut) {
        (**self).write_json(out);
    }
}

/// Writes a JSON array of values.
pub(crate) fn write_items<T: WriteJson>(items: &[T], out: &mut JsonOut) {
    out.raw(b"[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.raw(b",");
        }
        item.write_json(out);
    }
    out.raw(b"]");
}

#[cfg(test)]
mod tests {
    use super::{JsonOut, NEEDS_ESCAPE, needs_escape};
    use proptest::strategy::Strategy;

    proptest::proptest! {
        /// Eight bytes at a time finds what one byte at a time finds, at every offset.
        #[test]
        fn words_find_what_bytes_find(
            bytes in proptest::prop_oneof![
                proptest::collection::vec(proptest::num::u8::ANY, 0..40),
                // The neighbours of every byte that needs an escape, and none of those bytes.
                proptest::collection::vec(
                    proptest::sample::select(vec![0x20u8, 0x21, 0x23, 0x5b, 0x5d, 0x7f, 0x80, 0xa2, 0xdc, 0xff]),
                    0..40,
                ),
                // The same with one byte that does.
                (
                    proptest::collection::vec(
                        proptest::sample::select(vec![0x20u8, 0x21, 0x23, 0x5b, 0x5d, 0x7f, 0x80, 0xff]),
                        1..40,
                    ),
                    proptest::sample::select(vec![0x00u8, 0x1f, 0x22, 0x5c]),
                    proptest::num::usize::ANY,
                )
                    .prop_map(|(mut bytes, escape, at)| {
                        let at = at % bytes.len();
                        bytes[at] = escape;
                        bytes
                    }),
            ]
        ) {
            for start in 0..bytes.len().min(8) {
                let slice = &bytes[start..];
                let expected = slice.iter().any(|&b| NEEDS_ESCAPE[usize::from(b)]);
                proptest::prop_assert_eq!(needs_escape(slice), expected);
            }
        }
    }

    #[test]
    fn values_are_written_as_serde_json_writes_them() {
        use super::WriteJson;
        use crate::custom_fields::CustomFieldValue;
        let value = serde_json::json!({
            "plain": "text é 東",
            "escapes": "quote \" backslash \\ tab \t nul \u{0} unit \u{1f} del \u{7f}",
            "numbers": [0, -1, 18446744073709551615u64, 1.5, -2.5e-8, 1e300],
            "nested": {"b": [null, true, false, {}, []], "a": {"z": "\n"}},
            "": ""
        });
        let mut out = JsonOut::with_capacity(0);
        CustomFieldValue::from(value.clone()).write_json(&mut out);
        assert_eq!(out.into_string(), serde_json::to_string(&value).unwrap());
    }
}
