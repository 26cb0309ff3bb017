//! Custom fields: a JSON object of any values under names of 1 to 60 of `\w` and `-`, merged as
//! RFC 7396 JSON Merge Patch.

mod definitions;

use std::collections::BTreeMap;

use serde::de::MapAccess;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::de::{self, Collector, Got, Json, Seed, Shape};
use crate::text::{CUSTOM_FIELD_NAME_CLASS, TextRule};

pub use definitions::{
    ARRAY_ITEM_MAX, ARRAY_MAX_ITEMS, CustomFieldDefinition, CustomFieldDefinitions,
    CustomFieldType, STRING_DEFAULT_MAX, STRING_MAX_LIMIT,
};

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

/// A customer's custom fields: names to JSON values, ordered by name.
///
/// ```
/// use rebilly_customer::CustomFields;
/// let fields: CustomFields = serde_json::from_str(r#"{"tier": "gold", "score": 7}"#).unwrap();
/// assert_eq!(fields.get("tier"), Some(&serde_json::json!("gold")));
/// assert!(serde_json::from_str::<CustomFields>(r#"{"bad name": 1}"#).is_err());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomFields(BTreeMap<CustomFieldName, Value>);

impl CustomFields {
    /// No custom fields.
    pub fn new() -> Self {
        CustomFields::default()
    }

    /// The value of a field.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0
            .iter()
            .find(|(k, _)| k.as_str() == name)
            .map(|(_, v)| v)
    }

    /// Sets a field; `null` members inside objects are removed, as a merge patch would.
    pub fn insert(&mut self, name: CustomFieldName, mut value: Value) {
        strip_nulls(&mut value);
        self.0.insert(name, value);
    }

    /// Removes a field, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        let key = CustomFieldName::parse(name).ok()?;
        self.0.remove(&key)
    }

    /// The fields, ordered by name.
    pub fn iter(&self) -> impl Iterator<Item = (&CustomFieldName, &Value)> {
        self.0.iter()
    }

    /// How many fields there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Applies a merge patch member by member (RFC 7396): `null` deletes a field, an object merges
    /// recursively into an object, anything else replaces.
    pub fn apply_patch(&mut self, patch: CustomFieldsPatch) {
        for (name, value) in patch.0 {
            self.apply_member(name, value);
        }
    }

    /// One member of a merge patch: `None` (`null`) deletes, a value merges in.
    pub(crate) fn apply_member(&mut self, name: CustomFieldName, value: Option<Value>) {
        match value {
            None => {
                self.0.remove(&name);
            }
            Some(value) => {
                let slot = self.0.entry(name).or_insert(Value::Null);
                merge_patch(slot, value);
            }
        }
    }

    /// The value of a field, by its checked name.
    pub(crate) fn get_named(&self, name: &CustomFieldName) -> Option<&Value> {
        self.0.get(name)
    }
}

/// RFC 7396 section 2, `MergePatch(Target, Patch)`.
pub(crate) fn merge_patch(target: &mut Value, patch: Value) {
    let Value::Object(patch) = patch else {
        *target = patch;
        return;
    };
    if !target.is_object() {
        *target = Value::Object(serde_json::Map::new());
    }
    let Value::Object(target) = target else {
        unreachable!("made an object above")
    };
    for (key, value) in patch {
        if value.is_null() {
            target.remove(&key);
        } else {
            merge_patch(target.entry(key).or_insert(Value::Null), value);
        }
    }
}

fn strip_nulls(value: &mut Value) {
    if let Value::Object(map) = value {
        map.retain(|_, v| !v.is_null());
        map.values_mut().for_each(strip_nulls);
    }
}

impl Serialize for CustomFields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k.as_str(), v)))
    }
}

impl crate::json::WriteJson for CustomFields {
    fn write_json(&self, out: &mut crate::json::JsonOut) {
        out.object(self.0.iter().map(|(k, v)| (k.as_str(), v)));
    }
}

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
/// (delete).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomFieldsPatch(Vec<(CustomFieldName, Option<Value>)>);

impl CustomFieldsPatch {
    /// An empty patch.
    pub fn new() -> Self {
        CustomFieldsPatch::default()
    }

    /// Adds a member: `Some` sets or merges, `None` deletes.
    pub fn push(&mut self, name: CustomFieldName, value: Option<Value>) {
        self.0.push((name, value));
    }

    /// The members, in document order.
    pub fn members(&self) -> &[(CustomFieldName, Option<Value>)] {
        &self.0
    }

    pub(crate) fn into_members(self) -> Vec<(CustomFieldName, Option<Value>)> {
        self.0
    }
}

/// Renders the members in document order; a deletion is `null`.
impl Serialize for CustomFieldsPatch {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k.as_str(), v)))
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
            let value = map.next_value_seed(Seed::new(c, Json, true))?;
            match CustomFieldName::parse(key) {
                Ok(name) => patch.push(name, value.value()),
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
}
