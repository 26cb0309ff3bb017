//! The text rules of SPEC section 1, in one place: NFC before every check, lengths in code points,
//! and the character classes with ECMA-262 `u`-flag semantics (`\w` ASCII only, `\s` the ECMA set,
//! `\p{L}` general category Letter).

use std::borrow::Cow;

use once_cell::sync::OnceCell;
use regex::Regex;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::error::{ValidationError, Violation, ViolationKind};

/// ECMA-262 `WhiteSpace` and `LineTerminator`: what `\s` matches. U+0085 is not in it.
pub(crate) const ECMA_SPACE: &[char] = &[
    '\u{0009}', '\u{000A}', '\u{000B}', '\u{000C}', '\u{000D}', '\u{0020}', '\u{00A0}', '\u{1680}',
    '\u{2000}', '\u{2001}', '\u{2002}', '\u{2003}', '\u{2004}', '\u{2005}', '\u{2006}', '\u{2007}',
    '\u{2008}', '\u{2009}', '\u{200A}', '\u{2028}', '\u{2029}', '\u{202F}', '\u{205F}', '\u{3000}',
    '\u{FEFF}',
];

/// A character class `[...]` of the contract, as its parts: ECMA `\w`, `\s`, `\p{L}`, and literal
/// ASCII punctuation. The ASCII bitmask and the regex used for non-ASCII text are both derived
/// from these parts, so the class is written once.
pub(crate) struct CharClass {
    pub(crate) word: bool,
    pub(crate) space: bool,
    pub(crate) letter: bool,
    pub(crate) punctuation: &'static str,
    /// The class in words, for messages.
    description: &'static str,
    ascii: u128,
    regex: OnceCell<Regex>,
}

impl CharClass {
    const fn new(
        word: bool,
        space: bool,
        letter: bool,
        punctuation: &'static str,
        description: &'static str,
    ) -> Self {
        let mut ascii: u128 = 0;
        let mut b = 0u8;
        while b < 128 {
            let c = b;
            let is_word = c.is_ascii_alphanumeric() || c == b'_';
            // ASCII members of ECMA `\s`: U+0009..=U+000D and U+0020.
            let is_space = (c >= 0x09 && c <= 0x0D) || c == b' ';
            let mut allowed =
                (word && is_word) || (space && is_space) || (letter && c.is_ascii_alphabetic());
            let p = punctuation.as_bytes();
            let mut i = 0;
            while i < p.len() {
                if p[i] == c {
                    allowed = true;
                }
                i += 1;
            }
            if allowed {
                ascii |= 1u128 << c;
            }
            b += 1;
        }
        CharClass {
            word,
            space,
            letter,
            punctuation,
            description,
            ascii,
            regex: OnceCell::new(),
        }
    }

    /// `^[...]*$` for the whole class; used only for text with non-ASCII characters.
    fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| {
            let mut class = String::new();
            if self.word {
                class.push_str("A-Za-z0-9_");
            }
            if self.space {
                for c in ECMA_SPACE {
                    class.push_str(&format!("\\x{{{:X}}}", *c as u32));
                }
            }
            if self.letter {
                class.push_str("\\p{L}");
            }
            for c in self.punctuation.chars() {
                class.push('\\');
                class.push(c);
            }
            Regex::new(&format!("^[{class}]*$")).expect("character class regex")
        })
    }

    /// Whether every character of `text` is in the class (the empty text is).
    pub(crate) fn matches(&self, text: &str) -> bool {
        if text.is_ascii() {
            text.bytes().all(|b| self.ascii & (1u128 << b) != 0)
        } else {
            self.regex().is_match(text)
        }
    }

    /// The class in words, as used in `pattern` messages.
    pub(crate) fn description(&self) -> &'static str {
        self.description
    }
}

/// `^[\w\s\-\p{L},.']+$`: first and last names, city.
pub(crate) static NAME_CLASS: CharClass = CharClass::new(
    true,
    true,
    true,
    "-,.'",
    "letters, digits, underscore, whitespace and - , . '",
);
/// `^[\w\s\-\p{L},.'&]+$`: organization.
pub(crate) static ORGANIZATION_CLASS: CharClass = CharClass::new(
    true,
    true,
    true,
    "-,.'&",
    "letters, digits, underscore, whitespace and - , . ' &",
);
/// `^[\w\s\-\/\p{L},.#;:()'&]+$`: address lines.
pub(crate) static ADDRESS_CLASS: CharClass = CharClass::new(
    true,
    true,
    true,
    "-/,.#;:()'&",
    "letters, digits, underscore, whitespace and - / , . # ; : ( ) ' &",
);
/// `^[\w\s\-\/\p{L},.#;:()']+$`: region, job title.
pub(crate) static REGION_CLASS: CharClass = CharClass::new(
    true,
    true,
    true,
    "-/,.#;:()'",
    "letters, digits, underscore, whitespace and - / , . # ; : ( ) '",
);
/// `^[\w\s\-]+$`: postal code.
pub(crate) static POSTAL_CODE_CLASS: CharClass = CharClass::new(
    true,
    true,
    false,
    "-",
    "ASCII letters, digits, underscore, whitespace and -",
);
/// `^[@~\-\.\w]+$`: the customer id of the path.
pub(crate) static RESOURCE_ID_CLASS: CharClass = CharClass::new(
    true,
    false,
    false,
    "@~-.",
    "ASCII letters, digits, underscore and @ ~ - .",
);
/// `^[@~\-\.\w\s]+$`: tag names.
pub(crate) static TAG_NAME_CLASS: CharClass = CharClass::new(
    true,
    true,
    false,
    "@~-.",
    "ASCII letters, digits, underscore, whitespace and @ ~ - .",
);
/// `^[\w-]+$`: custom field names.
pub(crate) static CUSTOM_FIELD_NAME_CLASS: CharClass = CharClass::new(
    true,
    false,
    false,
    "-",
    "ASCII letters, digits, underscore and -",
);

/// A length limit and an optional class: one row of SPEC section 1's table.
pub(crate) struct TextRule {
    /// Most code points allowed, if limited.
    pub(crate) max: Option<usize>,
    /// Whether `""` is refused (every `^[...]+$` pattern, and the deviations for ids and tokens).
    pub(crate) non_empty: bool,
    pub(crate) class: Option<&'static CharClass>,
}

/// Converts to NFC, borrowing when the text is already NFC (the usual case).
pub(crate) fn nfc(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// Converts an owned string to NFC without copying it when it already is.
pub(crate) fn nfc_owned(text: String) -> String {
    match nfc(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(normalized) => normalized,
    }
}

/// Length in Unicode scalar values, as the contract counts.
pub(crate) fn code_points(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

impl TextRule {
    /// Checks NFC `text` against the rule, reporting every broken part (too long and a bad
    /// character are two violations). An empty text reports only that it is empty.
    pub(crate) fn check(&self, text: &str) -> Result<(), ValidationError> {
        if text.is_empty() {
            return if self.non_empty {
                Err(ValidationError::single(ViolationKind::Empty))
            } else {
                Ok(())
            };
        }
        let mut violations = Vec::new();
        if let Some(max) = self.max {
            // Bytes bound code points from above, so short text needs no count.
            if text.len() > max {
                let actual = code_points(text);
                if actual > max {
                    violations.push(ViolationKind::TooLong { max, actual });
                }
            }
        }
        if let Some(class) = self.class {
            if !class.matches(text) {
                violations.push(ViolationKind::Pattern {
                    allowed: class.description(),
                });
            }
        }
        if violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError::new(
                violations
                    .into_iter()
                    .map(|kind| Violation::new(Default::default(), kind))
                    .collect(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecma_space_members_are_in_classes_with_space() {
        for c in ECMA_SPACE {
            let text = format!("a{c}b");
            assert!(NAME_CLASS.matches(&text), "U+{:04X}", *c as u32);
            assert!(!RESOURCE_ID_CLASS.matches(&text), "U+{:04X}", *c as u32);
        }
        assert!(!NAME_CLASS.matches("a\u{0085}b"));
        assert!(!NAME_CLASS.matches("a\u{200B}b"));
    }

    #[test]
    fn word_is_ascii_only() {
        assert!(POSTAL_CODE_CLASS.matches("AB_12"));
        assert!(!POSTAL_CODE_CLASS.matches("\u{0663}"));
        assert!(!POSTAL_CODE_CLASS.matches("é"));
        assert!(!RESOURCE_ID_CLASS.matches("é"));
    }

    #[test]
    fn letters_but_not_marks() {
        assert!(NAME_CLASS.matches("李小龍"));
        assert!(NAME_CLASS.matches("Ǆ")); // Lt
        assert!(NAME_CLASS.matches("ʰ")); // Lm
        assert!(!NAME_CLASS.matches("\u{0301}")); // Mn
        assert!(!NAME_CLASS.matches("हिंदी")); // Devanagari vowel signs are marks
    }

    #[test]
    fn nfc_borrows_when_already_normal() {
        assert!(matches!(nfc("Zoë"), Cow::Borrowed(_)));
        assert_eq!(nfc("Zoe\u{0308}"), "Zoë");
        assert_eq!(code_points("李小龍"), 3);
    }
}
