//! [`JoinHandle`]: the final state of a spawned actor.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use crate::cell::ActorCell;
use crate::{Exit, JoinError};

/// Resolves to the [`Exit`] of a spawned actor once it has stopped, on any executor.
///
/// Returned by [`Context::spawn`](crate::Context::spawn). Dropping it detaches the
/// actor, which runs on.
///
/// The handle waits in the actor's cell state (no channel of its own), which it keeps
/// allocated until it is awaited or dropped: a few hundred bytes per finished actor,
/// plus its final state once delivered.
///
/// # Cancel safety
///
/// Cancel safe; dropping the handle only gives up the final state.
#[must_use = "dropping the handle detaches the actor; await it for the final state"]
pub struct JoinHandle<A> {
    /// The actor's cell state, where its run leaves the final state (see `ExitSlot`);
    /// let go of once the handle has resolved.
    cell: Option<Arc<ActorCell<A>>>,
}

impl<A> JoinHandle<A> {
    /// The handle of the actor whose cell state this is; made before its run starts.
    pub(crate) fn new(cell: &Arc<ActorCell<A>>) -> Self {
        cell.expect_join();
        Self {
            cell: Some(Arc::clone(cell)),
        }
    }
}

impl<A> Drop for JoinHandle<A> {
    fn drop(&mut self) {
        if let Some(cell) = &self.cell {
            cell.drop_join();
        }
    }
}

impl<A> Future for JoinHandle<A> {
    type Output = Result<Exit<A>, JoinError>;

    /// # Errors
    ///
    /// [`JoinError`] when the task running the actor was dropped before the actor
    /// stopped (the runtime shut down, for instance), or when polled again after it
    /// resolved.
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let Some(cell) = &this.cell else {
            return Poll::Ready(Err(JoinError));
        };
        let exit = ready!(cell.poll_join(cx));
        // Resolved: nothing more to take, and nothing to tell the cell state on drop.
        this.cell = None;
        Poll::Ready(exit)
    }
}

impl<A> fmt::Debug for JoinHandle<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("actor", &std::any::type_name::<A>())
            .finish_non_exhaustive()
    }
}
