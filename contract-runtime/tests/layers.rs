//! The module layers of `fabric-contract` are strict: a module imports only from layers below
//! its own, so there is no dependency loop among modules.
//!
//! The layer list is read from ARCHITECTURE.md (the lines between `<!-- layers:begin -->` and
//! `<!-- layers:end -->`), so the document and this check cannot drift apart. Every `crate::…`
//! path in the crate's sources (imports and inline paths alike, comments excluded) and every
//! `super::` chain that climbs to the crate root is resolved to the top-level module it names;
//! names re-exported at the crate root (`crate::ContractError`) count as the module they come
//! from, as `lib.rs` declares.

#![allow(missing_docs)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Top-level module → layer index (0 is the bottom).
type Layers = BTreeMap<String, usize>;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Parses the layer block of ARCHITECTURE.md: one line per layer, bottom first, written
/// `N  module module …` (anything after `—` is commentary).
fn layers_from(doc: &str) -> Layers {
    let begin = doc
        .find("<!-- layers:begin -->")
        .expect("ARCHITECTURE.md must mark its layer list with <!-- layers:begin -->");
    let end = doc
        .find("<!-- layers:end -->")
        .expect("ARCHITECTURE.md must end its layer list with <!-- layers:end -->");
    let mut layers = Layers::new();
    for line in doc[begin..end].lines().skip(1) {
        let line = line.split('—').next().unwrap_or_default();
        let mut words = line.split_whitespace();
        let Some(Ok(index)) = words.next().map(str::parse::<usize>) else {
            continue;
        };
        for module in words {
            let module = module.trim_matches(|c: char| c == '`' || c == ',');
            let previous = layers.insert(module.to_string(), index);
            assert!(previous.is_none(), "{module} is listed in two layers");
        }
    }
    assert!(
        !layers.is_empty(),
        "the layer list in ARCHITECTURE.md is empty"
    );
    layers
}

/// Root names (`pub use module::…::Name` in lib.rs) → the module they come from.
fn root_names(lib: &str) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    let code = strip_comments(lib);
    for statement in code.split(';') {
        let statement = statement.trim();
        let Some(path) = statement.strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, rest)) = path.split_once("::") else {
            continue;
        };
        for name in identifiers(rest) {
            names.insert(name.to_string(), module.trim().to_string());
        }
    }
    names
}

fn identifiers(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

/// The source without comments (doc links are not imports), line numbers kept.
fn strip_comments(source: &str) -> String {
    source
        .lines()
        .map(|line| match line.find("//") {
            // A `//` inside a string literal is rare in this crate and would only hide text.
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One import of another top-level module.
#[derive(Debug, PartialEq)]
struct Import {
    line: usize,
    path: String,
    target: String,
}

/// The top-level modules `source` names, for a file whose module path (below the crate root)
/// is `module_path` (`["state", "map"]` for src/state/map.rs).
fn imports(source: &str, module_path: &[String], root: &BTreeMap<String, String>) -> Vec<Import> {
    let mut found = Vec::new();
    let code = strip_comments(source);
    // Inline modules (`mod tests { … }`) deepen what `super::` climbs from.
    let mut depth = 0usize;
    let mut inline: Vec<usize> = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let mut here = module_path.to_vec();
        here.extend(inline.iter().map(|_| "<inline>".to_string()));
        let opens_inline = line.trim_start().starts_with("mod ")
            || (line.contains(" mod ") && line.trim_end().ends_with('{'));
        let mut opens_inline = opens_inline;
        for c in line.chars() {
            match c {
                '{' => {
                    if opens_inline {
                        inline.push(depth);
                        opens_inline = false;
                    }
                    depth += 1;
                }
                '}' => {
                    depth = depth.saturating_sub(1);
                    if inline.last() == Some(&depth) {
                        inline.pop();
                    }
                }
                _ => {}
            }
        }
        let module_path = &here;
        let mut rest = line;
        while let Some(at) = find_path_start(rest) {
            let tail = &rest[at..];
            let (segments, consumed) = path_segments(tail);
            rest = &tail[consumed.max(1)..];
            let Some(after_root) = climb_to_root(&segments, module_path) else {
                continue;
            };
            // `crate::{a::x, b}` names several modules at once.
            let names: Vec<String> = match after_root.first() {
                Some(first) if first == "{" => {
                    let group = group_text(tail);
                    group
                        .split(',')
                        .filter_map(|item| identifiers(item).next().map(str::to_string))
                        .collect()
                }
                Some(first) => vec![first.clone()],
                None => Vec::new(),
            };
            for name in names {
                let target = root.get(&name).cloned().unwrap_or(name);
                found.push(Import {
                    line: n + 1,
                    path: segments.join("::"),
                    target,
                });
            }
        }
    }
    found
}

/// The start of the next `crate::` or `super::` path that is not part of a longer word.
fn find_path_start(text: &str) -> Option<usize> {
    let mut best: Option<usize> = None;
    for needle in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(i) = text[from..].find(needle) {
            let at = from + i;
            let before = text[..at].chars().next_back();
            let standalone =
                !matches!(before, Some(c) if c.is_alphanumeric() || c == '_' || c == ':');
            if standalone {
                best = Some(best.map_or(at, |b| b.min(at)));
                break;
            }
            from = at + needle.len();
        }
    }
    best
}

/// `crate::a::b` → (["crate", "a", "b"], length); a `{` group ends the path as segment "{".
fn path_segments(text: &str) -> (Vec<String>, usize) {
    let mut segments = Vec::new();
    let mut pos = 0;
    loop {
        let word: String = text[pos..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if word.is_empty() {
            if text[pos..].starts_with('{') {
                segments.push("{".to_string());
            }
            break;
        }
        pos += word.len();
        segments.push(word);
        if text[pos..].starts_with("::") {
            pos += 2;
        } else {
            break;
        }
    }
    (segments, pos)
}

fn group_text(text: &str) -> String {
    let Some(open) = text.find('{') else {
        return String::new();
    };
    let mut depth = 0;
    let mut out = String::new();
    for c in text[open..].chars() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            // Only the first segment of each item matters; nested groups stay inside it.
            _ if depth == 1 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The segments after the crate root, or `None` when the path stays inside the file's own
/// top-level module (`super::x` from src/state/map.rs).
fn climb_to_root(segments: &[String], module_path: &[String]) -> Option<Vec<String>> {
    match segments.first().map(String::as_str) {
        Some("crate") => Some(segments[1..].to_vec()),
        Some("super") => {
            let supers = segments.iter().take_while(|s| *s == "super").count();
            // A `super::` that stays at or below the top-level module is internal.
            (supers >= module_path.len()).then(|| segments[supers..].to_vec())
        }
        _ => None,
    }
}

/// src/state/map.rs → ["state", "map"]; src/state/mod.rs → ["state"]; src/lib.rs → [].
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).expect("file under src");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("readable source folder")
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every import of a higher or same-layer module, as messages; empty when the order holds.
fn violations(
    layers: &Layers,
    root: &BTreeMap<String, String>,
    files: &[(PathBuf, Vec<String>, String)],
) -> Vec<String> {
    let mut problems = Vec::new();
    for (file, module_path, source) in files {
        let Some(own) = module_path.first() else {
            continue; // lib.rs is the facade: it re-exports from every layer.
        };
        let Some(&own_layer) = layers.get(own) else {
            problems.push(format!(
                "{}: module `{own}` is in no layer; add it to the layer list in ARCHITECTURE.md",
                file.display()
            ));
            continue;
        };
        for import in imports(source, module_path, root) {
            if &import.target == own {
                continue;
            }
            let Some(&target_layer) = layers.get(&import.target) else {
                problems.push(format!(
                    "{}:{}: `{}` names module `{}`, which is in no layer of ARCHITECTURE.md",
                    file.display(),
                    import.line,
                    import.path,
                    import.target
                ));
                continue;
            };
            if target_layer >= own_layer {
                problems.push(format!(
                    "{}:{}: `{}` imports `{}` (layer {target_layer}) from `{own}` (layer {own_layer}); \
                     a module may import only from layers below its own",
                    file.display(),
                    import.line,
                    import.path,
                    import.target
                ));
            }
        }
    }
    problems
}

#[test]
fn modules_import_only_from_lower_layers() {
    let root_dir = manifest_dir();
    let doc = std::fs::read_to_string(root_dir.join("../ARCHITECTURE.md"))
        .expect("ARCHITECTURE.md at the repository root");
    let layers = layers_from(&doc);
    let src = root_dir.join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("src/lib.rs");
    let root = root_names(&lib);

    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    let files: Vec<_> = paths
        .into_iter()
        .map(|path| {
            let source = std::fs::read_to_string(&path).expect("readable source file");
            let module = module_path(&src, &path);
            let shown = path.strip_prefix(&root_dir).unwrap_or(&path).to_path_buf();
            (shown, module, source)
        })
        .collect();
    assert!(files.len() > 20, "the crate's sources were not found");

    let problems = violations(&layers, &root, &files);
    assert!(
        problems.is_empty(),
        "the module layers are broken:\n{}",
        problems.join("\n")
    );
}

/// The checker itself: an upward import, a same-layer import, a root re-export and a `super::`
/// chain that leaves the module are caught; internal paths and comments are not.
#[test]
fn the_checker_catches_upward_imports() {
    let layers = layers_from(
        "<!-- layers:begin -->\n0  json\n1  error\n2  ledger state — comment\n3  ctx\n<!-- layers:end -->",
    );
    let root: BTreeMap<_, _> = [
        ("ContractError".to_string(), "error".to_string()),
        ("EvaluateCtx".to_string(), "ctx".to_string()),
    ]
    .into_iter()
    .collect();
    let file = |path: &str, module: &[&str], source: &str| {
        (
            PathBuf::from(path),
            module.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            source.to_string(),
        )
    };
    let files = vec![
        file(
            "src/error.rs",
            &["error"],
            "use crate::json::JsonError;\n// see crate::ctx\n",
        ),
        file(
            "src/ledger/read.rs",
            &["ledger", "read"],
            "use super::keys::check;\nuse crate::{ContractError, json};\n",
        ),
        file(
            "src/state/map.rs",
            &["state", "map"],
            "fn f() { crate::ledger::x(); }\nuse super::super::ctx::EvaluateCtx;\n",
        ),
        file(
            "src/json.rs",
            &["json"],
            "impl From<E> for crate::ContractError {}\n#[cfg(test)]\nmod tests {\n    use super::{JsonError, f};\n}\n",
        ),
        file(
            "src/ledger/mod.rs",
            &["ledger"],
            "use crate::{EvaluateCtx, state::Map};\n",
        ),
    ];
    let problems = violations(&layers, &root, &files);
    assert_eq!(problems.len(), 5, "{problems:#?}");
    assert!(problems[0].starts_with("src/state/map.rs:1: `crate::ledger::x` imports `ledger` (layer 2) from `state` (layer 2)"), "{problems:#?}");
    assert!(
        problems[1].starts_with(
            "src/state/map.rs:2: `super::super::ctx::EvaluateCtx` imports `ctx` (layer 3)"
        ),
        "{problems:#?}"
    );
    assert!(
        problems[2].starts_with(
            "src/json.rs:1: `crate::ContractError` imports `error` (layer 1) from `json` (layer 0)"
        ),
        "{problems:#?}"
    );
    assert!(
        problems[3].contains("imports `ctx` (layer 3) from `ledger` (layer 2)"),
        "{problems:#?}"
    );
    assert!(
        problems[4].contains("imports `state` (layer 2) from `ledger` (layer 2)"),
        "{problems:#?}"
    );
}
