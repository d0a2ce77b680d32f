//! The raw context: one transaction's [`Stub`].

use std::sync::Arc;

use prost::bytes::Bytes;

use super::read::LedgerRead;
use super::sealed::{self, Core};
use super::write::LedgerWrite;
use crate::tx::{TxFacts, TxHandle, TxInput};

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
        input: TxInput,
        facts: TxFacts,
        is_init_message: bool,
    ) -> Self {
        Self {
            core: Arc::new(Core {
                handle,
                input,
                facts,
                is_init: is_init_message,
                client: Default::default(),
            }),
        }
    }

    /// The arguments, the function name first, as slices of the received message (what the
    /// contract router decodes; [`LedgerRead::args`] lends copies).
    pub(crate) fn arg_slices(&self) -> &[Bytes] {
        self.core.input.args()
    }

    /// Why the transaction's proposal could not be read, once the contract asked for one of its
    /// facts and it could not be (the transaction must then fail).
    pub(crate) fn proposal_failure(&self) -> Option<&crate::StubError> {
        self.core.facts.failure()
    }
}

impl sealed::Sealed for Stub {
    fn core(&self) -> &Core {
        &self.core
    }
}
impl LedgerRead for Stub {}
impl LedgerWrite for Stub {}
