//! [`Ordered`]: work done in the order it is given, at once where it can be: each
//! piece is polled right where it is handed in (no task hop) while nothing waits
//! before it; once one must wait, it and everything after it go to a backlog that
//! one drainer takes, one piece after the other, and once that is empty the next
//! piece runs at once again. Work that may block the thread it runs in (an engine
//! call that blocks while the engine is congested) always goes to the backlog.
//!
//! No piece is polled, and no drainer woken, under the lock: the drainer may be one
//! driven by its own wake-ups (see `inline`), which runs in the very thread that
//! wakes it, and a piece may wake it, or hand work in again, as it runs.

use std::collections::VecDeque;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

/// A piece of work, owning what it needs.
pub(crate) type Work = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Where work is handed in.
pub(crate) struct Ordered {
    state: Mutex<State>,
    /// Whether work may run where it is handed in.
    at_once: bool,
    /// How many pieces wait in the backlog (not counting one being done).
    waiting: AtomicUsize,
}

#[derive(Default)]
struct State {
    /// Whether work waits in the backlog (or is being done from it): each new piece
    /// then queues behind it.
    backed_up: bool,
    /// A piece is being polled where it was handed in (without the lock: what it
    /// wakes may run here and hand work in, or drain): new work queues behind it, and
    /// the drainer waits for it.
    running: bool,
    backlog: VecDeque<Work>,
    /// Takes no more work: the backlog ends once drained.
    closed: bool,
    /// The drainer, waiting for work.
    drainer: Option<Waker>,
}

impl Ordered {
    /// Work runs at once where it can.
    pub(crate) fn new() -> Self {
        Self::with(true)
    }

    /// Work always goes to the backlog: for work that may block its thread.
    pub(crate) fn queued() -> Self {
        Self::with(false)
    }

    fn with(at_once: bool) -> Self {
        Self {
            state: Mutex::default(),
            at_once,
            waiting: AtomicUsize::new(0),
        }
    }

    /// How many pieces wait in the backlog.
    pub(crate) fn waiting(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `work` now if nothing waits before it (never, when [`queued`](Self::queued)),
    /// as far as it goes without waiting; what is left (or all of it, behind others)
    /// joins the backlog. Once closed, `work` is dropped.
    pub(crate) fn run(&self, mut work: Work) {
        let mut state = self.state();
        if state.closed {
            drop(state);
            return;
        }
        if self.at_once && !state.backed_up && !state.running {
            state.running = true;
            drop(state);
            // Polled once here, without the lock; if it must wait, the drainer polls
            // it again (with its own waker) before anything else.
            let mut look = Context::from_waker(Waker::noop());
            // The node's work, even in an actor's thread (see `inline::exclusively`).
            let poll = || work.as_mut().poll(&mut look);
            let done = messages::proxy::outside_actors(poll).is_ready();
            state = self.state();
            state.running = false;
            if !done {
                state.backed_up = true;
                self.waiting.fetch_add(1, Ordering::SeqCst);
                state.backlog.push_front(work);
            }
        } else {
            state.backed_up = true;
            self.waiting.fetch_add(1, Ordering::SeqCst);
            state.backlog.push_back(work);
        }
        let drainer = if state.backlog.is_empty() {
            None
        } else {
            state.drainer.take()
        };
        drop(state);
        if let Some(drainer) = drainer {
            drainer.wake();
        }
    }

    /// Takes no more work: the backlog ends (`next` gives `None`) once what is in it
    /// is done.
    pub(crate) fn close(&self) {
        let drainer = {
            let mut state = self.state();
            state.closed = true;
            state.drainer.take()
        };
        if let Some(drainer) = drainer {
            drainer.wake();
        }
    }

    /// The next piece of the backlog; once it is empty, new work runs at once again.
    /// `None` once this `Ordered` is closed and its backlog done. One drainer only.
    pub(crate) async fn next(&self) -> Option<Work> {
        poll_fn(|cx| {
            let mut state = self.state();
            if !state.running {
                if let Some(work) = state.backlog.pop_front() {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Poll::Ready(Some(work));
                }
                state.backed_up = false;
                if state.closed {
                    return Poll::Ready(None);
                }
            }
            match &mut state.drainer {
                Some(waker) if waker.will_wake(cx.waker()) => {}
                drainer => *drainer = Some(cx.waker().clone()),
            }
            Poll::Pending
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// Work that logs `n` once `gate` opens (at once if it is open).
    fn logs(n: u32, log: &Arc<Mutex<Vec<u32>>>, gate: &Arc<tokio::sync::Semaphore>) -> Work {
        let (log, gate) = (Arc::clone(log), Arc::clone(gate));
        Box::pin(async move {
            drop(gate.acquire().await);
            log.lock().unwrap().push(n);
        })
    }

    #[tokio::test]
    async fn work_keeps_its_order_and_the_backlog_ends_once_closed() {
        let ordered = Ordered::new();
        let log = Arc::new(Mutex::new(Vec::new()));
        let open = Arc::new(tokio::sync::Semaphore::new(1));
        let shut = Arc::new(tokio::sync::Semaphore::new(0));
        ordered.run(logs(1, &log, &open));
        assert_eq!(*log.lock().unwrap(), [1], "run at once");
        ordered.run(logs(2, &log, &shut));
        // Could run at once, but waits behind 2.
        ordered.run(logs(3, &log, &open));
        assert_eq!(*log.lock().unwrap(), [1]);
        ordered.close();
        ordered.run(logs(4, &log, &open));
        shut.add_permits(1);
        let drained = tokio::time::timeout(std::time::Duration::from_secs(10), async {
            while let Some(work) = ordered.next().await {
                work.await;
            }
        });
        drained
            .await
            .expect("the backlog ends once closed and drained");
        assert_eq!(*log.lock().unwrap(), [1, 2, 3], "dropped once closed");
    }

    /// A drainer driven by its own wake-ups (as the serving node's is) runs in the
    /// thread that wakes it, even inside `run` and `close`: it is woken once the lock
    /// is let go, so it can take the next piece there.
    #[test]
    fn a_drainer_driven_by_its_wake_ups_runs_where_it_is_woken() {
        let ordered = Arc::new(Ordered::new());
        let log = Arc::new(Mutex::new(Vec::new()));
        let open = Arc::new(tokio::sync::Semaphore::new(1));
        let shut = Arc::new(tokio::sync::Semaphore::new(0));
        let drained = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (draining, done) = (Arc::clone(&ordered), Arc::clone(&drained));
        crate::inline::run(Box::pin(async move {
            while let Some(work) = draining.next().await {
                work.await;
            }
            done.store(true, Ordering::SeqCst);
        }));
        ordered.run(logs(1, &log, &shut));
        ordered.run(logs(2, &log, &open));
        assert!(log.lock().unwrap().is_empty(), "2 waits behind 1");
        // Opening the gate wakes the drainer here: 1, then 2, at once.
        shut.add_permits(1);
        assert_eq!(*log.lock().unwrap(), [1, 2]);
        // Nothing waits: new work runs at once again.
        ordered.run(logs(3, &log, &open));
        assert_eq!(*log.lock().unwrap(), [1, 2, 3]);
        ordered.close();
        assert!(
            drained.load(Ordering::SeqCst),
            "the drainer ends once closed"
        );
    }

    /// A piece that hands work in again as it runs (an engine delivering to itself),
    /// with a drainer that runs where it is woken: nothing waits for a lock this
    /// thread holds, and the new work comes after the piece.
    #[test]
    fn a_piece_may_hand_work_in_as_it_runs() {
        let (finished, finishing) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let ordered = Arc::new(Ordered::new());
            let log = Arc::new(Mutex::new(Vec::new()));
            let open = Arc::new(tokio::sync::Semaphore::new(1));
            let draining = Arc::clone(&ordered);
            crate::inline::run(Box::pin(async move {
                while let Some(work) = draining.next().await {
                    work.await;
                }
            }));
            let (again, written) = (Arc::clone(&ordered), Arc::clone(&log));
            ordered.run(Box::pin(async move {
                again.run(logs(2, &written, &open));
                written.lock().unwrap().push(1);
            }));
            let _ = finished.send(log.lock().unwrap().clone());
        });
        let log = finishing
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("no deadlock");
        assert_eq!(log, [1, 2]);
    }

    #[tokio::test]
    async fn queued_work_never_runs_where_it_is_handed_in() {
        let ordered = Ordered::queued();
        let log = Arc::new(Mutex::new(Vec::new()));
        let open = Arc::new(tokio::sync::Semaphore::new(1));
        ordered.run(logs(1, &log, &open));
        ordered.run(logs(2, &log, &open));
        assert!(log.lock().unwrap().is_empty());
        assert_eq!(ordered.waiting(), 2);
        ordered.next().await.expect("the first").await;
        assert_eq!(ordered.waiting(), 1);
        ordered.next().await.expect("the second").await;
        assert_eq!(*log.lock().unwrap(), [1, 2]);
        assert_eq!(ordered.waiting(), 0);
    }
}
