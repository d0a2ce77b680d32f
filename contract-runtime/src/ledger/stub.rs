//! The raw context: one transaction's [`Stub`].

use std::sync::Arc;

use fabric_contract_proto::protos::ChaincodeInput;

use super::read::LedgerRead;
use super::sealed::{self, Core};
use super::write::LedgerWrite;
use crate::tx::{TxFacts, TxHandle};

/// One transaction's view of the ledger and of its own proposal: the context of the raw
/// [`Chaincode`](crate::Chaincode) API. It reads and writes through [`LedgerRead`] and
/// [`LedgerWrite`].
///
/// Cloning is cheap: clones share the transaction.
#[derive(Clone)]
pub struct Stub {
    pub(super) core: Arc<Core>,
}

impl std::fmt::Debug for Stub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stub")
            .field("channel_id", &self.channel_id())
            .field("tx_id", &self.tx_id())
            .field("is_init", &self.core.is_init)
            .finish()
    }
}

impl Stub {
    /// The stub of a transaction started by an INIT (`is_init_message`) or TRANSACTION message.
    pub(crate) fn new(
        handle: Arc<TxHandle>,
        input: ChaincodeInput,
        facts: TxFacts,
        is_init_message: bool,
    ) -> Self {
        Self {
            core: Arc::new(Core {
                handle,
                input,
                facts,
                is_init: is_init_message,
            }),
        }
    }
}

impl sealed::Sealed for Stub {
    fn core(&self) -> &Core {
        &self.core
    }
}
impl LedgerRead for Stub {}
impl LedgerWrite for Stub {}
