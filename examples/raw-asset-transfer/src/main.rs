//! Serves [`RawAssetTransfer`] with the standard chaincode command line.

use raw_asset_transfer::RawAssetTransfer;

fn main() -> std::process::ExitCode {
    fabric_contract::run_chaincode(|| RawAssetTransfer)
}
