//! Typed Rust client of the `asset-transfer-basic` chaincode, generated from the metadata the
//! chaincode serves: [`SmartContractClient`] has one method per transaction (`submit_*` or
//! `evaluate_*` by its tag) with typed parameters and results ([`Asset`]), and failures arrive
//! as [`SmartContractError`].
//!
//! `src/client.rs` is generated; regenerate it with
//! `cargo run -p asset-transfer-basic -- client --lang rust --out examples/asset-transfer-basic/clients/rust/src`
//! (`--check` fails when it is stale).
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use asset_transfer_basic_client::{SmartContractClient, SmartContractError};
//! use fabric_dev_gateway::client::{Gateway, Signer};
//!
//! let signer = Signer::from_msp_dir("Org1MSP", "fabric-dev-crypto/admin@Org1MSP/msp".as_ref())?;
//! let gateway = Gateway::connect("127.0.0.1:7051", None, signer).await?;
//! let basic = SmartContractClient::new(gateway.contract("mychannel", "basic"));
//! basic.submit_create_asset("asset7", "blue", 5, "Tom", 300).await?;
//! let asset = basic.evaluate_read_asset("asset7").await?;
//! assert_eq!(asset.owner, "Tom");
//! match basic.submit_update_asset("asset70", "blue", 5, "Tomoko", 300).await {
//!     Err(SmartContractError::Chaincode(failure)) => println!("refused: {}", failure.message),
//!     other => println!("{other:?}"),
//! }
//! # Ok(()) }
//! ```

// Generated code, formatted by the generator (prettyplease): rustfmt would make it differ from
// what `client --check` compares it with.
#[rustfmt::skip]
mod client;

pub use client::*;
