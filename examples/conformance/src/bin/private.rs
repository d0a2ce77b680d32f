//! The `private` conformance chaincode (collection `Org1AndOrg2`, see
//! `collections_config.json`): serve (default), metadata, dev, package.

fn main() -> std::process::ExitCode {
    fabric_contract::run::<conformance::private::PrivateContract>()
}
