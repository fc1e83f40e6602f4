//! Type-erased messages: what travels through the mailbox.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;

use stackfuture::StackFuture;
use tokio::sync::oneshot;

use crate::panic::{Panic, catch_unwind_future};
use crate::{Context, Handler, Notifiable, ReadHandler, SendError};

/// One mailbox item as it travels: a single boxed trait object, two words, so a
/// mailbox slot is as small as it can be. The control items are zero-sized and allocate
/// nothing (the idle watchdog's count excepted).
pub(crate) struct Envelope<A>(Box<dyn Item<A>>);

impl<A: 'static> Envelope<A> {
    /// A user message, request or notification.
    pub(crate) fn message(message: impl Item<A>) -> Self {
        Self(Box::new(message))
    }

    /// A read-only request.
    pub(crate) fn read<M: Send + 'static>(read: ReadEnvelope<A, M>) -> Self
    where
        A: ReadHandler<M>,
    {
        Self(Box::new(read))
    }

    /// A graceful stop request.
    pub(crate) fn stop() -> Self {
        Self(Box::new(StopItem))
    }

    /// A wake-up for a loop parked on the ordinary mailbox.
    pub(crate) fn wake() -> Self {
        Self(Box::new(WakeItem))
    }

    /// The idle watchdog's check.
    pub(crate) fn idle(seen: u64) -> Self {
        Self(Box::new(IdleItem { seen }))
    }

    /// What the envelope holds.
    pub(crate) fn open(self) -> Opened<A> {
        self.0.open()
    }

    /// The concrete item, for a refused send to take its message back.
    pub(crate) fn into_any(self) -> Box<dyn Any + Send> {
        self.0.into_any()
    }
}

/// What an envelope holds, once opened by the loop.
pub(crate) enum Opened<A> {
    /// A user message, request or notification, handled with exclusive access.
    Message(Box<dyn Dispatch<A>>),
    /// A read-only request, handled with shared access, concurrently with the reads
    /// around it.
    Read(Box<dyn ReadDispatch<A>>),
    /// A graceful stop request ([`Address::stop`](crate::Address::stop)), ordered with
    /// the messages around it.
    Stop,
    /// Nothing to handle: wakes a loop parked on the ordinary mailbox so it looks at the
    /// priority lane.
    Wake,
    /// The idle watchdog saw no message taken since the count `seen`: if that is still
    /// so, the actor is idle.
    Idle { seen: u64 },
}

/// Anything an [`Envelope`] can carry.
pub(crate) trait Item<A>: Any + Send {
    fn open(self: Box<Self>) -> Opened<A>;

    /// The concrete item, so a refused send can hand its message back.
    fn into_any(self: Box<Self>) -> Box<dyn Any + Send>;
}

impl<A: Handler<M>, M: Send + 'static> Item<A> for RequestEnvelope<A, M> {
    fn open(self: Box<Self>) -> Opened<A> {
        Opened::Message(self)
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any + Send> {
        self
    }
}

impl<A: Notifiable<M>, M: Send + 'static> Item<A> for NotifyEnvelope<M> {
    fn open(self: Box<Self>) -> Opened<A> {
        Opened::Message(self)
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any + Send> {
        self
    }
}

impl<A: crate::Actor + Clone> Item<A> for CloneEnvelope<A> {
    fn open(self: Box<Self>) -> Opened<A> {
        Opened::Message(self)
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any + Send> {
        self
    }
}

impl<A: ReadHandler<M>, M: Send + 'static> Item<A> for ReadEnvelope<A, M> {
    fn open(self: Box<Self>) -> Opened<A> {
        Opened::Read(self)
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any + Send> {
        self
    }
}

/// A graceful stop request (zero-sized: boxing it allocates nothing).
struct StopItem;

impl<A> Item<A> for StopItem {
    fn open(self: Box<Self>) -> Opened<A> {
        Opened::Stop
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any + Send> {
        self
    }
}

/// A wake-up (zero-sized: boxing it allocates nothing).
struct WakeItem;

impl<A> Item<A> for WakeItem {
    fn open(self: Box<Self>) -> Opened<A> {
        Opened::Wake
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any + Send> {
        self
    }
}

/// The idle watchdog's check.
struct IdleItem {
    seen: u64,
}

impl<A> Item<A> for IdleItem {
    fn open(self: Box<Self>) -> Opened<A> {
        Opened::Idle { seen: self.seen }
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any + Send> {
        self
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

/// A message of some type `M` that actor `A` can handle.
pub(crate) trait Dispatch<A>: Send + 'static {
    /// Runs the actor's handler on the message and answers the requester.
    fn handle<'a>(self: Box<Self>, actor: &'a mut A, ctx: &'a Context<A>) -> HandleFuture<'a>;

    /// Whether dropping this unhandled loses a notification (requests are reported to
    /// their caller instead, when the reply sender drops).
    fn is_notification(&self) -> bool;

    /// The message's type name, for the `message` span.
    #[cfg(feature = "tracing")]
    fn message_type(&self) -> &'static str;
}

/// Runs a request's handler and sends its answer, or `Panicked` if it panicked.
///
/// A request whose caller gave up is still handled: it was accepted, and its side
/// effects are part of the actor's history. Only the answer is discarded.
async fn answer<R>(
    reply: oneshot::Sender<Result<R, SendError>>,
    handling: impl Future<Output = R>,
) -> Result<(), Panic> {
    match catch_unwind_future(handling).await {
        Ok(answer) => {
            let _ = reply.send(Ok(answer));
            Ok(())
        }
        Err(panic) => {
            let _ = reply.send(Err(SendError::Panicked));
            Err(panic)
        }
    }
}

/// A request: the message and where its answer goes.
pub(crate) struct RequestEnvelope<A: Handler<M>, M> {
    pub(crate) message: M,
    pub(crate) reply: oneshot::Sender<Result<A::Result, SendError>>,
}

impl<A: Handler<M>, M: Send + 'static> Dispatch<A> for RequestEnvelope<A, M> {
    #[cfg(feature = "tracing")]
    fn message_type(&self) -> &'static str {
        std::any::type_name::<M>()
    }

    fn handle<'a>(self: Box<Self>, actor: &'a mut A, ctx: &'a Context<A>) -> HandleFuture<'a> {
        let Self { message, reply } = *self;
        StackFuture::from_or_box(answer(reply, actor.handle(message, ctx)))
    }

    fn is_notification(&self) -> bool {
        false
    }
}

/// A notification: the message alone.
pub(crate) struct NotifyEnvelope<M> {
    pub(crate) message: M,
}

impl<A: Notifiable<M>, M: Send + 'static> Dispatch<A> for NotifyEnvelope<M> {
    #[cfg(feature = "tracing")]
    fn message_type(&self) -> &'static str {
        std::any::type_name::<M>()
    }

    fn handle<'a>(self: Box<Self>, actor: &'a mut A, ctx: &'a Context<A>) -> HandleFuture<'a> {
        let Self { message } = *self;
        StackFuture::from_or_box(catch_unwind_future(actor.notify(message, ctx)))
    }

    fn is_notification(&self) -> bool {
        true
    }
}

/// A read-only request of some type `M` that actor `A` answers with shared access.
///
/// The loop cannot hold `&A` across an await unless `A: Sync`, which only actors with
/// read handlers are. So a read envelope (whose existence proves `A: Sync`) lends the
/// loop an erased `&(dyn Any + Send + Sync)` of the actor, and every read of the batch takes
/// its `&A` back from it.
pub(crate) trait ReadDispatch<A>: Send + 'static {
    /// The actor, erased to a reference the loop can hold across awaits.
    fn share<'a>(&self, actor: &'a A) -> &'a (dyn Any + Send + Sync);

    /// Runs the actor's read handler on the message and answers the requester. `actor`
    /// is what [`share`](ReadDispatch::share) returned.
    fn handle<'a>(
        self: Box<Self>,
        actor: &'a (dyn Any + Send + Sync),
        ctx: &'a Context<A>,
    ) -> ReadFuture<'a>;
}

/// A read-only request: the message and where its answer goes.
pub(crate) struct ReadEnvelope<A: ReadHandler<M>, M> {
    pub(crate) message: M,
    pub(crate) reply: oneshot::Sender<Result<A::Result, SendError>>,
}

impl<A: ReadHandler<M>, M: Send + 'static> ReadDispatch<A> for ReadEnvelope<A, M> {
    fn share<'a>(&self, actor: &'a A) -> &'a (dyn Any + Send + Sync) {
        actor
    }

    fn handle<'a>(
        self: Box<Self>,
        actor: &'a (dyn Any + Send + Sync),
        ctx: &'a Context<A>,
    ) -> ReadFuture<'a> {
        let Self { message, reply } = *self;
        let Some(actor) = actor.downcast_ref::<A>() else {
            // Unreachable: the loop lends the actor it runs. Dropping `reply` tells
            // the requester it was not answered.
            return Box::pin(std::future::ready(Ok(())));
        };
        Box::pin(answer(reply, actor.handle_read(message, ctx)))
    }
}

/// A request for a copy of the actor's state, for a [`Coroutine`](crate::Coroutine).
pub(crate) struct CloneEnvelope<A> {
    pub(crate) reply: oneshot::Sender<Result<A, SendError>>,
}

impl<A: crate::Actor + Clone> Dispatch<A> for CloneEnvelope<A> {
    #[cfg(feature = "tracing")]
    fn message_type(&self) -> &'static str {
        "copy for a coroutine"
    }

    fn handle<'a>(self: Box<Self>, actor: &'a mut A, _: &'a Context<A>) -> HandleFuture<'a> {
        // `Clone` may panic: caught like a handler's panic.
        let copy = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| actor.clone()));
        StackFuture::from(std::future::ready(match copy {
            Ok(copy) => {
                let _ = self.reply.send(Ok(copy));
                Ok(())
            }
            Err(panic) => {
                let _ = self.reply.send(Err(SendError::Panicked));
                Err(panic)
            }
        }))
    }

    fn is_notification(&self) -> bool {
        false
    }
}
