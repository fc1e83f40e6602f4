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
