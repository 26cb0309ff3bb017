//! The write-only payment token.

use std::fmt;

use crate::error::ValidationError;
use crate::text::{TextRule, nfc};

const TOKEN_RULE: TextRule = TextRule {
    max: None,
    non_empty: true,
    class: None,
};

/// A write-only payment token: any non-empty text (deviation: the schema allows `""`).
///
/// It has no `Serialize` and no `Display`, and its `Debug` shows no part of it, so it cannot leak
/// into a response or a log by accident; [`PaymentToken::expose_secret`] is the one way to read it.
///
/// ```
/// use rebilly_customer::PaymentToken;
/// let token = PaymentToken::parse("tok_4242secret").unwrap();
/// assert_eq!(format!("{token:?}"), "PaymentToken(<redacted>)");
/// assert_eq!(token.expose_secret(), "tok_4242secret");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PaymentToken(String);

impl PaymentToken {
    /// Parses a token (NFC first, as every request string).
    ///
    /// # Errors
    /// `empty` for `""`.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let text = nfc(text);
        TOKEN_RULE.check(&text)?;
        Ok(PaymentToken(text.into_owned()))
    }

    /// The token itself, for the resolver that exchanges it.
    #[must_use]
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PaymentToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PaymentToken(<redacted>)")
    }
}

parse_door!(PaymentToken);
