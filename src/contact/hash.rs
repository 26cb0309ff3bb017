//! The contact hash: lowercase hex SHA-1 of the RFC 8785 (JCS) canonical JSON
//! of the contact's attributes. The SHA-1 dependency is used here and nowhere else.

use sha1::{Digest, Sha1};

use super::{Contact, PrimaryList};
use crate::json::JsonOut;

/// The canonical JSON (RFC 8785) of the contact's attributes, written into one buffer and
/// hashed at once: no intermediate value, one buffer and the hex digest. JCS sorts keys by their UTF-16
/// code units; for these ASCII names that is plain byte order, written out below. Strings are
/// written by [`JsonOut`], whose escapes are exactly JCS's. `tests/properties.rs` checks this against a general JCS built from
/// the rendered contact.
pub(super) fn contact_hash(contact: &Contact) -> String {
    let mut jcs = Canonical {
        out: JsonOut::with_capacity(512),
        first: true,
    };
    jcs.out.raw(b"{");
    jcs.text("address", contact.address.as_ref().map(|v| v.as_str()));
    jcs.text("address2", contact.address2.as_ref().map(|v| v.as_str()));
    jcs.text("city", contact.city.as_ref().map(|v| v.as_str()));
    jcs.text("country", contact.country.as_ref().map(|v| v.as_str()));
    let dob = contact.dob.map(|d| d.text());
    jcs.text("dob", dob.as_ref().map(|d| d.as_str()));
    jcs.list("emails", &contact.emails);
    jcs.text("firstName", contact.first_name.as_ref().map(|v| v.as_str()));
    jcs.text("jobTitle", contact.job_title.as_ref().map(|v| v.as_str()));
    jcs.text("lastName", contact.last_name.as_ref().map(|v| v.as_str()));
    jcs.text(
        "organization",
        contact.organization.as_ref().map(|v| v.as_str()),
    );
    jcs.list("phoneNumbers", &contact.phone_numbers);
    jcs.text(
        "postalCode",
        contact.postal_code.as_ref().map(|v| v.as_str()),
    );
    jcs.text("region", contact.region.as_ref().map(|v| v.as_str()));
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

impl Canonical {
    fn key(&mut self, name: &str) {
        if !self.first {
            self.out.raw(b",");
        }
        self.first = false;
        self.out.raw(b"\"");
        self.out.raw(name.as_bytes());
        self.out.raw(b"\":");
    }

    /// A string member, left out when unset.
    fn text(&mut self, name: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.key(name);
            self.out.string(value);
        }
    }

    /// A list, left out when empty: `{"label","primary" (only when true),"value"}` per item.
    fn list<V: AsRef<str>>(&mut self, name: &str, list: &PrimaryList<V>) {
        if list.is_empty() {
            return;
        }
        self.key(name);
        self.out.raw(b"[");
        for (i, item) in list.items().iter().enumerate() {
            if i > 0 {
                self.out.raw(b",");
            }
            self.out.raw(b"{\"label\":");
            self.out.string(item.label().as_str());
            if item.is_primary() {
                self.out.raw(b",\"primary\":true");
            }
            self.out.raw(b",\"value\":");
            self.out.string(item.value().as_ref());
            self.out.raw(b"}");
        }
        self.out.raw(b"]");
    }
}

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
