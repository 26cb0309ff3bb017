//! The contact hash: lowercase hex SHA-1 of the RFC 8785 (JCS) canonical JSON
//! of the contact's attributes. The SHA-1 dependency is used here and nowhere else.

use sha1::{Digest, Sha1};

use once_cell::sync::Lazy;

use super::list::ItemMember;
use super::{Contact, ContactMember, PrimaryList};
use crate::json::JsonOut;
use crate::object::Member;

/// The contact's attributes in the order RFC 8785 writes them: every member of
/// [`ContactMember`] but the hash itself, sorted by key. JCS sorts keys by their UTF-16 code
/// units; for these ASCII keys that is byte order.
static ATTRIBUTE_ORDER: Lazy<Vec<ContactMember>> = Lazy::new(|| {
    let mut order: Vec<ContactMember> = ContactMember::ALL
        .iter()
        .copied()
        .filter(|member| *member != ContactMember::Hash)
        .collect();
    order.sort_by_key(|member| member.key());
    order
});

impl Contact {
    /// The contact's hash: SHA-1 of the RFC 8785 canonical JSON of its attributes (see
    /// [the contact hash](crate::docs::rules#the-rules)), 40 lowercase hex digits.
    #[must_use]
    pub fn hash(&self) -> String {
        contact_hash(self)
    }
}

/// The canonical JSON (RFC 8785) of the contact's attributes, written into one buffer and
/// hashed at once: no intermediate value, one buffer and the hex digest. Strings are written by
/// [`JsonOut`], whose escapes are exactly JCS's. `tests/properties.rs` checks this against a
/// general JCS built from the rendered contact.
fn contact_hash(contact: &Contact) -> String {
    let mut jcs = Canonical {
        out: JsonOut::with_capacity(512),
        first: true,
    };
    jcs.out.raw(b"{");
    for member in ATTRIBUTE_ORDER.iter().copied() {
        match member {
            ContactMember::Emails => jcs.list(member, &contact.emails),
            ContactMember::PhoneNumbers => jcs.list(member, &contact.phone_numbers),
            scalar => {
                // The key is written first and taken back when the member is unset: no look
                // ahead, and the usual contact has most members set.
                let before = jcs.out.len();
                let first = jcs.first;
                jcs.key(scalar);
                if !contact.write_scalar(scalar, &mut jcs.out) {
                    jcs.out.truncate(before);
                    jcs.first = first;
                }
            }
        }
    }
    jcs.out.raw(b"}");
    let digest = Sha1::digest(jcs.out.as_bytes());
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(40);
    for byte in digest {
        hex.push(char::from(HEX[usize::from(byte >> 4)]));
        hex.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    hex
}

struct Canonical {
    out: JsonOut,
    first: bool,
}

/// Writes `"key":`, after a comma unless it is the object's first member.
fn key<M: Member>(out: &mut JsonOut, first: &mut bool, member: M) {
    let skip = usize::from(std::mem::take(first));
    out.raw(&member.quoted()[skip..]);
}

impl Canonical {
    fn key<M: Member>(&mut self, member: M) {
        key(&mut self.out, &mut self.first, member);
    }

    /// A list, left out when empty: each item's members sorted by key, `primary` only when
    /// true.
    fn list<V: AsRef<str>>(&mut self, member: ContactMember, list: &PrimaryList<V>) {
        if list.is_empty() {
            return;
        }
        self.key(member);
        self.out.raw(b"[");
        for (i, item) in list.items().iter().enumerate() {
            if i > 0 {
                self.out.raw(b",");
            }
            let (out, mut first) = (&mut self.out, true);
            out.raw(b"{");
            for item_member in ITEM_ORDER.iter().copied() {
                match item_member {
                    ItemMember::Label => {
                        key(out, &mut first, item_member);
                        out.string(item.label().as_str());
                    }
                    ItemMember::Primary => {
                        if item.is_primary() {
                            key(out, &mut first, item_member);
                            out.raw(b"true");
                        }
                    }
                    ItemMember::Value => {
                        key(out, &mut first, item_member);
                        out.string(item.value().as_ref());
                    }
                }
            }
            out.raw(b"}");
        }
        self.out.raw(b"]");
    }
}

/// A list item's members sorted by key, as RFC 8785 writes them.
static ITEM_ORDER: Lazy<Vec<ItemMember>> = Lazy::new(|| {
    let mut order = ItemMember::ALL.to_vec();
    order.sort_by_key(|member| member.key());
    order
});

#[cfg(test)]
mod tests {
    use super::super::Contact;

    fn hash_of(json: &str) -> String {
        serde_json::from_str::<Contact>(json).unwrap().hash()
    }

    #[test]
    fn spec_vectors() {
        let empty = "bf21a9e8fbc5a3846fb05b4fa0859e0917b2202f";
        assert_eq!(hash_of("{}"), empty);
        assert_eq!(
            hash_of(r#"{"firstName": null, "dob": null, "emails": [], "phoneNumbers": []}"#),
            empty
        );
        assert_eq!(
            hash_of("{\"firstName\": \"Jose\u{301}\", \"lastName\": \"Doe\"}"),
            "b59abba148d1743f266a05486dc034c4a2b27db5"
        );
        assert_eq!(
            hash_of(
                r#"{"firstName": "John", "lastName": "Doe", "emails": [
                {"label": "main", "value": "john.doe@example.com", "primary": true},
                {"label": "work", "value": "jd@example.org"}]}"#
            ),
            "6e6b73c49bce4417c200d36440f9226ad518f098"
        );
        assert_eq!(
            hash_of(
                r#"{"firstName": "Benjamin", "lastName": "Franklin", "organization": "Rebilly",
                "address": "36 Craven St", "city": "Austin", "region": "Texas", "country": "GB",
                "postalCode": "WC2N 5NF", "dob": "1980-04-01", "jobTitle": "CEO",
                "emails": [{"label": "main", "value": "rebilly@example.com", "primary": true}],
                "phoneNumbers": [{"label": "main", "value": "1-512-777-0269", "primary": true}]}"#
            ),
            "21e123432909c0c8c687bfe47989f383e0e7fd5b"
        );
    }
}
