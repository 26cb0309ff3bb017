//! The `proptest` front end: `any::<T>()` for every public value type, plus the body strategies.

use proptest::arbitrary::Arbitrary;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::contract::Contract;
use crate::generate::{Bytes, Generate, NearMiss, NearMissPair, ValidBody, generate_under};

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

/// Values generated under `contract`.
fn generated_for<T: Generate + std::fmt::Debug + 'static>(contract: Contract) -> BoxedStrategy<T> {
    vec(any::<u8>(), 0..CHOICE_BYTES)
        .prop_map(move |bytes| generate_under::<T>(&mut Bytes::new(&bytes), contract))
        .boxed()
}

/// Valid request bodies of `contract`, each with the request it parses to
/// ([`ValidBody::options`] parses them).
pub fn valid_body_for(contract: Contract) -> BoxedStrategy<ValidBody> {
    generated_for(contract)
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
pub fn stored_customer_for(contract: Contract) -> BoxedStrategy<crate::customer::Customer> {
    generated_for(contract)
}

/// Valid requests of `contract`.
pub fn request_for(contract: Contract) -> BoxedStrategy<crate::request::UpsertRequest> {
    generated_for(contract)
}

/// Valid request bodies (of the default revision, 2023-01), each with the request it parses
/// to; [`valid_body_for`] takes a revision.
pub fn valid_body() -> BoxedStrategy<ValidBody> {
    generated()
}

/// Near-miss bodies (2023-01), each with the exact violations it must produce.
pub fn near_miss_body() -> BoxedStrategy<NearMiss> {
    generated()
}

/// Pairs of near misses broken in different members, with the body broken in both places.
pub fn near_miss_pair() -> BoxedStrategy<NearMissPair> {
    generated()
}

/// Valid stored customers (the same as `any::<Customer>()`). One in eight has a revision at
/// the top of `u64`; [`stored_customer_with_revision_at_most`] bounds it for a store that
/// cannot hold one.
pub fn stored_customer() -> BoxedStrategy<crate::customer::Customer> {
    generated()
}

/// Valid stored customers whose revision is at most `max`: `i64::MAX as u64` for SQLite and
/// most SQL stores.
///
/// ```
/// use proptest::prelude::*;
/// use rebilly_customer::strategies::stored_customer_with_revision_at_most;
/// proptest!(|(customer in stored_customer_with_revision_at_most(i64::MAX as u64))| {
///     prop_assert!(customer.revision() <= i64::MAX as u64);
/// });
/// ```
pub fn stored_customer_with_revision_at_most(max: u64) -> BoxedStrategy<crate::customer::Customer> {
    generated::<crate::customer::Customer>()
        .prop_map(move |mut customer| {
            customer.revision = customer.revision.min(max);
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
