//! The actor's queue: one tokio `mpsc` channel, bounded or unbounded, carrying
//! type-erased envelopes. Private: addresses and the context loop are its only users.

mod envelope;

pub(crate) use envelope::{
    CloneEnvelope, Envelope, NotifyEnvelope, Opened, ReadDispatch, ReadEnvelope, ReadFuture,
    RequestEnvelope,
};

use std::future::Future;
use std::pin::Pin;

use tokio::sync::mpsc;

use crate::Mailbox;

/// Creates a mailbox of the given size.
pub(crate) fn channel<A>(mailbox: Mailbox) -> (Sender<A>, Receiver<A>) {
    match mailbox {
        Mailbox::Bounded(capacity) => {
            let (tx, rx) = mpsc::channel(capacity.get());
            (Sender::Bounded(tx), Receiver::Bounded(rx))
        }
        Mailbox::Unbounded => {
            let (tx, rx) = mpsc::unbounded_channel();
            (Sender::Unbounded(tx), Receiver::Unbounded(rx))
        }
    }
}

/// Why an envelope could not be queued without waiting; the envelope comes back.
pub(crate) enum TryPushError<A> {
    Full(Envelope<A>),
    Closed(Envelope<A>),
}

/// [`Sender::wait_for_room`]'s future.
pub(crate) type WaitForRoom<'a, A> =
    Pin<Box<dyn Future<Output = Result<(), Envelope<A>>> + Send + 'a>>;

/// The sending half. Every strong sender keeps the actor reachable.
pub(crate) enum Sender<A> {
    Bounded(mpsc::Sender<Envelope<A>>),
    Unbounded(mpsc::UnboundedSender<Envelope<A>>),
}

impl<A> Clone for Sender<A> {
    fn clone(&self) -> Self {
        match self {
            Self::Bounded(tx) => Self::Bounded(tx.clone()),
            Self::Unbounded(tx) => Self::Unbounded(tx.clone()),
        }
    }
}

impl<A> Sender<A> {
    /// Queues without waiting.
    pub(crate) fn try_push(&self, envelope: Envelope<A>) -> Result<(), TryPushError<A>> {
        match self {
            Self::Bounded(tx) => tx.try_send(envelope).map_err(|error| match error {
                mpsc::error::TrySendError::Full(envelope) => TryPushError::Full(envelope),
                mpsc::error::TrySendError::Closed(envelope) => TryPushError::Closed(envelope),
            }),
            Self::Unbounded(tx) => tx
                .send(envelope)
                .map_err(|error| TryPushError::Closed(error.0)),
        }
    }

    /// Queues, waiting for room in a full bounded mailbox. Errs with the envelope
    /// when the mailbox is closed.
    ///
    /// Cancel safety: dropping the future before it completes queues nothing.
    pub(crate) async fn push(&self, envelope: Envelope<A>) -> Result<(), Envelope<A>> {
        let waiting = match self.try_push(envelope) {
            Ok(()) => return Ok(()),
            Err(TryPushError::Closed(envelope)) => return Err(envelope),
            Err(TryPushError::Full(envelope)) => self.wait_for_room(envelope),
        };
        waiting.await
    }

    /// Queues once a full bounded mailbox has room; errs with the envelope when the
    /// mailbox closes first.
    ///
    /// Boxed: waiting for room is the slow path, and its state (tokio's semaphore
    /// acquire) would otherwise enlarge every sending future, and with it every handler
    /// that sends.
    ///
    /// Cancel safety: dropping the future before it completes queues nothing.
    pub(crate) fn wait_for_room(&self, envelope: Envelope<A>) -> WaitForRoom<'_, A> {
        Box::pin(async move {
            match self {
                Self::Bounded(tx) => tx.send(envelope).await.map_err(|error| error.0),
                Self::Unbounded(tx) => tx.send(envelope).map_err(|error| error.0),
            }
        })
    }

    /// Whether the receiving side closed (the actor stopped or accepted a stop).
    pub(crate) fn is_closed(&self) -> bool {
        match self {
            Self::Bounded(tx) => tx.is_closed(),
            Self::Unbounded(tx) => tx.is_closed(),
        }
    }

    pub(crate) fn downgrade(&self) -> WeakSender<A> {
        match self {
            Self::Bounded(tx) => WeakSender::Bounded(tx.downgrade()),
            Self::Unbounded(tx) => WeakSender::Unbounded(tx.downgrade()),
        }
    }
}

/// A sender that does not keep the actor reachable.
pub(crate) enum WeakSender<A> {
    Bounded(mpsc::WeakSender<Envelope<A>>),
    Unbounded(mpsc::WeakUnboundedSender<Envelope<A>>),
}

impl<A> Clone for WeakSender<A> {
    fn clone(&self) -> Self {
        match self {
            Self::Bounded(tx) => Self::Bounded(tx.clone()),
            Self::Unbounded(tx) => Self::Unbounded(tx.clone()),
        }
    }
}

impl<A> WeakSender<A> {
    /// A strong sender, unless every strong sender is gone (the mailbox then closes for good).
    pub(crate) fn upgrade(&self) -> Option<Sender<A>> {
        match self {
            Self::Bounded(tx) => tx.upgrade().map(Sender::Bounded),
            Self::Unbounded(tx) => tx.upgrade().map(Sender::Unbounded),
        }
    }
}

/// The receiving half, owned by the context loop.
pub(crate) enum Receiver<A> {
    Bounded(mpsc::Receiver<Envelope<A>>),
    Unbounded(mpsc::UnboundedReceiver<Envelope<A>>),
}

impl<A> Receiver<A> {
    /// The next envelope; `None` once the mailbox is closed (or every sender is gone)
    /// and empty.
    ///
    /// Cancel safety: cancel safe, as tokio's `recv`.
    pub(crate) async fn recv(&mut self) -> Option<Envelope<A>> {
        match self {
            Self::Bounded(rx) => rx.recv().await,
            Self::Unbounded(rx) => rx.recv().await,
        }
    }

    /// Polls for the next envelope, as [`recv`](Receiver::recv).
    pub(crate) fn poll_recv(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Envelope<A>>> {
        match self {
            Self::Bounded(rx) => rx.poll_recv(cx),
            Self::Unbounded(rx) => rx.poll_recv(cx),
        }
    }

    /// Refuses new envelopes from now on; queued ones can still be received.
    /// Senders waiting for room are woken and fail.
    pub(crate) fn close(&mut self) {
        match self {
            Self::Bounded(rx) => rx.close(),
            Self::Unbounded(rx) => rx.close(),
        }
    }
}
