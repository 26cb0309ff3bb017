//! The layers of `src/`: no module imports, directly or through others, a module that imports
//! it back, and every import goes to the same or a lower layer of the table at the top of
//! `src/lib.rs`. Nothing inside the crate names an item through the crate root.
//!
//! A module is a file. An import is any `crate::…`, `super::…` or child path in the code (not
//! in comments or unit tests), resolved to the file that defines the item: a path through a
//! module that only re-exports (`pub use child::Item`) is followed to the child.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Every module of `src/`, by path (`customer::upsert`), with its code: comments and unit-test
/// modules stripped.
fn modules() -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    walk(Path::new("src"), &mut found);
    found
}

fn walk(dir: &Path, found: &mut BTreeMap<String, String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix("src").unwrap().with_extension("");
            let mut name = relative.to_string_lossy().replace('/', "::");
            if let Some(parent) = name.strip_suffix("::mod") {
                name = parent.to_owned();
            }
            if name == "lib" {
                name = String::new();
            }
            found.insert(name, code_of(&fs::read_to_string(&path).unwrap()));
        }
    }
}

/// The code without comments, string-free enough for path scanning, and without the unit tests
/// (a `#[cfg(test)]` module, whatever its name: it may import anything from its own module).
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod ") {
        Some(at) => {
            // Up to the module's closing brace, counted (the unit tests' own braces balance).
            let open = at + text[at..].find('{').unwrap();
            let mut depth = 0;
            let close = text[open..]
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(text.len(), |(i, _)| open + i + 1);
            format!("{}{}", &text[..at], &text[close..])
        }
        None => text.to_owned(),
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn parent_of(module: &str) -> String {
    module
        .rsplit_once("::")
        .map_or(String::new(), |(parent, _)| parent.to_owned())
}

fn join(module: &str, child: &str) -> String {
    if module.is_empty() {
        child.to_owned()
    } else {
        format!("{module}::{child}")
    }
}

/// The items a module re-exports from its children: `pub use child::{A, B}` gives A and B.
fn re_exports(modules: &BTreeMap<String, String>) -> BTreeMap<(String, String), String> {
    let mut found = BTreeMap::new();
    for (module, code) in modules {
        let mut rest = code.as_str();
        while let Some(at) = rest.find("use ") {
            let before = &rest[..at];
            rest = &rest[at + 4..];
            if !(before.ends_with("pub ") || before.ends_with("pub(crate) ")) {
                continue;
            }
            let statement = &rest[..rest.find(';').unwrap()];
            let Some((child, items)) = statement.split_once("::") else {
                continue;
            };
            let child = join(module, child.trim());
            if !modules.contains_key(&child) {
                continue;
            }
            let items = items.trim().trim_start_matches('{').trim_end_matches('}');
            for item in items.split(',') {
                let item = item.trim().rsplit("::").next().unwrap().trim();
                if !item.is_empty() {
                    found.insert((module.clone(), item.to_owned()), child.clone());
                }
            }
        }
    }
    found
}

/// The paths a module's code names: `crate::a::b`, `super::a`, `self::a` and `child::a` (as
/// written, with the word after the last `::`).
fn paths(module: &str, code: &str, modules: &BTreeMap<String, String>) -> Vec<Vec<String>> {
    let bytes = code.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !word(bytes[i]) || (i > 0 && (word(bytes[i - 1]) || bytes[i - 1] == b':')) {
            i += 1;
            continue;
        }
        let mut end = i;
        let mut segments = Vec::new();
        loop {
            let start = end;
            while end < bytes.len() && word(bytes[end]) {
                end += 1;
            }
            segments.push(code[start..end].to_owned());
            if code[end..].starts_with("::") && end + 2 < bytes.len() && word(bytes[end + 2]) {
                end += 2;
            } else if code[end..].starts_with("::{") {
                // A group: each name in it continues the path.
                let close = end + code[end..].find('}').unwrap();
                for item in code[end + 3..close].split(',') {
                    let item = item.trim().split("::").next().unwrap_or("").trim();
                    if !item.is_empty() && item != "self" {
                        let mut each = segments.clone();
                        each.push(item.to_owned());
                        found.push(each);
                    }
                }
                end = close;
                segments.clear();
                break;
            } else {
                break;
            }
        }
        let first = segments.first().map(String::as_str).unwrap_or("");
        let is_child = modules.contains_key(&join(module, first));
        if segments.len() > 1 && (first == "crate" || first == "super" || is_child) {
            found.push(segments);
        }
        i = end.max(i + 1);
    }
    found
}

/// The module that defines what `path` (named in `module`) names.
fn resolve(
    module: &str,
    path: &[String],
    modules: &BTreeMap<String, String>,
    re_exports: &BTreeMap<(String, String), String>,
) -> Option<String> {
    let mut at = match path[0].as_str() {
        "crate" => String::new(),
        "super" => parent_of(module),
        _ => module.to_owned(),
    };
    let rest = if path[0] == "crate" || path[0] == "super" {
        &path[1..]
    } else {
        path
    };
    for segment in rest {
        let child = join(&at, segment);
        if modules.contains_key(&child) {
            at = child;
            continue;
        }
        // An item: follow re-exports to the module that defines it.
        while let Some(from) = re_exports.get(&(at.clone(), segment.clone())) {
            at = from.clone();
        }
        break;
    }
    Some(at)
}

fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let re_exports = re_exports(&modules);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, code) in &modules {
        let entry = edges.entry(module.clone()).or_default();
        for path in paths(module, code, &modules) {
            if let Some(target) = resolve(module, &path, &modules, &re_exports) {
                if target != *module {
                    entry.insert(target);
                }
            }
        }
    }
    edges
}

/// The layer of each module, from the table at the top of `src/lib.rs`: rows of
/// `// | n | what | modules |`, a module named by its path (its children share its layer unless a
/// row names them).
fn table() -> BTreeMap<String, usize> {
    let lib = fs::read_to_string("src/lib.rs").unwrap();
    let mut layers = BTreeMap::new();
    for line in lib.lines().filter_map(|l| l.strip_prefix("// |")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let Ok(layer) = cells[0].parse::<usize>() else {
            continue;
        };
        for module in cells[2].split(',') {
            let module = module.trim().trim_matches('`');
            layers.insert(module.to_owned(), layer);
        }
    }
    layers
}

fn layer_of(module: &str, table: &BTreeMap<String, usize>) -> Option<usize> {
    let mut at = module.to_owned();
    loop {
        if let Some(layer) = table.get(&at) {
            return Some(*layer);
        }
        if at.is_empty() {
            return None;
        }
        at = parent_of(&at);
    }
}

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let edges = imports();
    // Depth-first search for a back edge; the circle is printed.
    fn visit(
        at: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if done.contains(at) {
            return;
        }
        if let Some(start) = stack.iter().position(|m| m == at) {
            panic!("import circle: {:?} -> {at}", &stack[start..]);
        }
        stack.push(at.to_owned());
        for next in edges.get(at).into_iter().flatten() {
            visit(next, edges, stack, done);
        }
        stack.pop();
        done.insert(at.to_owned());
    }
    let mut done = BTreeSet::new();
    for module in edges.keys().filter(|m| !m.is_empty()) {
        visit(module, &edges, &mut Vec::new(), &mut done);
    }
}

#[test]
fn every_import_goes_to_its_own_layer_or_a_lower_one() {
    let table = table();
    let edges = imports();
    let mut wrong = Vec::new();
    for (module, targets) in edges.iter().filter(|(m, _)| !m.is_empty()) {
        let Some(from) = layer_of(module, &table) else {
            wrong.push(format!("{module} is in no layer of the table"));
            continue;
        };
        for target in targets {
            let to = layer_of(target, &table).unwrap_or(usize::MAX);
            if to > from {
                wrong.push(format!(
                    "{module} (layer {from}) imports {target} (layer {to})"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn nothing_names_an_item_through_the_crate_root() {
    for (module, code) in modules() {
        for (at, _) in code.match_indices("crate::") {
            let next = code[at + 7..].chars().next().unwrap_or(' ');
            assert!(
                !next.is_ascii_uppercase(),
                "{module} names crate::{} through the root",
                &code[at + 7..]
                    .split(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap()
            );
        }
    }
}

#[test]
fn the_scanner_sees_imports_and_re_exports() {
    let edges = imports();
    // A plain import, one through a facade, and one through `super`.
    assert!(edges["de"].contains("error"));
    assert!(edges["customer::upsert"].contains("customer::resource"));
    assert!(edges["contact::hash"].contains("contact::primary_address"));
    // A facade imports the children it re-exports.
    assert!(edges["customer"].contains("customer::upsert"));
}
