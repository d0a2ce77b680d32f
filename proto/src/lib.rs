//! Protocol messages of the Hyperledger Fabric peer–chaincode stream.
//!
//! This crate is the bottom of the stack: the shim (`fabric-contract`) and the
//! emulated peer both speak through these types. The `.proto` files under
//! `protos/` are written for this project from Fabric's published field
//! numbers and package names, so every message encodes to the same bytes a
//! Fabric peer produces and expects. They are compiled at build time with
//! `protox`, so no system `protoc` is needed.
//!
//! Modules follow the proto packages: [`protos`] (the chaincode stream and
//! proposals), [`common`] (headers, signature policies, MSP principals),
//! [`msp`] (serialized identities) and [`queryresult`] (query records).
//!
//! ```
//! use fabric_contract_proto::protos::{chaincode_message::Type, ChaincodeId, ChaincodeMessage};
//! use prost::Message;
//!
//! let register = ChaincodeMessage {
//!     r#type: Type::Register as i32,
//!     payload: ChaincodeId { name: "mycc:1.0".into(), ..Default::default() }.encode_to_vec(),
//!     ..Default::default()
//! };
//! assert_eq!(register.encode_to_vec(), b"\x08\x01\x1a\x0a\x12\x08mycc:1.0");
//! ```

#![allow(missing_docs)] // generated code carries the .proto comments only

/// Package `protos`: the chaincode stream, chaincode specs, proposals and responses.
pub mod protos {
    tonic::include_proto!("protos");
}

/// Package `common`: headers, signature policies and MSP principals.
pub mod common {
    tonic::include_proto!("common");
}

/// Package `msp`: serialized identities.
pub mod msp {
    tonic::include_proto!("msp");
}

/// Package `queryresult`: records returned by range, rich and history queries.
pub mod queryresult {
    tonic::include_proto!("queryresult");
}

/// Package `gateway`: the Fabric Gateway service (feature `gateway`).
#[cfg(feature = "gateway")]
pub mod gateway {
    tonic::include_proto!("gateway");
}

/// Package `orderer`: seek positions (feature `gateway`).
#[cfg(feature = "gateway")]
pub mod orderer {
    tonic::include_proto!("orderer");
}

/// Package `google.rpc`: the rich status carried in `grpc-status-details-bin`
/// (feature `gateway`).
#[cfg(feature = "gateway")]
pub mod google_rpc {
    tonic::include_proto!("google.rpc");
}

pub use prost::Message;
pub use prost_types::Timestamp;

impl protos::Response {
    /// Status 200 with a payload: what a transaction that succeeded answers.
    ///
    /// ```
    /// let ok = fabric_contract_proto::protos::Response::success(b"ok".to_vec());
    /// assert_eq!((ok.status, ok.payload.as_slice()), (200, &b"ok"[..]));
    /// ```
    pub fn success(payload: Vec<u8>) -> Self {
        Self {
            status: 200,
            message: String::new(),
            payload,
        }
    }

    /// Status 500 with a message: what a failed transaction answers.
    ///
    /// ```
    /// let err = fabric_contract_proto::protos::Response::error("boom");
    /// assert_eq!((err.status, err.message.as_str()), (500, "boom"));
    /// ```
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            status: 500,
            message: message.into(),
            payload: Vec::new(),
        }
    }

    /// Whether the peer would endorse this response (status below 400).
    pub fn is_endorsable(&self) -> bool {
        self.status < 400
    }
}

impl protos::chaincode_message::Type {
    /// The type of a raw `type` field, or `None` for a number no Fabric version defines.
    pub fn from_wire(value: i32) -> Option<Self> {
        Self::try_from(value).ok()
    }
}
