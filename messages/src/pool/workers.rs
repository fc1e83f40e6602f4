//! The pool's workers: the list its handle resizes and its dispatcher routes to.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::PoolError;
use crate::{Actor, ActorId, Address};

/// Starts one worker (supervised, on the pool's runtime) and returns its address.
pub(super) type Start<A> = Box<dyn Fn() -> Address<A> + Send + Sync>;

/// The workers of one pool, shared by its handles and its dispatcher.
pub(super) struct Workers<A> {
    state: Mutex<State<A>>,
    /// Bumped on every change of the list, so the dispatcher knows when to look again
    /// without taking the lock per message.
    version: AtomicU64,
    start: Start<A>,
}

struct State<A> {
    list: Vec<Address<A>>,
    /// The pool has stopped: the list is empty for good.
    closed: bool,
}

impl<A: Actor> Workers<A> {
    /// `size` workers, started now.
    pub(super) fn start(size: usize, start: Start<A>) -> Arc<Self> {
        let list = (0..size).map(|_| start()).collect();
        Arc::new(Self {
            state: Mutex::new(State {
                list,
                closed: false,
            }),
            version: AtomicU64::new(0),
            start,
        })
    }

    fn lock(&self) -> MutexGuard<'_, State<A>> {
        // No user code runs under the lock: a panic cannot leave the list half-written.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Which list the dispatcher should route to: it changed when this did.
    pub(super) fn version(&self) -> u64 {
        self.version.load(Ordering::Acquire)
    }

    /// The workers now, and the version of the list they are.
    pub(super) fn snapshot(&self) -> (u64, Vec<Address<A>>) {
        let state = self.lock();
        (self.version(), state.list.clone())
    }

    pub(super) fn len(&self) -> usize {
        self.lock().list.len()
    }

    pub(super) fn list(&self) -> Vec<Address<A>> {
        self.lock().list.clone()
    }

    /// Starts or drops workers until there are `size`; returns the dropped ones (the
    /// newest), for the caller to stop.
    pub(super) fn resize(&self, size: usize) -> Result<Vec<Address<A>>, PoolError> {
        if size == 0 {
            return Err(PoolError::Empty);
        }
        let mut state = self.lock();
        if state.closed {
            return Err(PoolError::Stopped);
        }
        let removed = if size < state.list.len() {
            state.list.split_off(size)
        } else {
            let missing = size - state.list.len();
            state.list.extend((0..missing).map(|_| (self.start)()));
            Vec::new()
        };
        self.version.fetch_add(1, Ordering::AcqRel);
        Ok(removed)
    }

    /// A worker that stopped for good leaves the list.
    pub(super) fn remove(&self, id: ActorId) {
        let mut state = self.lock();
        let before = state.list.len();
        state.list.retain(|worker| worker.id() != id);
        if state.list.len() != before {
            self.version.fetch_add(1, Ordering::AcqRel);
        }
    }

    /// The pool stops: the list is emptied for good and handed over, to be stopped.
    pub(super) fn close(&self) -> Vec<Address<A>> {
        let mut state = self.lock();
        state.closed = true;
        self.version.fetch_add(1, Ordering::AcqRel);
        std::mem::take(&mut state.list)
    }
}
