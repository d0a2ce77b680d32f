//! The `ccaas` conformance chaincode: `simple`'s contract, deployed as chaincode-as-a-service.
//! Started with `CHAINCODE_SERVER_ADDRESS` and `CHAINCODE_ID` (or `serve --server`) it listens
//! for the peer; `package --label ccaas_1.0 --address host:port` writes its CCaaS package.

fn main() -> std::process::ExitCode {
    fabric_contract::run::<conformance::simple::SimpleContract>()
}
