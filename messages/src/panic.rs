//! Containing panics raised while a future is polled.

use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

use pin_project_lite::pin_project;

/// The payload of a caught panic.
pub(crate) type Panic = Box<dyn Any + Send>;

pin_project! {
    /// Runs a future to completion, turning a panic in any of its polls into `Err`.
    /// (A panic while the future is made, in the synchronous part of a
    /// `fn .. -> impl Future` handler or hook, is caught by [`catch`] where it is made.)
    ///
    /// Unwind safety: after a panic the future is never polled again, and the state it
    /// borrowed (the actor) is only handed to the `on_panic` and `stopped` hooks and then
    /// back to the owner, as documented in the crate's failure model.
    pub(crate) struct CatchUnwind<F> {
        #[pin]
        inner: F,
    }
}

/// [`CatchUnwind`] around `future`.
pub(crate) fn catch_unwind_future<F: Future>(future: F) -> CatchUnwind<F> {
    CatchUnwind { inner: future }
}

impl<F: Future> Future for CatchUnwind<F> {
    type Output = Result<F::Output, Panic>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.project().inner;
        match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(panic) => Poll::Ready(Err(panic)),
        }
    }
}

/// Makes the future of a hook with `make` and runs it, a panic in either (the
/// synchronous part of a `fn .. -> impl Future` hook, or a poll) turned into `Err`.
pub(crate) async fn catch_unwind_call<F: Future>(
    make: impl FnOnce() -> F,
) -> Result<F::Output, Panic> {
    let future = catch(make)?;
    catch_unwind_future(future).await
}

/// Runs `f`, turning a panic into `Err`: for user code that is not a future (a
/// factory, a `Default`, a closure).
pub(crate) fn catch<R>(f: impl FnOnce() -> R) -> Result<R, Panic> {
    catch_unwind(AssertUnwindSafe(f))
}

/// Drops `value`, containing a panic in its `Drop` (a state's, a message's, an
/// answer's: user code that runs when the runtime lets go of a value).
pub(crate) fn drop_contained<T>(value: T) -> Result<(), Panic> {
    catch(move || drop(value))
}

/// Runs `future` (a task spawned beside an actor: a timer, a stream forwarder, a
/// monitor) with its panics contained: a panic ends the task, never its executor's
/// thread.
pub(crate) async fn contained(future: impl Future<Output = ()>) {
    let _ = catch_unwind_future(future).await;
}

/// The text a panic was raised with, or a placeholder for a non-text payload.
pub(crate) fn message(panic: &Panic) -> String {
    if let Some(text) = panic.downcast_ref::<&'static str>() {
        (*text).to_owned()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "panic with a non-string payload".to_owned()
    }
}
