//! The problem bodies (RFC 7807, `application/problem+json`).

use serde::Serialize;

use crate::customer::UpsertError;
use serde::de::MapAccess;

use crate::de::{self, Collector, Got, Raw, RawShape, Shape};
use crate::error::{
    ErrorCode, FieldPath, ValidationError, Violation, ViolationKind, ViolationMember,
};
use crate::json::{JsonOut, WriteJson};
use crate::object::{self, Described, Fields, Member, keys};
use crate::request::{MalformedBody, RequestError};

/// The media type of every problem body.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// A problem response body: the operation's 400, 409 and 422, and the 401, 404, 413, 415 and
/// 500 a server answers around it ([`Problem::unauthorized`] and the others).
///
/// ```
/// use rebilly_customer::{Problem, UpsertRequest};
/// let error = UpsertRequest::parse("cus_1", br#"{"isEddRequired": "yes"}"#).unwrap_err();
/// let problem = Problem::from(error);
/// assert_eq!(problem.status(), 422);
/// assert_eq!(
///     problem.to_json(),
///     r#"{"type":"about:blank","title":"Invalid data sent","status":422,"detail":"1 invalid field","invalidFields":[{"field":"isEddRequired","message":"must be a boolean","code":"type"}]}"#
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// 400: the bytes are not a JSON object.
    Malformed(MalformedBody),
    /// 409: the expected revision does not hold.
    Conflict {
        /// What conflicted.
        detail: String,
    },
    /// 422: the data breaks the contract.
    Invalid(ValidationError),
    /// Any other problem body a server sent (another status, or a title or detail this crate
    /// does not write), read back with what it holds: render it and the same body comes out.
    Other {
        /// The RFC 7807 `type`, a URI.
        type_uri: String,
        /// The `title`.
        title: String,
        /// The HTTP status.
        status: u16,
        /// The `detail`, if any.
        detail: Option<String>,
        /// The `invalidFields`, if any.
        invalid_fields: Vec<Violation>,
    },
}

/// The `type` of every problem this crate writes.
const ABOUT_BLANK: &str = "about:blank";

impl Problem {
    /// The HTTP status.
    #[must_use]
    pub fn status(&self) -> u16 {
        match self {
            Problem::Malformed(_) => 400,
            Problem::Conflict { .. } => 409,
            Problem::Invalid(_) => 422,
            Problem::Other { status, .. } => *status,
        }
    }

    /// The RFC 7807 `title`.
    #[must_use]
    pub fn title(&self) -> &str {
        match self {
            Problem::Malformed(_) => MALFORMED_TITLE,
            Problem::Conflict { .. } => CONFLICT_TITLE,
            Problem::Invalid(_) => INVALID_TITLE,
            Problem::Other { title, .. } => title,
        }
    }

    /// The RFC 7807 `type`: `about:blank` for the problems this crate writes.
    #[must_use]
    pub fn type_uri(&self) -> &str {
        match self {
            Problem::Other { type_uri, .. } => type_uri,
            _ => ABOUT_BLANK,
        }
    }

    /// The RFC 7807 `detail`.
    #[must_use]
    pub fn detail(&self) -> String {
        match self {
            Problem::Malformed(m) => m.to_string(),
            Problem::Conflict { detail } => detail.clone(),
            Problem::Invalid(error) => invalid_detail(error.violations().len()),
            Problem::Other { detail, .. } => detail.clone().unwrap_or_default(),
        }
    }

    /// The `invalidFields` of a 422, empty otherwise.
    #[must_use]
    pub fn invalid_fields(&self) -> &[Violation] {
        match self {
            Problem::Invalid(error) => error.violations(),
            Problem::Other { invalid_fields, .. } => invalid_fields,
            _ => &[],
        }
    }

    /// Reads a problem body, as a client receives it with a 4xx or 5xx. The crate's own bodies
    /// read back as their variants; any other is [`Problem::Other`], with what it holds.
    /// Members this version does not know are ignored, and a code it does not know is kept.
    ///
    /// ```
    /// use rebilly_customer::{ErrorCode, Problem};
    /// let body = br#"{"type": "about:blank", "title": "Invalid data sent", "status": 422,
    ///     "detail": "1 invalid field",
    ///     "invalidFields": [{"field": "emails.0.value", "message": "too odd", "code": "too_odd"}]}"#;
    /// let problem = Problem::parse(body).unwrap();
    /// assert!(matches!(problem, Problem::Invalid(_)));
    /// assert_eq!(problem.invalid_fields()[0].code().as_str(), "too_odd");
    /// assert_eq!(
    ///     problem.to_json(),
    ///     r#"{"type":"about:blank","title":"Invalid data sent","status":422,"detail":"1 invalid field","invalidFields":[{"field":"emails.0.value","message":"too odd","code":"too_odd"}]}"#
    /// );
    /// ```
    ///
    /// # Errors
    /// [`RequestError::Malformed`] for bytes that are not JSON; [`RequestError::Invalid`] when
    /// `type`, `title` or `status` is missing or of the wrong type.
    pub fn parse(bytes: &[u8]) -> Result<Problem, RequestError> {
        crate::de::parse_document_with(bytes, ProblemShape, true)
    }

    /// A problem of another status a server answers, in the same format (`about:blank`).
    fn status_problem(status: u16, title: &str, detail: String) -> Problem {
        Problem::Other {
            type_uri: ABOUT_BLANK.to_owned(),
            title: title.to_owned(),
            status,
            detail: Some(detail),
            invalid_fields: Vec::new(),
        }
    }

    /// 401: the request carries no valid credentials (for the API, the `REB-APIKEY` header).
    ///
    /// ```
    /// use rebilly_customer::Problem;
    /// assert_eq!(
    ///     Problem::unauthorized().to_json(),
    ///     r#"{"type":"about:blank","title":"Unauthorized","status":401,"detail":"the request has no valid credentials"}"#
    /// );
    /// ```
    #[must_use]
    pub fn unauthorized() -> Problem {
        Self::status_problem(
            401,
            "Unauthorized",
            "the request has no valid credentials".into(),
        )
    }

    /// 404: no customer is stored under the id (in the organization asked for).
    #[must_use]
    pub fn not_found() -> Problem {
        Self::status_problem(
            404,
            "Not Found",
            "no customer is stored under this id".into(),
        )
    }

    /// 413: the body is longer than the server's limit of `limit` bytes.
    #[must_use]
    pub fn payload_too_large(limit: u64) -> Problem {
        Self::status_problem(
            413,
            "Payload Too Large",
            format!("the body is longer than the limit of {limit} bytes"),
        )
    }

    /// 415: the body is not `application/json`.
    #[must_use]
    pub fn unsupported_media_type() -> Problem {
        Self::status_problem(
            415,
            "Unsupported Media Type",
            "the body must be application/json".into(),
        )
    }

    /// 500: the server failed (its store, say). The detail says nothing of why: that is for
    /// the server's log, not for the client.
    #[must_use]
    pub fn internal() -> Problem {
        Self::status_problem(
            500,
            "Internal Server Error",
            "the server could not complete the request".into(),
        )
    }

    /// The media type: `application/problem+json`.
    #[must_use]
    pub fn content_type(&self) -> &'static str {
        PROBLEM_CONTENT_TYPE
    }

    /// The body as compact JSON (what `Serialize` writes, by the crate's fast writer).
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut out = JsonOut::with_capacity(256);
        object::write(self, &mut out);
        out.into_string()
    }
}

const MALFORMED_TITLE: &str = "Malformed request";
const CONFLICT_TITLE: &str = "Conflict";
const INVALID_TITLE: &str = "Invalid data sent";

/// A 422's `detail`: how many fields are invalid.
fn invalid_detail(count: usize) -> String {
    match count {
        1 => "1 invalid field".to_owned(),
        n => format!("{n} invalid fields"),
    }
}

json_object! {
    /// The members of a problem body (RFC 7807, with the API's `invalidFields`).
    pub(crate) enum ProblemMember {
        Type = keys::TYPE, required;
        Title = "title", required;
        Status = "status", required;
        Detail = "detail";
        /// A 422's violations.
        InvalidFields = "invalidFields";
    }
}

impl Described for Problem {
    type Member = ProblemMember;

    fn fields<F: Fields<ProblemMember>>(&self, fields: &mut F) {
        for member in ProblemMember::ALL {
            let member = *member;
            match member {
                ProblemMember::Type => fields.field(member, self.type_uri()),
                ProblemMember::Title => fields.field(member, self.title()),
                ProblemMember::Status => fields.field(member, &self.status()),
                ProblemMember::Detail => {
                    if !matches!(self, Problem::Other { detail: None, .. }) {
                        fields.field(member, self.detail().as_str());
                    }
                }
                ProblemMember::InvalidFields => {
                    let violations = self.invalid_fields();
                    if matches!(self, Problem::Invalid(_)) || !violations.is_empty() {
                        fields.field(member, &Violations(violations));
                    }
                }
            }
        }
    }
}

serialize_described!(Problem);

/// A 422's `invalidFields`, for the writers.
struct Violations<'v>(&'v [Violation]);

impl Serialize for Violations<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0)
    }
}

impl WriteJson for Violations<'_> {
    fn write_json(&self, out: &mut JsonOut) {
        object::write_array(self.0, out);
    }
}

impl From<RequestError> for Problem {
    fn from(error: RequestError) -> Self {
        match error {
            RequestError::Malformed(m) => Problem::Malformed(m),
            RequestError::Invalid(v) => Problem::Invalid(v),
        }
    }
}

impl From<UpsertError> for Problem {
    fn from(error: UpsertError) -> Self {
        match error {
            UpsertError::Conflict(conflict) => Problem::Conflict {
                detail: conflict.detail(),
            },
            UpsertError::Invalid(v) => Problem::Invalid(v),
        }
    }
}

impl From<crate::customer::Conflict> for Problem {
    fn from(conflict: crate::customer::Conflict) -> Self {
        Problem::from(UpsertError::Conflict(conflict))
    }
}

impl From<ValidationError> for Problem {
    fn from(error: ValidationError) -> Self {
        Problem::Invalid(error)
    }
}

/// Reads a problem body; see [`Problem::parse`].
struct ProblemShape;

impl<'de> Shape<'de> for ProblemShape {
    type Out = Problem;
    const EXPECTED: &'static str = "an object";

    fn on_map<A: MapAccess<'de>>(
        self,
        c: &mut Collector,
        map: A,
    ) -> Result<Got<Problem>, A::Error> {
        let mark = c.mark();
        let (mut type_uri, mut title, mut status, mut detail) = (None, None, None, None);
        let mut invalid_fields = Vec::new();
        let seen = de::object_members(c, map, |c, member, map| {
            match member {
                ProblemMember::Type => type_uri = read_text(c, map, member)?,
                ProblemMember::Title => title = read_text(c, map, member)?,
                ProblemMember::Detail => detail = read_text(c, map, member)?,
                ProblemMember::Status => status = c.read(map, member, StatusShape)?.value(),
                ProblemMember::InvalidFields => {
                    if let Some(violations) = c.read(map, member, ViolationsShape)?.value() {
                        invalid_fields = violations;
                    }
                }
            }
            Ok(())
        })?;
        c.missing::<ProblemMember>(seen);
        let (Some(type_uri), Some(title), Some(status)) = (type_uri, title, status) else {
            return Ok(Got::Invalid);
        };
        if !c.clean_since(mark) {
            return Ok(Got::Invalid);
        }
        Ok(Got::Value(Problem::typed(
            type_uri,
            title,
            status,
            detail,
            invalid_fields,
        )))
    }
}

impl Problem {
    /// The crate's own variant when the body is exactly one it writes, else `Other`.
    fn typed(
        type_uri: String,
        title: String,
        status: u16,
        detail: Option<String>,
        invalid_fields: Vec<Violation>,
    ) -> Problem {
        let ours = |expected_title: &str| type_uri == ABOUT_BLANK && title == expected_title;
        let detail_text = detail.as_deref();
        match status {
            400 if ours(MALFORMED_TITLE) && invalid_fields.is_empty() => {
                if let Some(body) = detail_text.and_then(MalformedBody::from_detail) {
                    return Problem::Malformed(body);
                }
            }
            409 if ours(CONFLICT_TITLE) && invalid_fields.is_empty() => {
                if let Some(detail) = detail {
                    return Problem::Conflict { detail };
                }
            }
            422 if ours(INVALID_TITLE)
                && !invalid_fields.is_empty()
                && detail_text == Some(invalid_detail(invalid_fields.len()).as_str()) =>
            {
                return Problem::Invalid(ValidationError::new(invalid_fields));
            }
            _ => {}
        }
        Problem::Other {
            type_uri,
            title,
            status,
            detail,
            invalid_fields,
        }
    }
}

/// Reads a string member, reporting any other type.
fn read_text<'de, A: MapAccess<'de>, M: crate::object::Member>(
    c: &mut Collector,
    map: &mut A,
    member: M,
) -> Result<Option<String>, A::Error> {
    Ok(match c.read(map, member, RawShape)? {
        Got::Value(Raw::Text(text)) => Some(text),
        Got::Value(Raw::NotText) => {
            c.report_at(
                member.key(),
                crate::error::ViolationKind::Type {
                    expected: "a string",
                    nullable: false,
                },
            );
            None
        }
        _ => None,
    })
}

/// An HTTP status: an integer from 100 to 599.
struct StatusShape;

impl<'de> Shape<'de> for StatusShape {
    type Out = u16;
    const EXPECTED: &'static str = "an HTTP status code";
    fn on_number(self, _: &mut Collector, value: serde_json::Number) -> Got<u16> {
        value
            .as_u64()
            .filter(|status| (100..=599).contains(status))
            .and_then(|status| u16::try_from(status).ok())
            .map_or(Got::Mismatch, Got::Value)
    }
}

#[derive(Clone, Copy)]
struct ViolationsShape;

impl<'de> Shape<'de> for ViolationsShape {
    type Out = Vec<Violation>;
    const EXPECTED: &'static str = "an array";
    fn on_seq<A: serde::de::SeqAccess<'de>>(
        self,
        c: &mut Collector,
        seq: A,
    ) -> Result<Got<Vec<Violation>>, A::Error> {
        let (items, all_valid) = de::indexed_items(c, seq, ViolationShape)?;
        Ok(if all_valid {
            Got::Value(items.into_iter().map(|(_, violation)| violation).collect())
        } else {
            Got::Invalid
        })
    }
}

/// Reads an item of `invalidFields`: `field`, `message` and `code`, all strings.
#[derive(Clone, Copy)]
pub(crate) struct ViolationShape;

impl<'de> Shape<'de> for ViolationShape {
    type Out = Violation;
    const EXPECTED: &'static str = "an object";

    fn on_map<A: MapAccess<'de>>(
        self,
        c: &mut Collector,
        map: A,
    ) -> Result<Got<Violation>, A::Error> {
        let (mut field, mut message, mut code) = (None, None, None);
        let seen = de::object_members(c, map, |c, member, map| {
            let text = read_text(c, map, member)?;
            match member {
                ViolationMember::Field => field = text,
                ViolationMember::Message => message = text,
                ViolationMember::Code => code = text,
            }
            Ok(())
        })?;
        c.missing::<ViolationMember>(seen);
        Ok(match (field, message, code) {
            (Some(field), Some(message), Some(code)) => Got::Value(Violation::new(
                FieldPath::parse(&field),
                ViolationKind::Reported {
                    code: ErrorCode::parse(&code),
                    message,
                },
            )),
            _ => Got::Invalid,
        })
    }
}

/// Reads the crate's problem bodies and any other (see [`Problem::parse`]).
impl<'de> serde::Deserialize<'de> for Problem {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::deserialize_shape_with(deserializer, ProblemShape, true)
    }
}

/// Reads an item of `invalidFields` as a server wrote it.
impl<'de> serde::Deserialize<'de> for Violation {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::deserialize_shape_with(deserializer, ViolationShape, true)
    }
}
