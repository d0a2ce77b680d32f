//! The benchmark's ledger-calling floor: the same ledger round trips as the
//! workloads' asset-transfer-basic transactions, with no framework at all.
//!
//! One task reads the stream and advances each transaction's small state
//! machine as the peer's replies arrive: no task per transaction, no proposal
//! parsing, no JSON library, no key checks. For every workload it sends what
//! the runtime sends for the same transaction:
//!
//! - `CreateAsset id color size owner value`: GET_STATE, then PUT_STATE of the
//!   asset's JSON (status 500 if it exists).
//! - `ReadAsset id`: GET_STATE; the stored bytes are the result.
//! - `TransferAsset id owner`: GET_STATE, then PUT_STATE of the value with the
//!   owner spliced in; the old owner is the result.
//! - `GetAllAssets`: GET_STATE_BY_RANGE over everything, QUERY_STATE_NEXT
//!   while the peer has more, QUERY_STATE_CLOSE; the values joined as a JSON array.
//! - `Bench:ReadMany id,id,…`: one GET_STATE_MULTIPLE per announced chunk when
//!   the peer's READY offers multi-key reads, else one GET_STATE per key.
//! - `Bench:Noop`: nothing.
//!
//! `contract / ledger-floor` in the bench's report is therefore the price of
//! the framework per workload. Started like any chaincode (see `bare-chaincode`).
//!
//! With `--typed` it is the typed floor: every asset it reads is decoded into a
//! struct with serde_json and every asset it returns or writes is encoded from
//! one, as a hand-written chaincode with typed state does (and as the
//! `#[contract]` example does through its typed map). `contract / typed floor`
//! is then the framework's price beyond typing itself.

use std::collections::HashMap;
use std::process::ExitCode;

use fabric_contract_bench::floor::{self, FloorError, message};
use fabric_contract_proto::Message;
use fabric_contract_proto::protos::chaincode_message::Type;
use fabric_contract_proto::protos::{
    ChaincodeAdditionalParams, ChaincodeInput, ChaincodeMessage, GetState, GetStateByRange,
    GetStateMultiple, GetStateMultipleResult, PutState, QueryResponse, QueryStateClose,
    QueryStateNext, Response,
};
use fabric_contract_proto::queryresult::Kv;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

/// The asset of asset-transfer-basic, its fields in key order as the Go sample declares them.
#[derive(Serialize, Deserialize)]
struct Asset {
    #[serde(rename = "AppraisedValue")]
    appraised_value: i64,
    #[serde(rename = "Color")]
    color: String,
    #[serde(rename = "ID")]
    id: String,
    #[serde(rename = "Owner")]
    owner: String,
    #[serde(rename = "Size")]
    size: i64,
}

/// A stored asset read into an [`Asset`] and written again (typed mode).
fn retyped(stored: &[u8]) -> Option<Vec<u8>> {
    let asset: Asset = serde_json::from_slice(stored).ok()?;
    serde_json::to_vec(&asset).ok()
}

/// Appends a stored asset to a JSON array: as stored, or retyped in typed mode (where one that
/// does not decode is left out). The plain floor copies nothing it does not have to.
fn push_asset(typed: bool, out: &mut Vec<u8>, stored: &[u8]) {
    if !typed {
        return push_json(out, stored);
    }
    if let Some(value) = retyped(stored) {
        push_json(out, &value);
    }
}

/// Where a transaction is, waiting for the reply to its last request.
enum Step {
    /// CreateAsset: waiting for GET_STATE; the key and the value to write.
    CreateRead { key: String, value: Vec<u8> },
    /// Transfer: waiting for GET_STATE; the key and the new owner.
    TransferRead { key: String, owner: String },
    /// Waiting for PUT_STATE; then COMPLETED with this payload.
    Write { result: Vec<u8> },
    /// ReadAsset: waiting for GET_STATE.
    Read,
    /// GetAllAssets: waiting for a query batch; the values so far.
    Range { values: Vec<u8> },
    /// GetAllAssets: waiting for QUERY_STATE_CLOSE.
    Close { values: Vec<u8> },
    /// ReadMany: keys still to read, values so far.
    Many {
        rest: Vec<String>,
        values: Vec<u8>,
        multiple: bool,
    },
}

/// The stream's writer side and what READY announced.
struct Floor {
    out: mpsc::UnboundedSender<ChaincodeMessage>,
    get_multiple: Option<usize>,
    running: HashMap<(String, String), Step>,
    /// Decode and encode assets as typed values (`--typed`).
    typed: bool,
}

fn completed(status: i32, payload: Vec<u8>, message_text: &str) -> Vec<u8> {
    Response {
        status,
        message: message_text.to_owned(),
        payload,
    }
    .encode_to_vec()
}

/// Appends `value` to a JSON array being built in `out` (`[` first).
fn push_json(out: &mut Vec<u8>, value: &[u8]) {
    out.push(if out.is_empty() { b'[' } else { b',' });
    out.extend_from_slice(value);
}

fn close_json(mut out: Vec<u8>) -> Vec<u8> {
    if !out.is_empty() {
        out.push(b']');
    }
    out
}

/// The stored asset read, its owner replaced and written again; and the old owner.
fn typed_owner(stored: &[u8], owner: String) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut asset: Asset = serde_json::from_slice(stored).ok()?;
    let old = std::mem::replace(&mut asset.owner, owner);
    Some((serde_json::to_vec(&asset).ok()?, old.into_bytes()))
}

/// The stored asset with `"Owner":"…"` replaced, and the old owner.
fn with_owner(asset: &[u8], owner: &str) -> Option<(Vec<u8>, Vec<u8>)> {
    const FIELD: &[u8] = b"\"Owner\":\"";
    let start = asset.windows(FIELD.len()).position(|w| w == FIELD)? + FIELD.len();
    let len = asset[start..].iter().position(|&b| b == b'"')?;
    let mut value = Vec::with_capacity(asset.len() + owner.len());
    value.extend_from_slice(&asset[..start]);
    value.extend_from_slice(owner.as_bytes());
    value.extend_from_slice(&asset[start + len..]);
    Some((value, asset[start..start + len].to_vec()))
}

impl Floor {
    fn send(&self, ty: Type, payload: Vec<u8>, key: &(String, String)) {
        let _ = self
            .out
            .send(message(ty, payload, key.1.clone(), key.0.clone()));
    }

    fn finish(&mut self, key: (String, String), status: i32, payload: Vec<u8>, text: &str) {
        self.running.remove(&key);
        self.send(Type::Completed, completed(status, payload, text), &key);
    }

    fn get(&self, key: &(String, String), ledger_key: &str) {
        let payload = GetState {
            key: ledger_key.to_owned(),
            collection: String::new(),
        };
        self.send(Type::GetState, payload.encode_to_vec(), key);
    }

    fn put(&self, key: &(String, String), ledger_key: String, value: Vec<u8>) {
        let payload = PutState {
            key: ledger_key,
            value,
            collection: String::new(),
        };
        self.send(Type::PutState, payload.encode_to_vec(), key);
    }

    /// Sends the next read of a ReadMany, or completes it.
    fn read_many(&mut self, key: (String, String), mut rest: Vec<String>, values: Vec<u8>) {
        if rest.is_empty() {
            return self.finish(key, 200, close_json(values), "");
        }
        let multiple = match self.get_multiple {
            Some(chunk) => {
                let part: Vec<String> = rest.drain(..chunk.min(rest.len())).collect();
                let payload = GetStateMultiple {
                    keys: part,
                    collection: String::new(),
                };
                self.send(Type::GetStateMultiple, payload.encode_to_vec(), &key);
                true
            }
            None => {
                let next = rest.remove(0);
                self.get(&key, &next);
                false
            }
        };
        self.running.insert(
            key,
            Step::Many {
                rest,
                values,
                multiple,
            },
        );
    }

    fn start(&mut self, msg: ChaincodeMessage) {
        let key = (msg.channel_id, msg.txid);
        let Ok(input) = ChaincodeInput::decode(msg.payload.as_slice()) else {
            return self.finish(key, 500, Vec::new(), "not a ChaincodeInput");
        };
        let args: Vec<String> = input
            .args
            .into_iter()
            .map(|a| String::from_utf8(a).unwrap_or_default())
            .collect();
        let strs: Vec<&str> = args.iter().map(String::as_str).collect();
        let step = match strs.as_slice() {
            ["CreateAsset", id, color, size, owner, value] => {
                let json = if self.typed {
                    let (Ok(size), Ok(value)) = (size.parse(), value.parse()) else {
                        return self.finish(key, 500, Vec::new(), "not an integer");
                    };
                    let asset = Asset {
                        appraised_value: value,
                        color: (*color).to_owned(),
                        id: (*id).to_owned(),
                        owner: (*owner).to_owned(),
                        size,
                    };
                    serde_json::to_string(&asset).unwrap_or_default()
                } else {
                    format!(
                        r#"{{"AppraisedValue":{value},"Color":"{color}","ID":"{id}","Owner":"{owner}","Size":{size}}}"#
                    )
                };
                self.get(&key, id);
                Step::CreateRead {
                    key: (*id).to_owned(),
                    value: json.into_bytes(),
                }
            }
            ["ReadAsset", id] => {
                self.get(&key, id);
                Step::Read
            }
            ["TransferAsset", id, owner] => {
                self.get(&key, id);
                Step::TransferRead {
                    key: (*id).to_owned(),
                    owner: (*owner).to_owned(),
                }
            }
            ["GetAllAssets"] => {
                let payload = GetStateByRange::default().encode_to_vec();
                self.send(Type::GetStateByRange, payload, &key);
                Step::Range { values: Vec::new() }
            }
            ["Bench:ReadMany", ids] => {
                let rest = ids.split(',').map(str::to_owned).collect();
                return self.read_many(key, rest, Vec::new());
            }
            ["Bench:Noop"] => return self.finish(key, 200, Vec::new(), ""),
            _ => return self.finish(key, 500, Vec::new(), "unknown function"),
        };
        self.running.insert(key, step);
    }

    fn reply(&mut self, msg: ChaincodeMessage) {
        let key = (msg.channel_id, msg.txid);
        let Some(step) = self.running.remove(&key) else {
            return;
        };
        if msg.r#type == Type::Error as i32 {
            let text = String::from_utf8_lossy(&msg.payload).into_owned();
            return self.finish(key, 500, Vec::new(), &text);
        }
        let next = match step {
            Step::CreateRead { key: id, value } => {
                if !msg.payload.is_empty() {
                    return self.finish(key, 500, Vec::new(), "the asset already exists");
                }
                self.put(&key, id, value);
                Step::Write { result: Vec::new() }
            }
            Step::TransferRead { key: id, owner } => {
                let changed = if self.typed {
                    typed_owner(&msg.payload, owner)
                } else {
                    with_owner(&msg.payload, &owner)
                };
                let Some((value, old)) = changed else {
                    return self.finish(key, 500, Vec::new(), "the asset does not exist");
                };
                self.put(&key, id, value);
                Step::Write { result: old }
            }
            Step::Write { result } => return self.finish(key, 200, result, ""),
            Step::Read => {
                let asset = match (msg.payload.is_empty(), self.typed) {
                    (true, _) => None,
                    (false, true) => retyped(&msg.payload),
                    (false, false) => Some(msg.payload),
                };
                let Some(asset) = asset else {
                    return self.finish(key, 500, Vec::new(), "the asset does not exist");
                };
                return self.finish(key, 200, asset, "");
            }
            Step::Range { mut values } => {
                let Ok(batch) = QueryResponse::decode(msg.payload.as_slice()) else {
                    return self.finish(key, 500, Vec::new(), "not a QueryResponse");
                };
                for record in &batch.results {
                    if let Ok(kv) = Kv::decode(record.result_bytes.as_slice()) {
                        push_asset(self.typed, &mut values, &kv.value);
                    }
                }
                let id = batch.id;
                if batch.has_more {
                    self.send(
                        Type::QueryStateNext,
                        QueryStateNext { id }.encode_to_vec(),
                        &key,
                    );
                    Step::Range { values }
                } else {
                    self.send(
                        Type::QueryStateClose,
                        QueryStateClose { id }.encode_to_vec(),
                        &key,
                    );
                    Step::Close { values }
                }
            }
            Step::Close { values } => return self.finish(key, 200, close_json(values), ""),
            Step::Many {
                rest,
                mut values,
                multiple,
            } => {
                if multiple {
                    let Ok(result) = GetStateMultipleResult::decode(msg.payload.as_slice()) else {
                        return self.finish(key, 500, Vec::new(), "not a GetStateMultipleResult");
                    };
                    for value in result.values.iter().filter(|v| !v.is_empty()) {
                        push_asset(self.typed, &mut values, value);
                    }
                } else if !msg.payload.is_empty() {
                    push_asset(self.typed, &mut values, &msg.payload);
                }
                return self.read_many(key, rest, values);
            }
        };
        self.running.insert(key, next);
    }
}

async fn serve(name: String, address: String) -> Result<(), FloorError> {
    let typed = std::env::args().any(|arg| arg == "--typed");
    let (out, mut inbound) = floor::register(name, &address).await?;
    let mut floor = Floor {
        out,
        get_multiple: None,
        running: HashMap::new(),
        typed,
    };
    let mut expected = Type::Registered;
    loop {
        let msg = inbound
            .message()
            .await
            .map_err(FloorError::Stream)?
            .ok_or(FloorError::Closed)?;
        match Type::from_wire(msg.r#type) {
            Some(Type::Keepalive) => {
                let _ = floor.out.send(msg);
            }
            Some(Type::Transaction | Type::Init) if expected == Type::Transaction => {
                floor.start(msg)
            }
            Some(Type::Response | Type::Error) if expected == Type::Transaction => floor.reply(msg),
            Some(Type::Registered) if expected == Type::Registered => expected = Type::Ready,
            Some(Type::Ready) if expected == Type::Ready => {
                // Like the Go shim: chunks of at least 100 keys.
                floor.get_multiple = ChaincodeAdditionalParams::decode(msg.payload.as_slice())
                    .ok()
                    .filter(|p| p.use_get_multiple_keys)
                    .map(|p| (p.max_size_get_multiple_keys as usize).max(100));
                expected = Type::Transaction;
            }
            _ if expected == Type::Transaction => {}
            _ => {
                return Err(FloorError::Handshake {
                    expected: expected.as_str_name(),
                    got: msg.r#type,
                });
            }
        }
    }
}

fn main() -> ExitCode {
    // One thread: the cheapest way to run one stream.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    floor::main("ledger-floor", runtime, serve)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_is_spliced_into_the_stored_json() {
        let stored =
            br#"{"AppraisedValue":300,"Color":"blue","ID":"a1","Owner":"Tomoko","Size":5}"#;
        let (value, old) = with_owner(stored, "Max").unwrap();
        assert_eq!(
            value,
            br#"{"AppraisedValue":300,"Color":"blue","ID":"a1","Owner":"Max","Size":5}"#
        );
        assert_eq!(old, b"Tomoko");
        assert!(with_owner(b"", "Max").is_none());
    }

    #[test]
    fn typed_mode_reads_and_writes_the_same_json() {
        let stored =
            br#"{"AppraisedValue":300,"Color":"blue","ID":"a1","Owner":"Tomoko","Size":5}"#;
        assert_eq!(retyped(stored).unwrap(), stored);
        assert!(retyped(b"not json").is_none());
        let (mut typed, mut plain) = (Vec::new(), Vec::new());
        for stored in [&stored[..], b"not json", &stored[..]] {
            push_asset(true, &mut typed, stored);
            push_asset(false, &mut plain, stored);
        }
        assert_eq!(
            close_json(typed),
            [&b"["[..], stored, b",", stored, b"]"].concat()
        );
        // The plain floor passes every value through untouched, as it always did.
        assert_eq!(
            close_json(plain),
            [&b"["[..], stored, b",not json,", stored, b"]"].concat()
        );
        assert_eq!(typed_owner(stored, "Max".into()), with_owner(stored, "Max"));
    }

    #[test]
    fn json_arrays_are_built_from_values() {
        let mut out = Vec::new();
        assert_eq!(close_json(out.clone()), b"");
        push_json(&mut out, b"1");
        push_json(&mut out, b"{}");
        assert_eq!(close_json(out), b"[1,{}]");
    }
}
