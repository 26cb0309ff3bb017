//! Any bytes as custom field definitions: reading must not panic, the strict reader must agree
//! with `Deserialize` on every document it accepts, and each definition must judge values built
//! from the rest of the input without panicking, refusing only with `custom_field`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rebilly_customer::{CustomFieldDefinitions, CustomFieldValue, ErrorCode, RequestError};

fuzz_target!(|data: &[u8]| {
    // The document, then after a NUL (if any) a JSON value to judge against each definition.
    let (document, value) = match data.iter().position(|b| *b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &b"null"[..]),
    };
    let strict = CustomFieldDefinitions::parse(document);
    let lenient = serde_json::from_slice::<CustomFieldDefinitions>(document);
    match &strict {
        Ok(definitions) => {
            assert_eq!(
                lenient.as_ref().ok(),
                Some(definitions),
                "the two readers differ"
            );
        }
        Err(RequestError::Invalid(error)) => assert!(!error.violations().is_empty()),
        Err(RequestError::Malformed(malformed)) => assert!(malformed.line() >= 1),
        Err(other) => panic!("unexpected {other:?}"),
    }
    let (Ok(definitions), Ok(value)) = (strict, serde_json::from_slice::<CustomFieldValue>(value))
    else {
        return;
    };
    for (_, definition) in definitions.iter() {
        if let Err(error) = definition.check(&value) {
            assert!(
                error
                    .codes()
                    .iter()
                    .all(|code| *code == ErrorCode::CustomField)
            );
        }
    }
});
