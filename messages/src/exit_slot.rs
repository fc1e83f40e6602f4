//! The end of an actor as its shared state keeps it: the stop reason once published,
//! and for an actor spawned with a [`JoinHandle`](crate::JoinHandle) its final state
//! on the way there.
//!
//! The handle waits in the actor's shared state rather than on a channel of its own:
//! one allocation fewer per spawned actor, and no room kept for the final state while
//! the actor runs (it is boxed when it is handed over; a state without fields is
//! boxed without allocating).

use std::task::{Poll, Waker};

use crate::{Exit, JoinError, StopReason};

/// Lives under the shared state's mutex; nothing runs user code under it (final states
/// are dropped, and wakers woken, after the lock is released).
pub(crate) struct ExitSlot<A> {
    /// Empty while the actor may still run; the stop reason once it has stopped.
    reason: Option<StopReason>,
    handle: Handle<A>,
}

enum Handle<A> {
    /// No join handle waits: none was made, it was dropped, or it took the final state.
    Gone,
    /// A join handle waits; the waker of its last poll.
    Waiting(Option<Waker>),
    /// The final state, delivered and not yet taken.
    Delivered {
        actor: Box<A>,
        undelivered: usize,
        restarts: u32,
    },
}

/// What the caller does once it has released the lock.
#[must_use = "the waker must be woken and the state dropped once the lock is released"]
pub(crate) struct AfterUnlock<A> {
    /// Wakes the join handle.
    pub(crate) wake: Option<Waker>,
    /// A final state nobody will take (its handle was dropped).
    pub(crate) orphan: Option<A>,
    /// Whether this call published the stop (`wait_for_stop` must be woken).
    pub(crate) published: bool,
}

impl<A> ExitSlot<A> {
    pub(crate) const fn new() -> Self {
        Self {
            reason: None,
            handle: Handle::Gone,
        }
    }

    /// The stop reason, once published.
    pub(crate) fn reason(&self) -> Option<&StopReason> {
        self.reason.as_ref()
    }

    /// A join handle will wait for the final state.
    pub(crate) fn expect_handle(&mut self) {
        self.handle = Handle::Waiting(None);
    }

    /// Publishes `reason` (only the first call counts) without a final state: a waiting
    /// join handle then resolves to [`JoinError`].
    pub(crate) fn publish(&mut self, reason: StopReason) -> AfterUnlock<A> {
        let published = self.set_reason(reason);
        let wake = match &mut self.handle {
            Handle::Waiting(waker) if published => waker.take(),
            _ => None,
        };
        AfterUnlock {
            wake,
            orphan: None,
            published,
        }
    }

    /// Publishes the stop of `exit` and hands its final state to the join handle, or
    /// back to the caller to drop when the handle is gone.
    pub(crate) fn deliver(&mut self, exit: Exit<A>) -> AfterUnlock<A> {
        let Exit {
            actor,
            reason,
            undelivered,
            restarts,
        } = exit;
        let published = self.set_reason(reason);
        match std::mem::replace(&mut self.handle, Handle::Gone) {
            Handle::Waiting(wake) => {
                self.handle = Handle::Delivered {
                    actor: Box::new(actor),
                    undelivered,
                    restarts,
                };
                AfterUnlock {
                    wake,
                    orphan: None,
                    published,
                }
            }
            // No handle (none was made, or it was dropped): the caller drops the state.
            // (`Delivered` is not reached: only one run delivers, once.)
            Handle::Delivered { .. } | Handle::Gone => AfterUnlock {
                wake: None,
                orphan: Some(actor),
                published,
            },
        }
    }

    /// Records `reason` unless a stop was already published; whether it was recorded.
    fn set_reason(&mut self, reason: StopReason) -> bool {
        let first = self.reason.is_none();
        if first {
            self.reason = Some(reason);
        }
        first
    }

    /// The join handle's poll: the final state once delivered, [`JoinError`] once the
    /// stop was published without one (the run future was dropped first) or when the
    /// state was already taken; otherwise keeps `waker` for the delivery.
    pub(crate) fn poll_join(&mut self, waker: &Waker) -> Poll<Result<Exit<A>, JoinError>> {
        match std::mem::replace(&mut self.handle, Handle::Gone) {
            Handle::Delivered {
                actor,
                undelivered,
                restarts,
            } => Poll::Ready(Ok(Exit {
                actor: *actor,
                reason: self.reason.clone().unwrap_or(StopReason::Cancelled),
                undelivered,
                restarts,
            })),
            Handle::Waiting(kept) if self.reason.is_none() => {
                let kept = match kept {
                    Some(mut kept) => {
                        kept.clone_from(waker);
                        kept
                    }
                    None => waker.clone(),
                };
                self.handle = Handle::Waiting(Some(kept));
                Poll::Pending
            }
            Handle::Waiting(_) | Handle::Gone => Poll::Ready(Err(JoinError)),
        }
    }

    /// The join handle is dropped: hands back a delivered final state for the caller to
    /// drop once the lock is released.
    pub(crate) fn drop_handle(&mut self) -> Option<Box<A>> {
        match std::mem::replace(&mut self.handle, Handle::Gone) {
            Handle::Delivered { actor, .. } => Some(actor),
            Handle::Waiting(_) | Handle::Gone => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::{Poll, Wake, Waker};

    use super::ExitSlot;
    use crate::{Exit, JoinError, StopReason};

    /// Counts its wake-ups.
    #[derive(Default)]
    struct Counting(AtomicUsize);

    impl Wake for Counting {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn exit(actor: u32) -> Exit<u32> {
        Exit {
            actor,
            reason: StopReason::Requested,
            undelivered: 2,
            restarts: 1,
        }
    }

    #[test]
    fn a_handle_polled_before_the_delivery_is_woken_by_it_and_gets_the_exit() {
        let counting = Arc::new(Counting::default());
        let waker = Waker::from(Arc::clone(&counting));
        let mut slot = ExitSlot::new();
        slot.expect_handle();
        assert!(slot.poll_join(&waker).is_pending());
        let after = slot.deliver(exit(7));
        assert!(after.published && after.orphan.is_none());
        after.wake.expect("the handle's waker").wake();
        assert_eq!(counting.0.load(Ordering::SeqCst), 1);
        let Poll::Ready(Ok(exit)) = slot.poll_join(&waker) else {
            panic!("the delivered exit");
        };
        assert_eq!((exit.actor, exit.reason), (7, StopReason::Requested));
        assert_eq!((exit.undelivered, exit.restarts), (2, 1));
        // Taken: a further poll is an error, not a hang.
        assert!(matches!(
            slot.poll_join(&waker),
            Poll::Ready(Err(JoinError))
        ));
    }

    #[test]
    fn a_stop_published_without_a_final_state_gives_the_handle_a_join_error() {
        let counting = Arc::new(Counting::default());
        let waker = Waker::from(Arc::clone(&counting));
        let mut slot = ExitSlot::<u32>::new();
        slot.expect_handle();
        assert!(slot.poll_join(&waker).is_pending());
        let after = slot.publish(StopReason::Cancelled);
        assert!(after.published);
        after.wake.expect("the handle's waker").wake();
        assert!(matches!(
            slot.poll_join(&waker),
            Poll::Ready(Err(JoinError))
        ));
        assert_eq!(slot.reason(), Some(&StopReason::Cancelled));
        // Only the first stop counts.
        assert!(!slot.publish(StopReason::Killed).published);
        assert_eq!(slot.reason(), Some(&StopReason::Cancelled));
    }

    #[test]
    fn without_a_handle_the_final_state_goes_back_to_be_dropped() {
        let mut slot = ExitSlot::new();
        let after = slot.deliver(exit(3));
        assert_eq!(after.orphan, Some(3));
        assert!(after.wake.is_none());

        let mut dropped = ExitSlot::new();
        dropped.expect_handle();
        assert!(dropped.drop_handle().is_none());
        assert_eq!(dropped.deliver(exit(4)).orphan, Some(4));
    }

    #[test]
    fn a_handle_dropped_after_the_delivery_hands_the_state_back() {
        let mut slot = ExitSlot::new();
        slot.expect_handle();
        assert!(slot.deliver(exit(5)).orphan.is_none());
        assert_eq!(slot.drop_handle().map(|actor| *actor), Some(5));
    }
}
