//! The determinism lint shared by `#[contract]` (parameter and return types) and `#[object]`
//! (field types): endorsing peers must compute byte-identical results, so types whose iteration
//! order is random are rejected where they would reach JSON.

use syn::visit::Visit;

use super::diagnostics::Errors;

/// Reports every `HashMap` / `HashSet` inside `ty`, at the offending segment, with the fix.
pub fn check_type(ty: &syn::Type, errors: &mut Errors) {
    UnorderedCollections { errors }.visit_type(ty);
}

struct UnorderedCollections<'e> {
    errors: &'e mut Errors,
}

impl<'ast> Visit<'ast> for UnorderedCollections<'_> {
    fn visit_path_segment(&mut self, seg: &'ast syn::PathSegment) {
        let fix = match seg.ident.to_string().as_str() {
            "HashMap" => Some("BTreeMap"),
            "HashSet" => Some("BTreeSet"),
            _ => None,
        };
        if let Some(fix) = fix {
            let name = &seg.ident;
            self.errors.at(
                name,
                format!("`{name}` iterates in random order, so endorsing peers would produce different JSON: use `{fix}`"),
            );
        }
        syn::visit::visit_path_segment(self, seg);
    }
}

/// Reports clocks and randomness in a method body: endorsing peers would compute different
/// results.
pub fn check_body(block: &syn::Block, errors: &mut Errors) {
    NonDeterminism { errors }.visit_block(block);
}

struct NonDeterminism<'e> {
    errors: &'e mut Errors,
}

const CLOCK: &str = "the clock differs between endorsing peers: use `ctx.timestamp()`";
const RANDOM: &str = "randomness differs between endorsing peers: derive values from `ctx.tx_id()`";

impl<'ast> Visit<'ast> for NonDeterminism<'_> {
    fn visit_expr_path(&mut self, e: &'ast syn::ExprPath) {
        let segs: Vec<String> = e
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        let joined = segs.join("::");
        let clocks = ["SystemTime::now", "Instant::now", "Utc::now", "Local::now"];
        let why = if clocks.iter().any(|c| joined.ends_with(c)) {
            Some(CLOCK)
        } else if segs.last().is_some_and(|l| l == "thread_rng")
            || (segs.last().is_some_and(|l| l == "random") && segs[0] == "rand")
        {
            Some(RANDOM)
        } else {
            None
        };
        if let Some(why) = why {
            self.errors.at(
                &e.path,
                format!("`{joined}` makes the transaction non-deterministic: {why} (opt out with `#[contract(allow_nondeterminism)]`)"),
            );
        }
        syn::visit::visit_expr_path(self, e);
    }
}
