//! The three states of a writable member in a request: absent keeps, `null` clears, a value
//! replaces (RFC 7396).

/// One writable member of a request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Patch<T> {
    /// Not in the body: the stored value is kept.
    #[default]
    Absent,
    /// `null`: the stored value is cleared.
    Null,
    /// A value: it replaces the stored one.
    Value(T),
}

impl<T> Patch<T> {
    /// Whether the member was absent.
    pub fn is_absent(&self) -> bool {
        matches!(self, Patch::Absent)
    }

    /// The value, if one was sent.
    pub fn as_value(&self) -> Option<&T> {
        match self {
            Patch::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Applies the patch to a stored optional value.
    pub fn apply(self, stored: Option<T>) -> Option<T> {
        match self {
            Patch::Absent => stored,
            Patch::Null => None,
            Patch::Value(v) => Some(v),
        }
    }

    /// The same patch with its value, if any, mapped by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Patch<U> {
        match self {
            Patch::Absent => Patch::Absent,
            Patch::Null => Patch::Null,
            Patch::Value(v) => Patch::Value(f(v)),
        }
    }

    /// Sets the patch to `value` and returns it, to be filled in place.
    pub(crate) fn insert_value(&mut self, value: T) -> &mut T {
        *self = Patch::Value(value);
        match self {
            Patch::Value(v) => v,
            _ => unreachable!("just set"),
        }
    }

    pub(crate) fn from_got(got: crate::de::Got<T>) -> Self {
        match got {
            crate::de::Got::Null => Patch::Null,
            crate::de::Got::Value(v) => Patch::Value(v),
            // Already reported; the request will be refused, so the state does not matter.
            _ => Patch::Absent,
        }
    }
}

/// A full state to send: `Some` sets the value, `None` clears it (`null`), never "keep".
impl<T> From<Option<T>> for Patch<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Patch::Null, Patch::Value)
    }
}
