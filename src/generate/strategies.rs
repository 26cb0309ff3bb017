//! The `proptest` front end: `any::<T>()` for every public value type, plus the body strategies.
//!
//! Requests and request bodies are built member by member, each member from its own choices and
//! present or not: a property that fails on one member shrinks to a body holding that member
//! alone. Stored customers have revisions in [`REVISIONS`] unless a strategy asks for others.

use proptest::arbitrary::Arbitrary;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, NewTree, ValueTree};
use proptest::test_runner::TestRunner;

use std::ops::RangeInclusive;

use crate::contract::Contract;
use crate::customer::Customer;
use crate::generate::values::{revision_within, set_request_member};
use crate::generate::{Bytes, Generate, NearMiss, NearMissPair, ValidBody, generate_under, under};
use crate::ids::CustomerId;
use crate::members::{REQUEST_MEMBERS, RequestMember};
use crate::request::UpsertRequest;

/// The revisions of generated stored customers, unless a strategy asks for others
/// ([`stored_customer_with_revisions`]): 0 to 1,000,000, the simplest 0.
pub const REVISIONS: RangeInclusive<u64> = crate::generate::values::REVISIONS;

/// The most choice bytes one member of a request draws.
const MEMBER_BYTES: usize = 512;

/// The most choice bytes one value draws; proptest shrinks the vector, and fewer or smaller
/// bytes give simpler values.
const CHOICE_BYTES: usize = 4096;

/// A strategy for any type with a generator.
fn generated<T: Generate + std::fmt::Debug + 'static>() -> BoxedStrategy<T> {
    vec(any::<u8>(), 0..CHOICE_BYTES)
        .prop_map(|bytes| T::generate(&mut Bytes::new(&bytes)))
        .boxed()
}

macro_rules! proptest_arbitrary {
    ($($ty:ty),* $(,)?) => {$(
        #[cfg_attr(docsrs, doc(cfg(feature = "proptest")))]
        impl Arbitrary for $ty {
            type Parameters = ();
            type Strategy = BoxedStrategy<$ty>;
            fn arbitrary_with((): ()) -> Self::Strategy {
                generated::<$ty>()
            }
        }
    )*};
}

for_each_generated_type!(proptest_arbitrary);

impl Arbitrary for UpsertRequest {
    type Parameters = ();
    type Strategy = BoxedStrategy<UpsertRequest>;
    fn arbitrary_with((): ()) -> Self::Strategy {
        structured_request(Contract::default())
    }
}

impl Arbitrary for ValidBody {
    type Parameters = ();
    type Strategy = BoxedStrategy<ValidBody>;
    fn arbitrary_with((): ()) -> Self::Strategy {
        structured_body(Contract::default())
    }
}

/// Requests of `contract` built member by member: the id and each member the revision sets from
/// choices of its own, each member present or absent (see [`RequestChoices`]).
fn structured_request(contract: Contract) -> BoxedStrategy<UpsertRequest> {
    let members = request_members(contract);
    RequestChoices::strategy(members.len())
        .prop_map(move |choices| choices.request(contract, &members))
        .boxed()
}

/// Valid bodies of `contract` from [`structured_request`]'s choices; how the body is sent (its
/// `id`, read-only members sent back, NFD) draws from choices of its own.
fn structured_body(contract: Contract) -> BoxedStrategy<ValidBody> {
    let members = request_members(contract);
    RequestChoices::strategy(members.len())
        .prop_map(move |choices| {
            let request = choices.request(contract, &members);
            under(&mut Bytes::new(&choices.sending), contract, |e| {
                ValidBody::of(request, e)
            })
        })
        .boxed()
}

/// Values generated under `contract`.
fn generated_for<T: Generate + std::fmt::Debug + 'static>(contract: Contract) -> BoxedStrategy<T> {
    vec(any::<u8>(), 0..CHOICE_BYTES)
        .prop_map(move |bytes| generate_under::<T>(&mut Bytes::new(&bytes), contract))
        .boxed()
}

/// The members a request of `contract` sets, but its id.
fn request_members(contract: Contract) -> Vec<RequestMember> {
    REQUEST_MEMBERS
        .get(contract)
        .iter()
        .copied()
        .filter(|member| *member != RequestMember::Id)
        .collect()
}

/// The choices a request is built from: one stream per member (`None`: the member is absent),
/// one for the id and one for how the body is sent.
///
/// They shrink in an order that serves someone reading a failure: first every member that can
/// go goes (one step each), then how the body is sent (so that the simplest body has no `id`,
/// no read-only members), then the values of the members left, then the id. Shrinking one
/// stream after another, as a tuple would, spends proptest's 1024 steps on the first member's
/// bytes before the last member is ever dropped.
#[derive(Clone, Debug)]
struct RequestChoices {
    id: Vec<u8>,
    members: Vec<Option<Vec<u8>>>,
    sending: Vec<u8>,
}

impl RequestChoices {
    fn strategy(members: usize) -> RequestChoicesStrategy {
        RequestChoicesStrategy { members }
    }

    fn request(&self, contract: Contract, members: &[RequestMember]) -> UpsertRequest {
        let id = generate_under::<CustomerId>(&mut Bytes::new(&self.id), contract);
        let mut request = UpsertRequest::new_for(id, contract);
        for (member, choices) in members.iter().zip(&self.members) {
            if let Some(choices) = choices {
                under(&mut Bytes::new(choices), contract, |e| {
                    set_request_member(&mut request, *member, e);
                });
            }
        }
        request
    }
}

#[derive(Debug)]
struct RequestChoicesStrategy {
    members: usize,
}

type BytesTree = Box<dyn ValueTree<Value = Vec<u8>>>;

fn bytes_tree(
    runner: &mut TestRunner,
    max: usize,
) -> Result<BytesTree, proptest::test_runner::Reason> {
    Ok(Box::new(vec(any::<u8>(), 0..max).new_tree(runner)?))
}

impl Strategy for RequestChoicesStrategy {
    type Tree = RequestChoicesTree;
    type Value = RequestChoices;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        let mut present = Vec::with_capacity(self.members);
        let mut members = Vec::with_capacity(self.members);
        for _ in 0..self.members {
            present.push(any::<bool>().new_tree(runner)?.current());
            members.push(bytes_tree(runner, MEMBER_BYTES)?);
        }
        Ok(RequestChoicesTree {
            id: bytes_tree(runner, 64)?,
            present,
            members,
            sending: bytes_tree(runner, 64)?,
            stage: Stage::Absent(0),
            last: None,
        })
    }
}

/// Where [`RequestChoicesTree`] is in its shrinking.
#[derive(Clone, Copy)]
enum Stage {
    Absent(usize),
    Sending,
    Member(usize),
    Id,
    Done,
}

struct RequestChoicesTree {
    id: BytesTree,
    present: Vec<bool>,
    members: Vec<BytesTree>,
    sending: BytesTree,
    stage: Stage,
    /// What the last `simplify` did, for `complicate` to undo.
    last: Option<Stage>,
}

impl ValueTree for RequestChoicesTree {
    type Value = RequestChoices;

    fn current(&self) -> RequestChoices {
        RequestChoices {
            id: self.id.current(),
            members: self
                .present
                .iter()
                .zip(&self.members)
                .map(|(present, tree)| present.then(|| tree.current()))
                .collect(),
            sending: self.sending.current(),
        }
    }

    fn simplify(&mut self) -> bool {
        loop {
            match self.stage {
                Stage::Absent(i) if i < self.present.len() => {
                    self.stage = Stage::Absent(i + 1);
                    if self.present[i] {
                        self.present[i] = false;
                        self.last = Some(Stage::Absent(i));
                        return true;
                    }
                }
                Stage::Absent(_) => self.stage = Stage::Sending,
                Stage::Sending => {
                    if self.sending.simplify() {
                        self.last = Some(Stage::Sending);
                        return true;
                    }
                    self.stage = Stage::Member(0);
                }
                Stage::Member(i) if i < self.members.len() => {
                    if self.present[i] && self.members[i].simplify() {
                        self.last = Some(Stage::Member(i));
                        return true;
                    }
                    self.stage = Stage::Member(i + 1);
                }
                Stage::Member(_) => self.stage = Stage::Id,
                Stage::Id => {
                    if self.id.simplify() {
                        self.last = Some(Stage::Id);
                        return true;
                    }
                    self.stage = Stage::Done;
                }
                Stage::Done => return false,
            }
        }
    }

    fn complicate(&mut self) -> bool {
        let undone = match self.last {
            None | Some(Stage::Done) => false,
            Some(Stage::Absent(i)) => {
                // The member is needed: back, and not tried again.
                self.present[i] = true;
                self.last = None;
                return true;
            }
            Some(Stage::Sending) => self.sending.complicate(),
            Some(Stage::Member(i)) => self.members[i].complicate(),
            Some(Stage::Id) => self.id.complicate(),
        };
        if !undone {
            self.last = None;
        }
        undone
    }
}

/// Valid request bodies of `contract`, each with the request it parses to
/// ([`ValidBody::options`] parses them).
pub fn valid_body_for(contract: Contract) -> BoxedStrategy<ValidBody> {
    structured_body(contract)
}

/// Near-miss bodies of `contract`, each with the exact violations it must produce.
pub fn near_miss_body_for(contract: Contract) -> BoxedStrategy<NearMiss> {
    generated_for(contract)
}

/// Pairs of near misses of `contract` (see [`near_miss_pair`]).
pub fn near_miss_pair_for(contract: Contract) -> BoxedStrategy<NearMissPair> {
    generated_for(contract)
}

/// Valid stored customers of `contract`.
///
/// ```
/// use proptest::prelude::*;
/// use rebilly_customer::{Contract, Customer};
/// use rebilly_customer::strategies::stored_customer_for;
/// proptest!(|(customer in stored_customer_for(Contract::Rebilly2026_08))| {
///     let stored = customer.to_stored_json();
///     let read = Customer::parse_for(stored.as_bytes(), Contract::Rebilly2026_08).unwrap();
///     prop_assert_eq!(read, customer);
/// });
/// ```
pub fn stored_customer_for(contract: Contract) -> BoxedStrategy<Customer> {
    generated_for(contract)
}

/// Valid requests of `contract`.
pub fn request_for(contract: Contract) -> BoxedStrategy<UpsertRequest> {
    structured_request(contract)
}

/// A stored customer of `contract` and a request of the same revision for the same id, ready
/// for [`Customer::apply_upsert`]; with `same_website`, the request also sets the stored
/// customer's website (else it sets its own or none).
///
/// ```
/// use proptest::prelude::*;
/// use rebilly_customer::strategies::stored_and_request_for;
/// use rebilly_customer::{Contract, Customer, OrganizationId, Timestamp, UpsertContext, UpsertError};
/// let context = UpsertContext::new(
///     Timestamp::parse("2026-11-26T10:00:00Z").unwrap(),
///     OrganizationId::parse("org_1").unwrap(),
/// );
/// proptest!(|((stored, request) in stored_and_request_for(Contract::Seed2023_01, true))| {
///     // Never `id_mismatch`: the two share their id.
///     match Customer::apply_upsert(Some(stored), request, &context) {
///         Err(UpsertError::Invalid(error)) => prop_assert!(error.violations().iter().all(|v| v.field() != "id")),
///         _ => {}
///     }
/// });
/// ```
pub fn stored_and_request_for(
    contract: Contract,
    same_website: bool,
) -> BoxedStrategy<(Customer, UpsertRequest)> {
    (stored_customer_for(contract), structured_request(contract))
        .prop_map(move |(stored, mut request)| {
            request.id = stored.id().clone();
            if same_website {
                request.website_id = Some(stored.website_id().clone());
            }
            (stored, request)
        })
        .boxed()
}

/// Valid request bodies (of the default revision, 2023-01), each with the request it parses
/// to; [`valid_body_for`] takes a revision.
pub fn valid_body() -> BoxedStrategy<ValidBody> {
    structured_body(Contract::default())
}

/// Near-miss bodies (2023-01), each with the exact violations it must produce.
pub fn near_miss_body() -> BoxedStrategy<NearMiss> {
    generated()
}

/// Pairs of near misses broken in different members, with the body broken in both places.
pub fn near_miss_pair() -> BoxedStrategy<NearMissPair> {
    generated()
}

/// Valid stored customers (the same as `any::<Customer>()`), revisions in [`REVISIONS`].
pub fn stored_customer() -> BoxedStrategy<Customer> {
    generated()
}

/// Valid stored customers whose revision is in `revisions`, mostly near its start: a store's
/// integer limit (`0..=i64::MAX as u64` for SQLite), or the top of `u64`, where a change cannot
/// grow the revision.
///
/// ```
/// use proptest::prelude::*;
/// use rebilly_customer::strategies::stored_customer_with_revisions;
/// proptest!(|(customer in stored_customer_with_revisions(u64::MAX - 1..=u64::MAX))| {
///     prop_assert!(customer.revision() >= u64::MAX - 1);
/// });
/// ```
pub fn stored_customer_with_revisions(revisions: RangeInclusive<u64>) -> BoxedStrategy<Customer> {
    (generated::<Customer>(), vec(any::<u8>(), 0..16))
        .prop_map(move |(mut customer, choices)| {
            customer.revision = revision_within(&mut Bytes::new(&choices), revisions.clone());
            customer
        })
        .boxed()
}

/// Absent, `null` or any value, a third of the time each.
#[cfg_attr(docsrs, doc(cfg(feature = "proptest")))]
impl<T: Arbitrary + Clone + 'static> Arbitrary for crate::patch::Patch<T> {
    type Parameters = ();
    type Strategy = BoxedStrategy<crate::patch::Patch<T>>;
    fn arbitrary_with((): ()) -> Self::Strategy {
        prop_oneof![
            Just(crate::patch::Patch::Absent),
            Just(crate::patch::Patch::Null),
            any::<T>().prop_map(crate::patch::Patch::Value),
        ]
        .boxed()
    }
}
