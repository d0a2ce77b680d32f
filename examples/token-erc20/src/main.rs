//! The chaincode binary: serve (default), metadata, dev, package.

fn main() -> std::process::ExitCode {
    fabric_contract::run::<token_erc20::SmartContract>()
}
