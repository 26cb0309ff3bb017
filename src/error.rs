//! The crate's one error model, and every public error type: a [`Violation`] is one broken rule
//! at one field path, with a stable [`ErrorCode`] and a message that names the rule and the
//! limit; a [`ValidationError`] holds every violation of a value; [`RequestError`] adds the 400
//! of bytes that are not JSON ([`MalformedBody`]); [`UpsertError`] the 412
//! ([`PreconditionFailed`]) and 409 ([`Conflict`]) of an upsert. Each converts into a
//! [`Problem`](crate::Problem). Messages never repeat a person's data or a token; only
//! enumerated values (a payment method) may be quoted.
//!
//! This module sits below every reader and value: it imports only the member plumbing
//! (`object`), the writer (`json`) and the leaves that name what a rule is about (the calendar
//! rule, the custom-field types).

use std::borrow::Cow;
use std::fmt;

use crate::custom_fields::field_type::CustomFieldType;
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
    /// assert_eq!(ErrorCode::from_wire("too_long"), ErrorCode::TooLong);
    /// assert_eq!(ErrorCode::from_wire("too_young").as_str(), "too_young");
    /// assert_eq!(ErrorCode::TooLong.status(), Some(422));
    /// ```
    #[must_use]
    pub fn from_wire(text: &str) -> Self {
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
        Ok(ErrorCode::from_wire(&text))
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
        rule: CustomFieldRule,
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
            PathSegment::Key(k) if needs_brackets(k) => write_bracketed(f, k),
            PathSegment::Key(k) => f.write_str(k),
            PathSegment::Index(i) => write!(f, "{i}"),
        }
    }
}

/// Whether a member name is written `["…"]`: one holding `.` or `[` would otherwise read as
/// more than one segment (`{"primaryAddress.city": 1}` is one unknown member, not the contact's
/// city).
fn needs_brackets(key: &str) -> bool {
    key.contains(['.', '['])
}

/// `["…"]`, the name as a JSON string.
fn write_bracketed(f: &mut fmt::Formatter<'_>, key: &str) -> fmt::Result {
    f.write_str("[")?;
    f.write_str(&serde_json::to_string(key).map_err(|_| fmt::Error)?)?;
    f.write_str("]")
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
    /// name), and `["…"]` a member whose name holds `.` or `[`, as a JSON string. It writes
    /// back as the same text.
    ///
    /// ```
    /// use rebilly_customer::{FieldPath, PathSegment};
    /// let path = FieldPath::from_text("primaryAddress.emails.1.value");
    /// assert_eq!(path.segments()[2], PathSegment::Index(1));
    /// assert_eq!(path, "primaryAddress.emails.1.value");
    /// assert!(FieldPath::from_text("").is_root());
    /// // One member named `primaryAddress.city`, not the contact's city.
    /// let dotted = FieldPath::from_text(r#"["primaryAddress.city"]"#);
    /// assert_eq!(dotted.segments(), [PathSegment::from("primaryAddress.city".to_owned())]);
    /// assert_eq!(dotted.to_string(), r#"["primaryAddress.city"]"#);
    /// ```
    #[must_use]
    pub fn from_text(text: &str) -> Self {
        if text.is_empty() {
            return FieldPath::root();
        }
        let mut segments = Vec::new();
        let mut rest = text;
        loop {
            if let Some((key, after)) = bracketed(rest) {
                segments.push(PathSegment::Key(Cow::Owned(key)));
                rest = after;
            } else {
                // A plain segment runs to the next dot or the next bracketed name.
                let end = rest
                    .char_indices()
                    .find(|&(at, c)| c == '.' || (c == '[' && bracketed(&rest[at..]).is_some()))
                    .map_or(rest.len(), |(at, _)| at);
                let (segment, after) = rest.split_at(end);
                segments.push(match segment.parse::<usize>() {
                    // `01` is a name: as an index it would write back as `1`.
                    Ok(index) if index.to_string() == segment => PathSegment::Index(index),
                    _ => PathSegment::Key(Cow::Owned(segment.to_owned())),
                });
                rest = after;
            }
            if rest.is_empty() {
                break;
            }
            if let Some(after) = rest.strip_prefix('.') {
                rest = after;
                if rest.is_empty() {
                    // A trailing dot: a member with an empty name (`customFields.`).
                    segments.push(PathSegment::Key(Cow::Borrowed("")));
                    break;
                }
            }
        }
        FieldPath(segments)
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

/// A `["…"]` name at the start of `text`, and what follows it.
fn bracketed(text: &str) -> Option<(String, &str)> {
    let inner = text.strip_prefix("[\"")?;
    // The JSON string ends at the first quote no backslash escapes.
    let bytes = inner.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => break,
            _ => i += 1,
        }
    }
    let after = inner.get(i + 1..)?.strip_prefix(']')?;
    let key: String = serde_json::from_str(&text[1..i + 3]).ok()?;
    // Only a name that needs brackets is written with them, so only such a name reads back.
    needs_brackets(&key).then_some((key, after))
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut after_empty = false;
        for (i, segment) in self.0.iter().enumerate() {
            // A bracketed name follows its parent directly (`customFields["a.b"]`), except
            // after an empty name, whose only mark is the dot.
            let bracketed = matches!(segment, PathSegment::Key(k) if needs_brackets(k));
            if (i > 0 && !bracketed) || after_empty {
                f.write_str(".")?;
            }
            write!(f, "{segment}")?;
            after_empty = matches!(segment, PathSegment::Key(k) if k.is_empty());
        }
        Ok(())
    }
}

/// The path equals a text when it is written as that text; nothing is allocated.
impl PartialEq<str> for FieldPath {
    fn eq(&self, text: &str) -> bool {
        /// Consumes the expected text as the path is written; fails at the first difference.
        struct Expect<'t>(&'t str);
        impl fmt::Write for Expect<'_> {
            fn write_str(&mut self, written: &str) -> fmt::Result {
                match self.0.strip_prefix(written) {
                    Some(rest) => {
                        self.0 = rest;
                        Ok(())
                    }
                    None => Err(fmt::Error),
                }
            }
        }
        let mut expect = Expect(text);
        fmt::write(&mut expect, format_args!("{self}")).is_ok() && expect.0.is_empty()
    }
}

impl PartialEq<&str> for FieldPath {
    fn eq(&self, text: &&str) -> bool {
        *self == **text
    }
}

impl PartialEq<FieldPath> for str {
    fn eq(&self, path: &FieldPath) -> bool {
        *path == *self
    }
}

impl PartialEq<FieldPath> for &str {
    fn eq(&self, path: &FieldPath) -> bool {
        *path == **self
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

    /// The path in dot notation, as the `field` of an `invalidFields` item: compare it with
    /// text (`v.field() == "primaryAddress.city"`) or write it (`to_string`).
    #[must_use]
    pub fn field(&self) -> &FieldPath {
        &self.path
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

    /// The message: the rule and the limit, never the submitted value. Written when displayed
    /// (`to_string`), so reading it allocates nothing.
    #[must_use]
    pub fn message(&self) -> impl fmt::Display + '_ {
        &self.kind
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
                ViolationMember::Field => fields.field(member, self.path.to_string().as_str()),
                ViolationMember::Message => fields.field(member, self.kind.to_string().as_str()),
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

/// Bytes that are not a JSON object: the 400 of [the rules](crate::docs::rules#the-rules).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MalformedBody {
    message: String,
    line: usize,
    column: usize,
}

impl MalformedBody {
    pub(crate) fn from_json(error: &serde_json::Error) -> Self {
        let text = error.to_string();
        let suffix = format!(" at line {} column {}", error.line(), error.column());
        let message = text.strip_suffix(&suffix).unwrap_or(&text).to_owned();
        MalformedBody {
            message,
            line: error.line(),
            column: error.column(),
        }
    }

    /// An error found at index `at` of `bytes` (just past the point serde_json stops at), placed
    /// as serde_json places its own: lines from 1, columns counting the bytes of the line read.
    pub(crate) fn at(message: String, bytes: &[u8], at: usize) -> Self {
        let before = &bytes[..at.min(bytes.len())];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        MalformedBody {
            message,
            line: 1 + before.iter().filter(|&&b| b == b'\n').count(),
            column: before.len() - line_start,
        }
    }

    /// The body of a 400's `detail`, `MESSAGE at line L column C`, as this crate writes it.
    pub(crate) fn from_detail(detail: &str) -> Option<Self> {
        let (message, position) = detail.rsplit_once(" at line ")?;
        let (line, column) = position.split_once(" column ")?;
        let body = MalformedBody {
            message: message.to_owned(),
            line: line.parse().ok()?,
            column: column.parse().ok()?,
        };
        // Only a detail that writes back the same: `01` is no line number of ours.
        (body.to_string() == detail).then_some(body)
    }

    /// What is wrong, without the position.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
    /// The line of the error, from 1.
    #[must_use]
    pub fn line(&self) -> usize {
        self.line
    }
    /// The column of the error, from 1 (0 at the very start of a line).
    #[must_use]
    pub fn column(&self) -> usize {
        self.column
    }
}

impl fmt::Display for MalformedBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

impl std::error::Error for MalformedBody {}

/// Why a request was refused: malformed bytes (400) or invalid data (422).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RequestError {
    /// Not JSON, not an object, or a member name repeated in one object: 400.
    Malformed(MalformedBody),
    /// Every violation of the request, in document order: 422.
    Invalid(ValidationError),
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::Malformed(m) => write!(f, "malformed request: {m}"),
            RequestError::Invalid(v) => write!(f, "invalid data: {v}"),
        }
    }
}

impl std::error::Error for RequestError {}

/// Why an expected revision does not hold, or why a write lost a race: the 409 of
/// [the upsert](crate::docs::rules#the-rules).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Conflict {
    pub(crate) expected: Option<u64>,
    pub(crate) stored: Option<u64>,
    pub(crate) why: ConflictKind,
}

/// What a [`Conflict`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ConflictKind {
    /// The expected revision is not the stored one (or the revision cannot grow).
    Revision,
    /// A write plan no longer held.
    LostRace,
    /// A plan that writes nothing was said to have lost.
    LostWrite,
}

impl Conflict {
    /// The expected revision `expected` does not hold.
    pub(crate) fn revision(expected: Option<u64>, stored: Option<u64>) -> Conflict {
        Conflict {
            expected,
            stored,
            why: ConflictKind::Revision,
        }
    }

    /// The revision the caller expected, if it set one.
    #[must_use]
    pub fn expected_revision(&self) -> Option<u64> {
        self.expected
    }

    /// The stored revision, if a customer is stored.
    #[must_use]
    pub fn stored_revision(&self) -> Option<u64> {
        self.stored
    }
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.why == ConflictKind::LostWrite {
            return f.write_str("another write changed the customer");
        }
        if self.why == ConflictKind::LostRace {
            return match (self.expected, self.stored) {
                (Some(read), Some(stored)) => write!(
                    f,
                    "another write stored revision {stored} after revision {read} was read"
                ),
                (Some(read), None) => {
                    write!(
                        f,
                        "another write changed the customer after revision {read} was read"
                    )
                }
                (None, _) => f.write_str("another write created the customer first"),
            };
        }
        match (self.expected, self.stored) {
            (Some(expected), Some(stored)) => write!(
                f,
                "expected revision {expected}, but the stored revision is {stored}"
            ),
            (Some(expected), None) => {
                write!(f, "expected revision {expected}, but no customer is stored")
            }
            (None, Some(stored)) => write!(f, "the stored revision {stored} cannot grow"),
            (None, None) => f.write_str("conflict"),
        }
    }
}

impl std::error::Error for Conflict {}

/// Why an upsert was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UpsertError {
    /// 412: the context's `If-Match` does not hold.
    PreconditionFailed(PreconditionFailed),
    /// 409: the expected revision does not hold.
    Conflict(Conflict),
    /// 422: the merged state breaks a rule (every violation at once).
    Invalid(ValidationError),
}

impl fmt::Display for UpsertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpsertError::PreconditionFailed(failed) => write!(f, "precondition failed: {failed}"),
            UpsertError::Conflict(conflict) => write!(f, "conflict: {conflict}"),
            UpsertError::Invalid(error) => write!(f, "invalid data: {error}"),
        }
    }
}

impl std::error::Error for UpsertError {}

impl From<Conflict> for UpsertError {
    fn from(conflict: Conflict) -> Self {
        UpsertError::Conflict(conflict)
    }
}

impl From<PreconditionFailed> for UpsertError {
    fn from(failed: PreconditionFailed) -> Self {
        UpsertError::PreconditionFailed(failed)
    }
}

/// An `If-Match` precondition that the stored customer does not meet: the 412 of RFC 9110,
/// answered with the current [`ETag`](PreconditionFailed::etag) so the client can read again.
/// (An expected revision the body or the context sets is a 409 [`Conflict`](crate::Conflict),
/// as the contract says.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PreconditionFailed {
    pub(crate) stored: Option<u64>,
}

impl PreconditionFailed {
    /// The revision stored now, if a customer is stored.
    #[must_use]
    pub fn stored_revision(&self) -> Option<u64> {
        self.stored
    }

    /// The failure a `detail` this crate wrote describes, read back.
    pub(crate) fn from_detail(detail: &str) -> Option<Self> {
        if detail == NOTHING_STORED {
            return Some(PreconditionFailed { stored: None });
        }
        let digits = detail.strip_prefix(NO_TAG_OF)?;
        let stored: u64 = digits.parse().ok()?;
        (stored.to_string() == digits).then_some(PreconditionFailed {
            stored: Some(stored),
        })
    }
}

const NOTHING_STORED: &str = "If-Match needs a stored customer, and none is stored";
const NO_TAG_OF: &str = "If-Match names no tag of the stored revision ";

impl std::fmt::Display for PreconditionFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.stored {
            Some(stored) => write!(f, "{NO_TAG_OF}{stored}"),
            None => f.write_str(NOTHING_STORED),
        }
    }
}

impl std::error::Error for PreconditionFailed {}

/// Why a resolver refused a payment token: unknown, expired, already used… The reason becomes
/// the message of the `token_rejected` violation, so it must not contain the token (if it does,
/// the upsert replaces it with a generic reason).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TokenRejection {
    reason: String,
}

impl TokenRejection {
    /// A refusal with its reason, e.g. `"the token has expired"`.
    pub fn new(reason: impl Into<String>) -> Self {
        TokenRejection {
            reason: reason.into(),
        }
    }

    /// The reason.
    #[must_use]
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// Which rule of a custom field, or of a custom field definition, a value broke: the data of a
/// `custom_field` violation, with the limits and the found sizes. Never the value itself.
///
/// ```
/// use rebilly_customer::{CustomFieldDefinition, CustomFieldRule, CustomFieldType, ViolationKind};
/// let short = CustomFieldDefinition::new(CustomFieldType::String).with_max_length(3).unwrap();
/// let error = short.check(&"four".into()).unwrap_err();
/// assert_eq!(
///     error.violations()[0].kind(),
///     &ViolationKind::CustomField { rule: CustomFieldRule::TooLong { max: 3, actual: 4 } }
/// );
/// assert_eq!(error.to_string(), "must be at most 3 characters, got 4");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CustomFieldRule {
    /// The organization defines no custom field of this name.
    Undefined,
    /// The value is not of the field's type (or not a valid value of it: a date that is not a
    /// calendar day, an integer out of range).
    WrongType {
        /// The field's type.
        expected: CustomFieldType,
    },
    /// A string value, or an item of an array value, has more characters than allowed.
    TooLong {
        /// The limit, in code points.
        max: usize,
        /// The value's length, in code points.
        actual: usize,
    },
    /// An array value has more items than allowed.
    TooManyItems {
        /// The limit.
        max: usize,
        /// How many items the value has.
        actual: usize,
    },
    /// An item of an array value is not a string.
    ItemNotString,
    /// The value, or an item of it, is none of the definition's allowed values.
    NotAllowed {
        /// How many values are allowed.
        allowed: usize,
    },
    /// A member of a monetary value (`currency`, `amount`) is missing.
    MissingMember,
    /// A monetary value has a member other than `currency` and `amount`.
    UnknownMember,
    /// A monetary `currency` is not an ISO 4217 code of the table.
    NotCurrency,
    /// A monetary `amount` is not a number.
    NotNumber,
    /// A definition sets a constraint that its type does not have.
    ConstraintNotForType {
        /// The types that have the constraint, in words.
        only_for: &'static str,
        /// The definition's type.
        field_type: CustomFieldType,
    },
    /// A definition's `maxLength` is not an integer from 1 to the limit.
    MaxLengthOutOfRange {
        /// The largest `maxLength` allowed.
        limit: usize,
        /// The `maxLength` found, when it is a non-negative integer.
        actual: Option<usize>,
    },
    /// A definition's `allowedValues` is not an array of strings.
    AllowedValuesNotStrings,
}

impl fmt::Display for CustomFieldRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CustomFieldRule::Undefined => f.write_str("no custom field of this name is defined"),
            CustomFieldRule::WrongType { expected } => write!(f, "must be {}", expected.expected()),
            CustomFieldRule::TooLong { max, actual } => {
                write!(f, "must be at most {max} characters, got {actual}")
            }
            CustomFieldRule::TooManyItems { max, actual } => {
                write!(f, "must have at most {max} items, got {actual}")
            }
            CustomFieldRule::ItemNotString => f.write_str("must be a string"),
            CustomFieldRule::NotAllowed { allowed: 1 } => {
                f.write_str("must be the one allowed value")
            }
            CustomFieldRule::NotAllowed { allowed } => {
                write!(f, "must be one of the {allowed} allowed values")
            }
            CustomFieldRule::MissingMember => f.write_str("is required"),
            CustomFieldRule::UnknownMember => f.write_str("unknown field"),
            CustomFieldRule::NotCurrency => f.write_str("must be an ISO 4217 currency code"),
            CustomFieldRule::NotNumber => f.write_str("must be a number"),
            CustomFieldRule::ConstraintNotForType {
                only_for,
                field_type,
            } => write!(f, "is only for {only_for}, not {field_type}"),
            CustomFieldRule::MaxLengthOutOfRange {
                limit,
                actual: Some(actual),
            } => write!(f, "must be from 1 to {limit}, got {actual}"),
            CustomFieldRule::MaxLengthOutOfRange {
                limit,
                actual: None,
            } => write!(f, "must be an integer from 1 to {limit}"),
            CustomFieldRule::AllowedValuesNotStrings => f.write_str("must be an array of strings"),
        }
    }
}
