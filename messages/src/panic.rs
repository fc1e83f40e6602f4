//! Containing panics raised while a future is polled.

use std::any::Any;
use std::future::{Future, poll_fn};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::pin;
use std::task::Poll;

/// The payload of a caught panic.
pub(crate) type Panic = Box<dyn Any + Send>;

/// Runs `future` to completion, turning a panic in any of its polls into `Err`.
///
/// Unwind safety: after a panic the future is never polled again, and the state it
/// borrowed (the actor) is only handed to the `stopped` hook and then back to the
/// owner, as documented in the crate's failure model.
pub(crate) async fn catch_unwind_future<F: Future>(future: F) -> Result<F::Output, Panic> {
    let mut future = pin!(future);
    poll_fn(
        |cx| match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(panic) => Poll::Ready(Err(panic)),
        },
    )
    .await
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
