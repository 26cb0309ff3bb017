//! Text for a [`TextRule`]: lengths at and near the limit, and characters from every part of the
//! rule's class, including letters of several scripts, decomposed (NFD) input and every ECMA
//! `\s` member.
//!
//! Each unit below is one code point once in NFC, and no unit starts with a combining mark, so
//! units never compose with each other: n units are n code points after NFC, which is what the
//! limits count.

use crate::generate::Entropy;
use crate::text::{CharClass, ECMA_SPACE, TextRule};

/// Letters (`\p{L}`) of several scripts and every letter category: Latin, Greek, Cyrillic,
/// Armenian, Hebrew, Arabic, Devanagari, Thai, Hangul, Hiragana, Katakana, CJK, titlecase (Lt),
/// modifier (Lm), and letters outside the BMP.
const LETTERS: &[&str] = &[
    "ë", "ß", "ñ", "Ø", "ł", "Ω", "λ", "ж", "Я", "Ա", "א", "ب", "ا", "क", "ก", "가", "あ", "ア",
    "李", "龍", "ǅ", "ʰ", "𝒜", "𐐀", "ᚠ",
];

/// Decomposed input whose NFC is one letter: the crate must accept it and store the composed
/// form.
const NFD_LETTERS: &[&str] = &[
    "e\u{301}",
    "A\u{30A}",
    "n\u{303}",
    "o\u{308}",
    "\u{1100}\u{1161}",
    "\u{304B}\u{3099}",
];

const WORD: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_";

/// What a class-less ("any text") rule may also hold: JSON's escapes, controls, symbols, emoji.
const ANYTHING: &[&str] = &[
    "\"", "\\", "/", "\u{1}", "\u{1F}", "\u{7F}", "<", "%", "€", "😀", "\u{FFFD}", "\u{200D}",
];

/// Characters of the Basic Multilingual Plane that no 2023 class holds, each one code point that
/// composes with nothing: combining marks of the scripts that keep them (Devanagari, Thai,
/// Arabic, Hebrew, Tamil), punctuation, symbols, controls and the plane's two ends.
const BMP_OTHER: &[&str] = &[
    "\u{93F}", "\u{941}", "\u{E34}", "\u{64E}", "\u{5B4}", "\u{BCD}", "!", "@", "+", "€", "\u{0}",
    "\u{1}", "\u{FFFF}", "\u{FFFD}", "\u{200D}", "\"", "\\",
];

/// Where a unit comes from.
#[derive(Clone, Copy)]
enum Pool {
    Word,
    Space,
    Letter,
    BmpLetter,
    Decomposed,
    Punctuation,
    Anything,
    BmpOther,
}

fn pools(class: Option<&CharClass>) -> Vec<Pool> {
    if class.is_some_and(|class| class.any_bmp) {
        return vec![
            Pool::Word,
            Pool::Space,
            Pool::BmpLetter,
            Pool::Decomposed,
            Pool::BmpOther,
        ];
    }
    let Some(class) = class else {
        return vec![
            Pool::Word,
            Pool::Space,
            Pool::Letter,
            Pool::Decomposed,
            Pool::Anything,
        ];
    };
    let mut pools = Vec::with_capacity(5);
    if class.word {
        pools.push(Pool::Word);
    }
    if class.space {
        pools.push(Pool::Space);
    }
    if class.letter {
        pools.push(Pool::Letter);
        pools.push(Pool::Decomposed);
    }
    if !class.punctuation.is_empty() {
        pools.push(Pool::Punctuation);
    }
    pools
}

fn push_unit(e: &mut dyn Entropy, pool: Pool, class: Option<&CharClass>, out: &mut String) {
    match pool {
        Pool::Word => out.push(char::from(*e.pick(WORD))),
        Pool::Space => out.push(*e.pick(ECMA_SPACE)),
        Pool::Letter => out.push_str(e.pick::<&str>(LETTERS)),
        Pool::BmpLetter => {
            let bmp: Vec<&str> = LETTERS
                .iter()
                .copied()
                .filter(|letter| letter.chars().all(|c| u32::from(c) <= 0xFFFF))
                .collect();
            out.push_str(e.pick::<&str>(&bmp));
        }
        Pool::BmpOther => out.push_str(e.pick::<&str>(BMP_OTHER)),
        Pool::Decomposed => out.push_str(e.pick::<&str>(NFD_LETTERS)),
        Pool::Punctuation => {
            let punctuation = class.map_or("-", |c| c.punctuation).as_bytes();
            out.push(char::from(*e.pick(punctuation)));
        }
        Pool::Anything => out.push_str(e.pick::<&str>(ANYTHING)),
    }
}

/// The longest text generated for a rule without a limit.
const UNLIMITED_MAX: usize = 64;

/// A length for `rule`: the shortest, the longest, one under the longest, or any in between.
pub(crate) fn length(e: &mut dyn Entropy, rule: &TextRule) -> usize {
    let min = usize::from(rule.non_empty);
    let max = rule.max.unwrap_or(UNLIMITED_MAX);
    match e.below(4) {
        0 => e.range(min, min.saturating_add(8).min(max)),
        1 => max,
        2 => max.saturating_sub(1).max(min),
        _ => e.range(min, max),
    }
}

/// Text of exactly `units` code points (after NFC) that `rule`'s class accepts.
pub(crate) fn text_of_length(e: &mut dyn Entropy, rule: &TextRule, units: usize) -> String {
    let pools = pools(rule.class);
    // Most texts stay in one or two pools, as real names do; some mix all of them.
    let mixed = e.coin();
    let home = *e.pick(&pools);
    let mut out = String::with_capacity(units * 2);
    for _ in 0..units {
        let pool = if mixed { *e.pick(&pools) } else { home };
        push_unit(e, pool, rule.class, &mut out);
    }
    out
}

/// Text that `rule` accepts, of a length chosen by [`length`].
pub(crate) fn text(e: &mut dyn Entropy, rule: &TextRule) -> String {
    let units = length(e, rule);
    text_of_length(e, rule, units)
}

/// Any text without a class, up to `max` code points, for free-form members.
pub(crate) fn any_text(e: &mut dyn Entropy, max: usize) -> String {
    let rule = TextRule {
        max: Some(max),
        non_empty: false,
        class: None,
    };
    text(e, &rule)
}

/// A character outside `class`, for near-miss inputs: ASCII punctuation the class lacks, a
/// symbol, a combining mark, or a character beyond the BMP (the only kind the 2026-08 class
/// lacks).
pub(crate) fn outside(e: &mut dyn Entropy, class: &CharClass) -> char {
    let candidates: Vec<char> = "!$*+=?[]{}|^`<>\"&/#;:()',.@~-"
        .chars()
        .chain(['€', '😀', '\u{93F}', '𠮷', '\u{1D400}'])
        .filter(|c| !class.matches(&c.to_string()))
        .collect();
    *e.pick(&candidates)
}
