//! [`Address`]: the cloneable handle through which everything reaches an actor.

use std::fmt;
use std::future::Future;
use std::hash::{Hash, Hasher};
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;

use tokio::sync::oneshot;

use crate::backlog::{Envelope, Item};
use crate::cell::{ActorCell, Sender};
use crate::delegation::{Answers, Responder};
use crate::envelope::{CloneEnvelope, Control, NotifyEnvelope, ReadEnvelope};
use crate::panic::catch_unwind_call;
use crate::queue::Refused;
use crate::reentrancy;
use crate::reply::ReplySender;
use crate::waits::{self, Wait};
use crate::{
    Actor, ActorId, Coroutine, Notifiable, NotifyRecipient, ReadHandler, Recipient, Reply,
    SendError, StopReason, TrySendError, WeakAddress,
};

/// A handle to a running (or not yet started) actor: sends it requests and
/// notifications, asks it to stop, waits for it to stop.
///
/// Cheap to clone, `Send + Sync`, and every method takes `&self`. The actor stays
/// alive while any address exists (see the crate docs); dropping the last one stops it
/// once it has handled what was already queued.
///
/// Two addresses are equal when they point at the same actor.
pub struct Address<A> {
    sender: Sender<A>,
}

/// [`Address::queue`]'s future.
pub(crate) enum Queued<'a> {
    /// Queued, or refused, at once.
    Done(Option<Result<(), SendError>>),
    /// Waiting for room.
    Waiting(Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>>),
}

impl Future for Queued<'_> {
    type Output = Result<(), SendError>;

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> Poll<Self::Output> {
        match self.get_mut() {
            // Polled again after completion: nothing more to queue.
            Self::Done(outcome) => Poll::Ready(outcome.take().unwrap_or(Ok(()))),
            Self::Waiting(waiting) => waiting.as_mut().poll(cx),
        }
    }
}

impl<A> Clone for Address<A> {
    fn clone(&self) -> Self {
        Self {
            sender: self.sender.clone(),
        }
    }
}

impl<A: Actor> Address<A> {
    pub(crate) fn new(sender: Sender<A>) -> Self {
        Self { sender }
    }

    /// Queues the request `envelope` builds around its reply channel (waiting for room)
    /// and waits for the answer. Refused with `WouldDeadlock` inside the actor itself.
    ///
    /// A function returning an async block, whose future `send` and `read` return as
    /// it is: a handler that awaits a request holds this future inside its own, which
    /// must fit the loop's inline room, and an `async fn` (or a wrapping one) would
    /// keep its arguments twice.
    #[allow(
        clippy::manual_async_fn,
        reason = "an async fn would keep its arguments twice in every request future"
    )]
    pub(crate) fn request<R, I, E>(
        &self,
        read: bool,
        envelope: E,
    ) -> impl Future<Output = Result<R, SendError>> + use<A, R, I, E>
    where
        I: Item<A>,
        E: FnOnce(ReplySender<R>, Option<Wait>) -> I,
    {
        // Owned: the future does not borrow the address it was made from (it can be
        // spawned, and the address dropped).
        let this = self.clone();
        async move {
            let this = &this;
            // From inside an actor, the wait on this one is registered (and refused if
            // it closes a cycle) before the request is queued; it travels with the
            // request and ends when the answer is sent or this future is done.
            let Ok(wait) = waits::begin(reentrancy::waiter(), this.cell().id, read) else {
                return Err(SendError::WouldDeadlock);
            };
            let travelling = wait.as_ref().map(Wait::share);
            let (reply, answer) = oneshot::channel();
            // Queued without an inner future when there is room (the common case); only
            // the wait for room is held across an await.
            let waiting = match this.sender.try_push(envelope(reply, travelling)) {
                Ok(()) => None,
                Err(Refused::Closed(_)) => return Err(SendError::Stopped),
                Err(Refused::Full(item)) => Some(this.sender.wait_for_room(item)),
            };
            if let Some(waiting) = waiting {
                waiting.await.map_err(|_| SendError::Stopped)?;
            }
            Reply::waiting(answer, this.cell().id, read, wait).await
        }
    }

    /// Queues a control item without waiting; `false` when there is no room or the
    /// actor is stopping.
    pub(crate) fn try_push_control(&self, control: Control) -> bool {
        self.sender.try_push(control).is_ok()
    }

    /// The identity of the actor this address points at.
    pub fn id(&self) -> ActorId {
        self.cell().id
    }

    /// Sends a request and waits for the answer.
    ///
    /// Waits for room first when the mailbox is bounded and full.
    ///
    /// # Errors
    ///
    /// - [`SendError::Stopped`]: the actor is stopped (or has accepted a stop); the
    ///   request was not queued.
    /// - [`SendError::Unanswered`]: the request was queued, but the actor stopped before
    ///   handling it.
    /// - [`SendError::Panicked`]: the handler panicked on this request.
    /// - [`SendError::WouldDeadlock`]: called from inside this actor's own handler or
    ///   hook, where the answer could never come.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future while it waits for room queues nothing. Dropping it after
    /// the request was queued leaves the request in the mailbox: the actor handles it
    /// and discards the answer.
    ///
    /// ```
    /// use messages::prelude::*;
    ///
    /// struct Doubler;
    /// impl Actor for Doubler {}
    /// impl Handler<u32> for Doubler {
    ///     type Result = u32;
    ///     async fn handle(&mut self, n: u32, _: &Context<Self>) -> u32 {
    ///         n * 2
    ///     }
    /// }
    ///
    /// # futures::executor::block_on(async {
    /// let context = Context::new();
    /// let address = context.address();
    /// let caller = async move { address.send(21).await };
    /// let (answer, _exit) = futures::join!(caller, context.run(Doubler));
    /// assert_eq!(answer, Ok(42));
    /// # });
    /// ```
    ///
    /// The actor answers with a [`Handler<M>`](crate::Handler), or hands the answer off
    /// with a [`Delegate<M>`](crate::Delegate): the caller sees no difference (`K`, the
    /// kind, is inferred).
    pub fn send<M, K>(
        &self,
        message: M,
    ) -> impl Future<Output = Result<<A as Answers<M, K>>::Result, SendError>> + use<M, K, A>
    where
        A: Answers<M, K>,
    {
        A::queue(self, message)
    }

    /// Sends a request whose answer goes to `responder`: the request a
    /// [`Delegate`](crate::Delegate) handler received, handed on to this actor, which
    /// then answers the original caller directly. Waits for room first when the mailbox
    /// is bounded and full.
    ///
    /// # Errors
    ///
    /// As [`notify`](Address::notify): [`SendError::Stopped`] when this actor refuses
    /// messages, [`SendError::WouldDeadlock`] when the wait for room could never end.
    /// The request is then dropped, and the original caller gets
    /// [`SendError::Unanswered`].
    ///
    /// # Cancel safety
    ///
    /// Dropping the future while it waits for room drops the request: the original
    /// caller gets [`SendError::Unanswered`].
    pub fn forward<M, K>(
        &self,
        message: M,
        responder: Responder<<A as Answers<M, K>>::Result>,
    ) -> impl Future<Output = Result<(), SendError>>
    where
        A: Answers<M, K>,
    {
        A::forward(self, message, responder)
    }

    /// Sends a read-only request ([`ReadHandler`]) and waits for the answer. Reads run
    /// concurrently with the reads around them; see [`ReadHandler`] for the ordering.
    ///
    /// # Errors
    ///
    /// As [`send`](Address::send).
    ///
    /// # Cancel safety
    ///
    /// As [`send`](Address::send).
    pub fn read<M>(
        &self,
        message: M,
    ) -> impl Future<Output = Result<<A as ReadHandler<M>>::Result, SendError>> + use<M, A>
    where
        A: ReadHandler<M>,
        M: Send + 'static,
    {
        self.request(true, |reply, wait| ReadEnvelope::<A, M> {
            message,
            reply,
            wait,
        })
    }

    /// Queues a read-only request without waiting for room, and returns the [`Reply`]
    /// to await for its answer.
    ///
    /// # Errors
    ///
    /// Hands the message back in [`TrySendError::Full`] when the bounded mailbox is
    /// full, and in [`TrySendError::Stopped`] when the actor refuses messages.
    pub fn try_read<M>(
        &self,
        message: M,
    ) -> Result<Reply<<A as ReadHandler<M>>::Result>, TrySendError<M>>
    where
        A: ReadHandler<M>,
        M: Send + 'static,
    {
        self.try_request(
            true,
            |reply| ReadEnvelope::<A, M> {
                message,
                reply,
                wait: None,
            },
            |refused| refused.message,
        )
    }

    /// Computes `message` with a [`Coroutine`]: takes a copy of the actor's state (in
    /// mailbox order) and runs [`Coroutine::calculate`] on it in the caller's task, so
    /// calls run in parallel and the actor is free at once.
    ///
    /// # Errors
    ///
    /// As [`send`](Address::send) for taking the copy; [`SendError::Panicked`] when
    /// `calculate` (or the actor's `Clone`) panics. The actor is unaffected by a panic in
    /// `calculate`.
    ///
    /// # Cancel safety
    ///
    /// As [`send`](Address::send).
    pub fn calculate<M>(
        &self,
        message: M,
    ) -> impl Future<Output = Result<<A as Coroutine<M>>::Result, SendError>> + use<M, A>
    where
        A: Coroutine<M>,
    {
        let copy = self.request(false, |reply, wait| CloneEnvelope::<A> { reply, wait });
        async move {
            let copy = copy.await?;
            catch_unwind_call(|| copy.calculate(message))
                .await
                .map_err(|_| SendError::Panicked)
        }
    }

    /// Queues a request without waiting for room, and returns the [`Reply`] to await
    /// for its answer.
    ///
    /// # Errors
    ///
    /// Hands the message back in [`TrySendError::Full`] when the bounded mailbox is
    /// full, and in [`TrySendError::Stopped`] when the actor refuses messages.
    pub fn try_send<M, K>(
        &self,
        message: M,
    ) -> Result<Reply<<A as Answers<M, K>>::Result>, TrySendError<M>>
    where
        A: Answers<M, K>,
    {
        A::try_queue(self, message)
    }

    /// Queues the request `envelope` builds around its reply channel without waiting
    /// for room; a refused request hands back the message `message` takes out of it.
    pub(crate) fn try_request<M, R, I: Item<A>>(
        &self,
        read: bool,
        envelope: impl FnOnce(ReplySender<R>) -> I,
        message: impl FnOnce(I) -> M,
    ) -> Result<Reply<R>, TrySendError<M>> {
        let (reply, answer) = oneshot::channel();
        match self.sender.try_push(envelope(reply)) {
            Ok(()) => Ok(Reply::new(answer, self.cell().id, read)),
            Err(Refused::Full(refused)) => Err(TrySendError::Full(message(refused))),
            Err(Refused::Closed(refused)) => Err(TrySendError::Stopped(message(refused))),
        }
    }

    /// Queues a notification and returns: it does not wait for the actor to handle it.
    ///
    /// Waits for room first when the mailbox is bounded and full.
    ///
    /// # Errors
    ///
    /// - [`SendError::Stopped`]: the actor is stopped (or has accepted a stop).
    /// - [`SendError::WouldDeadlock`]: the mailbox is full and room could never free
    ///   up: called from inside this actor's own handler, or from an actor this one is
    ///   (through any chain of waits) waiting on.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future while it waits for room queues nothing.
    pub async fn notify<M>(&self, message: M) -> Result<(), SendError>
    where
        A: Notifiable<M>,
        M: Send + 'static,
    {
        // Only the wait for room is held across the await: the future stays small,
        // and so does every handler that notifies another actor.
        match self.sender.try_push(NotifyEnvelope { message }) {
            Ok(()) => Ok(()),
            Err(Refused::Closed(_)) => Err(SendError::Stopped),
            Err(Refused::Full(envelope)) => self.queue_when_room(envelope).await,
        }
    }

    /// Queues `item`, waiting for room when the mailbox is bounded and full. Queued at
    /// once when there is room; only the wait for room is boxed, so the future stays a
    /// few words in the handler future that awaits it.
    pub(crate) fn queue<I: Item<A>>(&self, item: I) -> Queued<'_> {
        match self.sender.try_push(item) {
            Ok(()) => Queued::Done(Some(Ok(()))),
            Err(Refused::Closed(_)) => Queued::Done(Some(Err(SendError::Stopped))),
            Err(Refused::Full(item)) => Queued::Waiting(Box::pin(self.queue_when_room(item))),
        }
    }

    /// Queues the request `envelope` builds around `reply` (a forwarded request's);
    /// nothing when the request was already answered.
    pub(crate) fn queue_reply<R, I: Item<A>>(
        &self,
        reply: Option<ReplySender<R>>,
        envelope: impl FnOnce(ReplySender<R>) -> I,
    ) -> Queued<'_> {
        match reply {
            Some(reply) => self.queue(envelope(reply)),
            None => Queued::Done(Some(Ok(()))),
        }
    }

    /// Queues `item` once the full mailbox has room. Waiting for room is waiting on the
    /// actor: refused with `WouldDeadlock` if it closes a cycle (see `waits`).
    async fn queue_when_room<I: Item<A>>(&self, item: I) -> Result<(), SendError> {
        let Ok(wait) = waits::begin(reentrancy::waiter(), self.cell().id, false) else {
            return Err(SendError::WouldDeadlock);
        };
        let queued = self.sender.wait_for_room(item).await;
        drop(wait);
        queued.map_err(|_| SendError::Stopped)
    }

    /// Queues a notification without waiting for room.
    ///
    /// # Errors
    ///
    /// Hands the message back in [`TrySendError::Full`] when the bounded mailbox is
    /// full, and in [`TrySendError::Stopped`] when the actor refuses messages.
    pub fn try_notify<M>(&self, message: M) -> Result<(), TrySendError<M>>
    where
        A: Notifiable<M>,
        M: Send + 'static,
    {
        self.sender
            .try_push(NotifyEnvelope { message })
            .map_err(|error| match error {
                Refused::Full(refused) => TrySendError::Full(refused.message),
                Refused::Closed(refused) => TrySendError::Stopped(refused.message),
            })
    }

    /// Queues a notification in the actor's **priority lane**, and returns at once.
    ///
    /// Ordering rule: when the actor picks its next message, a waiting priority
    /// notification goes before every ordinary message (requests, notifications, stop
    /// requests) still waiting in the mailbox. Priority notifications are handled in the
    /// order sent, never interrupt a running handler, and do not count against the
    /// mailbox capacity: the lane has no bound, so keep it for control messages. After a
    /// graceful stop is accepted they are refused like ordinary ones, and those still
    /// queued when the actor stops are counted in [`Exit::undelivered`](crate::Exit::undelivered).
    ///
    /// ```
    /// use messages::prelude::*;
    ///
    /// #[derive(Default)]
    /// struct Log(Vec<&'static str>);
    /// impl Actor for Log {}
    /// impl Notifiable<&'static str> for Log {
    ///     async fn notify(&mut self, line: &'static str, _: &Context<Self>) {
    ///         self.0.push(line);
    ///     }
    /// }
    ///
    /// # futures::executor::block_on(async {
    /// let context = Context::new();
    /// let log = context.address();
    /// log.notify("ordinary").await.unwrap();
    /// log.notify_priority("urgent").unwrap();
    /// drop(log);
    /// let exit = context.run(Log::default()).await;
    /// assert_eq!(exit.actor.0, ["urgent", "ordinary"]);
    /// # });
    /// ```
    ///
    /// # Errors
    ///
    /// [`TrySendError::Stopped`] with the message when the actor is stopped.
    pub fn notify_priority<M>(&self, message: M) -> Result<(), TrySendError<M>>
    where
        A: Notifiable<M>,
        M: Send + 'static,
    {
        let envelope = |message| Envelope::new(NotifyEnvelope { message });
        match self.cell().push_priority(message, envelope) {
            Ok(was_empty) => {
                if was_empty {
                    // The loop may be parked on the ordinary mailbox. A full mailbox
                    // means it is busy and will look anyway; a closed one, that it is
                    // stopping and will count this notification.
                    let _ = self.sender.try_push(Control::Wake);
                }
                Ok(())
            }
            Err(message) => Err(TrySendError::Stopped(message)),
        }
    }

    /// Stops the actor at once: once the handler running now (if any) returns, nothing
    /// else is handled. Every queued request fails with [`SendError::Unanswered`], later
    /// sends with [`SendError::Stopped`]; queued notifications are counted and reported
    /// to [`Actor::undelivered`]; `stopped` still runs. The reason is
    /// [`StopReason::Killed`], and a supervised actor is not restarted.
    ///
    /// Not a message: it does not wait for room and overtakes everything queued.
    pub fn kill(&self) {
        self.cell().kill();
        // Wake a loop parked on an empty mailbox; a full one is busy and will look.
        let _ = self.sender.try_push(Control::Wake);
    }

    /// Asks the actor to stop gracefully, and returns once the request is queued.
    ///
    /// The stop request is a message: everything queued before it is handled first, in
    /// order. When the actor reaches it, its [`stopping`](Actor::stopping) hook decides;
    /// if it accepts, everything queued behind the request (or sent later) is refused:
    /// callers of [`send`](Address::send) get [`SendError::Unanswered`], later sends get
    /// [`SendError::Stopped`], dropped notifications are counted in
    /// [`Exit::undelivered`](crate::Exit::undelivered).
    ///
    /// Returns at once when the actor is already stopped. Waits for room in a full
    /// bounded mailbox, except inside the actor's own handler, where it falls back to
    /// [`Context::stop`](crate::Context::stop) (stop after the messages already queued)
    /// instead of deadlocking. To wait until the actor has stopped, follow with
    /// [`wait_for_stop`](Address::wait_for_stop).
    ///
    /// # Cancel safety
    ///
    /// Dropping the future while it waits for room queues nothing.
    pub async fn stop(&self) {
        match self.sender.try_push(Control::Stop) {
            Ok(()) | Err(Refused::Closed(_)) => {}
            Err(Refused::Full(stop)) => {
                // Closed while waiting: the actor is stopping anyway. Where the room
                // could never come, the stop is asked out of band instead.
                if self.queue_when_room(stop).await == Err(SendError::WouldDeadlock) {
                    self.cell().request_stop();
                }
            }
        }
    }

    /// Asks the actor to stop **for good**, and returns once the request is queued: as
    /// [`stop`](Address::stop) (what is queued before the request is handled first,
    /// [`stopping`](Actor::stopping) decides), but once the actor stops, no supervisor
    /// restarts it, whatever its [`Restart`](crate::supervision::Restart) policy: a
    /// `Restart::Permanent` actor, which a plain `stop` restarts, ends; so does one
    /// whose group would restart it with its siblings.
    ///
    /// It holds from then on: if `stopping` refuses this stop, the actor keeps running,
    /// and whatever stops it later (a stop, a panic, its last address dropped) is final.
    /// To stop every actor of the process this way, children before parents, and wait
    /// for them: [`System::shutdown`](crate::System::shutdown).
    ///
    /// # Cancel safety
    ///
    /// As [`stop`](Address::stop); the restarts are forbidden as soon as it is called.
    ///
    /// ```
    /// use messages::prelude::*;
    /// use messages::supervision::{Restart, Supervision};
    ///
    /// #[derive(Default)]
    /// struct Service;
    /// impl Actor for Service {}
    ///
    /// # futures::executor::block_on(async {
    /// let context = Context::new();
    /// let service = context.address();
    /// let permanent = Supervision::new(Restart::Permanent);
    /// let caller = async move {
    ///     service.shutdown().await; // a `stop` would restart it
    ///     service.wait_for_stop().await
    /// };
    /// let (reason, exit) = futures::join!(caller, context.run_supervised(Service::default, permanent));
    /// assert_eq!(reason, StopReason::Requested);
    /// assert_eq!(exit.unwrap().restarts, 0);
    /// # });
    /// ```
    pub async fn shutdown(&self) {
        self.cell().forbid_restarts();
        self.stop().await;
    }

    /// Waits until the actor has stopped, and tells why. Returns at once when it
    /// already has.
    ///
    /// When it returns, the actor's `stopped` hook has run and every queued message has
    /// met its fate (handled, or refused and reported). Waker-based: it never spins,
    /// and it may be called before the actor first runs, on any executor.
    ///
    /// This address keeps the actor alive while it waits, like any address: pair it
    /// with [`stop`](Address::stop) (or wait on a clone while the other addresses go
    /// away). Awaited inside the actor's own handler it would never return.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it only observes.
    pub async fn wait_for_stop(&self) -> StopReason {
        self.cell().wait_for_exit().await
    }

    /// Why the actor stopped, once it has: `None` while it may still run, then the
    /// reason [`wait_for_stop`](Address::wait_for_stop) gives. It does not wait.
    ///
    /// It turns `Some` as the stop is published, when `wait_for_stop` returns, and
    /// stays so. An actor that is stopping (it accepted a stop, refuses its backlog,
    /// runs its `stopped` hook) has not stopped yet: `None`, though
    /// [`connected`](Address::connected) is already `false`. Nor has a supervised actor
    /// that is restarted; one whose restart budget is spent has
    /// ([`StopReason::TooManyRestarts`]). A [`Proxy`](crate::proxy::Proxy)'s address
    /// tells the reason its owner gave [`finish`](crate::proxy::Proxy::finish).
    ///
    /// ```
    /// use messages::prelude::*;
    ///
    /// struct Worker;
    /// impl Actor for Worker {}
    ///
    /// # futures::executor::block_on(async {
    /// let context = Context::new();
    /// let worker = context.address();
    /// assert_eq!(worker.stop_reason(), None); // not even started
    ///
    /// worker.kill();
    /// let exit = context.run(Worker).await;
    /// assert_eq!(exit.reason, StopReason::Killed);
    /// assert_eq!(worker.stop_reason(), Some(StopReason::Killed));
    /// assert_eq!(worker.wait_for_stop().await, StopReason::Killed);
    /// # });
    /// ```
    pub fn stop_reason(&self) -> Option<StopReason> {
        self.cell().stop_reason()
    }

    /// Whether the actor still accepts messages: `false` once it has stopped or has
    /// accepted a stop.
    pub fn connected(&self) -> bool {
        !self.sender.is_closed()
    }

    /// A [`WeakAddress`] of the same actor, which does not keep it alive.
    pub fn downgrade(&self) -> WeakAddress<A> {
        WeakAddress::new(self.sender.downgrade())
    }

    /// This address erased to one request type: a [`Recipient`] can be stored beside
    /// recipients of other actors that answer `M` with the same type.
    ///
    /// The actor answers `M` with a [`Handler<M>`](crate::Handler) or a
    /// [`Delegate<M>`](crate::Delegate), as for [`send`](Address::send): `K`, the kind,
    /// is inferred. Name the recipient's type (`Recipient<M, R>`), or the message alone
    /// with `recipient::<M, _>()`.
    pub fn recipient<M, K>(&self) -> Recipient<M, <A as Answers<M, K>>::Result>
    where
        A: Answers<M, K>,
        M: Send + 'static,
        K: 'static,
    {
        Recipient::new(self.clone())
    }

    /// This address erased to one notification type: a [`NotifyRecipient`] can be stored
    /// beside recipients of other actors that take `M`.
    pub fn notify_recipient<M>(&self) -> NotifyRecipient<M>
    where
        A: Notifiable<M>,
        M: Send + 'static,
    {
        NotifyRecipient::new(self.clone())
    }
}

impl<A> Address<A> {
    pub(crate) fn cell(&self) -> &Arc<ActorCell<A>> {
        self.sender.cell()
    }
}

impl<A> PartialEq for Address<A> {
    fn eq(&self, other: &Self) -> bool {
        self.cell().id == other.cell().id
    }
}

impl<A> Eq for Address<A> {}

impl<A> Hash for Address<A> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.cell().id.hash(state);
    }
}

impl<A> fmt::Debug for Address<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Address")
            .field("actor", &std::any::type_name::<A>())
            .field("id", &self.cell().id)
            .field("connected", &!self.sender.is_closed())
            .finish()
    }
}
