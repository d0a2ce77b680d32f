//! The chaincode side of the handshake: created → established → ready
//! (as in fabric-chaincode-go `shim/handler.go`). Pure: it decides, the connection acts.

use fabric_contract_proto::protos::chaincode_message::Type;

/// Where the handshake is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// REGISTER sent, waiting for REGISTERED.
    Created,
    /// REGISTERED received, waiting for READY.
    Established,
    /// READY received: transactions may start.
    Ready,
}

impl State {
    /// The state's name as the protocol documents spell it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Established => "established",
            Self::Ready => "ready",
        }
    }
}

impl std::fmt::Display for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What to do with a message that arrived during the handshake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Send the KEEPALIVE back unchanged; the state does not move.
    Echo,
    /// Move to the next state.
    Advance(State),
    /// Protocol error: answer ERROR and end the stream.
    Unexpected {
        /// What the state expected instead.
        expected: &'static str,
    },
}

/// The handshake transition for a message of wire type `ty` in `state`
/// (which is never `Ready`: the router takes over there).
pub(crate) fn step(state: State, ty: i32) -> Step {
    match (state, Type::from_wire(ty)) {
        (_, Some(Type::Keepalive)) => Step::Echo,
        (State::Created, Some(Type::Registered)) => Step::Advance(State::Established),
        (State::Established, Some(Type::Ready)) => Step::Advance(State::Ready),
        (State::Created, _) => Step::Unexpected {
            expected: "REGISTERED or KEEPALIVE",
        },
        (State::Established, _) => Step::Unexpected {
            expected: "READY or KEEPALIVE",
        },
        (State::Ready, _) => Step::Unexpected {
            expected: "nothing: the handshake is over",
        },
    }
}

/// A message type's name for error texts; unknown numbers are shown as such.
pub(crate) fn type_name(ty: i32) -> String {
    match Type::from_wire(ty) {
        Some(t) => t.as_str_name().to_owned(),
        None => format!("unknown type {ty}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn happy_path_and_keepalive_in_every_state() {
        assert_eq!(
            step(State::Created, Type::Registered as i32),
            Step::Advance(State::Established)
        );
        assert_eq!(
            step(State::Established, Type::Ready as i32),
            Step::Advance(State::Ready)
        );
        for state in [State::Created, State::Established, State::Ready] {
            assert_eq!(step(state, Type::Keepalive as i32), Step::Echo);
        }
    }

    #[test]
    fn anything_else_is_unexpected() {
        for ty in [
            Type::Ready,
            Type::Transaction,
            Type::Init,
            Type::Response,
            Type::Error,
        ] {
            assert!(
                matches!(step(State::Created, ty as i32), Step::Unexpected { .. }),
                "{ty:?}"
            );
        }
        for ty in [Type::Registered, Type::Transaction, Type::Register] {
            assert!(
                matches!(step(State::Established, ty as i32), Step::Unexpected { .. }),
                "{ty:?}"
            );
        }
        assert!(matches!(step(State::Created, 12), Step::Unexpected { .. }));
        assert_eq!(type_name(12), "unknown type 12");
        assert_eq!(type_name(Type::Ready as i32), "READY");
    }
}
