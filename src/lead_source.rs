//! The lead source (2026-08's write-only `leadSource`): where a customer came from. Ten text
//! members of at most 512 code points and a `referrer` URI of at most 2083; the server's own
//! `createdTime`, `updatedTime` and `_links` are accepted unchecked and never kept.

use serde::de::MapAccess;

use crate::de::{self, Collector, Got, Seed, Shape, Skip};
use crate::error::{FieldPath, ValidationError, Violation, ViolationKind};
use crate::object::{Described, Fields, Member, OtherMembers, keys};
use crate::text::{TextRule, code_points};

json_object! {
    /// The members of a lead source, in the order the stored form renders them.
    pub(crate) enum LeadSourceMember {
        Medium = "medium", nullable;
        Source = "source", nullable;
        Campaign = "campaign", nullable;
        Term = "term", nullable;
        Content = "content", nullable;
        Affiliate = "affiliate", nullable;
        SubAffiliate = "subAffiliate", nullable;
        SalesAgent = "salesAgent", nullable;
        ClickId = "clickId", nullable;
        Path = "path", nullable;
        Referrer = "referrer", nullable;
        CreatedTime = keys::CREATED_TIME, read_only;
        UpdatedTime = keys::UPDATED_TIME, read_only;
        Links = keys::LINKS, read_only;
    }
}

/// The members that hold a value: every one but the read-only three.
const VALUE_MEMBERS: usize = 11;

/// Most code points of the ten text members.
pub const LEAD_SOURCE_TEXT_MAX: usize = 512;
/// Most characters of `referrer`.
pub const REFERRER_MAX: usize = 2083;

const TEXT_RULE: TextRule = TextRule {
    max: Some(LEAD_SOURCE_TEXT_MAX),
    non_empty: false,
    class: None,
};

/// Where a customer came from. Every member is optional; two lead sources are equal when every
/// member is (an absent member is `null`), and `{}` is a lead source without values.
///
/// ```
/// use rebilly_customer::LeadSource;
/// let source = LeadSource::new()
///     .with("medium", Some("email"))
///     .and_then(|s| s.with("referrer", Some("https://example.com/offer")))
///     .unwrap();
/// assert_eq!(source.get("medium"), Some("email"));
/// assert!(LeadSource::new().with("referrer", Some("not a uri")).is_err());
/// assert!(LeadSource::new().with("colour", Some("red")).is_err());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct LeadSource {
    values: [Option<String>; VALUE_MEMBERS],
    others: OtherMembers,
}

impl LeadSource {
    /// A lead source without values (`{}`).
    #[must_use]
    pub fn new() -> Self {
        LeadSource::default()
    }

    /// The names of the members that hold values, in the order they are rendered.
    pub fn member_names() -> impl Iterator<Item = &'static str> {
        LeadSourceMember::ALL[..VALUE_MEMBERS]
            .iter()
            .map(|member| member.key())
    }

    /// The value of member `name` (`medium`, `referrer`, …), if set.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        let slot = slot(LeadSourceMember::from_key(name)?)?;
        self.values[slot].as_deref()
    }

    /// The same lead source with member `name` set (or cleared with `None`), its rule checked.
    ///
    /// # Errors
    /// `unknown_field` for a name that is not one of the eleven; `too_long` past 512 code
    /// points (2083 for `referrer`); `pattern` for a `referrer` that is not an absolute URI.
    pub fn with(mut self, name: &str, value: Option<&str>) -> Result<Self, ValidationError> {
        let at = |kind| {
            ValidationError::from(Violation::new(
                FieldPath::root().join(name.to_owned()),
                kind,
            ))
        };
        let Some(slot) = LeadSourceMember::from_key(name).and_then(slot) else {
            return Err(at(ViolationKind::UnknownField));
        };
        let member = LeadSourceMember::ALL[slot];
        self.values[slot] = match value {
            None => None,
            Some(text) => Some(check(member, text).map_err(|error| prefixed(error, member))?),
        };
        Ok(self)
    }

    /// Members a newer API added, kept as read.
    #[must_use]
    pub fn other_members(&self) -> &OtherMembers {
        &self.others
    }
}

fn prefixed(error: ValidationError, member: LeadSourceMember) -> ValidationError {
    let at = [member.key().into()];
    ValidationError::new(error.into_iter().map(|v| v.prefixed(&at)).collect())
}

/// The value slot of a member, `None` for the read-only ones.
fn slot(member: LeadSourceMember) -> Option<usize> {
    let index = LeadSourceMember::ALL.iter().position(|m| *m == member)?;
    (index < VALUE_MEMBERS).then_some(index)
}

/// The stored text of `member`, or what is wrong with it.
fn check(member: LeadSourceMember, text: &str) -> Result<String, ValidationError> {
    if member != LeadSourceMember::Referrer {
        return TEXT_RULE.normalize(std::borrow::Cow::Borrowed(text));
    }
    let mut violations = Vec::new();
    let length = code_points(text);
    if length > REFERRER_MAX {
        violations.push(ViolationKind::TooLong {
            max: REFERRER_MAX,
            actual: length,
        });
    }
    if let Err(reason) = absolute_uri(text) {
        violations.push(ViolationKind::InvalidUri { reason });
    }
    if violations.is_empty() {
        Ok(text.to_owned())
    } else {
        Err(ValidationError::new(
            violations
                .into_iter()
                .map(|kind| Violation::new(FieldPath::root(), kind))
                .collect(),
        ))
    }
}

/// RFC 3986 `URI` (with a scheme; the `format: uri` of JSON Schema), in ASCII: a scheme of a
/// letter then letters, digits, `+`, `-` or `.`, a `:`, then only characters a URI may hold,
/// each `%` followed by two hex digits.
pub(crate) fn absolute_uri(text: &str) -> Result<(), &'static str> {
    let Some((scheme, rest)) = text.split_once(':') else {
        return Err("it has no scheme");
    };
    let mut scheme_chars = scheme.bytes();
    let starts_with_letter = scheme_chars.next().is_some_and(|b| b.is_ascii_alphabetic());
    if !starts_with_letter
        || !scheme_chars.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    {
        return Err("the scheme must be a letter followed by letters, digits, + - or .");
    }
    let bytes = rest.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = |at: usize| bytes.get(at).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return Err("each % must be followed by two hex digits");
            }
            i += 3;
            continue;
        }
        let allowed = b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&b);
        if !allowed {
            return Err("it holds a character a URI may not hold (spaces and non-ASCII included)");
        }
        i += 1;
    }
    Ok(())
}

/// The stored form: the eleven members, `null` when unset; never the read-only ones.
impl Described for LeadSource {
    type Member = LeadSourceMember;

    fn fields<F: Fields<LeadSourceMember>>(&self, fields: &mut F) {
        for (member, value) in LeadSourceMember::ALL.iter().zip(&self.values) {
            fields.field(*member, value);
        }
    }

    fn other_members(&self) -> &OtherMembers {
        &self.others
    }
}

serialize_described!(LeadSource);

/// One member's value: a string or `null`.
#[derive(Clone, Copy)]
struct MemberText(LeadSourceMember);

impl<'de> Shape<'de> for MemberText {
    type Out = String;
    const EXPECTED: &'static str = "a string";
    fn on_str(self, c: &mut Collector, text: &str) -> Got<String> {
        match check(self.0, text) {
            Ok(value) => Got::Value(value),
            Err(error) => {
                c.absorb(error);
                Got::Invalid
            }
        }
    }
}

/// `leadSource`: an object (its `null` is the member's, refused by the caller).
#[derive(Clone, Copy)]
pub(crate) struct LeadSourceShape;

impl<'de> Shape<'de> for LeadSourceShape {
    type Out = LeadSource;
    const EXPECTED: &'static str = "an object";

    fn on_map<A: MapAccess<'de>>(
        self,
        c: &mut Collector,
        map: A,
    ) -> Result<Got<LeadSource>, A::Error> {
        let mark = c.mark();
        let mut source = LeadSource::new();
        let mut others = OtherMembers::new();
        de::object_members_keeping(c, map, &mut others, |c, member, map| {
            match slot(member) {
                Some(slot) => {
                    source.values[slot] = c.read(map, member, MemberText(member))?.value();
                }
                // The server's: accepted unchecked, never kept.
                None => {
                    map.next_value_seed(Seed::new(c, Skip, true))?;
                }
            }
            Ok(())
        })?;
        source.others = others;
        Ok(if c.clean_since(mark) {
            Got::Value(source)
        } else {
            Got::Invalid
        })
    }
}
