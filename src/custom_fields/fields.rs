//! A customer's custom fields and a request's patch of them: names of 1 to 60 of `\w` and `-`,
//! any JSON values, merged as RFC 7396 JSON Merge Patch.

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use serde::de::{MapAccess, SeqAccess};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::de::{self, Collector, Got, Json, RawValues, Seed, Shape, Skip};
use crate::text::{CUSTOM_FIELD_NAME_CLASS, TextRule};

use super::value::{CustomFieldValue, MAX_NESTING, read_exact};

const CUSTOM_FIELD_NAME_RULE: TextRule = TextRule {
    max: Some(60),
    non_empty: true,
    class: Some(&CUSTOM_FIELD_NAME_CLASS),
};

rule_text!(
    /// The name of a custom field: 1 to 60 of ASCII letters, digits, `_` and `-` (deviation: the
    /// resource schema does not restrict names; this is the rule of the API's custom-field paths).
    CustomFieldName,
    CUSTOM_FIELD_NAME_RULE
);

/// Maps keyed by name are looked up with a `&str`: the derived `Ord`, `Eq` and `Hash` are those
/// of the text, as `Borrow` requires.
impl Borrow<str> for CustomFieldName {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// A customer's custom fields: names to JSON values, ordered by name.
///
/// Numbers compare by value, at any depth: a field holding `1.0` equals one holding `1`, so a
/// client that sends back what it read changes nothing. Each number keeps the text it was
/// written with ([`JsonNumber`](super::JsonNumber)), and is rendered so.
///
/// ```
/// use rebilly_customer::CustomFields;
/// let fields: CustomFields = serde_json::from_str(r#"{"tier": "gold", "score": 7}"#).unwrap();
/// assert_eq!(fields.get("tier").and_then(|v| v.as_str()), Some("gold"));
/// assert!(serde_json::from_str::<CustomFields>(r#"{"bad name": 1}"#).is_err());
///
/// let same: CustomFields = serde_json::from_str(r#"{"score": 7.0, "tier": "gold"}"#).unwrap();
/// assert_eq!(fields, same);
/// // An empty list is read as no fields (PHP clients cannot tell it from `{}`).
/// assert!(serde_json::from_str::<CustomFields>("[]").unwrap().is_empty());
/// ```
#[derive(Clone, Debug, Default)]
pub struct CustomFields(BTreeMap<CustomFieldName, CustomFieldValue>);

impl PartialEq for CustomFields {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|((a, x), (b, y))| a == b && x == y)
    }
}

impl Eq for CustomFields {}

impl CustomFields {
    /// No custom fields.
    #[must_use]
    pub fn new() -> Self {
        CustomFields::default()
    }

    /// The value of a field.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&CustomFieldValue> {
        self.0.get(name)
    }

    /// Sets a field; `null` members inside objects are removed, as a merge patch would.
    pub fn insert(&mut self, name: CustomFieldName, value: impl Into<CustomFieldValue>) {
        let mut value = value.into();
        value.strip_nulls();
        self.0.insert(name, value);
    }

    /// Removes a field, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<CustomFieldValue> {
        self.0.remove(name)
    }

    /// The fields, ordered by name.
    pub fn iter(&self) -> impl Iterator<Item = (&CustomFieldName, &CustomFieldValue)> {
        self.0.iter()
    }

    /// How many fields there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Applies a merge patch member by member (RFC 7396): `null` deletes a field, an object merges
    /// recursively into an object, anything else replaces. A value equal to the one there (numbers
    /// by value) leaves the stored one as it is.
    pub fn apply_patch(&mut self, patch: CustomFieldsPatch) {
        for (name, value) in patch.0 {
            self.apply_member(name, value);
        }
    }

    /// One member of a merge patch: `None` (`null`) deletes, a value merges in. Returns whether
    /// the field's value changed.
    pub(crate) fn apply_member(
        &mut self,
        name: CustomFieldName,
        value: Option<CustomFieldValue>,
    ) -> bool {
        match value {
            None => self.0.remove(&name).is_some(),
            Some(value) => match self.0.entry(name) {
                Entry::Occupied(mut slot) => merge_patch(slot.get_mut(), value),
                Entry::Vacant(slot) => {
                    merge_patch(slot.insert(CustomFieldValue::Null), value);
                    true
                }
            },
        }
    }
}

/// RFC 7396 section 2, `MergePatch(Target, Patch)`, done in place: returns whether `target`
/// changed. A leaf equal by value to the patch's (`1.0` and `1`) is left as it is, text and all.
pub(crate) fn merge_patch(target: &mut CustomFieldValue, patch: CustomFieldValue) -> bool {
    let CustomFieldValue::Object(patch) = patch else {
        if *target == patch {
            return false;
        }
        *target = patch;
        return true;
    };
    let mut changed = false;
    if !matches!(target, CustomFieldValue::Object(_)) {
        *target = CustomFieldValue::Object(BTreeMap::new());
        changed = true;
    }
    let CustomFieldValue::Object(target) = target else {
        unreachable!("made an object above")
    };
    for (key, value) in patch {
        if value.is_null() {
            changed |= target.remove(&key).is_some();
        } else {
            changed |= merge_patch(target.entry(key).or_insert(CustomFieldValue::Null), value);
        }
    }
    changed
}

impl Serialize for CustomFields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k.as_str(), v)))
    }
}

impl crate::json::WriteJson for CustomFields {
    fn write_json(&self, out: &mut crate::json::JsonOut) {
        out.object(self.0.iter().map(|(name, value)| (name.as_str(), value)));
    }
}

json_door!(
    CustomFields,
    "custom fields (`[]` as `{}`)",
    CustomFieldsShape,
    |patch| {
        let mut fields = CustomFields::new();
        fields.apply_patch(patch);
        fields
    }
);
json_door!(
    CustomFieldsPatch,
    "a request's `customFields`",
    CustomFieldsShape,
    |patch| patch
);

/// Reads the resource form; a `null` member means the field is not set.
impl<'de> Deserialize<'de> for CustomFields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let patch = de::deserialize_shape(deserializer, CustomFieldsShape)?;
        let mut fields = CustomFields::new();
        fields.apply_patch(patch);
        Ok(fields)
    }
}

/// A request's `customFields`: in document order, each name with a value or `None` for `null`
/// (delete). Numbers compare by value, as in [`CustomFields`].
#[derive(Clone, Debug, Default)]
pub struct CustomFieldsPatch(Vec<(CustomFieldName, Option<CustomFieldValue>)>);

impl PartialEq for CustomFieldsPatch {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && self.0.iter().zip(&other.0).all(|(x, y)| x == y)
    }
}

impl Eq for CustomFieldsPatch {}

impl CustomFieldsPatch {
    /// An empty patch.
    #[must_use]
    pub fn new() -> Self {
        CustomFieldsPatch::default()
    }

    /// Adds a member: `Some` sets or merges, `None` deletes.
    pub fn push(&mut self, name: CustomFieldName, value: Option<CustomFieldValue>) {
        self.0.push((name, value));
    }

    /// The members, in document order.
    #[must_use]
    pub fn members(&self) -> &[(CustomFieldName, Option<CustomFieldValue>)] {
        &self.0
    }

    pub(crate) fn into_members(self) -> Vec<(CustomFieldName, Option<CustomFieldValue>)> {
        self.0
    }
}

/// The patch that sets every field to its value (fields it lacks are kept, as RFC 7396 says).
impl From<&CustomFields> for CustomFieldsPatch {
    fn from(fields: &CustomFields) -> Self {
        CustomFieldsPatch(
            fields
                .0
                .iter()
                .map(|(name, value)| (name.clone(), Some(value.clone())))
                .collect(),
        )
    }
}

/// Renders the members in document order; a deletion is `null`.
impl Serialize for CustomFieldsPatch {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k.as_str(), v)))
    }
}

impl crate::json::WriteJson for CustomFieldsPatch {
    fn write_json(&self, out: &mut crate::json::JsonOut) {
        // A deletion (`None`) is written `null`.
        out.object(self.0.iter().map(|(name, value)| (name.as_str(), value)));
    }
}

impl<'de> Deserialize<'de> for CustomFieldsPatch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::deserialize_shape(deserializer, CustomFieldsShape)
    }
}

#[derive(Clone, Copy)]
pub(crate) struct CustomFieldsShape;

impl<'de> Shape<'de> for CustomFieldsShape {
    type Out = CustomFieldsPatch;
    const EXPECTED: &'static str = "an object";

    fn on_map<A: MapAccess<'de>>(
        self,
        c: &mut Collector,
        map: A,
    ) -> Result<Got<CustomFieldsPatch>, A::Error> {
        let mark = c.mark();
        let mut patch = CustomFieldsPatch::new();
        de::members(c, map, |c, key, map| {
            let value = field_value(c, map)?;
            match CustomFieldName::parse(key) {
                Ok(name) => patch.push(name, value),
                Err(error) => {
                    // Reported at the name as written: `customFields.` for an empty one.
                    c.enter(key.to_owned());
                    c.absorb(error);
                    c.leave();
                }
            }
            Ok(true)
        })?;
        Ok(if c.clean_since(mark) {
            Got::Value(patch)
        } else {
            Got::Invalid
        })
    }

    /// `[]` is read as `{}`: PHP clients (the official PHP SDK's read-modify-write among them)
    /// cannot tell an empty object from an empty list. Any other array is a type error.
    fn on_seq<A: SeqAccess<'de>>(
        self,
        c: &mut Collector,
        mut seq: A,
    ) -> Result<Got<CustomFieldsPatch>, A::Error> {
        match seq.next_element_seed(Seed::new(c, Skip, true))? {
            None => Ok(Got::Value(CustomFieldsPatch::new())),
            Some(_) => {
                while seq.next_element_seed(Seed::new(c, Skip, true))?.is_some() {}
                Ok(Got::Mismatch)
            }
        }
    }
}

/// One field's value, `None` for `null`. Read whole as the raw JSON it is and then built, so
/// that numbers keep their text; the checks serde_json leaves to the builder (a repeated name,
/// a lone surrogate, a number past the floats, nesting) fail as they would have in the document.
fn field_value<'de, A: MapAccess<'de>>(
    c: &mut Collector,
    map: &mut A,
) -> Result<Option<CustomFieldValue>, A::Error> {
    // Containers around the value: one per path segment, and the custom fields' own object.
    let depth_left = MAX_NESTING.saturating_sub(c.depth() + 1);
    let read = match c.raw_values {
        RawValues::Off => {
            let got = map.next_value_seed(Seed::new(c, Json, true))?;
            return Ok(got.value().map(CustomFieldValue::from));
        }
        RawValues::Borrowed { document_start } => {
            let raw: &'de RawValue = map.next_value()?;
            let offset = (raw.get().as_ptr() as usize).wrapping_sub(document_start);
            read_exact(raw.get(), depth_left).inspect_err(|error| {
                c.malformed_at = Some((error.message.clone(), offset + error.at));
            })
        }
        RawValues::Copied => {
            let raw: Box<RawValue> = map.next_value()?;
            read_exact(raw.get(), depth_left)
        }
    };
    match read {
        Ok(CustomFieldValue::Null) => Ok(None),
        Ok(value) => Ok(Some(value)),
        Err(error) => Err(serde::de::Error::custom(error.message)),
    }
}
