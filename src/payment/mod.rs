//! Payment: methods, instruments resolved by method, and the write-only token.

mod method;
mod token;

use serde::de::MapAccess;
use serde::{Deserialize, Deserializer};

pub use method::PaymentMethod;
pub use token::PaymentToken;

use crate::de::{self, Collector, Got, Raw, RawShape, Seed, Shape, Skip};
use crate::error::{FieldPath, ValidationError, Violation, ViolationKind};
use crate::ids::PaymentInstrumentId;
use crate::object::{Described, Fields, Member};
use crate::text::{nfc, nfc_owned};

/// A payment instrument whose method the vault holds: `payment-card`, `ach`, or `paypal` with an
/// id. The id is required.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct VaultedInstrument {
    method: PaymentMethod,
    payment_instrument_id: PaymentInstrumentId,
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
/// without an id), with an optional instrument id.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AlternativeInstrument {
    method: PaymentMethod,
    payment_instrument_id: Option<PaymentInstrumentId>,
}

impl AlternativeInstrument {
    /// The method.
    #[must_use]
    pub fn method(&self) -> PaymentMethod {
        self.method
    }
    /// The instrument id, if any.
    #[must_use]
    pub fn payment_instrument_id(&self) -> Option<&PaymentInstrumentId> {
        self.payment_instrument_id.as_ref()
    }
}

/// Cash, with who received it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CashInstrument {
    received_by: Option<String>,
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
                }))
            }
            (Family::VaultedOrAlternative | Family::Alternative, id) => {
                Ok(PaymentInstrument::Alternative(AlternativeInstrument {
                    method,
                    payment_instrument_id: id,
                }))
            }
        }
    }

    /// A cash instrument; `received_by` is stored in NFC.
    #[must_use]
    pub fn cash(received_by: Option<&str>) -> Self {
        PaymentInstrument::Cash(CashInstrument {
            received_by: received_by.map(|t| nfc(t).into_owned()),
        })
    }

    /// A check instrument; `reference` is stored in NFC.
    #[must_use]
    pub fn check(reference: Option<&str>) -> Self {
        PaymentInstrument::Check(CheckInstrument {
            reference: reference.map(|t| nfc(t).into_owned()),
        })
    }

    /// The payment method.
    #[must_use]
    pub fn method(&self) -> PaymentMethod {
        match self {
            PaymentInstrument::Vaulted(v) => v.method,
            PaymentInstrument::Alternative(a) => a.method,
            PaymentInstrument::Cash(_) => PaymentMethod::Cash,
            PaymentInstrument::Check(_) => PaymentMethod::Check,
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
        fields.field(InstrumentMember::Method, self.method().as_str());
        let (member, value) = match self {
            PaymentInstrument::Cash(CashInstrument { received_by }) => {
                (InstrumentMember::ReceivedBy, received_by.as_deref())
            }
            PaymentInstrument::Check(CheckInstrument { reference }) => {
                (InstrumentMember::Reference, reference.as_deref())
            }
            _ => (
                InstrumentMember::PaymentInstrumentId,
                self.payment_instrument_id().map(|id| id.as_str()),
            ),
        };
        if let Some(value) = value {
            fields.field(member, value);
        }
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
    Unknown(ValidationError),
    NotText,
}

/// A payment method's name, looked up without copying it.
#[derive(Clone, Copy)]
struct MethodShape;

impl<'de> Shape<'de> for MethodShape {
    type Out = MethodRead;
    const EXPECTED: &'static str = "a string";
    fn on_str(self, _: &mut Collector, text: &str) -> Got<MethodRead> {
        Got::Value(match PaymentMethod::parse(&nfc(text)) {
            Ok(method) => MethodRead::Known(method),
            Err(error) => MethodRead::Unknown(error),
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
    Known(PaymentMethod),
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
}

impl VariantMember {
    /// Judges the value of member `key` for `family`; unknown members are reported unless
    /// ignored.
    fn judge(&mut self, c: &mut Collector, family: Family, key: &str, got: Got<Raw>) {
        if InstrumentMember::from_key(key) != Some(family.member()) {
            if !c.ignore_unknown {
                c.report_at(key.to_owned(), ViolationKind::UnknownField);
            }
            return;
        }
        self.present = true;
        match got {
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
        let mut before_method: Vec<(String, Got<Raw>)> = Vec::new();
        let mut member = VariantMember::default();
        let mark = c.mark();
        de::members(c, map, |c, key, map| {
            if InstrumentMember::from_key(key) == Some(InstrumentMember::Method) {
                method = match map.next_value_seed(Seed::new(c, MethodShape, true))? {
                    Got::Value(MethodRead::Known(found)) => MethodState::Known(found),
                    Got::Value(MethodRead::Unknown(error)) => {
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
            match method {
                MethodState::Known(known) => {
                    let got = map.next_value_seed(Seed::new(c, RawShape, true))?;
                    member.judge(c, Family::of(known), key, got);
                }
                MethodState::NotYet => {
                    let got = map.next_value_seed(Seed::new(c, RawShape, true))?;
                    before_method.push((key.to_owned(), got));
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
        let family = Family::of(method);
        for (key, got) in before_method {
            member.judge(c, family, &key, got);
        }
        // An unknown member does not hide the variant's own rules (a missing id above all):
        // every violation of the object is reported together.
        let instrument = match family {
            Family::Cash => Some(PaymentInstrument::Cash(CashInstrument {
                received_by: member.text.map(nfc_owned),
            })),
            Family::Check => Some(PaymentInstrument::Check(CheckInstrument {
                reference: member.text.map(nfc_owned),
            })),
            // A member that was there but refused is already reported, and not also
            // "required".
            _ if member.present && member.id.is_none() => None,
            _ => match PaymentInstrument::new(method, member.id) {
                Ok(instrument) => Some(instrument),
                Err(error) => {
                    c.absorb(error);
                    None
                }
            },
        };
        Ok(match instrument {
            Some(instrument) if c.clean_since(mark) => Got::Value(instrument),
            _ => Got::Invalid,
        })
    }
}
