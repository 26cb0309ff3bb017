//! The problem bodies (RFC 7807, `application/problem+json`).

use std::fmt;

use serde::Serialize;

use crate::error::PreconditionFailed;
use crate::error::UpsertError;
use serde::de::MapAccess;

use crate::de::{self, Collector, Got, Raw, RawShape, Shape};
use crate::error::{ErrorCode, FieldPath, ValidationError, Violation, ViolationKind};
use crate::error::{MalformedBody, RequestError};
use crate::json::{JsonOut, WriteJson};
use crate::object::{self, Described, Fields, Member, OtherMembers, keys};
use serde_json::value::RawValue;

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
    /// 412: the request's `If-Match` does not hold (a response carries the current `ETag`).
    PreconditionFailed(PreconditionFailed),
    /// 409: the expected revision does not hold.
    Conflict {
        /// What conflicted.
        detail: String,
    },
    /// 422: the data breaks the contract.
    Invalid(ValidationError),
    /// Any other problem body a server sent (another status, a title or detail this crate does
    /// not write, an `instance`, extension members), read back with what it holds: render it
    /// and the same body comes out. Boxed, so that a `Result<_, Problem>` stays small.
    Other(Box<ProblemDetails>),
}

/// The members of a problem body as a server wrote them ([`Problem::Other`]). The official
/// problem schemas require no member, so each may be absent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProblemDetails {
    /// The RFC 7807 `type`, a URI (absent means `about:blank`).
    pub type_uri: Option<String>,
    /// The `title`.
    pub title: Option<String>,
    /// The `status` member (the response's status is the authoritative one).
    pub status: Option<u16>,
    /// The `detail`, if any.
    pub detail: Option<String>,
    /// The `instance`, a URI of this occurrence, if any.
    pub instance: Option<String>,
    /// The `invalidFields`, if any.
    pub invalid_fields: Vec<Violation>,
    /// Extension members, kept as read in their places.
    pub others: OtherMembers,
}

impl ProblemDetails {
    /// A problem body with these members set, the others absent; set more on the value.
    #[must_use]
    pub fn new(status: u16, title: &str, detail: Option<String>) -> Self {
        ProblemDetails {
            type_uri: Some(ABOUT_BLANK.to_owned()),
            title: Some(title.to_owned()),
            status: Some(status),
            detail,
            ..ProblemDetails::default()
        }
    }
}

/// The `type` of every problem this crate writes.
const ABOUT_BLANK: &str = "about:blank";

impl Problem {
    /// The HTTP status.
    #[must_use]
    pub fn status(&self) -> u16 {
        match self {
            Problem::Malformed(_) => 400,
            Problem::PreconditionFailed(_) => 412,
            Problem::Conflict { .. } => 409,
            Problem::Invalid(_) => 422,
            // A body without a status member names no status; as a response it is a 500.
            Problem::Other(other) => other.status.unwrap_or(500),
        }
    }

    /// The `status` member as the body has it: `None` for a body that names none.
    #[must_use]
    pub fn status_member(&self) -> Option<u16> {
        match self {
            Problem::Other(other) => other.status,
            _ => Some(self.status()),
        }
    }

    /// The RFC 7807 `instance`, if any (the crate's own problems have none).
    #[must_use]
    pub fn instance(&self) -> Option<&str> {
        match self {
            Problem::Other(other) => other.instance.as_deref(),
            _ => None,
        }
    }

    /// Extension members of a problem read from a server, kept as read.
    #[must_use]
    pub fn other_members(&self) -> &OtherMembers {
        match self {
            Problem::Other(other) => &other.others,
            _ => &NO_EXTENSIONS,
        }
    }

    /// The RFC 7807 `title`.
    #[must_use]
    pub fn title(&self) -> &str {
        match self {
            Problem::Malformed(_) => MALFORMED_TITLE,
            Problem::PreconditionFailed(_) => PRECONDITION_FAILED_TITLE,
            Problem::Conflict { .. } => CONFLICT_TITLE,
            Problem::Invalid(_) => INVALID_TITLE,
            Problem::Other(other) => other.title.as_deref().unwrap_or_default(),
        }
    }

    /// The RFC 7807 `type`: `about:blank` for the problems this crate writes.
    #[must_use]
    pub fn type_uri(&self) -> &str {
        match self {
            Problem::Other(other) => other.type_uri.as_deref().unwrap_or(ABOUT_BLANK),
            _ => ABOUT_BLANK,
        }
    }

    /// The RFC 7807 `detail`, written when displayed (`to_string`), so reading it allocates
    /// nothing.
    #[must_use]
    pub fn detail(&self) -> impl fmt::Display + '_ {
        Detail(self)
    }

    /// The `invalidFields` of a 422, empty otherwise.
    #[must_use]
    pub fn invalid_fields(&self) -> &[Violation] {
        match self {
            Problem::Invalid(error) => error.violations(),
            Problem::Other(other) => &other.invalid_fields,
            _ => &[],
        }
    }

    /// Reads a problem body, as a client receives it with a 4xx or 5xx. The crate's own bodies
    /// read back as their variants; any other is [`Problem::Other`], with what it holds.
    /// Every body the official problem schemas allow is read, none of whose members is
    /// required: `instance`, extension members and `invalidFields` items of any shape are kept
    /// and rendered back as read, and a code this version does not know is kept.
    ///
    /// ```
    /// use rebilly_customer::Problem;
    /// let body = br#"{"title":"Invalid data","instance":"/customers/cus_1","traceId":"t-1","invalidFields":[{"field":"locale","message":"bad"}]}"#;
    /// let problem = Problem::parse(body).unwrap();
    /// assert_eq!(problem.instance(), Some("/customers/cus_1"));
    /// assert_eq!(problem.invalid_fields()[0].message().to_string(), "bad");
    /// assert_eq!(problem.to_json().as_bytes(), body);
    /// ```
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
    /// the body is not an object, or a member the schema types has another type (a `status`
    /// that is not an integer from 100 to 599, a `title` that is not a string).
    pub fn parse(bytes: &[u8]) -> Result<Problem, RequestError> {
        crate::de::parse_document_with(bytes, ProblemShape, true)
    }

    /// A problem of another status a server answers, in the same format (`about:blank`).
    pub(crate) fn status_problem(status: u16, title: &str, detail: String) -> Problem {
        Problem::Other(Box::new(ProblemDetails::new(status, title, Some(detail))))
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

    /// 400: the request's path is not percent-encoded UTF-8.
    #[must_use]
    pub fn malformed_path() -> Problem {
        Self::status_problem(
            400,
            "Malformed request",
            "the path is not percent-encoded UTF-8".into(),
        )
    }

    /// 405: the route has no such method (the response's `Allow` names those it has).
    #[must_use]
    pub fn method_not_allowed() -> Problem {
        Self::status_problem(
            405,
            "Method Not Allowed",
            "the route does not serve this method".into(),
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

/// A problem's `detail`, written on demand.
struct Detail<'p>(&'p Problem);

impl fmt::Display for Detail<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Problem::Malformed(m) => write!(f, "{m}"),
            Problem::PreconditionFailed(failed) => write!(f, "{failed}"),
            Problem::Conflict { detail } => f.write_str(detail),
            Problem::Invalid(error) => f.write_str(&invalid_detail(error.violations().len())),
            Problem::Other(other) => f.write_str(other.detail.as_deref().unwrap_or_default()),
        }
    }
}

const MALFORMED_TITLE: &str = "Malformed request";
const CONFLICT_TITLE: &str = "Conflict";
const PRECONDITION_FAILED_TITLE: &str = "Precondition Failed";
const INVALID_TITLE: &str = "Invalid data sent";

/// A 422's `detail`: how many fields are invalid.
fn invalid_detail(count: usize) -> String {
    match count {
        1 => "1 invalid field".to_owned(),
        n => format!("{n} invalid fields"),
    }
}

json_object! {
    /// The members of a problem body (RFC 7807, with the API's `invalidFields`). None is
    /// required: the official problem schemas require none.
    pub(crate) enum ProblemMember {
        Type = keys::TYPE;
        Title = "title";
        Status = "status";
        Detail = "detail";
        Instance = "instance";
        /// A 422's violations.
        InvalidFields = "invalidFields";
    }
}

/// A problem without extension members.
static NO_EXTENSIONS: OtherMembers = OtherMembers::new();

impl Described for Problem {
    type Member = ProblemMember;

    fn fields<F: Fields<ProblemMember>>(&self, fields: &mut F) {
        if let Problem::Other(other) = self {
            let ProblemDetails {
                type_uri,
                title,
                status,
                detail,
                instance,
                invalid_fields,
                ..
            } = &**other;
            // A body read back writes the members it had, and only those.
            for member in ProblemMember::ALL {
                let member = *member;
                match member {
                    ProblemMember::Type => optional(fields, member, type_uri.as_deref()),
                    ProblemMember::Title => optional(fields, member, title.as_deref()),
                    ProblemMember::Status => {
                        if let Some(status) = status {
                            fields.field(member, status);
                        }
                    }
                    ProblemMember::Detail => optional(fields, member, detail.as_deref()),
                    ProblemMember::Instance => optional(fields, member, instance.as_deref()),
                    ProblemMember::InvalidFields => {
                        if !invalid_fields.is_empty() {
                            fields.field(member, &Violations(invalid_fields));
                        }
                    }
                }
            }
            return;
        }
        for member in ProblemMember::ALL {
            let member = *member;
            match member {
                ProblemMember::Type => fields.field(member, self.type_uri()),
                ProblemMember::Title => fields.field(member, self.title()),
                ProblemMember::Status => fields.field(member, &self.status()),
                ProblemMember::Detail => fields.field(member, self.detail().to_string().as_str()),
                ProblemMember::Instance => {}
                ProblemMember::InvalidFields => {
                    if matches!(self, Problem::Invalid(_)) {
                        fields.field(member, &Violations(self.invalid_fields()));
                    }
                }
            }
        }
    }

    fn other_members(&self) -> &OtherMembers {
        Problem::other_members(self)
    }
}

/// Writes a string member when it is there.
fn optional<F: Fields<ProblemMember>>(fields: &mut F, member: ProblemMember, value: Option<&str>) {
    if let Some(value) = value {
        fields.field(member, value);
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
        crate::json::write_items(self.0, out);
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
            UpsertError::PreconditionFailed(failed) => Problem::PreconditionFailed(failed),
            UpsertError::Conflict(conflict) => Problem::Conflict {
                detail: conflict.to_string(),
            },
            UpsertError::Invalid(v) => Problem::Invalid(v),
        }
    }
}

impl From<ValidationError> for Problem {
    fn from(error: ValidationError) -> Self {
        Problem::Invalid(error)
    }
}

impl From<MalformedBody> for Problem {
    fn from(body: MalformedBody) -> Self {
        Problem::Malformed(body)
    }
}

impl From<PreconditionFailed> for Problem {
    fn from(failed: PreconditionFailed) -> Self {
        Problem::PreconditionFailed(failed)
    }
}

impl From<crate::error::Conflict> for Problem {
    fn from(conflict: crate::error::Conflict) -> Self {
        Problem::from(UpsertError::Conflict(conflict))
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
        let (mut type_uri, mut title, mut status, mut detail, mut instance) =
            (None, None, None, None, None);
        let mut invalid_fields = Vec::new();
        let mut others = OtherMembers::new();
        // Extension members are the server's: kept, whatever they are.
        c.keeping_others(|c| {
            de::object_members_keeping(c, map, &mut others, |c, member, map| {
                match member {
                    ProblemMember::Type => type_uri = read_text(c, map, member)?,
                    ProblemMember::Title => title = read_text(c, map, member)?,
                    ProblemMember::Detail => detail = read_text(c, map, member)?,
                    ProblemMember::Instance => instance = read_text(c, map, member)?,
                    ProblemMember::Status => status = c.read(map, member, StatusShape)?.value(),
                    ProblemMember::InvalidFields => {
                        if let Some(violations) = c.read(map, member, ViolationsShape)?.value() {
                            invalid_fields = violations;
                        }
                    }
                }
                Ok(())
            })
        })?;
        if !c.clean_since(mark) {
            return Ok(Got::Invalid);
        }
        Ok(Got::Value(Problem::typed(ProblemDetails {
            type_uri,
            title,
            status,
            detail,
            instance,
            invalid_fields,
            others,
        })))
    }
}

impl Problem {
    /// The crate's own variant when the body is exactly one it writes, else `Other` as read.
    fn typed(other: ProblemDetails) -> Problem {
        let ProblemDetails {
            type_uri: Some(type_uri),
            title: Some(title),
            status: Some(status),
            detail,
            instance: None,
            invalid_fields,
            others,
        } = &other
        else {
            return Problem::Other(Box::new(other));
        };
        if type_uri != ABOUT_BLANK || !others.is_empty() {
            return Problem::Other(Box::new(other));
        }
        let plain = invalid_fields.iter().all(|violation| {
            !matches!(
                violation.kind(),
                ViolationKind::Reported {
                    as_read: Some(_),
                    ..
                }
            )
        });
        let detail_text = detail.as_deref();
        match *status {
            400 if title == MALFORMED_TITLE && invalid_fields.is_empty() => {
                if let Some(body) = detail_text.and_then(MalformedBody::from_detail) {
                    return Problem::Malformed(body);
                }
            }
            412 if title == PRECONDITION_FAILED_TITLE && invalid_fields.is_empty() => {
                if let Some(failed) = detail_text.and_then(PreconditionFailed::from_detail) {
                    return Problem::PreconditionFailed(failed);
                }
            }
            409 if title == CONFLICT_TITLE && invalid_fields.is_empty() => {
                if let Some(detail) = detail {
                    return Problem::Conflict {
                        detail: detail.clone(),
                    };
                }
            }
            422 if title == INVALID_TITLE
                && plain
                && !invalid_fields.is_empty()
                && detail_text == Some(invalid_detail(invalid_fields.len()).as_str()) =>
            {
                return Problem::Invalid(ValidationError::new(invalid_fields.clone()));
            }
            _ => {}
        }
        Problem::Other(Box::new(other))
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
        _: &mut Collector,
        mut seq: A,
    ) -> Result<Got<Vec<Violation>>, A::Error> {
        let mut items = Vec::new();
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            items.push(violation_as_read(crate::object::compact(raw).raw()));
        }
        Ok(Got::Value(items))
    }
}

/// An item of `invalidFields` as a server wrote it: its `field`, `message` and `code` when they
/// are strings, and the whole item as read unless it is exactly those three strings.
fn violation_as_read(raw: &RawValue) -> Violation {
    #[derive(serde::Deserialize)]
    struct Item {
        field: Option<serde_json::Value>,
        message: Option<serde_json::Value>,
        code: Option<serde_json::Value>,
        #[serde(flatten)]
        rest: serde_json::Map<String, serde_json::Value>,
    }
    let item: Option<Item> = serde_json::from_str(raw.get()).ok();
    let text = |value: &Option<serde_json::Value>| match value {
        Some(serde_json::Value::String(text)) => Some(text.clone()),
        _ => None,
    };
    let (field, message, code, plain) = match &item {
        Some(item) => {
            let (field, message, code) = (text(&item.field), text(&item.message), text(&item.code));
            // A field this crate would write otherwise (`items[0]`) is kept as read.
            let writes_back = field
                .as_deref()
                .is_some_and(|f| FieldPath::from_text(f) == *f);
            let plain = writes_back && message.is_some() && code.is_some() && item.rest.is_empty();
            (field, message, code, plain)
        }
        None => (None, None, None, false),
    };
    Violation::new(
        FieldPath::from_text(field.as_deref().unwrap_or_default()),
        ViolationKind::Reported {
            code: ErrorCode::from_wire(code.as_deref().unwrap_or_default()),
            message: message.unwrap_or_default(),
            as_read: (!plain).then(|| raw.get().to_owned()),
        },
    )
}

/// Reads the crate's problem bodies and any other (see [`Problem::parse`]).
impl<'de> serde::Deserialize<'de> for Problem {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::deserialize_shape_with(deserializer, ProblemShape, true)
    }
}

/// Reads an item of `invalidFields` as a server wrote it: any JSON value, kept as read when it
/// is not the three strings `field`, `message` and `code`.
impl<'de> serde::Deserialize<'de> for Violation {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <Box<RawValue>>::deserialize(deserializer)?;
        Ok(violation_as_read(crate::object::compact(raw).raw()))
    }
}
