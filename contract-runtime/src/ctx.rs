//! The contexts a transaction method receives: [`SubmitCtx`] for submit transactions and
//! [`EvaluateCtx`] for evaluate transactions and hooks.
//!
//! The ledger API is not repeated here: both contexts implement
//! [`LedgerRead`], and only `SubmitCtx` implements [`LedgerWrite`], so read-only access is a
//! type and writing in an evaluate method does not compile. A `SubmitCtx` dereferences to an
//! `EvaluateCtx`, and [`SubmitCtx::read_only`] hands the read-only view to helpers.
//!
//! ```
//! use fabric_contract::prelude::*;
//!
//! async fn owner_of(ctx: &EvaluateCtx, id: &str) -> Result<Option<Vec<u8>>, StubError> {
//!     ctx.get_state(id).await
//! }
//!
//! async fn transfer(ctx: &SubmitCtx, id: &str, to: &str) -> Result<(), StubError> {
//!     let _old = owner_of(ctx.read_only(), id).await?;
//!     ctx.put_state(id, to.as_bytes()).await
//! }
//! ```

use std::ops::Deref;

use fabric_contract_proto::Message;

use crate::ContractError;
use crate::identity::ClientIdentity;
use crate::ledger::sealed::{Core, Sealed};
use crate::ledger::stub::Stub;
use crate::ledger::{LedgerRead, LedgerWrite};

/// The read-only context of an evaluate transaction (and of hooks): the ledger's
/// [`LedgerRead`] half plus the caller's identity.
#[derive(Debug, Clone)]
pub struct EvaluateCtx {
    stub: Stub,
}

/// The context of a submit transaction: [`LedgerRead`] and [`LedgerWrite`], plus everything of
/// [`EvaluateCtx`] (through `Deref`).
#[derive(Debug, Clone)]
pub struct SubmitCtx {
    view: EvaluateCtx,
}

impl EvaluateCtx {
    /// The read-only context over a transaction's stub (for raw [`Chaincode`](crate::Chaincode)
    /// implementations that hand a read-only view to helpers).
    pub fn new(stub: Stub) -> Self {
        Self { stub }
    }

    /// The calling client, as Fabric's Go client-identity library presents it
    /// (parsed once per transaction). Fails for creators that are not X.509
    /// certificates (e.g. idemix) with a clear message.
    ///
    /// ```no_run
    /// # async fn f(ctx: &fabric_contract::EvaluateCtx) -> Result<(), fabric_contract::ContractError> {
    /// let caller = ctx.client()?;
    /// tracing::info!(msp = caller.msp_id(), id = %caller.id(), "called");
    /// caller.assert_attr("role", "auditor")?;
    /// # Ok(()) }
    /// ```
    pub fn client(&self) -> Result<&ClientIdentity, ContractError> {
        self.stub
            .core()
            .client()
            .as_ref()
            .map_err(|e| ContractError::new(e.to_string()))
    }

    /// The caller's MSP id, readable for every kind of identity (X.509 or not).
    pub fn client_msp_id(&self) -> Result<String, ContractError> {
        if let Ok(client) = self.client() {
            return Ok(client.msp_id().to_owned());
        }
        fabric_contract_proto::msp::SerializedIdentity::decode(self.stub.creator())
            .map(|id| id.mspid)
            .map_err(|e| {
                ContractError::new(format!(
                    "the transaction creator is not a serialized identity: {e}"
                ))
            })
    }
}

impl SubmitCtx {
    /// The context over a transaction's stub (for raw [`Chaincode`](crate::Chaincode)
    /// implementations that want the contexts' identity helpers).
    pub fn new(stub: Stub) -> Self {
        Self {
            view: EvaluateCtx::new(stub),
        }
    }

    /// The read-only view of this transaction, for helpers and evaluate methods.
    pub fn read_only(&self) -> &EvaluateCtx {
        &self.view
    }
}

impl Deref for SubmitCtx {
    type Target = EvaluateCtx;

    fn deref(&self) -> &EvaluateCtx {
        &self.view
    }
}

impl Sealed for EvaluateCtx {
    fn core(&self) -> &Core {
        self.stub.core()
    }
}
impl LedgerRead for EvaluateCtx {}

impl Sealed for SubmitCtx {
    fn core(&self) -> &Core {
        self.view.stub.core()
    }
}
impl LedgerRead for SubmitCtx {}
impl LedgerWrite for SubmitCtx {}
