//! The `arbitrary` front end: `Arbitrary` for every public value type, each value valid.

use arbitrary::{Arbitrary, Result, Unstructured};

use crate::generate::{Entropy, Generate};

impl Entropy for Unstructured<'_> {
    fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        let top = u32::try_from(n - 1).unwrap_or(u32::MAX);
        self.int_in_range(0..=top).map_or(0, |v| v as usize)
    }
}

macro_rules! arbitrary_impl {
    ($($ty:ty),* $(,)?) => {$(
        #[cfg_attr(docsrs, doc(cfg(feature = "arbitrary")))]
        impl<'a> Arbitrary<'a> for $ty {
            fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
                Ok(<$ty as Generate>::generate(u))
            }
        }
    )*};
}

for_each_generated_type!(arbitrary_impl);
for_each_structured_type!(arbitrary_impl);

/// Absent, `null` or any value.
#[cfg_attr(docsrs, doc(cfg(feature = "arbitrary")))]
impl<'a, T: Arbitrary<'a>> Arbitrary<'a> for crate::patch::Patch<T> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=2u8)? {
            0 => crate::patch::Patch::Absent,
            1 => crate::patch::Patch::Null,
            _ => crate::patch::Patch::Value(T::arbitrary(u)?),
        })
    }
}
