//! The problem bodies (RFC 7807, `application/problem+json`).

use serde::Serialize;

use crate::customer::UpsertError;
use crate::error::{ValidationError, Violation};
use crate::json::{JsonOut, WriteJson};
use crate::object::{self, Described, Fields, Member, keys};
use crate::request::{MalformedBody, RequestError};

/// The media type of every problem body.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// A 400, 409 or 422 response body.
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
}

impl Problem {
    /// The HTTP status.
    #[must_use]
    pub fn status(&self) -> u16 {
        match self {
            Problem::Malformed(_) => 400,
            Problem::Conflict { .. } => 409,
            Problem::Invalid(_) => 422,
        }
    }

    /// The RFC 7807 `title`.
    #[must_use]
    pub fn title(&self) -> &'static str {
        match self {
            Problem::Malformed(_) => "Malformed request",
            Problem::Conflict { .. } => "Conflict",
            Problem::Invalid(_) => "Invalid data sent",
        }
    }

    /// The RFC 7807 `detail`.
    #[must_use]
    pub fn detail(&self) -> String {
        match self {
            Problem::Malformed(m) => m.to_string(),
            Problem::Conflict { detail } => detail.clone(),
            Problem::Invalid(error) => match error.violations().len() {
                1 => "1 invalid field".to_owned(),
                n => format!("{n} invalid fields"),
            },
        }
    }

    /// The `invalidFields` of a 422, empty otherwise.
    #[must_use]
    pub fn invalid_fields(&self) -> &[Violation] {
        match self {
            Problem::Invalid(error) => error.violations(),
            _ => &[],
        }
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
                ProblemMember::Type => fields.field(member, "about:blank"),
                ProblemMember::Title => fields.field(member, self.title()),
                ProblemMember::Status => fields.field(member, &self.status()),
                ProblemMember::Detail => fields.field(member, self.detail().as_str()),
                ProblemMember::InvalidFields => {
                    if let Problem::Invalid(error) = self {
                        fields.field(member, &Violations(error.violations()));
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

impl From<ValidationError> for Problem {
    fn from(error: ValidationError) -> Self {
        Problem::Invalid(error)
    }
}
