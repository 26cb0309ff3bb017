//! Request bodies: valid ones paired with the request they must parse to, and near misses paired
//! with the exact violations they must produce.

use serde_json::{Map, Value, json};
use unicode_normalization::UnicodeNormalization;

use crate::codes::CountryCode;
use crate::contact::{ContactName, PostalCode};
use crate::contract::Contract;
use crate::error::ErrorCode;
use crate::generate::text::{outside, text_of_length};
use crate::generate::{Entropy, Generate};
use crate::request::{ParseOptions, UpsertRequest};
use crate::text::TextRule;

/// A valid request body and the request it parses to.
///
/// The body is the request rendered as JSON, with the token added (the request never renders
/// it), and sometimes with every string decomposed to NFD and read-only members of any type
/// mixed in: none of that may change the parsed request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidBody {
    path_id: String,
    json: Vec<u8>,
    request: UpsertRequest,
}

impl ValidBody {
    /// The revision the body is valid under.
    #[must_use]
    pub fn contract(&self) -> Contract {
        self.request.contract()
    }

    /// The options to parse the body with: its revision's.
    #[must_use]
    pub fn options(&self) -> ParseOptions {
        ParseOptions::new().with_contract(self.contract())
    }

    /// The id of the path, `PUT /customers/{id}`.
    #[must_use]
    pub fn path_id(&self) -> &str {
        &self.path_id
    }

    /// The body's bytes.
    #[must_use]
    pub fn json(&self) -> &[u8] {
        &self.json
    }

    /// The request the body must parse to.
    #[must_use]
    pub fn request(&self) -> &UpsertRequest {
        &self.request
    }
}

/// Every string of a JSON value decomposed to NFD; member names are left as they are, since
/// NFC applies to values only.
fn decompose(value: &mut Value) {
    match value {
        Value::String(text) => *text = text.nfd().collect(),
        Value::Array(items) => items.iter_mut().for_each(decompose),
        Value::Object(members) => members.values_mut().for_each(decompose),
        _ => {}
    }
}

/// Read-only members a client may send back with any content: ignored unchecked.
fn junk_read_only(e: &mut dyn Entropy, body: &mut Map<String, Value>) {
    let junk = [
        ("revision", json!("not a number")),
        ("_links", json!(5)),
        ("tags", json!({"x": null})),
        ("createdTime", json!("yesterday")),
        ("organizationId", json!(null)),
        ("_embedded", json!([1, 2])),
    ];
    for (member, value) in junk {
        if e.coin() {
            body.insert(member.to_owned(), value);
        }
    }
    if let Some(Value::Object(contact)) = body.get_mut("primaryAddress") {
        if e.coin() {
            contact.insert("hash".to_owned(), json!(7));
        }
    }
}

impl Generate for ValidBody {
    fn generate(e: &mut dyn Entropy) -> Self {
        let request = UpsertRequest::generate(e);
        ValidBody::of(request, e)
    }
}

impl ValidBody {
    /// The body of `request`, as a client may send it: without the optional body `id` (a
    /// spent stream leaves it out, so a shrunk body holds only what matters), with read-only
    /// members sent back, in NFD.
    pub(crate) fn of(request: UpsertRequest, e: &mut dyn Entropy) -> Self {
        let Ok(Value::Object(mut body)) =
            serde_json::from_str::<Value>(&request.to_body_with_token())
        else {
            unreachable!("a request renders as an object")
        };
        if !e.coin() {
            body.remove("id");
        }
        if e.coin() {
            junk_read_only(e, &mut body);
        }
        let mut body = Value::Object(body);
        if e.coin() {
            decompose(&mut body);
        }
        ValidBody {
            path_id: request.id().as_str().to_owned(),
            json: serde_json::to_vec(&body).expect("a JSON value renders"),
            request,
        }
    }
}

/// A body that breaks one to three rules, with the violations it must produce: each as its field
/// path and code. The order of the list is not significant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NearMiss {
    contract: Contract,
    path_id: String,
    json: Vec<u8>,
    expected: Vec<(String, ErrorCode)>,
}

impl NearMiss {
    /// The revision whose rules the body breaks.
    #[must_use]
    pub fn contract(&self) -> Contract {
        self.contract
    }

    /// The options to parse the body with: its revision's.
    #[must_use]
    pub fn options(&self) -> ParseOptions {
        ParseOptions::new().with_contract(self.contract)
    }

    /// The id of the path.
    #[must_use]
    pub fn path_id(&self) -> &str {
        &self.path_id
    }

    /// The body's bytes.
    #[must_use]
    pub fn json(&self) -> &[u8] {
        &self.json
    }

    /// The violations the body must produce, and no others, as `(field, code)`, sorted.
    #[must_use]
    pub fn expected(&self) -> &[(String, ErrorCode)] {
        &self.expected
    }
}

/// The violations a near miss must produce, as `(field, code)`.
type Expected = Vec<(String, ErrorCode)>;

/// One way to break a valid body: the part of the body it owns, the revisions it breaks (a
/// column of the table: some members exist in one revision only), and how (given the path id).
struct Mutation {
    slot: &'static str,
    revisions: &'static [Contract],
    apply: fn(&mut dyn Entropy, &mut Map<String, Value>, &str) -> Expected,
}

const BOTH: &[Contract] = &Contract::ALL;
const SEED: &[Contract] = &[Contract::Seed2023_01];
const NEW: &[Contract] = &[Contract::Rebilly2026_08];

/// The mutations that break a body of `contract`.
fn mutations(contract: Contract) -> Vec<&'static Mutation> {
    MUTATIONS
        .iter()
        .filter(|mutation| mutation.revisions.contains(&contract))
        .collect()
}

fn one(field: &str, code: ErrorCode) -> Expected {
    vec![(field.to_owned(), code)]
}

/// The contact object of the body, made `{}` if the body has none.
fn contact(body: &mut Map<String, Value>) -> &mut Map<String, Value> {
    let slot = body
        .entry("primaryAddress")
        .or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    slot.as_object_mut().expect("made an object above")
}

/// `units` code points of the name class of the stream's revision.
fn name_text(e: &mut dyn Entropy, units: usize) -> String {
    let rule = ContactName::rule(e.contract());
    text_of_length(e, rule, units)
}

fn over(rule: &TextRule) -> usize {
    rule.max.expect("a limited rule") + 1
}

/// One character over the custom field name limit of 60.
const SIXTY_ONE: &str = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

const MUTATIONS: &[Mutation] = &[
    Mutation {
        slot: "websiteId",
        revisions: BOTH,
        apply: |_, body, _| {
            body.insert("websiteId".into(), Value::Null);
            one("websiteId", ErrorCode::NotNull)
        },
    },
    Mutation {
        slot: "websiteId",
        revisions: BOTH,
        apply: |e, body, _| {
            let rule = crate::ids::WebsiteId::RULE;
            body.insert(
                "websiteId".into(),
                json!(text_of_length(e, rule, over(rule))),
            );
            one("websiteId", ErrorCode::TooLong)
        },
    },
    Mutation {
        slot: "isEddRequired",
        revisions: SEED,
        apply: |e, body, _| {
            let wrong = [json!("yes"), json!(1), json!([]), json!({})];
            body.insert("isEddRequired".into(), e.pick(&wrong).clone());
            one("isEddRequired", ErrorCode::Type)
        },
    },
    Mutation {
        slot: "customFields",
        revisions: BOTH,
        apply: |_, body, _| {
            body.insert("customFields".into(), Value::Null);
            one("customFields", ErrorCode::NotNull)
        },
    },
    Mutation {
        slot: "customFields.",
        revisions: BOTH,
        apply: |e, body, _| {
            let names = ["bad name", "é", SIXTY_ONE, "a.b", ""];
            let name = *e.pick(&names);
            let code = if name.is_empty() {
                ErrorCode::Empty
            } else if name.len() > 60 {
                ErrorCode::TooLong
            } else {
                ErrorCode::Pattern
            };
            let mut fields = Map::new();
            fields.insert(name.to_owned(), json!(1));
            body.insert("customFields".into(), Value::Object(fields));
            let at = crate::error::FieldPath::root()
                .join("customFields")
                .join(name.to_owned());
            one(&at.to_string(), code)
        },
    },
    Mutation {
        slot: "primaryAddress",
        revisions: BOTH,
        apply: |e, body, _| {
            let wrong = [json!(5), json!("x"), json!([]), json!(true)];
            body.insert("primaryAddress".into(), e.pick(&wrong).clone());
            one("primaryAddress", ErrorCode::Type)
        },
    },
    Mutation {
        slot: "primaryAddress.firstName",
        revisions: BOTH,
        apply: |e, body, _| {
            let text = name_text(e, over(ContactName::RULE));
            contact(body).insert("firstName".into(), json!(text));
            one("primaryAddress.firstName", ErrorCode::TooLong)
        },
    },
    Mutation {
        slot: "primaryAddress.lastName",
        revisions: BOTH,
        apply: |e, body, _| {
            let units = e.range(0, 44);
            let mut text: Vec<char> = name_text(e, units).nfc().collect();
            let at = e.range(0, text.len());
            let class = ContactName::rule(e.contract())
                .class
                .expect("names have a class");
            text.insert(at, outside(e, class));
            let text: String = text.into_iter().collect();
            contact(body).insert("lastName".into(), json!(text));
            one("primaryAddress.lastName", ErrorCode::Pattern)
        },
    },
    Mutation {
        slot: "primaryAddress.city",
        revisions: BOTH,
        apply: |_, body, _| {
            contact(body).insert("city".into(), json!(""));
            one("primaryAddress.city", ErrorCode::Empty)
        },
    },
    Mutation {
        slot: "primaryAddress.country",
        revisions: BOTH,
        apply: |e, body, _| {
            let code = CountryCode::generate(e).as_str().to_lowercase();
            contact(body).insert("country".into(), json!(code));
            one("primaryAddress.country", ErrorCode::UnknownCountry)
        },
    },
    Mutation {
        slot: "primaryAddress.postalCode",
        revisions: BOTH,
        apply: |e, body, _| {
            let text = text_of_length(e, PostalCode::RULE, over(PostalCode::RULE));
            contact(body).insert("postalCode".into(), json!(text));
            one("primaryAddress.postalCode", ErrorCode::TooLong)
        },
    },
    Mutation {
        slot: "primaryAddress.dob",
        revisions: BOTH,
        apply: |e, body, _| {
            let wrong = ["2023-02-29", "2024-2-9", "2024-13-01", "01/02/2024", ""];
            contact(body).insert("dob".into(), json!(e.pick(&wrong)));
            one("primaryAddress.dob", ErrorCode::InvalidDate)
        },
    },
    Mutation {
        slot: "primaryAddress.emails",
        revisions: BOTH,
        apply: |_, body, _| {
            let emails = json!([
                {"label": "a", "value": "a@example.com", "primary": true},
                {"label": "b", "value": "b@example.com"},
                {"label": "c", "value": "c@example.com", "primary": true}
            ]);
            contact(body).insert("emails".into(), emails);
            one("primaryAddress.emails", ErrorCode::MultiplePrimary)
        },
    },
    Mutation {
        slot: "primaryAddress.emails",
        revisions: BOTH,
        apply: |e, body, _| {
            let wrong = [
                "not-an-email",
                "a@localhost",
                "Ann <a@example.com>",
                "ä@example.com",
            ];
            let emails = json!([{"label": "a", "value": e.pick(&wrong)}]);
            contact(body).insert("emails".into(), emails);
            one("primaryAddress.emails.0.value", ErrorCode::InvalidEmail)
        },
    },
    Mutation {
        slot: "primaryAddress.phoneNumbers",
        revisions: BOTH,
        apply: |_, body, _| {
            let phones = json!([{"label": "ok", "value": "1"}, {"value": "2"}]);
            contact(body).insert("phoneNumbers".into(), phones);
            one("primaryAddress.phoneNumbers.1.label", ErrorCode::Required)
        },
    },
    Mutation {
        slot: "defaultPaymentInstrument",
        revisions: SEED,
        apply: |e, body, _| {
            let wrong = ["no-such-method", "Payment-Card", "", "cash "];
            body.insert(
                "defaultPaymentInstrument".into(),
                json!({"method": e.pick(&wrong), "paymentInstrumentId": "x"}),
            );
            one("defaultPaymentInstrument.method", ErrorCode::UnknownMethod)
        },
    },
    Mutation {
        slot: "defaultPaymentInstrument",
        revisions: SEED,
        apply: |e, body, _| {
            let method = e.pick(&["payment-card", "ach"]);
            body.insert("defaultPaymentInstrument".into(), json!({"method": method}));
            one(
                "defaultPaymentInstrument.paymentInstrumentId",
                ErrorCode::Required,
            )
        },
    },
    Mutation {
        slot: "id",
        revisions: BOTH,
        apply: |_, body, path_id| {
            body.insert("id".into(), json!(format!("{path_id}-other")));
            one("id", ErrorCode::IdMismatch)
        },
    },
    Mutation {
        slot: "paymentToken",
        revisions: BOTH,
        apply: |_, body, _| {
            body.insert("paymentToken".into(), json!(""));
            one("paymentToken", ErrorCode::Empty)
        },
    },
    // Finer breaks of the instrument and the email list, each owning one part, so that two of
    // them can land in one body: every violation of each must still be reported.
    Mutation {
        slot: "defaultPaymentInstrument.paymentInstrumentId",
        revisions: SEED,
        apply: |_, body, _| {
            card_instrument(body).remove("paymentInstrumentId");
            one(
                "defaultPaymentInstrument.paymentInstrumentId",
                ErrorCode::Required,
            )
        },
    },
    Mutation {
        slot: "defaultPaymentInstrument.paymentCardId",
        revisions: SEED,
        apply: |_, body, _| {
            // The shape older Rebilly SDKs send.
            card_instrument(body).insert("paymentCardId".into(), json!("card_1"));
            one(
                "defaultPaymentInstrument.paymentCardId",
                ErrorCode::UnknownField,
            )
        },
    },
    Mutation {
        slot: "primaryAddress.emails#primary",
        revisions: BOTH,
        apply: |_, body, _| {
            let items = three_emails(body);
            items[0]["primary"] = json!(true);
            items[2]["primary"] = json!(true);
            one("primaryAddress.emails", ErrorCode::MultiplePrimary)
        },
    },
    Mutation {
        slot: "primaryAddress.emails#value",
        revisions: BOTH,
        apply: |e, body, _| {
            let wrong = ["not-an-email", "a@localhost", "ä@example.com"];
            three_emails(body)[0]["value"] = json!(e.pick(&wrong));
            one("primaryAddress.emails.0.value", ErrorCode::InvalidEmail)
        },
    },
    Mutation {
        slot: "unknownMember",
        revisions: BOTH,
        apply: |_, body, _| {
            body.insert("unknownMember".into(), json!({"any": "thing"}));
            one("unknownMember", ErrorCode::UnknownField)
        },
    },
    // 2026-08's own members.
    Mutation {
        slot: "isEddRequired",
        revisions: NEW,
        apply: |e, body, _| {
            body.insert("isEddRequired".into(), json!(e.coin()));
            one("isEddRequired", ErrorCode::UnknownField)
        },
    },
    Mutation {
        slot: "defaultPaymentInstrumentId",
        revisions: NEW,
        apply: |e, body, _| {
            let rule = crate::ids::PaymentInstrumentId::RULE;
            body.insert(
                "defaultPaymentInstrumentId".into(),
                json!(text_of_length(e, rule, over(rule))),
            );
            one("defaultPaymentInstrumentId", ErrorCode::TooLong)
        },
    },
    Mutation {
        slot: "personId",
        revisions: NEW,
        apply: |_, body, _| {
            body.insert("personId".into(), json!(""));
            one("personId", ErrorCode::Empty)
        },
    },
    Mutation {
        slot: "locale",
        revisions: NEW,
        apply: |e, body, _| {
            let wrong = [json!(5), json!([]), json!({}), json!(true)];
            body.insert("locale".into(), e.pick(&wrong).clone());
            one("locale", ErrorCode::Type)
        },
    },
    Mutation {
        slot: "notificationEmails",
        revisions: NEW,
        apply: |e, body, _| {
            let wrong = ["not-an-email", "a@localhost", "ä@example.com"];
            body.insert(
                "notificationEmails".into(),
                json!(["ok@example.com", e.pick(&wrong)]),
            );
            one("notificationEmails.1", ErrorCode::InvalidEmail)
        },
    },
    Mutation {
        slot: "taxNumbers",
        revisions: NEW,
        apply: |e, body, _| {
            let wrong = ["EU-VAT", "vat", ""];
            body.insert(
                "taxNumbers".into(),
                json!([{"type": e.pick(&wrong), "value": "1"}]),
            );
            one("taxNumbers.0.type", ErrorCode::Pattern)
        },
    },
    Mutation {
        slot: "leadSource",
        revisions: NEW,
        apply: |e, body, _| {
            let wrong = ["example.com", "https://a b", "1a:b", "http://a/%G0"];
            body.insert("leadSource".into(), json!({"referrer": e.pick(&wrong)}));
            one("leadSource.referrer", ErrorCode::Pattern)
        },
    },
    Mutation {
        slot: "leadSource",
        revisions: NEW,
        apply: |_, body, _| {
            body.insert("leadSource".into(), Value::Null);
            one("leadSource", ErrorCode::NotNull)
        },
    },
];

/// The body's instrument as a valid `payment-card` one, made so unless it already is.
fn card_instrument(body: &mut Map<String, Value>) -> &mut Map<String, Value> {
    let slot = body
        .entry("defaultPaymentInstrument")
        .or_insert(Value::Null);
    if slot.get("method") != Some(&json!("payment-card")) {
        *slot = json!({"method": "payment-card", "paymentInstrumentId": "inst_1"});
    }
    slot.as_object_mut().expect("made an object above")
}

/// The contact's emails as three valid items without a primary (labels `e0` to `e2`), made so
/// unless they already are.
fn three_emails(body: &mut Map<String, Value>) -> &mut Vec<Value> {
    let slot = contact(body).entry("emails").or_insert(Value::Null);
    let ours = slot.as_array().is_some_and(|items| {
        items.len() == 3 && (0..3).all(|i| items[i]["label"] == json!(format!("e{i}")))
    });
    if !ours {
        *slot = (0..3)
            .map(|i| json!({"label": format!("e{i}"), "value": format!("e{i}@example.com")}))
            .collect();
    }
    slot.as_array_mut().expect("made an array above")
}

fn overlaps(a: &str, b: &str) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

impl Generate for NearMiss {
    fn generate(e: &mut dyn Entropy) -> Self {
        let valid = ValidBody::generate(e);
        let Ok(Value::Object(mut body)) = serde_json::from_slice::<Value>(&valid.json) else {
            unreachable!("a valid body is an object")
        };
        let mut expected = Vec::new();
        let mut taken: Vec<&'static str> = Vec::new();
        let contract = e.contract();
        let rows = mutations(contract);
        for _ in 0..e.range(1, 3) {
            let mutation = *e.pick(&rows);
            if taken.iter().any(|slot| overlaps(slot, mutation.slot)) {
                continue;
            }
            taken.push(mutation.slot);
            expected.extend((mutation.apply)(e, &mut body, &valid.path_id));
        }
        expected.sort();
        NearMiss {
            contract,
            path_id: valid.path_id,
            json: serde_json::to_vec(&body).expect("a JSON value renders"),
            expected,
        }
    }
}

/// Two near misses of one valid body, broken in different members, and the body broken in both
/// places: "every error at once" means the last reports exactly the violations of the first two
/// together, however the breaks sit beside each other (an unknown member beside a missing one,
/// a list's two primaries beside an item's own error).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NearMissPair {
    contract: Contract,
    path_id: String,
    first: Vec<u8>,
    second: Vec<u8>,
    both: Vec<u8>,
}

impl NearMissPair {
    /// The revision whose rules the bodies break.
    #[must_use]
    pub fn contract(&self) -> Contract {
        self.contract
    }

    /// The options to parse the bodies with: their revision's.
    #[must_use]
    pub fn options(&self) -> ParseOptions {
        ParseOptions::new().with_contract(self.contract)
    }

    /// The id of the path.
    #[must_use]
    pub fn path_id(&self) -> &str {
        &self.path_id
    }

    /// The body broken in the first place only.
    #[must_use]
    pub fn first(&self) -> &[u8] {
        &self.first
    }

    /// The body broken in the second place only.
    #[must_use]
    pub fn second(&self) -> &[u8] {
        &self.second
    }

    /// The body broken in both places.
    #[must_use]
    pub fn both(&self) -> &[u8] {
        &self.both
    }
}

/// Replays the choices of one mutation from its seed, so that the same break lands in the body
/// broken once and in the body broken twice (SplitMix64).
struct Replay(u64, Contract);

impl Entropy for Replay {
    fn contract(&self) -> Contract {
        self.1
    }

    fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z % n as u64) as usize
    }
}

impl Generate for NearMissPair {
    fn generate(e: &mut dyn Entropy) -> Self {
        let valid = ValidBody::generate(e);
        let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&valid.json) else {
            unreachable!("a valid body is an object")
        };
        let contract = e.contract();
        let rows = mutations(contract);
        let first = *e.pick(&rows);
        let others: Vec<&Mutation> = rows
            .iter()
            .copied()
            .filter(|m| !overlaps(m.slot, first.slot))
            .collect();
        let second = *e.pick(&others);
        let seeds = [e.below(usize::MAX) as u64, e.below(usize::MAX) as u64];
        let break_in = |body: &mut Map<String, Value>, mutation: &Mutation, seed: u64| {
            (mutation.apply)(&mut Replay(seed, contract), body, &valid.path_id);
        };
        let render = |body: &Map<String, Value>| serde_json::to_vec(body).expect("renders");
        let (mut one, mut other, mut both) = (body.clone(), body.clone(), body);
        break_in(&mut one, first, seeds[0]);
        break_in(&mut other, second, seeds[1]);
        break_in(&mut both, first, seeds[0]);
        break_in(&mut both, second, seeds[1]);
        NearMissPair {
            contract,
            path_id: valid.path_id,
            first: render(&one),
            second: render(&other),
            both: render(&both),
        }
    }
}
