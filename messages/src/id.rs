//! Actor identities.

use std::fmt;
use std::num::NonZeroU64;
use std::sync::atomic::{AtomicU64, Ordering};

/// A process-unique identity of one actor (one [`Context`](crate::Context)).
///
/// Every [`Address`](crate::Address) of an actor reports the same id, and two addresses
/// compare equal exactly when they share it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActorId(NonZeroU64);

impl ActorId {
    /// A fresh id, never handed out before in this process.
    pub(crate) fn next() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        // 2^64 ids cannot be exhausted by a running process; `max(1)` keeps the
        // conversion total without a panic path.
        Self(NonZeroU64::new(id).unwrap_or(NonZeroU64::MIN))
    }

    /// The id as a number, for logs and metrics.
    pub fn get(self) -> u64 {
        self.0.get()
    }
}

impl fmt::Display for ActorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "actor#{}", self.0)
    }
}
