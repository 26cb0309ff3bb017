//! What the upsert needs from outside the request: the clock, the organization, the token
//! resolver, the custom field definitions and the base URL. The crate reads none of these itself.

use std::fmt;

use crate::codes::CurrencyCode;
use crate::contract::Contract;
use crate::custom_fields::CustomFieldDefinitions;
use crate::customer::links::BaseUrl;
use crate::error::TokenRejection;
use crate::ids::{OrganizationId, PaymentInstrumentId, WebsiteId};
use crate::payment::{PaymentInstrument, PaymentMethod, PaymentToken};
use crate::time::Timestamp;

/// The base URL of links when the context sets none.
pub const DEFAULT_BASE_URL: &str = "https://api.rebilly.com";

/// Exchanges a payment token for the instrument it stands for. The crate never looks tokens up
/// itself: a server implements this over its vault, a test with a map or a closure.
///
/// ```
/// use rebilly_customer::{PaymentInstrument, PaymentMethod, PaymentToken, TokenRejection, TokenResolver};
/// let resolver = |token: &PaymentToken| match token.expose_secret() {
///     "tok_cash" => Ok(PaymentInstrument::cash(None)),
///     _ => Err(TokenRejection::new("the token is unknown or has expired")),
/// };
/// let token = PaymentToken::parse("tok_cash").unwrap();
/// assert_eq!(resolver.resolve(&token).unwrap().method(), Some(PaymentMethod::Cash));
/// ```
///
/// `Send + Sync`, so that a context can cross an `.await` and serve several threads; a resolver
/// that must await a vault resolves the token before the upsert instead.
pub trait TokenResolver: Send + Sync {
    /// The instrument `token` stands for.
    ///
    /// # Errors
    /// A [`TokenRejection`] when the token cannot be used.
    fn resolve(&self, token: &PaymentToken) -> Result<PaymentInstrument, TokenRejection>;
}

impl<F> TokenResolver for F
where
    F: Fn(&PaymentToken) -> Result<PaymentInstrument, TokenRejection> + Send + Sync,
{
    fn resolve(&self, token: &PaymentToken) -> Result<PaymentInstrument, TokenRejection> {
        self(token)
    }
}

/// The server's vault, as 2026-08's `defaultPaymentInstrumentId` needs it: the method of the
/// instrument with an id, or `None` when the vault holds no such instrument. The id is the NFC
/// id the request sent, compared exactly.
///
/// ```
/// use std::collections::HashMap;
/// use rebilly_customer::{InstrumentLookup, PaymentInstrumentId, PaymentMethod};
/// let vault: HashMap<String, PaymentMethod> =
///     [("inst_1".to_owned(), PaymentMethod::PaymentCard)].into();
/// let id = PaymentInstrumentId::parse("inst_1").unwrap();
/// assert_eq!(vault.method_of(&id), Some(PaymentMethod::PaymentCard));
/// ```
pub trait InstrumentLookup: Send + Sync {
    /// The method of the instrument `id`, if the vault holds it.
    fn method_of(&self, id: &PaymentInstrumentId) -> Option<PaymentMethod>;
}

impl InstrumentLookup for std::collections::HashMap<String, PaymentMethod> {
    fn method_of(&self, id: &PaymentInstrumentId) -> Option<PaymentMethod> {
        self.get(id.as_str()).copied()
    }
}

impl InstrumentLookup for std::collections::BTreeMap<String, PaymentMethod> {
    fn method_of(&self, id: &PaymentInstrumentId) -> Option<PaymentMethod> {
        self.get(id.as_str()).copied()
    }
}

impl<F> InstrumentLookup for F
where
    F: Fn(&PaymentInstrumentId) -> Option<PaymentMethod> + Send + Sync,
{
    fn method_of(&self, id: &PaymentInstrumentId) -> Option<PaymentMethod> {
        self(id)
    }
}

/// The resolver of a context that sets none: it refuses every token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RefuseAllTokens;

impl TokenResolver for RefuseAllTokens {
    fn resolve(&self, _: &PaymentToken) -> Result<PaymentInstrument, TokenRejection> {
        Err(TokenRejection::new(
            "no payment token resolver is configured",
        ))
    }
}

/// Everything [`Customer::apply_upsert`](crate::Customer::apply_upsert) takes besides the stored
/// customer and the request.
///
/// `new` sets what has no sensible default (the time and the organization); the rest defaults to
/// no default website, no expected revision, a resolver that refuses every token, no custom field
/// definitions (any name and value is accepted), links under `https://api.rebilly.com`, and
/// statistics in `USD`.
///
/// ```
/// use rebilly_customer::{BaseUrl, OrganizationId, Timestamp, UpsertContext, WebsiteId};
/// let now = Timestamp::parse("2026-11-26T10:00:00Z").unwrap();
/// let context = UpsertContext::new(now, OrganizationId::parse("org_1").unwrap())
///     .with_default_website(WebsiteId::parse("web_1").unwrap())
///     .with_expected_revision(3)
///     .with_base_url(BaseUrl::parse("https://api.example.com/").unwrap());
/// assert_eq!(context.base_url(), "https://api.example.com");
/// ```
#[derive(Clone)]
pub struct UpsertContext<'a> {
    pub(crate) now: Timestamp,
    pub(crate) organization_id: OrganizationId,
    pub(crate) default_website_id: Option<WebsiteId>,
    pub(crate) expected_revision: Option<u64>,
    /// The request's `If-Match`, judged against the stored customer (412).
    pub(crate) if_match: Option<crate::precondition::IfMatch>,
    /// The request's `If-None-Match`, judged against the stored customer (412).
    pub(crate) if_none_match: Option<crate::precondition::IfNoneMatch>,
    pub(crate) token_resolver: &'a dyn TokenResolver,
    /// The request's token, already resolved by the caller (an async vault): used instead of
    /// `token_resolver`.
    pub(crate) resolved_token: Option<Result<PaymentInstrument, TokenRejection>>,
    pub(crate) custom_field_definitions: Option<&'a CustomFieldDefinitions>,
    pub(crate) base_url: String,
    pub(crate) reporting_currency: CurrencyCode,
    pub(crate) contract: Contract,
    /// The vault behind 2026-08's `defaultPaymentInstrumentId`; none refuses every id.
    pub(crate) instrument_lookup: Option<&'a dyn InstrumentLookup>,
}

impl<'a> UpsertContext<'a> {
    /// A context at `now` (fractions of a second are dropped) for `organization_id`.
    pub fn new(now: impl Into<Timestamp>, organization_id: OrganizationId) -> Self {
        UpsertContext {
            now: now.into(),
            organization_id,
            default_website_id: None,
            expected_revision: None,
            if_match: None,
            if_none_match: None,
            token_resolver: &RefuseAllTokens,
            resolved_token: None,
            custom_field_definitions: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            reporting_currency: CurrencyCode::USD,
            contract: Contract::Seed2023_01,
            instrument_lookup: None,
        }
    }

    /// The revision of the upsert (2023-01 unless set). A stored customer or a request of
    /// another revision is moved to this one first (rendered, then read under its rules).
    #[must_use]
    pub fn with_contract(mut self, contract: Contract) -> Self {
        self.contract = contract;
        self
    }

    /// The vault that 2026-08's `defaultPaymentInstrumentId` is looked up in. Without one,
    /// every id is `unknown_instrument`.
    #[must_use]
    pub fn with_instrument_lookup(mut self, lookup: &'a dyn InstrumentLookup) -> Self {
        self.instrument_lookup = Some(lookup);
        self
    }

    /// The revision.
    #[must_use]
    pub fn contract(&self) -> Contract {
        self.contract
    }

    /// The website of a created customer whose request sends none (not used on update).
    #[must_use]
    pub fn with_default_website(mut self, website_id: WebsiteId) -> Self {
        self.default_website_id = Some(website_id);
        self
    }

    /// The request's `If-Match`: the upsert fails with a 412
    /// [`PreconditionFailed`](crate::PreconditionFailed) (carrying the current `ETag`) unless a
    /// customer is stored and the header names its revision (or is `*`). Checked before
    /// anything else, the expected revision included.
    ///
    /// ```
    /// use rebilly_customer::{Customer, IfMatch, OrganizationId, Problem, Timestamp,
    ///     UpsertContext, UpsertError, UpsertRequest};
    /// let context = UpsertContext::new(
    ///     Timestamp::parse("2026-11-26T10:00:00Z").unwrap(),
    ///     OrganizationId::parse("org_1").unwrap(),
    /// );
    /// let body = br#"{"websiteId": "web_1"}"#;
    /// let created = Customer::apply_upsert(None, UpsertRequest::parse("cus_1", body).unwrap(), &context)
    ///     .unwrap()
    ///     .into_customer();
    ///
    /// let stale = context.clone().with_if_match(IfMatch::from_header(r#""7""#));
    /// let request = UpsertRequest::parse("cus_1", br#"{"websiteId": "web_2"}"#).unwrap();
    /// let Err(UpsertError::PreconditionFailed(failed)) =
    ///     Customer::apply_upsert(Some(created.clone()), request.clone(), &stale)
    /// else {
    ///     panic!("the tag names no stored revision")
    /// };
    /// assert_eq!(failed.etag().as_deref(), Some(r#""0""#));
    /// assert_eq!(Problem::from(failed).status(), 412);
    ///
    /// let fresh = context.with_if_match(IfMatch::from_header(&created.etag()));
    /// assert!(Customer::apply_upsert(Some(created), request, &fresh).is_ok());
    /// ```
    #[must_use]
    pub fn with_if_match(mut self, if_match: crate::precondition::IfMatch) -> Self {
        self.if_match = Some(if_match);
        self
    }

    /// The request's `If-None-Match`: with `*` the upsert only creates, and fails with a 412
    /// [`PreconditionFailed`](crate::PreconditionFailed) when a customer is stored; with tags,
    /// it fails when one names the stored revision. Checked with `If-Match`, before anything
    /// else.
    #[must_use]
    pub fn with_if_none_match(mut self, if_none_match: crate::precondition::IfNoneMatch) -> Self {
        self.if_none_match = Some(if_none_match);
        self
    }

    /// The `If-Match` the upsert judges, if any.
    #[must_use]
    pub fn if_match(&self) -> Option<&crate::precondition::IfMatch> {
        self.if_match.as_ref()
    }

    /// Optimistic concurrency: the upsert is a 409 unless a customer is stored with this revision.
    #[must_use]
    pub fn with_expected_revision(mut self, revision: u64) -> Self {
        self.expected_revision = Some(revision);
        self
    }

    /// The resolver that exchanges a request's `paymentToken`.
    #[must_use]
    pub fn with_token_resolver(mut self, resolver: &'a dyn TokenResolver) -> Self {
        self.token_resolver = resolver;
        self
    }

    /// What the request's `paymentToken` resolved to, when the caller resolved it before the
    /// upsert (an async vault, awaited in a handler): the upsert takes it instead of calling the
    /// resolver. A rejection is the same 422 `token_rejected` the resolver's would be. Ignored
    /// when the request holds no token.
    ///
    /// ```
    /// use rebilly_customer::{Customer, CustomerId, OrganizationId, PaymentInstrument,
    ///     Timestamp, UpsertContext, UpsertRequest};
    /// let request =
    ///     UpsertRequest::parse("cus_1", br#"{"websiteId": "web_1", "paymentToken": "tok_1"}"#)
    ///         .unwrap();
    /// // In a server: `vault.resolve(token).await`, before the upsert.
    /// let resolved = request.payment_token().map(|_token| Ok(PaymentInstrument::cash(None)));
    /// let mut context = UpsertContext::new(
    ///     Timestamp::parse("2026-11-26T10:00:00Z").unwrap(),
    ///     OrganizationId::parse("org_1").unwrap(),
    /// );
    /// if let Some(resolved) = resolved {
    ///     context = context.with_resolved_token(resolved);
    /// }
    /// let id = CustomerId::parse("cus_1").unwrap();
    /// let created = Customer::apply_upsert(None, request, &context).unwrap();
    /// assert_eq!(created.customer().default_payment_instrument(), Some(&PaymentInstrument::cash(None)));
    /// ```
    #[must_use]
    pub fn with_resolved_token(
        mut self,
        resolved: Result<PaymentInstrument, TokenRejection>,
    ) -> Self {
        self.resolved_token = Some(resolved);
        self
    }

    /// The organization's custom field definitions: values are checked against them and names
    /// without one are refused.
    #[must_use]
    pub fn with_custom_field_definitions(
        mut self,
        definitions: &'a CustomFieldDefinitions,
    ) -> Self {
        self.custom_field_definitions = Some(definitions);
        self
    }

    /// The base URL of `_links` and `Location`.
    #[must_use]
    pub fn with_base_url(mut self, base_url: BaseUrl) -> Self {
        self.base_url = base_url.as_str().to_owned();
        self
    }

    /// The currency of a created customer's statistics (`USD` unless set).
    #[must_use]
    pub fn with_reporting_currency(mut self, currency: CurrencyCode) -> Self {
        self.reporting_currency = currency;
        self
    }

    /// The time of the upsert.
    #[must_use]
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// The organization.
    #[must_use]
    pub fn organization_id(&self) -> &OrganizationId {
        &self.organization_id
    }

    /// The default website, if any.
    #[must_use]
    pub fn default_website_id(&self) -> Option<&WebsiteId> {
        self.default_website_id.as_ref()
    }

    /// The expected revision, if any.
    #[must_use]
    pub fn expected_revision(&self) -> Option<u64> {
        self.expected_revision
    }

    /// The custom field definitions, if any.
    #[must_use]
    pub fn custom_field_definitions(&self) -> Option<&CustomFieldDefinitions> {
        self.custom_field_definitions
    }

    /// The base URL, without a trailing slash.
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The reporting currency.
    #[must_use]
    pub fn reporting_currency(&self) -> CurrencyCode {
        self.reporting_currency
    }
}

impl fmt::Debug for UpsertContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UpsertContext")
            .field("now", &self.now)
            .field("organization_id", &self.organization_id)
            .field("default_website_id", &self.default_website_id)
            .field("expected_revision", &self.expected_revision)
            .field("if_match", &self.if_match)
            .field("if_none_match", &self.if_none_match)
            .field("token_resolver", &"<dyn TokenResolver>")
            .field("resolved_token", &self.resolved_token)
            .field("custom_field_definitions", &self.custom_field_definitions)
            .field("base_url", &self.base_url)
            .field("reporting_currency", &self.reporting_currency)
            .field("contract", &self.contract)
            .field(
                "instrument_lookup",
                &self.instrument_lookup.map(|_| "<dyn InstrumentLookup>"),
            )
            .finish()
    }
}
