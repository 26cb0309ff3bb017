//! A JSON writer for the hot outputs (the resource and the contact hash's canonical form):
//! member names are written as the constant bytes they are, and strings that need no escape,
//! the usual case, are copied at once. Anything else goes through serde_json, whose escapes
//! (`\"`, `\\`, `\b\f\n\r\t`, `\u00xx` in lowercase) are also RFC 8785's.
//!
//! The `Serialize` impls stay the definition of every shape; `tests/properties.rs` holds the
//! writer's output byte-equal to `serde_json::to_string` for generated customers.

use serde::Serialize;

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
        let plain = value.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\');
        if plain {
            self.buf.push(b'"');
            self.buf.extend_from_slice(value.as_bytes());
            self.buf.push(b'"');
        } else {
            self.serde(value);
        }
    }

    pub(crate) fn bool(&mut self, value: bool) {
        self.raw(if value { b"true" } else { b"false" });
    }

    /// Any value, through serde_json.
    pub(crate) fn serde<T: Serialize + ?Sized>(&mut self, value: &T) {
        serde_json::to_writer(&mut self.buf, value).expect("writing into a Vec cannot fail");
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

impl<T: WriteJson + ?Sized> WriteJson for &T {
    fn write_json(&self, out: &mut JsonOut) {
        (**self).write_json(out);
    }
}
