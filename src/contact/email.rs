//! Email addresses: one RFC 5321 mailbox in ASCII, as the contract's `format: email`.

use std::borrow::Cow;

use crate::error::{ValidationError, Violation, ViolationKind};
use crate::text::code_points;

/// Most code points in an email `value`.
pub const EMAIL_MAX: usize = 255;
/// Most octets in the local part (RFC 5321 section 4.5.3.1.1).
const LOCAL_PART_MAX: usize = 64;
/// Most octets in one domain label.
const LABEL_MAX: usize = 63;

/// An email address: a dot-atom or quoted-string local part of at most 64 octets, `@`, and a
/// domain of at least two labels of 1 to 63 letters, digits or inner hyphens. ASCII only; no
/// display name, comment or IP literal; at most 255 characters.
///
/// The domain is stored lowercased and the local part as written, so two addresses that differ
/// only in the case of the domain are equal (and hash equally).
///
/// ```
/// use rebilly_customer::EmailAddress;
/// let email = EmailAddress::parse("John.Doe@Example.COM").unwrap();
/// assert_eq!(email.as_str(), "John.Doe@example.com");
/// assert!(EmailAddress::parse("John Doe <john@example.com>").is_err());
/// assert!(EmailAddress::parse("john@localhost").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    fn parse_cow(text: Cow<'_, str>) -> Result<Self, ValidationError> {
        let text = crate::text::nfc(&text);
        let mut violations = Vec::new();
        let length = code_points(&text);
        if length > EMAIL_MAX {
            violations.push(ViolationKind::TooLong {
                max: EMAIL_MAX,
                actual: length,
            });
        }
        match mailbox(&text) {
            Ok(canonical) if violations.is_empty() => return Ok(EmailAddress(canonical)),
            Ok(_) => {}
            Err(reason) => violations.push(ViolationKind::InvalidEmail { reason }),
        }
        Err(ValidationError::new(
            violations
                .into_iter()
                .map(|kind| Violation::new(Default::default(), kind))
                .collect(),
        ))
    }

    /// The part before the `@`, as written.
    pub fn local_part(&self) -> &str {
        let at = self.0.rfind('@').expect("a parsed address has an @");
        &self.0[..at]
    }

    /// The domain, lowercased.
    pub fn domain(&self) -> &str {
        let at = self.0.rfind('@').expect("a parsed address has an @");
        &self.0[at + 1..]
    }
}

string_value!(EmailAddress);

/// Checks the mailbox grammar and returns the canonical form, or the reason it is not one.
fn mailbox(text: &str) -> Result<String, &'static str> {
    if !text.is_ascii() {
        return Err("only ASCII characters are allowed");
    }
    // The last `@`: a quoted local part may itself hold one.
    let Some((local, domain)) = text.rsplit_once('@') else {
        return Err("missing @");
    };
    if local.is_empty() {
        return Err("the local part is empty");
    }
    if local.len() > LOCAL_PART_MAX {
        return Err("the local part must be at most 64 characters");
    }
    // `email_address` checks the dot-atom and quoted-string grammar of the local part; it
    // accepts non-ASCII there, which was refused above.
    if !email_address::EmailAddress::is_valid_local_part(local) {
        return Err("the local part must be a dot-atom or a quoted string");
    }
    let mut labels = 0;
    for label in domain.split('.') {
        labels += 1;
        if label.is_empty() || label.len() > LABEL_MAX {
            return Err("each domain label must be 1 to 63 characters");
        }
        let bytes = label.as_bytes();
        if !bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
            || bytes[0] == b'-'
            || bytes[bytes.len() - 1] == b'-'
        {
            return Err("domain labels may hold only letters, digits and inner hyphens");
        }
    }
    if labels < 2 {
        return Err("the domain must have at least two labels");
    }
    let mut canonical = String::with_capacity(text.len());
    canonical.push_str(local);
    canonical.push('@');
    canonical.extend(domain.chars().map(|c| c.to_ascii_lowercase()));
    Ok(canonical)
}
