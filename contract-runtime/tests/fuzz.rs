//! Fuzz targets on stable Rust, driven by proptest: whatever the input, the
//! code under test returns an error or a value and never panics, and a
//! stream fed hostile frames keeps serving.
//!
//! Each target runs `FUZZ_CASES` cases (default 256, a few seconds in CI).
//! For a longer run on demand:
//!
//! ```sh
//! FUZZ_CASES=200000 cargo nextest run -p fabric-contract --test fuzz --release
//! ```
//!
//! A failing case is shrunk and printed by proptest, and its seed saved under
//! `proptest-regressions/`; commit it and add the input as a regression test
//! below.

#![allow(missing_docs)]

use std::convert::Infallible;
use std::sync::Arc;

use fabric_contract::ledger::{create_composite_key, split_composite_key};
use fabric_contract::shim::{Registration, serve_stream};
use fabric_contract::testing::mango::Query;
use fabric_contract::testing::proposal::serialized_identity;
use fabric_contract::{ContractChaincode, ContractError, EvaluateCtx, contract};
use fabric_contract_proto::Message;
use fabric_contract_proto::protos::chaincode_message::Type;
use fabric_contract_proto::protos::{ChaincodeInput, ChaincodeMessage, Response};
use proptest::prelude::*;
use tokio::sync::mpsc;
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::UnboundedReceiverStream;

fn config() -> ProptestConfig {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

#[derive(Default)]
pub struct Target;

#[contract(name = "Target", default)]
impl Target {
    #[evaluate(name = "Echo")]
    async fn echo(&self, _ctx: &EvaluateCtx, value: String) -> Result<String, ContractError> {
        Ok(value)
    }

    #[evaluate(name = "Sum")]
    async fn sum(&self, _ctx: &EvaluateCtx, values: Vec<i64>) -> Result<i64, ContractError> {
        Ok(values.iter().fold(0i64, |a, b| a.wrapping_add(*b)))
    }

    #[evaluate(name = "Who")]
    async fn who(&self, ctx: &EvaluateCtx) -> Result<String, ContractError> {
        Ok(ctx.client()?.id())
    }
}

/// One shim over an in-memory stream, fed frame by frame.
struct Stream {
    to_shim: mpsc::UnboundedSender<ChaincodeMessage>,
    from_shim: mpsc::UnboundedReceiver<ChaincodeMessage>,
    next: u64,
}

impl Stream {
    async fn start() -> Self {
        let (to_shim, rx) = mpsc::unbounded_channel();
        let (out, mut from_shim) = mpsc::unbounded_channel();
        let inbound = UnboundedReceiverStream::new(rx).map(Ok::<_, Infallible>);
        tokio::spawn(async move {
            let _ = serve_stream(
                Arc::new(ContractChaincode::new(Target)),
                &Registration::new("fuzz:1"),
                inbound,
                out,
            )
            .await;
        });
        assert_eq!(
            from_shim.recv().await.unwrap().r#type,
            Type::Register as i32
        );
        for ty in [Type::Registered, Type::Ready] {
            to_shim
                .send(ChaincodeMessage {
                    r#type: ty as i32,
                    ..Default::default()
                })
                .unwrap();
        }
        Self {
            to_shim,
            from_shim,
            next: 0,
        }
    }

    /// Sends `frame`, then a probe transaction; returns every final message
    /// up to the probe's answer, checking none reports a panic.
    async fn feed(&mut self, frame: ChaincodeMessage) -> Vec<ChaincodeMessage> {
        self.next += 1;
        let probe = format!("probe-{}", self.next);
        self.to_shim.send(frame).unwrap();
        self.to_shim
            .send(ChaincodeMessage {
                r#type: Type::Transaction as i32,
                payload: ChaincodeInput {
                    args: vec![b"Echo".to_vec(), b"alive".to_vec()],
                    ..Default::default()
                }
                .encode_to_vec(),
                txid: probe.clone(),
                channel_id: "fuzz".into(),
                ..Default::default()
            })
            .unwrap();
        let mut seen = Vec::new();
        loop {
            let msg = self
                .from_shim
                .recv()
                .await
                .expect("the stream keeps serving");
            if msg.r#type == Type::Completed as i32 {
                let response = Response::decode(msg.payload.as_slice()).unwrap();
                assert_ne!(response.message, "transaction panicked", "{msg:?}");
                if msg.txid == probe {
                    assert_eq!(response.payload, b"alive");
                    return seen;
                }
            }
            seen.push(msg);
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Frames as arbitrary bytes: whatever decodes is sent to a live stream.
#[test]
fn frames_never_break_the_stream() {
    let rt = runtime();
    let stream = std::cell::RefCell::new(rt.block_on(Stream::start()));
    proptest!(config(), |(bytes in proptest::collection::vec(any::<u8>(), 0..256))| {
        if let Ok(frame) = ChaincodeMessage::decode(bytes.as_slice()) {
            rt.block_on(stream.borrow_mut().feed(frame));
        }
    });
}

/// Typed frames with arbitrary fields, closer to what a hostile peer sends.
#[test]
fn typed_frames_never_break_the_stream() {
    let rt = runtime();
    let stream = std::cell::RefCell::new(rt.block_on(Stream::start()));
    proptest!(config(), |(
        ty in 0i32..30,
        payload in proptest::collection::vec(any::<u8>(), 0..128),
        txid in "[a-z0-9]{0,8}",
        channel in "(fuzz|other|)",
    )| {
        rt.block_on(stream.borrow_mut().feed(ChaincodeMessage {
            r#type: ty,
            payload,
            txid: format!("f-{txid}"),
            channel_id: channel,
            ..Default::default()
        }));
    });
}

/// ChaincodeInput payloads and argument lists: decoded into contract
/// arguments, answered with COMPLETED or ERROR.
#[test]
fn arguments_are_answered() {
    let rt = runtime();
    let stream = std::cell::RefCell::new(rt.block_on(Stream::start()));
    let args = prop_oneof![
        proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..24), 0..6),
        (
            prop_oneof![
                Just("Echo"),
                Just("Sum"),
                Just("Who"),
                Just("Target:Sum"),
                Just("")
            ],
            proptest::collection::vec("[\\[\\]0-9,\" a-z\\\\-]{0,24}", 0..4),
        )
            .prop_map(|(f, rest)| {
                std::iter::once(f.as_bytes().to_vec())
                    .chain(rest.into_iter().map(String::into_bytes))
                    .collect()
            }),
    ];
    proptest!(config(), |(args in args, raw in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..64)))| {
        let payload = raw.unwrap_or_else(|| ChaincodeInput { args, ..Default::default() }.encode_to_vec());
        let frame = ChaincodeMessage {
            r#type: Type::Transaction as i32,
            payload,
            txid: "args".into(),
            channel_id: "fuzz".into(),
            ..Default::default()
        };
        let answers = rt.block_on(stream.borrow_mut().feed(frame));
        let answer = answers.iter().find(|m| m.txid == "args").expect("the transaction is answered");
        prop_assert!(answer.r#type == Type::Completed as i32 || answer.r#type == Type::Error as i32);
    });
}

/// Creators of arbitrary bytes (the proposal parser's own fuzzing is a unit test of `tx::facts`,
/// which is crate-private).
#[test]
fn identities_parse_or_fail_cleanly() {
    proptest!(config(), |(
        id_bytes in proptest::collection::vec(any::<u8>(), 0..256),
        msp in "[A-Za-z0-9]{0,8}",
    )| {
        let creator = serialized_identity(&msp, &id_bytes);
        let _ = fabric_contract::identity::ClientIdentity::from_creator(&creator);
    });
}

/// Composite keys: splitting anything never panics; building then splitting
/// gives the parts back.
#[test]
fn composite_keys_split_and_round_trip() {
    proptest!(config(), |(
        key in "(\u{0}|[a-z]|\u{10FFFF}|é|\u{1}){0,16}",
        object_type in "[^\u{0}\u{10FFFF}]{1,8}",
        attributes in proptest::collection::vec("[^\u{0}\u{10FFFF}]{0,8}", 0..4),
    )| {
        let _ = split_composite_key(&key);
        let refs: Vec<&str> = attributes.iter().map(String::as_str).collect();
        let built = create_composite_key(&object_type, &refs).unwrap();
        prop_assert_eq!(split_composite_key(&built).unwrap(), (object_type, attributes));
    });
}

/// Mango selectors: arbitrary text and JSON-shaped text parse or fail with an
/// error; a parsed query runs over records without panicking.
#[test]
fn mango_selectors_parse_or_fail_cleanly() {
    let leaf = prop_oneof![
        Just("1".to_string()),
        Just("\"a\"".to_string()),
        Just("null".to_string()),
        Just("[1,\"b\"]".to_string()),
        Just("true".to_string()),
    ];
    let json = leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3)
                .prop_map(|v| format!("[{}]", v.join(","))),
            proptest::collection::vec(
                (
                    prop_oneof![
                        Just("$and"),
                        Just("$or"),
                        Just("$nor"),
                        Just("$not"),
                        Just("$eq"),
                        Just("$gt"),
                        Just("$in"),
                        Just("$regex"),
                        Just("$exists"),
                        Just("$elemMatch"),
                        Just("$size"),
                        Just("$mod"),
                        Just("$type"),
                        Just("$all"),
                        Just("a"),
                        Just("a.b"),
                        Just("selector"),
                        Just("limit"),
                        Just("skip"),
                        Just("sort"),
                        Just("fields")
                    ],
                    inner
                ),
                0..3
            )
            .prop_map(|kv| format!(
                "{{{}}}",
                kv.into_iter()
                    .map(|(k, v)| format!("\"{k}\":{v}"))
                    .collect::<Vec<_>>()
                    .join(",")
            )),
        ]
    });
    proptest!(config(), |(text in json, noise in ".{0,32}")| {
        let records = vec![
            ("k1".to_string(), br#"{"a":1,"b":[1,"b"],"c":{"b":"a"}}"#.to_vec()),
            ("k2".to_string(), b"not json".to_vec()),
        ];
        for candidate in [format!("{{\"selector\":{text}}}"), text.clone(), noise] {
            if let Ok(query) = Query::parse(&candidate) {
                let _ = query.run(records.clone());
            }
        }
    });
}
