//! One transaction as the shim sees it: the request channel to the peer
//! ([`TxHandle`]), the facts carried by its signed proposal ([`TxFacts`]), and the two halves of
//! the stream they use: messages in ([`inbound`]) and out ([`outbound`]).

mod facts;
mod handle;
pub(crate) mod inbound;
mod input;
pub(crate) mod outbound;
mod proposal_view;
pub(crate) mod replies;
mod requests;
mod wire;

pub use facts::TxFacts;
pub(crate) use handle::Undeliverable;
pub use handle::{PeerCapabilities, TxHandle};
pub(crate) use input::TxInput;

/// 100 MiB: the peer's own gRPC message limit, in both directions. Defined with the transaction
/// channel, which checks it, and re-exported by `shim` beside the other limits.
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 100 * 1024 * 1024;
