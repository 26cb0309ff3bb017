//! The customer resource: every member of the response schema, rendered with
//! `null` for unset nullable members and never the payment token; read back with every rule.

mod context;
mod links;
mod upsert;

use serde::de::MapAccess;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Number;

use crate::codes::CurrencyCode;
use crate::contact::{Contact, ContactName, ContactShape, EmailAddress};
use crate::custom_fields::{CustomFields, CustomFieldsShape};
use crate::de::{self, Bool, Collector, Got, Seed, Shape, Skip, Text};
use crate::error::ViolationKind;
use crate::ids::{CustomerId, OrganizationId, WebsiteId};
use crate::json::{JsonOut, WriteJson};
use crate::payment::{InstrumentShape, PaymentInstrument};
use crate::tags::{CustomerTags, CustomerTagsShape};
use crate::time::Timestamp;

pub use context::{
    DEFAULT_BASE_URL, RefuseAllTokens, TokenRejection, TokenResolver, UpsertContext,
};
use links::LinksShape;
pub use links::{Link, LinkRel};
pub use upsert::{Conflict, UpsertError, UpsertOutcome};

/// An amount in the organization's reporting currency and in USD (`averageValue`,
/// `lifetimeRevenue`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Money {
    currency: CurrencyCode,
    amount: f64,
    amount_usd: f64,
}

impl Money {
    /// Zero in `currency`.
    #[must_use]
    pub fn zero(currency: CurrencyCode) -> Self {
        Money {
            currency,
            amount: 0.0,
            amount_usd: 0.0,
        }
    }

    /// An amount; `None` unless both numbers are finite.
    #[must_use]
    pub fn new(currency: CurrencyCode, amount: f64, amount_usd: f64) -> Option<Self> {
        (amount.is_finite() && amount_usd.is_finite()).then_some(Money {
            currency,
            amount,
            amount_usd,
        })
    }

    /// The reporting currency.
    #[must_use]
    pub fn currency(&self) -> CurrencyCode {
        self.currency
    }
    /// The amount in the reporting currency.
    #[must_use]
    pub fn amount(&self) -> f64 {
        self.amount
    }
    /// The amount in USD.
    #[must_use]
    pub fn amount_usd(&self) -> f64 {
        self.amount_usd
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut object = serializer.serialize_map(Some(3))?;
        object.serialize_entry("currency", &self.currency)?;
        object.serialize_entry("amount", &self.amount)?;
        object.serialize_entry("amountUsd", &self.amount_usd)?;
        object.end()
    }
}

/// A customer, as the API renders it.
///
/// `email`, `firstName`, `lastName` and `primaryAddress.hash` are derived from the contact when
/// rendered and ignored when read. Serialization writes every member, `null` for unset nullable
/// ones, `_embedded` as `{}`, and never a payment token.
#[derive(Clone, Debug, PartialEq)]
pub struct Customer {
    pub(crate) id: CustomerId,
    pub(crate) website_id: WebsiteId,
    pub(crate) organization_id: OrganizationId,
    pub(crate) default_payment_instrument: Option<PaymentInstrument>,
    pub(crate) custom_fields: CustomFields,
    pub(crate) primary_address: Option<Contact>,
    pub(crate) is_edd_required: bool,
    pub(crate) created_time: Timestamp,
    pub(crate) updated_time: Timestamp,
    pub(crate) revision: u64,
    pub(crate) average_value: Money,
    pub(crate) payment_count: u64,
    pub(crate) last_payment_time: Option<Timestamp>,
    pub(crate) lifetime_revenue: Money,
    pub(crate) invoice_count: u64,
    pub(crate) tags: CustomerTags,
    pub(crate) has_fulfilled_kyc: bool,
    pub(crate) links: Vec<Link>,
}

impl Customer {
    /// The id.
    #[must_use]
    pub fn id(&self) -> &CustomerId {
        &self.id
    }
    /// The website the customer came from.
    #[must_use]
    pub fn website_id(&self) -> &WebsiteId {
        &self.website_id
    }
    /// The organization.
    #[must_use]
    pub fn organization_id(&self) -> &OrganizationId {
        &self.organization_id
    }
    /// The default payment instrument, if any.
    #[must_use]
    pub fn default_payment_instrument(&self) -> Option<&PaymentInstrument> {
        self.default_payment_instrument.as_ref()
    }
    /// The custom fields.
    #[must_use]
    pub fn custom_fields(&self) -> &CustomFields {
        &self.custom_fields
    }
    /// The contact, if any.
    #[must_use]
    pub fn primary_address(&self) -> Option<&Contact> {
        self.primary_address.as_ref()
    }
    /// Whether Enhanced Due Diligence is required.
    #[must_use]
    pub fn is_edd_required(&self) -> bool {
        self.is_edd_required
    }
    /// When the customer was created.
    #[must_use]
    pub fn created_time(&self) -> Timestamp {
        self.created_time
    }
    /// When the customer last changed.
    #[must_use]
    pub fn updated_time(&self) -> Timestamp {
        self.updated_time
    }
    /// How many times the customer's data changed.
    #[must_use]
    pub fn revision(&self) -> u64 {
        self.revision
    }
    /// The average approved payment.
    #[must_use]
    pub fn average_value(&self) -> &Money {
        &self.average_value
    }
    /// How many approved payments.
    #[must_use]
    pub fn payment_count(&self) -> u64 {
        self.payment_count
    }
    /// When the last approved payment was, if any.
    #[must_use]
    pub fn last_payment_time(&self) -> Option<Timestamp> {
        self.last_payment_time
    }
    /// The lifetime revenue.
    #[must_use]
    pub fn lifetime_revenue(&self) -> &Money {
        &self.lifetime_revenue
    }
    /// How many invoices.
    #[must_use]
    pub fn invoice_count(&self) -> u64 {
        self.invoice_count
    }
    /// The tags.
    #[must_use]
    pub fn tags(&self) -> &CustomerTags {
        &self.tags
    }
    /// Whether KYC is fulfilled.
    #[must_use]
    pub fn has_fulfilled_kyc(&self) -> bool {
        self.has_fulfilled_kyc
    }
    /// The links.
    #[must_use]
    pub fn links(&self) -> &[Link] {
        &self.links
    }

    /// `email`: the primary email's value, else the first email's, else none.
    #[must_use]
    pub fn email(&self) -> Option<&EmailAddress> {
        let contact = self.primary_address.as_ref()?;
        contact.emails().preferred().map(|item| item.value())
    }
    /// `firstName`: the contact's.
    #[must_use]
    pub fn first_name(&self) -> Option<&ContactName> {
        self.primary_address.as_ref()?.first_name()
    }
    /// `lastName`: the contact's.
    #[must_use]
    pub fn last_name(&self) -> Option<&ContactName> {
        self.primary_address.as_ref()?.last_name()
    }

    /// The resource as compact JSON.
    ///
    /// The same text as `serde_json::to_string(&customer)`, written by the crate's fast writer
    /// into a buffer sized for a typical customer: a server renders on every request.
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut out = JsonOut::with_capacity(2048);
        out.raw(b"{\"id\":");
        self.id.write_json(&mut out);
        out.raw(b",\"email\":");
        self.email().write_json(&mut out);
        out.raw(b",\"firstName\":");
        self.first_name().write_json(&mut out);
        out.raw(b",\"lastName\":");
        self.last_name().write_json(&mut out);
        out.raw(b",\"websiteId\":");
        self.website_id.write_json(&mut out);
        out.raw(b",\"defaultPaymentInstrument\":");
        self.default_payment_instrument.write_json(&mut out);
        out.raw(b",\"createdTime\":");
        self.created_time.write_json(&mut out);
        out.raw(b",\"updatedTime\":");
        self.updated_time.write_json(&mut out);
        out.raw(b",\"customFields\":");
        self.custom_fields.write_json(&mut out);
        out.raw(b",\"primaryAddress\":");
        match &self.primary_address {
            Some(contact) => contact.write_json(&mut out),
            None => out.raw(b"null"),
        }
        out.raw(b",\"averageValue\":");
        out.serde(&self.average_value);
        out.raw(b",\"paymentCount\":");
        out.serde(&self.payment_count);
        out.raw(b",\"lastPaymentTime\":");
        self.last_payment_time.write_json(&mut out);
        out.raw(b",\"lifetimeRevenue\":");
        out.serde(&self.lifetime_revenue);
        out.raw(b",\"invoiceCount\":");
        out.serde(&self.invoice_count);
        out.raw(b",\"tags\":");
        out.serde(&self.tags);
        out.raw(b",\"revision\":");
        out.serde(&self.revision);
        out.raw(b",\"isEddRequired\":");
        out.bool(self.is_edd_required);
        out.raw(b",\"hasFulfilledKyc\":");
        out.bool(self.has_fulfilled_kyc);
        out.raw(b",\"organizationId\":");
        self.organization_id.write_json(&mut out);
        out.raw(b",\"_links\":");
        links::write_links(&self.links, &mut out);
        out.raw(b",\"_embedded\":{}}");
        out.into_string()
    }
}

impl Serialize for Customer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut object = serializer.serialize_map(Some(22))?;
        object.serialize_entry("id", &self.id)?;
        object.serialize_entry("email", &self.email())?;
        object.serialize_entry("firstName", &self.first_name())?;
        object.serialize_entry("lastName", &self.last_name())?;
        object.serialize_entry("websiteId", &self.website_id)?;
        object.serialize_entry("defaultPaymentInstrument", &self.default_payment_instrument)?;
        object.serialize_entry("createdTime", &self.created_time)?;
        object.serialize_entry("updatedTime", &self.updated_time)?;
        object.serialize_entry("customFields", &self.custom_fields)?;
        object.serialize_entry("primaryAddress", &self.primary_address)?;
        object.serialize_entry("averageValue", &self.average_value)?;
        object.serialize_entry("paymentCount", &self.payment_count)?;
        object.serialize_entry("lastPaymentTime", &self.last_payment_time)?;
        object.serialize_entry("lifetimeRevenue", &self.lifetime_revenue)?;
        object.serialize_entry("invoiceCount", &self.invoice_count)?;
        object.serialize_entry("tags", &self.tags)?;
        object.serialize_entry("revision", &self.revision)?;
        object.serialize_entry("isEddRequired", &self.is_edd_required)?;
        object.serialize_entry("hasFulfilledKyc", &self.has_fulfilled_kyc)?;
        object.serialize_entry("organizationId", &self.organization_id)?;
        object.serialize_entry("_links", &self.links)?;
        object.serialize_entry("_embedded", &serde_json::Map::new())?;
        object.end()
    }
}

impl Customer {
    /// Reads a customer as the API renders it (a response, or what a store holds) from JSON
    /// bytes, with every rule of the resource applied and every violation reported at once.
    ///
    /// ```
    /// use rebilly_customer::{Customer, RequestError};
    /// let Err(RequestError::Invalid(error)) = Customer::parse(br#"{"id": "cus 1"}"#) else {
    ///     panic!()
    /// };
    /// let found: Vec<(String, &str)> =
    ///     error.violations().iter().map(|v| (v.field(), v.code().as_str())).collect();
    /// assert_eq!(found[0], ("id".to_owned(), "pattern"));
    /// assert!(found.contains(&("websiteId".to_owned(), "required")));
    /// ```
    ///
    /// # Errors
    /// [`RequestError::Malformed`](crate::RequestError::Malformed) when the bytes are not one JSON value (a repeated member name
    /// included); otherwise [`RequestError::Invalid`](crate::RequestError::Invalid) with every violation and its path.
    pub fn parse(bytes: &[u8]) -> Result<Customer, crate::request::RequestError> {
        de::parse_document(bytes, CustomerShape)
    }
}

impl<'de> Deserialize<'de> for Customer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::deserialize_shape(deserializer, CustomerShape)
    }
}

impl std::str::FromStr for Customer {
    type Err = serde_json::Error;
    /// Reads a stored customer from JSON text.
    fn from_str(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// A non-negative integer (counts, revision).
#[derive(Clone, Copy)]
struct Count;

impl<'de> Shape<'de> for Count {
    type Out = u64;
    const EXPECTED: &'static str = "a non-negative integer";
    fn on_number(self, _: &mut Collector, value: Number) -> Got<u64> {
        value.as_u64().map_or(Got::Mismatch, Got::Value)
    }
}

/// A finite number.
#[derive(Clone, Copy)]
struct Amount;

impl<'de> Shape<'de> for Amount {
    type Out = f64;
    const EXPECTED: &'static str = "a number";
    fn on_number(self, _: &mut Collector, value: Number) -> Got<f64> {
        value.as_f64().map_or(Got::Mismatch, Got::Value)
    }
}

#[derive(Clone, Copy)]
struct MoneyShape;

impl<'de> Shape<'de> for MoneyShape {
    type Out = Money;
    const EXPECTED: &'static str = "an object";
    fn on_map<A: MapAccess<'de>>(self, c: &mut Collector, map: A) -> Result<Got<Money>, A::Error> {
        let mark = c.mark();
        let (mut currency, mut amount, mut amount_usd) = (None, Some(0.0), Some(0.0));
        let mut has_currency = false;
        de::members(c, map, |c, key, map| {
            match key {
                "currency" => {
                    has_currency = true;
                    currency = c
                        .member(map, "currency", Text::<CurrencyCode>::new(), false)?
                        .value()
                }
                "amount" => amount = c.member(map, "amount", Amount, false)?.value(),
                "amountUsd" => amount_usd = c.member(map, "amountUsd", Amount, false)?.value(),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        if !has_currency {
            c.report_at("currency", ViolationKind::Required);
        }
        match (currency, amount, amount_usd) {
            (Some(currency), Some(amount), Some(amount_usd)) if c.clean_since(mark) => {
                Ok(Money::new(currency, amount, amount_usd).map_or(Got::Mismatch, Got::Value))
            }
            _ => Ok(Got::Invalid),
        }
    }
}

/// The members a stored customer must have; the rest default as on create.
const REQUIRED: &[&str] = &[
    "id",
    "websiteId",
    "createdTime",
    "updatedTime",
    "revision",
    "organizationId",
];

/// Reads the resource. Members this crate always renders are required; the derived ones are
/// ignored.
struct CustomerShape;

impl<'de> Shape<'de> for CustomerShape {
    type Out = Customer;
    const EXPECTED: &'static str = "an object";

    fn on_map<A: MapAccess<'de>>(
        self,
        c: &mut Collector,
        map: A,
    ) -> Result<Got<Customer>, A::Error> {
        let mark = c.mark();
        let mut id = None;
        let mut website_id = None;
        let mut organization_id = None;
        let mut created_time = None;
        let mut updated_time = None;
        let mut revision = None;
        let mut instrument = None;
        let mut custom_fields = CustomFields::new();
        let mut primary_address = None;
        let mut is_edd_required = false;
        let mut average_value = Money::zero(CurrencyCode::USD);
        let mut payment_count = 0;
        let mut last_payment_time = None;
        let mut lifetime_revenue = Money::zero(CurrencyCode::USD);
        let mut invoice_count = 0;
        let mut tags = CustomerTags::default();
        let mut has_fulfilled_kyc = false;
        let mut links = Vec::new();
        let mut present: Vec<&'static str> = Vec::with_capacity(REQUIRED.len());
        de::members(c, map, |c, key, map| {
            if let Some(member) = REQUIRED.iter().find(|m| **m == key) {
                present.push(member);
            }
            match key {
                "id" => {
                    id = c
                        .member(map, "id", Text::<CustomerId>::new(), false)?
                        .value()
                }
                "websiteId" => {
                    website_id = c
                        .member(map, "websiteId", Text::<WebsiteId>::new(), false)?
                        .value()
                }
                "organizationId" => {
                    organization_id = c
                        .member(map, "organizationId", Text::<OrganizationId>::new(), false)?
                        .value();
                }
                "createdTime" => {
                    created_time = c
                        .member(map, "createdTime", Text::<Timestamp>::new(), false)?
                        .value()
                }
                "updatedTime" => {
                    updated_time = c
                        .member(map, "updatedTime", Text::<Timestamp>::new(), false)?
                        .value()
                }
                "revision" => revision = c.member(map, "revision", Count, false)?.value(),
                "defaultPaymentInstrument" => {
                    instrument = c
                        .member(map, "defaultPaymentInstrument", InstrumentShape, true)?
                        .value();
                }
                "customFields" => {
                    if let Some(patch) = c
                        .member(map, "customFields", CustomFieldsShape, false)?
                        .value()
                    {
                        custom_fields.apply_patch(patch);
                    }
                }
                "primaryAddress" => {
                    primary_address = c
                        .member(map, "primaryAddress", ContactShape, true)?
                        .value()
                        .map(Contact::from);
                }
                "isEddRequired" => {
                    is_edd_required = c
                        .member(map, "isEddRequired", Bool, false)?
                        .value()
                        .unwrap_or_default();
                }
                "hasFulfilledKyc" => {
                    has_fulfilled_kyc = c
                        .member(map, "hasFulfilledKyc", Bool, false)?
                        .value()
                        .unwrap_or_default();
                }
                "averageValue" => {
                    if let Some(money) = c.member(map, "averageValue", MoneyShape, false)?.value() {
                        average_value = money;
                    }
                }
                "lifetimeRevenue" => {
                    if let Some(money) =
                        c.member(map, "lifetimeRevenue", MoneyShape, false)?.value()
                    {
                        lifetime_revenue = money;
                    }
                }
                "paymentCount" => {
                    payment_count = c
                        .member(map, "paymentCount", Count, false)?
                        .value()
                        .unwrap_or(0)
                }
                "invoiceCount" => {
                    invoice_count = c
                        .member(map, "invoiceCount", Count, false)?
                        .value()
                        .unwrap_or(0)
                }
                "lastPaymentTime" => {
                    last_payment_time = c
                        .member(map, "lastPaymentTime", Text::<Timestamp>::new(), true)?
                        .value();
                }
                "tags" => {
                    if let Some(value) = c.member(map, "tags", CustomerTagsShape, false)?.value() {
                        tags = value;
                    }
                }
                "_links" => {
                    if let Some(value) = c.member(map, "_links", LinksShape, false)?.value() {
                        links = value;
                    }
                }
                // Derived from the contact, or embedded on request: not stored.
                "email" | "firstName" | "lastName" | "_embedded" => {
                    map.next_value_seed(Seed::new(c, Skip, true))?;
                }
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        for member in REQUIRED {
            if !present.contains(member) {
                c.report_at(*member, ViolationKind::Required);
            }
        }
        match (
            id,
            website_id,
            organization_id,
            created_time,
            updated_time,
            revision,
        ) {
            (
                Some(id),
                Some(website_id),
                Some(organization_id),
                Some(created_time),
                Some(updated_time),
                Some(revision),
            ) if c.clean_since(mark) => Ok(Got::Value(Customer {
                id,
                website_id,
                organization_id,
                default_payment_instrument: instrument,
                custom_fields,
                primary_address,
                is_edd_required,
                created_time,
                updated_time,
                revision,
                average_value,
                payment_count,
                last_payment_time,
                lifetime_revenue,
                invoice_count,
                tags,
                has_fulfilled_kyc,
                links,
            })),
            _ => Ok(Got::Invalid),
        }
    }
}
