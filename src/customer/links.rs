//! `_links`: the relations a customer links to, and how their URLs are built (the upsert rules,
//! "Links").

use serde::de::{MapAccess, SeqAccess};
use serde::{Serialize, Serializer};

use crate::de::{self, Collector, Got, Shape};
use crate::error::{ValidationError, ViolationKind};
use crate::json::{JsonOut, WriteJson};
use crate::object::{self, Described, Fields, Member, Named, OtherMembers};

/// The base URL of `_links` and `Location`: an absolute `http` or `https` URL (RFC 3986) with
/// a host, no query and no fragment, kept without its trailing slashes. It goes into a response
/// header, so it cannot hold a space, a control character (CR and LF among them) or anything
/// else a URI may not hold.
///
/// ```
/// use rebilly_customer::BaseUrl;
/// let base = BaseUrl::parse("https://api.example.com/v1/").unwrap();
/// assert_eq!(base.as_str(), "https://api.example.com/v1");
/// assert!(BaseUrl::parse("https://api.example.com\r\nSet-Cookie: a=b").is_err());
/// assert!(BaseUrl::parse("ftp://api.example.com").is_err());
/// assert!(BaseUrl::parse("/customers").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Reads a base URL.
    ///
    /// # Errors
    /// A `pattern` violation at the root path, naming the part of the rule that failed.
    pub fn parse(text: &str) -> Result<BaseUrl, ValidationError> {
        let invalid = |reason| ValidationError::single(ViolationKind::InvalidUri { reason });
        crate::lead_source::absolute_uri(text).map_err(invalid)?;
        let (scheme, rest) = text.split_once(':').unwrap_or_default();
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return Err(invalid("the scheme must be http or https"));
        }
        let host = rest
            .strip_prefix("//")
            .map(|authority| authority.split('/').next().unwrap_or_default());
        if host.is_none_or(str::is_empty) {
            return Err(invalid("it must name a host (scheme://host)"));
        }
        if rest.contains(['?', '#']) {
            return Err(invalid(
                "links are built under it: it may hold no query or fragment",
            ));
        }
        Ok(BaseUrl(text.trim_end_matches('/').to_owned()))
    }

    /// The URL, without trailing slashes.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Parses a literal known to be valid, for constants and tests.
    ///
    /// # Panics
    /// When `text` breaks the rule.
    #[track_caller]
    #[must_use]
    pub fn from_static(text: &'static str) -> BaseUrl {
        match BaseUrl::parse(text) {
            Ok(base) => base,
            Err(error) => panic!("invalid BaseUrl literal: {error}"),
        }
    }
}

impl std::str::FromStr for BaseUrl {
    type Err = ValidationError;
    fn from_str(text: &str) -> Result<BaseUrl, ValidationError> {
        BaseUrl::parse(text)
    }
}

impl std::fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The relation of a link in `_links`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LinkRel {
    /// `self`
    SelfLink,
    /// `attachments`
    Attachments,
    /// `defaultPaymentInstrument`
    DefaultPaymentInstrument,
    /// `leadSource`
    LeadSource,
    /// `website`
    Website,
}

impl LinkRel {
    /// The relation as the API spells it.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            LinkRel::SelfLink => "self",
            LinkRel::Attachments => "attachments",
            // The relation is named after the member it links.
            LinkRel::DefaultPaymentInstrument => {
                crate::members::CustomerMember::DefaultPaymentInstrument.key_const()
            }
            LinkRel::LeadSource => "leadSource",
            LinkRel::Website => "website",
        }
    }

    /// Every relation.
    pub(crate) const ALL: [LinkRel; 5] = [
        LinkRel::SelfLink,
        LinkRel::Attachments,
        LinkRel::DefaultPaymentInstrument,
        LinkRel::LeadSource,
        LinkRel::Website,
    ];

    /// The relation spelled `text`.
    ///
    /// ```
    /// use rebilly_customer::LinkRel;
    /// assert_eq!(LinkRel::parse("leadSource").unwrap(), LinkRel::LeadSource);
    /// assert!(LinkRel::parse("LeadSource").is_err());
    /// ```
    ///
    /// # Errors
    /// `pattern` when `text` is none of the five relations.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|rel| rel.as_str() == text)
            .ok_or_else(|| {
                ValidationError::single(ViolationKind::Pattern {
                    allowed: "self, attachments, defaultPaymentInstrument, leadSource or website",
                })
            })
    }
}

/// One item of `_links`. A customer read from a newer API may hold relations this version
/// does not know: they are kept, with their text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Link {
    rel: Named<LinkRel>,
    href: String,
    others: OtherMembers,
}

impl Link {
    /// A link.
    #[must_use]
    pub fn new(rel: LinkRel, href: String) -> Self {
        Link {
            rel: Named::Known(rel),
            href,
            others: OtherMembers::new(),
        }
    }
    /// The relation, or `None` for one this version does not know (see [`Link::rel_name`]).
    #[must_use]
    pub fn rel(&self) -> Option<LinkRel> {
        self.rel.known()
    }
    /// The relation as the API spells it, known or not.
    #[must_use]
    pub fn rel_name(&self) -> &str {
        self.rel.as_str(LinkRel::as_str)
    }
    /// The members a newer API added to the link, kept as read.
    #[must_use]
    pub fn other_members(&self) -> &OtherMembers {
        &self.others
    }
    /// The URL.
    #[must_use]
    pub fn href(&self) -> &str {
        &self.href
    }
}

json_object! {
    /// The members of an item of `_links`.
    pub(crate) enum LinkMember {
        Rel = "rel", required;
        Href = "href", required;
    }
}

impl Described for Link {
    type Member = LinkMember;

    fn fields<F: Fields<LinkMember>>(&self, fields: &mut F) {
        for member in LinkMember::ALL {
            match member {
                LinkMember::Rel => fields.field(*member, self.rel_name()),
                LinkMember::Href => fields.field(*member, self.href.as_str()),
            }
        }
    }

    fn other_members(&self) -> &OtherMembers {
        &self.others
    }
}

serialize_described!(Link);

/// A customer's `_links`, for the writers.
pub(crate) struct Links<'a>(pub(crate) &'a [Link]);

impl Serialize for Links<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0)
    }
}

impl WriteJson for Links<'_> {
    fn write_json(&self, out: &mut JsonOut) {
        object::write_array(self.0, out);
    }
}

#[derive(Clone, Copy)]
struct LinkShape;

impl<'de> Shape<'de> for LinkShape {
    type Out = Link;
    const EXPECTED: &'static str = "an object";
    fn on_map<A: MapAccess<'de>>(self, c: &mut Collector, map: A) -> Result<Got<Link>, A::Error> {
        let mark = c.mark();
        let (mut rel, mut href) = (None, None);
        let mut others = OtherMembers::new();
        let seen = de::object_members_keeping(c, map, &mut others, |c, member, map| {
            match member {
                LinkMember::Rel => rel = c.read(map, member, de::RawShape)?.value(),
                LinkMember::Href => href = c.read(map, member, de::RawShape)?.value(),
            }
            Ok(())
        })?;
        c.missing::<LinkMember>(seen);
        let present = |member: LinkMember| seen & member.bit() != 0;
        let rel = match rel {
            Some(de::Raw::Text(text)) => match LinkRel::parse(&text) {
                Ok(rel) => Some(Named::Known(rel)),
                Err(_) if c.keep_others => Some(Named::Other(text.into_boxed_str())),
                Err(_) => None,
            },
            _ => None,
        };
        let href = match href {
            Some(de::Raw::Text(text)) => Some(text),
            _ => None,
        };
        if rel.is_none() && present(LinkMember::Rel) {
            c.report_at(
                LinkMember::Rel.key(),
                ViolationKind::Pattern {
                    allowed: "self, attachments, defaultPaymentInstrument, leadSource or website",
                },
            );
        }
        if href.is_none() && present(LinkMember::Href) {
            c.report_at(
                LinkMember::Href.key(),
                ViolationKind::Type {
                    expected: "a string",
                    nullable: false,
                },
            );
        }
        match (rel, href) {
            (Some(rel), Some(href)) if c.clean_since(mark) => {
                Ok(Got::Value(Link { rel, href, others }))
            }
            _ => Ok(Got::Invalid),
        }
    }
}

#[derive(Clone, Copy)]
pub(super) struct LinksShape;

impl<'de> Shape<'de> for LinksShape {
    type Out = Vec<Link>;
    const EXPECTED: &'static str = "an array";
    fn on_seq<A: SeqAccess<'de>>(
        self,
        c: &mut Collector,
        seq: A,
    ) -> Result<Got<Vec<Link>>, A::Error> {
        let (links, all_valid) = de::indexed_items(c, seq, LinkShape)?;
        Ok(if all_valid {
            Got::Value(links.into_iter().map(|(_, link)| link).collect())
        } else {
            Got::Invalid
        })
    }
}

/// Writes `segment` as one URL path segment: RFC 3986 unreserved characters as they are, every
/// other byte of its UTF-8 as `%XX`. A website or instrument id may hold any character, and a `/`
/// or `?` left raw would point the link somewhere else.
pub(crate) fn push_path_segment(url: &mut String, segment: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let unreserved =
        |byte: u8| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~');
    // The usual id is unreserved throughout and goes in at once.
    if segment
        .bytes()
        .fold(true, |all, byte| all & unreserved(byte))
    {
        url.push_str(segment);
        return;
    }
    for byte in segment.bytes() {
        if unreserved(byte) {
            url.push(char::from(byte));
        } else {
            url.push('%');
            url.push(char::from(HEX[usize::from(byte >> 4)]));
            url.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

/// `{base}/{collection}/{segment}`; `encode` is false only for the customer id, whose rule
/// (`\w`, `@`, `~`, `-`, `.`) already keeps it URL-safe.
pub(crate) fn resource_url(base: &str, collection: &str, id: &str, encode: bool) -> String {
    let mut url = String::with_capacity(base.len() + collection.len() + id.len() + 2);
    url.push_str(base);
    url.push('/');
    url.push_str(collection);
    url.push('/');
    if encode {
        push_path_segment(&mut url, id);
    } else {
        url.push_str(id);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_keep_only_unreserved_characters() {
        let mut url = String::new();
        push_path_segment(&mut url, "web 1/é?#%~._-Az9");
        assert_eq!(url, "web%201%2F%C3%A9%3F%23%25~._-Az9");
        // Unreserved throughout: copied as it is.
        let mut url = String::from("/");
        push_path_segment(&mut url, "web_0YV7~.-z");
        assert_eq!(url, "/web_0YV7~.-z");
    }

    #[test]
    fn customer_ids_go_in_as_they_are() {
        assert_eq!(
            resource_url("https://x", "customers", "a@b", false),
            "https://x/customers/a@b"
        );
        assert_eq!(
            resource_url("https://x", "websites", "a@b", true),
            "https://x/websites/a%40b"
        );
    }
}

#[cfg(test)]
mod base_url_tests {
    use super::BaseUrl;

    #[test]
    fn http_and_https_urls_with_a_host_are_base_urls() {
        for (text, kept) in [
            ("https://api.example.com", "https://api.example.com"),
            ("HTTP://localhost:8080//", "HTTP://localhost:8080"),
            ("https://[::1]/v1/", "https://[::1]/v1"),
            ("https://a.example/%7Euser", "https://a.example/%7Euser"),
        ] {
            assert_eq!(BaseUrl::parse(text).unwrap().as_str(), kept, "{text}");
        }
    }

    #[test]
    fn anything_else_is_a_pattern_violation() {
        for text in [
            "",
            "https:",
            "https:/api.example.com",
            "https:///path",
            "mailto:a@example.com",
            "https://api.example.com/\r\n",
            "https://api.example.com/\t",
            "https://api.example.com/\u{85}",
            "https://api.example.com/a b",
            "https://api.example.com/#top",
            "https://api.example.com?q",
            "https://api.example.com/%zz",
        ] {
            let error = BaseUrl::parse(text).unwrap_err();
            assert_eq!(
                error.codes(),
                [crate::error::ErrorCode::Pattern],
                "{text:?}"
            );
        }
    }
}
