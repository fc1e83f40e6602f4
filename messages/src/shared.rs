//! What a context and every address of its actor share: the actor's identity, an
//! out-of-band stop request, and the exit signal that `wait_for_stop` waits on.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::watch;

use crate::{ActorId, StopReason};

pub(crate) struct Shared {
    pub(crate) id: ActorId,
    /// Set by `Context::stop` (and by a self-stop that finds its mailbox full); the loop
    /// takes it between messages.
    stop_requested: AtomicBool,
    /// `None` while the actor may still run; the stop reason once it has stopped.
    exit: watch::Sender<Option<StopReason>>,
}

impl Shared {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Self {
            id: ActorId::next(),
            stop_requested: AtomicBool::new(false),
            exit: watch::Sender::new(None),
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
        self.exit.send_if_modified(|exit| {
            if exit.is_none() {
                *exit = Some(reason);
                true
            } else {
                false
            }
        });
    }

    /// Waits until the actor has stopped. Waker-based: never spins.
    pub(crate) async fn wait_for_exit(&self) -> StopReason {
        let mut exit = self.exit.subscribe();
        loop {
            let current = exit.borrow_and_update().clone();
            if let Some(reason) = current {
                return reason;
            }
            // The sender lives in `self`, which the caller borrows: it cannot close
            // while we wait. Treat a closed channel as cancellation all the same.
            if exit.changed().await.is_err() {
                return StopReason::Cancelled;
            }
        }
    }
}
