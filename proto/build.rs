//! Compiles `protos/**/*.proto` with `protox` (pure Rust), so no machine needs a
//! system `protoc`, then generates prost messages and tonic client/server code.

use std::path::PathBuf;

const FILES: &[&str] = &[
    "peer/chaincode_shim.proto",
    "peer/chaincode.proto",
    "peer/chaincode_event.proto",
    "peer/proposal.proto",
    "peer/proposal_response.proto",
    "peer/transaction.proto",
    "common/common.proto",
    "common/policies.proto",
    "msp/msp_principal.proto",
    "msp/identities.proto",
    "ledger/queryresult/kv_query_result.proto",
];

/// Messages only the dev peer's Gateway service needs (feature `gateway`), so
/// chaincode binaries do not compile them.
const GATEWAY_FILES: &[&str] = &[
    "gateway/gateway.proto",
    "common/block.proto",
    "orderer/ab.proto",
    "peer/endorsement.proto",
    "google/rpc/status.proto",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?).join("protos");
    println!("cargo:rerun-if-changed={}", root.display());
    let gateway = std::env::var_os("CARGO_FEATURE_GATEWAY").is_some();
    let files: Vec<PathBuf> = FILES
        .iter()
        .chain(if gateway { GATEWAY_FILES } else { &[] })
        .map(|f| root.join(f))
        .collect();
    let descriptors = protox::compile(&files, [&root])?;
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .build_transport(false)
        // BTreeMap makes map fields (transient map, decorations) encode in key
        // order, so a proposal built twice is the same bytes.
        .btree_map(".")
        .compile_fds(descriptors)?;
    Ok(())
}
