//! The cross-check scenario, written against "a started chaincode" so the same steps run against the
//! official Node chaincode (`tests/node/raw.js`) and, later, our Rust chaincode with the same functions.

use fabric_contract_proto::protos::chaincode_message::Type;
use fabric_contract_proto::protos::{ChaincodeEvent, Response};
use serde_json::{Value, json};

/// How one INIT/TRANSACTION ended, as the peer saw it.
#[derive(Debug)]
pub struct TxResult {
    /// The transaction id the peer assigned.
    pub tx_id: String,
    /// The `Response` of a COMPLETED message.
    pub response: Option<Response>,
    /// The text of an ERROR message (a shim-level failure).
    pub error: Option<String>,
    /// The event, kept only when the status is below 400.
    pub event: Option<ChaincodeEvent>,
    /// The request types the chaincode sent, in order (empty if the driver does not record them).
    pub requests: Vec<Type>,
}

impl TxResult {
    /// The response of a transaction that must have ended with COMPLETED.
    pub fn completed(&self) -> &Response {
        self.response.as_ref().unwrap_or_else(|| {
            panic!(
                "tx {} ended with ERROR {:?} instead of COMPLETED",
                self.tx_id, self.error
            )
        })
    }

    /// Asserts status 200 and returns the payload.
    pub fn ok(&self) -> &[u8] {
        let r = self.completed();
        assert_eq!(r.status, 200, "tx {} failed: {:?}", self.tx_id, r.message);
        &r.payload
    }

    /// Asserts status 200 and parses the payload as JSON.
    pub fn ok_json(&self) -> Value {
        serde_json::from_slice(self.ok()).unwrap_or_else(|e| {
            panic!(
                "payload of tx {} is not JSON ({e}): {:?}",
                self.tx_id,
                String::from_utf8_lossy(self.ok())
            )
        })
    }

    /// Asserts status 500 and returns the message.
    pub fn failed(&self) -> &str {
        let r = self.completed();
        assert_eq!(
            r.status,
            500,
            "tx {} should have failed, payload {:?}",
            self.tx_id,
            String::from_utf8_lossy(&r.payload)
        );
        assert!(r.payload.is_empty(), "error responses carry no payload");
        &r.message
    }
}

/// A chaincode that has registered with a peer and can be driven through it.
#[allow(async_fn_in_trait)] // test-only trait, used with concrete types
pub trait ChaincodeUnderTest {
    /// Sends INIT with `args` (function name first).
    async fn init(&mut self, args: &[&str]) -> TxResult;
    /// Sends TRANSACTION with `args` (function name first).
    async fn invoke(&mut self, args: &[&str]) -> TxResult;
    /// The committed value of `key` in the chaincode's namespace.
    fn committed(&self, key: &str) -> Option<Vec<u8>>;
}

fn records(keys: std::ops::Range<usize>) -> Value {
    keys.map(|i| json!({"key": format!("r{i:03}"), "value": format!("v{i}")}))
        .collect()
}

/// Init, state reads and writes with Fabric's simulation rules, an unpaged range over more than one
/// 100-record batch, a paged range followed to its end, an event, business errors that discard writes.
pub async fn raw_functions(cc: &mut impl ChaincodeUnderTest) {
    // Init runs the chaincode's Init with the arguments; its write is committed.
    let init = cc.init(&["setup", "a", "b"]).await;
    assert_eq!(init.ok(), b"init ok");
    let marker: Value = serde_json::from_slice(&cc.committed("initialized").expect("init wrote"))
        .expect("init marker is JSON");
    assert_eq!(marker, json!({"fcn": "setup", "params": ["a", "b"]}));

    // Writes reach the ledger only through a successful transaction.
    assert_eq!(cc.invoke(&["put", "k1", "v1"]).await.ok(), b"");
    assert_eq!(cc.committed("k1").as_deref(), Some(&b"v1"[..]));
    assert_eq!(cc.invoke(&["get", "k1"]).await.ok(), b"v1");
    assert_eq!(
        cc.invoke(&["get", "missing"]).await.ok(),
        b"",
        "missing key reads as empty"
    );

    // A read after a write in the same transaction sees the committed value, not the write.
    assert_eq!(cc.invoke(&["putThenGet", "k1", "v2"]).await.ok(), b"v1");
    assert_eq!(cc.committed("k1").as_deref(), Some(&b"v2"[..]));

    // DEL_STATE, and PUT_STATE with an empty value, both delete.
    cc.invoke(&["del", "k1"]).await.ok();
    assert_eq!(cc.committed("k1"), None);
    cc.invoke(&["put", "k3", "x"]).await.ok();
    cc.invoke(&["put", "k3", ""]).await.ok();
    assert_eq!(cc.committed("k3"), None, "an empty value is a delete");

    // 150 keys: an unpaged range needs a second batch (QUERY_STATE_NEXT) and returns all in key order.
    assert_eq!(cc.invoke(&["putMany", "r", "150"]).await.ok(), b"150");
    let all = cc.invoke(&["range", "r", "s"]).await.ok_json();
    assert_eq!(all, records(0..150));
    let bounded = cc.invoke(&["range", "r010", "r013"]).await.ok_json();
    assert_eq!(bounded, records(10..13), "start inclusive, end exclusive");

    // Paged: pages of 40 chained through bookmarks; the last page has an empty bookmark.
    let mut bookmark = String::new();
    let mut seen = 0;
    for expected in [40usize, 40, 40, 30] {
        let page = cc
            .invoke(&["rangePage", "r", "s", "40", &bookmark])
            .await
            .ok_json();
        assert_eq!(page["records"], records(seen..seen + expected));
        assert_eq!(page["metadata"]["fetchedRecordsCount"], json!(expected));
        seen += expected;
        bookmark = page["metadata"]["bookmark"]
            .as_str()
            .expect("bookmark is a string")
            .to_owned();
        let next = if seen < 150 {
            format!("r{seen:03}")
        } else {
            String::new()
        };
        assert_eq!(bookmark, next);
    }

    // The event rides on COMPLETED.
    let evt = cc.invoke(&["event", "created", "payload-1"]).await;
    assert_eq!(evt.ok(), b"event set");
    let event = evt.event.as_ref().expect("event delivered");
    assert_eq!(
        (event.event_name.as_str(), event.payload.as_slice()),
        ("created", &b"payload-1"[..])
    );

    // Business errors: status 500 with the message; writes and event of a failed transaction are lost.
    assert_eq!(cc.invoke(&["fail", "boom"]).await.failed(), "boom");
    let lost = cc.invoke(&["failAfterWrite", "k2", "x", "nope"]).await;
    assert_eq!(lost.failed(), "nope");
    assert!(
        lost.event.is_none(),
        "event of a failed transaction is dropped"
    );
    assert_eq!(
        cc.committed("k2"),
        None,
        "writes of a failed transaction are dropped"
    );
    let unknown = cc.invoke(&["nosuch"]).await;
    assert!(
        unknown.failed().starts_with("unknown function \"nosuch\""),
        "{}",
        unknown.failed()
    );
    let args = cc.invoke(&["get"]).await;
    assert_eq!(
        args.failed(),
        "get failed: get expects 1 argument(s), got 0"
    );

    // After all that the chaincode still serves.
    assert_eq!(cc.invoke(&["get", "r149"]).await.ok(), b"v149");
}
