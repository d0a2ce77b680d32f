//! The chaincodes of Hyperledger Fabric's cross-language conformance suite,
//! `fabric-chaincode-integration` (hyperledger/fabric-test, `tools/chaincode-integration`),
//! written with `#[contract]` the way a contract author would write them.
//!
//! The suite deploys chaincodes with fixed names and interfaces and drives them through the
//! Gateway client; each module here is one of them, and each has its own binary:
//!
//! | binary | contract | module |
//! |---|---|---|
//! | `simple` | `SimpleContract` | [`simple`] |
//! | `ccaas` | `SimpleContract`, served as chaincode-as-a-service | [`simple`] |
//! | `advancedtypes` | `AdvancedTypesContract` | [`advancedtypes`] |
//! | `transactionhooks` | `TransactionHookContract` | [`transactionhooks`] |
//! | `private` | `PrivateContract` on collection `Org1AndOrg2` | [`private`] |
//!
//! Results are plain text for strings, numbers and booleans (`1`, `1.1`, `true`) and JSON for
//! arrays and objects, as the suite expects of every language.

pub mod advancedtypes;
pub mod private;
pub mod simple;
pub mod transactionhooks;
