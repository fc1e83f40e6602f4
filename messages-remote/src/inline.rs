//! [`run`]: a future driven by its own wake-ups, polled in the thread that wakes it
//! (no task, no hop: an answer is sent on as soon as the actor gives it). For short,
//! non-blocking work that needs no timer or reactor of the caller's.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
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
        self.notified.store(true, Ordering::SeqCst);
        loop {
            let Ok(mut work) = self.work.try_lock() else {
                // Another thread polls, and will see `notified`.
                return;
            };
            while self.notified.swap(false, Ordering::SeqCst) {
                let Some(future) = work.as_mut() else {
                    return;
                };
                let waker = Waker::from(Arc::clone(self));
                if future
                    .as_mut()
                    .poll(&mut Context::from_waker(&waker))
                    .is_ready()
                {
                    *work = None;
                    return;
                }
            }
            drop(work);
            if !self.notified.load(Ordering::SeqCst) {
                return;
            }
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
