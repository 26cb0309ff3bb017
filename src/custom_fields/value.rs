//! The value of a custom field: any JSON, whose numbers keep the text they were written with.
//!
//! `serde_json::Value` holds a number as an `i64`, a `u64` or an `f64`, so `1.0000000000000000001`
//! would come back as `1.0` and a 30-digit integer as a float. A client that reads a customer and
//! sends it back must not change what another client wrote, so a custom field keeps each number
//! as its text, and compares numbers by value (`1`, `1.0` and `1e0` are the same number).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::error::{ValidationError, ViolationKind};

/// A JSON number as it was written, compared by its value.
///
/// Equality follows the API's: integral values compare as integers whatever their spelling, the
/// rest as the `f64` they round to. The text is what [`JsonNumber::as_str`] gives and what every
/// rendering writes.
///
/// ```
/// use rebilly_customer::JsonNumber;
/// let long: JsonNumber = "1.0000000000000000001".parse().unwrap();
/// assert_eq!(long.as_str(), "1.0000000000000000001");
/// let one: JsonNumber = "1e0".parse().unwrap();
/// assert_eq!(one, JsonNumber::from(1u64));
/// assert!("1e400".parse::<JsonNumber>().is_err()); // beyond any float
/// assert!("01".parse::<JsonNumber>().is_err()); // not JSON
/// ```
#[derive(Clone)]
pub struct JsonNumber {
    text: Digits,
    value: NumberValue,
}

/// A number's text: inline up to 22 bytes (every `i64`, every float serde_json writes), so that
/// reading the usual number allocates nothing.
#[derive(Clone)]
enum Digits {
    Inline {
        len: u8,
        bytes: [u8; Digits::INLINE],
    },
    Heap(Box<str>),
}

impl Digits {
    const INLINE: usize = 22;

    fn new(text: &str) -> Self {
        match u8::try_from(text.len()) {
            Ok(len) if text.len() <= Digits::INLINE => {
                let mut bytes = [0; Digits::INLINE];
                bytes[..text.len()].copy_from_slice(text.as_bytes());
                Digits::Inline { len, bytes }
            }
            _ => Digits::Heap(text.into()),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            Digits::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).expect("a number is ASCII")
            }
            Digits::Heap(text) => text,
        }
    }
}

/// A number's value: integral values (whatever their spelling) as an integer, the rest as the
/// float they are.
#[derive(Clone, Copy, PartialEq, Debug)]
enum NumberValue {
    Integer(i128),
    Fraction(f64),
}

impl NumberValue {
    /// The value of a text that is a JSON number, as serde_json reads it (`float_roundtrip`:
    /// correctly rounded), or `None` beyond the floats.
    fn of(text: &str) -> Option<Self> {
        let integral = !text.bytes().any(|b| matches!(b, b'.' | b'e' | b'E'));
        if integral {
            if let Ok(n) = text.parse::<i64>() {
                return Some(NumberValue::Integer(i128::from(n)));
            }
            if let Ok(n) = text.parse::<u64>() {
                return Some(NumberValue::Integer(i128::from(n)));
            }
        }
        // Integers past 64 bits are floats to serde_json as well.
        let f = text.parse::<f64>().ok().filter(|f| f.is_finite())?;
        // Every integral f64 below 2^127 converts to i128 exactly; `-0.0` becomes 0.
        if f.fract() == 0.0 && f.abs() < 1.0e38 {
            #[allow(clippy::cast_possible_truncation)]
            return Some(NumberValue::Integer(f as i128));
        }
        Some(NumberValue::Fraction(f))
    }
}

/// Whether `text` is a JSON number (RFC 8259 section 6), exactly.
fn is_json_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = usize::from(bytes.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    match bytes.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == bytes.len()
}

impl FromStr for JsonNumber {
    type Err = ValidationError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if !is_json_number(text) {
            return Err(ValidationError::single(ViolationKind::Type {
                expected: "a JSON number",
                nullable: false,
            }));
        }
        let value = NumberValue::of(text).ok_or_else(|| {
            ValidationError::single(ViolationKind::Type {
                expected: "a number within the range of a double",
                nullable: false,
            })
        })?;
        Ok(JsonNumber {
            text: Digits::new(text),
            value,
        })
    }
}

impl JsonNumber {
    /// The number as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        self.text.as_str()
    }

    /// The value, when it is an integer that an `i64` holds (`2`, `2.0` and `2e0` all are).
    #[must_use]
    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            NumberValue::Integer(n) => i64::try_from(n).ok(),
            NumberValue::Fraction(_) => None,
        }
    }

    /// The value, when it is an integer that a `u64` holds.
    #[must_use]
    pub fn as_u64(&self) -> Option<u64> {
        match self.value {
            NumberValue::Integer(n) => u64::try_from(n).ok(),
            NumberValue::Fraction(_) => None,
        }
    }

    /// The nearest `f64`: always finite.
    #[must_use]
    pub fn as_f64(&self) -> f64 {
        match self.value {
            #[allow(clippy::cast_precision_loss)]
            NumberValue::Integer(n) => n as f64,
            NumberValue::Fraction(f) => f,
        }
    }

    /// Whether the value is an integer within `i32` (the custom-field type `integer`).
    pub(crate) fn is_i32(&self) -> bool {
        matches!(self.value, NumberValue::Integer(n) if i32::try_from(n).is_ok())
    }

    /// From a number `serde_json` read (its own digits: integers as they are, floats as the
    /// shortest text that reads back the same).
    fn of_serde(number: &serde_json::Number) -> Self {
        number
            .to_string()
            .parse()
            .expect("serde_json writes finite JSON numbers")
    }
}

impl PartialEq for JsonNumber {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

/// JSON has no NaN: every value equals itself.
impl Eq for JsonNumber {}

impl fmt::Debug for JsonNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for JsonNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<i64> for JsonNumber {
    fn from(n: i64) -> Self {
        JsonNumber {
            text: Digits::new(&n.to_string()),
            value: NumberValue::Integer(i128::from(n)),
        }
    }
}

impl From<u64> for JsonNumber {
    fn from(n: u64) -> Self {
        JsonNumber {
            text: Digits::new(&n.to_string()),
            value: NumberValue::Integer(i128::from(n)),
        }
    }
}

impl From<serde_json::Number> for JsonNumber {
    fn from(number: serde_json::Number) -> Self {
        JsonNumber::of_serde(&number)
    }
}

/// Integers as integers; any other number as written, through serde_json's raw values when its
/// text is not the one serde_json would write for the float (so nothing is lost on the way to
/// JSON; other formats that do not know raw values get them as serde_json hands them over).
impl Serialize for JsonNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self.as_str();
        if let Ok(n) = text.parse::<i64>() {
            return serializer.serialize_i64(n);
        }
        if let Ok(n) = text.parse::<u64>() {
            return serializer.serialize_u64(n);
        }
        let f = self.as_f64();
        if serde_json::to_string(&f).is_ok_and(|written| written == text) {
            return serializer.serialize_f64(f);
        }
        RawValue::from_string(text.to_owned())
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for JsonNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <Box<RawValue>>::deserialize(deserializer)?;
        raw.get().parse().map_err(D::Error::custom)
    }
}

/// The value of a custom field: any JSON value, with numbers as [`JsonNumber`]s and objects
/// ordered by member name.
///
/// Two values are equal when they are the same JSON with numbers compared by value, at any
/// depth. Convert from `serde_json::Value` (or `json!`) with `From`; compare with one directly.
///
/// ```
/// use rebilly_customer::CustomFieldValue;
/// use serde_json::json;
/// let read: CustomFieldValue = serde_json::from_str(r#"{"score": 1.50, "big": 123456789012345678901234567890}"#).unwrap();
/// assert_eq!(read, json!({"score": 1.5, "big": 1.2345678901234568e29}));
/// // Rendered as written.
/// assert_eq!(serde_json::to_string(&read).unwrap(), r#"{"big":123456789012345678901234567890,"score":1.50}"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CustomFieldValue {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(JsonNumber),
    /// A string (NFC when read).
    String(String),
    /// An array.
    Array(Vec<CustomFieldValue>),
    /// An object, by member name.
    Object(BTreeMap<String, CustomFieldValue>),
}

impl CustomFieldValue {
    /// Whether this is `null`.
    #[must_use]
    pub fn is_null(&self) -> bool {
        matches!(self, CustomFieldValue::Null)
    }

    /// The text, when this is a string.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            CustomFieldValue::String(text) => Some(text),
            _ => None,
        }
    }

    /// The number, when this is one.
    #[must_use]
    pub fn as_number(&self) -> Option<&JsonNumber> {
        match self {
            CustomFieldValue::Number(number) => Some(number),
            _ => None,
        }
    }

    /// The member `key`, when this is an object that has it.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&CustomFieldValue> {
        match self {
            CustomFieldValue::Object(members) => members.get(key),
            _ => None,
        }
    }

    /// Removes `null` members of objects, and of the objects they hold (a stored field holds
    /// none: in a merge patch they delete). Arrays are values, kept as they are.
    pub(crate) fn strip_nulls(&mut self) {
        if let CustomFieldValue::Object(members) = self {
            members.retain(|_, v| !v.is_null());
            members.values_mut().for_each(CustomFieldValue::strip_nulls);
        }
    }
}

impl crate::json::WriteJson for CustomFieldValue {
    fn write_json(&self, out: &mut crate::json::JsonOut) {
        match self {
            CustomFieldValue::Null => out.raw(b"null"),
            CustomFieldValue::Bool(value) => out.bool(*value),
            CustomFieldValue::Number(number) => out.raw(number.as_str().as_bytes()),
            CustomFieldValue::String(text) => out.string(text),
            CustomFieldValue::Array(items) => crate::json::write_items(items, out),
            CustomFieldValue::Object(members) => {
                out.object(members.iter().map(|(name, value)| (name.as_str(), value)));
            }
        }
    }
}

/// The JSON text, numbers as written.
impl fmt::Display for CustomFieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::json::WriteJson;
        let mut out = crate::json::JsonOut::with_capacity(64);
        self.write_json(&mut out);
        f.write_str(&out.into_string())
    }
}

impl From<serde_json::Value> for CustomFieldValue {
    fn from(value: serde_json::Value) -> Self {
        use serde_json::Value;
        match value {
            Value::Null => CustomFieldValue::Null,
            Value::Bool(value) => CustomFieldValue::Bool(value),
            Value::Number(number) => CustomFieldValue::Number(JsonNumber::of_serde(&number)),
            Value::String(text) => CustomFieldValue::String(text),
            Value::Array(items) => {
                CustomFieldValue::Array(items.into_iter().map(CustomFieldValue::from).collect())
            }
            Value::Object(members) => CustomFieldValue::Object(
                members
                    .into_iter()
                    .map(|(name, value)| (name, CustomFieldValue::from(value)))
                    .collect(),
            ),
        }
    }
}

impl From<&str> for CustomFieldValue {
    fn from(text: &str) -> Self {
        CustomFieldValue::String(text.to_owned())
    }
}

impl From<String> for CustomFieldValue {
    fn from(text: String) -> Self {
        CustomFieldValue::String(text)
    }
}

impl From<bool> for CustomFieldValue {
    fn from(value: bool) -> Self {
        CustomFieldValue::Bool(value)
    }
}

impl From<JsonNumber> for CustomFieldValue {
    fn from(number: JsonNumber) -> Self {
        CustomFieldValue::Number(number)
    }
}

/// The same JSON, numbers compared by value.
impl PartialEq<serde_json::Value> for CustomFieldValue {
    fn eq(&self, other: &serde_json::Value) -> bool {
        use serde_json::Value;
        match (self, other) {
            (CustomFieldValue::Null, Value::Null) => true,
            (CustomFieldValue::Bool(x), Value::Bool(y)) => x == y,
            (CustomFieldValue::Number(x), Value::Number(y)) => *x == JsonNumber::of_serde(y),
            (CustomFieldValue::String(x), Value::String(y)) => x == y,
            (CustomFieldValue::Array(xs), Value::Array(ys)) => {
                xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| x == y)
            }
            (CustomFieldValue::Object(xs), Value::Object(ys)) => {
                xs.len() == ys.len()
                    && xs
                        .iter()
                        .all(|(key, x)| ys.get(key).is_some_and(|y| x == y))
            }
            _ => false,
        }
    }
}

impl Serialize for CustomFieldValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            CustomFieldValue::Null => serializer.serialize_unit(),
            CustomFieldValue::Bool(value) => serializer.serialize_bool(*value),
            CustomFieldValue::Number(number) => number.serialize(serializer),
            CustomFieldValue::String(text) => serializer.serialize_str(text),
            CustomFieldValue::Array(items) => serializer.collect_seq(items),
            CustomFieldValue::Object(members) => serializer.collect_map(members),
        }
    }
}

/// Reads JSON through serde_json's raw values, so that numbers keep their text: the
/// deserializer must be serde_json's (from text, bytes, a reader or a `Value`). Strings become
/// NFC; a repeated member name is an error.
impl<'de> Deserialize<'de> for CustomFieldValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <Box<RawValue>>::deserialize(deserializer)?;
        read_exact(raw.get(), MAX_NESTING - 1).map_err(|error| D::Error::custom(error.message))
    }
}

/// How deep serde_json lets containers nest, counted from the document's top level.
pub(crate) const MAX_NESTING: usize = 127;

/// What made a raw value unreadable, and where: `at` is the index in the raw text just past
/// the point serde_json would have stopped at, so that positions come out as serde_json's.
#[derive(Debug)]
pub(crate) struct ReadError {
    pub(crate) message: String,
    pub(crate) at: usize,
}

/// Reads a value from the text of a serde_json raw value (so JSON already checked for its
/// syntax), with what that check leaves out: repeated member names, escapes of lone surrogates,
/// numbers beyond the floats, and containers nested more than `depth_left` deep (the depth
/// serde_json has left at the value).
pub(crate) fn read_exact(text: &str, depth_left: usize) -> Result<CustomFieldValue, ReadError> {
    let mut reader = RawReader { text, at: 0 };
    reader.value(depth_left)
}

struct RawReader<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> RawReader<'a> {
    fn peek(&self) -> u8 {
        self.text.as_bytes()[self.at]
    }

    fn skip_whitespace(&mut self) {
        while matches!(
            self.text.as_bytes().get(self.at),
            Some(b' ' | b'\t' | b'\n' | b'\r')
        ) {
            self.at += 1;
        }
    }

    fn value(&mut self, depth_left: usize) -> Result<CustomFieldValue, ReadError> {
        self.skip_whitespace();
        match self.peek() {
            b'{' | b'[' if depth_left == 0 => Err(ReadError {
                message: "recursion limit exceeded".to_owned(),
                at: self.at + 1,
            }),
            b'{' => self.object(depth_left - 1),
            b'[' => self.array(depth_left - 1),
            b'"' => Ok(CustomFieldValue::String(
                crate::text::nfc(&self.string()?).into_owned(),
            )),
            b't' => {
                self.at += 4;
                Ok(CustomFieldValue::Bool(true))
            }
            b'f' => {
                self.at += 5;
                Ok(CustomFieldValue::Bool(false))
            }
            b'n' => {
                self.at += 4;
                Ok(CustomFieldValue::Null)
            }
            _ => self.number().map(CustomFieldValue::Number),
        }
    }

    fn object(&mut self, depth_left: usize) -> Result<CustomFieldValue, ReadError> {
        // As `de::Json` builds objects: the first members one by one, the rest at once.
        const BULK_FROM: usize = 32;
        self.at += 1;
        let mut members = BTreeMap::new();
        let mut rest: Vec<(String, CustomFieldValue)> = Vec::new();
        let mut seen = crate::de::SeenKeys::new();
        loop {
            self.skip_whitespace();
            match self.peek() {
                b'}' => {
                    self.at += 1;
                    break;
                }
                b',' => {
                    self.at += 1;
                    continue;
                }
                _ => {}
            }
            let key = self.string()?;
            if !seen.insert(&key) {
                return Err(ReadError {
                    message: crate::de::DUPLICATE_MEMBER.to_owned(),
                    at: self.at,
                });
            }
            self.skip_whitespace();
            self.at += 1; // the `:`
            let value = self.value(depth_left)?;
            if members.len() < BULK_FROM {
                members.insert(key.into_owned(), value);
            } else {
                rest.push((key.into_owned(), value));
            }
        }
        if !rest.is_empty() {
            members = members.into_iter().chain(rest).collect();
        }
        Ok(CustomFieldValue::Object(members))
    }

    fn array(&mut self, depth_left: usize) -> Result<CustomFieldValue, ReadError> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip_whitespace();
            match self.peek() {
                b']' => {
                    self.at += 1;
                    break;
                }
                b',' => self.at += 1,
                _ => items.push(self.value(depth_left)?),
            }
        }
        Ok(CustomFieldValue::Array(items))
    }

    /// A string token, decoded. Escapes go through serde_json, which refuses lone surrogates
    /// where it would have in the whole document.
    fn string(&mut self) -> Result<Cow<'a, str>, ReadError> {
        let start = self.at;
        let bytes = self.text.as_bytes();
        let mut i = start + 1;
        let mut escaped = false;
        // The raw text is JSON, so the string ends at the first quote no backslash escapes.
        loop {
            i += memchr::memchr2(b'"', b'\\', &bytes[i..]).expect("a JSON string ends");
            if bytes[i] == b'"' {
                break;
            }
            escaped = true;
            i += 2;
        }
        self.at = i + 1;
        let token: &'a str = &self.text[start..self.at];
        if !escaped {
            return Ok(Cow::Borrowed(&token[1..token.len() - 1]));
        }
        serde_json::from_str::<String>(token)
            .map(Cow::Owned)
            .map_err(|error| at_token(start, &error))
    }

    fn number(&mut self) -> Result<JsonNumber, ReadError> {
        let start = self.at;
        while matches!(
            self.text.as_bytes().get(self.at),
            Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
        ) {
            self.at += 1;
        }
        let token = &self.text[start..self.at];
        match NumberValue::of(token) {
            Some(value) => Ok(JsonNumber {
                text: Digits::new(token),
                value,
            }),
            // serde_json says where, as it would have in the whole document.
            None => Err(match serde_json::from_str::<serde_json::Value>(token) {
                Err(error) => at_token(start, &error),
                Ok(_) => ReadError {
                    message: "number out of range".to_owned(),
                    at: self.at,
                },
            }),
        }
    }
}

/// serde_json's error for a token read alone, placed at the token's offset.
fn at_token(start: usize, error: &serde_json::Error) -> ReadError {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    ReadError {
        message: text.strip_suffix(&suffix).unwrap_or(&text).to_owned(),
        at: start + error.column(),
    }
}
