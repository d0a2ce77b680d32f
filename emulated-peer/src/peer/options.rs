//! The peer's configuration: channels, committed chaincode definitions and
//! behaviour switches.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use super::members::{CollectionAccess, CollectionConfigError};
use super::profile::{FabricVersion, RuntimeParams};
use crate::ledger::DEFAULT_TOTAL_QUERY_LIMIT;

/// A chaincode definition committed on the emulated channels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChaincodeDefinition {
    /// Chaincode name = ledger namespace, used by invocations.
    pub name: String,
    /// Definition version (the value of the init marker).
    pub version: String,
    /// The id the chaincode must REGISTER with (package id, or `name:version`
    /// in dev mode); defaults to `name`.
    pub registration_id: String,
    /// Whether the first invocation of this version must be an init.
    pub init_required: bool,
    /// Private data collections defined for the chaincode.
    pub collections: BTreeSet<String>,
    /// Member-only read/write rules of collections (none: every caller may read and write).
    pub collection_access: BTreeMap<String, CollectionAccess>,
}

impl ChaincodeDefinition {
    /// Version "1.0", registered as `name`, no init, no collections.
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_string(),
            version: "1.0".into(),
            registration_id: name.to_string(),
            init_required: false,
            collections: BTreeSet::new(),
            collection_access: BTreeMap::new(),
        }
    }

    /// Sets the definition version.
    pub fn version(mut self, version: &str) -> Self {
        self.version = version.to_string();
        self
    }

    /// Sets the id expected in REGISTER.
    pub fn registration_id(mut self, id: &str) -> Self {
        self.registration_id = id.to_string();
        self
    }

    /// Requires an init invocation first.
    pub fn init_required(mut self, required: bool) -> Self {
        self.init_required = required;
        self
    }

    /// Defines a private data collection.
    pub fn collection(mut self, name: &str) -> Self {
        self.collections.insert(name.to_string());
        self
    }

    /// Defines a private data collection with member-only read/write rules.
    pub fn collection_access(mut self, name: &str, access: CollectionAccess) -> Self {
        self.collections.insert(name.to_string());
        self.collection_access.insert(name.to_string(), access);
        self
    }

    /// Defines the collections of a collection configuration file (`collections_config.json`,
    /// as passed to `peer lifecycle chaincode approveformyorg --collections-config`), with their
    /// member organisations and `memberOnlyRead` / `memberOnlyWrite` rules.
    pub fn collections_config(mut self, json: &str) -> Result<Self, CollectionConfigError> {
        for (name, access) in super::members::parse_config(json)? {
            self = self.collection_access(&name, access);
        }
        Ok(self)
    }
}

/// How the emulated peer behaves.
#[derive(Debug, Clone)]
pub struct PeerOptions {
    /// Emulated Fabric version (default 2.5).
    pub version: FabricVersion,
    /// READY capabilities for [`FabricVersion::V3_1`].
    pub runtime_params: RuntimeParams,
    /// End the stream on unknown message types and answer concurrent requests
    /// with ERROR (default true).
    pub strict: bool,
    /// Send KEEPALIVE at this interval in every state (default off).
    pub keepalive: Option<Duration>,
    /// `ledger.state.totalQueryLimit` for a ledger the peer creates.
    pub total_query_limit: usize,
    /// Channels that exist (default `["mychannel"]`; the first is the default).
    pub channels: Vec<String>,
    /// Committed chaincode definitions by name.
    pub chaincodes: BTreeMap<String, ChaincodeDefinition>,
    /// Accept registrations under any id (the peer's dev mode).
    pub dev_mode: bool,
    /// The peer's MSP id, also the default creator's.
    pub msp_id: String,
    /// Bound on every wait for the chaincode (Fabric's `executetimeout`).
    pub execute_timeout: Duration,
}

impl Default for PeerOptions {
    fn default() -> Self {
        Self {
            version: FabricVersion::V2_5,
            runtime_params: RuntimeParams::default(),
            strict: true,
            keepalive: None,
            total_query_limit: DEFAULT_TOTAL_QUERY_LIMIT,
            channels: vec!["mychannel".into()],
            chaincodes: BTreeMap::new(),
            dev_mode: false,
            msp_id: "Org1MSP".into(),
            execute_timeout: Duration::from_secs(30),
        }
    }
}

impl PeerOptions {
    /// Sets the Fabric version.
    pub fn fabric(mut self, version: FabricVersion) -> Self {
        self.version = version;
        self
    }
    /// Sets the 3.1+ READY capabilities.
    pub fn runtime_params(mut self, params: RuntimeParams) -> Self {
        self.runtime_params = params;
        self
    }
    /// Sets strict mode.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }
    /// Sends KEEPALIVE every `interval`.
    pub fn keepalive(mut self, interval: Duration) -> Self {
        self.keepalive = Some(interval);
        self
    }
    /// Sets the total query limit.
    pub fn total_query_limit(mut self, limit: usize) -> Self {
        self.total_query_limit = limit;
        self
    }
    /// Replaces the channel list.
    pub fn channels<I: IntoIterator<Item = S>, S: Into<String>>(mut self, channels: I) -> Self {
        self.channels = channels.into_iter().map(Into::into).collect();
        self
    }
    /// Adds a chaincode definition.
    pub fn chaincode(mut self, def: ChaincodeDefinition) -> Self {
        self.chaincodes.insert(def.name.clone(), def);
        self
    }
    /// Accepts registrations under any id.
    pub fn dev_mode(mut self, on: bool) -> Self {
        self.dev_mode = on;
        self
    }
    /// Sets the peer's MSP id.
    pub fn msp_id(mut self, msp_id: &str) -> Self {
        self.msp_id = msp_id.to_string();
        self
    }
    /// Sets the execute timeout.
    pub fn execute_timeout(mut self, timeout: Duration) -> Self {
        self.execute_timeout = timeout;
        self
    }
}
