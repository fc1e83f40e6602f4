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
use std::sync::Arc;

use crate::Mailbox;
use crate::shared::Shared;
pub(crate) use queue::Queue;
use queue::Refused;

/// The queue of a mailbox of the given size, to live in the actor's shared state.
pub(crate) fn queue<A>(mailbox: Mailbox) -> Queue<Envelope<A>> {
    Queue::new(match mailbox {
        Mailbox::Bounded(capacity) => capacity.get(),
        Mailbox::Unbounded => usize::MAX,
    })
}

/// The first sender and the receiver of the mailbox in `shared` (made by [`queue`]).
pub(crate) fn channel<A>(shared: &Arc<Shared<A>>) -> (Sender<A>, Receiver<A>) {
    // The queue counts its first strong sender from the start.
    (
        Sender {
            shared: Arc::clone(shared),
        },
        Receiver {
            shared: Arc::clone(shared),
        },
    )
}

/// Why an envelope could not be queued without waiting; the envelope comes back.
pub(crate) enum TryPushError<A> {
    Full(Envelope<A>),
    Closed(Envelope<A>),
}

/// [`Sender::wait_for_room`]'s future.
pub(crate) type WaitForRoom<'a, A> = queue::WaitForRoom<'a, Envelope<A>>;

/// The sending half: the actor's shared state, whose mailbox it counts as one strong
/// sender. Every strong sender keeps the actor reachable.
pub(crate) struct Sender<A> {
    shared: Arc<Shared<A>>,
}

impl<A> Clone for Sender<A> {
    fn clone(&self) -> Self {
        self.shared.mailbox.add_sender();
        Self {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<A> Drop for Sender<A> {
    fn drop(&mut self) {
        self.shared.mailbox.remove_sender();
    }
}

impl<A> Sender<A> {
    /// A sender of a mailbox whose strong senders are all gone: refused on every send.
    pub(crate) fn disconnected(shared: &Arc<Shared<A>>) -> Self {
        shared.mailbox.add_sender();
        Self {
            shared: Arc::clone(shared),
        }
    }

    /// The actor's shared state.
    pub(crate) fn shared(&self) -> &Arc<Shared<A>> {
        &self.shared
    }

    /// Queues without waiting.
    pub(crate) fn try_push(&self, envelope: Envelope<A>) -> Result<(), TryPushError<A>> {
        self.shared
            .mailbox
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
    pub(crate) fn wait_for_room(&self, envelope: Envelope<A>) -> WaitForRoom<'_, A> {
        queue::WaitForRoom::new(&self.shared.mailbox, envelope)
    }

    /// Whether the mailbox refuses messages (the actor stopped or accepted a stop, or
    /// every address was dropped).
    pub(crate) fn is_closed(&self) -> bool {
        self.shared.mailbox.is_closed()
    }

    pub(crate) fn downgrade(&self) -> WeakSender<A> {
        WeakSender {
            shared: Arc::clone(&self.shared),
        }
    }
}

/// A sender that does not keep the actor reachable.
pub(crate) struct WeakSender<A> {
    shared: Arc<Shared<A>>,
}

impl<A> Clone for WeakSender<A> {
    fn clone(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<A> WeakSender<A> {
    /// A strong sender, unless every strong sender is gone (the mailbox then closes for good).
    pub(crate) fn upgrade(&self) -> Option<Sender<A>> {
        self.shared.mailbox.try_add_sender().then(|| Sender {
            shared: Arc::clone(&self.shared),
        })
    }

    /// The actor's shared state.
    pub(crate) fn shared(&self) -> &Arc<Shared<A>> {
        &self.shared
    }
}

/// The receiving half, kept by the context until its loop starts. Dropping it closes
/// the mailbox and drops what is still queued.
pub(crate) struct Receiver<A> {
    shared: Arc<Shared<A>>,
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
        self.shared.mailbox.close_and_clear();
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
        self.receiver.shared.mailbox.poll_pop(&mut self.batch, cx)
    }

    /// Refuses new envelopes from now on; queued ones can still be received.
    /// Senders waiting for room are woken and fail.
    pub(crate) fn close(&mut self) {
        self.receiver.shared.mailbox.close();
    }
}
