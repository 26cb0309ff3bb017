//! The email and phone lists of a contact, with the at-most-one-primary rule.

use serde::de::{MapAccess, SeqAccess};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::contact::{EmailAddress, Label, PhoneNumber};
use crate::de::{self, Bool, Collector, Got, ParseText, Shape, Text};
use crate::error::{ValidationError, ViolationKind};
use crate::object::{self, Described, Fields, Member, OtherMembers};

json_object! {
    /// The members of an item of `emails` or `phoneNumbers`.
    pub(crate) enum ItemMember {
        Label = "label", required;
        Value = "value", required;
        /// An absent `primary` means false.
        Primary = "primary";
    }
}

/// One item of an email or phone list: a label, a value and whether it is the primary one.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ListItem<V> {
    label: Label,
    value: V,
    primary: bool,
    others: OtherMembers,
}

/// An item of `primaryAddress.emails`.
pub type ContactEmail = ListItem<EmailAddress>;
/// An item of `primaryAddress.phoneNumbers`.
pub type ContactPhone = ListItem<PhoneNumber>;

/// An item from plain text, for [`ListItem::parse`].
fn parse_item<V: ParseText>(
    label: &str,
    value: &str,
    primary: bool,
) -> Result<ListItem<V>, ValidationError> {
    let at = |member: ItemMember, error: ValidationError| {
        let segment = [member.key().into()];
        error.into_iter().map(move |v| v.prefixed(&segment))
    };
    match (
        Label::parse(label),
        V::parse_text(value, crate::contract::Contract::Seed2023_01),
    ) {
        (Ok(label), Ok(value)) => Ok(ListItem::new(label, value, primary)),
        (label, value) => {
            let mut violations = Vec::new();
            if let Err(error) = label {
                violations.extend(at(ItemMember::Label, error));
            }
            if let Err(error) = value {
                violations.extend(at(ItemMember::Value, error));
            }
            Err(ValidationError::new(violations))
        }
    }
}

impl ListItem<EmailAddress> {
    /// An item from plain text: the label and the value each with its rules.
    ///
    /// ```
    /// use rebilly_customer::ContactEmail;
    /// let item = ContactEmail::parse("main", "Ann@Example.COM", true).unwrap();
    /// assert_eq!(item.value().as_str(), "Ann@example.com");
    /// let error = ContactEmail::parse(&"x".repeat(46), "nope", false).unwrap_err();
    /// let fields: Vec<String> = error.violations().iter().map(|v| v.field().to_string()).collect();
    /// assert_eq!(fields, ["label", "value"]);
    /// ```
    ///
    /// # Errors
    /// Every violation of the label and the value, at `label` and `value`.
    pub fn parse(label: &str, value: &str, primary: bool) -> Result<Self, ValidationError> {
        parse_item(label, value, primary)
    }
}

impl ListItem<PhoneNumber> {
    /// An item from plain text: the label and the value each with its rules.
    ///
    /// # Errors
    /// Every violation of the label and the value, at `label` and `value`.
    pub fn parse(label: &str, value: &str, primary: bool) -> Result<Self, ValidationError> {
        parse_item(label, value, primary)
    }
}

impl<V> ListItem<V> {
    /// An item; every part is already valid, so this cannot fail.
    pub fn new(label: Label, value: V, primary: bool) -> Self {
        ListItem {
            label,
            value,
            primary,
            others: OtherMembers::new(),
        }
    }

    /// The label.
    pub fn label(&self) -> &Label {
        &self.label
    }

    /// The value.
    pub fn value(&self) -> &V {
        &self.value
    }

    /// Whether this is the primary item. An absent `primary` means false.
    pub fn is_primary(&self) -> bool {
        self.primary
    }

    /// The members a newer API added to the item, kept as read (see [`OtherMembers`]).
    pub fn other_members(&self) -> &OtherMembers {
        &self.others
    }
}

impl<V: AsRef<str>> Described for ListItem<V> {
    type Member = ItemMember;

    fn fields<F: Fields<ItemMember>>(&self, fields: &mut F) {
        fields.field(ItemMember::Label, self.label.as_str());
        fields.field(ItemMember::Value, self.value.as_ref());
        fields.field(ItemMember::Primary, &self.primary);
    }

    fn other_members(&self) -> &OtherMembers {
        &self.others
    }
}

impl<V: AsRef<str>> Serialize for ListItem<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        object::serialize(self, serializer)
    }
}

impl<'de, V: ParseText> Deserialize<'de> for ListItem<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Without a violation the item was built; `None` cannot come back here.
        de::deserialize_shape(deserializer, ItemShape::<V>::new())?
            .item
            .ok_or_else(|| serde::de::Error::custom("invalid list item"))
    }
}

/// A list of items of which at most one is primary (deviation: the schema does not say; two
/// primaries make the customer's `email` ambiguous).
///
/// ```
/// use rebilly_customer::{ContactEmail, EmailAddress, Label, PrimaryList};
/// let item = |primary| ContactEmail::new(
///     Label::from_static("main"), EmailAddress::from_static("a@example.com"), primary);
/// assert!(PrimaryList::new(vec![item(true), item(false)]).is_ok());
/// let err = PrimaryList::new(vec![item(true), item(true)]).unwrap_err();
/// assert_eq!(err.violations()[0].code().as_str(), "multiple_primary");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PrimaryList<V>(pub(super) Vec<ListItem<V>>);

impl<V> Default for PrimaryList<V> {
    fn default() -> Self {
        PrimaryList(Vec::new())
    }
}

impl<V> PrimaryList<V> {
    /// A list, if at most one item is primary.
    ///
    /// # Errors
    /// `multiple_primary` at the root when two or more items are primary.
    pub fn new(items: Vec<ListItem<V>>) -> Result<Self, ValidationError> {
        let count = items.iter().filter(|item| item.primary).count();
        if count > 1 {
            return Err(ValidationError::single(ViolationKind::MultiplePrimary {
                count,
            }));
        }
        Ok(PrimaryList(items))
    }

    /// The items, in order.
    #[must_use]
    pub fn items(&self) -> &[ListItem<V>] {
        &self.0
    }

    /// Whether the list is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The primary item, if any.
    #[must_use]
    pub fn primary(&self) -> Option<&ListItem<V>> {
        self.0.iter().find(|item| item.primary)
    }

    /// The primary item, else the first.
    #[must_use]
    pub fn preferred(&self) -> Option<&ListItem<V>> {
        self.primary().or_else(|| self.0.first())
    }
}

impl<V: AsRef<str>> Serialize for PrimaryList<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, V: ParseText> Deserialize<'de> for PrimaryList<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::deserialize_shape(deserializer, ListShape::<V>::new())
    }
}

/// Writes a list as its `Serialize` does.
impl<V: AsRef<str>> crate::json::WriteJson for PrimaryList<V> {
    fn write_json(&self, out: &mut crate::json::JsonOut) {
        object::write_array(&self.0, out);
    }
}

/// What reading one list item gave: the item when it is valid, and whether it says
/// `"primary": true` whatever else is wrong with it, so that two primaries are reported together
/// with an item's own errors.
pub(crate) struct ItemRead<V> {
    item: Option<ListItem<V>>,
    primary: bool,
}

/// Reads one list item: `label` and `value` required and non-null, `primary` an optional
/// non-null boolean.
pub(crate) struct ItemShape<V>(std::marker::PhantomData<fn() -> V>);

impl<V> ItemShape<V> {
    pub(crate) const fn new() -> Self {
        ItemShape(std::marker::PhantomData)
    }
}

impl<V> Clone for ItemShape<V> {
    fn clone(&self) -> Self {
        ItemShape::new()
    }
}

impl<'de, V: ParseText> Shape<'de> for ItemShape<V> {
    type Out = ItemRead<V>;
    const EXPECTED: &'static str = "an object";

    fn on_map<A: MapAccess<'de>>(
        self,
        c: &mut Collector,
        map: A,
    ) -> Result<Got<Self::Out>, A::Error> {
        let mark = c.mark();
        let (mut label, mut value, mut primary) = (None, None, Some(false));
        let mut others = OtherMembers::new();
        let seen = de::object_members_keeping(c, map, &mut others, |c, member, map| {
            match member {
                ItemMember::Label => label = c.read(map, member, Text::<Label>::new())?.value(),
                ItemMember::Value => value = c.read(map, member, Text::<V>::new())?.value(),
                ItemMember::Primary => primary = c.read(map, member, Bool)?.value(),
            }
            Ok(())
        })?;
        c.missing::<ItemMember>(seen);
        let says_primary = primary == Some(true);
        let item = match (label, value, primary) {
            (Some(label), Some(value), Some(primary)) if c.clean_since(mark) => Some(ListItem {
                others,
                ..ListItem::new(label, value, primary)
            }),
            _ => None,
        };
        Ok(Got::Value(ItemRead {
            item,
            primary: says_primary,
        }))
    }
}

/// Reads a whole list; two primaries are one violation on the list itself, counted over every
/// item that says `"primary": true`, valid or not.
pub(crate) struct ListShape<V>(std::marker::PhantomData<fn() -> V>);

impl<V> ListShape<V> {
    pub(crate) const fn new() -> Self {
        ListShape(std::marker::PhantomData)
    }
}

impl<'de, V: ParseText> Shape<'de> for ListShape<V> {
    type Out = PrimaryList<V>;
    const EXPECTED: &'static str = "an array";

    fn on_seq<A: SeqAccess<'de>>(
        self,
        c: &mut Collector,
        seq: A,
    ) -> Result<Got<Self::Out>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        let (mut all_valid, mut primaries) = (true, 0);
        de::each_item(c, seq, ItemShape::<V>::new(), |_, got| match got {
            Got::Value(read) => {
                primaries += usize::from(read.primary);
                match read.item {
                    Some(item) => items.push(item),
                    None => all_valid = false,
                }
            }
            _ => all_valid = false,
        })?;
        if primaries > 1 {
            c.report(ViolationKind::MultiplePrimary { count: primaries });
            return Ok(Got::Invalid);
        }
        Ok(if all_valid {
            Got::Value(PrimaryList(items))
        } else {
            Got::Invalid
        })
    }
}
