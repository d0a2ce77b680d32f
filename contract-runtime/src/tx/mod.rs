//! One transaction as the shim sees it: the request channel to the peer
//! ([`TxHandle`]) and the facts carried by its signed proposal ([`TxFacts`]).

mod facts;
mod handle;
pub(crate) mod outbound;

pub use facts::TxFacts;
pub use handle::{PeerCapabilities, TxHandle};
pub(crate) use handle::{Replies, ReplySlot, Undeliverable};
