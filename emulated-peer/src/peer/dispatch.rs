//! The chaincode stream: registration (REGISTER → REGISTERED, READY), then
//! every inbound frame routed to the transaction it belongs to.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use fabric_contract_proto::Message;
use fabric_contract_proto::protos::chaincode_message::Type;
use fabric_contract_proto::protos::{ChaincodeAdditionalParams, ChaincodeId, ChaincodeMessage};
use futures_util::{Stream, StreamExt};
use tokio::sync::mpsc;

use super::{EmulatedPeer, FabricVersion, lock};

/// A registration attempt as the peer saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// The id in REGISTER (empty if the payload did not decode).
    pub name: String,
    /// Whether REGISTERED/READY were sent.
    pub accepted: bool,
    /// Why it was rejected (silently, as the real peer does).
    pub rejection: Option<String>,
}

/// One registered chaincode stream.
#[derive(Debug)]
pub(super) struct Handler {
    pub(super) name: String,
    pub(super) out: mpsc::UnboundedSender<ChaincodeMessage>,
    pub(super) routes: Mutex<HashMap<(String, String), Route>>,
}

/// Where inbound messages of one running transaction go.
#[derive(Debug)]
pub(super) struct Route {
    pub(super) to_executor: mpsc::UnboundedSender<ChaincodeMessage>,
    pub(super) busy: Arc<AtomicBool>,
}

impl EmulatedPeer {
    /// Drives one chaincode stream until it ends; returns why the peer ended it.
    pub(super) async fn drive<S>(
        &self,
        mut inbound: S,
        out: mpsc::UnboundedSender<ChaincodeMessage>,
    ) -> Result<(), String>
    where
        S: Stream<Item = Result<ChaincodeMessage, String>> + Unpin + Send,
    {
        let keepalive = self.inner.options.keepalive.map(|every| {
            let out = out.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(every);
                tick.tick().await;
                loop {
                    tick.tick().await;
                    let msg = ChaincodeMessage {
                        r#type: Type::Keepalive as i32,
                        ..ChaincodeMessage::default()
                    };
                    if out.send(msg).is_err() {
                        break;
                    }
                }
            })
        });
        let mut handler: Option<Arc<Handler>> = None;
        let result = loop {
            let msg = match inbound.next().await {
                None => break Ok(()),
                Some(Err(e)) => break Err(format!("stream error: {e}")),
                Some(Ok(msg)) => msg,
            };
            match self.on_message(&mut handler, msg, &out) {
                Ok(()) => {}
                Err(reason) => break Err(reason),
            }
        };
        if let Some(k) = keepalive {
            k.abort();
        }
        if let Some(h) = handler {
            let mut handlers = lock(&self.inner.handlers);
            if handlers
                .get(&h.name)
                .is_some_and(|cur| Arc::ptr_eq(cur, &h))
            {
                handlers.remove(&h.name);
            }
            drop(handlers);
            // Dropping the routes fails every transaction in flight.
            lock(&h.routes).clear();
        }
        if let Err(reason) = &result {
            tracing::warn!(%reason, "emulated peer ends chaincode stream");
            lock(&self.inner.terminations).push(reason.clone());
        }
        self.inner.changed.notify_waiters();
        result
    }

    fn on_message(
        &self,
        handler: &mut Option<Arc<Handler>>,
        msg: ChaincodeMessage,
        out: &mpsc::UnboundedSender<ChaincodeMessage>,
    ) -> Result<(), String> {
        let opts = &self.inner.options;
        let known = Type::from_wire(msg.r#type).filter(|t| opts.version.knows(*t));
        if known == Some(Type::Keepalive) {
            return Ok(());
        }
        let Some(h) = handler.clone() else {
            return match known {
                Some(Type::Register) => {
                    *handler = self.register(&msg, out);
                    Ok(())
                }
                _ => Err(format!(
                    "chaincode sent message type {} before registering",
                    msg.r#type
                )),
            };
        };
        let Some(ty) = known else {
            if opts.strict {
                return Err(format!(
                    "[{}] unknown message type {} from chaincode `{}` for Fabric {:?}",
                    msg.txid, msg.r#type, h.name, opts.version
                ));
            }
            let reply = error_reply(&msg, format!("unknown message type {}", msg.r#type));
            let _ = out.send(reply);
            return Ok(());
        };
        match ty {
            Type::Completed | Type::Error => {
                let routes = lock(&h.routes);
                match routes.get(&(msg.channel_id.clone(), msg.txid.clone())) {
                    Some(route) => {
                        let _ = route.to_executor.send(msg);
                    }
                    None => {
                        tracing::debug!(txid = %msg.txid, "completion for unknown transaction ignored")
                    }
                }
                Ok(())
            }
            Type::Register
            | Type::Registered
            | Type::Init
            | Type::Ready
            | Type::Transaction
            | Type::Response
            | Type::Undefined
            | Type::Keepalive => Err(format!(
                "[{}] unexpected {} from chaincode `{}` in state ready",
                msg.txid,
                ty.as_str_name(),
                h.name
            )),
            _ => {
                self.route_request(&h, ty, msg, out);
                Ok(())
            }
        }
    }

    fn route_request(
        &self,
        h: &Handler,
        ty: Type,
        msg: ChaincodeMessage,
        out: &mpsc::UnboundedSender<ChaincodeMessage>,
    ) {
        let routes = lock(&h.routes);
        let Some(route) = routes.get(&(msg.channel_id.clone(), msg.txid.clone())) else {
            let reply = error_reply(
                &msg,
                format!(
                    "{} failed: transaction ID: {}: no ledger context",
                    ty.as_str_name(),
                    msg.txid
                ),
            );
            let _ = out.send(reply);
            return;
        };
        if route.busy.swap(true, Ordering::SeqCst) {
            self.inner.violations.fetch_add(1, Ordering::SeqCst);
            tracing::error!(txid = %msg.txid, "another request pending for this transaction");
            if self.inner.options.strict {
                let reply = error_reply(
                    &msg,
                    format!(
                        "{} failed: transaction ID: {}: another request is pending for this transaction \
                         (a real peer drops it silently and the shim would hang)",
                        ty.as_str_name(),
                        msg.txid
                    ),
                );
                let _ = out.send(reply);
            }
            return;
        }
        let _ = route.to_executor.send(msg);
    }

    /// Handles REGISTER: accepted → REGISTERED + READY; rejected → nothing.
    fn register(
        &self,
        msg: &ChaincodeMessage,
        out: &mpsc::UnboundedSender<ChaincodeMessage>,
    ) -> Option<Arc<Handler>> {
        let opts = &self.inner.options;
        let name = ChaincodeId::decode(msg.payload.as_slice()).map(|id| id.name);
        let rejection = match &name {
            Err(e) => Some(format!("error unmarshalling ChaincodeID: {e}")),
            Ok(n) if n.is_empty() => Some("empty chaincode name".to_string()),
            Ok(n) if lock(&self.inner.handlers).contains_key(n) => {
                Some(format!("duplicate chaincodeID: {n}"))
            }
            Ok(n)
                if !opts.dev_mode && !opts.chaincodes.values().any(|d| &d.registration_id == n) =>
            {
                Some(format!(
                    "peer will not accept external chaincode connection {n} (except in dev mode)"
                ))
            }
            Ok(_) => None,
        };
        let name = name.unwrap_or_default();
        lock(&self.inner.registrations).push(Registration {
            name: name.clone(),
            accepted: rejection.is_none(),
            rejection: rejection.clone(),
        });
        if let Some(reason) = rejection {
            tracing::warn!(%reason, "registration rejected silently");
            self.inner.changed.notify_waiters();
            return None;
        }
        let handler = Arc::new(Handler {
            name: name.clone(),
            out: out.clone(),
            routes: Mutex::new(HashMap::new()),
        });
        let ready_payload = if opts.version >= FabricVersion::V3_1 {
            let p = opts.runtime_params;
            let or_default = |n: u32| if n == 0 { 1000 } else { n };
            ChaincodeAdditionalParams {
                use_write_batch: p.use_write_batch,
                max_size_write_batch: or_default(p.max_size_write_batch),
                use_get_multiple_keys: p.use_get_multiple_keys,
                max_size_get_multiple_keys: or_default(p.max_size_get_multiple_keys),
            }
            .encode_to_vec()
        } else {
            Vec::new()
        };
        let _ = out.send(ChaincodeMessage {
            r#type: Type::Registered as i32,
            ..ChaincodeMessage::default()
        });
        let _ = out.send(ChaincodeMessage {
            r#type: Type::Ready as i32,
            payload: ready_payload,
            ..ChaincodeMessage::default()
        });
        lock(&self.inner.handlers).insert(name, handler.clone());
        self.inner.changed.notify_waiters();
        Some(handler)
    }
}

fn error_reply(msg: &ChaincodeMessage, text: String) -> ChaincodeMessage {
    ChaincodeMessage {
        r#type: Type::Error as i32,
        payload: text.into_bytes(),
        txid: msg.txid.clone(),
        channel_id: msg.channel_id.clone(),
        ..ChaincodeMessage::default()
    }
}
