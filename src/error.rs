//! The crate's one error model: a [`Violation`] is one broken rule at one field path, with a stable
//! [`ErrorCode`] and a message that names the rule and the limit. Messages never repeat a person's
//! data or a token; only enumerated values (a payment method) may be quoted.

use std::borrow::Cow;
use std::fmt;

use crate::object::{Described, Fields, Member};

/// The table of every code: one row per code gives its variant (with its documentation), its
/// wire string, the HTTP status of the problem that carries it, and the forms of its message
/// (`{…}` stands for what the violation fills in). The enum, [`ErrorCode::ALL`],
/// [`ErrorCode::as_str`], [`ErrorCode::status`] and [`ErrorCode::templates`] are all made from
/// it, so a code cannot be listed in one and missed in another.
macro_rules! error_codes {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident = $wire:expr, $status:literal, [$($template:literal),+ $(,)?];
    )*) => {
        /// The stable, machine-readable kind of a violation, rendered as the `code` of an
        /// `invalidFields` item.
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[doc = $doc])* $variant, )*
            /// A code this version does not know, kept as it was read (from a newer server's
            /// problem body); the crate itself never makes one.
            Unknown(Box<str>),
        }

        impl ErrorCode {
            /// Every code this version knows, in the table's order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The code as it appears in a problem body.
            #[must_use]
            pub fn as_str(&self) -> &str {
                match self {
                    $( ErrorCode::$variant => $wire, )*
                    ErrorCode::Unknown(code) => code,
                }
            }

            /// The HTTP status of the problem a violation with this code is part of (every
            /// violation is reported in a 422); `None` for a code this version does not know.
            #[must_use]
            pub fn status(&self) -> Option<u16> {
                match self {
                    $( ErrorCode::$variant => Some($status), )*
                    ErrorCode::Unknown(_) => None,
                }
            }

            /// The forms a message of this code takes, `{…}` standing for what the violation
            /// fills in (a limit, the allowed class, the rule of a custom field). Empty for a
            /// code this version does not know.
            #[must_use]
            pub fn templates(&self) -> &'static [&'static str] {
                match self {
                    $( ErrorCode::$variant => &[$($template),+], )*
                    ErrorCode::Unknown(_) => &[],
                }
            }
        }
    };
}

error_codes! {
    /// `required`: a member that must be present is absent.
    Required = "required", 422, ["is required"];
    /// `not_null`: a member that must not be `null` is.
    NotNull = "not_null", 422, ["must not be null"];
    /// `type`: the JSON type is wrong.
    // The code is the word `type`; it is spelled once for the crate, with the keys.
    Type = crate::object::keys::TYPE, 422, ["must be {expected}", "must be {expected} or null"];
    /// `too_long`: more code points than the limit.
    TooLong = "too_long", 422, ["must be at most {max} characters, got {actual}"];
    /// `empty`: an empty string where at least one character is required.
    Empty = "empty", 422, ["must not be empty"];
    /// `pattern`: a character outside the member's allowed class, a value outside an
    /// enumeration, or a URI that is not absolute.
    Pattern = "pattern", 422, [
        "must contain only {allowed}",
        "must be {allowed}",
        "must be an absolute URI (RFC 3986): {reason}",
    ];
    /// `invalid_email`: not an RFC 5321 mailbox as the contract defines it.
    InvalidEmail = "invalid_email", 422, ["must be an email address: {reason}"];
    /// `invalid_date`: not an RFC 3339 date (or date-time) of a real calendar day.
    InvalidDate = "invalid_date", 422, ["must be {expected}"];
    /// `unknown_country`: not an ISO 3166-1 alpha-2 code of the table (or `XK`).
    UnknownCountry = "unknown_country", 422, [
        "must be an uppercase ISO 3166-1 alpha-2 country code",
    ];
    /// `unknown_method`: not one of the payment methods of the revision.
    UnknownMethod = "unknown_method", 422, [
        "unknown payment method",
        "unknown payment method {method}",
    ];
    /// `unknown_field`: a member the contract does not define.
    UnknownField = "unknown_field", 422, ["unknown field"];
    /// `multiple_primary`: more than one primary item in an email or phone list.
    MultiplePrimary = "multiple_primary", 422, ["at most one item may be primary, got {count}"];
    /// `id_mismatch`: the body `id` differs from the path id.
    IdMismatch = "id_mismatch", 422, ["must equal the id in the path"];
    /// `token_rejected`: the payment-token resolver refused the token.
    TokenRejected = "token_rejected", 422, ["payment token was refused: {reason}"];
    /// `custom_field`: a custom field breaks its definition, or has no definition.
    CustomField = "custom_field", 422, ["{rule}"];
    /// `unknown_instrument` (2026-08): a `defaultPaymentInstrumentId` the context's instrument
    /// lookup does not know.
    UnknownInstrument = "unknown_instrument", 422, [
        "must be the id of a payment instrument the server knows",
    ];
    /// `unknown_currency`: not an ISO 4217 code of the table. Only read-only members hold
    /// currencies, so this code appears when reading a stored customer, never in a request's 422.
    UnknownCurrency = "unknown_currency", 422, ["must be an ISO 4217 currency code"];
    /// `tag`: a stored tag that is not a customer tag, or whose name repeats another's
    /// (case-insensitively). Tags are read-only, so this never appears in a request's 422.
    Tag = "tag", 422, ["{reason}"];
}

impl ErrorCode {
    /// The code spelled `text`: one this version knows, or [`ErrorCode::Unknown`] keeping it.
    ///
    /// ```
    /// use rebilly_customer::ErrorCode;
    /// assert_eq!(ErrorCode::parse("too_long"), ErrorCode::TooLong);
    /// assert_eq!(ErrorCode::parse("too_young").as_str(), "too_young");
    /// assert_eq!(ErrorCode::TooLong.status(), Some(422));
    /// ```
    #[must_use]
    pub fn parse(text: &str) -> Self {
        Self::ALL
            .iter()
            .find(|code| code.as_str() == text)
            .cloned()
            .unwrap_or_else(|| ErrorCode::Unknown(text.into()))
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Any string: a code this version does not know is kept, not refused.
impl<'de> serde::Deserialize<'de> for ErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(ErrorCode::parse(&text))
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What rule a value broke, with the data that makes the message precise.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ViolationKind {
    /// The member is required and absent.
    Required,
    /// The member is `null` and may not be.
    NotNull,
    /// The JSON value has the wrong type.
    Type {
        /// What was expected, with its article: `"a string"`, `"an object"`.
        expected: &'static str,
        /// Whether `null` would also have been accepted.
        nullable: bool,
    },
    /// The value has more code points (after NFC) than allowed.
    TooLong {
        /// The limit, in code points.
        max: usize,
        /// The value's length, in code points.
        actual: usize,
    },
    /// The value is empty and must not be.
    Empty,
    /// The value holds a character outside the allowed class.
    Pattern {
        /// The allowed class, in words.
        allowed: &'static str,
    },
    /// Not one of the values an enumerated member allows (code `pattern`).
    NotOneOf {
        /// The allowed values, in words.
        allowed: &'static str,
    },
    /// Not an absolute URI as RFC 3986 defines it (code `pattern`).
    InvalidUri {
        /// Which part of the rule failed.
        reason: &'static str,
    },
    /// The instrument lookup does not know the id (2026-08's `defaultPaymentInstrumentId`).
    UnknownInstrument,
    /// Not an email address as the contract defines it.
    InvalidEmail {
        /// Which part of the rule failed.
        reason: &'static str,
    },
    /// Not a date (or date-time) of the required form.
    InvalidDate {
        /// The required form, in words.
        expected: &'static str,
    },
    /// Not a known country code.
    UnknownCountry,
    /// Not a known currency code.
    UnknownCurrency,
    /// Not a known payment method. The method is quoted when it is short enough to be a plausible
    /// misspelling: it is an enumerated member, not personal data.
    UnknownMethod {
        /// The submitted method, when quoting it is safe.
        method: Option<String>,
    },
    /// The member is not defined by the contract.
    UnknownField,
    /// More than one item of the list is primary.
    MultiplePrimary {
        /// How many items claim to be primary.
        count: usize,
    },
    /// The body `id` differs from the path id.
    IdMismatch,
    /// The payment-token resolver refused the token.
    TokenRejected {
        /// The resolver's reason, which must not contain the token.
        reason: String,
    },
    /// A custom field value breaks its definition, or has none (or a definition breaks the
    /// rules of definitions).
    CustomField {
        /// The broken rule, with its limit and what was found.
        rule: crate::CustomFieldRule,
    },
    /// A stored tag is not a customer tag, or repeats a name.
    Tag {
        /// The broken rule, in words.
        reason: &'static str,
    },
    /// A violation as a problem body reported it, read back by a client: the code and message
    /// the server wrote. The crate never reports one itself.
    Reported {
        /// The code, known to this version or not (`ErrorCode::Unknown("")` when the item has
        /// none: the official problem schema requires no member).
        code: ErrorCode,
        /// The message, as written (empty when the item has none).
        message: String,
        /// The item exactly as read, when it was not three strings `field`, `message` and
        /// `code` (a member missing, or one this version does not know): it renders back as
        /// read.
        as_read: Option<String>,
    },
}

impl ViolationKind {
    /// The stable code of this kind.
    #[must_use]
    pub fn code(&self) -> ErrorCode {
        match self {
            ViolationKind::Required => ErrorCode::Required,
            ViolationKind::NotNull => ErrorCode::NotNull,
            ViolationKind::Type { .. } => ErrorCode::Type,
            ViolationKind::TooLong { .. } => ErrorCode::TooLong,
            ViolationKind::Empty => ErrorCode::Empty,
            ViolationKind::Pattern { .. }
            | ViolationKind::NotOneOf { .. }
            | ViolationKind::InvalidUri { .. } => ErrorCode::Pattern,
            ViolationKind::UnknownInstrument => ErrorCode::UnknownInstrument,
            ViolationKind::InvalidEmail { .. } => ErrorCode::InvalidEmail,
            ViolationKind::InvalidDate { .. } => ErrorCode::InvalidDate,
            ViolationKind::UnknownCountry => ErrorCode::UnknownCountry,
            ViolationKind::UnknownCurrency => ErrorCode::UnknownCurrency,
            ViolationKind::UnknownMethod { .. } => ErrorCode::UnknownMethod,
            ViolationKind::UnknownField => ErrorCode::UnknownField,
            ViolationKind::MultiplePrimary { .. } => ErrorCode::MultiplePrimary,
            ViolationKind::IdMismatch => ErrorCode::IdMismatch,
            ViolationKind::TokenRejected { .. } => ErrorCode::TokenRejected,
            ViolationKind::CustomField { .. } => ErrorCode::CustomField,
            ViolationKind::Tag { .. } => ErrorCode::Tag,
            ViolationKind::Reported { code, .. } => code.clone(),
        }
    }
}

impl fmt::Display for ViolationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ViolationKind::Required => f.write_str("is required"),
            ViolationKind::NotNull => f.write_str("must not be null"),
            ViolationKind::Type { expected, nullable } => {
                write!(f, "must be {expected}")?;
                if *nullable {
                    f.write_str(" or null")?;
                }
                Ok(())
            }
            ViolationKind::TooLong { max, actual } => {
                write!(f, "must be at most {max} characters, got {actual}")
            }
            ViolationKind::Empty => f.write_str("must not be empty"),
            ViolationKind::Pattern { allowed } => write!(f, "must contain only {allowed}"),
            ViolationKind::NotOneOf { allowed } => write!(f, "must be {allowed}"),
            ViolationKind::InvalidUri { reason } => {
                write!(f, "must be an absolute URI (RFC 3986): {reason}")
            }
            ViolationKind::UnknownInstrument => {
                f.write_str("must be the id of a payment instrument the server knows")
            }
            ViolationKind::InvalidEmail { reason } => {
                write!(f, "must be an email address: {reason}")
            }
            ViolationKind::InvalidDate { expected } => write!(f, "must be {expected}"),
            ViolationKind::UnknownCountry => {
                f.write_str("must be an uppercase ISO 3166-1 alpha-2 country code")
            }
            ViolationKind::UnknownCurrency => f.write_str("must be an ISO 4217 currency code"),
            ViolationKind::UnknownMethod { method: Some(m) } => {
                write!(f, "unknown payment method {m:?}")
            }
            ViolationKind::UnknownMethod { method: None } => f.write_str("unknown payment method"),
            ViolationKind::UnknownField => f.write_str("unknown field"),
            ViolationKind::MultiplePrimary { count } => {
                write!(f, "at most one item may be primary, got {count}")
            }
            ViolationKind::IdMismatch => f.write_str("must equal the id in the path"),
            ViolationKind::TokenRejected { reason } => {
                write!(f, "payment token was refused: {reason}")
            }
            ViolationKind::CustomField { rule } => write!(f, "{rule}"),
            ViolationKind::Tag { reason } => f.write_str(reason),
            ViolationKind::Reported { message, .. } => f.write_str(message),
        }
    }
}

/// One step of a field path: a member name or an array index.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PathSegment {
    /// An object member.
    Key(Cow<'static, str>),
    /// An array item, from 0.
    Index(usize),
}

impl fmt::Display for PathSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathSegment::Key(k) => f.write_str(k),
            PathSegment::Index(i) => write!(f, "{i}"),
        }
    }
}

/// Where a violation is, from the body's root: rendered in the API's dot notation
/// (`primaryAddress.emails.1.value`). The empty path is the value itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FieldPath(Vec<PathSegment>);

impl FieldPath {
    /// The empty path: the value being checked.
    #[must_use]
    pub const fn root() -> Self {
        FieldPath(Vec::new())
    }

    /// The segments, outermost first.
    #[must_use]
    pub fn segments(&self) -> &[PathSegment] {
        &self.0
    }

    /// Whether this is the root path.
    #[must_use]
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// This path with `segment` appended.
    #[must_use]
    pub fn join(mut self, segment: impl Into<PathSegment>) -> Self {
        self.0.push(segment.into());
        self
    }

    /// The path written in dot notation, as a problem body's `field` gives it: digits are an
    /// array index, anything else a member name (`customFields.` is a member with an empty
    /// name). It writes back as the same text.
    ///
    /// ```
    /// use rebilly_customer::{FieldPath, PathSegment};
    /// let path = FieldPath::parse("primaryAddress.emails.1.value");
    /// assert_eq!(path.segments()[2], PathSegment::Index(1));
    /// assert_eq!(path.to_string(), "primaryAddress.emails.1.value");
    /// assert!(FieldPath::parse("").is_root());
    /// ```
    #[must_use]
    pub fn parse(text: &str) -> Self {
        if text.is_empty() {
            return FieldPath::root();
        }
        FieldPath(
            text.split('.')
                .map(|segment| match segment.parse::<usize>() {
                    // `01` is a name: as an index it would write back as `1`.
                    Ok(index) if index.to_string() == segment => PathSegment::Index(index),
                    _ => PathSegment::Key(std::borrow::Cow::Owned(segment.to_owned())),
                })
                .collect(),
        )
    }

    pub(crate) fn from_segments(segments: Vec<PathSegment>) -> Self {
        FieldPath(segments)
    }

    /// `outer` followed by this path.
    pub(crate) fn prefixed(self, outer: &[PathSegment]) -> Self {
        if outer.is_empty() {
            return self;
        }
        let mut segments = Vec::with_capacity(outer.len() + self.0.len());
        segments.extend_from_slice(outer);
        segments.extend(self.0);
        FieldPath(segments)
    }
}

impl From<&'static str> for PathSegment {
    fn from(key: &'static str) -> Self {
        PathSegment::Key(Cow::Borrowed(key))
    }
}

impl From<String> for PathSegment {
    fn from(key: String) -> Self {
        PathSegment::Key(Cow::Owned(key))
    }
}

impl From<usize> for PathSegment {
    fn from(index: usize) -> Self {
        PathSegment::Index(index)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{segment}")?;
        }
        Ok(())
    }
}

/// One broken rule at one place.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Violation {
    path: FieldPath,
    kind: ViolationKind,
}

impl Violation {
    /// A violation at `path`.
    #[must_use]
    pub fn new(path: FieldPath, kind: ViolationKind) -> Self {
        Violation { path, kind }
    }

    /// Where the violation is.
    #[must_use]
    pub fn path(&self) -> &FieldPath {
        &self.path
    }

    /// The path in dot notation, as the `field` of an `invalidFields` item.
    #[must_use]
    pub fn field(&self) -> String {
        self.path.to_string()
    }

    /// What rule was broken.
    #[must_use]
    pub fn kind(&self) -> &ViolationKind {
        &self.kind
    }

    /// The stable code.
    #[must_use]
    pub fn code(&self) -> ErrorCode {
        self.kind.code()
    }

    /// The message: the rule and the limit, never the submitted value.
    #[must_use]
    pub fn message(&self) -> String {
        self.kind.to_string()
    }

    pub(crate) fn prefixed(self, outer: &[PathSegment]) -> Self {
        Violation {
            path: self.path.prefixed(outer),
            kind: self.kind,
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_root() {
            write!(f, "{}", self.kind)
        } else {
            write!(f, "{}: {}", self.path, self.kind)
        }
    }
}

json_object! {
    /// The members of an item of a 422's `invalidFields`.
    pub(crate) enum ViolationMember {
        Field = "field", required;
        Message = "message", required;
        Code = "code", required;
    }
}

/// Renders as an `invalidFields` item: `{"field", "message", "code"}`.
impl Described for Violation {
    type Member = ViolationMember;

    fn fields<F: Fields<ViolationMember>>(&self, fields: &mut F) {
        for member in ViolationMember::ALL {
            let member = *member;
            match member {
                ViolationMember::Field => fields.field(member, self.field().as_str()),
                ViolationMember::Message => fields.field(member, self.message().as_str()),
                ViolationMember::Code => fields.field(member, self.code().as_str()),
            }
        }
    }
}

/// An item read from a problem body renders back as it was read.
impl serde::Serialize for Violation {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.kind {
            ViolationKind::Reported {
                as_read: Some(text),
                ..
            } => {
                let raw: &serde_json::value::RawValue = serde_json::from_str(text)
                    .map_err(|_| serde::ser::Error::custom("an item kept as read is JSON"))?;
                raw.serialize(serializer)
            }
            _ => crate::object::serialize(self, serializer),
        }
    }
}

impl crate::json::WriteJson for Violation {
    fn write_json(&self, out: &mut crate::json::JsonOut) {
        match &self.kind {
            ViolationKind::Reported {
                as_read: Some(text),
                ..
            } => out.raw(text.as_bytes()),
            _ => crate::object::write(self, out),
        }
    }
}

/// Every rule a value (or a whole body) broke, in document order. Never empty.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ValidationError {
    violations: Vec<Violation>,
}

impl ValidationError {
    /// An error made of these violations.
    ///
    /// # Panics
    /// When `violations` is empty: an error must say what is wrong.
    #[must_use]
    pub fn new(violations: Vec<Violation>) -> Self {
        assert!(
            !violations.is_empty(),
            "a ValidationError needs a violation"
        );
        ValidationError { violations }
    }

    /// One violation of the value itself (root path).
    #[must_use]
    pub fn single(kind: ViolationKind) -> Self {
        ValidationError {
            violations: vec![Violation::new(FieldPath::root(), kind)],
        }
    }

    /// The violations, in document order.
    #[must_use]
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// The violations, by value.
    #[must_use]
    pub fn into_violations(self) -> Vec<Violation> {
        self.violations
    }

    /// The codes of the violations, in order: handy in tests.
    pub fn codes(&self) -> Vec<ErrorCode> {
        self.violations.iter().map(Violation::code).collect()
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, violation) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{violation}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

impl From<Violation> for ValidationError {
    fn from(violation: Violation) -> Self {
        ValidationError {
            violations: vec![violation],
        }
    }
}

impl IntoIterator for ValidationError {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;
    fn into_iter(self) -> Self::IntoIter {
        self.violations.into_iter()
    }
}
