//! [`Reply`]: the answer to a request that is already queued.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::sync::oneshot;

use crate::{ActorId, SendError, current};

/// The answer to a queued request, returned by [`Address::try_send`](crate::Address::try_send).
///
/// Resolves to the handler's answer, or to an error when none can come:
/// [`SendError::Unanswered`] if the actor stopped first, [`SendError::Panicked`] if
/// the handler panicked, [`SendError::WouldDeadlock`] if it is awaited (and not yet
/// answered) inside the target actor's own handler.
///
/// # Cancel safety
///
/// Dropping a `Reply` does not withdraw the request: the actor still handles it and its
/// answer is discarded.
#[must_use = "the request is queued either way; dropping the reply discards the answer"]
#[derive(Debug)]
pub struct Reply<R> {
    answer: oneshot::Receiver<Result<R, SendError>>,
    actor: ActorId,
}

impl<R> Reply<R> {
    pub(crate) fn new(answer: oneshot::Receiver<Result<R, SendError>>, actor: ActorId) -> Self {
        Self { answer, actor }
    }
}

impl<R> Future for Reply<R> {
    type Output = Result<R, SendError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match Pin::new(&mut self.answer).poll(cx) {
            Poll::Ready(Ok(answer)) => Poll::Ready(answer),
            // The envelope was dropped unhandled: the actor stopped before answering.
            Poll::Ready(Err(_)) => Poll::Ready(Err(SendError::Unanswered)),
            // Not answered yet, and the actor cannot answer while the caller is one of
            // its own handlers.
            Poll::Pending if current::is_inside(self.actor) => {
                Poll::Ready(Err(SendError::WouldDeadlock))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}
