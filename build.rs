//! Compiles the contract's tables (`data/`) into Rust source, so the payment-method enum, the
//! country table and the currency table are generated from the same files the SPEC ships and
//! nothing is read at run time.

use std::collections::BTreeSet;
use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

fn main() {
    let out_dir = env::var("OUT_DIR").unwrap();
    let mut methods = String::new();
    payment_methods(&mut methods);
    fs::write(Path::new(&out_dir).join("payment_methods.rs"), methods).unwrap();
    let mut codes = String::new();
    code_table(&mut codes, "data/iso3166-1-alpha2.tsv", "COUNTRY_CODES", 2);
    code_table(&mut codes, "data/iso4217-alpha3.tsv", "CURRENCY_CODES", 3);
    fs::write(Path::new(&out_dir).join("code_tables.rs"), codes).unwrap();
    println!("cargo::rerun-if-changed=data");
    println!("cargo::rerun-if-changed=build.rs");
}

/// `Apple Pay` -> `ApplePay`, `ePay.bg` -> `EPayBg`, `bank-transfer-2` -> `BankTransfer2`.
fn variant_name(method: &str) -> String {
    method
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            let first = chars.next().unwrap().to_ascii_uppercase();
            std::iter::once(first).chain(chars).collect::<String>()
        })
        .collect()
}

/// The enum holds every method of the newest list (2026-08: the seed's 175 in their order, 24
/// added in place); each method also knows the first revision that has it.
fn payment_methods(src: &mut String) {
    let seed_text = fs::read_to_string("data/payment-methods.txt").unwrap();
    let seed: BTreeSet<&str> = seed_text.lines().filter(|l| !l.is_empty()).collect();
    let text = fs::read_to_string("data/payment-methods-2026-08.txt").unwrap();
    let methods: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    assert!(
        seed.iter().all(|method| methods.contains(method)),
        "the 2026-08 list keeps every method of the seed's"
    );
    let mut seen = BTreeSet::new();
    let mut variants = Vec::new();
    for method in &methods {
        let name = variant_name(method);
        assert!(
            !name.is_empty() && name.starts_with(|c: char| c.is_ascii_alphabetic()),
            "payment method {method:?} gives no usable variant name"
        );
        assert!(
            seen.insert(name.clone()),
            "two payment methods map to variant {name}"
        );
        variants.push(name);
    }

    src.push_str("/// A payment method of the contract: one variant per name in `data/payment-methods-2026-08.txt`\n/// (the seed's 175 of `data/payment-methods.txt` and the 24 that 2026-08 added).\n");
    src.push_str("///\n/// Parsing and rendering use the exact spelling of the contract (`\"Apple Pay\"`, `\"ePay.bg\"`).\n");
    src.push_str("#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]\n");
    src.push_str(
        "#[allow(clippy::upper_case_acronyms)]\n#[non_exhaustive]\npub enum PaymentMethod {\n",
    );
    for (method, variant) in methods.iter().zip(&variants) {
        writeln!(src, "    /// `{method}`\n    {variant},").unwrap();
    }
    src.push_str("}\n\n");
    src.push_str("impl PaymentMethod {\n");
    src.push_str("    /// Every method, in the order of the contract's list.\n");
    writeln!(
        src,
        "    pub const ALL: [PaymentMethod; {}] = [",
        methods.len()
    )
    .unwrap();
    for variant in &variants {
        writeln!(src, "        PaymentMethod::{variant},").unwrap();
    }
    src.push_str("    ];\n\n");
    src.push_str("    /// The methods of the seed's list (2023-01), in its order.\n");
    writeln!(
        src,
        "    pub(crate) const SEED_2023_01: [PaymentMethod; {}] = [",
        seed.len()
    )
    .unwrap();
    for (method, variant) in methods.iter().zip(&variants) {
        if seed.contains(method) {
            writeln!(src, "        PaymentMethod::{variant},").unwrap();
        }
    }
    src.push_str("    ];\n\n");
    src.push_str("    /// The first revision of the contract that has the method.\n");
    src.push_str(
        "    #[must_use]\n    pub const fn since(self) -> crate::Contract {\n        match self {\n",
    );
    for (method, variant) in methods.iter().zip(&variants) {
        let since = if seed.contains(method) {
            "Seed2023_01"
        } else {
            "Rebilly2026_08"
        };
        writeln!(
            src,
            "            PaymentMethod::{variant} => crate::Contract::{since},"
        )
        .unwrap();
    }
    src.push_str("        }\n    }\n\n");
    src.push_str("    /// The method's name exactly as the contract spells it.\n");
    src.push_str(
        "    #[must_use]\n    pub const fn as_str(self) -> &'static str {\n        match self {\n",
    );
    for (method, variant) in methods.iter().zip(&variants) {
        writeln!(src, "            PaymentMethod::{variant} => {method:?},").unwrap();
    }
    src.push_str("        }\n    }\n\n");
    src.push_str("    fn lookup(name: &str) -> Option<PaymentMethod> {\n        match name {\n");
    for (method, variant) in methods.iter().zip(&variants) {
        writeln!(
            src,
            "            {method:?} => Some(PaymentMethod::{variant}),"
        )
        .unwrap();
    }
    src.push_str("            _ => None,\n        }\n    }\n}\n\n");
}

/// A sorted `&[&str]` of the codes in the first column of a TSV with a header line.
fn code_table(src: &mut String, path: &str, name: &str, width: usize) {
    let text = fs::read_to_string(path).unwrap();
    let mut codes: Vec<&str> = text
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    for code in &codes {
        assert!(
            code.len() == width && code.bytes().all(|b| b.is_ascii_uppercase()),
            "{path}: bad code {code:?}"
        );
    }
    codes.sort_unstable();
    codes.dedup();
    writeln!(src, "const {name}: [&str; {}] = [", codes.len()).unwrap();
    for code in codes {
        writeln!(src, "    {code:?},").unwrap();
    }
    src.push_str("];\n\n");
}
