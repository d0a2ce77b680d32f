//! The Rust counterpart of `tests/node/raw.js` on the raw [`Chaincode`] trait: same functions, same
//! payloads and messages, so `support::scenario::raw_functions` runs unchanged against both.

use fabric_contract::prelude::*;
use serde_json::{Value, json};

struct RawCrosscheck;

const FUNCTIONS: &[&str] = &[
    "put",
    "get",
    "del",
    "putMany",
    "putThenGet",
    "range",
    "rangePage",
    "event",
    "fail",
    "failAfterWrite",
];

fn expect_args(fcn: &str, params: &[String], count: usize) -> Result<(), String> {
    if params.len() == count {
        Ok(())
    } else {
        Err(format!(
            "{fcn} expects {count} argument(s), got {}",
            params.len()
        ))
    }
}

async fn drain(
    mut it: fabric_contract::ledger::QueryIterator<fabric_contract_proto::queryresult::Kv>,
) -> Result<Vec<Value>, String> {
    let mut records = Vec::new();
    while let Some(kv) = it.next().await {
        let kv = kv.map_err(|e| e.to_string())?;
        records.push(json!({"key": kv.key, "value": String::from_utf8_lossy(&kv.value)}));
    }
    it.close().await.map_err(|e| e.to_string())?;
    Ok(records)
}

async fn call(stub: &Stub, fcn: &str, p: &[String]) -> Result<Response, String> {
    let err = |e: fabric_contract::StubError| e.to_string();
    Ok(match fcn {
        "put" => {
            expect_args(fcn, p, 2)?;
            stub.put_state(&p[0], p[1].as_bytes()).await.map_err(err)?;
            Response::success(Vec::new())
        }
        "get" => {
            expect_args(fcn, p, 1)?;
            Response::success(
                stub.get_state(&p[0])
                    .await
                    .map_err(err)?
                    .unwrap_or_default(),
            )
        }
        "del" => {
            expect_args(fcn, p, 1)?;
            stub.del_state(&p[0]).await.map_err(err)?;
            Response::success(Vec::new())
        }
        "putMany" => {
            expect_args(fcn, p, 2)?;
            let count: usize = p[1].parse().map_err(|e| format!("count: {e}"))?;
            for i in 0..count {
                let key = format!("{}{i:03}", p[0]);
                stub.put_state(&key, format!("v{i}").as_bytes())
                    .await
                    .map_err(err)?;
            }
            Response::success(count.to_string().into_bytes())
        }
        "putThenGet" => {
            expect_args(fcn, p, 2)?;
            stub.put_state(&p[0], p[1].as_bytes()).await.map_err(err)?;
            Response::success(
                stub.get_state(&p[0])
                    .await
                    .map_err(err)?
                    .unwrap_or_default(),
            )
        }
        "range" => {
            expect_args(fcn, p, 2)?;
            let it = stub.get_state_by_range(&p[0], &p[1]).await.map_err(err)?;
            Response::success(Value::from(drain(it).await?).to_string().into_bytes())
        }
        "rangePage" => {
            expect_args(fcn, p, 4)?;
            let size: i32 = p[2].parse().map_err(|e| format!("pageSize: {e}"))?;
            let (it, meta) = stub
                .get_state_by_range_with_pagination(&p[0], &p[1], size, &p[3])
                .await
                .map_err(err)?;
            let records = drain(it).await?;
            let body = json!({"records": records, "metadata": {
                "fetchedRecordsCount": meta.fetched_records_count, "bookmark": meta.bookmark}});
            Response::success(body.to_string().into_bytes())
        }
        "event" => {
            expect_args(fcn, p, 2)?;
            stub.set_event_raw(&p[0], p[1].as_bytes().to_vec())
                .map_err(err)?;
            Response::success(b"event set".to_vec())
        }
        "fail" => {
            expect_args(fcn, p, 1)?;
            Response::error(p[0].clone())
        }
        "failAfterWrite" => {
            expect_args(fcn, p, 3)?;
            stub.put_state(&p[0], p[1].as_bytes()).await.map_err(err)?;
            stub.set_event_raw("lost", p[1].as_bytes().to_vec())
                .map_err(err)?;
            Response::error(p[2].clone())
        }
        other => {
            return Ok(Response::error(format!(
                "unknown function \"{other}\"; expected one of {}",
                FUNCTIONS.join(", ")
            )));
        }
    })
}

impl Chaincode for RawCrosscheck {
    async fn init(&self, stub: &Stub) -> Response {
        let (fcn, params) = stub.function_and_params();
        let marker = json!({"fcn": fcn, "params": params}).to_string();
        match stub.put_state("initialized", marker.as_bytes()).await {
            Ok(()) => Response::success(b"init ok".to_vec()),
            Err(e) => Response::error(format!("{fcn} failed: {e}")),
        }
    }

    async fn invoke(&self, stub: &Stub) -> Response {
        let (fcn, params) = stub.function_and_params();
        call(stub, &fcn, &params)
            .await
            .unwrap_or_else(|e| Response::error(format!("{fcn} failed: {e}")))
    }
}

fn main() -> std::process::ExitCode {
    fabric_contract::run_chaincode(|| RawCrosscheck)
}
