//! A generator for every public value type, the request and the stored customer. Each builds
//! its value through the type's own constructor, so a generator that drifted from its rule would
//! panic in the crate's own property tests rather than hand out an invalid value.

use chrono::{DateTime, NaiveDate};
use std::collections::BTreeMap;

use serde_json::Number;

use crate::codes::{CountryCode, CurrencyCode};
use crate::contact::NotificationEmail;
use crate::contact::{
    AddressLine, City, Contact, ContactName, ContactPatch, DateOfBirth, EMAIL_MAX, EmailAddress,
    JobTitle, Label, ListItem, Organization, PhoneNumber, PostalCode, PrimaryList, Region,
    contact_table,
};
use crate::contract::ByContract;
use crate::custom_fields::{
    CustomFieldDefinition, CustomFieldDefinitions, CustomFieldName, CustomFieldType,
    CustomFieldValue, CustomFields, CustomFieldsPatch, JsonNumber, STRING_MAX_LIMIT,
};
use crate::customer::{Customer, Link, LinkRel, Money};
use crate::generate::text::{any_text, text};
use crate::generate::{Entropy, Generate};
use crate::ids::{CustomerId, OrganizationId, PaymentInstrumentId, TagId, WebsiteId};
use crate::ids::{Locale, PersonId};
use crate::lead_source::LeadSource;
use crate::members::{CUSTOMER_MEMBERS, CustomerMember, REQUEST_MEMBERS, RequestMember};
use crate::object::OtherMembers;
use crate::patch::Patch;
use crate::payment::{PaymentInstrument, PaymentMethod, PaymentToken};
use crate::request::UpsertRequest;
use crate::tags::{CustomerTags, Tag, TagName, TagType};
use crate::tax_numbers::{TaxNumber, TaxNumberType};
use crate::text::nfc_owned;
use crate::time::Timestamp;

/// Text types whose whole rule is one `TextRule`.
macro_rules! generate_rule_text {
    ($($ty:ty),* $(,)?) => {$(
        impl Generate for $ty {
            fn generate(e: &mut dyn Entropy) -> Self {
                let text = text(e, <$ty>::RULE);
                <$ty>::parse(&text).unwrap_or_else(|error| {
                    panic!(concat!("generated ", stringify!($ty), " {:?} is invalid: {}"), text, error)
                })
            }
        }
    )*};
}

/// Text types whose rule is a row per revision: built under the stream's revision.
macro_rules! generate_contract_text {
    ($($ty:ty),* $(,)?) => {$(
        impl Generate for $ty {
            fn generate(e: &mut dyn Entropy) -> Self {
                let contract = e.contract();
                let text = text(e, <$ty>::rule(contract));
                <$ty>::parse_for(&text, contract).unwrap_or_else(|error| {
                    panic!(concat!("generated ", stringify!($ty), " {:?} is invalid under {}: {}"), text, contract, error)
                })
            }
        }
    )*};
}

generate_contract_text!(
    ContactName,
    City,
    Organization,
    AddressLine,
    Region,
    JobTitle,
    TagName,
);

generate_rule_text!(
    PostalCode,
    Label,
    PhoneNumber,
    CustomerId,
    WebsiteId,
    OrganizationId,
    PaymentInstrumentId,
    TagId,
    PersonId,
    Locale,
    CustomFieldName,
);

impl Generate for PaymentToken {
    fn generate(e: &mut dyn Entropy) -> Self {
        let mut token = any_text(e, 64);
        if token.is_empty() {
            token.push_str("tok");
        }
        PaymentToken::parse(&token).expect("a non-empty generated token is valid")
    }
}

impl Generate for CountryCode {
    fn generate(e: &mut dyn Entropy) -> Self {
        let all: Vec<CountryCode> = CountryCode::all().collect();
        *e.pick(&all)
    }
}

impl Generate for CurrencyCode {
    fn generate(e: &mut dyn Entropy) -> Self {
        let all: Vec<CurrencyCode> = CurrencyCode::all().collect();
        *e.pick(&all)
    }
}

impl Generate for PaymentMethod {
    fn generate(e: &mut dyn Entropy) -> Self {
        *e.pick(PaymentMethod::of(e.contract()))
    }
}

impl Generate for TagType {
    fn generate(e: &mut dyn Entropy) -> Self {
        *e.pick(TagType::of(e.contract()))
    }
}

impl Generate for NotificationEmail {
    fn generate(e: &mut dyn Entropy) -> Self {
        NotificationEmail::parse(EmailAddress::generate(e).as_str())
            .expect("a contact email is a notification email")
    }
}

impl Generate for TaxNumber {
    fn generate(e: &mut dyn Entropy) -> Self {
        let tax_type = *e.pick(&TaxNumberType::ALL);
        TaxNumber::new(tax_type, &any_text(e, 20), e.coin())
    }
}

impl Generate for LeadSource {
    fn generate(e: &mut dyn Entropy) -> Self {
        let mut source = LeadSource::new();
        for name in LeadSource::member_names() {
            if e.below(3) != 0 {
                continue;
            }
            let value = if name == "referrer" {
                let (host_length, path_length) = (e.range(1, 10), e.range(0, 30));
                let host = atoms(e, LDH, host_length);
                let path = atoms(e, LDH, path_length);
                format!("https://{host}.example/{path}?q=%20")
            } else {
                any_text(e, 40)
            };
            source = source
                .with(name, Some(&value))
                .unwrap_or_else(|error| panic!("generated {name} {value:?}: {error}"));
        }
        source
    }
}

impl Generate for LinkRel {
    fn generate(e: &mut dyn Entropy) -> Self {
        *e.pick(&LinkRel::ALL)
    }
}

impl Generate for bool {
    fn generate(e: &mut dyn Entropy) -> Self {
        e.coin()
    }
}

/// RFC 5321 `atext`.
const ATEXT: &[u8] =
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~";
const LDH: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

fn atoms(e: &mut dyn Entropy, alphabet: &[u8], length: usize) -> String {
    (0..length).map(|_| char::from(*e.pick(alphabet))).collect()
}

impl Generate for EmailAddress {
    fn generate(e: &mut dyn Entropy) -> Self {
        // Local part: a dot-atom (dots only between atoms) or a quoted string, at most 64 octets.
        let local = if e.below(4) == 0 {
            // An empty quoted string is refused (see the README's choices), so at least one.
            let length = e.range(1, 20);
            let inner = atoms(e, b"abc XYZ.@()[],:;<>", length);
            format!("\"{inner}\"")
        } else {
            let length = if e.coin() { 64 } else { e.range(1, 64) };
            let atext = atoms(e, ATEXT, length);
            // Dots only between atoms: never first, last or doubled.
            let mut local = String::with_capacity(length);
            for (i, c) in atext.chars().enumerate() {
                let dot = i > 0 && i + 1 < length && !local.ends_with('.') && e.below(8) == 0;
                local.push(if dot { '.' } else { c });
            }
            local
        };
        // Domain: two to four labels of letters, digits and inner hyphens, the whole address
        // at most 255 characters.
        let labels = e.range(2, 4);
        let budget = EMAIL_MAX - local.len() - 1;
        let per_label = (budget / labels).saturating_sub(1).clamp(1, 63);
        let domain: Vec<String> = (0..labels)
            .map(|_| {
                let length = if e.coin() {
                    per_label
                } else {
                    e.range(1, per_label)
                };
                let mut label = atoms(e, LDH, length);
                if length >= 3 && e.coin() {
                    label.replace_range(1..2, "-");
                }
                label
            })
            .collect();
        let address = format!("{local}@{}", domain.join("."));
        EmailAddress::parse(&address)
            .unwrap_or_else(|error| panic!("generated email {address:?} is invalid: {error}"))
    }
}

/// Days from 0001-01-01 to 9999-12-31.
const LAST_DAY: usize = 3_652_058;

fn date(e: &mut dyn Entropy) -> NaiveDate {
    let edge = [0, LAST_DAY, 719_162, 738_579];
    let days = if e.below(4) == 0 {
        *e.pick(&edge)
    } else {
        e.range(0, LAST_DAY)
    };
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(days).expect("fits") + 1)
        .expect("a day of years 1 to 9999")
}

impl Generate for DateOfBirth {
    fn generate(e: &mut dyn Entropy) -> Self {
        DateOfBirth::from_date(date(e)).expect("years 1 to 9999 have four digits")
    }
}

impl Generate for Timestamp {
    fn generate(e: &mut dyn Entropy) -> Self {
        let day = date(e);
        let seconds = e.range(0, 86_399);
        let time = day
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_utc()
            .timestamp()
            + i64::try_from(seconds).expect("fits");
        Timestamp::from_datetime(DateTime::from_timestamp(time, 0).expect("in chrono's range"))
    }
}

impl<V: Generate> Generate for ListItem<V> {
    fn generate(e: &mut dyn Entropy) -> Self {
        ListItem::new(Label::generate(e), V::generate(e), e.coin())
    }
}

impl<V: Generate> Generate for PrimaryList<V> {
    fn generate(e: &mut dyn Entropy) -> Self {
        let count = if e.below(8) == 0 { 20 } else { e.range(0, 3) };
        let primary = e.maybe(|e| e.below(count.max(1)));
        let items = (0..count)
            .map(|i| ListItem::new(Label::generate(e), V::generate(e), primary == Some(i)))
            .collect();
        PrimaryList::new(items).expect("at most one generated item is primary")
    }
}

impl<T: Generate> Generate for Option<T> {
    fn generate(e: &mut dyn Entropy) -> Self {
        e.maybe(|e| T::generate(e))
    }
}

/// A contact and a patch of one from the contact's member table: every member from its own
/// generator, in the order of the table.
macro_rules! contact_generators {
    ($( $field:ident / $setter:ident : $ty:ty = $member:ident ),* $(,)?) => {
        impl Generate for Contact {
            fn generate(e: &mut dyn Entropy) -> Self {
                Contact {
                    $( $field: Generate::generate(e), )*
                    phone_numbers: Generate::generate(e),
                    emails: Generate::generate(e),
                    others: OtherMembers::new(),
                }
            }
        }

        /// Each member absent, `null` or a value; each list kept or replaced.
        impl Generate for ContactPatch {
            fn generate(e: &mut dyn Entropy) -> Self {
                ContactPatch {
                    $( $field: Generate::generate(e), )*
                    phone_numbers: Generate::generate(e),
                    emails: Generate::generate(e),
                    others: OtherMembers::new(),
                }
            }
        }
    };
}

contact_table!(contact_generators);

impl<T: Generate> Generate for Patch<T> {
    fn generate(e: &mut dyn Entropy) -> Self {
        match e.below(3) {
            0 => Patch::Absent,
            1 => Patch::Null,
            _ => Patch::Value(T::generate(e)),
        }
    }
}

/// How each revision's instruments are made: 2023-01's four shapes by method; 2026-08's always
/// a method and an id.
static INSTRUMENTS: ByContract<fn(&mut dyn Entropy, PaymentMethod) -> PaymentInstrument> =
    ByContract::new(seed_instrument, |e, method| {
        PaymentInstrument::identified(method, PaymentInstrumentId::generate(e))
    });

fn seed_instrument(e: &mut dyn Entropy, method: PaymentMethod) -> PaymentInstrument {
    match method {
        PaymentMethod::Cash => PaymentInstrument::cash(e.maybe(|e| any_text(e, 40)).as_deref()),
        PaymentMethod::Check => PaymentInstrument::check(e.maybe(|e| any_text(e, 40)).as_deref()),
        PaymentMethod::PaymentCard | PaymentMethod::Ach => {
            PaymentInstrument::new(method, Some(PaymentInstrumentId::generate(e)))
                .expect("a vaulted method with an id")
        }
        _ => PaymentInstrument::new(method, Generate::generate(e))
            .expect("an alternative method takes an optional id"),
    }
}

impl Generate for PaymentInstrument {
    fn generate(e: &mut dyn Entropy) -> Self {
        let method = PaymentMethod::generate(e);
        INSTRUMENTS.get(e.contract())(e, method)
    }
}

/// A number that survives a trip through JSON text exactly: an integer, or a multiple of 1/4.
/// Numbers of every spelling a client may write: small integers, the largest `u64`s, quarters,
/// and texts no `f64` keeps (long decimals, integers past 64 bits, exponents, trailing zeros),
/// which a custom field must render as written.
fn number(e: &mut dyn Entropy) -> JsonNumber {
    let whole = i64::try_from(e.below(1 << 20)).expect("fits") - (1 << 19);
    let text = match e.below(6) {
        0 => whole.to_string(),
        1 => (u64::MAX - e.below(2) as u64).to_string(),
        2 => Number::from_f64(whole as f64 / 4.0)
            .expect("finite")
            .to_string(),
        3 => format!("{whole}.{:019}", 1 + e.below(1 << 20)),
        // A leading digit that is not 0: JSON has no leading zeros.
        4 => format!(
            "{}{:020}",
            if whole < 0 { whole } else { whole + 1 },
            e.below(1 << 20)
        ),
        _ => format!("{whole}.{}0e{}", e.below(100), e.below(40)),
    };
    text.parse().expect("a JSON number within the floats")
}

/// Any JSON value, at most `depth` levels deep; `null` only where `nulls` allows, since a stored
/// custom field never holds `null` as an object member.
fn json(e: &mut dyn Entropy, depth: usize, nulls: bool) -> CustomFieldValue {
    let kinds = if depth == 0 { 4 } else { 6 };
    match e.below(kinds) {
        0 if nulls => CustomFieldValue::Null,
        0 | 1 => CustomFieldValue::Bool(e.coin()),
        2 => CustomFieldValue::Number(number(e)),
        // Stored strings are NFC; member names are kept as written.
        3 => CustomFieldValue::String(nfc_owned(any_text(e, 40))),
        4 => CustomFieldValue::Array(
            (0..e.range(0, 3))
                .map(|_| json(e, depth - 1, true))
                .collect(),
        ),
        _ => {
            let mut object = BTreeMap::new();
            for _ in 0..e.range(0, 3) {
                object.insert(any_text(e, 12), json(e, depth - 1, nulls));
            }
            CustomFieldValue::Object(object)
        }
    }
}

fn distinct_names(e: &mut dyn Entropy, count: usize) -> Vec<CustomFieldName> {
    let mut names: Vec<CustomFieldName> = Vec::with_capacity(count);
    for _ in 0..count {
        let name = CustomFieldName::generate(e);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    // In name order, the order a body built through `serde_json::Value` has, so a patch
    // survives that trip unchanged.
    names.sort();
    names
}

impl Generate for CustomFields {
    fn generate(e: &mut dyn Entropy) -> Self {
        let mut fields = CustomFields::new();
        let count = e.range(0, 4);
        for name in distinct_names(e, count) {
            let value = match json(e, 2, false) {
                // A top-level `null` deletes; a stored field always has a value.
                CustomFieldValue::Null => CustomFieldValue::Bool(false),
                value => value,
            };
            fields.insert(name, value);
        }
        fields
    }
}

impl Generate for CustomFieldsPatch {
    fn generate(e: &mut dyn Entropy) -> Self {
        let mut patch = CustomFieldsPatch::new();
        let count = e.range(0, 4);
        for name in distinct_names(e, count) {
            // A top-level `null` is the deletion, `None`.
            let value = e.maybe(|e| json(e, 2, true)).filter(|v| !v.is_null());
            patch.push(name, value);
        }
        patch
    }
}

impl Generate for Money {
    fn generate(e: &mut dyn Entropy) -> Self {
        let amount = |e: &mut dyn Entropy| e.below(1 << 24) as f64 / 4.0;
        let currency = CurrencyCode::generate(e);
        Money::new(currency, amount(e), amount(e)).expect("finite amounts")
    }
}

impl Generate for Link {
    fn generate(e: &mut dyn Entropy) -> Self {
        Link::new(LinkRel::generate(e), any_text(e, 80))
    }
}

impl Generate for Tag {
    fn generate(e: &mut dyn Entropy) -> Self {
        Tag::new(TagName::generate(e), TagType::generate(e)).with_metadata(
            Generate::generate(e),
            Generate::generate(e),
            Generate::generate(e),
        )
    }
}

impl Generate for CustomerTags {
    fn generate(e: &mut dyn Entropy) -> Self {
        let mut tags: Vec<Tag> = Vec::new();
        for _ in 0..e.range(0, 3) {
            let tag = Tag::new(TagName::generate(e), TagType::Customer).with_metadata(
                Generate::generate(e),
                Generate::generate(e),
                Generate::generate(e),
            );
            let folded = tag.name().as_str().to_lowercase();
            if tags
                .iter()
                .all(|t| t.name().as_str().to_lowercase() != folded)
            {
                tags.push(tag);
            }
        }
        CustomerTags::new(tags).expect("customer tags with distinct names")
    }
}

/// Every member the stream's revision sets, each sent or not with its own generator.
impl Generate for UpsertRequest {
    fn generate(e: &mut dyn Entropy) -> Self {
        let contract = e.contract();
        let mut request = UpsertRequest::new_for(CustomerId::generate(e), contract);
        for member in *REQUEST_MEMBERS.get(contract) {
            set_request_member(&mut request, *member, e);
        }
        request
    }
}

/// Sets `member` of `request` (or leaves it absent) from its own generator.
pub(crate) fn set_request_member(
    request: &mut UpsertRequest,
    member: RequestMember,
    e: &mut dyn Entropy,
) {
    match member {
        RequestMember::Id => {}
        RequestMember::WebsiteId => request.website_id = Generate::generate(e),
        RequestMember::PaymentToken => {
            if e.below(4) == 0 {
                request.payment_token = Some(PaymentToken::generate(e));
            }
        }
        RequestMember::DefaultPaymentInstrument => {
            request.default_payment_instrument = Generate::generate(e);
        }
        RequestMember::DefaultPaymentInstrumentId => {
            request.default_payment_instrument_id = Generate::generate(e);
        }
        RequestMember::PreferredPayoutInstrumentId => {
            request.preferred_payout_instrument_id = Generate::generate(e);
        }
        RequestMember::CustomFields => request.custom_fields = Generate::generate(e),
        RequestMember::PrimaryAddress => request.primary_address = Generate::generate(e),
        RequestMember::IsEddRequired => request.is_edd_required = Generate::generate(e),
        RequestMember::Locale => request.locale = Generate::generate(e),
        RequestMember::TaxNumbers => request.tax_numbers = Generate::generate(e),
        RequestMember::LeadSource => request.lead_source = Generate::generate(e),
        RequestMember::PersonId => request.person_id = Generate::generate(e),
        RequestMember::NotificationEmails => {
            request.notification_emails = Generate::generate(e);
        }
    }
}

/// A revision in `range`, toward its start: mostly small steps from it, sometimes anywhere in
/// it.
pub(crate) fn revision_within(e: &mut dyn Entropy, range: std::ops::RangeInclusive<u64>) -> u64 {
    let (start, end) = (*range.start(), *range.end());
    let span = end - start;
    let step = if e.below(8) == 7 {
        // Anywhere, the end included.
        let high = (e.below(1 << 16) as u64) << 32 | (e.below(1 << 16) as u64) << 16;
        (high | e.below(1 << 16) as u64) % span.saturating_add(1).max(1)
    } else {
        (e.below(1000) as u64).min(span)
    };
    if e.below(16) == 15 { end } else { start + step }
}

/// Where generated revisions fall unless a strategy asks for others: small numbers, 0 the
/// simplest, far from any store's integer limit.
pub(crate) const REVISIONS: std::ops::RangeInclusive<u64> = 0..=1_000_000;

impl<T: Generate> Generate for Vec<T> {
    fn generate(e: &mut dyn Entropy) -> Self {
        (0..e.range(0, 3)).map(|_| T::generate(e)).collect()
    }
}

/// A member's value when the revision has the member; its default (unset) otherwise, without
/// drawing from the stream.
fn when<T: Generate + Default>(e: &mut dyn Entropy, present: bool) -> T {
    if present {
        T::generate(e)
    } else {
        T::default()
    }
}

impl Generate for Customer {
    fn generate(e: &mut dyn Entropy) -> Self {
        let created_time = Timestamp::generate(e);
        let later = |e: &mut dyn Entropy, from: Timestamp| {
            let seconds = i64::try_from(e.below(1 << 20)).expect("fits");
            let time = from.datetime() + chrono::Duration::seconds(seconds);
            if time.format("%Y").to_string().len() == 4 {
                Timestamp::from_datetime(time)
            } else {
                from
            }
        };
        let updated_time = later(e, created_time);
        let payment_count = e.range(0, 1000) as u64;
        let links = (0..e.range(0, 3)).map(|_| Link::generate(e)).collect();
        let contract = e.contract();
        let members = CUSTOMER_MEMBERS.get(contract);
        let has = |member: CustomerMember| members.contains(&member);
        Customer {
            contract,
            id: CustomerId::generate(e),
            website_id: WebsiteId::generate(e),
            organization_id: OrganizationId::generate(e),
            default_payment_instrument: Generate::generate(e),
            custom_fields: CustomFields::generate(e),
            primary_address: Generate::generate(e),
            is_edd_required: has(CustomerMember::IsEddRequired) && e.coin(),
            created_time,
            updated_time,
            // A spent or shrunk stream gives 0: small revisions, toward 0, within REVISIONS
            // (strategies ask for others, the top of `u64` included).
            revision: revision_within(e, REVISIONS),
            average_value: Money::generate(e),
            payment_count,
            last_payment_time: (payment_count > 0).then(|| later(e, created_time)),
            lifetime_revenue: Money::generate(e),
            invoice_count: e.range(0, 1000) as u64,
            tags: CustomerTags::generate(e),
            has_fulfilled_kyc: e.coin(),
            links,
            // What this version knows: members a newer API adds are its own to generate.
            embedded: None,
            // The members of other revisions stay unset: they are not this customer's.
            preferred_payout_instrument_id: when(
                e,
                has(CustomerMember::PreferredPayoutInstrumentId),
            ),
            // The server's own: not generated.
            company: None,
            locale: when(e, has(CustomerMember::Locale)),
            // A stored tax number may have been found valid or not by the server. Items of the
            // same type and value share the first one's finding, as every upsert leaves them
            // (a state no upsert reaches could not be sent back unchanged).
            tax_numbers: when::<Option<Vec<TaxNumber>>>(e, has(CustomerMember::TaxNumbers)).map(
                |items| {
                    let mut items: Vec<TaxNumber> = items
                        .into_iter()
                        .map(|item| {
                            let validity = [None, Some(true), Some(false)];
                            item.with_is_valid(*e.pick(&validity))
                        })
                        .collect();
                    let found = items.clone();
                    crate::tax_numbers::carry_validity(&mut items, &found);
                    items
                },
            ),
            lead_source: when(e, has(CustomerMember::LeadSource)),
            person_id: when(e, has(CustomerMember::PersonId)),
            notification_emails: when(e, has(CustomerMember::NotificationEmails)),
            others: OtherMembers::new(),
        }
    }
}

impl Generate for CustomFieldType {
    fn generate(e: &mut dyn Entropy) -> Self {
        *e.pick(&CustomFieldType::ALL)
    }
}

impl Generate for CustomFieldDefinition {
    fn generate(e: &mut dyn Entropy) -> Self {
        let field_type = CustomFieldType::generate(e);
        let mut definition = CustomFieldDefinition::new(field_type);
        if matches!(field_type, CustomFieldType::String | CustomFieldType::Array) && e.coin() {
            let values = (0..e.range(1, 4)).map(|_| any_text(e, 20)).collect();
            definition = definition
                .with_allowed_values(values)
                .expect("string and array take allowed values");
        }
        if field_type == CustomFieldType::String && e.coin() {
            let max = if e.coin() {
                STRING_MAX_LIMIT
            } else {
                e.range(1, 300)
            };
            definition = definition
                .with_max_length(max)
                .expect("a string takes a maximum length within the limit");
        }
        definition
    }
}

impl Generate for CustomFieldDefinitions {
    fn generate(e: &mut dyn Entropy) -> Self {
        let mut definitions = CustomFieldDefinitions::new();
        for _ in 0..e.range(0, 4) {
            definitions.insert(
                CustomFieldName::generate(e),
                CustomFieldDefinition::generate(e),
            );
        }
        definitions
    }
}
