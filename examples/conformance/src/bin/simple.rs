//! The `simple` conformance chaincode: serve (default), metadata, dev, package.

fn main() -> std::process::ExitCode {
    fabric_contract::run::<conformance::simple::SimpleContract>()
}
