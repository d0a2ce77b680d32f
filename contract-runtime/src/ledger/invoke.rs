//! Calls to other chaincode, as the peer relays them.

use fabric_contract_proto::Message;
use fabric_contract_proto::protos::{
    ChaincodeId, ChaincodeInput, ChaincodeMessage, ChaincodeSpec, Response, chaincode_message::Type,
};

use super::sealed::Core;
use crate::{ContractError, StubError};

impl Core {
    pub(super) async fn invoke_chaincode(
        &self,
        chaincode: &str,
        args: &[&[u8]],
        channel: Option<&str>,
    ) -> Result<Response, StubError> {
        if chaincode.is_empty() {
            return Err(StubError::InvalidArgument(
                "the chaincode name must not be empty".into(),
            ));
        }
        let name = match channel {
            Some(channel) if !channel.is_empty() => format!("{chaincode}/{channel}"),
            _ => chaincode.to_owned(),
        };
        let spec = ChaincodeSpec {
            chaincode_id: Some(ChaincodeId {
                name,
                ..Default::default()
            }),
            input: Some(ChaincodeInput {
                args: args.iter().map(|a| a.to_vec()).collect(),
                ..Default::default()
            }),
            ..Default::default()
        };
        let failed = |text: String| Response {
            status: 500,
            message: text.clone(),
            payload: text.into_bytes(),
        };
        let reply = match self
            .handle
            .request(Type::InvokeChaincode, spec.encode_to_vec())
            .await
        {
            Ok(reply) => reply,
            Err(StubError::Peer(text)) => return Ok(failed(text)),
            Err(e) => return Err(e),
        };
        let callee = ChaincodeMessage::decode(reply)
            .map_err(|e| StubError::malformed("INVOKE_CHAINCODE", "ChaincodeMessage", e))?;
        match Type::from_wire(callee.r#type) {
            Some(Type::Completed) => Response::decode(callee.payload.as_slice())
                .map_err(|e| StubError::malformed("INVOKE_CHAINCODE", "Response", e)),
            Some(Type::Error) => Ok(failed(
                String::from_utf8_lossy(&callee.payload).into_owned(),
            )),
            _ => Err(StubError::UnexpectedReply {
                request: "INVOKE_CHAINCODE",
                got: format!("a nested message of type {}", callee.r#type),
            }),
        }
    }

    pub(super) async fn call_chaincode<T: serde::de::DeserializeOwned>(
        &self,
        chaincode: &str,
        function: &str,
        args: &[&str],
    ) -> Result<T, ContractError> {
        let mut all: Vec<&[u8]> = vec![function.as_bytes()];
        all.extend(args.iter().map(|a| a.as_bytes()));
        let response = self.invoke_chaincode(chaincode, &all, None).await?;
        if response.status >= 400 {
            let status = u16::try_from(response.status).unwrap_or(500);
            return Err(ContractError::new(response.message).with_status(status));
        }
        serde_json::from_slice(&response.payload).map_err(|e| {
            ContractError::new(format!(
                "{chaincode} {function} answered {:?}, which is not the JSON expected: {e}",
                String::from_utf8_lossy(&response.payload)
            ))
        })
    }
}
