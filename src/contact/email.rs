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
        mailbox_within(text, EMAIL_MAX).map(EmailAddress)
    }
}

/// One address of 2026-08's `notificationEmails`: the email rule of [`EmailAddress`] without
/// its 255-character cap (the schema sets none), stored the same way (domain lowercased).
///
/// ```
/// use rebilly_customer::NotificationEmail;
/// assert_eq!(NotificationEmail::parse("Ops@Example.COM").unwrap().as_str(), "Ops@example.com");
/// assert!(NotificationEmail::parse("ops").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NotificationEmail(String);

impl NotificationEmail {
    fn parse_cow(text: Cow<'_, str>) -> Result<Self, ValidationError> {
        mailbox_within(text, usize::MAX).map(NotificationEmail)
    }
}

string_value!(NotificationEmail);

/// A list of notification emails as JSON, for the request's and the customer's writers.
pub(crate) struct EmailList<'a>(pub(crate) &'a [NotificationEmail]);

impl serde::Serialize for EmailList<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl crate::json::WriteJson for EmailList<'_> {
    fn write_json(&self, out: &mut crate::json::JsonOut) {
        crate::json::write_items(self.0, out);
    }
}

/// The canonical form of a mailbox of at most `max` code points, or every violation.
fn mailbox_within(text: Cow<'_, str>, max: usize) -> Result<String, ValidationError> {
    {
        // The usual case first: a short ASCII address that is valid, which NFC leaves alone and
        // whose length in code points is its length in bytes.
        if text.len() <= max {
            if let Some(canonical) = plain_mailbox(&text) {
                return Ok(canonical);
            }
        }
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
        if length > max {
            violations.push(ViolationKind::TooLong {
                max,
                actual: length,
            });
        }
        match mailbox(&text) {
            Ok(canonical) if violations.is_empty() => return Ok(canonical),
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
}

impl EmailAddress {
    /// The part before the `@`, as written.
    #[must_use]
    pub fn local_part(&self) -> &str {
        let at = self.0.rfind('@').expect("a parsed address has an @");
        &self.0[..at]
    }

    /// The domain, lowercased.
    #[must_use]
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
    ascii_mailbox(text)
}

/// [`mailbox`] for text known to be ASCII.
fn ascii_mailbox(text: &str) -> Result<String, &'static str> {
    // The last `@`: a quoted local part may itself hold one.
    let Some(at) = text.bytes().rposition(|b| b == b'@') else {
        return Err("missing @");
    };
    let (local, domain) = (&text[..at], &text[at + 1..]);
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
    Ok(canonical(text, at))
}

/// A valid address with its `@` at byte `at`: the local part as written, the domain lowercased.
fn canonical(text: &str, at: usize) -> String {
    let mut canonical = String::with_capacity(text.len());
    canonical.push_str(text);
    canonical[at + 1..].make_ascii_lowercase();
    canonical
}

/// The usual address, checked without a reason for refusing: a dot-atom local part (which holds
/// no `@`, so the first `@` ends it) and a valid domain give the canonical form, as
/// [`ascii_mailbox`] gives it; anything else, valid or not (a quoted local part, any error),
/// gives `None` and goes to the full check.
fn plain_mailbox(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let at = bytes.iter().position(|&b| b == b'@')?;
    let valid =
        at <= LOCAL_PART_MAX && is_dot_atom(&bytes[..at]) && check_domain(&bytes[at + 1..]).is_ok();
    valid.then(|| canonical(text, at))
}

/// RFC 5321 `atext`, indexed by byte.
const ATEXT: [bool; 256] = {
    let chars = b"!#$%&'*+-/=?^_`{|}~";
    let mut table = [false; 256];
    let mut b = 0u8;
    while b < 128 {
        if b.is_ascii_alphanumeric() {
            table[b as usize] = true;
        }
        b += 1;
    }
    let mut i = 0;
    while i < chars.len() {
        table[chars[i] as usize] = true;
        i += 1;
    }
    table
};

/// Letters, digits and hyphen, indexed by byte.
const LDH: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0u8;
    while b < 128 {
        table[b as usize] = b.is_ascii_alphanumeric() || b == b'-';
        b += 1;
    }
    table
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
        } else if ATEXT[usize::from(b)] {
            after_dot = false;
        } else {
            return false;
        }
    }
    !after_dot
}

/// At least two labels of 1 to 63 letters, digits and inner hyphens, in one pass.
fn check_domain(domain: &[u8]) -> Result<(), &'static str> {
    const LENGTH: &str = "each domain label must be 1 to 63 characters";
    const CHARACTERS: &str = "domain labels may hold only letters, digits and inner hyphens";
    let mut labels = 0;
    let mut length = 0;
    let mut previous = b'.';
    for &b in domain {
        if b == b'.' {
            if length == 0 {
                return Err(LENGTH);
            }
            if previous == b'-' {
                return Err(CHARACTERS);
            }
            labels += 1;
            length = 0;
        } else {
            if !LDH[usize::from(b)] || (length == 0 && b == b'-') {
                return Err(CHARACTERS);
            }
            length += 1;
            if length > LABEL_MAX {
                return Err(LENGTH);
            }
        }
        previous = b;
    }
    if length == 0 {
        return Err(LENGTH);
    }
    if previous == b'-' {
        return Err(CHARACTERS);
    }
    if labels + 1 < 2 {
        return Err("the domain must have at least two labels");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{ascii_mailbox, check_domain, is_dot_atom, plain_mailbox};
    use proptest::prelude::*;

    proptest! {
        /// The one-pass path accepts exactly the valid dot-atom addresses, as the full check
        /// writes them.
        #[test]
        fn the_fast_path_agrees_with_the_full_check(
            text in prop_oneof![
                "[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~ @\\\"(),:;é-]{0,12}(@[a-zA-Z0-9.é_-]{0,12})?",
                // Mostly valid, to reach the accepting side often.
                "[a-z!~]{1,4}(\\.[A-Z0-9]{1,3}){0,2}@[a-zA-Z-]{1,4}(\\.[a-zA-Z0-9-]{1,4}){1,2}",
            ]
        ) {
            let full = if text.is_ascii() { ascii_mailbox(&text).ok() } else { None };
            let dot_atom = !text.starts_with('"');
            prop_assert_eq!(plain_mailbox(&text), full.filter(|_| dot_atom), "{}", text);
        }

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
    fn domain_edges() {
        let label63 = "a".repeat(63);
        let label64 = "a".repeat(64);
        for good in [
            "a.b",
            "a-b.c",
            "a--b.c9",
            "x.y.z",
            &format!("{label63}.com"),
        ] {
            assert_eq!(check_domain(good.as_bytes()), Ok(()), "{good}");
        }
        for bad in [
            "a",
            "",
            ".",
            "-a.b",
            "a-.b",
            "a.-b",
            "a.b-",
            "a..b",
            ".a.b",
            "a.b.",
            "a_b.c",
            "a b.c",
            &format!("{label64}.com"),
        ] {
            assert!(check_domain(bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn fast_path_edges() {
        let local64 = "a".repeat(64);
        let local65 = "a".repeat(65);
        assert_eq!(
            plain_mailbox("Jo.Doe@Example.COM").as_deref(),
            Some("Jo.Doe@example.com")
        );
        assert!(plain_mailbox(&format!("{local64}@a.bc")).is_some());
        for refused in [
            &format!("{local65}@a.bc"),
            "",
            "@a.bc",
            ".a@b.cd",
            "a.@b.cd",
            "a..b@c.de",
            "ab",
            "ab@",
            "a@b",
            "a@b@c.de",
            "\"a\"@b.cd",
            "é@b.cd",
        ] {
            assert_eq!(plain_mailbox(refused), None, "{refused}");
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
