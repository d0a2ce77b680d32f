//! Key-level endorsement and typed state: [`Map`], [`Item`], [`Index`],
//! [`PrivateMap`].
//!
//! Collections are `const` descriptors; every operation takes the transaction's context, so
//! nothing is global and nothing is written behind the caller's back.

mod access;
mod codec;
mod error;
mod index;
mod item;
mod iter;
mod keys;
mod map;
pub mod policy;
mod private;
mod space;
mod store;
mod stored;

pub use codec::{Codec, Json, Raw, Text};
pub use error::StateError;
pub use index::Index;
pub use item::Item;
pub use iter::{HistoryEntry, Page, StateStream};
pub use map::Map;
pub use private::{PrivateMap, implicit_collection, transient_bytes, transient_json};
pub use space::{KeyParts, MapKey};
pub(crate) use stored::Form as StoredForm;
pub use stored::Stored;

/// The key, value and codec types a collection descriptor is bound to, without
/// owning any of them (so a descriptor can be a `const`).
pub(crate) type Types<K, V, C> = std::marker::PhantomData<fn() -> (K, V, C)>;
