//! The customer resource: every member of the response schema, rendered with `null` for
//! unset nullable members and never the payment token; read back with every rule.

use serde::de::MapAccess;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Number;
use serde_json::value::RawValue;

use crate::codes::CurrencyCode;
use crate::contact::{
    Contact, ContactName, ContactPatch, ContactShape, EmailAddress, EmailList, NotificationEmail,
};
use crate::contract::Contract;
use crate::custom_fields::{CustomFields, CustomFieldsShape};
use crate::de::{self, Bool, Collector, Got, Seed, Shape, Skip, Text, TextList};
use crate::error::{ValidationError, ViolationKind};
use crate::ids::{CustomerId, Locale, OrganizationId, PaymentInstrumentId, PersonId, WebsiteId};
use crate::json::{JsonOut, WriteJson};
use crate::lead_source::{LeadSource, LeadSourceShape};
use crate::members::{
    CUSTOMER_MEMBERS, CustomerMember, REQUEST_MEMBERS, RESPONSE_OMITS, RequestMember,
};
use crate::object::{self, Described, Fields, Kept, Member, OtherMembers, keys};
use crate::payment::{InstrumentShape, PaymentInstrument};
use crate::request::UpsertRequest;
use crate::tags::{CustomerTags, CustomerTagsShape};
use crate::tax_numbers::{TAX_NUMBERS_SHAPE, TaxNumber, TaxNumberList};
use crate::time::Timestamp;

use super::links::{Link, Links, LinksShape};

/// An amount in the organization's reporting currency and in USD (`averageValue`,
/// `lifetimeRevenue`).
#[derive(Clone, Debug, PartialEq)]
pub struct Money {
    currency: CurrencyCode,
    amount: f64,
    amount_usd: f64,
    others: OtherMembers,
}

impl Money {
    /// Zero in `currency`.
    #[must_use]
    pub fn zero(currency: CurrencyCode) -> Self {
        Money {
            currency,
            amount: 0.0,
            amount_usd: 0.0,
            others: OtherMembers::new(),
        }
    }

    /// An amount; `None` unless both numbers are finite.
    #[must_use]
    pub fn new(currency: CurrencyCode, amount: f64, amount_usd: f64) -> Option<Self> {
        (amount.is_finite() && amount_usd.is_finite()).then_some(Money {
            currency,
            amount,
            amount_usd,
            others: OtherMembers::new(),
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

json_object! {
    /// The members of an amount (`averageValue`, `lifetimeRevenue`).
    pub(crate) enum MoneyMember {
        Currency = keys::CURRENCY, required;
        Amount = keys::AMOUNT;
        AmountUsd = "amountUsd";
    }
}

impl Described for Money {
    type Member = MoneyMember;

    fn fields<F: Fields<MoneyMember>>(&self, fields: &mut F) {
        for member in MoneyMember::ALL {
            match member {
                MoneyMember::Currency => fields.field(*member, &self.currency),
                MoneyMember::Amount => fields.field(*member, &self.amount),
                MoneyMember::AmountUsd => fields.field(*member, &self.amount_usd),
            }
        }
    }

    fn other_members(&self) -> &OtherMembers {
        &self.others
    }
}

serialize_described!(Money);

/// A customer, as the API renders it.
///
/// `email`, `firstName`, `lastName` and `primaryAddress.hash` are derived from the contact when
/// rendered and ignored when read. Serialization writes every member, `null` for unset nullable
/// ones, `_embedded` as read (`{}` by default), and never a payment token.
///
/// Reading is forward-compatible, so that a newer API (or a newer instance that wrote the
/// store) does not make a customer unreadable: members this version does not know, at every
/// level, link relations, payment methods and tag types it does not know are kept as read, in
/// their places, and rendered back ([`OtherMembers`]). Every rule of the members it knows still
/// holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Customer {
    /// The revision it was read or made under, which renders it.
    pub(crate) contract: Contract,
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
    /// `_embedded` as read; `None` renders `{}`.
    pub(crate) embedded: Option<Kept>,
    pub(crate) preferred_payout_instrument_id: Option<PaymentInstrumentId>,
    /// The server's `company`, kept as read (`null` when none).
    pub(crate) company: Option<Kept>,
    pub(crate) locale: Option<Locale>,
    pub(crate) tax_numbers: Option<Vec<TaxNumber>>,
    pub(crate) lead_source: Option<LeadSource>,
    pub(crate) person_id: Option<PersonId>,
    pub(crate) notification_emails: Vec<NotificationEmail>,
    pub(crate) others: OtherMembers,
}

impl Customer {
    /// The revision the customer was read or made under: it renders under that revision.
    #[must_use]
    pub fn contract(&self) -> Contract {
        self.contract
    }
    /// The id.
    #[must_use]
    pub fn id(&self) -> &CustomerId {
        &self.id
    }
    /// `preferredPayoutInstrumentId` (2026-08).
    #[must_use]
    pub fn preferred_payout_instrument_id(&self) -> Option<&PaymentInstrumentId> {
        self.preferred_payout_instrument_id.as_ref()
    }
    /// `company` (2026-08, the server's), as read.
    #[must_use]
    pub fn company(&self) -> Option<&RawValue> {
        self.company.as_ref().map(Kept::raw)
    }
    /// `locale` (2026-08).
    #[must_use]
    pub fn locale(&self) -> Option<&Locale> {
        self.locale.as_ref()
    }
    /// `taxNumbers` (2026-08).
    #[must_use]
    pub fn tax_numbers(&self) -> Option<&[TaxNumber]> {
        self.tax_numbers.as_deref()
    }
    /// `leadSource` (2026-08, write-only: in the stored form, never in a response).
    #[must_use]
    pub fn lead_source(&self) -> Option<&LeadSource> {
        self.lead_source.as_ref()
    }
    /// `personId` (2026-08).
    #[must_use]
    pub fn person_id(&self) -> Option<&PersonId> {
        self.person_id.as_ref()
    }
    /// `notificationEmails` (2026-08).
    #[must_use]
    pub fn notification_emails(&self) -> &[NotificationEmail] {
        &self.notification_emails
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
    /// `_embedded` as read (its JSON text), when a response embedded something (`None` for
    /// `{}`).
    #[must_use]
    pub fn embedded(&self) -> Option<&RawValue> {
        self.embedded.as_ref().map(Kept::raw)
    }
    /// The top-level members this version does not know (a newer API's), kept as read; each
    /// nested object keeps its own.
    #[must_use]
    pub fn other_members(&self) -> &OtherMembers {
        &self.others
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

    /// The response as compact JSON, under the customer's revision.
    ///
    /// The same text as `serde_json::to_string(&customer)`, written by the crate's fast writer
    /// into a buffer sized for a typical customer: a server renders on every request.
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut out = JsonOut::with_capacity(2048);
        object::write(self, &mut out);
        out.into_string()
    }

    /// The stored form as compact JSON: what a server saves and later reads back with
    /// [`Customer::parse_for`]. Under 2023-01 it is the response; under 2026-08 it adds the
    /// write-only `leadSource` (and keeps a 2023-01 `isEddRequired`), which a response never
    /// shows.
    #[must_use]
    pub fn to_stored_json(&self) -> String {
        let mut out = JsonOut::with_capacity(2048);
        object::write(&StoredForm(self), &mut out);
        out.into_string()
    }

    /// The same customer under revision `contract`: its stored form read under that revision's
    /// rules. Members the other revision does not define are kept as unknown members are, and
    /// written back as they were (SPEC section 8).
    ///
    /// # Errors
    /// Every violation of the new revision's rules (a 2026-08 name with a combining mark is not
    /// a 2023-01 name).
    pub fn to_contract(&self, contract: Contract) -> Result<Customer, ValidationError> {
        if contract == self.contract {
            return Ok(self.clone());
        }
        match Customer::parse_for(self.to_stored_json().as_bytes(), contract) {
            Ok(customer) => Ok(customer),
            Err(crate::error::RequestError::Invalid(error)) => Err(error),
            // The crate's own rendering is JSON; were it not, that bug is reported plainly.
            Err(crate::error::RequestError::Malformed(_)) => {
                Err(ValidationError::single(ViolationKind::Type {
                    expected: "a JSON object",
                    nullable: false,
                }))
            }
        }
    }

    /// Writes the members of the revision's form, in order.
    fn write_form<F: Fields<CustomerMember>>(&self, fields: &mut F, stored: bool) {
        let (omitted, _) = RESPONSE_OMITS.get(self.contract);
        for member in *CUSTOMER_MEMBERS.get(self.contract) {
            let member = *member;
            if !stored && omitted.contains(&member) {
                continue;
            }
            match member {
                CustomerMember::Id => fields.field(member, &self.id),
                CustomerMember::Email => fields.field(member, &self.email()),
                CustomerMember::FirstName => fields.field(member, &self.first_name()),
                CustomerMember::LastName => fields.field(member, &self.last_name()),
                CustomerMember::WebsiteId => fields.field(member, &self.website_id),
                CustomerMember::DefaultPaymentInstrument => {
                    fields.field(member, &self.default_payment_instrument);
                }
                CustomerMember::CreatedTime => fields.field(member, &self.created_time),
                CustomerMember::UpdatedTime => fields.field(member, &self.updated_time),
                CustomerMember::CustomFields => fields.field(member, &self.custom_fields),
                CustomerMember::PrimaryAddress => fields.field(member, &self.primary_address),
                CustomerMember::AverageValue => fields.field(member, &self.average_value),
                CustomerMember::PaymentCount => fields.field(member, &self.payment_count),
                CustomerMember::LastPaymentTime => fields.field(member, &self.last_payment_time),
                CustomerMember::LifetimeRevenue => fields.field(member, &self.lifetime_revenue),
                CustomerMember::InvoiceCount => fields.field(member, &self.invoice_count),
                CustomerMember::Tags => fields.field(member, &self.tags),
                CustomerMember::Revision => fields.field(member, &self.revision),
                CustomerMember::IsEddRequired => fields.field(member, &self.is_edd_required),
                CustomerMember::HasFulfilledKyc => fields.field(member, &self.has_fulfilled_kyc),
                CustomerMember::OrganizationId => fields.field(member, &self.organization_id),
                CustomerMember::Links => fields.field(member, &Links(&self.links)),
                CustomerMember::Embedded => match &self.embedded {
                    Some(embedded) => fields.field(member, embedded),
                    None => fields.field(member, &EmptyObject),
                },
                CustomerMember::PreferredPayoutInstrumentId => {
                    fields.field(member, &self.preferred_payout_instrument_id);
                }
                CustomerMember::Company => fields.field(member, &self.company),
                CustomerMember::Locale => fields.field(member, &self.locale),
                CustomerMember::TaxNumbers => {
                    fields.field(member, &self.tax_numbers.as_deref().map(TaxNumberList));
                }
                CustomerMember::LeadSource => fields.field(member, &self.lead_source),
                CustomerMember::PersonId => fields.field(member, &self.person_id),
                CustomerMember::NotificationEmails => {
                    fields.field(member, &EmailList(&self.notification_emails));
                }
            }
        }
    }
}

/// The response: every member of the revision's response, in order; `_embedded` is `{}`, and
/// the token is not a member of the resource at all.
impl Described for Customer {
    type Member = CustomerMember;

    fn fields<F: Fields<CustomerMember>>(&self, fields: &mut F) {
        self.write_form(fields, false);
    }

    fn other_members(&self) -> &OtherMembers {
        &self.others
    }

    fn hidden_others(&self) -> &'static [&'static str] {
        RESPONSE_OMITS.get(self.contract).1
    }
}

/// The stored form (see [`Customer::to_stored_json`]).
struct StoredForm<'c>(&'c Customer);

impl Described for StoredForm<'_> {
    type Member = CustomerMember;

    fn fields<F: Fields<CustomerMember>>(&self, fields: &mut F) {
        self.0.write_form(fields, true);
    }

    fn other_members(&self) -> &OtherMembers {
        &self.0.others
    }
}

serialize_described!(Customer);

/// `_embedded`: always `{}`, since nothing is embedded unless asked for.
struct EmptyObject;

impl Serialize for EmptyObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_map(Some(0))?.end()
    }
}

impl WriteJson for EmptyObject {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw(b"{}");
    }
}

impl Customer {
    /// The request that would send this customer back, for read-modify-write: its writable
    /// members (`websiteId`, `defaultPaymentInstrument`, `customFields`, `primaryAddress`,
    /// `isEddRequired`) as they are. Applied to this customer it changes nothing; change what
    /// is needed with the request's `with_` methods first.
    ///
    /// Members a newer API added travel with what is replaced whole: the instrument and each
    /// email and phone carry theirs into the request body. The customer's and the contact's own
    /// are not sent: the upsert merges those objects member by member and keeps them.
    ///
    /// ```
    /// use rebilly_customer::{Customer, OrganizationId, Timestamp, UpsertContext, UpsertOutcome};
    /// let customer = Customer::parse(br#"{"id": "cus_1", "websiteId": "web_1",
    ///     "organizationId": "org_1", "createdTime": "2026-11-01T10:00:00Z",
    ///     "updatedTime": "2026-11-01T10:00:00Z", "revision": 3,
    ///     "primaryAddress": {"firstName": "Ann", "emails": [{"label": "a", "value": "a@b.co"}]},
    ///     "customFields": {"n": 1.0}, "defaultPaymentInstrument": {"method": "cash"}}"#)
    ///     .unwrap();
    /// let context = UpsertContext::new(
    ///     Timestamp::parse("2026-11-26T10:00:00Z").unwrap(),
    ///     OrganizationId::parse("org_1").unwrap(),
    /// );
    /// let request = customer.to_request();
    /// let outcome =
    ///     Customer::apply_upsert(Some(customer.clone()), request, &context).unwrap();
    /// assert!(matches!(outcome, UpsertOutcome::Unchanged(_)));
    /// ```
    #[must_use]
    pub fn to_request(&self) -> UpsertRequest {
        let mut request = UpsertRequest::new_for(self.id.clone(), self.contract);
        for member in *REQUEST_MEMBERS.get(self.contract) {
            match member {
                RequestMember::WebsiteId => request.website_id = Some(self.website_id.clone()),
                RequestMember::DefaultPaymentInstrument => {
                    request.default_payment_instrument =
                        self.default_payment_instrument.clone().into();
                }
                RequestMember::CustomFields => {
                    request.custom_fields = Some((&self.custom_fields).into());
                }
                RequestMember::PrimaryAddress => {
                    request.primary_address =
                        self.primary_address.as_ref().map(ContactPatch::from).into();
                }
                RequestMember::IsEddRequired => {
                    request.is_edd_required = Some(self.is_edd_required)
                }
                RequestMember::PreferredPayoutInstrumentId => {
                    request.preferred_payout_instrument_id =
                        self.preferred_payout_instrument_id.clone().into();
                }
                RequestMember::Locale => request.locale = self.locale.clone().into(),
                // `isValid` is the server's: not sent back (the upsert carries it over).
                RequestMember::TaxNumbers => {
                    request.tax_numbers = self
                        .tax_numbers
                        .as_ref()
                        .map(|items| {
                            items
                                .iter()
                                .map(|item| item.clone().with_is_valid(None))
                                .collect()
                        })
                        .into();
                }
                // Write-only and replaced whole: sent back only when the customer holds one
                // (a stored form does; a response never).
                RequestMember::LeadSource => request.lead_source = self.lead_source.clone(),
                RequestMember::PersonId => request.person_id = self.person_id.clone().into(),
                RequestMember::NotificationEmails => {
                    request.notification_emails = Some(self.notification_emails.clone());
                }
                // The id travels anyway; the token is never held; the default instrument
                // of 2026-08 is kept when absent, so it need not be looked up again.
                RequestMember::Id
                | RequestMember::PaymentToken
                | RequestMember::DefaultPaymentInstrumentId => {}
            }
        }
        request
    }

    /// Reads a customer as the API renders it (a response, or what a store holds) from JSON
    /// bytes, with every rule of the resource applied and every violation reported at once.
    ///
    /// ```
    /// use rebilly_customer::{Customer, ErrorCode, RequestError};
    /// let Err(RequestError::Invalid(error)) = Customer::parse(br#"{"id": "cus 1"}"#) else {
    ///     panic!()
    /// };
    /// let found: Vec<(String, ErrorCode)> =
    ///     error.violations().iter().map(|v| (v.field().to_string(), v.code())).collect();
    /// assert_eq!(found[0], ("id".to_owned(), ErrorCode::Pattern));
    /// assert!(found.contains(&("websiteId".to_owned(), ErrorCode::Required)));
    /// ```
    ///
    /// # Errors
    /// [`RequestError::Malformed`](crate::error::RequestError::Malformed) when the bytes are not one JSON value (a repeated member name
    /// included); otherwise [`RequestError::Invalid`](crate::error::RequestError::Invalid) with every violation and its path.
    pub fn parse(bytes: &[u8]) -> Result<Customer, crate::error::RequestError> {
        Self::parse_for(bytes, Contract::Seed2023_01)
    }

    /// Reads a customer under revision `contract`, as [`Customer::parse`] does under 2023-01.
    ///
    /// ```
    /// use rebilly_customer::{Contract, Customer};
    /// let body = r#"{"id": "cus_1", "websiteId": "web_1", "organizationId": "org_1",
    ///     "createdTime": "2026-11-01T10:00:00Z", "updatedTime": "2026-11-01T10:00:00Z",
    ///     "revision": 3, "locale": "fr-CA", "primaryAddress": {"firstName": "मुरुगन्"}}"#
    ///     .as_bytes();
    /// let customer = Customer::parse_for(body, Contract::Rebilly2026_08).unwrap();
    /// assert_eq!(customer.locale().unwrap().as_str(), "fr-CA");
    /// // 2023-01 keeps `locale` as a member it does not know, and refuses the mark.
    /// assert!(Customer::parse(body).is_err());
    /// ```
    ///
    /// # Errors
    /// As [`Customer::parse`].
    pub fn parse_for(
        bytes: &[u8],
        contract: Contract,
    ) -> Result<Customer, crate::error::RequestError> {
        de::parse_document_under(bytes, CustomerShape, contract)
    }
}

impl<'de> Deserialize<'de> for Customer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::deserialize_shape(deserializer, CustomerShape)
    }
}

impl Customer {
    /// The `ETag` of the customer: its revision as a strong entity tag, `"3"`.
    ///
    /// ```
    /// use rebilly_customer::Customer;
    /// let customer = Customer::parse(br#"{"id": "cus_1", "websiteId": "web_1",
    ///     "organizationId": "org_1", "createdTime": "2026-11-01T10:00:00Z",
    ///     "updatedTime": "2026-11-01T10:00:00Z", "revision": 3}"#).unwrap();
    /// assert_eq!(customer.etag(), r#""3""#);
    /// ```
    #[must_use]
    pub fn etag(&self) -> String {
        crate::precondition::etag_of(self.revision())
    }
}

/// Reads a customer from JSON text, as [`Customer::parse`] does: every violation is kept.
impl std::str::FromStr for Customer {
    type Err = crate::error::RequestError;

    fn from_str(text: &str) -> Result<Self, crate::error::RequestError> {
        Customer::parse(text.as_bytes())
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
        let mut others = OtherMembers::new();
        let seen = de::object_members_keeping(c, map, &mut others, |c, member, map| {
            match member {
                MoneyMember::Currency => {
                    currency = c.read(map, member, Text::<CurrencyCode>::new())?.value();
                }
                MoneyMember::Amount => amount = c.read(map, member, Amount)?.value(),
                MoneyMember::AmountUsd => amount_usd = c.read(map, member, Amount)?.value(),
            }
            Ok(())
        })?;
        c.missing::<MoneyMember>(seen);
        match (currency, amount, amount_usd) {
            (Some(currency), Some(amount), Some(amount_usd)) if c.clean_since(mark) => {
                Ok(Money::new(currency, amount, amount_usd)
                    .map_or(Got::Mismatch, |money| Got::Value(Money { others, ..money })))
            }
            _ => Ok(Got::Invalid),
        }
    }
}

/// Reads the resource. The members the description marks required must be there; the others
/// default as on create. The derived ones (`email`, `firstName`, `lastName`) and `_embedded`
/// are ignored.
struct CustomerShape;

impl<'de> Shape<'de> for CustomerShape {
    type Out = Customer;
    const EXPECTED: &'static str = "an object";

    fn on_map<A: MapAccess<'de>>(
        self,
        c: &mut Collector,
        map: A,
    ) -> Result<Got<Customer>, A::Error> {
        c.keeping_others(|c| read_customer(c, map))
    }
}

/// The members of a customer object, every object in it keeping what it does not describe.
fn read_customer<'de, A: MapAccess<'de>>(
    c: &mut Collector,
    map: A,
) -> Result<Got<Customer>, A::Error> {
    let mark = c.mark();
    let contract = c.contract;
    let mut preferred_payout_instrument_id = None;
    let mut company = None;
    let mut locale = None;
    let mut tax_numbers = None;
    let mut lead_source = None;
    let mut person_id = None;
    let mut notification_emails = Vec::new();
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
    let mut embedded = None;
    let mut others = OtherMembers::new();
    let members = CUSTOMER_MEMBERS.get(contract);
    let classify = |key: &str| {
        CustomerMember::from_key(key)
            .filter(|member| member.is_member_in(contract))
            .map(|member| (member, member.bit()))
    };
    let seen = de::classified_members(c, map, Some(&mut others), classify, |c, member, map| {
        match member {
            CustomerMember::Id => id = c.read(map, member, Text::<CustomerId>::new())?.value(),
            CustomerMember::PreferredPayoutInstrumentId => {
                preferred_payout_instrument_id = c
                    .read(map, member, Text::<PaymentInstrumentId>::new())?
                    .value();
            }
            // The server's: kept as read.
            CustomerMember::Company => {
                let value = de::kept_as_read(map)?;
                company = (value.raw().get() != "null").then_some(value);
            }
            CustomerMember::Locale => {
                locale = c.read(map, member, Text::<Locale>::new())?.value();
            }
            CustomerMember::TaxNumbers => {
                tax_numbers = c.read(map, member, TAX_NUMBERS_SHAPE)?.value();
            }
            CustomerMember::LeadSource => {
                lead_source = c.read(map, member, LeadSourceShape)?.value();
            }
            CustomerMember::PersonId => {
                person_id = c.read(map, member, Text::<PersonId>::new())?.value();
            }
            CustomerMember::NotificationEmails => {
                if let Some(emails) = c
                    .read(map, member, TextList::<NotificationEmail>::new())?
                    .value()
                {
                    notification_emails = emails;
                }
            }
            CustomerMember::WebsiteId => {
                website_id = c.read(map, member, Text::<WebsiteId>::new())?.value();
            }
            CustomerMember::OrganizationId => {
                organization_id = c.read(map, member, Text::<OrganizationId>::new())?.value();
            }
            CustomerMember::CreatedTime => {
                created_time = c.read(map, member, Text::<Timestamp>::new())?.value();
            }
            CustomerMember::UpdatedTime => {
                updated_time = c.read(map, member, Text::<Timestamp>::new())?.value();
            }
            CustomerMember::Revision => revision = c.read(map, member, Count)?.value(),
            CustomerMember::DefaultPaymentInstrument => {
                instrument = c.read(map, member, InstrumentShape)?.value();
            }
            CustomerMember::CustomFields => {
                if let Some(patch) = c.read(map, member, CustomFieldsShape)?.value() {
                    custom_fields.apply_patch(patch);
                }
            }
            CustomerMember::PrimaryAddress => {
                primary_address = c
                    .read(map, member, ContactShape)?
                    .value()
                    .map(Contact::from);
            }
            CustomerMember::IsEddRequired => {
                is_edd_required = c.read(map, member, Bool)?.value().unwrap_or_default();
            }
            CustomerMember::HasFulfilledKyc => {
                has_fulfilled_kyc = c.read(map, member, Bool)?.value().unwrap_or_default();
            }
            CustomerMember::AverageValue => {
                if let Some(money) = c.read(map, member, MoneyShape)?.value() {
                    average_value = money;
                }
            }
            CustomerMember::LifetimeRevenue => {
                if let Some(money) = c.read(map, member, MoneyShape)?.value() {
                    lifetime_revenue = money;
                }
            }
            CustomerMember::PaymentCount => {
                payment_count = c.read(map, member, Count)?.value().unwrap_or(0);
            }
            CustomerMember::InvoiceCount => {
                invoice_count = c.read(map, member, Count)?.value().unwrap_or(0);
            }
            CustomerMember::LastPaymentTime => {
                last_payment_time = c.read(map, member, Text::<Timestamp>::new())?.value();
            }
            CustomerMember::Tags => {
                if let Some(value) = c.read(map, member, CustomerTagsShape)?.value() {
                    tags = value;
                }
            }
            CustomerMember::Links => {
                if let Some(value) = c.read(map, member, LinksShape)?.value() {
                    links = value;
                }
            }
            // Embedded on request: kept as read, not judged.
            CustomerMember::Embedded => {
                let value = de::kept_as_read(map)?;
                embedded = (value.raw().get() != "{}").then_some(value);
            }
            // Derived from the contact: not stored.
            CustomerMember::Email | CustomerMember::FirstName | CustomerMember::LastName => {
                map.next_value_seed(Seed::new(c, Skip, true))?;
            }
        }
        Ok(())
    })?;
    // The request's write-only token is never a member of the resource, and a copy of one
    // must not be kept and rendered back.
    let token = RequestMember::PaymentToken.key();
    if others.remove(token).is_some() {
        c.report_at(token, ViolationKind::UnknownField);
    }
    for member in *members {
        if member.flags().required && seen & member.bit() == 0 {
            c.report_at(member.key(), ViolationKind::Required);
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
            contract,
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
            embedded,
            preferred_payout_instrument_id,
            company,
            locale,
            tax_numbers,
            lead_source,
            person_id,
            notification_emails,
            others,
        })),
        _ => Ok(Got::Invalid),
    }
}
