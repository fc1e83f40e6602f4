//! Messages as they travel: the items of a mailbox, in three closed kinds.
//!
//! A mailbox carries user messages handled with exclusive access ([`Message`]),
//! read-only requests handled beside each other ([`Read`]), and the loop's own
//! [`Control`] items. Every item type is one of the three, and the backlog stores each
//! type unboxed in a lane of its kind (see `backlog.rs`): a message costs no allocation
//! of its own on its way to the actor.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::task::{Poll, ready};

use stackfuture::StackFuture;

use crate::panic::{CatchUnwind, Panic, catch_unwind_future};
use crate::reply::{Answered, ReplySender};
use crate::waits::Wait;
use crate::{Context, Delegate, Handler, Notifiable, ReadHandler, SendError};

/// What an item is, and so how the loop takes it: what it looks at first in line,
/// before it takes the item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A user message, handled with exclusive access; `notification` when no one waits
    /// for an answer (so dropping it unhandled loses it).
    Message { notification: bool },
    /// A read-only request, handled with shared access, concurrently with the reads
    /// around it.
    Read,
    /// One of the loop's own items: a [`Control`].
    Control,
}

/// The loop's own items: they carry no user message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Control {
    /// A graceful stop request ([`Address::stop`](crate::Address::stop)), ordered with
    /// the messages around it.
    Stop,
    /// Nothing to handle: wakes a loop parked on the ordinary mailbox so it looks at the
    /// priority lane.
    Wake,
    /// The idle watchdog's check: `taken` is how many messages the loop had taken when
    /// the check was sent; if that is still so, the actor is idle.
    Idle { taken: u64 },
}

/// A user message handled with exclusive access to the actor: a request, a
/// notification, or a request for a copy of the state.
pub(crate) trait Message<A>: Send + 'static {
    /// Whether no one waits for an answer.
    const NOTIFICATION: bool;

    /// Runs the actor's handler on the message and answers the requester.
    fn handle<'a>(self, actor: &'a mut A, ctx: &'a Context<A>) -> HandleFuture<'a>;

    /// The message's type name, for the `message` span.
    #[cfg(feature = "tracing")]
    fn message_type(&self) -> &'static str;
}

/// A read-only request, handled with shared access beside the reads around it.
pub(crate) trait Read<A>: Send + 'static {
    /// The actor, erased to a reference the loop can hold across awaits (the loop
    /// cannot hold `&A` across an await unless `A: Sync`, which only actors with read
    /// handlers are, so the read request lends it).
    fn share(actor: &A) -> &(dyn Any + Send + Sync);

    /// Runs the actor's read handler on the message and answers the requester.
    /// `actor` is what [`share`](Read::share) returned.
    fn read<'a>(self, actor: &'a (dyn Any + Send + Sync), ctx: &'a Context<A>) -> ReadFuture<'a>;
}

/// Bytes the context loop reserves in its own future for the handler future of the
/// message it is handling: an `async fn` handler that awaits a send or a timer fits;
/// a larger one is boxed.
const HANDLER_FUTURE_ROOM: usize = 192;

/// The future that handles one item, stored inline in the loop's future (no
/// allocation) when it fits in [`HANDLER_FUTURE_ROOM`]. `Err` carries the panic of a
/// message's handler (the requester, if any, has already been told) or of a hook.
pub(crate) type HandleFuture<'a> = StackFuture<'a, Result<(), Panic>, HANDLER_FUTURE_ROOM>;

/// The future of an item handled at once, with its `outcome`.
pub(crate) fn handled<'a>(outcome: Result<(), Panic>) -> HandleFuture<'a> {
    StackFuture::from(std::future::ready(outcome))
}

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
    send_answer(reply, Answered::Failed(SendError::Panicked));
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
            Err(panic) => (Answered::Failed(SendError::Panicked), Err(panic)),
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

/// A request's envelope, whatever handles it: the message, where its answer goes, and
/// the requester's wait on the actor.
pub(crate) trait Request<M, R>: Sized {
    fn new(message: M, reply: ReplySender<R>, wait: Option<Wait>) -> Self;

    /// The message, out of a request that was refused.
    fn into_message(self) -> M;
}

impl<A: Handler<M>, M> Request<M, A::Result> for RequestEnvelope<A, M> {
    fn new(message: M, reply: ReplySender<A::Result>, wait: Option<Wait>) -> Self {
        Self {
            message,
            reply,
            wait,
        }
    }

    fn into_message(self) -> M {
        self.message
    }
}

impl<A: Delegate<M>, M> Request<M, A::Result> for DelegateEnvelope<A, M> {
    fn new(message: M, reply: ReplySender<A::Result>, wait: Option<Wait>) -> Self {
        Self {
            message,
            reply,
            wait,
        }
    }

    fn into_message(self) -> M {
        self.message
    }
}

/// A request: the message and where its answer goes.
pub(crate) struct RequestEnvelope<A: Handler<M>, M> {
    pub(crate) message: M,
    pub(crate) reply: ReplySender<A::Result>,
    pub(crate) wait: Option<Wait>,
}

impl<A: Handler<M>, M: Send + 'static> Message<A> for RequestEnvelope<A, M> {
    const NOTIFICATION: bool = false;

    fn handle<'a>(self, actor: &'a mut A, ctx: &'a Context<A>) -> HandleFuture<'a> {
        let Self {
            message,
            reply,
            wait,
        } = self;
        match crate::panic::catch(|| actor.handle(message, ctx)) {
            Ok(handling) => StackFuture::from_or_box(answer(reply, handling, wait)),
            Err(panic) => handled(refuse(reply, wait, panic)),
        }
    }

    #[cfg(feature = "tracing")]
    fn message_type(&self) -> &'static str {
        std::any::type_name::<M>()
    }
}

/// A request for a [`Delegate`] handler: the message and where its answer goes, which
/// the handler gets as a [`Responder`](crate::Responder).
pub(crate) struct DelegateEnvelope<A: Delegate<M>, M> {
    pub(crate) message: M,
    pub(crate) reply: ReplySender<A::Result>,
    pub(crate) wait: Option<Wait>,
}

impl<A: Delegate<M>, M: Send + 'static> Message<A> for DelegateEnvelope<A, M> {
    const NOTIFICATION: bool = false;

    fn handle<'a>(self, actor: &'a mut A, ctx: &'a Context<A>) -> HandleFuture<'a> {
        let Self {
            message,
            reply,
            wait,
        } = self;
        // A panic drops the responder: the caller gets `Panicked`.
        let responder = crate::Responder::new(reply, wait);
        match crate::panic::catch(|| actor.delegate(message, responder, ctx)) {
            Ok(handling) => StackFuture::from_or_box(catch_unwind_future(handling)),
            Err(panic) => handled(Err(panic)),
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

impl<A: Notifiable<M>, M: Send + 'static> Message<A> for NotifyEnvelope<M> {
    const NOTIFICATION: bool = true;

    fn handle<'a>(self, actor: &'a mut A, ctx: &'a Context<A>) -> HandleFuture<'a> {
        let Self { message } = self;
        match crate::panic::catch(|| actor.notify(message, ctx)) {
            Ok(handling) => StackFuture::from_or_box(catch_unwind_future(handling)),
            Err(panic) => handled(Err(panic)),
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

impl<A: ReadHandler<M>, M: Send + 'static> Read<A> for ReadEnvelope<A, M> {
    fn share(actor: &A) -> &(dyn Any + Send + Sync) {
        actor
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

impl<A: crate::Actor + Clone> Message<A> for CloneEnvelope<A> {
    const NOTIFICATION: bool = false;

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
                send_answer(reply, Answered::Failed(SendError::Panicked));
                Err(panic)
            }
        };
        drop(wait);
        handled(outcome)
    }
}
