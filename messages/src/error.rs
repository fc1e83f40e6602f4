//! Every error type of the crate.

use std::fmt;

/// Why a request ([`Address::send`](crate::Address::send)) or a notification
/// ([`Address::notify`](crate::Address::notify)) did not get through.
///
/// The awaited variants take the message by value and cannot hand it back once it
/// is on its way; the non-waiting variants ([`Address::try_send`](crate::Address::try_send),
/// [`Address::try_notify`](crate::Address::try_notify)) return a [`TrySendError`] that does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SendError {
    /// The actor has stopped, or has accepted a stop, and refuses new messages.
    /// The message was never queued.
    Stopped,
    /// The request was queued, but the actor stopped (or panicked on an earlier
    /// message) before it handled it. The message was dropped unhandled.
    Unanswered,
    /// The handler panicked while handling this very request. What happens to the
    /// actor then is [`Actor::on_panic`](crate::Actor::on_panic)'s decision: by default
    /// an unsupervised actor stops and a supervised one restarts with fresh state (past
    /// its budget it stops); with [`PanicAction::Resume`](crate::PanicAction::Resume)
    /// it goes on with the same state.
    Panicked,
    /// The call could only complete after the calling handler returns, so it would
    /// wait for ever: a request to the caller's own actor, a request to an actor that
    /// is itself (directly or through a chain of actors) waiting for the request the
    /// caller is handling, or waiting for room in the full mailbox of one of those.
    /// Refused at once instead of deadlocking; both actors go on serving. Use
    /// [`Address::notify`](crate::Address::notify) (with room), spawn the call, or call
    /// the method directly.
    WouldDeadlock,
    /// The request did not complete within its timeout
    /// ([`RequestExt::timeout`](crate::time::RequestExt::timeout)). If it was queued, the actor
    /// still handles it and discards the late answer.
    Timeout,
    /// The actor lives in another process, which is gone or cannot be reached (its
    /// node died, or the link to it failed). A request may or may not have been
    /// handled before the node was lost. Only an address reaching across processes
    /// (`messages-remote`) fails this way.
    Unreachable,
    /// The message or its answer could not cross to another process: it failed to
    /// encode or decode (the two sides were built with different definitions of it),
    /// or the actor's remote side does not take this type of message. Only an address
    /// reaching across processes (`messages-remote`) fails this way.
    Malformed,
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Stopped => "the actor is stopped and refuses new messages",
            Self::Unanswered => "the actor stopped before it handled the request",
            Self::Panicked => "the handler panicked while handling the request",
            Self::WouldDeadlock => {
                "an actor cannot wait on its own mailbox from inside its handler: this would deadlock"
            }
            Self::Timeout => "the request timed out",
            Self::Unreachable => "the process the actor lives in is gone or cannot be reached",
            Self::Malformed => "the message or its answer could not cross to the actor's process",
        })
    }
}

impl std::error::Error for SendError {}

/// Why a non-waiting send ([`Address::try_send`](crate::Address::try_send),
/// [`Address::try_notify`](crate::Address::try_notify)) was refused. Hands the message back.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TrySendError<M> {
    /// The bounded mailbox is full; the waiting variants would wait for room.
    Full(M),
    /// The actor has stopped, or has accepted a stop, and refuses new messages.
    Stopped(M),
}

impl<M> TrySendError<M> {
    /// Hands back the message that was not sent.
    ///
    /// ```
    /// use messages::TrySendError;
    ///
    /// let error = TrySendError::Full("hello");
    /// assert_eq!(error.into_inner(), "hello");
    /// ```
    pub fn into_inner(self) -> M {
        match self {
            Self::Full(message) | Self::Stopped(message) => message,
        }
    }

    /// Whether the message was refused because the mailbox was full.
    pub fn is_full(&self) -> bool {
        matches!(self, Self::Full(_))
    }

    /// Whether the message was refused because the actor is stopped.
    pub fn is_stopped(&self) -> bool {
        matches!(self, Self::Stopped(_))
    }
}

impl<M> fmt::Debug for TrySendError<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Full(_) => f.write_str("Full(..)"),
            Self::Stopped(_) => f.write_str("Stopped(..)"),
        }
    }
}

impl<M> fmt::Display for TrySendError<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Full(_) => f.write_str("the actor's mailbox is full"),
            Self::Stopped(_) => f.write_str("the actor is stopped and refuses new messages"),
        }
    }
}

impl<M> std::error::Error for TrySendError<M> {}

/// A mailbox capacity of zero was asked for ([`Context::with_capacity`](crate::Context::with_capacity)).
///
/// A bounded mailbox holds at least one message; use
/// [`Context::unbounded`](crate::Context::unbounded) for a mailbox without a bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ZeroCapacityError;

impl fmt::Display for ZeroCapacityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a bounded mailbox needs a capacity of at least 1; use Context::unbounded() for no bound")
    }
}

impl std::error::Error for ZeroCapacityError {}

/// There is no final state to hand back: the task running a spawned actor ended
/// before the actor stopped (for instance, the runtime shut down and dropped the task),
/// or a supervised actor's factory panicked building its first state
/// ([`Address::wait_for_stop`](crate::Address::wait_for_stop) tells which: `Cancelled`
/// or `Panicked`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct JoinError;

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the actor left no final state: its task was dropped before it stopped, or its first state could not be built")
    }
}

impl std::error::Error for JoinError {}

/// Why [`Registry::register`](crate::registry::Registry::register) refused a name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RegistryError {
    /// A running actor is already registered under this name.
    NameTaken(String),
}

impl fmt::Display for RegistryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NameTaken(name) => write!(f, "a running actor is already registered as `{name}`"),
        }
    }
}

impl std::error::Error for RegistryError {}
