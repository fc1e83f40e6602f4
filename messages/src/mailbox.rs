//! [`Mailbox`]: the size of an actor's mailbox.

use std::num::NonZeroUsize;

use crate::DEFAULT_CAPACITY;

/// How many messages an actor's mailbox holds: a bound, or none.
///
/// An actor declares its own with [`Actor::MAILBOX`](crate::Actor::MAILBOX) (used by
/// [`Context::new`](crate::Context::new) and everything that spawns it);
/// [`Context::with_mailbox`](crate::Context::with_mailbox) picks one per context.
///
/// ```
/// use std::num::NonZeroUsize;
/// use messages::prelude::*;
/// use messages::Mailbox;
///
/// struct Busy;
///
/// impl Actor for Busy {
///     const MAILBOX: Mailbox = Mailbox::Bounded(NonZeroUsize::new(1024).unwrap());
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mailbox {
    /// At most this many messages wait; senders then wait for room (`send`, `notify`)
    /// or are refused with [`TrySendError::Full`](crate::TrySendError::Full) (`try_*`).
    Bounded(NonZeroUsize),
    /// No bound: sending never waits for room, and memory is the only limit.
    Unbounded,
}

impl Mailbox {
    /// A bounded mailbox of [`DEFAULT_CAPACITY`] (128) messages: the default.
    pub const DEFAULT: Mailbox = match NonZeroUsize::new(DEFAULT_CAPACITY) {
        Some(capacity) => Mailbox::Bounded(capacity),
        None => Mailbox::Unbounded,
    };
}

impl Default for Mailbox {
    fn default() -> Self {
        Self::DEFAULT
    }
}
