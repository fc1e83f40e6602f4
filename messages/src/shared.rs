//! What a context and every address of its actor share: the actor's identity, an
//! out-of-band stop request, the priority lane, and the exit signal that
//! `wait_for_stop` waits on.

use std::collections::VecDeque;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use tokio::sync::Notify;

use crate::mailbox::Envelope;
use crate::{ActorId, StopReason};

pub(crate) struct Shared<A> {
    pub(crate) id: ActorId,
    /// Priority notifications, handled before the ordinary mailbox. Allocates nothing
    /// until used.
    priority: Mutex<PriorityLane<A>>,
    /// Whether `priority` holds anything: the loop's cheap check per message.
    has_priority: AtomicBool,
    /// How many messages the loop has taken so far; the idle watchdog reads it.
    taken: AtomicU64,
    /// Set by `Context::stop` (and by a self-stop that finds its mailbox full); the loop
    /// takes it between messages.
    stop_requested: AtomicBool,
    /// Empty while the actor may still run; the stop reason once it has stopped.
    exit: OnceLock<StopReason>,
    /// Wakes every `wait_for_stop` when `exit` is set.
    exited: Notify,
}

struct PriorityLane<A> {
    queue: VecDeque<Envelope<A>>,
    /// Set once the actor stops: later priority notifications are refused.
    closed: bool,
}

/// Why a priority notification was not queued.
pub(crate) struct PriorityClosed<A>(pub(crate) Envelope<A>);

impl<A> Shared<A> {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Self {
            id: ActorId::next(),
            priority: Mutex::new(PriorityLane {
                queue: VecDeque::new(),
                closed: false,
            }),
            has_priority: AtomicBool::new(false),
            taken: AtomicU64::new(0),
            stop_requested: AtomicBool::new(false),
            exit: OnceLock::new(),
            exited: Notify::new(),
        })
    }

    /// Queues a priority notification. Returns whether the lane was empty (the loop may
    /// be parked on the ordinary mailbox and needs a wake-up).
    pub(crate) fn push_priority(&self, envelope: Envelope<A>) -> Result<bool, PriorityClosed<A>> {
        let mut lane = self.priority.lock().unwrap_or_else(PoisonError::into_inner);
        if lane.closed {
            return Err(PriorityClosed(envelope));
        }
        let was_empty = lane.queue.is_empty();
        lane.queue.push_back(envelope);
        self.has_priority.store(true, Ordering::Release);
        Ok(was_empty)
    }

    /// The next priority notification, if any.
    pub(crate) fn pop_priority(&self) -> Option<Envelope<A>> {
        if !self.has_priority.load(Ordering::Acquire) {
            return None;
        }
        let mut lane = self.priority.lock().unwrap_or_else(PoisonError::into_inner);
        let next = lane.queue.pop_front();
        if lane.queue.is_empty() {
            self.has_priority.store(false, Ordering::Release);
        }
        next
    }

    /// Refuses priority notifications from now on and hands back what is queued.
    pub(crate) fn close_priority(&self) -> VecDeque<Envelope<A>> {
        let mut lane = self.priority.lock().unwrap_or_else(PoisonError::into_inner);
        lane.closed = true;
        self.has_priority.store(false, Ordering::Release);
        std::mem::take(&mut lane.queue)
    }

    /// Publishes how many messages the loop has taken.
    pub(crate) fn set_taken(&self, taken: u64) {
        self.taken.store(taken, Ordering::Relaxed);
    }

    /// How many messages the loop has taken.
    pub(crate) fn taken(&self) -> u64 {
        self.taken.load(Ordering::Relaxed)
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
