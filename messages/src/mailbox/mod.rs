//! The actor's mailbox: a purpose-built queue (see `queue.rs`), bounded or unbounded,
//! carrying type-erased envelopes. Private: addresses and the context loop are its only
//! users.

mod envelope;
mod queue;

pub(crate) use envelope::{
    CloneEnvelope, Envelope, NotifyEnvelope, Opened, ReadDispatch, ReadEnvelope, ReadFuture,
    RequestEnvelope,
};

use std::collections::VecDeque;

use crate::Mailbox;
use crate::sync::Arc;
use queue::{Queue, Refused};

/// Creates a mailbox of the given size.
pub(crate) fn channel<A>(mailbox: Mailbox) -> (Sender<A>, Receiver<A>) {
    let capacity = match mailbox {
        Mailbox::Bounded(capacity) => capacity.get(),
        Mailbox::Unbounded => usize::MAX,
    };
    let queue = Queue::new(capacity);
    (
        Sender {
            queue: Arc::clone(&queue),
        },
        Receiver { queue },
    )
}

/// Why an envelope could not be queued without waiting; the envelope comes back.
pub(crate) enum TryPushError<A> {
    Full(Envelope<A>),
    Closed(Envelope<A>),
}

/// [`Sender::wait_for_room`]'s future.
pub(crate) type WaitForRoom<A> = queue::WaitForRoom<Envelope<A>>;

/// The sending half. Every strong sender keeps the actor reachable.
pub(crate) struct Sender<A> {
    queue: Arc<Queue<Envelope<A>>>,
}

impl<A> Clone for Sender<A> {
    fn clone(&self) -> Self {
        self.queue.add_sender();
        Self {
            queue: Arc::clone(&self.queue),
        }
    }
}

impl<A> Drop for Sender<A> {
    fn drop(&mut self) {
        self.queue.remove_sender();
    }
}

impl<A> Sender<A> {
    /// Queues without waiting.
    pub(crate) fn try_push(&self, envelope: Envelope<A>) -> Result<(), TryPushError<A>> {
        self.queue
            .try_push(envelope)
            .map_err(|refused| match refused {
                Refused::Full(envelope) => TryPushError::Full(envelope),
                Refused::Closed(envelope) => TryPushError::Closed(envelope),
            })
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

    /// Queues once a full bounded mailbox has room, senders that waited longer first;
    /// errs with the envelope when the mailbox closes first.
    ///
    /// Cancel safety: dropping the future before it completes queues nothing.
    pub(crate) fn wait_for_room(&self, envelope: Envelope<A>) -> WaitForRoom<A> {
        queue::WaitForRoom::new(Arc::clone(&self.queue), envelope)
    }

    /// Whether the receiving side closed (the actor stopped or accepted a stop).
    pub(crate) fn is_closed(&self) -> bool {
        self.queue.is_closed()
    }

    pub(crate) fn downgrade(&self) -> WeakSender<A> {
        WeakSender {
            queue: Arc::clone(&self.queue),
        }
    }
}

/// A sender that does not keep the actor reachable.
pub(crate) struct WeakSender<A> {
    queue: Arc<Queue<Envelope<A>>>,
}

impl<A> Clone for WeakSender<A> {
    fn clone(&self) -> Self {
        Self {
            queue: Arc::clone(&self.queue),
        }
    }
}

impl<A> WeakSender<A> {
    /// A strong sender, unless every strong sender is gone (the mailbox then closes for good).
    pub(crate) fn upgrade(&self) -> Option<Sender<A>> {
        self.queue.try_add_sender().then(|| Sender {
            queue: Arc::clone(&self.queue),
        })
    }
}

/// The receiving half, kept by the context until its loop starts. Dropping it closes
/// the mailbox and drops what is still queued.
pub(crate) struct Receiver<A> {
    queue: Arc<Queue<Envelope<A>>>,
}

impl<A> Receiver<A> {
    /// The loop's side of the mailbox.
    pub(crate) fn into_inbox(self) -> Inbox<A> {
        Inbox {
            receiver: self,
            batch: VecDeque::new(),
        }
    }
}

impl<A> Drop for Receiver<A> {
    fn drop(&mut self) {
        self.queue.close_and_clear();
    }
}

/// The receiving half in the running loop: the receiver and the envelopes it has
/// already taken from an unbounded mailbox in one go, in order. Owned by the loop (it
/// is `Send`, not `Sync`, as envelopes are).
pub(crate) struct Inbox<A> {
    receiver: Receiver<A>,
    batch: VecDeque<Envelope<A>>,
}

impl<A> Inbox<A> {
    /// The next envelope; `None` once the mailbox is closed (or every sender is gone)
    /// and empty.
    ///
    /// Cancel safety: cancel safe; an envelope is taken only when it is returned.
    pub(crate) async fn recv(&mut self) -> Option<Envelope<A>> {
        std::future::poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// Polls for the next envelope, as [`recv`](Inbox::recv).
    pub(crate) fn poll_recv(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Envelope<A>>> {
        self.receiver.queue.poll_pop(&mut self.batch, cx)
    }

    /// Refuses new envelopes from now on; queued ones can still be received.
    /// Senders waiting for room are woken and fail.
    pub(crate) fn close(&mut self) {
        self.receiver.queue.close();
    }
}
