//! The problem bodies (RFC 7807, `application/problem+json`).

use serde::Serialize;
use serde::ser::SerializeMap;

use crate::customer::UpsertError;
use crate::error::{ValidationError, Violation};
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

    /// The body as compact JSON.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a problem always serializes")
    }
}

impl Serialize for Problem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut object = serializer.serialize_map(None)?;
        object.serialize_entry("type", "about:blank")?;
        object.serialize_entry("title", self.title())?;
        object.serialize_entry("status", &self.status())?;
        object.serialize_entry("detail", &self.detail())?;
        if let Problem::Invalid(error) = self {
            object.serialize_entry("invalidFields", error.violations())?;
        }
        object.end()
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
