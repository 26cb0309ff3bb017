//! `Customer::apply_upsert` (the upsert of the crate docs' rules): the precondition, the merge, the revision and
//! timestamps, the derived members and the links.

use std::collections::BTreeSet;

use crate::contact::Contact;
use crate::contact::NotificationEmail;
use crate::custom_fields::{CustomFieldName, CustomFields, CustomFieldsPatch};
use crate::customer::context::UpsertContext;
use crate::customer::links::{Link, LinkRel, resource_url};
use crate::customer::{Customer, Money};
use crate::error::{
    Conflict, ConflictKind, CustomFieldRule, FieldPath, TokenRejection, UpsertError,
    ValidationError, Violation, ViolationKind,
};
use crate::ids::{CustomerId, Locale, PaymentInstrumentId, PersonId, WebsiteId};
use crate::lead_source::LeadSource;
use crate::members::RequestMember;
use crate::object::Member;
use crate::object::OtherMembers;
use crate::patch::Patch;
use crate::payment::{PaymentInstrument, PaymentToken};
use crate::request::UpsertRequest;
use crate::tags::CustomerTags;
use crate::tax_numbers::TaxNumber;

/// What an upsert did. Every variant holds the customer to render, with its derived members and
/// links recomputed.
#[derive(Clone, Debug, PartialEq)]
#[must_use]
#[non_exhaustive]
pub enum UpsertOutcome {
    /// 201: nothing was stored; the customer is new (revision 0).
    Created(Customer),
    /// 200: the merge changed writable members; the revision grew by one.
    Updated {
        /// The customer after the merge.
        customer: Customer,
        /// The writable members that changed, as dot paths (`primaryAddress.city`,
        /// `customFields.tier`), in the order the resource renders them.
        changes: Vec<FieldPath>,
    },
    /// 200: the merge changed nothing; revision and `updatedTime` are as stored.
    Unchanged(Customer),
}

impl UpsertOutcome {
    /// The HTTP status: 201 for Created, 200 otherwise.
    #[must_use]
    pub fn status(&self) -> u16 {
        match self {
            UpsertOutcome::Created(_) => 201,
            _ => 200,
        }
    }

    /// `"created"`, `"updated"` or `"unchanged"`.
    #[must_use]
    pub fn as_str(&self) -> &'static str {
        match self {
            UpsertOutcome::Created(_) => "created",
            UpsertOutcome::Updated { .. } => "updated",
            UpsertOutcome::Unchanged(_) => "unchanged",
        }
    }

    /// The customer to render and store.
    #[must_use]
    pub fn customer(&self) -> &Customer {
        match self {
            UpsertOutcome::Created(customer)
            | UpsertOutcome::Updated { customer, .. }
            | UpsertOutcome::Unchanged(customer) => customer,
        }
    }

    /// The customer, by value.
    #[must_use]
    pub fn into_customer(self) -> Customer {
        match self {
            UpsertOutcome::Created(customer)
            | UpsertOutcome::Updated { customer, .. }
            | UpsertOutcome::Unchanged(customer) => customer,
        }
    }

    /// The changed members of an update; empty otherwise.
    #[must_use]
    pub fn changes(&self) -> &[FieldPath] {
        match self {
            UpsertOutcome::Updated { changes, .. } => changes,
            _ => &[],
        }
    }

    /// What storage must do to make this outcome durable, so that of two writers that read
    /// the same state only one can win: see [`WritePlan`].
    ///
    /// ```
    /// use rebilly_customer::{Customer, CustomerId, OrganizationId, Timestamp, UpsertContext,
    ///     UpsertRequest, WritePlan};
    /// let id = CustomerId::parse("cus_1").unwrap();
    /// let context = UpsertContext::new(
    ///     Timestamp::parse("2026-11-26T10:00:00Z").unwrap(),
    ///     OrganizationId::parse("org_1").unwrap(),
    /// );
    /// let create = UpsertRequest::parse("cus_1", br#"{"websiteId": "web_1"}"#).unwrap();
    /// let created = Customer::apply_upsert(None, create, &context).unwrap();
    /// assert_eq!(created.write_plan(), WritePlan::InsertIfAbsent);
    ///
    /// let update = UpsertRequest::parse("cus_1", br#"{"isEddRequired": true}"#).unwrap();
    /// let updated =
    ///     Customer::apply_upsert(Some(created.into_customer()), update, &context).unwrap();
    /// assert_eq!(updated.write_plan(), WritePlan::UpdateIfRevision { read_revision: 0 });
    /// assert_eq!(updated.customer().revision(), 1);
    /// ```
    pub fn write_plan(&self) -> WritePlan {
        match self {
            UpsertOutcome::Created(_) => WritePlan::InsertIfAbsent,
            // The revision grew by exactly one from the one read.
            UpsertOutcome::Updated { customer, .. } => WritePlan::UpdateIfRevision {
                read_revision: customer.revision - 1,
            },
            UpsertOutcome::Unchanged(_) => WritePlan::Nothing,
        }
    }

    /// The `Location` header of a 201: `{base}/customers/{id}`. `None` for a 200.
    #[must_use]
    pub fn location(&self) -> Option<&str> {
        match self {
            UpsertOutcome::Created(customer) => customer.link(LinkRel::SelfLink),
            _ => None,
        }
    }
}

/// What storage must do with an [`UpsertOutcome`]: a compare-and-set on the state the upsert
/// read, so that two concurrent writers cannot both win. A write whose condition fails lost a
/// race: retry the upsert on the fresh state, or answer [`Conflict::lost_race`] (a 409).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WritePlan {
    /// Created: insert the customer only if none is stored under its id (`INSERT` against a
    /// primary key; a row already there means another writer created it first).
    InsertIfAbsent,
    /// Updated: write the customer only if the stored revision is still the one the upsert read
    /// (`UPDATE … WHERE id = ? AND revision = ?`; no row updated means another writer won).
    UpdateIfRevision {
        /// The revision of the stored customer the upsert merged onto.
        read_revision: u64,
    },
    /// Unchanged: nothing to write.
    Nothing,
}

impl WritePlan {
    /// The revision the upsert read and the write is conditional on: `Some` for
    /// [`WritePlan::UpdateIfRevision`], `None` when it created or writes nothing.
    ///
    /// ```
    /// use rebilly_customer::WritePlan;
    /// assert_eq!(WritePlan::UpdateIfRevision { read_revision: 4 }.read_revision(), Some(4));
    /// assert_eq!(WritePlan::InsertIfAbsent.read_revision(), None);
    /// ```
    #[must_use]
    pub fn read_revision(&self) -> Option<u64> {
        match self {
            WritePlan::UpdateIfRevision { read_revision } => Some(*read_revision),
            WritePlan::InsertIfAbsent | WritePlan::Nothing => None,
        }
    }
}

impl Conflict {
    /// The conflict of a writer whose `plan` did not hold: another writer stored first.
    /// `stored_now` is the revision storage holds now, when the caller knows it. (A plan of
    /// [`WritePlan::Nothing`] writes nothing and cannot lose; given one, the conflict says a
    /// write was lost all the same.)
    ///
    /// ```
    /// use rebilly_customer::{Conflict, Problem, WritePlan};
    /// let plan = WritePlan::UpdateIfRevision { read_revision: 3 };
    /// let problem = Problem::from(Conflict::lost_race(plan, Some(4)));
    /// assert_eq!(problem.status(), 409);
    /// assert_eq!(
    ///     problem.detail().to_string(),
    ///     "another write stored revision 4 after revision 3 was read"
    /// );
    /// let problem = Problem::from(Conflict::lost_race(WritePlan::InsertIfAbsent, None));
    /// assert_eq!(problem.detail().to_string(), "another write created the customer first");
    /// ```
    #[must_use]
    pub fn lost_race(plan: WritePlan, stored_now: Option<u64>) -> Conflict {
        Conflict {
            expected: plan.read_revision(),
            stored: stored_now,
            why: if plan == WritePlan::Nothing {
                ConflictKind::LostWrite
            } else {
                ConflictKind::LostRace
            },
        }
    }
}

/// A violation at a member of the request (its changes and its 422s have the same paths).
fn at(member: RequestMember, kind: ViolationKind) -> Violation {
    Violation::new(path(member), kind)
}

/// The path of a member of the resource, as `changes` and violations give it.
fn path(member: RequestMember) -> FieldPath {
    FieldPath::root().join(member.key())
}

impl Customer {
    /// Upserts `request` onto `stored` (the customer stored under the request's id, the id of
    /// its path, if any), as [the rules](crate::docs::rules#the-rules) say:
    ///
    /// 1. an expected revision that does not hold is a 409 (also when nothing is stored);
    /// 2. then every upsert-level 422 together: `websiteId` missing on create (after the
    ///    context's default), a token the resolver refuses, custom fields against their
    ///    definitions (when the context has them);
    /// 3. the merge: absent keeps, `null` clears, a value replaces; `primaryAddress` and
    ///    `customFields` merge member by member (RFC 7396); the email and phone lists and the
    ///    instrument are replaced whole; a resolved token's instrument wins over the body's;
    /// 4. Created (revision 0, both times `now`, zero statistics in the reporting currency),
    ///    Updated (revision + 1, `updatedTime` = max(now, stored)) or Unchanged (as stored);
    ///    links are recomputed on every outcome.
    ///
    /// A stored customer of another id is a 422 `id_mismatch` on `id` rather than a merge into
    /// the wrong record.
    ///
    /// ```
    /// use rebilly_customer::{Customer, OrganizationId, Timestamp, UpsertContext, UpsertOutcome,
    ///     UpsertRequest};
    /// let context = UpsertContext::new(
    ///     Timestamp::parse("2026-11-26T10:00:00Z").unwrap(),
    ///     OrganizationId::parse("org_1").unwrap(),
    /// );
    /// let body = r#"{"websiteId": "web_1", "primaryAddress": {"firstName": "Zoë"}}"#.as_bytes();
    ///
    /// let request = UpsertRequest::parse("cus_1", body).unwrap();
    /// let created = Customer::apply_upsert(None, request, &context).unwrap();
    /// assert_eq!(created.status(), 201);
    /// assert_eq!(created.location(), Some("https://api.rebilly.com/customers/cus_1"));
    ///
    /// // The same body again changes nothing.
    /// let request = UpsertRequest::parse("cus_1", body).unwrap();
    /// let stored = Some(created.into_customer());
    /// let again = Customer::apply_upsert(stored, request, &context).unwrap();
    /// assert!(matches!(again, UpsertOutcome::Unchanged(_)));
    /// assert_eq!(again.customer().revision(), 0);
    /// ```
    ///
    /// # Errors
    /// [`UpsertError::Conflict`] (409) or [`UpsertError::Invalid`] (422), as above.
    pub fn apply_upsert(
        stored: Option<Customer>,
        request: UpsertRequest,
        context: &UpsertContext<'_>,
    ) -> Result<UpsertOutcome, UpsertError> {
        // Nothing mixes revisions: a stored customer or a request of another one is moved to
        // the context's first, and answers by that revision's rules.
        let stored = match stored {
            Some(customer) if customer.contract != context.contract => Some(
                customer
                    .to_contract(context.contract)
                    .map_err(UpsertError::Invalid)?,
            ),
            stored => stored,
        };
        // A request of another revision is read again under the context's, so that a member
        // the context's revision lacks is refused there. Members a client kept for sending on
        // (`UnknownMembers::Keep`) are never merged: such a request is read again without them.
        let request = if request.contract == context.contract && !request.keeps_unknown() {
            request
        } else {
            let unknown = if request.keeps_unknown() {
                crate::request::UnknownMembers::Ignore
            } else {
                crate::request::UnknownMembers::Reject
            };
            let options = crate::request::ParseOptions::new()
                .with_contract(context.contract)
                .with_unknown_members(unknown);
            UpsertRequest::parse_with(
                request.id.as_str(),
                request.to_body_with_token().as_bytes(),
                options,
            )
            .map_err(moved_refusal)?
        };
        // A stored customer is the one the request's path names: a store that handed over
        // another one has a bug, and writing over it would lose that customer.
        if stored.as_ref().is_some_and(|s| s.id != request.id) {
            return Err(UpsertError::Invalid(
                at(RequestMember::Id, ViolationKind::IdMismatch).into(),
            ));
        }
        let stored_revision = stored.as_ref().map(|s| s.revision);
        // HTTP's precondition comes before anything the request asks: a 412 with the current
        // tag.
        if let Some(if_match) = &context.if_match {
            if_match.expected_revision(stored_revision)?;
        }
        if let Some(if_none_match) = &context.if_none_match {
            if_none_match.check(stored_revision)?;
        }
        if let Some(expected) = context.expected_revision {
            if stored_revision != Some(expected) {
                return Err(UpsertError::Conflict(Conflict::revision(
                    Some(expected),
                    stored_revision,
                )));
            }
        }

        let UpsertRequest {
            contract: _,
            id,
            website_id,
            payment_token,
            default_payment_instrument,
            default_payment_instrument_id,
            preferred_payout_instrument_id,
            custom_fields,
            primary_address,
            is_edd_required,
            locale,
            tax_numbers,
            lead_source,
            person_id,
            notification_emails,
            // Members no revision defines are the client's, sent on; never merged.
            others: _,
            kept_unknown: _,
        } = request;
        let mut violations = Vec::new();

        let website_id = match (&stored, website_id) {
            (_, Some(sent)) => Some(sent),
            (Some(_), None) => None,
            (None, None) => match &context.default_website_id {
                Some(default) => Some(default.clone()),
                None => {
                    violations.push(at(RequestMember::WebsiteId, ViolationKind::Required));
                    None
                }
            },
        };

        let token_instrument = payment_token.and_then(|token| {
            match context
                .resolved_token
                .clone()
                .unwrap_or_else(|| context.token_resolver.resolve(&token))
            {
                Ok(instrument) => Some(instrument),
                Err(rejection) => {
                    violations.push(at(
                        RequestMember::PaymentToken,
                        ViolationKind::TokenRejected {
                            reason: safe_reason(&rejection, &token),
                        },
                    ));
                    None
                }
            }
        });

        // 2026-08: the id names an instrument of the server's vault, looked up even when a
        // token wins, so an unknown one is always reported.
        let looked_up = default_payment_instrument_id.map(|id| {
            let method = context
                .instrument_lookup
                .and_then(|lookup| lookup.method_of(&id));
            match method {
                Some(method) => Some(PaymentInstrument::identified(method, id)),
                None => {
                    violations.push(at(
                        RequestMember::DefaultPaymentInstrumentId,
                        ViolationKind::UnknownInstrument,
                    ));
                    None
                }
            }
        });

        let mut stored = stored;
        let mut fields = stored
            .as_mut()
            .map(|s| std::mem::take(&mut s.custom_fields))
            .unwrap_or_default();
        let field_changes = match custom_fields {
            Some(patch) => merge_custom_fields(&mut fields, patch, context, &mut violations),
            None => Vec::new(),
        };

        if !violations.is_empty() {
            return Err(UpsertError::Invalid(ValidationError::new(violations)));
        }

        // The token wins over both ways of naming the instrument (the schema says so).
        let instrument_patch = match (token_instrument, looked_up) {
            (Some(instrument), _) => Patch::Value(instrument),
            (None, Patch::Value(instrument)) => {
                Patch::Value(instrument.expect("an unknown id was refused above"))
            }
            (None, Patch::Null) => Patch::Null,
            (None, Patch::Absent) => default_payment_instrument,
        };
        let tax_numbers = tax_numbers.map(|mut items| {
            let stored_items = stored.as_ref().and_then(|s| s.tax_numbers.as_deref());
            crate::tax_numbers::carry_validity(&mut items, stored_items.unwrap_or_default());
            items
        });
        let newer = NewerMembers {
            preferred_payout_instrument_id,
            locale,
            tax_numbers,
            lead_source,
            person_id,
            notification_emails,
        };

        let Some(mut customer) = stored else {
            let website_id = website_id.expect("a create without a website was refused above");
            let mut customer = Customer::new_at(id, website_id, context);
            customer.custom_fields = fields;
            customer.default_payment_instrument = instrument_patch.apply(None);
            customer.primary_address = merge_contact(None, primary_address, &mut Vec::new());
            customer.is_edd_required = is_edd_required.unwrap_or(false);
            newer.merge(&mut customer, &mut Vec::new());
            customer.links = links(&customer, context.base_url(), Vec::new());
            return Ok(UpsertOutcome::Created(customer));
        };

        let mut changes = Vec::new();
        if let Some(website_id) = website_id {
            if website_id != customer.website_id {
                changes.push(path(RequestMember::WebsiteId));
                customer.website_id = website_id;
            }
        }
        if !instrument_patch.is_absent() {
            let instrument = instrument_patch.apply(None);
            if instrument != customer.default_payment_instrument {
                changes.push(path(RequestMember::DefaultPaymentInstrument));
                customer.default_payment_instrument = instrument;
            }
        }
        customer.custom_fields = fields;
        changes.extend(field_changes);
        customer.primary_address = merge_contact(
            customer.primary_address.take(),
            primary_address,
            &mut changes,
        );
        if let Some(value) = is_edd_required {
            if value != customer.is_edd_required {
                changes.push(path(RequestMember::IsEddRequired));
                customer.is_edd_required = value;
            }
        }
        newer.merge(&mut customer, &mut changes);

        let kept_links = std::mem::take(&mut customer.links);
        customer.links = links(&customer, context.base_url(), kept_links);
        if changes.is_empty() {
            return Ok(UpsertOutcome::Unchanged(customer));
        }
        customer.revision = match customer.revision.checked_add(1) {
            Some(revision) => revision,
            None => {
                return Err(UpsertError::Conflict(Conflict::revision(
                    None,
                    Some(customer.revision),
                )));
            }
        };
        customer.updated_time = customer.updated_time.max(context.now);
        Ok(UpsertOutcome::Updated { customer, changes })
    }

    /// A customer as created now: revision 0, zero statistics, no tags, nothing else set.
    fn new_at(id: CustomerId, website_id: WebsiteId, context: &UpsertContext<'_>) -> Customer {
        let zero = Money::zero(context.reporting_currency);
        Customer {
            contract: context.contract,
            id,
            website_id,
            organization_id: context.organization_id.clone(),
            default_payment_instrument: None,
            custom_fields: CustomFields::new(),
            primary_address: None,
            is_edd_required: false,
            created_time: context.now,
            updated_time: context.now,
            revision: 0,
            average_value: zero.clone(),
            payment_count: 0,
            last_payment_time: None,
            lifetime_revenue: zero,
            invoice_count: 0,
            tags: CustomerTags::default(),
            has_fulfilled_kyc: false,
            links: Vec::new(),
            embedded: None,
            preferred_payout_instrument_id: None,
            company: None,
            locale: None,
            tax_numbers: None,
            lead_source: None,
            person_id: None,
            notification_emails: Vec::new(),
            others: OtherMembers::new(),
        }
    }

    /// The `href` of the first link of relation `rel`.
    pub fn link(&self, rel: LinkRel) -> Option<&str> {
        self.links
            .iter()
            .find(|link| link.rel() == Some(rel))
            .map(Link::href)
    }
}

/// A stored customer or a request that breaks the context's revision when moved to it: its
/// violations are the 422.
fn moved_refusal(error: crate::error::RequestError) -> UpsertError {
    match error {
        crate::error::RequestError::Invalid(error) => UpsertError::Invalid(error),
        // The crate's own rendering is JSON; a malformed one would be a bug, reported plainly.
        crate::error::RequestError::Malformed(_) => {
            UpsertError::Invalid(ValidationError::from(Violation::new(
                FieldPath::root(),
                ViolationKind::Type {
                    expected: "a JSON object",
                    nullable: false,
                },
            )))
        }
    }
}

/// The members 2026-08 added, as a request sets them: each applied with its own rule and
/// reported at its own path when it changes.
struct NewerMembers {
    preferred_payout_instrument_id: Patch<PaymentInstrumentId>,
    locale: Patch<Locale>,
    tax_numbers: Patch<Vec<TaxNumber>>,
    lead_source: Option<LeadSource>,
    person_id: Patch<PersonId>,
    notification_emails: Option<Vec<NotificationEmail>>,
}

impl NewerMembers {
    fn merge(self, customer: &mut Customer, changes: &mut Vec<FieldPath>) {
        replace(
            &mut customer.preferred_payout_instrument_id,
            self.preferred_payout_instrument_id,
            RequestMember::PreferredPayoutInstrumentId,
            changes,
        );
        replace(
            &mut customer.locale,
            self.locale,
            RequestMember::Locale,
            changes,
        );
        replace(
            &mut customer.tax_numbers,
            self.tax_numbers,
            RequestMember::TaxNumbers,
            changes,
        );
        replace(
            &mut customer.lead_source,
            // Not nullable: absent keeps, a value replaces whole.
            self.lead_source.map_or(Patch::Absent, Patch::Value),
            RequestMember::LeadSource,
            changes,
        );
        replace(
            &mut customer.person_id,
            self.person_id,
            RequestMember::PersonId,
            changes,
        );
        if let Some(emails) = self.notification_emails {
            if emails != customer.notification_emails {
                changes.push(path(RequestMember::NotificationEmails));
                customer.notification_emails = emails;
            }
        }
    }
}

/// Absent keeps, `null` clears, a value replaces; a change is recorded at `member`'s path.
fn replace<T: PartialEq>(
    stored: &mut Option<T>,
    patch: Patch<T>,
    member: RequestMember,
    changes: &mut Vec<FieldPath>,
) {
    if patch.is_absent() {
        return;
    }
    let value = patch.apply(None);
    if value != *stored {
        changes.push(path(member));
        *stored = value;
    }
}

/// The resolver's reason, unless it would show the token.
fn safe_reason(rejection: &TokenRejection, token: &PaymentToken) -> String {
    let reason = rejection.reason();
    if reason.trim().is_empty() || reason.contains(token.expose_secret()) {
        "the resolver refused it".to_owned()
    } else {
        reason.to_owned()
    }
}

/// Applies the `customFields` patch member by member, checks each value it sets against the
/// context's definitions (after the merge, so a partial monetary patch is judged whole), and
/// returns the paths of the fields whose value changed. A `null` deletes a field whatever its
/// definition, so stale fields can always be removed.
fn merge_custom_fields(
    fields: &mut CustomFields,
    patch: CustomFieldsPatch,
    context: &UpsertContext<'_>,
    violations: &mut Vec<Violation>,
) -> Vec<FieldPath> {
    // Sets, not lists: a patch may name 100,000 fields, and each is looked up once. Both come
    // out in name order, the order the resource renders the fields.
    let mut changed: BTreeSet<CustomFieldName> = BTreeSet::new();
    let mut set: BTreeSet<CustomFieldName> = BTreeSet::new();
    let checked = context.custom_field_definitions.is_some();
    for (name, value) in patch.into_members() {
        if checked && value.is_some() {
            set.insert(name.clone());
        }
        if fields.apply_member(name.clone(), value) {
            changed.insert(name);
        }
    }
    if let Some(definitions) = context.custom_field_definitions {
        for name in set {
            let Some(value) = fields.get(name.as_str()) else {
                continue;
            };
            let path = path(RequestMember::CustomFields).join(name.as_str().to_owned());
            match definitions.get(name.as_str()) {
                None => violations.push(Violation::new(
                    path,
                    ViolationKind::CustomField {
                        rule: CustomFieldRule::Undefined,
                    },
                )),
                Some(definition) => {
                    if let Err(error) = definition.check(value) {
                        violations.extend(
                            error
                                .into_iter()
                                .map(|violation| violation.prefixed(path.segments())),
                        );
                    }
                }
            }
        }
    }
    changed
        .into_iter()
        .map(|name| path(RequestMember::CustomFields).join(name.into_string()))
        .collect()
}

/// Merges a `primaryAddress` patch onto the stored contact, recording what changed: the whole
/// `primaryAddress` when it appears or disappears, else each member that differs.
fn merge_contact(
    stored: Option<Contact>,
    patch: Patch<crate::contact::ContactPatch>,
    changes: &mut Vec<FieldPath>,
) -> Option<Contact> {
    match (stored, patch) {
        (stored, Patch::Absent) => stored,
        (None, Patch::Null) => None,
        (Some(_), Patch::Null) => {
            changes.push(path(RequestMember::PrimaryAddress));
            None
        }
        // A merge patch onto a null contact, even `{}`, creates one.
        (None, Patch::Value(patch)) => {
            changes.push(path(RequestMember::PrimaryAddress));
            Some(Contact::from(patch))
        }
        (Some(mut contact), Patch::Value(patch)) => {
            let changed = contact.apply_patch_changes(patch);
            changes.extend(
                changed
                    .into_iter()
                    .map(|member| path(RequestMember::PrimaryAddress).join(member)),
            );
            Some(contact)
        }
    }
}

/// `self`, `website` and (when the instrument has an id) `defaultPaymentInstrument`, then the
/// stored links of relations this crate cannot derive (`attachments`, `leadSource`, and those it
/// does not know), as stored.
fn links(customer: &Customer, base: &str, stored: Vec<Link>) -> Vec<Link> {
    let mut links = Vec::with_capacity(3 + stored.len());
    links.push(Link::new(
        LinkRel::SelfLink,
        resource_url(base, "customers", customer.id.as_str(), false),
    ));
    links.push(Link::new(
        LinkRel::Website,
        resource_url(base, "websites", customer.website_id.as_str(), true),
    ));
    if let Some(id) = customer
        .default_payment_instrument
        .as_ref()
        .and_then(PaymentInstrument::payment_instrument_id)
    {
        links.push(Link::new(
            LinkRel::DefaultPaymentInstrument,
            resource_url(base, "payment-instruments", id.as_str(), true),
        ));
    }
    // A relation this version does not know is a newer API's: kept as stored.
    links.extend(stored.into_iter().filter(|link| {
        matches!(
            link.rel(),
            Some(LinkRel::Attachments | LinkRel::LeadSource) | None
        )
    }));
    links
}
