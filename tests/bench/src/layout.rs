//! Hot-code layout: which functions a chaincode runs, read from callgrind profiles, as a linker
//! symbol-ordering file.
//!
//! A chaincode's resident memory is mostly its own code: each page fault on the binary maps the
//! 64 KiB around it (the kernel's fault-around), so the code touched is as large as the stretch of
//! the binary it is spread over. Linking the functions a transaction runs next to each other
//! (LLD's `--symbol-ordering-file`) shrinks that stretch to about the size of the code itself.
//! `tests/bench/lean-build.sh` profiles each contender under
//! `valgrind --tool=callgrind --demangle=no` and relinks it with the list this module writes.

use std::collections::HashMap;

/// Executed functions of one or more callgrind profiles, with their exclusive instruction counts.
#[derive(Debug, Default)]
pub struct HotFunctions {
    cost: HashMap<String, u64>,
}

impl HotFunctions {
    /// Adds one callgrind output file (format version 1, name compression allowed).
    ///
    /// ```
    /// use fabric_contract_bench::layout::HotFunctions;
    /// let mut hot = HotFunctions::default();
    /// hot.add_profile("fn=(1) _ZN4main17h0E\n0 10\ncfn=(2) memcpy\ncalls=1 0\n0 5\nfn=(2)\n0 5\n");
    /// assert_eq!(hot.ordering(), ["_ZN4main17h0E", "memcpy"]);
    /// ```
    pub fn add_profile(&mut self, text: &str) {
        let mut names: HashMap<&str, &str> = HashMap::new();
        let mut current: Option<String> = None;
        // The cost line right after `calls=` is the callee's inclusive cost, not the caller's own.
        let mut after_calls = false;
        for line in text.lines() {
            if let Some(spec) = line.strip_prefix("fn=") {
                current = resolve(spec, &mut names).map(symbol_name);
                after_calls = false;
            } else if let Some(spec) = line.strip_prefix("cfn=") {
                // Records the name only: a callee's compressed id may be defined here first.
                resolve(spec, &mut names);
            } else if line.starts_with("calls=") {
                after_calls = true;
            } else if line
                .starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-' || c == '*')
            {
                let own = !std::mem::take(&mut after_calls);
                let events = line
                    .split_whitespace()
                    .nth(1)
                    .and_then(|n| n.parse::<u64>().ok());
                if let (true, Some(name), Some(n)) = (own, &current, events) {
                    *self.cost.entry(name.clone()).or_default() += n;
                }
            }
        }
    }

    /// The executed functions, most instructions first (ties by name, so the file is stable).
    pub fn ordering(&self) -> Vec<&str> {
        let mut list: Vec<(&str, u64)> = self
            .cost
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(name, n)| (name.as_str(), *n))
            .collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        list.into_iter().map(|(name, _)| name).collect()
    }
}

/// `(id) name` defines id; `(id)` refers back to it; a bare name has no id.
fn resolve<'a>(spec: &'a str, names: &mut HashMap<&'a str, &'a str>) -> Option<&'a str> {
    let Some(rest) = spec.strip_prefix('(') else {
        return Some(spec.trim());
    };
    let (id, name) = rest.split_once(')')?;
    let name = name.trim();
    if name.is_empty() {
        names.get(id).copied()
    } else {
        names.insert(id, name);
        Some(name)
    }
}

/// The linker's name for a profile's function: callgrind marks recursion levels with `'N`.
fn symbol_name(name: &str) -> String {
    match name.rsplit_once('\'') {
        Some((base, level)) if level.chars().all(|c| c.is_ascii_digit()) => base.to_owned(),
        _ => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_costs_rank_functions_and_callee_costs_do_not_count_for_callers() {
        let profile = "\
version: 1
events: Ir
fn=(1) _ZN3big17h1E
0 100
cfn=(2) _ZN5small17h2E
calls=3 0
0 1000
fn=(2)
0 30
fn=(3) _ZN7recurse17h3E'2
0 50
fn=(4) never_cost
";
        let mut hot = HotFunctions::default();
        hot.add_profile(profile);
        hot.add_profile("fn=(9) _ZN5small17h2E\n0 500\n");
        assert_eq!(
            hot.ordering(),
            ["_ZN5small17h2E", "_ZN3big17h1E", "_ZN7recurse17h3E"]
        );
    }
}
