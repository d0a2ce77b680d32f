//! Invocation cases for a contract-API chaincode: arguments in, status/message/payload/event out.
//!
//! `NODE_ASSET_CASES` is what the official `fabric-contract-api` 2.5.8 answers for `tests/node/contract.js`
//! (observed, then frozen here). A Rust `#[contract]` port of that chaincode runs the same arguments; where
//! our rules deliberately follow Go instead of Node (name grammar, order of checks, argument decoding:
//! fabric-contract-api-go `contractapi/contract_chaincode.go`, `internal/types/types.go`), its table differs
//! only in those rows, which keeps every difference visible and reviewed.

use super::scenario::ChaincodeUnderTest;

/// What the response must say.
#[derive(Debug, Clone, Copy)]
pub enum Expect {
    /// Status 200 with exactly this payload.
    Ok(&'static str),
    /// Status 200 with this payload and this event (name, payload).
    OkWithEvent(&'static str, &'static str, &'static str),
    /// Status 500, no payload, exactly this message.
    Fails(&'static str),
    /// Status 500, no payload, a message starting with this text (the rest depends on the JS engine).
    FailsWith(&'static str),
}

/// One invocation and its expected outcome.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    /// `args[0]` is `[contract:]function`.
    pub args: &'static [&'static str],
    /// The expected outcome.
    pub expect: Expect,
}

const fn case(args: &'static [&'static str], expect: Expect) -> Case {
    Case { args, expect }
}

const ASSET1: &str =
    r#"{"AppraisedValue":300,"Color":"blue","ID":"asset1","Owner":"Tom","Size":5}"#;
const ASSET1_MAX: &str =
    r#"{"AppraisedValue":1,"Color":"green","ID":"asset1","Owner":"Max","Size":7}"#;
const ASSET2: &str = r#"{"AppraisedValue":0,"Color":"red","ID":"asset2","Owner":"Ann","Size":16}"#;

/// Node's answers, in order (state carries over from row to row).
pub const NODE_ASSET_CASES: &[Case] = &[
    // No arguments at all.
    case(&[], Expect::Ok("Default initiator successful.")),
    // Default contract, typed parameters, event, result of a void transaction is an empty payload.
    case(
        &["CreateAsset", "asset1", "blue", "5", "Tom", "300"],
        Expect::OkWithEvent("", "CreateAsset", ASSET1),
    ),
    case(
        &["assets:CreateAsset", "asset1", "blue", "5", "Tom", "300"],
        Expect::Fails("the asset asset1 already exists"),
    ),
    // Node's number decoding: JavaScript Number(): spaces trimmed, hex accepted, empty is 0.
    case(
        &["CreateAsset", "asset2", "red", " 0x10 ", "Ann", ""],
        Expect::OkWithEvent("", "CreateAsset", ASSET2),
    ),
    case(
        &["CreateAsset", "asset3", "red", "abc", "Ann", "1"],
        Expect::Fails("fromBuffer could not convert data to number"),
    ),
    case(
        &["CreateAsset", "asset3", "red", "1"],
        Expect::Fails("Expected 5 parameters, but 3 have been supplied"),
    ),
    case(
        &["CreateAsset", "asset3", "red", "1", "a", "2", "extra"],
        Expect::Fails("Expected 5 parameters, but 6 have been supplied"),
    ),
    // Returns: object as JSON, boolean and string as text.
    case(&["ReadAsset", "asset1"], Expect::Ok(ASSET1)),
    case(
        &["ReadAsset", "nope"],
        Expect::Fails("the asset nope does not exist"),
    ),
    case(&["AssetExists", "asset1"], Expect::Ok("true")),
    case(&["AssetExists", "nope"], Expect::Ok("false")),
    case(&["TransferAsset", "asset1", "Max"], Expect::Ok("Tom")),
    // Object parameter: JSON, property types checked by the schema.
    case(
        &[
            "UpdateAsset",
            r#"{"ID":"asset1","Color":"green","Size":7,"Owner":"Max","AppraisedValue":1}"#,
        ],
        Expect::Ok(ASSET1_MAX),
    ),
    case(
        &["UpdateAsset", r#"{"ID":"asset1","Color":5}"#],
        Expect::Fails(r#"Unable to validate parameter due to ["should be string"]"#),
    ),
    case(
        &["UpdateAsset", "not json"],
        Expect::FailsWith("Unexpected token"),
    ),
    // Array of objects from a range query, in key order.
    case(
        &["GetAllAssets"],
        Expect::Ok(concat!(
            "[",
            r#"{"AppraisedValue":1,"Color":"green","ID":"asset1","Owner":"Max","Size":7},"#,
            r#"{"AppraisedValue":0,"Color":"red","ID":"asset2","Owner":"Ann","Size":16}"#,
            "]"
        )),
    ),
    case(&["Double", "21"], Expect::Ok("42")),
    case(&["Double", ""], Expect::Ok("0")),
    // Booleans: trimmed, case-insensitive true/false only.
    case(&["Negate", " TRUE "], Expect::Ok("false")),
    case(
        &["Negate", "yes"],
        Expect::Fails("fromBuffer could not convert data to boolean"),
    ),
    case(&["DeleteAsset", "asset2"], Expect::Ok("")),
    case(
        &["ReadAsset", "asset2"],
        Expect::Fails("the asset asset2 does not exist"),
    ),
    // Routing: Node splits at the first ':'; an empty contract part means the default contract.
    case(
        &["NoSuch"],
        Expect::Fails("You've asked to invoke a function that does not exist: NoSuch"),
    ),
    case(
        &["nosuch:Fn"],
        Expect::Fails("Contract name is not known: nosuch"),
    ),
    case(
        &[":CreateAsset"],
        Expect::Fails("Expected 5 parameters, but 0 have been supplied"),
    ),
    case(
        &["assets:"],
        Expect::Fails("You've asked to invoke a function that does not exist: assets:"),
    ),
    case(
        &["GetMetadata"],
        Expect::Fails("You've asked to invoke a function that does not exist: GetMetadata"),
    ),
    // A contract without decorators: string parameters, custom unknown-transaction handler.
    case(&["plain:Echo", "a", "b"], Expect::Ok("a|b")),
    case(
        &["plain:Echo", "a"],
        Expect::Fails("Expected 2 parameters, but 1 have been supplied"),
    ),
    case(&["plain:Fail", "boom"], Expect::Fails("boom")),
    case(
        &["plain:Emit", "evt", "data"],
        Expect::OkWithEvent("emitted", "evt", "data"),
    ),
    case(
        &["plain:Nope"],
        Expect::Fails("plain has no transaction plain:Nope"),
    ),
    case(
        &["plain:_helper"],
        Expect::Fails("plain has no transaction plain:_helper"),
    ),
];

/// Our `#[contract]` port (`src/bin/rust-contract-crosscheck.rs`) for the same invocations. Rows marked
/// `Go:` differ from Node on purpose: routing splits at the last `:` and keeps Go's texts; numbers
/// and booleans decode strictly (no trimming, no hex, no empty-is-zero); argument errors keep Go's
/// `error managing parameter param<i>.` prefix and name the parameter, transaction and expectation.
pub const RUST_ASSET_CASES: &[Case] = &[
    // Go: an Invoke without a function name fails.
    case(&[], Expect::Fails("Blank function name passed")),
    case(
        &["CreateAsset", "asset1", "blue", "5", "Tom", "300"],
        Expect::OkWithEvent("", "CreateAsset", ASSET1),
    ),
    case(
        &["assets:CreateAsset", "asset1", "blue", "5", "Tom", "300"],
        Expect::Fails("the asset asset1 already exists"),
    ),
    // Go: strict decimal integers.
    case(
        &["CreateAsset", "asset2", "red", " 0x10 ", "Ann", ""],
        Expect::Fails(
            "error managing parameter param2. conversion error. cannot convert passed value  0x10  to u32: \
             expected a decimal integer from 0 to 4294967295 (parameter size of transaction CreateAsset)",
        ),
    ),
    case(
        &["CreateAsset", "asset2", "red", "16", "Ann", "0"],
        Expect::OkWithEvent("", "CreateAsset", ASSET2),
    ),
    case(
        &["CreateAsset", "asset3", "red", "abc", "Ann", "1"],
        Expect::FailsWith(
            "error managing parameter param2. conversion error. cannot convert passed value abc to u32",
        ),
    ),
    case(
        &["CreateAsset", "asset3", "red", "1"],
        Expect::Fails("incorrect number of params. Expected 5, received 3"),
    ),
    // Go ignores surplus arguments; we reject them with Go's wording.
    case(
        &["CreateAsset", "asset3", "red", "1", "a", "2", "extra"],
        Expect::Fails("incorrect number of params. Expected 5, received 6"),
    ),
    case(&["ReadAsset", "asset1"], Expect::Ok(ASSET1)),
    case(
        &["ReadAsset", "nope"],
        Expect::Fails("the asset nope does not exist"),
    ),
    case(&["AssetExists", "asset1"], Expect::Ok("true")),
    case(&["AssetExists", "nope"], Expect::Ok("false")),
    case(&["TransferAsset", "asset1", "Max"], Expect::Ok("Tom")),
    case(
        &[
            "UpdateAsset",
            r#"{"ID":"asset1","Color":"green","Size":7,"Owner":"Max","AppraisedValue":1}"#,
        ],
        Expect::Ok(ASSET1_MAX),
    ),
    // Go: the JSON must match the type (and unknown or missing fields are rejected too).
    case(
        &["UpdateAsset", r#"{"ID":"asset1","Color":5}"#],
        Expect::FailsWith(
            r#"error managing parameter param0. value {"ID":"asset1","Color":5} was not passed in expected format Asset: invalid type: integer `5`"#,
        ),
    ),
    case(
        &[
            "UpdateAsset",
            r#"{"ID":"asset1","Color":"c","Size":1,"Owner":"o","AppraisedValue":1,"X":1}"#,
        ],
        Expect::FailsWith("error managing parameter param0. value"),
    ),
    case(
        &["UpdateAsset", "not json"],
        Expect::FailsWith(
            "error managing parameter param0. value not json was not passed in expected format Asset",
        ),
    ),
    case(
        &["GetAllAssets"],
        Expect::Ok(concat!(
            "[",
            r#"{"AppraisedValue":1,"Color":"green","ID":"asset1","Owner":"Max","Size":7},"#,
            r#"{"AppraisedValue":0,"Color":"red","ID":"asset2","Owner":"Ann","Size":16}"#,
            "]"
        )),
    ),
    case(&["Double", "21"], Expect::Ok("42")),
    // Go: empty is not zero.
    case(
        &["Double", ""],
        Expect::FailsWith("error managing parameter param0. conversion error."),
    ),
    // Go: ParseBool's set, no trimming.
    case(&["Negate", "TRUE"], Expect::Ok("false")),
    case(
        &["Negate", " TRUE "],
        Expect::FailsWith("error managing parameter param0. conversion error."),
    ),
    case(
        &["Negate", "yes"],
        Expect::FailsWith("error managing parameter param0. conversion error."),
    ),
    case(&["DeleteAsset", "asset2"], Expect::Ok("")),
    case(
        &["ReadAsset", "asset2"],
        Expect::Fails("the asset asset2 does not exist"),
    ),
    // Go's routing texts; Go's first-letter upper-casing finds `readAsset`.
    case(&["readAsset", "asset1"], Expect::Ok(ASSET1_MAX)),
    case(
        &["NoSuch"],
        Expect::Fails("Function NoSuch not found in contract assets"),
    ),
    case(
        &["nosuch:Fn"],
        Expect::Fails("Contract not found with name nosuch"),
    ),
    case(
        &[":CreateAsset"],
        Expect::Fails("Contract not found with name "),
    ),
    case(&["assets:"], Expect::Fails("Blank function name passed")),
    case(
        &["GetMetadata"],
        Expect::Fails("Function GetMetadata not found in contract assets"),
    ),
    case(&["plain:Echo", "a", "b"], Expect::Ok("a|b")),
    case(
        &["plain:Echo", "a"],
        Expect::Fails("incorrect number of params. Expected 2, received 1"),
    ),
    case(&["plain:Fail", "boom"], Expect::Fails("boom")),
    case(
        &["plain:Emit", "evt", "data"],
        Expect::OkWithEvent("emitted", "evt", "data"),
    ),
    case(
        &["plain:Nope"],
        Expect::Fails("plain has no transaction plain:Nope"),
    ),
    case(
        &["plain:_helper"],
        Expect::Fails("plain has no transaction plain:_helper"),
    ),
];

/// Runs `cases` in order and checks every outcome; reports all mismatches at once.
pub async fn run_cases(cc: &mut impl ChaincodeUnderTest, cases: &[Case]) {
    let mut mismatches = Vec::new();
    for case in cases {
        let result = cc.invoke(case.args).await;
        let Some(r) = result.response.as_ref() else {
            mismatches.push(format!("{:?}: ERROR {:?}", case.args, result.error));
            continue;
        };
        let payload = String::from_utf8_lossy(&r.payload);
        let event = result
            .event
            .as_ref()
            .map(|e| (e.event_name.as_str(), String::from_utf8_lossy(&e.payload)));
        let good = match case.expect {
            Expect::Ok(p) => r.status == 200 && payload == p && event.is_none(),
            Expect::OkWithEvent(p, name, data) => {
                r.status == 200 && payload == p && event == Some((name, data.into()))
            }
            Expect::Fails(m) => r.status == 500 && r.payload.is_empty() && r.message == m,
            Expect::FailsWith(m) => {
                r.status == 500 && r.payload.is_empty() && r.message.starts_with(m)
            }
        };
        if !good {
            mismatches.push(format!(
                "{:?}: expected {:?}, got status {} message {:?} payload {:?} event {:?}",
                case.args, case.expect, r.status, r.message, payload, event
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} cases differ:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches.join("\n")
    );
}
