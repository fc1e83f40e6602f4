//! What a context and every address of its actor share: the actor's identity, an
//! out-of-band stop request, and the exit signal that `wait_for_stop` waits on.

use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use tokio::sync::Notify;

use crate::{ActorId, StopReason};

pub(crate) struct Shared {
    pub(crate) id: ActorId,
    /// Set by `Context::stop` (and by a self-stop that finds its mailbox full); the loop
    /// takes it between messages.
    stop_requested: AtomicBool,
    /// Empty while the actor may still run; the stop reason once it has stopped.
    exit: OnceLock<StopReason>,
    /// Wakes every `wait_for_stop` when `exit` is set.
    exited: Notify,
}

impl Shared {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Self {
            id: ActorId::next(),
            stop_requested: AtomicBool::new(false),
            exit: OnceLock::new(),
            exited: Notify::new(),
        })
    }

    pub(crate) fn request_stop(&self) {
        self.stop_requested.store(true, Ordering::Release);
    }

    /// Whether a stop was requested since the last call; clears the request.
    pub(crate) fn take_stop_request(&self) -> bool {
        // A plain load first: the common answer is "no", and it needs no write to a
        // cache line that address clones also touch.
        self.stop_requested.load(Ordering::Acquire)
            && self.stop_requested.swap(false, Ordering::AcqRel)
    }

    /// Records the stop reason and wakes every `wait_for_stop`. Only the first call counts.
    pub(crate) fn finish(&self, reason: StopReason) {
        if self.exit.set(reason).is_ok() {
            self.exited.notify_waiters();
        }
    }

    /// Waits until the actor has stopped. Waker-based: never spins.
    pub(crate) async fn wait_for_exit(&self) -> StopReason {
        loop {
            // Register interest before looking, so a `finish` between the look and the
            // wait cannot be missed.
            let mut exited = pin!(self.exited.notified());
            exited.as_mut().enable();
            if let Some(reason) = self.exit.get() {
                return reason.clone();
            }
            exited.await;
        }
    }
}
