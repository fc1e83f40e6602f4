//! [`Ordered`]: work done in the order it is given, at once where it can be: each
//! piece is polled right where it is handed in (no task hop) while nothing waits
//! before it; once one must wait, it and everything after it go to a backlog that a
//! task of the node drains, one after the other, and once that is empty the next
//! piece runs at once again. Work that may block the thread it runs in (an engine
//! call that blocks while the engine is congested) always goes to the backlog.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::task::{Context, Waker};

use tokio::sync::mpsc;

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

struct State {
    /// Whether work waits in the backlog: each new piece then queues behind it.
    backed_up: bool,
    /// `None` once closed.
    queue: Option<mpsc::UnboundedSender<Work>>,
}

/// The work that had to wait, for the task that drains it.
pub(crate) struct Backlog(mpsc::UnboundedReceiver<Work>);

impl Ordered {
    /// Work runs at once where it can.
    pub(crate) fn new() -> (Self, Backlog) {
        Self::with(true)
    }

    /// Work always goes to the backlog: for work that may block its thread.
    pub(crate) fn queued() -> (Self, Backlog) {
        Self::with(false)
    }

    fn with(at_once: bool) -> (Self, Backlog) {
        let (queue, backlog) = mpsc::unbounded_channel();
        let ordered = Self {
            state: Mutex::new(State {
                backed_up: false,
                queue: Some(queue),
            }),
            at_once,
            waiting: AtomicUsize::new(0),
        };
        (ordered, Backlog(backlog))
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
        if state.queue.is_none() {
            drop(state);
            return;
        }
        if self.at_once && !state.backed_up {
            // Polled once here; if it must wait, the draining task polls it again
            // (with its own waker) before anything else.
            let mut look = Context::from_waker(Waker::noop());
            // The node's work, even in an actor's thread (see `inline::exclusively`).
            let poll = || work.as_mut().poll(&mut look);
            if messages::proxy::outside_actors(poll).is_ready() {
                return;
            }
            state.backed_up = true;
        }
        // Dropped at once (after the lock) when the draining task is gone.
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let refused = state
            .queue
            .as_ref()
            .and_then(|queue| queue.send(work).err());
        if refused.is_some() {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
        }
        drop(state);
        drop(refused);
    }

    /// Takes no more work: the backlog ends (`next` gives `None`) once what is in it
    /// is done.
    pub(crate) fn close(&self) {
        let queue = self.state().queue.take();
        drop(queue);
    }

    /// The next piece of the backlog; once it is empty, new work runs at once again.
    /// `None` once this `Ordered` is closed or dropped and its backlog done.
    pub(crate) async fn next(&self, backlog: &mut Backlog) -> Option<Work> {
        let work = self.take(backlog).await;
        if work.is_some() {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
        }
        work
    }

    async fn take(&self, backlog: &mut Backlog) -> Option<Work> {
        if let Ok(work) = backlog.0.try_recv() {
            return Some(work);
        }
        {
            let mut state = self.state();
            match backlog.0.try_recv() {
                Ok(work) => return Some(work),
                Err(_) => state.backed_up = false,
            }
        }
        backlog.0.recv().await
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
        let (ordered, mut backlog) = Ordered::new();
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
            while let Some(work) = ordered.next(&mut backlog).await {
                work.await;
            }
        });
        drained
            .await
            .expect("the backlog ends once closed and drained");
        assert_eq!(*log.lock().unwrap(), [1, 2, 3], "dropped once closed");
    }

    #[tokio::test]
    async fn queued_work_never_runs_where_it_is_handed_in() {
        let (ordered, mut backlog) = Ordered::queued();
        let log = Arc::new(Mutex::new(Vec::new()));
        let open = Arc::new(tokio::sync::Semaphore::new(1));
        ordered.run(logs(1, &log, &open));
        ordered.run(logs(2, &log, &open));
        assert!(log.lock().unwrap().is_empty());
        assert_eq!(ordered.waiting(), 2);
        ordered.next(&mut backlog).await.expect("the first").await;
        assert_eq!(ordered.waiting(), 1);
        ordered.next(&mut backlog).await.expect("the second").await;
        assert_eq!(*log.lock().unwrap(), [1, 2]);
        assert_eq!(ordered.waiting(), 0);
    }
}
