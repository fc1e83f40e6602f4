//! How an actor's run ends: [`StopReason`] and [`Exit`].

use std::fmt;

/// Why an actor stopped. Returned by [`Address::wait_for_stop`](crate::Address::wait_for_stop)
/// and carried in [`Exit`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StopReason {
    /// A stop was requested ([`Address::stop`](crate::Address::stop) or
    /// [`Context::stop`](crate::Context::stop)) and the actor's
    /// [`stopping`](crate::Actor::stopping) hook accepted it.
    Requested,
    /// Every [`Address`](crate::Address) was dropped, so nothing could reach the actor
    /// any more; it handled what was queued and stopped.
    AddressesDropped,
    /// A handler or lifecycle hook panicked; the text is the panic's message.
    Panicked(String),
    /// The actor was killed ([`Address::kill`](crate::Address::kill)): its backlog was
    /// not handled.
    Killed,
    /// A supervised actor spent its restart budget; the reason of its last exit.
    TooManyRestarts(Box<StopReason>),
    /// The future running the actor (or its unused [`Context`](crate::Context)) was
    /// dropped before the actor stopped, for instance because the runtime shut down.
    /// The `stopped` hook did not run.
    Cancelled,
    /// The actor lives in another process, which is gone or can no longer be reached:
    /// what a remote address (`messages-remote`) reports when the node it reaches dies
    /// or the link to it is lost.
    Unreachable,
}

impl StopReason {
    /// Whether the actor stopped because of a panic (directly, or as the last exit of a
    /// supervised actor out of restarts).
    pub fn is_panic(&self) -> bool {
        match self {
            Self::Panicked(_) => true,
            Self::TooManyRestarts(last) => last.is_panic(),
            _ => false,
        }
    }
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Requested => f.write_str("stopped on request"),
            Self::AddressesDropped => f.write_str("stopped because every address was dropped"),
            Self::Panicked(message) => write!(f, "stopped because it panicked: {message}"),
            Self::Killed => f.write_str("killed"),
            Self::TooManyRestarts(last) => {
                write!(f, "stopped after too many restarts (last: {last})")
            }
            Self::Cancelled => f.write_str("cancelled before it stopped"),
            Self::Unreachable => f.write_str("unreachable: its node is gone or cannot be reached"),
        }
    }
}

/// What [`Context::run`](crate::Context::run) hands back once the actor has stopped.
#[non_exhaustive]
pub struct Exit<A> {
    /// The actor's final state, after its [`stopped`](crate::Actor::stopped) hook ran.
    /// After a panic it is whatever the panicking code left behind.
    pub actor: A,
    /// Why the actor stopped.
    pub reason: StopReason,
    /// How many queued notifications were dropped unhandled because the actor stopped
    /// (after a panic, or behind an accepted stop). Requests dropped the same way are
    /// reported to their callers as [`SendError::Unanswered`](crate::SendError::Unanswered)
    /// and are not counted here.
    pub undelivered: usize,
    /// How many times a supervised actor was restarted (0 when unsupervised).
    pub restarts: u32,
}

impl<A> fmt::Debug for Exit<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Exit")
            .field("actor", &std::any::type_name::<A>())
            .field("reason", &self.reason)
            .field("undelivered", &self.undelivered)
            .field("restarts", &self.restarts)
            .finish()
    }
}
