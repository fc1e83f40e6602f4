//! Containing panics of user code the remote layer runs: a message's or an answer's
//! `Serialize` / `Deserialize`, a hand-written [`Remote`](crate::Remote). A panic
//! there fails that one message (with `SendError::Panicked` where someone waits for
//! an answer) and never the engine's threads or the node's tasks.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

/// `work()`, or `Err(())` if it panicked.
pub(crate) fn contain<T>(work: impl FnOnce() -> T) -> Result<T, ()> {
    // Unwind safety: what `work` touched is dropped or answered as failed by the
    // caller; no state shared with other messages is left half-updated.
    catch_unwind(AssertUnwindSafe(work)).map_err(drop)
}

/// `future`, whose panics (in a poll) end it with `Err(())`.
pub(crate) struct Contained<F>(Option<Pin<Box<F>>>);

impl<F: Future> Contained<F> {
    pub(crate) fn new(future: F) -> Self {
        Self(Some(Box::pin(future)))
    }
}

impl<F: Future> Future for Contained<F> {
    type Output = Result<F::Output, ()>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let Some(future) = self.0.as_mut() else {
            return Poll::Ready(Err(()));
        };
        match contain(|| future.as_mut().poll(cx)) {
            Ok(Poll::Ready(output)) => {
                self.0 = None;
                Poll::Ready(Ok(output))
            }
            Ok(Poll::Pending) => Poll::Pending,
            Err(()) => {
                // What it held may panic again as it is dropped: contained too.
                let future = self.0.take();
                let _ = contain(move || drop(future));
                Poll::Ready(Err(()))
            }
        }
    }
}

impl<F> Drop for Contained<F> {
    fn drop(&mut self) {
        // Dropped before it is done (its node closed, say): what it holds is user
        // code too.
        if let Some(future) = self.0.take() {
            let _ = contain(move || drop(future));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Panics as it is dropped.
    struct Bomb;

    impl Drop for Bomb {
        fn drop(&mut self) {
            panic!("Bomb dropped");
        }
    }

    #[test]
    fn a_future_that_panics_as_it_is_dropped_is_contained() {
        let bomb = Bomb;
        let mut waiting = Box::pin(Contained::new(async move {
            let _bomb = bomb;
            std::future::pending::<()>().await;
        }));
        let mut look = Context::from_waker(std::task::Waker::noop());
        assert!(waiting.as_mut().poll(&mut look).is_pending());
        let dropped = std::panic::catch_unwind(AssertUnwindSafe(move || {
            drop(waiting);
        }));
        assert!(dropped.is_ok(), "the panic in its drop is contained");
    }
}
