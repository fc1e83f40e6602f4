//! [`Ordered`]: work done in the order it is given, at once where it can be: each
//! piece is polled right where it is handed in (no task hop) while nothing waits
//! before it; once one must wait, it and everything after it go to a backlog that a
//! task of the node drains, one after the other, and once that is empty the next
//! piece runs at once again.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};
use std::task::{Context, Waker};

use tokio::sync::mpsc;

/// A piece of work, owning what it needs.
pub(crate) type Work = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Where work is handed in.
pub(crate) struct Ordered {
    /// Whether work waits in the backlog: each new piece then queues behind it.
    backed_up: Mutex<bool>,
    queue: mpsc::UnboundedSender<Work>,
}

/// The work that had to wait, for the task that drains it.
pub(crate) struct Backlog(mpsc::UnboundedReceiver<Work>);

impl Ordered {
    pub(crate) fn new() -> (Self, Backlog) {
        let (queue, backlog) = mpsc::unbounded_channel();
        let ordered = Self {
            backed_up: Mutex::new(false),
            queue,
        };
        (ordered, Backlog(backlog))
    }

    /// Runs `work` now if nothing waits before it, as far as it goes without
    /// waiting; what is left (or all of it, behind others) joins the backlog.
    pub(crate) fn run(&self, mut work: Work) {
        let mut backed_up = self
            .backed_up
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if !*backed_up {
            // Polled once here; if it must wait, the draining task polls it again
            // (with its own waker) before anything else.
            let mut look = Context::from_waker(Waker::noop());
            if work.as_mut().poll(&mut look).is_ready() {
                return;
            }
            *backed_up = true;
        }
        // Dropped at once (after the lock) when the draining task is gone.
        let refused = self.queue.send(work).err();
        drop(backed_up);
        drop(refused);
    }

    /// The next piece of the backlog; once it is empty, new work runs at once again.
    /// `None` once this `Ordered` is dropped and its backlog done.
    pub(crate) async fn next(&self, backlog: &mut Backlog) -> Option<Work> {
        if let Ok(work) = backlog.0.try_recv() {
            return Some(work);
        }
        {
            let mut backed_up = self
                .backed_up
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            match backlog.0.try_recv() {
                Ok(work) => return Some(work),
                Err(_) => *backed_up = false,
            }
        }
        backlog.0.recv().await
    }
}
