//! The handles on an actor's cell state, beside it: [`Sender`] and [`WeakSender`] (what
//! addresses hold) and [`Inbox`] (the receiving side, which the loop holds).

use std::any::Any;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Poll, ready};

use super::ActorCell;
use crate::Context;
use crate::backlog::Backlog;
use crate::backlog::Item;
use crate::envelope::{Control, HandleFuture, Kind, ReadFuture};
use crate::queue::{self, Refused, Store};

/// [`Sender::wait_for_room`]'s future, queuing an item of type `I`.
pub(crate) type WaitForRoom<'a, A, I> = queue::WaitForRoom<'a, Backlog<A>, queue::One<I>>;

/// The sending half: the actor's cell state, whose mailbox it counts as one strong
/// sender. Every strong sender keeps the actor reachable.
pub(crate) struct Sender<A> {
    cell: Arc<ActorCell<A>>,
}

impl<A> Clone for Sender<A> {
    fn clone(&self) -> Self {
        self.cell.mailbox.add_sender();
        Self {
            cell: Arc::clone(&self.cell),
        }
    }
}

impl<A> Drop for Sender<A> {
    fn drop(&mut self) {
        self.cell.mailbox.remove_sender();
    }
}

impl<A> Sender<A> {
    /// One more strong sender of `cell`'s mailbox, counted whatever the count: live
    /// while another strong sender is known to be, refused on every send once the
    /// mailbox has disconnected.
    pub(crate) fn counted(cell: &Arc<ActorCell<A>>) -> Self {
        cell.mailbox.add_sender();
        Self {
            cell: Arc::clone(cell),
        }
    }

    /// One more strong sender of `cell`'s mailbox, unless every strong sender is
    /// already gone.
    pub(crate) fn upgrade(cell: &Arc<ActorCell<A>>) -> Option<Self> {
        cell.mailbox.try_add_sender().then(|| Self {
            cell: Arc::clone(cell),
        })
    }

    /// Gives up the strong sender the queue counts from the start (see [`receiver`]),
    /// which its owner holds without a `Sender` of its own.
    pub(crate) fn release_first(cell: &ActorCell<A>) {
        cell.mailbox.remove_sender();
    }

    /// The actor's cell state.
    pub(crate) fn cell(&self) -> &Arc<ActorCell<A>> {
        &self.cell
    }

    /// Whether the mailbox refuses messages (the actor stopped or accepted a stop, or
    /// every address was dropped).
    pub(crate) fn is_closed(&self) -> bool {
        self.cell.mailbox.is_closed()
    }

    pub(crate) fn downgrade(&self) -> WeakSender<A> {
        WeakSender::new(&self.cell)
    }
}

impl<A: 'static> Sender<A> {
    /// Queues without waiting; a refused item comes back.
    pub(crate) fn try_push<I: Item<A>>(&self, item: I) -> Result<(), Refused<I>> {
        self.cell.mailbox.try_push(item)
    }

    /// Queues once a full bounded mailbox has room, senders that waited longer first;
    /// errs with the item when the mailbox closes first.
    ///
    /// Cancel safety: dropping the future before it completes queues nothing.
    pub(crate) fn wait_for_room<I: Item<A>>(&self, item: I) -> WaitForRoom<'_, A, I> {
        queue::WaitForRoom::new(&self.cell.mailbox, queue::One(item))
    }
}

/// A sender that does not keep the actor reachable.
pub(crate) struct WeakSender<A> {
    cell: Arc<ActorCell<A>>,
}

impl<A> Clone for WeakSender<A> {
    fn clone(&self) -> Self {
        Self {
            cell: Arc::clone(&self.cell),
        }
    }
}

impl<A> WeakSender<A> {
    /// A weak sender of `cell`'s mailbox.
    pub(crate) fn new(cell: &Arc<ActorCell<A>>) -> Self {
        Self {
            cell: Arc::clone(cell),
        }
    }

    /// A strong sender, unless every strong sender is gone (the mailbox then closes for good).
    pub(crate) fn upgrade(&self) -> Option<Sender<A>> {
        Sender::upgrade(&self.cell)
    }

    /// The actor's cell state.
    pub(crate) fn cell(&self) -> &Arc<ActorCell<A>> {
        &self.cell
    }
}

/// The receiving half in the running loop: the receiver, the items it has already
/// taken from the mailbox (all of an unbounded mailbox's backlog at once) and the
/// priority notifications taken from the priority lane, which go first. Owned by the
/// loop (it is `Send`, not `Sync`, as items are).
///
/// The loop looks at the next item with [`poll_next`](Inbox::poll_next), then takes it
/// the way its kind is taken ([`skip`](Inbox::skip), [`handle`](Inbox::handle),
/// [`share`](Inbox::share) and [`read`](Inbox::read)); an item it only looked at stays
/// first in line.
pub(crate) struct Inbox<A> {
    cell: Arc<ActorCell<A>>,
    batch: Backlog<A>,
    /// Boxed on first use: most actors never get a priority notification, and this
    /// keeps every actor's run future smaller.
    priority: Option<Box<Backlog<A>>>,
    /// The item `poll_next` last saw is in `priority` (else in `batch`).
    from_priority: bool,
    /// The receiver has seen the mailbox's end (refusing and empty): it stays so for
    /// good, so there is nothing left to close or clear. The receiver's own record of
    /// what it saw; why the mailbox refuses is kept by the queue alone.
    ended: bool,
}

/// [`Inbox::next`]'s future. Written by hand so that its poll, on the loop's path per
/// message, is inlined there.
pub(crate) struct NextItem<'a, A> {
    inbox: &'a mut Inbox<A>,
}

impl<A: 'static> Future for NextItem<'_, A> {
    type Output = Option<Kind>;

    #[inline(always)]
    fn poll(mut self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> Poll<Option<Kind>> {
        self.inbox.poll_next(cx)
    }
}

/// Dropping the inbox closes the mailbox and drops what is still queued, as the
/// receiver it came from would have.
impl<A> Drop for Inbox<A> {
    fn drop(&mut self) {
        if !self.ended {
            self.cell.mailbox.close_and_clear();
        }
    }
}

impl<A: 'static> Inbox<A> {
    /// The receiving side of the mailbox in `cell` (made by [`queue`]), for the loop.
    /// There is one per mailbox: the context makes it when its loop starts. The queue
    /// counts one strong sender from the start: its owner (the context) releases it
    /// with [`Sender::release_first`].
    pub(crate) fn new(cell: Arc<ActorCell<A>>) -> Self {
        Self {
            cell,
            batch: Backlog::default(),
            priority: None,
            from_priority: false,
            ended: false,
        }
    }

    /// What the next item is, without taking it: a priority notification first, then
    /// the mailbox's oldest item. `None` once the mailbox is closed (or every sender is
    /// gone) and empty.
    ///
    /// Cancel safety: cancel safe; nothing is taken.
    #[inline(always)]
    pub(crate) fn poll_next(&mut self, cx: &mut std::task::Context<'_>) -> Poll<Option<Kind>> {
        // Inline in the loop: the checks of the common case, no priority notification.
        let no_priority = self.priority.as_deref().is_none_or(Backlog::is_empty);
        if !no_priority || self.cell.has_priority() {
            return self.poll_priority(cx);
        }
        self.from_priority = false;
        match self.batch.next() {
            Some(next) => Poll::Ready(Some(next)),
            None => self.poll_fill(cx),
        }
    }

    /// [`poll_next`](Inbox::poll_next) as a future.
    ///
    /// Cancel safety: cancel safe; nothing is taken.
    pub(crate) fn next(&mut self) -> NextItem<'_, A> {
        NextItem { inbox: self }
    }

    /// The next item when a priority notification may be waiting: that one, else the
    /// mailbox's oldest item.
    #[inline(never)]
    fn poll_priority(&mut self, cx: &mut std::task::Context<'_>) -> Poll<Option<Kind>> {
        let waiting = self.priority.as_deref().and_then(Backlog::next);
        let next = match waiting {
            Some(next) => Some(next),
            None => self.cell.pop_priority().and_then(|envelope| {
                let priority = self.priority.get_or_insert_default();
                envelope.push_into(priority);
                priority.next()
            }),
        };
        if let Some(next) = next {
            self.from_priority = true;
            return Poll::Ready(Some(next));
        }
        self.from_priority = false;
        self.poll_fill(cx)
    }

    /// The mailbox's oldest item: the batch's, else the first of a new batch taken
    /// from the mailbox.
    #[inline(never)]
    fn poll_fill(&mut self, cx: &mut std::task::Context<'_>) -> Poll<Option<Kind>> {
        let filled = ready!(self.cell.mailbox.poll_fill(&mut self.batch, cx));
        if !filled {
            self.ended = true;
            return Poll::Ready(None);
        }
        Poll::Ready(self.batch.next())
    }

    /// The backlog of the item `poll_next` last saw.
    fn current(&mut self) -> &mut Backlog<A> {
        match &mut self.priority {
            Some(priority) if self.from_priority => priority,
            _ => &mut self.batch,
        }
    }

    /// The next item, when it is a control item, without taking it.
    pub(crate) fn peek_control(&mut self) -> Option<Control> {
        self.current().peek_control()
    }

    /// Takes the next item, a control item; `None` (and nothing taken) for any other.
    pub(crate) fn take_control(&mut self) -> Option<Control> {
        self.current().take_control()
    }

    /// Takes the next item, whatever it is, and moves it to the back of `hand`.
    pub(crate) fn take_into(&mut self, hand: &mut Backlog<A>) {
        self.current().move_front(hand);
    }

    /// Takes the next item and drops it.
    pub(crate) fn skip(&mut self) {
        self.current().skip();
    }

    /// Takes the next item, a message, and returns the future that handles it (one
    /// that does nothing, and nothing taken, when the next item is not a message).
    #[inline(always)]
    pub(crate) fn handle<'a>(&mut self, actor: &'a mut A, ctx: &'a Context<A>) -> HandleFuture<'a> {
        self.current().handle(actor, ctx)
    }

    /// For the next item, a read-only request: the actor erased to what its read handler
    /// takes.
    pub(crate) fn share<'a>(&mut self, actor: &'a A) -> Option<&'a (dyn Any + Send + Sync)> {
        self.current().share(actor)
    }

    /// Takes the next item, a read-only request, and returns the future that reads.
    pub(crate) fn read<'a>(
        &mut self,
        actor: &'a (dyn Any + Send + Sync),
        ctx: &'a Context<A>,
    ) -> Option<ReadFuture<'a>> {
        self.current().read(actor, ctx)
    }

    /// The next item's message type, for the `message` span.
    #[cfg(feature = "tracing")]
    pub(crate) fn message_type(&mut self) -> &'static str {
        self.current().message_type()
    }

    /// Refuses new items from now on, in the mailbox and the priority lane; queued ones
    /// can still be taken (the priority lane's first). Senders waiting for room are
    /// woken and fail.
    pub(crate) fn close(&mut self) {
        if !self.ended {
            self.cell.mailbox.close();
        }
        for envelope in self.cell.close_priority() {
            envelope.push_into(self.priority.get_or_insert_default());
        }
    }
}
