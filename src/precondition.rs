//! HTTP preconditions on a customer: the entity tag of a revision, and `If-Match` judged
//! against the stored revision. The revision is the tag: a strong tag `"3"` is revision 3.

use crate::error::PreconditionFailed;

/// An `If-Match` header, read: `*`, or the revisions its strong tags name. A tag matches when it
/// is the customer's [`ETag`](crate::Customer::etag) exactly, as RFC 9110 compares strong tags: `"01"`
/// is not revision 1, and a weak tag (`W/"3"`) never matches.
///
/// ```
/// use rebilly_customer::IfMatch;
/// // "3" is revision 3: the upsert then expects it.
/// assert_eq!(IfMatch::from_header(r#""3""#).expected_revision(Some(3)), Ok(Some(3)));
/// // `*` means "must exist", whatever its revision.
/// assert_eq!(IfMatch::from_header("*").expected_revision(Some(7)), Ok(None));
/// assert!(IfMatch::from_header("*").expected_revision(None).is_err());
/// // A weak tag, a stale one, one spelled otherwise and one on an id with nothing stored are
/// // 412s, which carry the current tag.
/// assert!(IfMatch::from_header(r#"W/"3""#).expected_revision(Some(3)).is_err());
/// assert!(IfMatch::from_header(r#""03""#).expected_revision(Some(3)).is_err());
/// let failed = IfMatch::from_header(r#""2""#).expected_revision(Some(3)).unwrap_err();
/// assert_eq!(failed.etag().as_deref(), Some(r#""3""#));
/// assert!(IfMatch::from_header(r#""0""#).expected_revision(None).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IfMatch {
    any: bool,
    revisions: Vec<u64>,
}

impl IfMatch {
    /// Reads the header's value: a comma-separated list of entity tags, or `*`. Never fails:
    /// what is not the strong tag of a revision, spelled as [`Customer::etag`](crate::Customer::etag) spells it,
    /// matches nothing.
    #[must_use]
    pub fn from_header(header: &str) -> IfMatch {
        let (any, revisions) = read_tags(header, Comparison::Strong);
        IfMatch { any, revisions }
    }

    /// The expected revision to give the upsert
    /// ([`UpsertContext::with_expected_revision`](crate::UpsertContext::with_expected_revision)),
    /// given the revision stored now (`None` when nothing is stored): the stored revision when
    /// a tag names it, none when the header is `*` and a customer is stored.
    /// [`UpsertContext::with_if_match`](crate::UpsertContext::with_if_match) does this inside
    /// the upsert.
    ///
    /// # Errors
    /// The 412 [`PreconditionFailed`] when the precondition fails: nothing is stored (`If-Match`
    /// on an id that does not exist creates nothing), or no strong tag names the stored revision.
    pub fn expected_revision(
        &self,
        stored: Option<u64>,
    ) -> Result<Option<u64>, PreconditionFailed> {
        match stored {
            Some(revision) if self.revisions.contains(&revision) => Ok(Some(revision)),
            Some(_) if self.any => Ok(None),
            _ => Err(PreconditionFailed { stored }),
        }
    }
}

impl PreconditionFailed {
    /// The `ETag` of the stored customer, for the 412's headers; none when nothing is stored.
    #[must_use]
    pub fn etag(&self) -> Option<String> {
        self.stored.map(etag_of)
    }
}

/// A revision as its strong entity tag.
pub(crate) fn etag_of(revision: u64) -> String {
    format!("\"{revision}\"")
}

/// An `If-None-Match` header, read: `*` (create only: the upsert fails when a customer is
/// stored) or tags (the upsert fails when one names the stored revision). Tags compare weakly,
/// as RFC 9110 says of `If-None-Match`: `W/"3"` names revision 3 too.
///
/// ```
/// use rebilly_customer::IfNoneMatch;
/// let create_only = IfNoneMatch::from_header("*");
/// assert!(create_only.check(None).is_ok());
/// let failed = create_only.check(Some(2)).unwrap_err();
/// assert_eq!(failed.etag().as_deref(), Some(r#""2""#));
/// assert!(IfNoneMatch::from_header(r#"W/"2""#).check(Some(2)).is_err());
/// assert!(IfNoneMatch::from_header(r#""1""#).check(Some(2)).is_ok());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IfNoneMatch {
    any: bool,
    revisions: Vec<u64>,
}

impl IfNoneMatch {
    /// Reads the header's value: a comma-separated list of entity tags, weak or strong, or `*`.
    /// Never fails: what names no revision as [`Customer::etag`](crate::Customer::etag)
    /// spells it matches nothing.
    #[must_use]
    pub fn from_header(header: &str) -> IfNoneMatch {
        let (any, revisions) = read_tags(header, Comparison::Weak);
        IfNoneMatch { any, revisions }
    }

    /// Whether the upsert may go on, given the revision stored now (`None` when nothing is
    /// stored). [`UpsertContext::with_if_none_match`](crate::UpsertContext::with_if_none_match)
    /// does this inside the upsert.
    ///
    /// # Errors
    /// The 412 [`PreconditionFailed`] when a customer is stored and the header is `*`, or names
    /// its revision.
    pub fn check(&self, stored: Option<u64>) -> Result<(), PreconditionFailed> {
        match stored {
            Some(revision) if self.any || self.revisions.contains(&revision) => {
                Err(PreconditionFailed {
                    stored: Some(revision),
                })
            }
            _ => Ok(()),
        }
    }
}

/// How a precondition compares tags (RFC 9110 section 8.8.3.2): `If-Match` strongly, so a weak
/// tag never matches; `If-None-Match` weakly, so `W/"3"` names revision 3 too.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Comparison {
    Strong,
    Weak,
}

/// A precondition header's list: whether it holds `*`, and the revisions its tags name.
fn read_tags(header: &str, comparison: Comparison) -> (bool, Vec<u64>) {
    let mut any = false;
    let mut revisions = Vec::new();
    for tag in header.split(',').map(str::trim) {
        let tag = match (comparison, tag.strip_prefix("W/")) {
            (Comparison::Weak, Some(opaque)) => opaque,
            _ => tag,
        };
        if tag == "*" {
            any = true;
        } else if let Some(revision) = revision_of(tag) {
            revisions.push(revision);
        }
    }
    (any, revisions)
}

/// The revision a strong tag names, spelled as [`etag_of`] spells it.
fn revision_of(tag: &str) -> Option<u64> {
    tag.strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .and_then(|digits| {
            digits
                .parse::<u64>()
                .ok()
                .filter(|n| n.to_string() == digits)
        })
}
