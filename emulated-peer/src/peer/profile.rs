//! Version profiles: what each emulated Fabric release accepts and announces.

use fabric_contract_proto::protos::chaincode_message::Type;

/// The Fabric release whose peer is emulated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FabricVersion {
    /// 2.2 LTS: no PURGE_PRIVATE_DATA; empty READY.
    V2_2,
    /// 2.5 LTS: PURGE_PRIVATE_DATA; empty READY.
    V2_5,
    /// 3.0: as 2.5.
    V3_0,
    /// 3.1+: WRITE_BATCH_STATE, GET_STATE_MULTIPLE, READY with capabilities.
    V3_1,
}

impl FabricVersion {
    /// Whether this peer version knows the message type (unknown ones end the
    /// stream on a real peer).
    pub fn knows(self, ty: Type) -> bool {
        match ty {
            Type::Undefined => false,
            Type::PurgePrivateData => self >= FabricVersion::V2_5,
            Type::WriteBatchState | Type::GetStateMultiple => self >= FabricVersion::V3_1,
            _ => true,
        }
    }
}

/// `chaincode.runtimeParams` of a 3.1+ peer, announced in READY.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuntimeParams {
    /// Whether shims may send WRITE_BATCH_STATE.
    pub use_write_batch: bool,
    /// Announced batch size (0 falls back to 1000, as on the peer).
    pub max_size_write_batch: u32,
    /// Whether shims may send GET_STATE_MULTIPLE.
    pub use_get_multiple_keys: bool,
    /// Announced multi-get size (0 falls back to 1000).
    pub max_size_get_multiple_keys: u32,
}

impl Default for RuntimeParams {
    /// The sample `core.yaml`: both features on, sizes 1000.
    fn default() -> Self {
        Self {
            use_write_batch: true,
            max_size_write_batch: 1000,
            use_get_multiple_keys: true,
            max_size_get_multiple_keys: 1000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_profiles() {
        assert!(!FabricVersion::V2_2.knows(Type::PurgePrivateData));
        assert!(FabricVersion::V2_5.knows(Type::PurgePrivateData));
        assert!(!FabricVersion::V3_0.knows(Type::WriteBatchState));
        assert!(FabricVersion::V3_1.knows(Type::GetStateMultiple));
    }
}
