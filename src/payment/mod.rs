//! Payment: methods, instruments resolved by method, and the write-only token.

mod method;
mod token;

use serde::de::MapAccess;
use serde::{Deserialize, Deserializer};

pub use method::PaymentMethod;
pub use token::PaymentToken;

use crate::contract::{ByContract, Contract};
use crate::de::{self, Collector, Got, Raw, RawShape, Seed, Shape, Skip};
use crate::error::{FieldPath, ValidationError, Violation, ViolationKind};
use crate::ids::PaymentInstrumentId;
use crate::object::{Described, Fields, Kept, Member, Named, OtherMembers, anchor_of};
use crate::text::{nfc, nfc_owned};

/// A payment instrument whose method the vault holds: `payment-card`, `ach`, or `paypal` with an
/// id. The id is required.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct VaultedInstrument {
    method: PaymentMethod,
    payment_instrument_id: PaymentInstrumentId,
    others: OtherMembers,
}

impl VaultedInstrument {
    /// The method.
    #[must_use]
    pub fn method(&self) -> PaymentMethod {
        self.method
    }
    /// The vaulted instrument's id.
    #[must_use]
    pub fn payment_instrument_id(&self) -> &PaymentInstrumentId {
        &self.payment_instrument_id
    }
}

/// An alternative method (any of the 175 but `payment-card`, `ach`, `cash` and `check`; `paypal`
/// without an id), with an optional instrument id. A customer read from a newer API may hold a
/// method this version does not know: it is an alternative one, kept with its text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AlternativeInstrument {
    method: Named<PaymentMethod>,
    payment_instrument_id: Option<PaymentInstrumentId>,
    /// 2026-08's `reference`: absent, `null` or a string.
    reference: Option<Option<String>>,
    others: OtherMembers,
}

impl AlternativeInstrument {
    /// The method, or `None` for one this version does not know (see
    /// [`AlternativeInstrument::method_name`]).
    #[must_use]
    pub fn method(&self) -> Option<PaymentMethod> {
        self.method.known()
    }
    /// The method as the API spells it, known or not.
    #[must_use]
    pub fn method_name(&self) -> &str {
        self.method.as_str(PaymentMethod::as_str)
    }
    /// The instrument id, if any.
    #[must_use]
    pub fn payment_instrument_id(&self) -> Option<&PaymentInstrumentId> {
        self.payment_instrument_id.as_ref()
    }
    /// 2026-08's `reference`, if the instrument carries one (a string; `null` reads as none
    /// but renders back as `null`).
    #[must_use]
    pub fn reference(&self) -> Option<&str> {
        self.reference.as_ref()?.as_deref()
    }
}

/// Cash, with who received it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CashInstrument {
    received_by: Option<String>,
    others: OtherMembers,
}

impl CashInstrument {
    /// Who received the payment, if given.
    #[must_use]
    pub fn received_by(&self) -> Option<&str> {
        self.received_by.as_deref()
    }
}

/// A check, with its reference.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CheckInstrument {
    reference: Option<String>,
    others: OtherMembers,
}

impl CheckInstrument {
    /// The check's reference, if given.
    #[must_use]
    pub fn reference(&self) -> Option<&str> {
        self.reference.as_deref()
    }
}

/// The customer's `defaultPaymentInstrument`. The schema's four shapes overlap, so the variant is
/// chosen by `method` alone:
///
/// | method | variant |
/// |---|---|
/// | `cash` | Cash (`receivedBy` optional) |
/// | `check` | Check (`reference` optional) |
/// | `payment-card`, `ach` | Vaulted, `paymentInstrumentId` required (deviation) |
/// | `paypal` | Vaulted with an id, Alternative without |
/// | any other of the 175 | Alternative, `paymentInstrumentId` optional |
///
/// ```
/// use rebilly_customer::{PaymentInstrument, PaymentMethod};
/// let card: PaymentInstrument = serde_json::from_str(
///     r#"{"method": "payment-card", "paymentInstrumentId": "inst_1"}"#).unwrap();
/// assert!(matches!(card, PaymentInstrument::Vaulted(_)));
/// assert!(PaymentInstrument::new(PaymentMethod::PaymentCard, None).is_err());
/// let paypal = PaymentInstrument::new(PaymentMethod::Paypal, None).unwrap();
/// assert!(matches!(paypal, PaymentInstrument::Alternative(_)));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PaymentInstrument {
    /// `payment-card`, `ach`, or `paypal` with an id.
    Vaulted(VaultedInstrument),
    /// Any other method but `cash` and `check`.
    Alternative(AlternativeInstrument),
    /// `cash`.
    Cash(CashInstrument),
    /// `check`.
    Check(CheckInstrument),
}

/// Which variant a method resolves to, before its members are known.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    /// Id required.
    Vaulted,
    /// Vaulted with an id, Alternative without.
    VaultedOrAlternative,
    Alternative,
    Cash,
    Check,
}

/// How each revision resolves a method to its variant: 2023-01 by the table above; 2026-08's
/// read-only instrument is always `{method, paymentInstrumentId}`, vaulted for `payment-card`,
/// `ach` and `paypal`, alternative for every other method (`cash` and `check` included).
static FAMILIES: ByContract<fn(PaymentMethod) -> Family> =
    ByContract::new(Family::of, Family::of_2026_08);

impl Family {
    fn of(method: PaymentMethod) -> Family {
        match method {
            PaymentMethod::PaymentCard | PaymentMethod::Ach => Family::Vaulted,
            PaymentMethod::Paypal => Family::VaultedOrAlternative,
            PaymentMethod::Cash => Family::Cash,
            PaymentMethod::Check => Family::Check,
            _ => Family::Alternative,
        }
    }

    fn of_2026_08(method: PaymentMethod) -> Family {
        match method {
            PaymentMethod::PaymentCard | PaymentMethod::Ach | PaymentMethod::Paypal => {
                Family::Vaulted
            }
            _ => Family::Alternative,
        }
    }

    /// The family of a method read under `contract`: one this version does not know is an
    /// alternative one.
    fn of_named(method: &Named<PaymentMethod>, contract: Contract) -> Family {
        method
            .known()
            .map_or(Family::Alternative, FAMILIES.get(contract))
    }

    /// The one member besides `method` that the variant has.
    fn member(self) -> InstrumentMember {
        match self {
            Family::Cash => InstrumentMember::ReceivedBy,
            Family::Check => InstrumentMember::Reference,
            _ => InstrumentMember::PaymentInstrumentId,
        }
    }
}

impl PaymentInstrument {
    /// 2026-08's instrument: `{method, paymentInstrumentId}`, as the upsert sets it from a
    /// looked-up `defaultPaymentInstrumentId`. Vaulted for `payment-card`, `ach` and `paypal`,
    /// alternative (with the id) for any other method.
    ///
    /// ```
    /// use rebilly_customer::{PaymentInstrument, PaymentInstrumentId, PaymentMethod};
    /// let id = PaymentInstrumentId::parse("inst_1").unwrap();
    /// let cash = PaymentInstrument::identified(PaymentMethod::Cash, id);
    /// assert_eq!(serde_json::to_string(&cash).unwrap(),
    ///     r#"{"method":"cash","paymentInstrumentId":"inst_1"}"#);
    /// ```
    #[must_use]
    pub fn identified(method: PaymentMethod, payment_instrument_id: PaymentInstrumentId) -> Self {
        match Family::of_2026_08(method) {
            Family::Vaulted => PaymentInstrument::Vaulted(VaultedInstrument {
                method,
                payment_instrument_id,
                others: OtherMembers::new(),
            }),
            _ => PaymentInstrument::Alternative(AlternativeInstrument {
                method: Named::Known(method),
                payment_instrument_id: Some(payment_instrument_id),
                reference: None,
                others: OtherMembers::new(),
            }),
        }
    }

    /// The instrument for `method` with an optional id, resolved by the table above.
    ///
    /// # Errors
    /// `required` at `paymentInstrumentId` for `payment-card` and `ach` without an id;
    /// `unknown_field` at `paymentInstrumentId` for `cash` and `check` with one.
    pub fn new(
        method: PaymentMethod,
        payment_instrument_id: Option<PaymentInstrumentId>,
    ) -> Result<Self, ValidationError> {
        let at_id = |kind| {
            ValidationError::from(Violation::new(
                FieldPath::root().join(InstrumentMember::PaymentInstrumentId.key()),
                kind,
            ))
        };
        match (Family::of(method), payment_instrument_id) {
            (Family::Cash, None) => Ok(PaymentInstrument::cash(None)),
            (Family::Check, None) => Ok(PaymentInstrument::check(None)),
            (Family::Cash | Family::Check, Some(_)) => Err(at_id(ViolationKind::UnknownField)),
            (Family::Vaulted, None) => Err(at_id(ViolationKind::Required)),
            (Family::Vaulted | Family::VaultedOrAlternative, Some(id)) => {
                Ok(PaymentInstrument::Vaulted(VaultedInstrument {
                    method,
                    payment_instrument_id: id,
                    others: OtherMembers::new(),
                }))
            }
            (Family::VaultedOrAlternative | Family::Alternative, id) => {
                Ok(PaymentInstrument::Alternative(AlternativeInstrument {
                    method: Named::Known(method),
                    payment_instrument_id: id,
                    reference: None,
                    others: OtherMembers::new(),
                }))
            }
        }
    }

    /// A cash instrument; `received_by` is stored in NFC.
    #[must_use]
    pub fn cash(received_by: Option<&str>) -> Self {
        PaymentInstrument::Cash(CashInstrument {
            received_by: received_by.map(|t| nfc(t).into_owned()),
            others: OtherMembers::new(),
        })
    }

    /// A check instrument; `reference` is stored in NFC.
    #[must_use]
    pub fn check(reference: Option<&str>) -> Self {
        PaymentInstrument::Check(CheckInstrument {
            reference: reference.map(|t| nfc(t).into_owned()),
            others: OtherMembers::new(),
        })
    }

    /// The payment method, or `None` for an alternative method this version does not know,
    /// read from a newer API (see [`PaymentInstrument::method_name`]).
    #[must_use]
    pub fn method(&self) -> Option<PaymentMethod> {
        match self {
            PaymentInstrument::Vaulted(v) => Some(v.method),
            PaymentInstrument::Alternative(a) => a.method(),
            PaymentInstrument::Cash(_) => Some(PaymentMethod::Cash),
            PaymentInstrument::Check(_) => Some(PaymentMethod::Check),
        }
    }

    /// The payment method as the API spells it, known or not.
    #[must_use]
    pub fn method_name(&self) -> &str {
        match self {
            PaymentInstrument::Alternative(a) => a.method_name(),
            known => known.method().map_or("", PaymentMethod::as_str),
        }
    }

    /// The members a newer API added to the instrument, kept as read.
    #[must_use]
    pub fn other_members(&self) -> &OtherMembers {
        match self {
            PaymentInstrument::Vaulted(v) => &v.others,
            PaymentInstrument::Alternative(a) => &a.others,
            PaymentInstrument::Cash(c) => &c.others,
            PaymentInstrument::Check(c) => &c.others,
        }
    }

    fn other_members_mut(&mut self) -> &mut OtherMembers {
        match self {
            PaymentInstrument::Vaulted(v) => &mut v.others,
            PaymentInstrument::Alternative(a) => &mut a.others,
            PaymentInstrument::Cash(c) => &mut c.others,
            PaymentInstrument::Check(c) => &mut c.others,
        }
    }

    /// The instrument id, when the instrument has one.
    #[must_use]
    pub fn payment_instrument_id(&self) -> Option<&PaymentInstrumentId> {
        match self {
            PaymentInstrument::Vaulted(v) => Some(&v.payment_instrument_id),
            PaymentInstrument::Alternative(a) => a.payment_instrument_id.as_ref(),
            _ => None,
        }
    }
}

json_object! {
    /// The members of a payment instrument. `method` decides the variant, and each variant has
    /// one other member (see `Family::member`).
    pub(crate) enum InstrumentMember {
        Method = "method", required;
        PaymentInstrumentId = "paymentInstrumentId";
        ReceivedBy = "receivedBy";
        Reference = "reference";
    }
}

/// `{"method": …}` plus the variant's member when set; unset optional members are omitted.
impl Described for PaymentInstrument {
    type Member = InstrumentMember;

    fn fields<F: Fields<InstrumentMember>>(&self, fields: &mut F) {
        fields.field(InstrumentMember::Method, self.method_name());
        let (member, value) = match self {
            PaymentInstrument::Cash(cash) => (InstrumentMember::ReceivedBy, cash.received_by()),
            PaymentInstrument::Check(check) => (InstrumentMember::Reference, check.reference()),
            _ => (
                InstrumentMember::PaymentInstrumentId,
                self.payment_instrument_id().map(|id| id.as_str()),
            ),
        };
        if let Some(value) = value {
            fields.field(member, value);
        }
        if let PaymentInstrument::Alternative(AlternativeInstrument {
            reference: Some(reference),
            ..
        }) = self
        {
            fields.field(InstrumentMember::Reference, reference);
        }
    }

    fn other_members(&self) -> &OtherMembers {
        PaymentInstrument::other_members(self)
    }
}

serialize_described!(PaymentInstrument);

json_door!(
    PaymentInstrument,
    "a payment instrument",
    InstrumentShape,
    |instrument| instrument
);

impl<'de> Deserialize<'de> for PaymentInstrument {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::deserialize_shape(deserializer, InstrumentShape)
    }
}

/// Reads `defaultPaymentInstrument`. `method` decides which other members exist, so members
/// that come before it are buffered and judged once it is known; members after it are judged as
/// they come (the usual order, which costs no buffering).
pub(crate) struct InstrumentShape;

/// What `method` held: a known method, an unknown name, or no string at all (`null`, a
/// number, an object…). Nothing is reported while reading, so the one violation goes on
/// `method` itself, never on the instrument.
enum MethodRead {
    Known(PaymentMethod),
    Unknown(ValidationError, String),
    NotText,
}

/// A payment method's name, looked up without copying it.
#[derive(Clone, Copy)]
struct MethodShape;

impl<'de> Shape<'de> for MethodShape {
    type Out = MethodRead;
    const EXPECTED: &'static str = "a string";
    fn on_str(self, c: &mut Collector, text: &str) -> Got<MethodRead> {
        Got::Value(match PaymentMethod::parse_for(&nfc(text), c.contract) {
            Ok(method) => MethodRead::Known(method),
            Err(error) => MethodRead::Unknown(error, text.to_owned()),
        })
    }
    fn on_bool(self, _: &mut Collector, _: bool) -> Got<MethodRead> {
        Got::Value(MethodRead::NotText)
    }
    fn on_number(self, _: &mut Collector, _: serde_json::Number) -> Got<MethodRead> {
        Got::Value(MethodRead::NotText)
    }
    fn on_map<A: MapAccess<'de>>(
        self,
        c: &mut Collector,
        map: A,
    ) -> Result<Got<MethodRead>, A::Error> {
        Skip.on_map(c, map)?;
        Ok(Got::Value(MethodRead::NotText))
    }
    fn on_seq<A: serde::de::SeqAccess<'de>>(
        self,
        c: &mut Collector,
        seq: A,
    ) -> Result<Got<MethodRead>, A::Error> {
        Skip.on_seq(c, seq)?;
        Ok(Got::Value(MethodRead::NotText))
    }
}

/// What is known of `method` while the object is read.
enum MethodState {
    NotYet,
    /// A method of the 175, or (reading a customer) one a newer API added.
    Known(Named<PaymentMethod>),
    /// Missing, not a string or unknown: reported once, the other members are not judged.
    Refused,
}

/// The variant's one member besides `method`, as read so far.
#[derive(Default)]
struct VariantMember {
    /// The member was there, whatever its value.
    present: bool,
    /// `receivedBy` or `reference`, as read.
    text: Option<String>,
    /// `paymentInstrumentId`, judged as it is read so that violations keep document order.
    id: Option<PaymentInstrumentId>,
    /// 2026-08's `reference` of an alternative instrument: absent, `null` or a string.
    reference: Option<Option<String>>,
}

/// Whether an alternative instrument may carry `reference` (2026-08 added it).
static ALTERNATIVE_REFERENCE: ByContract<bool> = ByContract::new(false, true);

/// A member's value as read: unjudged text, or (when unknown members are kept) the whole value
/// as read, since it may turn out to be one.
enum Held {
    Raw(Got<Raw>),
    Kept(Kept),
}

impl Held {
    fn read<'de, A: MapAccess<'de>>(c: &mut Collector, map: &mut A) -> Result<Held, A::Error> {
        Ok(if c.keep_others {
            Held::Kept(de::kept_as_read(map)?)
        } else {
            Held::Raw(map.next_value_seed(Seed::new(c, RawShape, true))?)
        })
    }

    fn into_raw(self) -> Got<Raw> {
        match self {
            Held::Raw(got) => got,
            Held::Kept(kept) => match serde_json::from_str(kept.raw().get()) {
                Ok(serde_json::Value::String(text)) => Got::Value(Raw::Text(text)),
                Ok(serde_json::Value::Null) => Got::Null,
                _ => Got::Value(Raw::NotText),
            },
        }
    }
}

impl VariantMember {
    /// Judges the value of member `key` for `family`. Any other member is kept in `others`
    /// (after the anchor given) when unknown members are kept, else reported unless ignored.
    fn judge(
        &mut self,
        c: &mut Collector,
        family: Family,
        key: &str,
        held: Held,
        anchor: u8,
        others: &mut OtherMembers,
    ) {
        let reference = InstrumentMember::Reference;
        if family == Family::Alternative
            && *ALTERNATIVE_REFERENCE.get(c.contract)
            && InstrumentMember::from_key(key) == Some(reference)
        {
            self.reference = match held.into_raw() {
                Got::Value(Raw::Text(text)) => Some(Some(nfc_owned(text))),
                Got::Null => Some(None),
                _ => {
                    c.report_at(
                        reference.key(),
                        ViolationKind::Type {
                            expected: "a string",
                            nullable: true,
                        },
                    );
                    None
                }
            };
            return;
        }
        if InstrumentMember::from_key(key) != Some(family.member()) {
            match held {
                Held::Kept(value) => others.push(anchor, key.to_owned(), value),
                Held::Raw(_) if !c.ignore_unknown => {
                    c.report_at(key.to_owned(), ViolationKind::UnknownField);
                }
                Held::Raw(_) => {}
            }
            return;
        }
        self.present = true;
        match held.into_raw() {
            Got::Value(Raw::Text(value)) => match family {
                Family::Cash | Family::Check => self.text = Some(value),
                // The text read is moved into the id, not copied again.
                _ => match PaymentInstrumentId::try_from(value) {
                    Ok(id) => self.id = Some(id),
                    Err(error) => {
                        c.enter(family.member().key());
                        c.absorb(error);
                        c.leave();
                    }
                },
            },
            Got::Null => c.report_at(family.member().key(), ViolationKind::NotNull),
            _ => c.report_at(
                family.member().key(),
                ViolationKind::Type {
                    expected: "a string",
                    nullable: false,
                },
            ),
        }
    }
}

impl<'de> Shape<'de> for InstrumentShape {
    type Out = PaymentInstrument;
    const EXPECTED: &'static str = "an object";

    fn on_map<A: MapAccess<'de>>(
        self,
        c: &mut Collector,
        map: A,
    ) -> Result<Got<PaymentInstrument>, A::Error> {
        let mut method = MethodState::NotYet;
        let mut before_method: Vec<(String, Held)> = Vec::new();
        let mut member = VariantMember::default();
        let mut others = OtherMembers::new();
        // Where an unknown member goes back (see `OtherMembers`): members before `method` go
        // before it, which is written first.
        let mut anchor = 0;
        let mark = c.mark();
        de::members(c, map, |c, key, map| {
            if InstrumentMember::from_key(key) == Some(InstrumentMember::Method) {
                anchor = anchor_of(InstrumentMember::Method);
                method = match map.next_value_seed(Seed::new(c, MethodShape, true))? {
                    Got::Value(MethodRead::Known(found)) => MethodState::Known(Named::Known(found)),
                    Got::Value(MethodRead::Unknown(_, text)) if c.keep_others => {
                        MethodState::Known(Named::Other(text.into_boxed_str()))
                    }
                    Got::Value(MethodRead::Unknown(error, _)) => {
                        c.enter(InstrumentMember::Method.key());
                        c.absorb(error);
                        c.leave();
                        MethodState::Refused
                    }
                    _ => {
                        c.report_at(
                            InstrumentMember::Method.key(),
                            ViolationKind::Type {
                                expected: "a string",
                                nullable: false,
                            },
                        );
                        MethodState::Refused
                    }
                };
                return Ok(true);
            }
            match &method {
                MethodState::Known(known) => {
                    let family = Family::of_named(known, c.contract);
                    let held = Held::read(c, map)?;
                    let is_member = InstrumentMember::from_key(key) == Some(family.member());
                    member.judge(c, family, key, held, anchor, &mut others);
                    if is_member {
                        anchor = anchor_of(family.member());
                    }
                }
                MethodState::NotYet => {
                    let held = Held::read(c, map)?;
                    before_method.push((key.to_owned(), held));
                }
                MethodState::Refused => {
                    map.next_value_seed(Seed::new(c, Skip, true))?;
                }
            }
            Ok(true)
        })?;

        let method = match method {
            MethodState::Known(method) => method,
            MethodState::Refused => return Ok(Got::Invalid),
            MethodState::NotYet => {
                c.missing::<InstrumentMember>(0);
                return Ok(Got::Invalid);
            }
        };
        let family = Family::of_named(&method, c.contract);
        for (key, held) in before_method {
            member.judge(c, family, &key, held, 0, &mut others);
        }
        others.settle();
        // An unknown member does not hide the variant's own rules (a missing id above all):
        // every violation of the object is reported together.
        let instrument = match (family, method) {
            (Family::Cash, _) => Some(PaymentInstrument::cash(None)),
            (Family::Check, _) => Some(PaymentInstrument::check(None)),
            // A member that was there but refused is already reported, and not also
            // "required".
            _ if member.present && member.id.is_none() => None,
            (_, Named::Other(text)) => {
                Some(PaymentInstrument::Alternative(AlternativeInstrument {
                    method: Named::Other(text),
                    payment_instrument_id: member.id.take(),
                    reference: member.reference.take(),
                    others: OtherMembers::new(),
                }))
            }
            (Family::Vaulted, Named::Known(method)) if member.id.is_some() => {
                Some(PaymentInstrument::Vaulted(VaultedInstrument {
                    method,
                    payment_instrument_id: member.id.take().expect("checked above"),
                    others: OtherMembers::new(),
                }))
            }
            (Family::Alternative, Named::Known(method)) => {
                Some(PaymentInstrument::Alternative(AlternativeInstrument {
                    method: Named::Known(method),
                    payment_instrument_id: member.id.take(),
                    reference: member.reference.take(),
                    others: OtherMembers::new(),
                }))
            }
            (_, Named::Known(method)) => match PaymentInstrument::new(method, member.id.take()) {
                Ok(instrument) => Some(instrument),
                Err(error) => {
                    c.absorb(error);
                    None
                }
            },
        };
        let instrument = instrument.map(|mut instrument| {
            match &mut instrument {
                PaymentInstrument::Cash(cash) => {
                    cash.received_by = member.text.take().map(nfc_owned)
                }
                PaymentInstrument::Check(check) => {
                    check.reference = member.text.take().map(nfc_owned);
                }
                _ => {}
            }
            *instrument.other_members_mut() = others;
            instrument
        });
        Ok(match instrument {
            Some(instrument) if c.clean_since(mark) => Got::Value(instrument),
            _ => Got::Invalid,
        })
    }
}
