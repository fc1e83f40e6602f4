//! [`Proxy`]: an address whose messages are taken out by code instead of handled by an
//! actor, for a stand-in that carries them elsewhere (to another process, as
//! `messages-remote` does); [`Arrival`] and [`Incoming`]: what it takes out.

use std::fmt;
use std::sync::Arc;

use crate::backlog::{Backlog, Item};
use crate::cell::{ActorCell, Inbox, KILL, STOP, Sender};
use crate::envelope::{
    Control, DelegateEnvelope, Kind, NotifyEnvelope, ReadEnvelope, RequestEnvelope,
};
use crate::{
    Actor, Address, Delegate, Handler, Mailbox, Notifiable, ReadHandler, Responder, StopReason,
};

/// Runs `work` as code of no actor, even in the thread of one that is busy: the
/// addresses it sends to treat it as any outside sender (waiting for room in a full
/// mailbox instead of being refused
/// [`SendError::WouldDeadlock`](crate::SendError::WouldDeadlock)).
///
/// For a proxy's owner whose code runs where it is woken (in a waker, or an engine's
/// callback) on behalf of another process: it may run in the very thread of the
/// actor it sends to, and is not that actor. The mark is restored afterwards, even
/// if `work` panics.
pub fn outside_actors<R>(work: impl FnOnce() -> R) -> R {
    crate::reentrancy::outside(work)
}

/// The other end of an ordinary [`Address<A>`]: no actor handles what is sent to it;
/// the proxy's owner takes each message out, with the [`Responder`] of each request,
/// and answers when it likes (from another process, say).
///
/// Everything an address does works on a proxy's: typed calls, `send`/`notify`,
/// timeouts, recipients, `wait_for_stop` and monitors (which see the reason the owner
/// gives [`finish`](Proxy::finish)). Messages come out in the order they were queued,
/// priority notifications first, as an actor would take them. A stop or a kill sent to
/// the address comes out as an [`Arrival`] for the owner to act on; the proxy has
/// stopped only once [`finish`](Proxy::finish) publishes it (or the proxy is dropped:
/// [`StopReason::Cancelled`]). Then the mailbox refuses new messages, and requests
/// still queued are answered [`SendError::Unanswered`](crate::SendError::Unanswered).
///
/// ```
/// use messages::prelude::*;
/// use messages::proxy::{Arrival, Proxy};
///
/// struct Doubler;
/// impl Actor for Doubler {}
///
/// struct Double(u32);
///
/// impl Handler<Double> for Doubler {
///     type Result = u32;
///
///     async fn handle(&mut self, Double(n): Double, _: &Context<Self>) -> u32 {
///         2 * n
///     }
/// }
///
/// # futures::executor::block_on(async {
/// let (address, mut proxy) = Proxy::<Doubler>::new();
/// // The stand-in: answers what the actor would, without one.
/// let stand_in = async move {
///     while let Some(Arrival::Message(incoming)) = proxy.next().await {
///         if let Ok((Double(n), responder)) = incoming.request::<Double>() {
///             responder.send(n + n);
///         }
///     }
///     proxy.finish(StopReason::Requested);
/// };
/// let calls = async move {
///     let answer = address.send(Double(21)).await;
///     address.stop().await;
///     (answer, address.wait_for_stop().await)
/// };
/// let ((answer, reason), ()) = futures::join!(calls, stand_in);
/// assert_eq!(answer, Ok(42));
/// assert_eq!(reason, StopReason::Requested);
/// # });
/// ```
pub struct Proxy<A: Actor> {
    cell: Arc<ActorCell<A>>,
    /// `None` once finished.
    inbox: Option<Inbox<A>>,
    /// The item an [`Incoming`] hands out: one at a time.
    hand: Backlog<A>,
}

/// What a [`Proxy`] takes out of its mailbox next.
#[non_exhaustive]
pub enum Arrival<'a, A: 'static> {
    /// A message, to take out with its type.
    Message(Incoming<'a, A>),
    /// A stop was asked for ([`Address::stop`], or out of band): what was queued before
    /// it has come out already.
    Stop,
    /// A kill was asked for ([`Address::kill`]), out of band.
    Kill,
}

impl<A: 'static> fmt::Debug for Arrival<'_, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Message(incoming) => f.debug_tuple("Message").field(incoming).finish(),
            Self::Stop => f.write_str("Stop"),
            Self::Kill => f.write_str("Kill"),
        }
    }
}

/// Drops the message in `hand`, if one is left there: a request is answered
/// [`SendError::Unanswered`](crate::SendError::Unanswered). The message's `Drop` is
/// user code: a panic in it is contained.
fn refuse<A: 'static>(hand: &mut Backlog<A>) {
    let _ = crate::panic::catch(|| hand.skip());
}

impl<A: Actor> Proxy<A> {
    /// A proxy and its first address, with the actor's own mailbox
    /// ([`Actor::MAILBOX`]), as [`Context::new`](crate::Context::new) makes.
    pub fn new() -> (Address<A>, Self) {
        Self::with_mailbox(A::MAILBOX)
    }

    /// A proxy and its first address, with the given mailbox.
    pub fn with_mailbox(mailbox: Mailbox) -> (Address<A>, Self) {
        let cell = ActorCell::new(mailbox);
        let address = Address::new(Sender::counted(&cell));
        // The queue counts one sender from the start, for a context: a proxy has none.
        Sender::release_first(&cell);
        let inbox = Inbox::new(Arc::clone(&cell));
        let proxy = Self {
            cell,
            inbox: Some(inbox),
            hand: Backlog::default(),
        };
        (address, proxy)
    }

    /// What comes next: a message, a stop or a kill; `None` once every address is gone
    /// and nothing is queued, or after [`finish`](Proxy::finish).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: nothing is taken out until it returns.
    pub async fn next(&mut self) -> Option<Arrival<'_, A>> {
        // A message handed out before and never taken is refused (dropped).
        refuse(&mut self.hand);
        let inbox = self.inbox.as_mut()?;
        loop {
            let signals = self.cell.take_signals();
            if signals & KILL != 0 {
                return Some(Arrival::Kill);
            }
            if signals & STOP != 0 {
                return Some(Arrival::Stop);
            }
            if inbox.next().await? == Kind::Control {
                match inbox.take_control() {
                    Some(Control::Stop) => return Some(Arrival::Stop),
                    // A kill's wake-up (the next turn sees its signal), or a tick a
                    // proxy has no use for.
                    Some(Control::Wake | Control::Idle { .. }) | None => continue,
                }
            }
            inbox.take_into(&mut self.hand);
            return Some(Arrival::Message(Incoming {
                hand: &mut self.hand,
            }));
        }
    }

    /// Stops the proxy for `reason`: its mailbox refuses new messages, what is still
    /// queued is refused (requests answered
    /// [`SendError::Unanswered`](crate::SendError::Unanswered)), and `reason` is
    /// published to `wait_for_stop` and monitors. Only the first stop counts.
    pub fn finish(&mut self, reason: StopReason) {
        refuse(&mut self.hand);
        if let Some(mut inbox) = self.inbox.take() {
            inbox.close();
            // A message's `Drop` is user code: a panic in it is contained.
            let _ = crate::panic::drop_contained(inbox);
        }
        self.cell.finish(reason);
    }

    /// A new address of the proxy: `None` once finished, or once every address is
    /// gone (the mailbox takes no new sender then).
    pub fn address(&self) -> Option<Address<A>> {
        self.inbox.as_ref()?;
        Sender::upgrade(&self.cell).map(Address::new)
    }
}

impl<A: Actor> Drop for Proxy<A> {
    fn drop(&mut self) {
        self.finish(StopReason::Cancelled);
    }
}

impl<A: Actor> fmt::Debug for Proxy<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Proxy")
            .field("actor", &std::any::type_name::<A>())
            .field("id", &self.cell.id)
            .field("finished", &self.inbox.is_none())
            .finish()
    }
}

/// A message a [`Proxy`] took out: take it with its type (the type it was sent as,
/// and the way the actor answers it: [`request`](Incoming::request) for a
/// [`Handler`], [`delegated`](Incoming::delegated) for a [`Delegate`],
/// [`read`](Incoming::read) for a [`ReadHandler`], [`notification`](Incoming::notification)
/// for a [`Notifiable`]). Each returns the incoming message back when it is of another
/// type. Dropped untaken, the message is refused: a request is answered
/// [`SendError::Unanswered`](crate::SendError::Unanswered).
pub struct Incoming<'a, A: 'static> {
    hand: &'a mut Backlog<A>,
}

impl<A: 'static> Incoming<'_, A> {
    /// The message, when it is a request of type `M` for a [`Handler<M>`], and the
    /// responder its answer goes to.
    ///
    /// # Errors
    ///
    /// The incoming message itself, when it is something else.
    pub fn request<M: Send + 'static>(self) -> Result<(M, Responder<A::Result>), Self>
    where
        A: Handler<M>,
    {
        self.take(|e: RequestEnvelope<A, M>| (e.message, Responder::new(e.reply, e.wait)))
    }

    /// The message, when it is a request of type `M` for a [`Delegate<M>`], and the
    /// responder its answer goes to.
    ///
    /// # Errors
    ///
    /// The incoming message itself, when it is something else.
    pub fn delegated<M: Send + 'static>(self) -> Result<(M, Responder<A::Result>), Self>
    where
        A: Delegate<M>,
    {
        self.take(|e: DelegateEnvelope<A, M>| (e.message, Responder::new(e.reply, e.wait)))
    }

    /// The message, when it is a read-only request of type `M` for a
    /// [`ReadHandler<M>`], and the responder its answer goes to.
    ///
    /// # Errors
    ///
    /// The incoming message itself, when it is something else.
    pub fn read<M: Send + 'static>(self) -> Result<(M, Responder<A::Result>), Self>
    where
        A: ReadHandler<M>,
    {
        self.take(|e: ReadEnvelope<A, M>| (e.message, Responder::new(e.reply, e.wait)))
    }

    /// The message, when it is a notification of type `M`.
    ///
    /// # Errors
    ///
    /// The incoming message itself, when it is something else.
    pub fn notification<M: Send + 'static>(self) -> Result<M, Self>
    where
        A: Notifiable<M>,
    {
        self.take(|e: NotifyEnvelope<M>| e.message)
    }

    /// The message, opened by `open`, when it is an `I`; else the incoming message itself.
    fn take<I: Item<A>, T>(self, open: impl FnOnce(I) -> T) -> Result<T, Self> {
        match self.hand.take_front_as::<I>() {
            Some(item) => Ok(open(item)),
            None => Err(self),
        }
    }
}

impl<A: 'static> Drop for Incoming<'_, A> {
    fn drop(&mut self) {
        // Untaken: refused now, not at the proxy's next call. (Taken: `hand` is empty.)
        refuse(self.hand);
    }
}

impl<A: 'static> fmt::Debug for Incoming<'_, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Incoming")
            .field("actor", &std::any::type_name::<A>())
            .finish_non_exhaustive()
    }
}
