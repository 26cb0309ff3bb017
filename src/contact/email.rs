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
        // A valid address is ASCII, which NFC leaves alone; only other text (refused below, but
        // counted in NFC for the message) needs normalizing.
        let ascii = text.is_ascii();
        let text = if ascii {
            Cow::Borrowed(text.as_ref())
        } else {
            crate::text::nfc(&text)
        };
        let mut violations = Vec::new();
        let length = if ascii {
            text.len()
        } else {
            code_points(&text)
        };
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
    // A dot-atom (the usual form) is checked here in one pass; a quoted string goes to
    // `email_address`, which knows its escapes (it accepts non-ASCII, refused above).
    let valid_local = if local.starts_with('"') {
        email_address::EmailAddress::is_valid_local_part(local)
    } else {
        is_dot_atom(local.as_bytes())
    };
    if !valid_local {
        return Err("the local part must be a dot-atom or a quoted string");
    }
    check_domain(domain.as_bytes())?;
    let mut canonical = String::with_capacity(text.len());
    canonical.push_str(text);
    canonical[local.len() + 1..].make_ascii_lowercase();
    Ok(canonical)
}

/// RFC 5321 `atext` as a bitmask over ASCII.
const ATEXT: u128 = {
    let chars = b"!#$%&'*+-/=?^_`{|}~";
    let mut mask = 0u128;
    let mut b = 0u8;
    while b < 128 {
        if b.is_ascii_alphanumeric() {
            mask |= 1 << b;
        }
        b += 1;
    }
    let mut i = 0;
    while i < chars.len() {
        mask |= 1 << chars[i];
        i += 1;
    }
    mask
};

/// `atext+ *("." atext+)`: no dot first, last or twice in a row.
fn is_dot_atom(local: &[u8]) -> bool {
    let mut after_dot = true;
    for &b in local {
        if b == b'.' {
            if after_dot {
                return false;
            }
            after_dot = true;
        } else if b < 128 && ATEXT & (1 << b) != 0 {
            after_dot = false;
        } else {
            return false;
        }
    }
    !after_dot
}

/// At least two labels of 1 to 63 letters, digits and inner hyphens.
fn check_domain(domain: &[u8]) -> Result<(), &'static str> {
    let mut labels = 0;
    for label in domain.split(|b| *b == b'.') {
        labels += 1;
        if label.is_empty() || label.len() > LABEL_MAX {
            return Err("each domain label must be 1 to 63 characters");
        }
        if !label
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
            || label[0] == b'-'
            || label[label.len() - 1] == b'-'
        {
            return Err("domain labels may hold only letters, digits and inner hyphens");
        }
    }
    if labels < 2 {
        return Err("the domain must have at least two labels");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::is_dot_atom;
    use proptest::prelude::*;

    proptest! {
        /// The one-pass dot-atom check agrees with `email_address`, which the crate used before.
        #[test]
        fn dot_atoms_agree_with_email_address(local in "[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~ @(),:;<>\\[\\]\\\\-]{1,20}") {
            prop_assume!(!local.starts_with('"'));
            prop_assert_eq!(
                is_dot_atom(local.as_bytes()),
                email_address::EmailAddress::is_valid_local_part(&local),
                "{}", local
            );
        }
    }

    #[test]
    fn dot_atom_edges() {
        for good in ["a", "a.b", "a.b.c", "!#$%&'*+-/=?^_`{|}~"] {
            assert!(is_dot_atom(good.as_bytes()), "{good}");
        }
        for bad in ["", ".", ".a", "a.", "a..b", "a b", "a@b", "a(b)", "é"] {
            assert!(!is_dot_atom(bad.as_bytes()), "{bad}");
        }
    }
}
