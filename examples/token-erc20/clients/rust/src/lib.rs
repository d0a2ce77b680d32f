//! Typed Rust client of the `token-erc20` chaincode, generated from the metadata the chaincode
//! serves: [`SmartContractClient`] has one method per transaction (`submit_*` or `evaluate_*` by
//! its tag) with typed parameters and results (balances are `i64`), and failures arrive as
//! [`SmartContractError`].
//!
//! `src/client.rs` is generated; regenerate it with
//! `cargo run -p token-erc20 -- client --lang rust --out examples/token-erc20/clients/rust/src`
//! (`--check` fails when it is stale).
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use fabric_dev_gateway::client::{Gateway, Signer};
//! use token_erc20_client::SmartContractClient;
//!
//! let signer = Signer::from_msp_dir("Org1MSP", "fabric-dev-crypto/admin@Org1MSP/msp".as_ref())?;
//! let gateway = Gateway::connect("127.0.0.1:7051", None, signer).await?;
//! let token = SmartContractClient::new(gateway.contract("mychannel", "token_erc20"));
//! token.submit_mint(5000).await?;
//! assert_eq!(token.evaluate_client_account_balance().await?, 5000);
//! # Ok(()) }
//! ```

// Generated code, formatted by the generator (prettyplease): rustfmt would make it differ from
// what `client --check` compares it with.
#[rustfmt::skip]
mod client;

pub use client::*;
