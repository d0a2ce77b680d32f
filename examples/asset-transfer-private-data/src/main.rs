//! The chaincode binary: serve (default), metadata, dev, package.

fn main() -> std::process::ExitCode {
    fabric_contract::run::<asset_transfer_private_data::SmartContract>()
}
