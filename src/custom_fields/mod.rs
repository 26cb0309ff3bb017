//! Custom fields: a JSON object of any values under names of 1 to 60 of `\w` and `-`, merged as
//! RFC 7396 JSON Merge Patch, and the definitions an organization may check them against.

mod definitions;
pub(crate) mod field_type;
mod fields;
mod value;

pub use definitions::{
    ARRAY_ITEM_MAX, ARRAY_MAX_ITEMS, CustomFieldDefinition, CustomFieldDefinitions,
    STRING_DEFAULT_MAX, STRING_MAX_LIMIT,
};
pub use field_type::CustomFieldType;
pub(crate) use fields::CustomFieldsShape;
pub use fields::{CustomFieldName, CustomFields, CustomFieldsPatch};
pub use value::{CustomFieldValue, JsonNumber};
