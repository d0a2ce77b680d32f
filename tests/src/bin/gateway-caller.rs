//! A chaincode that calls another: `call <chaincode> <args…>` invokes `<chaincode>` on this channel
//! with the remaining arguments and answers its response, so the dev Gateway's multi-chaincode peer
//! can be checked end to end (tests/tests/gateway_multi.rs).

use fabric_contract::prelude::*;

struct Caller;

impl Chaincode for Caller {
    async fn init(&self, _stub: &Stub) -> Response {
        Response::success(Vec::new())
    }

    async fn invoke(&self, stub: &Stub) -> Response {
        let args = stub.args();
        match args.split_first() {
            Some((function, rest)) if function.as_slice() == b"call" && !rest.is_empty() => {
                let callee = String::from_utf8_lossy(&rest[0]).into_owned();
                let forwarded: Vec<&[u8]> = rest[1..].iter().map(Vec::as_slice).collect();
                match stub.invoke_chaincode(&callee, &forwarded, None).await {
                    Ok(response) => response,
                    Err(e) => Response::error(format!("call failed: {e}")),
                }
            }
            _ => Response::error("expected: call <chaincode> <args…>"),
        }
    }
}

fn main() -> std::process::ExitCode {
    fabric_contract::run_chaincode(|| Caller)
}
