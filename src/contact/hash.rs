//! The contact hash of SPEC section 4: lowercase hex SHA-1 of the RFC 8785 (JCS) canonical JSON
//! of the contact's attributes. The SHA-1 dependency is used here and nowhere else.

use serde_json::{Map, Value};
use sha1::{Digest, Sha1};

use super::{Contact, ListItem, PrimaryList};

/// For objects whose keys are ASCII and whose values are strings, booleans, arrays and objects,
/// serde_json's compact output with sorted keys (its `Map` is a `BTreeMap`) is exactly JCS: the
/// same escapes (`\"`, `\\`, `\b\f\n\r\t`, `\u00xx` in lowercase) and no others.
pub(super) fn contact_hash(contact: &Contact) -> String {
    let mut attributes = Map::new();
    for (name, value) in contact.text_members() {
        attributes.insert(name.to_owned(), Value::String(value));
    }
    if !contact.emails.is_empty() {
        attributes.insert("emails".to_owned(), items(&contact.emails));
    }
    if !contact.phone_numbers.is_empty() {
        attributes.insert("phoneNumbers".to_owned(), items(&contact.phone_numbers));
    }
    let canonical = Value::Object(attributes).to_string();
    let digest = Sha1::digest(canonical.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn items<V: AsRef<str>>(list: &PrimaryList<V>) -> Value {
    Value::Array(list.items().iter().map(item).collect())
}

fn item<V: AsRef<str>>(item: &ListItem<V>) -> Value {
    let mut object = Map::new();
    object.insert("label".to_owned(), Value::String(item.label().to_string()));
    object.insert(
        "value".to_owned(),
        Value::String(item.value().as_ref().to_owned()),
    );
    if item.is_primary() {
        object.insert("primary".to_owned(), Value::Bool(true));
    }
    Value::Object(object)
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
