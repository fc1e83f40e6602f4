//! The end of an actor as its cell keeps it: while it may run, who waits for
//! its stop (and the runtime its context was given, if any); once it has stopped, the
//! reason, and for an actor spawned with a [`JoinHandle`](crate::JoinHandle) its final
//! state on the way there.
//!
//! The handle waits in the actor's cell rather than on a channel of its own:
//! one allocation fewer per spawned actor, and no room kept for the final state while
//! the actor runs (it is boxed when it is handed over; a state without fields is
//! boxed without allocating). The `wait_for_stop` futures wait here too, in the room
//! the stop reason takes later: 48 bytes for all of it. So does a runtime given to the
//! context: nothing spawns or sleeps for an actor that stopped, and an actor on the
//! built-in runtime (most) keeps no room elsewhere for one.

use std::task::{Poll, Waker};

use crate::runtime::Custom;
use crate::watchers::Watchers;
use crate::{Exit, JoinError, StopReason};

/// Lives under the actor cell's mutex; nothing runs user code under it (final states
/// are dropped, and wakers woken, after the lock is released).
pub(crate) enum ExitSlot<A> {
    /// The actor may still run.
    Running {
        /// The pending `wait_for_stop` futures.
        watchers: Watchers,
        /// `Some` while a join handle waits: the waker of its last poll, a no-op waker
        /// until it first polls.
        join: Option<Waker>,
        /// The runtime given to the context, if any (else it carries the built-in one).
        /// Boxed: 8 bytes, so it fits beside the others.
        runtime: Option<Box<Custom>>,
    },
    /// The stop is published.
    Stopped {
        reason: StopReason,
        /// The final state, delivered to a join handle and not yet taken.
        handover: Option<Handover<A>>,
    },
}

/// A final state waiting for its join handle.
pub(crate) struct Handover<A> {
    actor: Box<A>,
    undelivered: usize,
    restarts: u32,
}

/// What the caller does once it has released the lock.
#[must_use = "the wakers must be woken and the state dropped once the lock is released"]
pub(crate) struct AfterUnlock<A> {
    /// Wakes the join handle.
    pub(crate) wake: Option<Waker>,
    /// Wakes the `wait_for_stop` futures.
    pub(crate) watchers: Watchers,
    /// A final state nobody will take (no handle was made, or it was dropped).
    pub(crate) orphan: Option<A>,
    /// The runtime given to the context, let go of at the stop (its `Drop` is the
    /// user's code).
    pub(crate) runtime: Option<Box<Custom>>,
}

impl<A> ExitSlot<A> {
    pub(crate) fn new() -> Self {
        Self::Running {
            watchers: Watchers::default(),
            join: None,
            runtime: None,
        }
    }

    /// Keeps `given`, the runtime given to the context; hands it back when one was
    /// given before, or when the actor has stopped.
    pub(crate) fn carry(&mut self, given: Custom) -> Result<(), Custom> {
        match self {
            Self::Running {
                runtime: slot @ None,
                ..
            } => {
                *slot = Some(Box::new(given));
                Ok(())
            }
            Self::Running { .. } | Self::Stopped { .. } => Err(given),
        }
    }

    /// The runtime given to the context, while the actor may still run.
    pub(crate) fn runtime(&self) -> Option<&Custom> {
        match self {
            Self::Running { runtime, .. } => runtime.as_deref(),
            Self::Stopped { .. } => None,
        }
    }

    /// The stop reason, once published.
    pub(crate) fn reason(&self) -> Option<&StopReason> {
        match self {
            Self::Running { .. } => None,
            Self::Stopped { reason, .. } => Some(reason),
        }
    }

    /// A join handle will wait for the final state (made before the run starts).
    pub(crate) fn expect_handle(&mut self) {
        if let Self::Running { join, .. } = self {
            *join = Some(Waker::noop().clone());
        }
    }

    /// Publishes the stop without a final state (a join handle gets [`JoinError`]).
    /// Only the first stop counts.
    pub(crate) fn publish(&mut self, reason: StopReason) -> AfterUnlock<A> {
        self.stop(reason, None)
    }

    /// Publishes the stop and hands its final state to the join handle, or back to
    /// the caller to drop when there is none (boxed only for a handle).
    pub(crate) fn deliver(&mut self, exit: Exit<A>) -> AfterUnlock<A> {
        let Exit {
            actor,
            reason,
            undelivered,
            restarts,
        } = exit;
        // No handle (none was made, or it was dropped), or a stop published before
        // (not reached: only one run delivers, once): the caller drops the state.
        if !matches!(self, Self::Running { join: Some(_), .. }) {
            let mut after = self.publish(reason);
            after.orphan = Some(actor);
            return after;
        }
        self.stop(
            reason,
            Some(Handover {
                actor: Box::new(actor),
                undelivered,
                restarts,
            }),
        )
    }

    /// Publishes the stop, keeping `handover` for the join handle. Only the first stop
    /// counts.
    fn stop(&mut self, reason: StopReason, handover: Option<Handover<A>>) -> AfterUnlock<A> {
        let Self::Running {
            watchers,
            join,
            runtime,
        } = self
        else {
            return AfterUnlock {
                wake: None,
                watchers: Watchers::default(),
                orphan: None,
                runtime: None,
            };
        };
        let after = AfterUnlock {
            wake: join.take(),
            watchers: std::mem::take(watchers),
            orphan: None,
            runtime: runtime.take(),
        };
        *self = Self::Stopped { reason, handover };
        after
    }

    /// A `wait_for_stop` poll: the reason once published, else its waker is kept
    /// (in the slot `key` names, or a new one).
    pub(crate) fn watch(&mut self, key: &mut Option<usize>, waker: &Waker) -> Option<StopReason> {
        match self {
            Self::Running { watchers, .. } => {
                watchers.watch(key, waker);
                None
            }
            Self::Stopped { reason, .. } => Some(reason.clone()),
        }
    }

    /// The wakers of the pending `wait_for_stop` futures, which keep waiting.
    pub(crate) fn wakers(&self) -> Vec<Waker> {
        match self {
            Self::Running { watchers, .. } => watchers.wakers(),
            Self::Stopped { .. } => Vec::new(),
        }
    }

    /// A pending `wait_for_stop` future is dropped.
    pub(crate) fn unwatch(&mut self, key: usize) {
        if let Self::Running { watchers, .. } = self {
            watchers.unwatch(key);
        }
    }

    /// The join handle's poll: the final state once delivered, [`JoinError`] once the
    /// stop is published without it (or after it was taken).
    pub(crate) fn poll_join(&mut self, waker: &Waker) -> Poll<Result<Exit<A>, JoinError>> {
        match self {
            Self::Running {
                join: Some(kept), ..
            } => {
                kept.clone_from(waker);
                Poll::Pending
            }
            // (Not reached: a dropped handle does not poll.)
            Self::Running { join: None, .. } => Poll::Ready(Err(JoinError)),
            Self::Stopped { reason, handover } => Poll::Ready(match handover.take() {
                Some(Handover {
                    actor,
                    undelivered,
                    restarts,
                }) => Ok(Exit {
                    actor: *actor,
                    reason: reason.clone(),
                    undelivered,
                    restarts,
                }),
                None => Err(JoinError),
            }),
        }
    }

    /// The join handle is dropped: hands back a delivered final state for the caller to
    /// drop once the lock is released.
    pub(crate) fn drop_handle(&mut self) -> Option<Box<A>> {
        match self {
            Self::Running { join, .. } => {
                *join = None;
                None
            }
            Self::Stopped { handover, .. } => handover.take().map(|handover| handover.actor),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::task::Poll;

    use super::ExitSlot;
    use crate::counting_waker::counting_waker;
    use crate::{Exit, JoinError, StopReason};

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
        let (counting, waker) = counting_waker();
        let mut slot = ExitSlot::new();
        slot.expect_handle();
        assert!(slot.poll_join(&waker).is_pending());
        let after = slot.deliver(exit(7));
        assert!(after.orphan.is_none());
        assert_eq!(slot.reason(), Some(&StopReason::Requested));
        after.wake.expect("the handle's waker").wake();
        assert_eq!(counting.wakes(), 1);
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
        let (counting, waker) = counting_waker();
        let mut slot = ExitSlot::<u32>::new();
        slot.expect_handle();
        assert!(slot.poll_join(&waker).is_pending());
        let after = slot.publish(StopReason::Cancelled);
        after.wake.expect("the handle's waker").wake();
        assert_eq!(counting.wakes(), 1);
        assert!(matches!(
            slot.poll_join(&waker),
            Poll::Ready(Err(JoinError))
        ));
        assert_eq!(slot.reason(), Some(&StopReason::Cancelled));
        // Only the first stop counts.
        assert!(slot.publish(StopReason::Killed).wake.is_none());
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

    #[test]
    fn watchers_are_woken_by_the_stop_and_then_get_its_reason() {
        let (counting, waker) = counting_waker();
        let mut slot = ExitSlot::<u32>::new();
        let (mut first, mut second, mut gone) = (None, None, None);
        assert_eq!(slot.watch(&mut first, &waker), None);
        assert_eq!(slot.watch(&mut gone, &waker), None);
        assert_eq!(slot.watch(&mut second, &waker), None);
        slot.unwatch(gone.expect("a key"));
        let after = slot.deliver(exit(1));
        assert_eq!(after.orphan, Some(1), "no join handle");
        after.watchers.wake_all();
        assert_eq!(counting.wakes(), 2, "the two still waiting");
        assert_eq!(slot.watch(&mut first, &waker), Some(StopReason::Requested));
        // A watcher dropped after the stop has nothing to give up.
        slot.unwatch(second.expect("a key"));
        assert_eq!(slot.reason(), Some(&StopReason::Requested));
    }

    #[test]
    fn the_slot_is_no_bigger_than_the_reason_and_a_handover() {
        // The waiters (and a given runtime) share the room the stop reason takes later.
        assert!(
            std::mem::size_of::<ExitSlot<u32>>()
                <= std::mem::size_of::<StopReason>()
                    + std::mem::size_of::<Option<super::Handover<u32>>>()
        );
    }
}
