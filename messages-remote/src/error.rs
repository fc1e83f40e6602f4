//! [`RemoteError`]: what a node, a publish or a lookup can fail with.

use std::fmt;

/// Why a node could not start, publish or look up an actor.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RemoteError {
    /// The engine refused: a bad endpoint, a port in use, a failed declaration. Its
    /// own words are kept.
    Engine(String),
    /// A name cannot be used: empty, or holding a character the engine reserves
    /// (`/ * $ # ? > .`, spaces).
    InvalidName(String),
    /// An actor of that name is already published somewhere.
    NameTaken(String),
    /// No actor of that name is published (within the wait, for
    /// [`Node::lookup_within`](crate::Node::lookup_within)).
    NotFound(String),
    /// No node answered at any of the endpoints given to `connect` within the
    /// builder's connect timeout (the endpoints are listed).
    Unreachable(String),
    /// The engine refused this node's credentials (NATS says so; a Zenoh peer that
    /// refuses them is simply not joined: [`RemoteError::Unreachable`]).
    Refused(String),
    /// The actor published under `name` does not serve these messages of the type
    /// looked up (their tags are listed): another actor, or another version of it.
    Mismatch {
        /// The name looked up.
        name: String,
        /// The tags of the messages it does not serve.
        missing: Vec<String>,
    },
    /// The node has been closed.
    Closed,
}

impl fmt::Display for RemoteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Engine(words) => write!(f, "the engine failed: {words}"),
            Self::InvalidName(name) => write!(
                f,
                "{name:?} cannot be used as a name: use a non-empty name without / * $ # ? > . or spaces"
            ),
            Self::NameTaken(name) => write!(f, "an actor named {name:?} is already published"),
            Self::NotFound(name) => write!(f, "no actor named {name:?} is published"),
            Self::Unreachable(endpoints) => write!(f, "no node answered at {endpoints}"),
            Self::Refused(words) => {
                write!(f, "the engine refused this node's credentials: {words}")
            }
            Self::Mismatch { name, missing } => write!(
                f,
                "the actor published as {name:?} does not serve {}: another actor, or another version of it",
                missing.join(", ")
            ),
            Self::Closed => f.write_str("the node is closed"),
        }
    }
}

impl std::error::Error for RemoteError {}

impl RemoteError {
    pub(crate) fn engine(error: impl fmt::Display) -> Self {
        Self::Engine(error.to_string())
    }
}
