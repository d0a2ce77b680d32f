//! Everything this crate takes from the emulated peer and the test identities,
//! in one place, so moving the emulated peer to its own crate changes only
//! these paths.

pub use fabric_contract::testing::identity::TestCa;
pub use fabric_contract::testing::ledger::{CommitError, Ledger};
pub use fabric_contract::testing::peer::{
    ChaincodeDefinition, EmulatedPeer, Endorsement, FabricVersion, Invocation, PeerError,
    PeerOptions,
};
pub use fabric_contract_proto::protos::chaincode_message::Type as MessageType;
