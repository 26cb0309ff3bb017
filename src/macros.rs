//! The trait impls every string value type shares. Each type writes its own
//! `fn parse_cow(Cow<str>) -> Result<Self, ValidationError>`; this macro routes `parse`, `FromStr`,
//! `TryFrom` and `Deserialize` through it, so a rule has exactly one door.

macro_rules! string_value {
    ($name:ident $(, $by_contract:ident)?) => {
        impl $name {
            /// Parses and normalizes `text` (NFC first), checking every rule of the contract.
            ///
            /// # Errors
            /// Every broken rule, each as a [`Violation`](crate::Violation) at the root path.
            pub fn parse(text: &str) -> Result<Self, $crate::error::ValidationError> {
                Self::parse_cow(::std::borrow::Cow::Borrowed(text))
            }

            /// Parses a literal known to be valid, for constants and tests.
            ///
            /// # Panics
            /// When `text` breaks a rule.
            #[track_caller]
            #[must_use]
            pub fn from_static(text: &'static str) -> Self {
                match Self::parse(text) {
                    Ok(value) => value,
                    Err(error) => panic!(
                        concat!("invalid ", stringify!($name), " literal: {}"),
                        error
                    ),
                }
            }

            /// The stored (canonical) text.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The stored text, by value.
            #[allow(clippy::useless_conversion)]
            #[must_use]
            pub fn into_string(self) -> String {
                self.0.into()
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::error::ValidationError;
            fn try_from(text: String) -> Result<Self, Self::Error> {
                Self::parse_cow(::std::borrow::Cow::Owned(text))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<$name> for String {
            #[allow(clippy::useless_conversion)]
            fn from(value: $name) -> String {
                value.0.into()
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl $crate::json::WriteJson for $name {
            fn write_json(&self, out: &mut $crate::json::JsonOut) {
                out.string(&self.0);
            }
        }

        parse_door!($name $(, $by_contract)?);
    };
}

/// A string type whose rule is one [`TextRule`](crate::text::TextRule): stored in NFC.
macro_rules! rule_text {
    ($(#[$meta:meta])* $name:ident, $rule:expr) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// The rule every value obeys; generators build text from it.
            #[allow(dead_code)]
            pub(crate) const RULE: &'static $crate::text::TextRule = &$rule;

            fn parse_cow(text: ::std::borrow::Cow<'_, str>) -> Result<Self, $crate::error::ValidationError> {
                $rule.normalize(text).map($name)
            }
        }

        string_value!($name);
    };
}

/// A string type whose rule is a row per contract revision (`ByContract<TextRule>`): built for
/// one revision, stored in NFC. `parse` and the serde doors use the default revision;
/// `parse_for` takes one, and the collecting reader passes the revision it reads under.
macro_rules! contract_text {
    ($(#[$meta:meta])* $name:ident, $rules:expr) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// The rule of the default revision; generators build text from it.
            #[allow(dead_code)]
            pub(crate) const RULE: &'static $crate::text::TextRule =
                $rules.get($crate::contract::Contract::Seed2023_01);

            /// The rule under `contract`.
            #[allow(dead_code)]
            pub(crate) const fn rule(contract: $crate::contract::Contract) -> &'static $crate::text::TextRule {
                $rules.get(contract)
            }

            fn parse_cow(text: ::std::borrow::Cow<'_, str>) -> Result<Self, $crate::error::ValidationError> {
                Self::rule($crate::contract::Contract::Seed2023_01).normalize(text).map($name)
            }

            /// Parses and normalizes `text` (NFC first) with the rule of `contract`.
            ///
            /// # Errors
            /// Every broken rule, each as a [`Violation`](crate::Violation) at the root path.
            pub fn parse_for(text: &str, contract: $crate::contract::Contract) -> Result<Self, $crate::error::ValidationError> {
                Self::rule(contract)
                    .normalize(::std::borrow::Cow::Borrowed(text))
                    .map($name)
            }
        }

        string_value!($name, by_contract);
    };
}

/// `FromStr`, `TryFrom<&str>`, `Deserialize` and the collecting reader's door for a type whose
/// one constructor is `fn parse(&str) -> Result<Self, ValidationError>`.
macro_rules! parse_door {
    ($name:ident, by_contract) => {
        parse_door!(@serde $name);

        impl $crate::de::ParseText for $name {
            fn parse_text(
                text: &str,
                contract: $crate::contract::Contract,
            ) -> Result<Self, $crate::error::ValidationError> {
                Self::parse_for(text, contract)
            }
        }
    };
    ($name:ident) => {
        parse_door!(@serde $name);

        impl $crate::de::ParseText for $name {
            fn parse_text(
                text: &str,
                _: $crate::contract::Contract,
            ) -> Result<Self, $crate::error::ValidationError> {
                Self::parse(text)
            }
        }
    };
    (@serde $name:ident) => {
        impl ::std::str::FromStr for $name {
            type Err = $crate::error::ValidationError;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::parse(text)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $crate::error::ValidationError;
            fn try_from(text: &str) -> Result<Self, Self::Error> {
                Self::parse(text)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                let text = <::std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Self::parse(&text).map_err(::serde::de::Error::custom)
            }
        }
    };
}

/// `parse(bytes)` for a type read from a JSON document by a [`Shape`](crate::de::Shape): the
/// same reader as its `Deserialize`, with every violation kept as data (path and code) instead
/// of flattened into a deserializer's message.
macro_rules! json_door {
    ($name:ty, $what:literal, $shape:expr, $into:expr) => {
        impl $name {
            #[doc = concat!("Reads ", $what, " from JSON bytes, with every rule applied and every violation")]
            /// reported at once, with its path and code.
            ///
            /// # Errors
            /// [`RequestError::Malformed`](crate::RequestError::Malformed) for bytes that are not
            /// one JSON value (a repeated member name included); otherwise
            /// [`RequestError::Invalid`](crate::RequestError::Invalid) with every violation.
            pub fn parse(bytes: &[u8]) -> Result<Self, $crate::error::RequestError> {
                $crate::de::parse_document(bytes, $shape).map($into)
            }
        }
    };
}
