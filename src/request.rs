//! The request of `PUT /customers/{id}`: parsed from bytes in one pass that reports every
//! violation, in document order, with the API's field paths.

use std::fmt;

use serde::Serialize;
use serde::de::{self as serde_de, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::contact::{ContactInto, ContactPatch, EmailList, NotificationEmail};
use crate::contract::Contract;
use crate::custom_fields::{CustomFieldName, CustomFieldsPatch, CustomFieldsShape};
use crate::de::{self, Bool, Collector, Got, Raw, RawShape, Seed, Skip, Text};
use crate::error::{RequestError, ValidationError, ViolationKind};
use crate::ids::{CustomerId, Locale, PaymentInstrumentId, PersonId, WebsiteId};
use crate::json::WriteJson;
use crate::lead_source::{LeadSource, LeadSourceShape};
use crate::members::{CustomerMember, REQUEST_MEMBERS, RequestMember};
use crate::object::{self, Described, Fields, Member, OtherMembers};
use crate::patch::Patch;
use crate::payment::{InstrumentShape, PaymentInstrument, PaymentToken};
use crate::tax_numbers::{TAX_NUMBERS_SHAPE, TaxNumber, TaxNumberList};
use crate::text::nfc;

/// A member of a request body: one the request sets, or one of the resource's read-only members.
#[derive(Clone, Copy)]
enum BodyMember {
    Set(RequestMember),
    ReadOnly,
}

impl BodyMember {
    /// The request's members take the first bits, the resource's the bits after them. A member
    /// the revision's request does not set is read-only when the revision's resource has it.
    fn classify(key: &str, contract: Contract) -> Option<(BodyMember, u64)> {
        if let Some(member) = RequestMember::from_key(key) {
            if member.is_set_in(contract) {
                return Some((BodyMember::Set(member), member.bit()));
            }
        }
        CustomerMember::from_key(key)
            .filter(|member| member.is_read_only_in(contract))
            .map(|member| {
                (
                    BodyMember::ReadOnly,
                    member.bit() << RequestMember::ALL.len(),
                )
            })
    }
}

/// What to do with members the contract does not define.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UnknownMembers {
    /// Each is a 422 `unknown_field` (the default).
    #[default]
    Reject,
    /// They are dropped silently.
    Ignore,
    /// They are kept verbatim, at every level, in their places, and rendered back by the
    /// request's writers: a client or proxy that sends on what it read loses nothing. The
    /// upsert never merges them.
    Keep,
}

/// How to parse a request. The fields are private so that options can be added without
/// breaking callers: start from [`ParseOptions::new`] (the defaults) and set what differs.
///
/// ```
/// use rebilly_customer::{ParseOptions, UnknownMembers};
/// let options = ParseOptions::new().with_unknown_members(UnknownMembers::Ignore);
/// assert_eq!(options, ParseOptions::ignoring_unknown());
/// assert_eq!(options.unknown_members(), UnknownMembers::Ignore);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ParseOptions {
    unknown_members: UnknownMembers,
    contract: Contract,
}

impl ParseOptions {
    /// The defaults: revision 2023-01, unknown members are refused.
    #[must_use]
    pub const fn new() -> Self {
        ParseOptions {
            unknown_members: UnknownMembers::Reject,
            contract: Contract::Seed2023_01,
        }
    }

    /// The same options under revision `contract`.
    ///
    /// ```
    /// use rebilly_customer::{Contract, ParseOptions, UpsertRequest};
    /// let options = ParseOptions::new().with_contract(Contract::Rebilly2026_08);
    /// let request =
    ///     UpsertRequest::parse_with("cus_1", r#"{"locale": "fr-CA"}"#.as_bytes(), options).unwrap();
    /// assert_eq!(request.locale().as_value().unwrap().as_str(), "fr-CA");
    /// assert!(UpsertRequest::parse("cus_1", br#"{"locale": "fr-CA"}"#).is_err());
    /// ```
    #[must_use]
    pub const fn with_contract(mut self, contract: Contract) -> Self {
        self.contract = contract;
        self
    }

    /// The revision.
    #[must_use]
    pub const fn contract(&self) -> Contract {
        self.contract
    }

    /// Options that drop unknown members instead of refusing them.
    #[must_use]
    pub const fn ignoring_unknown() -> Self {
        Self::new().with_unknown_members(UnknownMembers::Ignore)
    }

    /// The same options with this unknown-member policy.
    #[must_use]
    pub const fn with_unknown_members(mut self, policy: UnknownMembers) -> Self {
        self.unknown_members = policy;
        self
    }

    /// The unknown-member policy.
    #[must_use]
    pub const fn unknown_members(&self) -> UnknownMembers {
        self.unknown_members
    }
}

/// A validated upsert request: the path id and each writable member of the body, keeping the
/// difference between absent, `null` and a value where the contract allows `null`.
///
/// ```
/// use rebilly_customer::{Patch, RequestError, UpsertRequest};
/// let request = UpsertRequest::parse("cus_1", br#"{"websiteId": "web_1", "primaryAddress": null}"#).unwrap();
/// assert_eq!(request.website_id().unwrap().as_str(), "web_1");
/// assert!(matches!(request.primary_address(), Patch::Null));
///
/// let Err(RequestError::Invalid(error)) = UpsertRequest::parse(
///     "cus_1", br#"{"websiteId": null, "primaryAddress": {"country": "gb"}}"#) else { panic!() };
/// let fields: Vec<String> = error.violations().iter().map(|v| v.field().to_string()).collect();
/// assert_eq!(fields, ["websiteId", "primaryAddress.country"]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpsertRequest {
    pub(crate) contract: Contract,
    pub(crate) id: CustomerId,
    pub(crate) website_id: Option<WebsiteId>,
    pub(crate) payment_token: Option<PaymentToken>,
    pub(crate) default_payment_instrument: Patch<PaymentInstrument>,
    pub(crate) default_payment_instrument_id: Patch<PaymentInstrumentId>,
    pub(crate) preferred_payout_instrument_id: Patch<PaymentInstrumentId>,
    pub(crate) custom_fields: Option<CustomFieldsPatch>,
    pub(crate) primary_address: Patch<ContactPatch>,
    pub(crate) is_edd_required: Option<bool>,
    pub(crate) locale: Patch<Locale>,
    pub(crate) tax_numbers: Patch<Vec<TaxNumber>>,
    pub(crate) lead_source: Option<LeadSource>,
    pub(crate) person_id: Patch<PersonId>,
    pub(crate) notification_emails: Option<Vec<NotificationEmail>>,
    /// Members no revision defines, kept with [`UnknownMembers::Keep`] for sending on.
    pub(crate) others: OtherMembers,
    /// Read with [`UnknownMembers::Keep`]: unknown members may be kept at any level.
    pub(crate) kept_unknown: bool,
}

impl UpsertRequest {
    /// Parses `body` for the customer `path_id`, refusing unknown members.
    ///
    /// # Errors
    /// [`RequestError::Malformed`] when the bytes are not one JSON object (with line and column);
    /// otherwise [`RequestError::Invalid`] with every violation of the path id and the body.
    pub fn parse(path_id: &str, body: &[u8]) -> Result<Self, RequestError> {
        Self::parse_with(path_id, body, ParseOptions::default())
    }

    /// Parses with explicit options.
    ///
    /// # Errors
    /// As [`UpsertRequest::parse`].
    pub fn parse_with(
        path_id: &str,
        body: &[u8],
        options: ParseOptions,
    ) -> Result<Self, RequestError> {
        let mut c = Collector::new(options.unknown_members == UnknownMembers::Ignore)
            .under(options.contract);
        c.keep_others = options.unknown_members == UnknownMembers::Keep;
        let path_id = nfc(path_id);
        let id = match CustomerId::parse(&path_id) {
            Ok(id) => Some(id),
            Err(error) => {
                c.enter(RequestMember::Id.key());
                c.absorb(error);
                c.leave();
                None
            }
        };
        // A refused path id is already reported, so the request is refused too: the stand-in
        // never leaves the parser. The members are written in place, not returned up the walk.
        let mut request = UpsertRequest::new(id.unwrap_or_else(|| CustomerId::from_static("_")));
        request.contract = options.contract;
        request.kept_unknown = options.unknown_members == UnknownMembers::Keep;
        let top = TopLevel {
            c: &mut c,
            path_id: &path_id,
            request: &mut request,
        };
        // Valid UTF-8 is checked once for the whole body, so the reader need not check each
        // string again; bytes that are not UTF-8 go through the byte reader, which says where.
        match simdutf8::basic::from_utf8(body) {
            Ok(text) => {
                top.c.raw_values = crate::de::RawValues::borrowed_from(text);
                read_body(top, serde_json::Deserializer::from_str(text))
            }
            Err(_) => {
                top.c.raw_values = crate::de::RawValues::Off;
                read_body(top, serde_json::Deserializer::from_slice(body))
            }
        }
        .map_err(|e| RequestError::Malformed(crate::de::malformed(&mut c, body, &e)))?;
        let violations = c.into_violations();
        if violations.is_empty() {
            Ok(request)
        } else {
            Err(RequestError::Invalid(ValidationError::new(violations)))
        }
    }

    /// A builder of a request for the path id `path_id`, from plain text and values,
    /// collecting every violation at once.
    pub fn builder(path_id: &str) -> RequestBuilder {
        Self::builder_for(path_id, Contract::Seed2023_01)
    }

    /// A builder of a request of revision `contract`. A member the revision does not set is
    /// an `unknown_field` when built.
    ///
    /// ```
    /// use rebilly_customer::{Contact, Contract, UpsertRequest};
    /// let request = UpsertRequest::builder_for("cus_1", Contract::Rebilly2026_08)
    ///     .locale("fr-CA")
    ///     .notification_email("billing@example.com")
    ///     .null("personId")
    ///     .primary_address(Contact::builder_for(Contract::Rebilly2026_08).first_name("Zoë").null("city"))
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(
    ///     request.to_body_with_token(),
    ///     r#"{"id":"cus_1","primaryAddress":{"firstName":"Zoë","city":null},"locale":"fr-CA","personId":null,"notificationEmails":["billing@example.com"]}"#
    /// );
    /// ```
    pub fn builder_for(path_id: &str, contract: Contract) -> RequestBuilder {
        let mut builder = RequestBuilder {
            request: UpsertRequest::new_for(CustomerId::from_static("_"), contract),
            violations: Vec::new(),
        };
        match CustomerId::parse(&nfc(path_id)) {
            Ok(id) => builder.request.id = id,
            Err(error) => builder.absorb(&[RequestMember::Id.key().into()], error),
        }
        builder
    }

    /// A request of revision 2023-01 for `id` that changes nothing; set members with the
    /// `with_` methods.
    #[must_use]
    pub fn new(id: CustomerId) -> Self {
        Self::new_for(id, Contract::Seed2023_01)
    }

    /// A request of revision `contract` for `id` that changes nothing.
    #[must_use]
    pub fn new_for(id: CustomerId, contract: Contract) -> Self {
        UpsertRequest {
            contract,
            id,
            website_id: None,
            payment_token: None,
            default_payment_instrument: Patch::Absent,
            default_payment_instrument_id: Patch::Absent,
            preferred_payout_instrument_id: Patch::Absent,
            custom_fields: None,
            primary_address: Patch::Absent,
            is_edd_required: None,
            locale: Patch::Absent,
            tax_numbers: Patch::Absent,
            lead_source: None,
            person_id: Patch::Absent,
            notification_emails: None,
            others: OtherMembers::new(),
            kept_unknown: false,
        }
    }

    /// Whether the request was read keeping unknown members ([`UnknownMembers::Keep`]).
    pub(crate) fn keeps_unknown(&self) -> bool {
        self.kept_unknown
    }

    /// The revision the request was built for.
    #[must_use]
    pub fn contract(&self) -> Contract {
        self.contract
    }

    /// Sets `defaultPaymentInstrumentId` (2026-08).
    #[must_use]
    pub fn with_default_payment_instrument_id(mut self, patch: Patch<PaymentInstrumentId>) -> Self {
        self.default_payment_instrument_id = patch;
        self
    }
    /// Sets `preferredPayoutInstrumentId` (2026-08).
    #[must_use]
    pub fn with_preferred_payout_instrument_id(
        mut self,
        patch: Patch<PaymentInstrumentId>,
    ) -> Self {
        self.preferred_payout_instrument_id = patch;
        self
    }
    /// Sets `locale` (2026-08).
    #[must_use]
    pub fn with_locale(mut self, patch: Patch<Locale>) -> Self {
        self.locale = patch;
        self
    }
    /// Sets `taxNumbers` (2026-08).
    #[must_use]
    pub fn with_tax_numbers(mut self, patch: Patch<Vec<TaxNumber>>) -> Self {
        self.tax_numbers = patch;
        self
    }
    /// Sets `leadSource` (2026-08).
    #[must_use]
    pub fn with_lead_source(mut self, lead_source: LeadSource) -> Self {
        self.lead_source = Some(lead_source);
        self
    }
    /// Sets `personId` (2026-08).
    #[must_use]
    pub fn with_person_id(mut self, patch: Patch<PersonId>) -> Self {
        self.person_id = patch;
        self
    }
    /// Sets `notificationEmails` (2026-08).
    #[must_use]
    pub fn with_notification_emails(mut self, emails: Vec<NotificationEmail>) -> Self {
        self.notification_emails = Some(emails);
        self
    }

    /// `defaultPaymentInstrumentId` (2026-08).
    #[must_use]
    pub fn default_payment_instrument_id(&self) -> &Patch<PaymentInstrumentId> {
        &self.default_payment_instrument_id
    }
    /// `preferredPayoutInstrumentId` (2026-08).
    #[must_use]
    pub fn preferred_payout_instrument_id(&self) -> &Patch<PaymentInstrumentId> {
        &self.preferred_payout_instrument_id
    }
    /// `locale` (2026-08).
    #[must_use]
    pub fn locale(&self) -> &Patch<Locale> {
        &self.locale
    }
    /// `taxNumbers` (2026-08).
    #[must_use]
    pub fn tax_numbers(&self) -> &Patch<Vec<TaxNumber>> {
        &self.tax_numbers
    }
    /// `leadSource` (2026-08), if sent.
    #[must_use]
    pub fn lead_source(&self) -> Option<&LeadSource> {
        self.lead_source.as_ref()
    }
    /// `personId` (2026-08).
    #[must_use]
    pub fn person_id(&self) -> &Patch<PersonId> {
        &self.person_id
    }
    /// `notificationEmails` (2026-08), if sent.
    #[must_use]
    pub fn notification_emails(&self) -> Option<&[NotificationEmail]> {
        self.notification_emails.as_deref()
    }
    /// The members no revision defines, kept by [`UnknownMembers::Keep`].
    #[must_use]
    pub fn other_members(&self) -> &OtherMembers {
        &self.others
    }

    /// Sets `websiteId`.
    #[must_use]
    pub fn with_website_id(mut self, website_id: WebsiteId) -> Self {
        self.website_id = Some(website_id);
        self
    }
    /// Sets `paymentToken`.
    #[must_use]
    pub fn with_payment_token(mut self, token: PaymentToken) -> Self {
        self.payment_token = Some(token);
        self
    }
    /// Sets what happens to `defaultPaymentInstrument`.
    #[must_use]
    pub fn with_default_payment_instrument(mut self, patch: Patch<PaymentInstrument>) -> Self {
        self.default_payment_instrument = patch;
        self
    }
    /// Sets the `customFields` merge patch.
    #[must_use]
    pub fn with_custom_fields(mut self, patch: CustomFieldsPatch) -> Self {
        self.custom_fields = Some(patch);
        self
    }
    /// Sets what happens to `primaryAddress`.
    #[must_use]
    pub fn with_primary_address(mut self, patch: Patch<ContactPatch>) -> Self {
        self.primary_address = patch;
        self
    }
    /// Sets `isEddRequired`.
    #[must_use]
    pub fn with_is_edd_required(mut self, value: bool) -> Self {
        self.is_edd_required = Some(value);
        self
    }

    /// The path id.
    #[must_use]
    pub fn id(&self) -> &CustomerId {
        &self.id
    }
    /// `websiteId`, if sent.
    #[must_use]
    pub fn website_id(&self) -> Option<&WebsiteId> {
        self.website_id.as_ref()
    }
    /// `paymentToken`, if sent.
    #[must_use]
    pub fn payment_token(&self) -> Option<&PaymentToken> {
        self.payment_token.as_ref()
    }
    /// What the request does to `defaultPaymentInstrument`.
    #[must_use]
    pub fn default_payment_instrument(&self) -> &Patch<PaymentInstrument> {
        &self.default_payment_instrument
    }
    /// The `customFields` merge patch, if sent.
    #[must_use]
    pub fn custom_fields(&self) -> Option<&CustomFieldsPatch> {
        self.custom_fields.as_ref()
    }
    /// What the request does to `primaryAddress`.
    #[must_use]
    pub fn primary_address(&self) -> &Patch<ContactPatch> {
        &self.primary_address
    }
    /// `isEddRequired`, if sent.
    #[must_use]
    pub fn is_edd_required(&self) -> Option<bool> {
        self.is_edd_required
    }
}

/// Builds a request from plain text and values, as a client does: each member is parsed with
/// its rules, and every violation is kept with its path until [`RequestBuilder::build`] reports
/// them all at once, as the parser does.
///
/// ```
/// use rebilly_customer::{Contact, ErrorCode, UpsertRequest};
/// let request = UpsertRequest::builder("cus_1")
///     .website_id("web_1")
///     .payment_token("tok_1")
///     .primary_address(Contact::builder().first_name("José").email("main", "jose@example.com", true))
///     .custom_field("tier", serde_json::json!("gold"))
///     .build()
///     .unwrap();
/// assert_eq!(request.website_id().unwrap().as_str(), "web_1");
///
/// let error = UpsertRequest::builder("cus 1")
///     .website_id("")
///     .primary_address(Contact::builder().country("UK"))
///     .custom_field("bad name", serde_json::json!(1))
///     .build()
///     .unwrap_err();
/// let found: Vec<(String, ErrorCode)> =
///     error.violations().iter().map(|v| (v.field().to_string(), v.code())).collect();
/// assert_eq!(found, [
///     ("id".to_owned(), ErrorCode::Pattern),
///     ("websiteId".to_owned(), ErrorCode::Empty),
///     ("primaryAddress.country".to_owned(), ErrorCode::UnknownCountry),
///     ("customFields.bad name".to_owned(), ErrorCode::Pattern),
/// ]);
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct RequestBuilder {
    request: UpsertRequest,
    violations: Vec<crate::error::Violation>,
}

impl RequestBuilder {
    fn absorb(&mut self, at: &[crate::error::PathSegment], error: ValidationError) {
        self.violations
            .extend(error.into_iter().map(|violation| violation.prefixed(at)));
    }

    /// Sets `websiteId`.
    pub fn website_id(mut self, text: &str) -> Self {
        match WebsiteId::parse(text) {
            Ok(id) => self.request.website_id = Some(id),
            Err(error) => self.absorb(&[RequestMember::WebsiteId.key().into()], error),
        }
        self
    }

    /// Sets `paymentToken` (sent by [`UpsertRequest::to_body_with_token`] only).
    pub fn payment_token(mut self, text: &str) -> Self {
        match PaymentToken::parse(text) {
            Ok(token) => self.request.payment_token = Some(token),
            Err(error) => self.absorb(&[RequestMember::PaymentToken.key().into()], error),
        }
        self
    }

    /// Sets `defaultPaymentInstrument`.
    pub fn default_payment_instrument(mut self, instrument: PaymentInstrument) -> Self {
        self.check_member(RequestMember::DefaultPaymentInstrument);
        self.request.default_payment_instrument = Patch::Value(instrument);
        self
    }

    /// Sets a custom field (merged as RFC 7396 says): any [`CustomFieldValue`], a
    /// `serde_json::Value` (`json!`) or a [`JsonNumber`] that keeps its text.
    ///
    /// [`CustomFieldValue`]: crate::CustomFieldValue
    /// [`JsonNumber`]: crate::JsonNumber
    pub fn custom_field(
        self,
        name: &str,
        value: impl Into<crate::custom_fields::CustomFieldValue>,
    ) -> Self {
        self.custom_field_patch(name, Some(value.into()))
    }

    fn custom_field_patch(
        mut self,
        name: &str,
        value: Option<crate::custom_fields::CustomFieldValue>,
    ) -> Self {
        match CustomFieldName::parse(name) {
            Ok(name) => self
                .request
                .custom_fields
                .get_or_insert_with(CustomFieldsPatch::new)
                .push(name, value),
            Err(error) => {
                let at = [
                    RequestMember::CustomFields.key().into(),
                    name.to_owned().into(),
                ];
                self.absorb(&at, error);
            }
        }
        self
    }

    /// Sets `primaryAddress` from a contact builder (its members merge into the stored
    /// contact); its violations are reported under `primaryAddress`.
    pub fn primary_address(mut self, contact: crate::contact::ContactBuilder) -> Self {
        match contact.build_patch() {
            Ok(patch) => self.request.primary_address = Patch::Value(patch),
            Err(error) => self.absorb(&[RequestMember::PrimaryAddress.key().into()], error),
        }
        self
    }

    /// Sets `isEddRequired` (2023-01).
    pub fn is_edd_required(mut self, value: bool) -> Self {
        self.request.is_edd_required = Some(value);
        self.check_member(RequestMember::IsEddRequired);
        self
    }

    /// A member the request's revision does not set is reported where it was set.
    fn check_member(&mut self, member: RequestMember) {
        if !member.is_set_in(self.request.contract) {
            self.absorb(
                &[member.key().into()],
                ValidationError::single(ViolationKind::UnknownField),
            );
        }
    }

    /// Parses `text` for a member of 2026-08.
    fn text<T: de::ParseText>(&mut self, member: RequestMember, text: &str) -> Option<T> {
        self.check_member(member);
        match T::parse_text(text, self.request.contract) {
            Ok(value) => Some(value),
            Err(error) => {
                self.absorb(&[member.key().into()], error);
                None
            }
        }
    }

    /// Sets `locale` (2026-08).
    pub fn locale(mut self, text: &str) -> Self {
        if let Some(value) = self.text(RequestMember::Locale, text) {
            self.request.locale = Patch::Value(value);
        }
        self
    }

    /// Sets `personId` (2026-08).
    pub fn person_id(mut self, text: &str) -> Self {
        if let Some(value) = self.text(RequestMember::PersonId, text) {
            self.request.person_id = Patch::Value(value);
        }
        self
    }

    /// Sets `defaultPaymentInstrumentId` (2026-08): the server looks it up in its vault.
    pub fn default_payment_instrument_id(mut self, text: &str) -> Self {
        if let Some(value) = self.text(RequestMember::DefaultPaymentInstrumentId, text) {
            self.request.default_payment_instrument_id = Patch::Value(value);
        }
        self
    }

    /// Sets `preferredPayoutInstrumentId` (2026-08).
    pub fn preferred_payout_instrument_id(mut self, text: &str) -> Self {
        if let Some(value) = self.text(RequestMember::PreferredPayoutInstrumentId, text) {
            self.request.preferred_payout_instrument_id = Patch::Value(value);
        }
        self
    }

    /// Adds an address to `notificationEmails` (2026-08; the list is sent whole).
    pub fn notification_email(mut self, text: &str) -> Self {
        let index = self
            .request
            .notification_emails
            .get_or_insert_with(Vec::new)
            .len();
        self.check_member(RequestMember::NotificationEmails);
        match NotificationEmail::parse(text) {
            Ok(email) => self
                .request
                .notification_emails
                .get_or_insert_with(Vec::new)
                .push(email),
            Err(error) => {
                let at = [RequestMember::NotificationEmails.key().into(), index.into()];
                self.absorb(&at, error);
            }
        }
        self
    }

    /// Adds a tax number to `taxNumbers` (2026-08; the list is sent whole).
    pub fn tax_number(mut self, tax_number: TaxNumber) -> Self {
        self.check_member(RequestMember::TaxNumbers);
        match &mut self.request.tax_numbers {
            Patch::Value(items) => items.push(tax_number),
            patch => *patch = Patch::Value(vec![tax_number]),
        }
        self
    }

    /// Sets `leadSource` (2026-08).
    pub fn lead_source(mut self, lead_source: LeadSource) -> Self {
        self.check_member(RequestMember::LeadSource);
        self.request.lead_source = Some(lead_source);
        self
    }

    /// Sends `null` for the top-level member named `name`, which clears it: `primaryAddress`,
    /// `defaultPaymentInstrument` (2023-01), or 2026-08's `locale`, `personId`, `taxNumbers`,
    /// `preferredPayoutInstrumentId`, `defaultPaymentInstrumentId`. Any other name (or a
    /// member the revision does not have) is an error where it was set.
    pub fn null(mut self, name: &str) -> Self {
        let member = RequestMember::from_key(name)
            .filter(|member| member.flags().nullable && *member != RequestMember::Id)
            .filter(|member| member.is_set_in(self.request.contract));
        let request = &mut self.request;
        match member {
            Some(RequestMember::PrimaryAddress) => request.primary_address = Patch::Null,
            Some(RequestMember::DefaultPaymentInstrument) => {
                request.default_payment_instrument = Patch::Null;
            }
            Some(RequestMember::DefaultPaymentInstrumentId) => {
                request.default_payment_instrument_id = Patch::Null;
            }
            Some(RequestMember::PreferredPayoutInstrumentId) => {
                request.preferred_payout_instrument_id = Patch::Null;
            }
            Some(RequestMember::Locale) => request.locale = Patch::Null,
            Some(RequestMember::TaxNumbers) => request.tax_numbers = Patch::Null,
            Some(RequestMember::PersonId) => request.person_id = Patch::Null,
            _ => {
                let kind = if RequestMember::from_key(name).is_some() {
                    ViolationKind::NotNull
                } else {
                    ViolationKind::UnknownField
                };
                self.absorb(&[name.to_owned().into()], ValidationError::single(kind));
            }
        }
        self
    }

    /// The request.
    ///
    /// # Errors
    /// Every violation of the path id and of every member, with its path.
    pub fn build(self) -> Result<UpsertRequest, ValidationError> {
        if self.violations.is_empty() {
            Ok(self.request)
        } else {
            Err(ValidationError::new(self.violations))
        }
    }
}

impl UpsertRequest {
    /// The body a client sends: the members the request sets, in NFC, and the payment token,
    /// which no other rendering writes (not `Debug`, not `Serialize`).
    ///
    /// ```
    /// use rebilly_customer::{PaymentToken, UpsertRequest};
    /// let request = UpsertRequest::parse("cus_1", br#"{"paymentToken": "tok_1"}"#).unwrap();
    /// let body = request.to_body_with_token();
    /// assert_eq!(body, r#"{"id":"cus_1","paymentToken":"tok_1"}"#);
    /// assert_eq!(UpsertRequest::parse("cus_1", body.as_bytes()).unwrap(), request);
    /// // The default Serialize refuses rather than drop the token silently.
    /// assert!(serde_json::to_string(&request).is_err());
    /// assert!(!format!("{request:?}").contains("tok_1"));
    /// ```
    #[must_use]
    pub fn to_body_with_token(&self) -> String {
        let mut out = crate::json::JsonOut::with_capacity(512);
        object::write(&WithToken(self), &mut out);
        out.into_string()
    }

    /// Writes the members the request sets; the token only when `with_token`.
    fn write_fields<F: Fields<RequestMember>>(&self, fields: &mut F, with_token: bool) {
        for member in *REQUEST_MEMBERS.get(self.contract) {
            let member = *member;
            match member {
                RequestMember::Id => fields.field(member, &self.id),
                RequestMember::WebsiteId => {
                    if let Some(website_id) = &self.website_id {
                        fields.field(member, website_id);
                    }
                }
                RequestMember::PaymentToken => {
                    if let Some(token) = self.payment_token.as_ref().filter(|_| with_token) {
                        fields.field(member, token.expose_secret());
                    }
                }
                RequestMember::DefaultPaymentInstrument => {
                    patch_field(fields, member, &self.default_payment_instrument);
                }
                RequestMember::CustomFields => {
                    if let Some(patch) = &self.custom_fields {
                        fields.field(member, patch);
                    }
                }
                RequestMember::PrimaryAddress => {
                    patch_field(fields, member, &self.primary_address);
                }
                RequestMember::IsEddRequired => {
                    if let Some(value) = &self.is_edd_required {
                        fields.field(member, value);
                    }
                }
                RequestMember::DefaultPaymentInstrumentId => {
                    patch_field(fields, member, &self.default_payment_instrument_id);
                }
                RequestMember::PreferredPayoutInstrumentId => {
                    patch_field(fields, member, &self.preferred_payout_instrument_id);
                }
                RequestMember::Locale => patch_field(fields, member, &self.locale),
                RequestMember::TaxNumbers => match &self.tax_numbers {
                    Patch::Absent => {}
                    Patch::Null => fields.field(member, &None::<bool>),
                    Patch::Value(items) => fields.field(member, &TaxNumberList(items)),
                },
                RequestMember::LeadSource => {
                    if let Some(source) = &self.lead_source {
                        fields.field(member, source);
                    }
                }
                RequestMember::PersonId => patch_field(fields, member, &self.person_id),
                RequestMember::NotificationEmails => {
                    if let Some(emails) = &self.notification_emails {
                        fields.field(member, &EmailList(emails));
                    }
                }
            }
        }
    }
}

/// The normalized request: the path id and the members that were sent, in NFC; never the token.
impl Described for UpsertRequest {
    type Member = RequestMember;

    fn fields<F: Fields<RequestMember>>(&self, fields: &mut F) {
        self.write_fields(fields, false);
    }

    fn other_members(&self) -> &OtherMembers {
        &self.others
    }
}

/// The wire form, token included: only [`UpsertRequest::to_body_with_token`] writes it.
struct WithToken<'r>(&'r UpsertRequest);

impl Described for WithToken<'_> {
    type Member = RequestMember;

    fn fields<F: Fields<RequestMember>>(&self, fields: &mut F) {
        self.0.write_fields(fields, true);
    }

    fn other_members(&self) -> &OtherMembers {
        &self.0.others
    }
}

/// The members the request sets, in NFC. A request that holds a payment token is an error
/// here, never a body without it: a client sending it would lose the token without a word.
/// [`UpsertRequest::to_body_with_token`] writes the body with the token.
impl Serialize for UpsertRequest {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.payment_token.is_some() {
            return Err(serde::ser::Error::custom(
                "the request holds a payment token, which Serialize never writes: \
                 send the body of to_body_with_token()",
            ));
        }
        object::serialize(self, serializer)
    }
}

/// A patch's member: left out when absent, `null` when cleared.
fn patch_field<F, T>(fields: &mut F, member: RequestMember, patch: &Patch<T>)
where
    F: Fields<RequestMember>,
    T: Serialize + WriteJson,
{
    match patch {
        Patch::Absent => {}
        Patch::Null => fields.field(member, &None::<T>),
        Patch::Value(value) => fields.field(member, value),
    }
}

/// Reads the whole body: one JSON object and nothing after it.
fn read_body<'de, R: serde_json::de::Read<'de>>(
    top: TopLevel<'_, '_, '_>,
    mut deserializer: serde_json::Deserializer<R>,
) -> Result<(), serde_json::Error> {
    top.deserialize(&mut deserializer)?;
    deserializer.end()
}

/// The body's top level, which must be an object; anything else is malformed (400).
struct TopLevel<'c, 'p, 'r> {
    c: &'c mut Collector,
    path_id: &'p str,
    /// Where the members go.
    request: &'r mut UpsertRequest,
}

const NOT_AN_OBJECT: &str = "the request body must be a JSON object";

impl<'de> DeserializeSeed<'de> for TopLevel<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopLevel<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    // Every non-object answer says the same thing and never quotes the value.
    fn visit_bool<E: serde_de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(NOT_AN_OBJECT))
    }
    fn visit_i64<E: serde_de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom(NOT_AN_OBJECT))
    }
    fn visit_u64<E: serde_de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom(NOT_AN_OBJECT))
    }
    fn visit_f64<E: serde_de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom(NOT_AN_OBJECT))
    }
    fn visit_str<E: serde_de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom(NOT_AN_OBJECT))
    }
    fn visit_unit<E: serde_de::Error>(self) -> Result<(), E> {
        Err(E::custom(NOT_AN_OBJECT))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(serde_de::Error::custom(NOT_AN_OBJECT))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let TopLevel {
            c,
            path_id,
            request,
        } = self;
        let contract = c.contract;
        let mut others = OtherMembers::new();
        let classify = |key: &str| BodyMember::classify(key, contract);
        de::classified_members(c, map, Some(&mut others), classify, |c, member, map| {
            let BodyMember::Set(member) = member else {
                // Read-only: accepted unchecked, so a client may send back what it read.
                map.next_value_seed(Seed::new(c, Skip, true))?;
                return Ok(());
            };
            match member {
                RequestMember::Id => {
                    let same = match map.next_value_seed(Seed::new(c, RawShape, true))? {
                        Got::Value(Raw::Text(text)) => nfc(&text) == path_id,
                        _ => false,
                    };
                    if !same {
                        c.report_at(member.key(), ViolationKind::IdMismatch);
                    }
                }
                RequestMember::WebsiteId => {
                    request.website_id = c.read(map, member, Text::<WebsiteId>::new())?.value();
                }
                RequestMember::PaymentToken => {
                    request.payment_token =
                        c.read(map, member, Text::<PaymentToken>::new())?.value();
                }
                RequestMember::DefaultPaymentInstrument => {
                    request.default_payment_instrument =
                        Patch::from_got(c.read(map, member, InstrumentShape)?);
                }
                RequestMember::CustomFields => {
                    request.custom_fields = c.read(map, member, CustomFieldsShape)?.value();
                }
                RequestMember::PrimaryAddress => {
                    // Read in place. When the object is refused the request is refused too,
                    // so what is left in the patch then does not matter.
                    let patch = request
                        .primary_address
                        .insert_value(ContactPatch::default());
                    if let Got::Null = c.read(map, member, ContactInto(patch))? {
                        request.primary_address = Patch::Null;
                    }
                }
                RequestMember::IsEddRequired => {
                    request.is_edd_required = c.read(map, member, Bool)?.value();
                }
                RequestMember::DefaultPaymentInstrumentId => {
                    request.default_payment_instrument_id =
                        Patch::from_got(c.read(map, member, Text::<PaymentInstrumentId>::new())?);
                }
                RequestMember::PreferredPayoutInstrumentId => {
                    request.preferred_payout_instrument_id =
                        Patch::from_got(c.read(map, member, Text::<PaymentInstrumentId>::new())?);
                }
                RequestMember::Locale => {
                    request.locale = Patch::from_got(c.read(map, member, Text::<Locale>::new())?);
                }
                RequestMember::TaxNumbers => {
                    request.tax_numbers =
                        Patch::from_got(c.read(map, member, TAX_NUMBERS_SHAPE)?);
                }
                RequestMember::LeadSource => {
                    request.lead_source = c.read(map, member, LeadSourceShape)?.value();
                }
                RequestMember::PersonId => {
                    request.person_id =
                        Patch::from_got(c.read(map, member, Text::<PersonId>::new())?);
                }
                RequestMember::NotificationEmails => {
                    request.notification_emails = c
                        .read(map, member, de::TextList::<NotificationEmail>::new())?
                        .value();
                }
            }
            Ok(())
        })?;
        request.others = others;
        Ok(())
    }
}

impl From<ValidationError> for RequestError {
    fn from(error: ValidationError) -> Self {
        RequestError::Invalid(error)
    }
}
