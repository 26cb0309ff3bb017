//! Custom field definitions (`rebilly-custom-field.schema.yaml`): a type per name, with
//! `allowedValues` and `maxLength` where the type has them. When the caller passes definitions to
//! the upsert, each value a request sets is checked against its field's definition, and a name
//! with no definition is refused.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::CustomFieldValue;

use crate::calendar::parse_full_date;
use crate::codes::CurrencyCode;
use crate::custom_fields::CustomFieldName;
use crate::custom_fields::CustomFieldType;
use crate::error::{CustomFieldRule, FieldPath, ValidationError, Violation, ViolationKind};
use crate::object::{Member, keys};
use crate::text::{code_points, nfc_owned};
use crate::time::Timestamp;

/// Longest `string` value when the definition sets no `maxLength`.
pub const STRING_DEFAULT_MAX: usize = 255;
/// Largest `maxLength` a definition may set.
pub const STRING_MAX_LIMIT: usize = 4000;
/// Longest item of an `array` value.
pub const ARRAY_ITEM_MAX: usize = 255;
/// Most items of an `array` value.
pub const ARRAY_MAX_ITEMS: usize = 1000;

impl CustomFieldType {
    /// The type named `text`.
    ///
    /// # Errors
    /// `pattern` when `text` names none of the eight types.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == text)
            .ok_or_else(|| {
                ValidationError::single(ViolationKind::Pattern {
                    allowed: "array, boolean, date, datetime, integer, number, string or monetary",
                })
            })
    }
}

json_object! {
    /// The members of a custom field definition, as the API lists them.
    pub(crate) enum DefinitionMember {
        /// In the API's list; the key itself in an object by name.
        Name = keys::NAME;
        Type = keys::TYPE, required;
        AdditionalSchema = "additionalSchema";
    }
}

json_object! {
    /// The members of a definition's `additionalSchema` that the crate applies.
    pub(crate) enum SchemaMember {
        AllowedValues = "allowedValues";
        MaxLength = "maxLength";
    }
}

json_object! {
    /// The members of a `monetary` custom field's value.
    pub(crate) enum MonetaryMember {
        Currency = keys::CURRENCY, required;
        Amount = keys::AMOUNT, required;
    }
}

/// The definition of one custom field: its type, and for `string` and `array` the values it
/// allows; for `string` its longest length.
///
/// ```
/// use rebilly_customer::{CustomFieldDefinition, CustomFieldType};
/// let tier = CustomFieldDefinition::new(CustomFieldType::String)
///     .with_allowed_values(vec!["gold".into(), "silver".into()])
///     .unwrap();
/// assert!(tier.check(&"gold".into()).is_ok());
/// let error = tier.check(&"bronze".into()).unwrap_err();
/// assert_eq!(error.to_string(), "must be one of the 2 allowed values");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomFieldDefinition {
    field_type: CustomFieldType,
    allowed_values: Option<AllowedValues>,
    max_length: Option<usize>,
}

/// The allowed values in the order given, and as a set: an array value of 1,000 items is
/// checked against 10,000 allowed values with one look-up per item.
#[derive(Clone, Debug, PartialEq, Eq)]
struct AllowedValues {
    listed: Vec<String>,
    set: HashSet<String>,
}

fn definition_error(member: SchemaMember, rule: CustomFieldRule) -> ValidationError {
    Violation::new(
        FieldPath::root()
            .join(DefinitionMember::AdditionalSchema.key())
            .join(member.key()),
        ViolationKind::CustomField { rule },
    )
    .into()
}

impl CustomFieldDefinition {
    /// A definition of `field_type` with no extra constraint.
    #[must_use]
    pub fn new(field_type: CustomFieldType) -> Self {
        CustomFieldDefinition {
            field_type,
            allowed_values: None,
            max_length: None,
        }
    }

    /// Restricts the values (for `string`) or the items (for `array`) to `values`.
    ///
    /// # Errors
    /// `custom_field` at `additionalSchema.allowedValues` for any other type.
    pub fn with_allowed_values(mut self, values: Vec<String>) -> Result<Self, ValidationError> {
        if !matches!(
            self.field_type,
            CustomFieldType::String | CustomFieldType::Array
        ) {
            return Err(definition_error(
                SchemaMember::AllowedValues,
                CustomFieldRule::ConstraintNotForType {
                    only_for: "string and array",
                    field_type: self.field_type,
                },
            ));
        }
        // Values are compared with NFC text, so the allowed ones are kept in NFC too.
        let listed: Vec<String> = values.into_iter().map(nfc_owned).collect();
        let set = listed.iter().cloned().collect();
        self.allowed_values = Some(AllowedValues { listed, set });
        Ok(self)
    }

    /// Sets the longest `string` value, in characters.
    ///
    /// # Errors
    /// `custom_field` at `additionalSchema.maxLength` for another type, or for a length of 0 or
    /// more than 4000.
    pub fn with_max_length(mut self, max: usize) -> Result<Self, ValidationError> {
        let mut violations = Vec::new();
        if self.field_type != CustomFieldType::String {
            violations.extend(definition_error(
                SchemaMember::MaxLength,
                CustomFieldRule::ConstraintNotForType {
                    only_for: "string",
                    field_type: self.field_type,
                },
            ));
        }
        if !(1..=STRING_MAX_LIMIT).contains(&max) {
            violations.extend(definition_error(
                SchemaMember::MaxLength,
                CustomFieldRule::MaxLengthOutOfRange {
                    limit: STRING_MAX_LIMIT,
                    actual: Some(max),
                },
            ));
        }
        if !violations.is_empty() {
            return Err(ValidationError::new(violations));
        }
        self.max_length = Some(max);
        Ok(self)
    }

    /// The type.
    #[must_use]
    pub fn field_type(&self) -> CustomFieldType {
        self.field_type
    }

    /// The allowed values, if restricted.
    #[must_use]
    pub fn allowed_values(&self) -> Option<&[String]> {
        self.allowed_values
            .as_ref()
            .map(|allowed| &allowed.listed[..])
    }

    /// The longest `string` value: `maxLength`, else 255. `None` for other types.
    #[must_use]
    pub fn max_length(&self) -> Option<usize> {
        (self.field_type == CustomFieldType::String)
            .then(|| self.max_length.unwrap_or(STRING_DEFAULT_MAX))
    }

    /// Checks a value against the definition. Messages name the rule, never the value.
    ///
    /// # Errors
    /// Every broken rule, code `custom_field`, at the value itself or at the array item or
    /// monetary member that breaks it.
    pub fn check(&self, value: &CustomFieldValue) -> Result<(), ValidationError> {
        let mut violations = Vec::new();
        let mut report = |path: FieldPath, rule: CustomFieldRule| {
            violations.push(Violation::new(path, ViolationKind::CustomField { rule }));
        };
        let wrong_type = || CustomFieldRule::WrongType {
            expected: self.field_type,
        };
        match (self.field_type, value) {
            (CustomFieldType::Boolean, CustomFieldValue::Bool(_))
            | (CustomFieldType::Number, CustomFieldValue::Number(_)) => {}
            (CustomFieldType::Integer, CustomFieldValue::Number(n)) => {
                if !n.is_i32() {
                    report(FieldPath::root(), wrong_type());
                }
            }
            (CustomFieldType::Date, CustomFieldValue::String(text)) => {
                if parse_full_date(text).is_none() {
                    report(FieldPath::root(), wrong_type());
                }
            }
            (CustomFieldType::Datetime, CustomFieldValue::String(text)) => {
                if Timestamp::parse(text).is_err() {
                    report(FieldPath::root(), wrong_type());
                }
            }
            (CustomFieldType::String, CustomFieldValue::String(text)) => {
                let max = self.max_length.unwrap_or(STRING_DEFAULT_MAX);
                let length = code_points(text);
                if length > max {
                    report(
                        FieldPath::root(),
                        CustomFieldRule::TooLong {
                            max,
                            actual: length,
                        },
                    );
                }
                if !self.allows(text) {
                    report(FieldPath::root(), self.not_allowed());
                }
            }
            (CustomFieldType::Array, CustomFieldValue::Array(items)) => {
                if items.len() > ARRAY_MAX_ITEMS {
                    report(
                        FieldPath::root(),
                        CustomFieldRule::TooManyItems {
                            max: ARRAY_MAX_ITEMS,
                            actual: items.len(),
                        },
                    );
                }
                for (index, item) in items.iter().enumerate() {
                    let at = FieldPath::root().join(index);
                    let CustomFieldValue::String(text) = item else {
                        report(at, CustomFieldRule::ItemNotString);
                        continue;
                    };
                    let length = code_points(text);
                    if length > ARRAY_ITEM_MAX {
                        report(
                            at.clone(),
                            CustomFieldRule::TooLong {
                                max: ARRAY_ITEM_MAX,
                                actual: length,
                            },
                        );
                    }
                    if !self.allows(text) {
                        report(at, self.not_allowed());
                    }
                }
            }
            (CustomFieldType::Monetary, CustomFieldValue::Object(members)) => {
                for member in MonetaryMember::ALL {
                    let at = FieldPath::root().join(member.key());
                    match (member, members.get(member.key())) {
                        (_, None) => report(at, CustomFieldRule::MissingMember),
                        (MonetaryMember::Currency, Some(CustomFieldValue::String(code)))
                            if CurrencyCode::parse(code).is_ok() => {}
                        (MonetaryMember::Currency, Some(_)) => {
                            report(at, CustomFieldRule::NotCurrency);
                        }
                        (MonetaryMember::Amount, Some(CustomFieldValue::Number(_))) => {}
                        (MonetaryMember::Amount, Some(_)) => report(at, CustomFieldRule::NotNumber),
                    }
                }
                for key in members.keys() {
                    if MonetaryMember::from_key(key).is_none() {
                        report(
                            FieldPath::root().join(key.clone()),
                            CustomFieldRule::UnknownMember,
                        );
                    }
                }
            }
            _ => report(FieldPath::root(), wrong_type()),
        }
        if violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError::new(violations))
        }
    }

    fn allows(&self, text: &str) -> bool {
        self.allowed_values
            .as_ref()
            .is_none_or(|allowed| allowed.set.contains(text))
    }

    fn not_allowed(&self) -> CustomFieldRule {
        CustomFieldRule::NotAllowed {
            allowed: self
                .allowed_values
                .as_ref()
                .map_or(0, |allowed| allowed.listed.len()),
        }
    }
}

/// An integral JSON number within `i32` (`5.0` counts, as JSON Schema's `integer` does).
/// The custom fields an organization defines, by name.
///
/// Read from JSON as the API lists them, an array of definitions with their `name`
/// (`[{"name": "tier", "type": "string", "additionalSchema": {"allowedValues": ["gold"]}}]`), or as
/// an object from name to definition. `description`, `_links` and other members are ignored.
///
/// ```
/// use rebilly_customer::CustomFieldDefinitions;
/// let definitions: CustomFieldDefinitions = serde_json::from_str(
///     r#"[{"name": "tier", "type": "string", "additionalSchema": {"maxLength": 10}},
///         {"name": "score", "type": "integer"}]"#,
/// ).unwrap();
/// assert_eq!(definitions.get("tier").unwrap().max_length(), Some(10));
/// assert!(definitions.get("other").is_none());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomFieldDefinitions(BTreeMap<CustomFieldName, CustomFieldDefinition>);

impl CustomFieldDefinitions {
    /// No definitions: every custom field name is then unknown.
    #[must_use]
    pub fn new() -> Self {
        CustomFieldDefinitions::default()
    }

    /// Adds or replaces a definition.
    pub fn insert(&mut self, name: CustomFieldName, definition: CustomFieldDefinition) {
        self.0.insert(name, definition);
    }

    /// Adds or replaces a definition, by value.
    #[must_use]
    pub fn with(mut self, name: CustomFieldName, definition: CustomFieldDefinition) -> Self {
        self.insert(name, definition);
        self
    }

    /// The definition of `name`, if any.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&CustomFieldDefinition> {
        self.0.get(name)
    }

    /// The definitions, ordered by name.
    pub fn iter(&self) -> impl Iterator<Item = (&CustomFieldName, &CustomFieldDefinition)> {
        self.0.iter()
    }

    /// Reads definitions from JSON bytes, strictly: a repeated member name or bytes that are not
    /// JSON are malformed, so two readers can never keep different copies of one definition.
    ///
    /// ```
    /// use rebilly_customer::{CustomFieldDefinitions, RequestError};
    /// let ok = CustomFieldDefinitions::parse(br#"{"tier": {"type": "string"}}"#).unwrap();
    /// assert!(ok.get("tier").is_some());
    /// let twice = br#"{"tier": {"type": "string"}, "tier": {"type": "integer"}}"#;
    /// assert!(matches!(CustomFieldDefinitions::parse(twice), Err(RequestError::Malformed(_))));
    /// ```
    ///
    /// # Errors
    /// [`RequestError::Malformed`](crate::RequestError::Malformed) for bytes that are not one JSON value; otherwise
    /// [`RequestError::Invalid`](crate::RequestError::Invalid) with every broken rule and its path in the document.
    pub fn parse(bytes: &[u8]) -> Result<Self, crate::error::RequestError> {
        crate::de::parse_document(bytes, DefinitionsShape)
    }

    /// Reads definitions from a JSON array (items with `name`) or object (name to definition).
    ///
    /// # Errors
    /// Every broken rule, with its path in the document.
    pub fn from_json(document: &Value) -> Result<Self, ValidationError> {
        let mut read = Accumulated::default();
        match document {
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    read.add(FieldPath::root().join(index), listed_name(item), item);
                }
            }
            Value::Object(members) => {
                for (name, body) in members {
                    read.add(FieldPath::root().join(name.clone()), Some(name), body);
                }
            }
            _ => read.violations.push(Violation::new(
                FieldPath::root(),
                ViolationKind::Type {
                    expected: "an array or an object",
                    nullable: false,
                },
            )),
        }
        read.finish()
    }
}

/// The `name` of a definition in the API's list, when it is a string.
fn listed_name(item: &Value) -> Option<&str> {
    item.get(DefinitionMember::Name.key())
        .and_then(Value::as_str)
}

/// The definitions and violations of a document, one definition at a time.
#[derive(Default)]
struct Accumulated {
    definitions: Vec<(CustomFieldName, CustomFieldDefinition)>,
    violations: Vec<Violation>,
}

impl Accumulated {
    /// Adds the definition at `path`: its name (`None` when it is not a string) and its body.
    fn add(&mut self, path: FieldPath, name: Option<&str>, body: &Value) {
        let at_name = || path.clone().join(DefinitionMember::Name.key());
        let name = match name.map(CustomFieldName::parse) {
            Some(Ok(name)) => Some(name),
            Some(Err(error)) => {
                let at = at_name();
                self.violations
                    .extend(error.into_iter().map(|v| v.prefixed(at.segments())));
                None
            }
            None => {
                self.violations.push(Violation::new(
                    at_name(),
                    ViolationKind::Type {
                        expected: "a string",
                        nullable: false,
                    },
                ));
                None
            }
        };
        match (name, definition_from_json(body)) {
            (Some(name), Ok(definition)) => self.definitions.push((name, definition)),
            (_, Err(error)) => self
                .violations
                .extend(error.into_iter().map(|v| v.prefixed(path.segments()))),
            (None, Ok(_)) => {}
        }
    }

    fn finish(self) -> Result<CustomFieldDefinitions, ValidationError> {
        if self.violations.is_empty() {
            // Sorted and built at once; a name listed twice keeps its last definition, as
            // inserting one by one would. One by one, each a walk down a tree outgrowing the
            // cache, 40,000 definitions cost half again as much each as 2,500 did.
            Ok(CustomFieldDefinitions(
                self.definitions.into_iter().collect(),
            ))
        } else {
            Err(ValidationError::new(self.violations))
        }
    }
}

/// Reads a definitions document from JSON strictly (a repeated member name is malformed), one
/// definition at a time: no tree of the whole document is built first.
struct DefinitionsShape;

impl<'de> crate::de::Shape<'de> for DefinitionsShape {
    type Out = CustomFieldDefinitions;
    const EXPECTED: &'static str = "an array or an object";

    fn on_map<A: serde::de::MapAccess<'de>>(
        self,
        c: &mut crate::de::Collector,
        map: A,
    ) -> Result<crate::de::Got<CustomFieldDefinitions>, A::Error> {
        let mut read = Accumulated::default();
        crate::de::members(c, map, |c, key, map| {
            let got = map.next_value_seed(crate::de::Seed::new(c, crate::de::Json, true))?;
            let body = crate::de::json_or_null(got);
            read.add(FieldPath::root().join(key.to_owned()), Some(key), &body);
            Ok(true)
        })?;
        Ok(verdict(c, read))
    }

    fn on_seq<A: serde::de::SeqAccess<'de>>(
        self,
        c: &mut crate::de::Collector,
        seq: A,
    ) -> Result<crate::de::Got<CustomFieldDefinitions>, A::Error> {
        let mut read = Accumulated::default();
        crate::de::each_item(c, seq, crate::de::Json, |index, got| {
            // A `null` item is already reported (`not_null`), once.
            if let crate::de::Got::Value(body) = got {
                read.add(FieldPath::root().join(index), listed_name(&body), &body);
            }
        })?;
        Ok(verdict(c, read))
    }
}

fn verdict(
    c: &mut crate::de::Collector,
    read: Accumulated,
) -> crate::de::Got<CustomFieldDefinitions> {
    match read.finish() {
        Ok(definitions) => crate::de::Got::Value(definitions),
        Err(error) => {
            c.absorb(error);
            crate::de::Got::Invalid
        }
    }
}

/// Reads one definition, reporting every broken rule: a bad `type` does not hide a bad
/// `additionalSchema`, nor `allowedValues` a bad `maxLength`.
fn definition_from_json(body: &Value) -> Result<CustomFieldDefinition, ValidationError> {
    let Value::Object(members) = body else {
        return Err(ValidationError::single(ViolationKind::Type {
            expected: "an object",
            nullable: false,
        }));
    };
    let mut violations = Vec::new();
    let at_type = || FieldPath::root().join(DefinitionMember::Type.key());
    let field_type = match members.get(DefinitionMember::Type.key()) {
        None => {
            violations.push(Violation::new(at_type(), ViolationKind::Required));
            None
        }
        Some(Value::String(text)) => match CustomFieldType::parse(text) {
            Ok(field_type) => Some(field_type),
            Err(error) => {
                let at = at_type();
                violations.extend(error.into_iter().map(|v| v.prefixed(at.segments())));
                None
            }
        },
        Some(_) => {
            violations.push(Violation::new(
                at_type(),
                ViolationKind::Type {
                    expected: "a string",
                    nullable: false,
                },
            ));
            None
        }
    };
    let (mut allowed_values, mut max_length) = (None, None);
    match members.get(DefinitionMember::AdditionalSchema.key()) {
        None => {}
        Some(Value::Object(extra)) => {
            if let Some(values) = extra.get(SchemaMember::AllowedValues.key()) {
                let strings = values.as_array().and_then(|items| {
                    items
                        .iter()
                        .map(|item| item.as_str().map(str::to_owned))
                        .collect::<Option<Vec<_>>>()
                });
                match strings {
                    Some(strings) => allowed_values = Some(strings),
                    None => violations.extend(definition_error(
                        SchemaMember::AllowedValues,
                        CustomFieldRule::AllowedValuesNotStrings,
                    )),
                }
            }
            if let Some(max) = extra.get(SchemaMember::MaxLength.key()) {
                // The range is judged here, so it is reported even when the type is not known.
                match max.as_u64().and_then(|m| usize::try_from(m).ok()) {
                    Some(max) if (1..=STRING_MAX_LIMIT).contains(&max) => max_length = Some(max),
                    actual => violations.extend(definition_error(
                        SchemaMember::MaxLength,
                        CustomFieldRule::MaxLengthOutOfRange {
                            limit: STRING_MAX_LIMIT,
                            actual,
                        },
                    )),
                }
            }
        }
        Some(_) => violations.push(Violation::new(
            FieldPath::root().join(DefinitionMember::AdditionalSchema.key()),
            ViolationKind::Type {
                expected: "an object",
                nullable: false,
            },
        )),
    }
    // The type decides which constraints may be set; without a type they cannot be judged.
    let definition = field_type.map(|field_type| {
        let mut definition = CustomFieldDefinition::new(field_type);
        if let Some(values) = allowed_values {
            match definition.clone().with_allowed_values(values) {
                Ok(with) => definition = with,
                Err(error) => violations.extend(error),
            }
        }
        if let Some(max) = max_length {
            match definition.clone().with_max_length(max) {
                Ok(with) => definition = with,
                Err(error) => violations.extend(error),
            }
        }
        definition
    });
    match definition {
        Some(definition) if violations.is_empty() => Ok(definition),
        _ => Err(ValidationError::new(violations)),
    }
}

/// Reads strictly, as [`CustomFieldDefinitions::parse`] does: a repeated member name is an
/// error, not a silent choice of one copy.
impl<'de> Deserialize<'de> for CustomFieldDefinitions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::de::deserialize_shape(deserializer, DefinitionsShape)
    }
}
