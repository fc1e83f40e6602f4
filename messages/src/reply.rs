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
    answer: oneshot::Receiver<Answered<R>>,
    actor: ActorId,
}

impl<R> Reply<R> {
    pub(crate) fn new(answer: oneshot::Receiver<Answered<R>>, actor: ActorId) -> Self {
        Self { answer, actor }
    }
}

/// What the actor sends back to a requester: the handler's answer, or word that the
/// handler panicked (a requester whose request was dropped unhandled learns it from
/// the closed channel).
///
/// Not `Result<R, SendError>`: the error's byte beside the answer gave the value an
/// uneven layout, which the compiler copied in overlapping pieces that the processor
/// could not forward from the stores just made (twice per request on the caller's
/// path). This layout is the one of `Option<R>`.
#[derive(Debug)]
pub(crate) enum Answered<R> {
    Value(R),
    Panicked,
}

/// Where an actor sends its answer to one request.
pub(crate) type ReplySender<R> = oneshot::Sender<Answered<R>>;

impl<R> Future for Reply<R> {
    type Output = Result<R, SendError>;

    // A thin layer over the reply channel, polled on every request: inline, so the
    // answer does not travel through one more frame.
    #[inline(always)]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match Pin::new(&mut self.answer).poll(cx) {
            Poll::Ready(Ok(Answered::Value(answer))) => Poll::Ready(Ok(answer)),
            Poll::Ready(Ok(Answered::Panicked)) => Poll::Ready(Err(SendError::Panicked)),
            // The envelope was dropped unhandled: the actor stopped before answering.
            Poll::Ready(Err(_)) => Poll::Ready(Err(SendError::Unanswered)),
            // Not answered yet, and the actor cannot answer while the caller is one of
            // its own handlers (or answers a request the actor waits for).
            Poll::Pending if current::would_deadlock(self.actor) => {
                Poll::Ready(Err(SendError::WouldDeadlock))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}
