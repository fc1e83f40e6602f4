//! [`JoinHandle`]: the final state of a spawned actor.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::sync::oneshot;

use crate::{Exit, JoinError};

/// Resolves to the [`Exit`] of a spawned actor once it has stopped, on any executor.
///
/// Returned by [`Context::spawn`](crate::Context::spawn) and
/// [`Context::spawn_on`](crate::Context::spawn_on). Dropping it detaches the actor,
/// which runs on.
///
/// # Cancel safety
///
/// Cancel safe; dropping the handle only gives up the final state.
#[must_use = "dropping the handle detaches the actor; await it for the final state"]
pub struct JoinHandle<A> {
    exit: oneshot::Receiver<Exit<A>>,
}

impl<A> JoinHandle<A> {
    pub(crate) fn new() -> (Self, oneshot::Sender<Exit<A>>) {
        let (sender, exit) = oneshot::channel();
        (Self { exit }, sender)
    }
}

impl<A> Future for JoinHandle<A> {
    type Output = Result<Exit<A>, JoinError>;

    /// # Errors
    ///
    /// [`JoinError`] when the task running the actor was dropped before the actor
    /// stopped (the runtime shut down, for instance).
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.exit).poll(cx).map_err(|_| JoinError)
    }
}

impl<A> fmt::Debug for JoinHandle<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("actor", &std::any::type_name::<A>())
            .finish_non_exhaustive()
    }
}
