//! Member keys that more than one object has: each is spelled here once, and the descriptions
//! that share it name the constant.

/// A resource's id (customer, tag).
pub(crate) const ID: &str = "id";
/// When a resource was created (customer, tag).
pub(crate) const CREATED_TIME: &str = "createdTime";
/// When a resource last changed (customer, tag).
pub(crate) const UPDATED_TIME: &str = "updatedTime";
/// A resource's links (customer, tag).
pub(crate) const LINKS: &str = "_links";
/// A tag's or a custom field definition's type, and a problem's.
pub(crate) const TYPE: &str = "type";
/// A tag's or a custom field definition's name.
pub(crate) const NAME: &str = "name";
/// A money amount's or a monetary custom field's currency.
pub(crate) const CURRENCY: &str = "currency";
/// A money amount's or a monetary custom field's amount.
pub(crate) const AMOUNT: &str = "amount";
