//! Running one chaincode for one transaction: send INIT/TRANSACTION, serve
//! its requests until COMPLETED or ERROR, and run INVOKE_CHAINCODE callees.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use fabric_contract_proto::Message;
use fabric_contract_proto::protos::chaincode_message::Type;
use fabric_contract_proto::protos::{
    ChaincodeInput, ChaincodeMessage, ChaincodeSpec, SignedProposal,
};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::dispatch::{Handler, Route};
use super::requests::Scope;
use super::{ChaincodeDefinition, EmulatedPeer, PeerError, lock};
use crate::ledger::Simulation;

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One execution of one chaincode for one transaction.
pub(super) struct Exec<'a> {
    pub(super) def: ChaincodeDefinition,
    pub(super) message: ChaincodeMessage,
    pub(super) proposal: Option<SignedProposal>,
    pub(super) sim: &'a mut Simulation,
    pub(super) deadline: Instant,
}

impl EmulatedPeer {
    fn handler(&self, def: &ChaincodeDefinition) -> Result<Arc<Handler>, PeerError> {
        lock(&self.inner.handlers)
            .get(&def.registration_id)
            .cloned()
            .ok_or_else(|| PeerError::NotRegistered(def.registration_id.clone()))
    }

    /// Sends INIT/TRANSACTION and serves the chaincode's requests until it
    /// answers COMPLETED or ERROR, which is returned with the request types seen.
    pub(super) fn execute<'a>(
        &'a self,
        exec: Exec<'a>,
    ) -> BoxFuture<'a, Result<(ChaincodeMessage, Vec<Type>), PeerError>> {
        Box::pin(async move {
            let Exec {
                def,
                message,
                proposal,
                sim,
                deadline,
            } = exec;
            let handler = self.handler(&def)?;
            let key = (message.channel_id.clone(), message.txid.clone());
            let (to_executor, mut inbox) = mpsc::unbounded_channel();
            let busy = Arc::new(AtomicBool::new(false));
            {
                let mut routes = lock(&handler.routes);
                if routes.contains_key(&key) {
                    return Err(PeerError::DuplicateExecution {
                        chaincode: def.name.clone(),
                        channel: key.0,
                        tx_id: key.1,
                    });
                }
                routes.insert(
                    key.clone(),
                    Route {
                        to_executor,
                        busy: busy.clone(),
                    },
                );
            }
            // Removes the route (closing its iterators) however we leave.
            let _route = RouteGuard {
                handler: &handler,
                key: key.clone(),
            };
            let terminated = || PeerError::StreamTerminated {
                chaincode: def.name.clone(),
                tx_id: key.1.clone(),
            };
            let previous_init = sim.set_init_message(message.r#type == Type::Init as i32);
            handler.out.send(message).map_err(|_| terminated())?;
            let mut iterators = BTreeMap::new();
            let mut requests = Vec::new();
            let result = loop {
                let msg = match tokio::time::timeout_at(deadline, inbox.recv()).await {
                    Err(_) => {
                        break Err(PeerError::Timeout {
                            chaincode: def.name.clone(),
                            tx_id: key.1.clone(),
                            after: self.inner.options.execute_timeout,
                        });
                    }
                    Ok(None) => break Err(terminated()),
                    Ok(Some(msg)) => msg,
                };
                let ty = Type::from_wire(msg.r#type).unwrap_or(Type::Undefined);
                if !matches!(ty, Type::Completed | Type::Error) {
                    *lock(&self.inner.requests)
                        .entry(ty.as_str_name())
                        .or_default() += 1;
                    requests.push(ty);
                }
                let reply = match ty {
                    Type::Completed | Type::Error => {
                        break Ok((msg, std::mem::take(&mut requests)));
                    }
                    Type::InvokeChaincode => {
                        self.invoke_chaincode(&def, &msg, proposal.clone(), &mut *sim, deadline)
                            .await
                    }
                    _ => Scope {
                        sim: &mut *sim,
                        def: &def,
                        iterators: &mut iterators,
                        iterator_ids: &self.inner.iterator_ids,
                        proposal: proposal.as_ref(),
                    }
                    .serve(ty, &msg),
                };
                // Clear before sending: the next request may arrive at once.
                busy.store(false, Ordering::SeqCst);
                if handler.out.send(reply).is_err() {
                    break Err(terminated());
                }
            };
            sim.set_init_message(previous_init);
            result
        })
    }

    /// INVOKE_CHAINCODE (`HandleInvokeChaincode` in hyperledger/fabric
    /// `core/chaincode/handler.go`): runs the callee with the same txid
    /// and proposal, in the caller's simulation on the same channel or a
    /// throw-away one on another; replies RESPONSE carrying the callee's
    /// COMPLETED/ERROR message, or ERROR when the call could not run.
    async fn invoke_chaincode(
        &self,
        caller: &ChaincodeDefinition,
        msg: &ChaincodeMessage,
        proposal: Option<SignedProposal>,
        sim: &mut Simulation,
        deadline: Instant,
    ) -> ChaincodeMessage {
        let result = self.run_callee(caller, msg, proposal, sim, deadline).await;
        let (ty, payload) = match result {
            Ok(nested) => (Type::Response, nested.encode_to_vec()),
            Err(cause) => (
                Type::Error,
                format!(
                    "INVOKE_CHAINCODE failed: transaction ID: {}: {cause}",
                    msg.txid
                )
                .into_bytes(),
            ),
        };
        ChaincodeMessage {
            r#type: ty as i32,
            payload,
            txid: msg.txid.clone(),
            channel_id: msg.channel_id.clone(),
            ..ChaincodeMessage::default()
        }
    }

    async fn run_callee(
        &self,
        caller: &ChaincodeDefinition,
        msg: &ChaincodeMessage,
        proposal: Option<SignedProposal>,
        sim: &mut Simulation,
        deadline: Instant,
    ) -> Result<ChaincodeMessage, String> {
        let spec = ChaincodeSpec::decode(msg.payload.as_slice())
            .map_err(|e| format!("unmarshal of ChaincodeSpec failed: {e}"))?;
        let target = spec.chaincode_id.unwrap_or_default().name;
        let (name, channel) = parse_target(&target, &msg.channel_id);
        self.check_channel(&channel).map_err(|e| e.to_string())?;
        let def = self
            .inner
            .options
            .chaincodes
            .get(&name)
            .cloned()
            .ok_or_else(|| format!("chaincode `{name}` is not defined"))?;
        if def.name == caller.name && channel == msg.channel_id {
            return Err(format!(
                "chaincode `{name}` cannot call itself on the same channel"
            ));
        }
        self.check_invocation(&def, &channel, false)
            .map_err(|e| e.to_string())?;
        let input = ChaincodeInput {
            args: spec.input.unwrap_or_default().args,
            decorations: BTreeMap::new(),
            is_init: false,
        };
        let message = ChaincodeMessage {
            r#type: Type::Transaction as i32,
            payload: input.encode_to_vec(),
            txid: msg.txid.clone(),
            proposal: proposal.clone(),
            channel_id: channel.clone(),
            ..ChaincodeMessage::default()
        };
        let result = if channel == msg.channel_id {
            let exec = Exec {
                def,
                message,
                proposal,
                sim,
                deadline,
            };
            self.execute(exec).await
        } else {
            // Another channel: a throw-away simulator, writes discarded.
            let mut scratch = self.inner.ledger.simulate(&channel, &msg.txid);
            let exec = Exec {
                def,
                message,
                proposal,
                sim: &mut scratch,
                deadline,
            };
            self.execute(exec).await
        };
        result.map(|(reply, _)| reply).map_err(|e| e.to_string())
    }
}

struct RouteGuard<'a> {
    handler: &'a Handler,
    key: (String, String),
}

impl Drop for RouteGuard<'_> {
    fn drop(&mut self) {
        lock(&self.handler.routes).remove(&self.key);
    }
}

/// `name[:version][/channel]` → (name, channel); the version is ignored.
fn parse_target(target: &str, own_channel: &str) -> (String, String) {
    let (id, channel) = match target.split_once('/') {
        Some((id, ch)) if !ch.is_empty() => (id, ch),
        Some((id, _)) => (id, own_channel),
        None => (target, own_channel),
    };
    let name = id.split_once(':').map_or(id, |(n, _)| n);
    (name.to_string(), channel.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_names() {
        assert_eq!(parse_target("cc", "ch1"), ("cc".into(), "ch1".into()));
        assert_eq!(parse_target("cc:1.0", "ch1"), ("cc".into(), "ch1".into()));
        assert_eq!(parse_target("cc/ch2", "ch1"), ("cc".into(), "ch2".into()));
        assert_eq!(parse_target("cc:2/ch2", "ch1"), ("cc".into(), "ch2".into()));
    }
}
