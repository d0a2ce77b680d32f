//! Contender 2: `examples/raw-asset-transfer` (the runtime's raw handler API),
//! built here with the same `main` as the example's binary so one
//! `cargo run -p fabric-contract-bench` builds every contender with the
//! bench's profile.

use raw_asset_transfer::RawAssetTransfer;

fn main() -> std::process::ExitCode {
    fabric_contract::run_chaincode(|| RawAssetTransfer)
}
