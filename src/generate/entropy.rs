//! The stream of choices every generator draws from, the trait of a generated type, and the
//! revision a stream generates under.

use crate::contract::Contract;

/// A stream of choices.
pub(crate) trait Entropy {
    /// A number below `n`; 0 when `n` is at most 1 or the stream is spent, so that a spent or
    /// shrunk stream gives the simplest value.
    fn below(&mut self, n: usize) -> usize;

    /// The revision whose rules generated values obey: the default one unless a [`Revised`]
    /// generator chose another.
    fn contract(&self) -> Contract {
        Contract::Seed2023_01
    }
}

/// A stream that generates under `contract`.
struct Under<'e> {
    inner: &'e mut dyn Entropy,
    contract: Contract,
}

impl Entropy for Under<'_> {
    fn below(&mut self, n: usize) -> usize {
        self.inner.below(n)
    }
    fn contract(&self) -> Contract {
        self.contract
    }
}

/// A value generated under a revision the stream chose (2023-01 for a spent or shrunk stream),
/// with that revision: `any::<Revised<ValidBody>>()` in a proptest harness, or
/// `Revised<Customer>` from `Arbitrary` in a fuzzer, covers both revisions. The plain
/// generators (`any::<ValidBody>()`) keep to the default revision, 2023-01.
///
/// ```
/// use proptest::prelude::*;
/// use rebilly_customer::{Customer, Revised};
/// proptest!(|(stored in any::<Revised<Customer>>())| {
///     let customer = stored.value();
///     prop_assert_eq!(customer.contract(), stored.contract());
///     let read = Customer::parse_for(customer.to_stored_json().as_bytes(), stored.contract());
///     prop_assert_eq!(&read.unwrap(), customer);
/// });
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Revised<T> {
    contract: Contract,
    value: T,
}

impl<T> Revised<T> {
    /// The revision the value was generated under.
    #[must_use]
    pub fn contract(&self) -> Contract {
        self.contract
    }

    /// The value.
    #[must_use]
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The value, by value.
    #[must_use]
    pub fn into_value(self) -> T {
        self.value
    }
}

impl<T: Generate> Generate for Revised<T> {
    fn generate(e: &mut dyn Entropy) -> Self {
        let contract = *e.pick(&Contract::ALL);
        let value = T::generate(&mut Under { inner: e, contract });
        Revised { contract, value }
    }
}

/// `T` generated under `contract`, for the `*_for` strategies.
#[cfg(feature = "proptest")]
pub(crate) fn generate_under<T: Generate>(e: &mut dyn Entropy, contract: Contract) -> T {
    T::generate(&mut Under { inner: e, contract })
}

/// Runs `f` on `e` generating under `contract`.
#[cfg(feature = "proptest")]
pub(crate) fn under<R>(
    e: &mut dyn Entropy,
    contract: Contract,
    f: impl FnOnce(&mut dyn Entropy) -> R,
) -> R {
    f(&mut Under { inner: e, contract })
}

impl Generate for Contract {
    fn generate(e: &mut dyn Entropy) -> Self {
        *e.pick(&Contract::ALL)
    }
}

impl dyn Entropy + '_ {
    /// A fair coin.
    pub(crate) fn coin(&mut self) -> bool {
        self.below(2) == 1
    }

    /// A number in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo).saturating_add(1))
    }

    /// One of `items`, which must not be empty.
    pub(crate) fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len())]
    }

    /// `Some` half of the time.
    pub(crate) fn maybe<T>(&mut self, make: impl FnOnce(&mut Self) -> T) -> Option<T> {
        self.coin().then(|| make(self))
    }
}

/// Choices read from bytes: one byte per choice below 256, two below 65 536, four otherwise.
#[cfg(feature = "proptest")]
pub(crate) struct Bytes<'a> {
    data: &'a [u8],
}

#[cfg(feature = "proptest")]
impl<'a> Bytes<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Bytes { data }
    }
}

#[cfg(feature = "proptest")]
impl Entropy for Bytes<'_> {
    fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        let width = if n <= 1 << 8 {
            1
        } else if n <= 1 << 16 {
            2
        } else {
            4
        };
        let take = width.min(self.data.len());
        let (head, rest) = self.data.split_at(take);
        self.data = rest;
        let value = head
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        value % n
    }
}

/// A type with a generator of valid values.
pub(crate) trait Generate: Sized {
    fn generate(e: &mut dyn Entropy) -> Self;
}
