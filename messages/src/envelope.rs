//! Messages as they travel: the items of a mailbox, and what the loop asks of them.
//!
//! Every kind of item is its own type, stored unboxed in a lane of its type (see
//! `backlog.rs`): a message costs no allocation of its own on its way to the actor.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::task::{Poll, ready};

use stackfuture::StackFuture;

use crate::panic::{CatchUnwind, Panic, catch_unwind_future};
use crate::reply::{Answered, ReplySender};
use crate::waits::Wait;
use crate::{Context, Handler, Notifiable, ReadHandler};

/// What the loop finds at the front of a backlog, before it takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// A user message, handled with exclusive access; `notification` when no one waits
    /// for an answer (so dropping it unhandled loses it).
    Message { notification: bool },
    /// A read-only request, handled with shared access, concurrently with the reads
    /// around it.
    Read,
    /// A graceful stop request ([`Address::stop`](crate::Address::stop)), ordered with
    /// the messages around it.
    Stop,
    /// Nothing to handle: wakes a loop parked on the ordinary mailbox so it looks at the
    /// priority lane.
    Wake,
    /// The idle watchdog saw no message taken since the count the item carries
    /// ([`Item::seen`]): if that is still so, the actor is idle.
    Idle,
}

/// Anything a mailbox can carry to actor `A`. The loop first looks at what an item
/// is ([`KIND`](Item::KIND)), then takes it the way that kind is taken: messages are
/// handled, reads are shared and read, control items are just taken.
pub(crate) trait Item<A>: Send + Sized + 'static {
    /// What every item of this type is: the type says it, so the backlog keeps it
    /// with the lane and looks at no item to know it.
    const KIND: Next;

    /// For the idle watchdog's check: how many messages the loop had taken when the
    /// check was sent. `None` for every other item.
    fn seen(&self) -> Option<u64> {
        None
    }

    /// Runs the actor's handler on a message and answers the requester. Items that are
    /// not messages have nothing to run.
    fn handle<'a>(self, _actor: &'a mut A, _ctx: &'a Context<A>) -> HandleFuture<'a> {
        StackFuture::from(std::future::ready(Ok(())))
    }

    /// For a read-only request: the actor, erased to a reference the loop can hold
    /// across awaits (the loop cannot hold `&A` across an await unless `A: Sync`, which
    /// only actors with read handlers are, so the read request lends it). `None` for
    /// every other item.
    fn share<'a>(&self, _actor: &'a A) -> Option<&'a (dyn Any + Send + Sync)> {
        None
    }

    /// For a read-only request: runs the actor's read handler on the message and
    /// answers the requester. `actor` is what [`share`](Item::share) returned. Items
    /// that are not reads have nothing to run.
    fn read<'a>(self, _actor: &'a (dyn Any + Send + Sync), _ctx: &'a Context<A>) -> ReadFuture<'a> {
        Box::pin(std::future::ready(Ok(())))
    }

    /// The message's type name, for the `message` span.
    #[cfg(feature = "tracing")]
    fn message_type(&self) -> &'static str {
        ""
    }
}

/// A graceful stop request.
pub(crate) struct StopItem;

impl<A: 'static> Item<A> for StopItem {
    const KIND: Next = Next::Stop;
}

/// A wake-up for a loop parked on the ordinary mailbox.
pub(crate) struct WakeItem;

impl<A: 'static> Item<A> for WakeItem {
    const KIND: Next = Next::Wake;
}

/// The idle watchdog's check.
pub(crate) struct IdleItem {
    pub(crate) seen: u64,
}

impl<A: 'static> Item<A> for IdleItem {
    const KIND: Next = Next::Idle;

    fn seen(&self) -> Option<u64> {
        Some(self.seen)
    }
}

/// Bytes the context loop reserves in its own future for the handler future of the
/// message it is handling: an `async fn` handler that awaits a send or a timer fits;
/// a larger one is boxed.
const HANDLER_FUTURE_ROOM: usize = 192;

/// The future that handles one message, stored inline in the loop's future (no
/// allocation) when it fits in [`HANDLER_FUTURE_ROOM`]. `Err` carries the panic of its
/// handler; the requester, if any, has already been told.
pub(crate) type HandleFuture<'a> = StackFuture<'a, Result<(), Panic>, HANDLER_FUTURE_ROOM>;

/// The future that handles one read-only request. Boxed: a batch keeps several in a
/// growing list.
pub(crate) type ReadFuture<'a> = Pin<Box<dyn Future<Output = Result<(), Panic>> + Send + 'a>>;

/// Runs a request's handler and sends its answer, or `Panicked` if it panicked.
///
/// A request whose caller gave up is still handled: it was accepted, and its side
/// effects are part of the actor's history. Only the answer is discarded.
///
/// `wait` is the requester's wait on this actor, when it was sent from inside an actor
/// (see `waits`): it lasts until the answer is sent.
fn answer<F: Future>(reply: ReplySender<F::Output>, handling: F, wait: Option<Wait>) -> Answer<F> {
    Answer {
        handling: catch_unwind_future(handling),
        reply: Some(reply),
        wait,
    }
}

/// A request whose handler panicked before its future was made: the requester gets
/// `Panicked`, and the loop the panic.
fn refuse<R>(reply: ReplySender<R>, wait: Option<Wait>, panic: Panic) -> Result<(), Panic> {
    send_answer(reply, Answered::Panicked);
    drop(wait);
    Err(panic)
}

pin_project_lite::pin_project! {
    /// [`answer`]'s future. Written by hand: an `async fn` would keep the handler's
    /// future twice (as its argument and as the awaited value), and this future must
    /// fit the loop's room for handler futures.
    struct Answer<F: Future> {
        #[pin]
        handling: CatchUnwind<F>,
        reply: Option<ReplySender<F::Output>>,
        wait: Option<Wait>,
    }
}

impl<F: Future> Future for Answer<F> {
    type Output = Result<(), Panic>;

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let handled = ready!(this.handling.poll(cx));
        let reply = this.reply.take();
        let (answer, outcome) = match handled {
            Ok(answer) => (Answered::Value(answer), Ok(())),
            Err(panic) => (Answered::Panicked, Err(panic)),
        };
        if let Some(reply) = reply {
            send_answer(reply, answer);
        }
        // Answered: the requester no longer waits on this actor.
        *this.wait = None;
        Poll::Ready(outcome)
    }
}

/// Sends `answer` to its requester; if the requester went away the answer is dropped
/// here, a panic in its `Drop` contained (the actor goes on).
#[inline(always)]
fn send_answer<R>(reply: ReplySender<R>, answer: Answered<R>) {
    if let Err(unsent) = reply.send(answer) {
        drop_unsent(unsent);
    }
}

#[cold]
#[inline(never)]
fn drop_unsent<R>(unsent: Answered<R>) {
    let _ = crate::panic::drop_contained(unsent);
}

/// A request: the message and where its answer goes.
pub(crate) struct RequestEnvelope<A: Handler<M>, M> {
    pub(crate) message: M,
    pub(crate) reply: ReplySender<A::Result>,
    pub(crate) wait: Option<Wait>,
}

impl<A: Handler<M>, M: Send + 'static> Item<A> for RequestEnvelope<A, M> {
    const KIND: Next = Next::Message {
        notification: false,
    };

    fn handle<'a>(self, actor: &'a mut A, ctx: &'a Context<A>) -> HandleFuture<'a> {
        let Self {
            message,
            reply,
            wait,
        } = self;
        match crate::panic::catch(|| actor.handle(message, ctx)) {
            Ok(handling) => StackFuture::from_or_box(answer(reply, handling, wait)),
            Err(panic) => StackFuture::from(std::future::ready(refuse(reply, wait, panic))),
        }
    }

    #[cfg(feature = "tracing")]
    fn message_type(&self) -> &'static str {
        std::any::type_name::<M>()
    }
}

/// A notification: the message alone.
pub(crate) struct NotifyEnvelope<M> {
    pub(crate) message: M,
}

impl<A: Notifiable<M>, M: Send + 'static> Item<A> for NotifyEnvelope<M> {
    const KIND: Next = Next::Message { notification: true };

    fn handle<'a>(self, actor: &'a mut A, ctx: &'a Context<A>) -> HandleFuture<'a> {
        let Self { message } = self;
        match crate::panic::catch(|| actor.notify(message, ctx)) {
            Ok(handling) => StackFuture::from_or_box(catch_unwind_future(handling)),
            Err(panic) => StackFuture::from(std::future::ready(Err(panic))),
        }
    }

    #[cfg(feature = "tracing")]
    fn message_type(&self) -> &'static str {
        std::any::type_name::<M>()
    }
}

/// A read-only request: the message and where its answer goes.
pub(crate) struct ReadEnvelope<A: ReadHandler<M>, M> {
    pub(crate) message: M,
    pub(crate) reply: ReplySender<A::Result>,
    pub(crate) wait: Option<Wait>,
}

impl<A: ReadHandler<M>, M: Send + 'static> Item<A> for ReadEnvelope<A, M> {
    const KIND: Next = Next::Read;

    fn share<'a>(&self, actor: &'a A) -> Option<&'a (dyn Any + Send + Sync)> {
        Some(actor)
    }

    fn read<'a>(self, actor: &'a (dyn Any + Send + Sync), ctx: &'a Context<A>) -> ReadFuture<'a> {
        let Self {
            message,
            reply,
            wait,
        } = self;
        let Some(actor) = actor.downcast_ref::<A>() else {
            // Unreachable: the loop lends the actor it runs. Dropping `reply` tells
            // the requester it was not answered.
            return Box::pin(std::future::ready(Ok(())));
        };
        match crate::panic::catch(|| actor.handle_read(message, ctx)) {
            Ok(handling) => Box::pin(answer(reply, handling, wait)),
            Err(panic) => Box::pin(std::future::ready(refuse(reply, wait, panic))),
        }
    }
}

/// A request for a copy of the actor's state, for a [`Coroutine`](crate::Coroutine).
pub(crate) struct CloneEnvelope<A> {
    pub(crate) reply: ReplySender<A>,
    /// The requester's wait on this actor, until the copy is sent.
    pub(crate) wait: Option<Wait>,
}

impl<A: crate::Actor + Clone> Item<A> for CloneEnvelope<A> {
    const KIND: Next = Next::Message {
        notification: false,
    };

    #[cfg(feature = "tracing")]
    fn message_type(&self) -> &'static str {
        "copy for a coroutine"
    }

    fn handle<'a>(self, actor: &'a mut A, _: &'a Context<A>) -> HandleFuture<'a> {
        // `Clone` may panic: caught like a handler's panic.
        let Self { reply, wait } = self;
        let copy = crate::panic::catch(|| actor.clone());
        let outcome = match copy {
            Ok(copy) => {
                send_answer(reply, Answered::Value(copy));
                Ok(())
            }
            Err(panic) => {
                send_answer(reply, Answered::Panicked);
                Err(panic)
            }
        };
        drop(wait);
        StackFuture::from(std::future::ready(outcome))
    }
}
