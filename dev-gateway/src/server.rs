//! The `gateway.Gateway` gRPC service over the dev [`Node`].

use std::pin::Pin;

use fabric_contract_proto::Message;
use fabric_contract_proto::gateway::gateway_server::Gateway;
use fabric_contract_proto::gateway::{
    ChaincodeEventsRequest, ChaincodeEventsResponse, CommitStatusRequest, CommitStatusResponse,
    EndorseRequest, EndorseResponse, EvaluateRequest, EvaluateResponse,
    SignedChaincodeEventsRequest, SignedCommitStatusRequest, SubmitRequest, SubmitResponse,
};
use fabric_contract_proto::orderer::seek_position::Type as Seek;
use futures_util::Stream;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

use crate::node::SharedNode;

/// The Gateway service implementation.
#[derive(Debug, Clone)]
pub(crate) struct GatewayService {
    pub node: SharedNode,
}

type EventStream = Pin<Box<dyn Stream<Item = Result<ChaincodeEventsResponse, Status>> + Send>>;

#[tonic::async_trait]
impl Gateway for GatewayService {
    async fn endorse(
        &self,
        request: Request<EndorseRequest>,
    ) -> Result<Response<EndorseResponse>, Status> {
        let request = request.into_inner();
        let Some(signed) = request
            .proposed_transaction
            .filter(|p| !p.proposal_bytes.is_empty())
        else {
            return Err(Status::invalid_argument(
                "the proposed transaction must contain a signed proposal",
            ));
        };
        let envelope = self.node.endorse(&signed).await?;
        Ok(Response::new(EndorseResponse {
            prepared_transaction: Some(envelope),
        }))
    }

    async fn submit(
        &self,
        request: Request<SubmitRequest>,
    ) -> Result<Response<SubmitResponse>, Status> {
        let request = request.into_inner();
        let Some(envelope) = request.prepared_transaction else {
            return Err(Status::invalid_argument(
                "a prepared transaction is required",
            ));
        };
        self.node.submit(&request.channel_id, &envelope).await?;
        Ok(Response::new(SubmitResponse {}))
    }

    async fn commit_status(
        &self,
        request: Request<SignedCommitStatusRequest>,
    ) -> Result<Response<CommitStatusResponse>, Status> {
        let signed = request.into_inner();
        if signed.request.is_empty() {
            return Err(Status::invalid_argument(
                "a commit status request is required",
            ));
        }
        let request = CommitStatusRequest::decode(signed.request.as_slice())
            .map_err(|e| Status::invalid_argument(format!("invalid status request: {e}")))?;
        if request.identity.is_empty() {
            return Err(Status::invalid_argument("no identity provided"));
        }
        if request.channel_id.is_empty() {
            return Err(Status::invalid_argument("no channel ID provided"));
        }
        if request.transaction_id.is_empty() {
            return Err(Status::invalid_argument(
                "transaction ID should not be empty",
            ));
        }
        self.node
            .check_signed(&request.identity, &signed.request, &signed.signature)?;
        let (code, block) = self
            .node
            .commit_status(&request.channel_id, &request.transaction_id)
            .await?;
        Ok(Response::new(CommitStatusResponse {
            result: code as i32,
            block_number: block,
        }))
    }

    async fn evaluate(
        &self,
        request: Request<EvaluateRequest>,
    ) -> Result<Response<EvaluateResponse>, Status> {
        let request = request.into_inner();
        let signed = request.proposed_transaction.unwrap_or_default();
        let response = self.node.evaluate(&signed).await?;
        Ok(Response::new(EvaluateResponse {
            result: Some(response),
        }))
    }

    type ChaincodeEventsStream = EventStream;

    async fn chaincode_events(
        &self,
        request: Request<SignedChaincodeEventsRequest>,
    ) -> Result<Response<EventStream>, Status> {
        let signed = request.into_inner();
        if signed.request.is_empty() {
            return Err(Status::invalid_argument(
                "a chaincode events request is required",
            ));
        }
        let request = ChaincodeEventsRequest::decode(signed.request.as_slice()).map_err(|e| {
            Status::invalid_argument(format!("invalid chaincode events request: {e}"))
        })?;
        self.node
            .check_signed(&request.identity, &signed.request, &signed.signature)?;
        let (height, after_block) = self
            .node
            .position(&request.channel_id, &request.after_transaction_id)?;
        let start = match (after_block, request.start_position.and_then(|p| p.r#type)) {
            (Some(block), _) => block,
            (None, None | Some(Seek::NextCommit(_))) => height,
            (None, Some(Seek::Specified(s))) => s.number,
            (None, Some(Seek::Newest(_))) => {
                return Err(Status::invalid_argument(
                    "invalid start position type: *orderer.SeekPosition_Newest",
                ));
            }
            (None, Some(Seek::Oldest(_))) => {
                return Err(Status::invalid_argument(
                    "invalid start position type: *orderer.SeekPosition_Oldest",
                ));
            }
        };
        let (tx, rx) = mpsc::channel(16);
        let node = self.node.clone();
        tokio::spawn(async move {
            let mut next = start;
            let mut matcher = Matcher::new(&request.chaincode_id, &request.after_transaction_id);
            loop {
                let (blocks, waiter) = node.blocks_from(&request.channel_id, next);
                for block in blocks {
                    next = block.number + 1;
                    let events: Vec<_> = block
                        .events
                        .into_iter()
                        .filter(|e| matcher.matches(e))
                        .collect();
                    if events.is_empty() {
                        continue;
                    }
                    let response = ChaincodeEventsResponse {
                        events,
                        block_number: block.number,
                    };
                    if tx.send(Ok(response)).await.is_err() {
                        return;
                    }
                }
                let Some(mut waiter) = waiter else { return };
                if *waiter.borrow_and_update() > next {
                    continue;
                }
                tokio::select! {
                    changed = waiter.changed() => if changed.is_err() { return },
                    () = tx.closed() => return,
                }
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }
}

/// The Gateway's event filter: the requested chaincode only, and with an
/// `after_transaction_id`, only events after that transaction's event.
struct Matcher {
    chaincode: String,
    after: String,
    passed: bool,
}

impl Matcher {
    fn new(chaincode: &str, after: &str) -> Self {
        Self {
            chaincode: chaincode.to_string(),
            after: after.to_string(),
            passed: after.is_empty(),
        }
    }

    fn matches(&mut self, event: &fabric_contract_proto::protos::ChaincodeEvent) -> bool {
        if !self.passed {
            if event.tx_id == self.after {
                self.passed = true;
            }
            return false;
        }
        event.chaincode_id == self.chaincode
    }
}
