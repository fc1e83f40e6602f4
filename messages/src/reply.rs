//! [`Reply`]: the answer to a request that is already queued.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::sync::oneshot;

use crate::reentrancy;
use crate::waits::{self, Wait};
use crate::{ActorId, SendError};

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
    /// A read request (for the wait graph: reads are admitted beside other reads).
    read: bool,
    /// Awaited from inside an actor: that actor's wait on this one, until the answer
    /// comes or the reply is dropped (see `waits`).
    wait: Option<Wait>,
}

impl<R> Reply<R> {
    /// The answer to a request queued without a registered wait (`try_send`): its wait
    /// is registered when it is first awaited inside an actor.
    pub(crate) fn new(answer: oneshot::Receiver<Answered<R>>, actor: ActorId, read: bool) -> Self {
        Self::waiting(answer, actor, read, None)
    }

    /// The answer to a request whose wait is already registered.
    pub(crate) fn waiting(
        answer: oneshot::Receiver<Answered<R>>,
        actor: ActorId,
        read: bool,
        wait: Option<Wait>,
    ) -> Self {
        Self {
            answer,
            actor,
            read,
            wait,
        }
    }
}

/// What the actor sends back to a requester: the handler's answer, or why none comes
/// ([`SendError::Panicked`] when the handler panicked; a stand-in such as a remote
/// proxy may fail a request otherwise). A requester whose request was dropped
/// unhandled learns it from the closed channel.
#[derive(Debug)]
pub(crate) enum Answered<R> {
    Value(R),
    Failed(SendError),
}

/// Where an actor sends its answer to one request.
pub(crate) type ReplySender<R> = oneshot::Sender<Answered<R>>;

impl<R> Future for Reply<R> {
    type Output = Result<R, SendError>;

    // A thin layer over the reply channel, polled on every request: inline, so the
    // answer does not travel through one more frame.
    #[inline(always)]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let answer = match Pin::new(&mut self.answer).poll(cx) {
            Poll::Ready(Ok(Answered::Value(answer))) => Ok(answer),
            Poll::Ready(Ok(Answered::Failed(error))) => Err(error),
            // The envelope was dropped unhandled: the actor stopped before answering.
            Poll::Ready(Err(_)) => Err(SendError::Unanswered),
            // Not answered yet: from inside an actor, a wait on this one, unless it
            // could never end (the caller is one of the actor's own handlers, or the
            // actor waits on the caller).
            Poll::Pending if self.wait.is_some() => return Poll::Pending,
            Poll::Pending => match waits::begin(reentrancy::waiter(), self.actor, self.read) {
                Ok(wait) => {
                    self.wait = wait;
                    return Poll::Pending;
                }
                Err(_) => Err(SendError::WouldDeadlock),
            },
        };
        self.wait = None;
        Poll::Ready(answer)
    }
}
