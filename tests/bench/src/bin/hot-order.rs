//! Writes a linker symbol-ordering file from callgrind profiles: the functions a chaincode ran,
//! most instructions first. See `fabric_contract_bench::layout` and `tests/bench/lean-build.sh`.
//!
//! `hot-order OUT PROFILE...`

use std::process::ExitCode;

use fabric_contract_bench::layout::HotFunctions;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((out, profiles)) = args.split_first().filter(|(_, p)| !p.is_empty()) else {
        eprintln!("usage: hot-order OUT PROFILE... (callgrind outputs made with --demangle=no)");
        return ExitCode::from(2);
    };
    let mut hot = HotFunctions::default();
    for path in profiles {
        match std::fs::read_to_string(path) {
            Ok(text) => hot.add_profile(&text),
            Err(e) => {
                eprintln!("hot-order: cannot read the profile {path}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let ordering = hot.ordering();
    if ordering.is_empty() {
        eprintln!(
            "hot-order: the profiles name no executed function: were they made by callgrind?"
        );
        return ExitCode::FAILURE;
    }
    let mut text = ordering.join("\n");
    text.push('\n');
    if let Err(e) = std::fs::write(out, text) {
        eprintln!("hot-order: cannot write {out}: {e}");
        return ExitCode::FAILURE;
    }
    println!("hot-order: {} functions into {out}", ordering.len());
    ExitCode::SUCCESS
}
