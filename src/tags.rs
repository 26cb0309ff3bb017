//! Customer tags (read-only): names, types, and the customer's rules for its tag list.

use std::collections::HashSet;

use serde::de::MapAccess;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::contract::{ByContract, Contract};
use crate::de::{self, Collector, Got, Shape, Text};
use crate::error::{FieldPath, ValidationError, Violation, ViolationKind};
use crate::ids::TagId;
use crate::object::{self, Described, Fields, Kept, Member, Named, OtherMembers, keys};
use crate::text::{TAG_NAME_CLASS, TAG_NAME_CLASS_2026_08, TextRule};
use crate::time::Timestamp;

const TAG_NAME_RULE: TextRule = TextRule {
    max: Some(255),
    non_empty: true,
    class: Some(&TAG_NAME_CLASS),
};

/// The tag name rule per revision: 2026-08 adds `+`.
static TAG_NAME_RULES: ByContract<TextRule> = ByContract::new(
    TAG_NAME_RULE,
    TextRule {
        max: Some(255),
        non_empty: true,
        class: Some(&TAG_NAME_CLASS_2026_08),
    },
);

/// The tag types of each revision, with the message that lists them: 2026-08 adds `aml-check`.
static TAG_TYPES: ByContract<(&[TagType], &str)> = ByContract::new(
    (
        &[TagType::Customer, TagType::KycDocument],
        "must be customer or kyc-document",
    ),
    (
        &[TagType::Customer, TagType::KycDocument, TagType::AmlCheck],
        "must be customer, kyc-document or aml-check",
    ),
);

contract_text!(
    /// A tag name: 1 to 255 of ASCII letters, digits, `_`, ECMA whitespace and `@` `~` `-` `.`
    /// (and `+` under 2026-08). Tag names compare case-insensitively within a customer.
    ///
    /// ```
    /// use rebilly_customer::{Contract, TagName};
    /// assert!(TagName::parse("a+b").is_err());
    /// assert!(TagName::parse_for("a+b", Contract::Rebilly2026_08).is_ok());
    /// ```
    TagName,
    TAG_NAME_RULES
);

/// The type of a tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum TagType {
    /// `customer`: the only type a customer's tags may have.
    Customer,
    /// `kyc-document`.
    KycDocument,
    /// `aml-check` (2026-08 only).
    AmlCheck,
}

impl TagType {
    /// The tag types of `contract`.
    #[must_use]
    pub fn of(contract: Contract) -> &'static [TagType] {
        TAG_TYPES.get(contract).0
    }

    /// Parses a tag type of the default revision: `customer` or `kyc-document`.
    ///
    /// # Errors
    /// `tag` for anything else.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        Self::parse_for(text, Contract::Seed2023_01)
    }

    /// Parses a tag type of `contract` (2026-08 adds `aml-check`).
    ///
    /// # Errors
    /// `tag` for a type the revision does not have.
    ///
    /// ```
    /// use rebilly_customer::{Contract, TagType};
    /// assert!(TagType::parse("aml-check").is_err());
    /// assert_eq!(TagType::parse_for("aml-check", Contract::Rebilly2026_08).unwrap(), TagType::AmlCheck);
    /// ```
    pub fn parse_for(text: &str, contract: Contract) -> Result<Self, ValidationError> {
        let (types, reason) = *TAG_TYPES.get(contract);
        types
            .iter()
            .copied()
            .find(|known| known.as_str() == text)
            .ok_or_else(|| ValidationError::single(ViolationKind::Tag { reason }))
    }

    /// The type as the API spells it.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            TagType::Customer => "customer",
            TagType::KycDocument => "kyc-document",
            TagType::AmlCheck => "aml-check",
        }
    }
}

impl std::fmt::Display for TagType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for TagType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A tag as it appears in a customer's `tags`. A customer read from a newer API may hold tag
/// types this version does not know, and members it does not know: both are kept as read.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Tag {
    name: TagName,
    tag_type: Named<TagType>,
    id: Option<TagId>,
    created_time: Option<Timestamp>,
    updated_time: Option<Timestamp>,
    /// The tag's own `_links`, as read.
    links: Option<Kept>,
    others: OtherMembers,
}

impl Tag {
    /// A tag with a name and type and no id or times.
    #[must_use]
    pub fn new(name: TagName, tag_type: TagType) -> Self {
        Tag {
            name,
            tag_type: Named::Known(tag_type),
            id: None,
            created_time: None,
            updated_time: None,
            links: None,
            others: OtherMembers::new(),
        }
    }

    /// The same tag with its id and times.
    #[must_use]
    pub fn with_metadata(
        mut self,
        id: Option<TagId>,
        created_time: Option<Timestamp>,
        updated_time: Option<Timestamp>,
    ) -> Self {
        self.id = id;
        self.created_time = created_time;
        self.updated_time = updated_time;
        self
    }

    /// The name.
    #[must_use]
    pub fn name(&self) -> &TagName {
        &self.name
    }
    /// The type, or `None` for one this version does not know (see [`Tag::type_name`]).
    #[must_use]
    pub fn tag_type(&self) -> Option<TagType> {
        self.tag_type.known()
    }
    /// The type as the API spells it, known or not.
    #[must_use]
    pub fn type_name(&self) -> &str {
        self.tag_type.as_str(TagType::as_str)
    }
    /// The tag's own `_links`, as read (its JSON text).
    #[must_use]
    pub fn links(&self) -> Option<&serde_json::value::RawValue> {
        self.links.as_ref().map(Kept::raw)
    }
    /// The members a newer API added to the tag, kept as read.
    #[must_use]
    pub fn other_members(&self) -> &OtherMembers {
        &self.others
    }
    /// The id, if known.
    #[must_use]
    pub fn id(&self) -> Option<&TagId> {
        self.id.as_ref()
    }
    /// When the tag was created, if known.
    #[must_use]
    pub fn created_time(&self) -> Option<Timestamp> {
        self.created_time
    }
    /// When the tag was last updated, if known.
    #[must_use]
    pub fn updated_time(&self) -> Option<Timestamp> {
        self.updated_time
    }
}

json_object! {
    /// The members of a tag, in the order it is rendered.
    pub(crate) enum TagMember {
        Name = keys::NAME, required;
        Type = keys::TYPE, required;
        Id = keys::ID;
        CreatedTime = keys::CREATED_TIME;
        UpdatedTime = keys::UPDATED_TIME;
        /// The tag's own links: kept as read, not judged.
        Links = keys::LINKS, read_only;
    }
}

/// `name` and `type`, then the id and times that are known.
impl Described for Tag {
    type Member = TagMember;

    fn fields<F: Fields<TagMember>>(&self, fields: &mut F) {
        for member in TagMember::ALL {
            let member = *member;
            match member {
                TagMember::Name => fields.field(member, &self.name),
                TagMember::Type => fields.field(member, self.type_name()),
                TagMember::Id => {
                    if let Some(id) = &self.id {
                        fields.field(member, id);
                    }
                }
                TagMember::CreatedTime => {
                    if let Some(time) = &self.created_time {
                        fields.field(member, time);
                    }
                }
                TagMember::UpdatedTime => {
                    if let Some(time) = &self.updated_time {
                        fields.field(member, time);
                    }
                }
                TagMember::Links => {
                    if let Some(links) = &self.links {
                        fields.field(member, links);
                    }
                }
            }
        }
    }

    fn other_members(&self) -> &OtherMembers {
        &self.others
    }
}

serialize_described!(Tag);

impl<'de> Deserialize<'de> for Tag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::deserialize_shape(deserializer, TagShape)
    }
}

#[derive(Clone, Copy)]
pub(crate) struct TagShape;

impl<'de> Shape<'de> for TagShape {
    type Out = Tag;
    const EXPECTED: &'static str = "an object";

    fn on_map<A: MapAccess<'de>>(self, c: &mut Collector, map: A) -> Result<Got<Tag>, A::Error> {
        let mark = c.mark();
        let (mut name, mut tag_type, mut id, mut created, mut updated) =
            (None, None, None, None, None);
        let (mut links, mut others) = (None, OtherMembers::new());
        let seen = de::object_members_keeping(c, map, &mut others, |c, member, map| {
            match member {
                TagMember::Name => name = c.read(map, member, Text::<TagName>::new())?.value(),
                TagMember::Type => {
                    tag_type = if c.keep_others {
                        c.read(map, member, de::RawShape)?
                            .value()
                            .and_then(|raw| match raw {
                                de::Raw::Text(text) => {
                                    Some(match TagType::parse_for(&text, c.contract) {
                                        Ok(known) => Named::Known(known),
                                        Err(_) => Named::Other(text.into_boxed_str()),
                                    })
                                }
                                de::Raw::NotText => {
                                    c.report_at(
                                        member.key(),
                                        ViolationKind::Type {
                                            expected: "a string",
                                            nullable: false,
                                        },
                                    );
                                    None
                                }
                            })
                    } else {
                        c.read(map, member, Text::<TagType>::new())?
                            .value()
                            .map(Named::Known)
                    };
                }
                TagMember::Id => id = c.read(map, member, Text::<TagId>::new())?.value(),
                TagMember::CreatedTime => {
                    created = c.read(map, member, Text::<Timestamp>::new())?.value();
                }
                TagMember::UpdatedTime => {
                    updated = c.read(map, member, Text::<Timestamp>::new())?.value();
                }
                TagMember::Links => {
                    links = Some(de::kept_as_read(map)?);
                }
            }
            Ok(())
        })?;
        c.missing::<TagMember>(seen);
        match (name, tag_type) {
            (Some(name), Some(tag_type)) if c.clean_since(mark) => Ok(Got::Value(Tag {
                name,
                tag_type,
                id,
                created_time: created,
                updated_time: updated,
                links,
                others,
            })),
            _ => Ok(Got::Invalid),
        }
    }
}

/// A customer's tags: every one of type `customer`, no two names equal ignoring case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CustomerTags(Vec<Tag>);

impl CustomerTags {
    /// Checks the customer's rules for its tags.
    ///
    /// # Errors
    /// `tag` at the index of each tag that is not a customer tag or repeats an earlier name.
    ///
    /// ```
    /// use rebilly_customer::{CustomerTags, Tag, TagName, TagType};
    /// let tag = |name| Tag::new(TagName::from_static(name), TagType::Customer);
    /// assert!(CustomerTags::new(vec![tag("vip"), tag("new")]).is_ok());
    /// assert!(CustomerTags::new(vec![tag("vip"), tag("VIP")]).is_err());
    /// ```
    pub fn new(tags: Vec<Tag>) -> Result<Self, ValidationError> {
        let violations = tag_rules(tags.iter().enumerate(), TypeRule::CustomerOnly);
        if violations.is_empty() {
            Ok(CustomerTags(tags))
        } else {
            Err(ValidationError::new(violations))
        }
    }

    /// The tags, in order.
    #[must_use]
    pub fn tags(&self) -> &[Tag] {
        &self.0
    }
}

impl Serialize for CustomerTags {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl crate::json::WriteJson for CustomerTags {
    fn write_json(&self, out: &mut crate::json::JsonOut) {
        object::write_array(&self.0, out);
    }
}

/// Whether a list of tags must hold customer tags only.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TypeRule {
    CustomerOnly,
    /// A customer read from a newer API: a tag type it added is kept, not refused.
    AnyType,
}

/// The customer's rules for its tags, each tag with its index in the list: every tag of type
/// `customer`, no name repeated ignoring case. One set look-up per tag, so a list of 100,000
/// tags costs 100,000 look-ups.
fn tag_rules<'t>(tags: impl Iterator<Item = (usize, &'t Tag)>, types: TypeRule) -> Vec<Violation> {
    let mut violations = Vec::new();
    let mut seen: HashSet<String> = HashSet::with_capacity(tags.size_hint().0);
    for (i, tag) in tags {
        if types == TypeRule::CustomerOnly && tag.tag_type != Named::Known(TagType::Customer) {
            violations.push(Violation::new(
                FieldPath::root().join(i).join(TagMember::Type.key()),
                ViolationKind::Tag {
                    reason: "a customer's tags must have type customer",
                },
            ));
        }
        if !seen.insert(tag.name.as_str().to_lowercase()) {
            violations.push(Violation::new(
                FieldPath::root().join(i).join(TagMember::Name.key()),
                ViolationKind::Tag {
                    reason: "tag names must be unique, ignoring case",
                },
            ));
        }
    }
    violations
}

#[derive(Clone, Copy)]
pub(crate) struct CustomerTagsShape;

impl<'de> Shape<'de> for CustomerTagsShape {
    type Out = CustomerTags;
    const EXPECTED: &'static str = "an array";

    fn on_seq<A: serde::de::SeqAccess<'de>>(
        self,
        c: &mut Collector,
        seq: A,
    ) -> Result<Got<CustomerTags>, A::Error> {
        // Each readable tag keeps its index, so a tag that breaks the list's rules is reported
        // where it is, even when an earlier tag was refused for its own errors.
        let (tags, all_valid) = de::indexed_items(c, seq, TagShape)?;
        let types = if c.keep_others {
            TypeRule::AnyType
        } else {
            TypeRule::CustomerOnly
        };
        let violations = tag_rules(tags.iter().map(|(i, tag)| (*i, tag)), types);
        if !violations.is_empty() {
            c.absorb(ValidationError::new(violations));
            return Ok(Got::Invalid);
        }
        Ok(if all_valid {
            Got::Value(CustomerTags(tags.into_iter().map(|(_, tag)| tag).collect()))
        } else {
            Got::Invalid
        })
    }
}

json_door!(Tag, "a tag", TagShape, |tag| tag);
json_door!(
    CustomerTags,
    "a customer's tags",
    CustomerTagsShape,
    |tags| tags
);

impl<'de> Deserialize<'de> for CustomerTags {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::deserialize_shape(deserializer, CustomerTagsShape)
    }
}

parse_door!(TagType, by_contract);
