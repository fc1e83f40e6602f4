//! [`run`]: a future driven by its own wake-ups, polled in the thread that wakes it
//! (no task, no hop: an answer is sent on as soon as the actor gives it). For short,
//! non-blocking work that needs no timer or reactor of the caller's.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, TryLockError};
use std::task::{Context, Wake, Waker};

use crate::ordered::Work;

/// Polls `work` now, and again in whichever thread wakes it, until it is done.
pub(crate) fn run(work: Work) {
    let inline = Arc::new(Inline {
        work: Mutex::new(Some(work)),
        notified: AtomicBool::new(false),
    });
    inline.poll();
}

struct Inline {
    /// `None` once done.
    work: Mutex<Option<Work>>,
    /// Set by every wake-up, cleared by the thread that polls: a wake-up while
    /// another thread polls is never lost.
    notified: AtomicBool,
}

impl Inline {
    fn poll(self: &Arc<Self>) {
        exclusively(&self.work, &self.notified, |work| {
            let Some(future) = work.as_mut() else {
                return Done;
            };
            let waker = Waker::from(Arc::clone(self));
            if future
                .as_mut()
                .poll(&mut Context::from_waker(&waker))
                .is_ready()
            {
                *work = None;
                return Done;
            }
            Again
        });
    }
}

/// What a step of [`exclusively`] says.
pub(crate) enum Step {
    /// Waiting: take another step if a wake-up came meanwhile.
    Again,
    /// Finished: no more steps.
    Done,
}

use Step::{Again, Done};

/// Takes `step` on `state` under its lock, once per wake-up (`notified`, set here and
/// by every wake-up), in one thread at a time: a wake-up while another thread holds
/// the lock is left to that thread, which sees `notified` and steps again, so none is
/// lost and none waits for the lock.
pub(crate) fn exclusively<T>(
    state: &Mutex<T>,
    notified: &AtomicBool,
    mut step: impl FnMut(&mut T) -> Step,
) {
    // The node's work, even in an actor's thread (the actor may be the one it sends
    // to): it waits for room as any other sender.
    messages::proxy::outside_actors(|| exclusively_here(state, notified, &mut step));
}

fn exclusively_here<T>(
    state: &Mutex<T>,
    notified: &AtomicBool,
    step: &mut impl FnMut(&mut T) -> Step,
) {
    notified.store(true, Ordering::SeqCst);
    loop {
        let mut state = match state.try_lock() {
            Ok(state) => state,
            // Busy: the thread that holds it sees `notified`.
            Err(TryLockError::WouldBlock) => return,
            // A step panicked under it (each step leaves the state whole).
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
        };
        while notified.swap(false, Ordering::SeqCst) {
            if let Done = step(&mut state) {
                return;
            }
        }
        drop(state);
        if !notified.load(Ordering::SeqCst) {
            return;
        }
    }
}

impl Wake for Inline {
    fn wake(self: Arc<Self>) {
        self.poll();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.poll();
    }
}
