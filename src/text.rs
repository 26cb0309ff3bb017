//! The text rules of the contract, in one place: NFC before every check, lengths in code points,
//! and the character classes with ECMA-262 `u`-flag semantics (`\w` ASCII only, `\s` the ECMA set,
//! `\p{L}` general category Letter).

use std::borrow::Cow;

use once_cell::sync::OnceCell;
use regex::Regex;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::error::{FieldPath, ValidationError, Violation, ViolationKind};

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
    /// Every character of the Basic Multilingual Plane (`^[\u0000-\uFFFF]+$`, 2026-08).
    pub(crate) any_bmp: bool,
    /// The class in words, for messages.
    description: &'static str,
    /// Which bytes the class allows, indexed by byte: ASCII ones only. 256 entries so that a
    /// look-up by any byte needs no bounds check.
    ascii: [bool; 256],
    /// The [`BmpTables`] flags of which any one admits a non-ASCII BMP character.
    bmp_allowed: u8,
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
        let mut ascii = [false; 256];
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
                ascii[c as usize] = true;
            }
            b += 1;
        }
        let mut bmp_allowed = 0;
        if letter {
            bmp_allowed |= BmpTables::LETTER;
        }
        if space {
            bmp_allowed |= BmpTables::SPACE;
        }
        CharClass {
            word,
            space,
            letter,
            punctuation,
            any_bmp: false,
            description,
            ascii,
            bmp_allowed,
            regex: OnceCell::new(),
        }
    }

    /// `^[\u0000-\uFFFF]+$`: any character of the Basic Multilingual Plane, none beyond it.
    const fn bmp(description: &'static str) -> Self {
        CharClass {
            word: false,
            space: false,
            letter: false,
            punctuation: "",
            any_bmp: true,
            description,
            ascii: [true; 256],
            bmp_allowed: BmpTables::BMP,
            regex: OnceCell::new(),
        }
    }

    /// `^[...]*$` for the whole class; used only for text with non-ASCII characters.
    fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| {
            let mut class = String::new();
            if self.any_bmp {
                class.push_str("\\x{0}-\\x{FFFF}");
            }
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

    /// Whether every character of `text` is in the class (the empty text is). ASCII is judged by
    /// the bitmask, the rest of the BMP by the letter table, and text with a character beyond
    /// the BMP by the regex.
    pub(crate) fn matches(&self, text: &str) -> bool {
        if text.is_ascii() {
            return self.allows_ascii(text.as_bytes());
        }
        let tables = bmp();
        for c in text.chars() {
            let code = u32::from(c);
            let allowed = if code < 0x80 {
                self.ascii[code as usize]
            } else if code >= 0x10000 {
                return self.regex().is_match(text);
            } else {
                self.allows_bmp(tables.of(code))
            };
            if !allowed {
                return false;
            }
        }
        true
    }

    /// Whether the class holds every byte of ASCII `text`. No early exit: a valid text is read
    /// to its end anyway, and the loop without one is a third of the instructions.
    fn allows_ascii(&self, text: &[u8]) -> bool {
        text.iter()
            .fold(true, |all, &b| all & self.ascii[usize::from(b)])
    }

    /// Whether the class holds a non-ASCII character of the BMP with table `flags`.
    fn allows_bmp(&self, flags: u8) -> bool {
        flags & self.bmp_allowed != 0
    }

    /// The class in words, as used in `pattern` messages.
    pub(crate) fn description(&self) -> &'static str {
        self.description
    }
}

/// Every ASCII character: the "class" of a rule without one.
static ANY_ASCII: [bool; 256] = [true; 256];

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
/// `^[\u0000-\uFFFF]+$`: the eight contact text members under 2026-08.
pub(crate) static BMP_CLASS: CharClass =
    CharClass::bmp("characters of the Basic Multilingual Plane (U+0000 to U+FFFF)");
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
/// `^[@~\-\.\w\s+]+$`: tag names under 2026-08.
pub(crate) static TAG_NAME_CLASS_2026_08: CharClass = CharClass::new(
    true,
    true,
    false,
    "@~-.+",
    "ASCII letters, digits, underscore, whitespace and @ ~ - . +",
);
/// `^[\w-]+$`: custom field names.
pub(crate) static CUSTOM_FIELD_NAME_CLASS: CharClass = CharClass::new(
    true,
    false,
    false,
    "-",
    "ASCII letters, digits, underscore and -",
);

/// A length limit and an optional class: one row of the text rules' table.
pub(crate) struct TextRule {
    /// Most code points allowed, if limited.
    pub(crate) max: Option<usize>,
    /// Whether `""` is refused (every `^[...]+$` pattern, and the deviations for ids and tokens).
    pub(crate) non_empty: bool,
    pub(crate) class: Option<&'static CharClass>,
}

/// Three facts about every character of the Basic Multilingual Plane, computed once from the
/// sources the rules use (the `regex` crate's `\p{L}`, `unicode-normalization`'s data and
/// [`ECMA_SPACE`]), so that non-ASCII text is judged with one table look-up per character.
///
/// One byte per code point (64 KiB). A table of distinct 32-code-point rows (about 10 KiB) was
/// tried: it touches fewer cache lines, but its second look-up made the large input's parse
/// about 3% slower in the interleaved bench.
struct BmpTables {
    /// [`Self::LETTER`], [`Self::NFC_SAFE`] and [`Self::SPACE`], indexed by code point.
    flags: Vec<u8>,
}

impl BmpTables {
    /// General category Letter (`\p{L}`).
    const LETTER: u8 = 1;
    /// Canonical combining class 0 and NFC quick check Yes: a text of such characters is NFC.
    const NFC_SAFE: u8 = 2;
    /// A member of ECMA-262 `\s`.
    const SPACE: u8 = 4;
    /// Set on every code point of the table: the BMP itself.
    const BMP: u8 = 8;

    fn build() -> Self {
        let mut flags = vec![Self::BMP; 0x10000];
        // `\p{L}` as the ranges the regex engine itself compiles it to.
        let hir = regex_syntax::parse(r"\p{L}").expect("the letter class parses");
        let regex_syntax::hir::HirKind::Class(regex_syntax::hir::Class::Unicode(class)) =
            hir.kind()
        else {
            unreachable!("\\p{{L}} is a Unicode class")
        };
        for range in class.ranges() {
            let end = u32::from(range.end()).min(0xFFFF);
            for code in u32::from(range.start())..=end {
                flags[code as usize] |= Self::LETTER;
            }
        }
        for c in (0..0x10000).filter_map(char::from_u32) {
            if canonical_combining_class(c) == 0
                && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes
            {
                flags[u32::from(c) as usize] |= Self::NFC_SAFE;
            }
        }
        for c in ECMA_SPACE {
            flags[*c as usize] |= Self::SPACE;
        }
        BmpTables { flags }
    }

    /// The flags of a BMP code point.
    fn of(&self, code: u32) -> u8 {
        self.flags[code as usize]
    }

    /// Whether a BMP character with these `flags` is NFC on its own and composes with nothing
    /// before it, so that a text of such characters is NFC.
    fn certainly_nfc(flags: u8) -> bool {
        flags & Self::NFC_SAFE != 0
    }
}

fn bmp() -> &'static BmpTables {
    static TABLES: OnceCell<BmpTables> = OnceCell::new();
    TABLES.get_or_init(BmpTables::build)
}

/// Converts to NFC, borrowing when the text is already NFC (the usual case).
pub(crate) fn nfc(text: &str) -> Cow<'_, str> {
    // Only text with a character the table cannot vouch for needs the full quick check.
    let certain = text.is_ascii() || {
        let tables = bmp();
        text.chars().all(|c| {
            let code = u32::from(c);
            code < 0x10000 && BmpTables::certainly_nfc(tables.of(code))
        })
    };
    if certain || is_nfc_quick(text.chars()) == IsNormalized::Yes {
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
            return self.verdict_empty();
        }
        // Bytes bound code points from above, so short text needs no count.
        let length = match self.max {
            Some(max) if text.len() > max => code_points(text),
            _ => 0,
        };
        let in_class = self.class.is_none_or(|class| class.matches(text));
        self.verdict(length, in_class)
    }

    /// Converts `text` to NFC and checks it, in one pass over the text when it is already NFC
    /// (the usual case): the pass counts code points, proves NFC from the tables and judges the
    /// class together.
    pub(crate) fn normalize(&self, text: Cow<'_, str>) -> Result<String, ValidationError> {
        match self.scan(&text) {
            Some(verdict) => verdict.map(|()| text.into_owned()),
            None => {
                let normalized = nfc_owned(text.into_owned());
                self.check(&normalized)?;
                Ok(normalized)
            }
        }
    }

    /// The verdict on `text` if one pass proves it NFC; `None` when it may not be.
    fn scan(&self, text: &str) -> Option<Result<(), ValidationError>> {
        if text.is_empty() {
            return Some(self.verdict_empty());
        }
        if text.is_ascii() {
            let in_class = self
                .class
                .is_none_or(|class| class.allows_ascii(text.as_bytes()));
            return Some(self.verdict(text.len(), in_class));
        }
        let tables = bmp();
        // Without a class every character is in it: all ASCII, and every flag set.
        let (ascii, bmp_allowed) = self.class.map_or((&ANY_ASCII, u8::MAX), |class| {
            (&class.ascii, class.bmp_allowed)
        });
        let bytes = text.as_bytes();
        let mut length = 0;
        let mut in_class = true;
        let mut i = 0;
        // The text is UTF-8, so a lead byte tells the length of its sequence; decoding by hand
        // lets the common case skip the checks `chars` makes for arbitrary input.
        while let Some(&lead) = bytes.get(i) {
            length += 1;
            if lead < 0x80 {
                in_class &= ascii[usize::from(lead)];
                i += 1;
                continue;
            }
            let code = if lead < 0xE0 {
                let second = *bytes.get(i + 1)?;
                i += 2;
                (u32::from(lead & 0x1F) << 6) | u32::from(second & 0x3F)
            } else if lead < 0xF0 {
                let (second, third) = (*bytes.get(i + 1)?, *bytes.get(i + 2)?);
                i += 3;
                (u32::from(lead & 0x0F) << 12)
                    | (u32::from(second & 0x3F) << 6)
                    | u32::from(third & 0x3F)
            } else {
                // Beyond the BMP: the full path decides.
                return None;
            };
            let flags = tables.of(code);
            // A character that may change under NFC: the full path decides.
            if !BmpTables::certainly_nfc(flags) {
                return None;
            }
            // NFC_SAFE is set here, so without a class this holds.
            in_class &= flags & bmp_allowed != 0;
        }
        Some(self.verdict(length, in_class))
    }

    fn verdict_empty(&self) -> Result<(), ValidationError> {
        if self.non_empty {
            Err(ValidationError::single(ViolationKind::Empty))
        } else {
            Ok(())
        }
    }

    /// The violations of a non-empty text of `length` code points (0 when known to be within
    /// the limit) whose characters are or are not all in the class.
    fn verdict(&self, length: usize, in_class: bool) -> Result<(), ValidationError> {
        let mut violations = Vec::new();
        if let Some(max) = self.max {
            if length > max {
                violations.push(Violation::new(
                    FieldPath::root(),
                    ViolationKind::TooLong {
                        max,
                        actual: length,
                    },
                ));
            }
        }
        if let Some(class) = self.class.filter(|_| !in_class) {
            violations.push(Violation::new(
                FieldPath::root(),
                ViolationKind::Pattern {
                    allowed: class.description(),
                },
            ));
        }
        if violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError::new(violations))
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

    proptest::proptest! {
        /// The one-pass path gives what NFC followed by the full check gives.
        #[test]
        fn one_pass_equals_nfc_then_check(
            text in "[a-z0-9 _.,'&#/\u{e9}\u{301}\u{308}\u{2000}\u{3000}\u{11a8}\u{1100}\u{1161}\u{ac00}\u{e000}\u{1d49c}\u{1f600}\u{0915}\u{093f}\u{4e00}-]{0,50}",
            max in proptest::option::of(0usize..50),
            non_empty in proptest::bool::ANY,
            class in 0usize..4,
        ) {
            let class = [None, Some(&NAME_CLASS), Some(&ADDRESS_CLASS), Some(&POSTAL_CODE_CLASS)][class];
            let rule = TextRule { max, non_empty, class };
            let expected = {
                let normalized = nfc(&text).into_owned();
                rule.check(&normalized).map(|()| normalized)
            };
            proptest::prop_assert_eq!(rule.normalize(Cow::Borrowed(&text)), expected);
        }
    }

    #[test]
    fn the_tables_agree_with_the_regex_for_every_bmp_character() {
        for c in (0x80..0x10000u32).filter_map(char::from_u32) {
            let text = c.to_string();
            for class in [&NAME_CLASS, &POSTAL_CODE_CLASS] {
                assert_eq!(
                    class.matches(&text),
                    class.regex().is_match(&text),
                    "U+{:04X}",
                    u32::from(c)
                );
            }
            if BmpTables::certainly_nfc(bmp().of(u32::from(c))) {
                assert_eq!(
                    text.nfc().collect::<String>(),
                    text,
                    "U+{:04X}",
                    u32::from(c)
                );
            }
        }
        // Beyond the BMP the regex decides.
        assert!(NAME_CLASS.matches("a𝒜"));
        assert!(!NAME_CLASS.matches("a😀"));
    }

    #[test]
    fn nfc_borrows_when_already_normal() {
        assert!(matches!(nfc("Zoë"), Cow::Borrowed(_)));
        assert_eq!(nfc("Zoe\u{0308}"), "Zoë");
        assert_eq!(code_points("李小龍"), 3);
    }
}
