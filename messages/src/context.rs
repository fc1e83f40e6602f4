//! [`Context`]: the actor's environment, and the mailbox loop that runs it.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::Duration;

use crate::mailbox::{self, Envelope};
use crate::panic::{self, Panic, catch_unwind_future};
use crate::runtime::{JoinHandle, Spawner, Timer};
use crate::scheduled::{TimerHandle, idle_watchdog, timer_task};
use crate::shared::Shared;
use crate::stream::forward_then;
use crate::{
    Actor, ActorAction, ActorId, Address, Exit, Mailbox, Notifiable, StopReason, WeakAddress,
    ZeroCapacityError, current,
};
use futures_core::Stream;

/// The mailbox capacity of [`Context::new`]: at most this many messages wait in the
/// mailbox before senders wait for room.
pub const DEFAULT_CAPACITY: usize = 128;

/// The environment an actor runs in: its mailbox, its identity, its addresses.
///
/// Create one, take [`address`](Context::address)es from it, then hand it the actor
/// with [`run`](Context::run) on any executor (or [`spawn`](Context::spawn) on a
/// built-in one). Handlers and hooks receive `&Context<Self>` to reach their own
/// address or to [`stop`](Context::stop) the actor.
///
/// ```
/// use messages::prelude::*;
///
/// struct Ping;
/// impl Actor for Ping {}
/// impl Handler<u8> for Ping {
///     type Result = u8;
///     async fn handle(&mut self, n: u8, _: &Context<Self>) -> u8 {
///         n
///     }
/// }
///
/// # futures::executor::block_on(async {
/// let context = Context::new();
/// let address = context.address();
/// let caller = async move {
///     assert_eq!(address.send(42).await, Ok(42));
///     // `address` is dropped here: the last one, so the actor stops.
/// };
/// let ((), exit) = futures::join!(caller, context.run(Ping));
/// assert_eq!(exit.reason, StopReason::AddressesDropped);
/// # });
/// ```
pub struct Context<A> {
    shared: Arc<Shared<A>>,
    /// Makes addresses without keeping the actor reachable.
    weak: mailbox::WeakSender<A>,
    /// Keeps the mailbox open until the actor has started, so addresses can be taken
    /// (and messages queued) before the actor runs. Dropped after `started`.
    strong: Option<mailbox::Sender<A>>,
    receiver: mailbox::Receiver<A>,
}

impl<A: Actor> Default for Context<A> {
    fn default() -> Self {
        Self::new()
    }
}

impl<A: Actor> Context<A> {
    /// A context with the actor's own mailbox, [`Actor::MAILBOX`]: unless the actor
    /// declares otherwise, bounded at [`DEFAULT_CAPACITY`] messages.
    pub fn new() -> Self {
        Self::with_mailbox(A::MAILBOX)
    }

    /// A context with a bounded mailbox of `capacity` messages.
    ///
    /// The rule is exact: at most `capacity` messages (stop requests included) wait in
    /// the mailbox; a further [`send`](Address::send)/[`notify`](Address::notify) waits
    /// for room, a further `try_*` call returns [`TrySendError::Full`](crate::TrySendError::Full).
    /// The message being handled no longer counts.
    ///
    /// # Errors
    ///
    /// [`ZeroCapacityError`] when `capacity` is 0: a bounded mailbox holds at least one
    /// message. Use [`Context::unbounded`] for a mailbox without a bound.
    ///
    /// ```
    /// use messages::prelude::*;
    ///
    /// struct Quiet;
    /// impl Actor for Quiet {}
    ///
    /// assert!(Context::<Quiet>::with_capacity(16).is_ok());
    /// assert_eq!(Context::<Quiet>::with_capacity(0).unwrap_err(), ZeroCapacityError);
    /// ```
    pub fn with_capacity(capacity: usize) -> Result<Self, ZeroCapacityError> {
        let capacity = NonZeroUsize::new(capacity).ok_or(ZeroCapacityError)?;
        Ok(Self::with_mailbox(Mailbox::Bounded(capacity)))
    }

    /// A context whose mailbox has no bound: sending never waits for room, and memory
    /// is the only limit. Use it where a sender must never block (cycles of actors that
    /// notify each other, like a ring).
    pub fn unbounded() -> Self {
        Self::with_mailbox(Mailbox::Unbounded)
    }

    /// A context with the given mailbox, whatever the actor declares.
    pub fn with_mailbox(mailbox: Mailbox) -> Self {
        let (sender, receiver) = mailbox::channel(mailbox);
        Self {
            shared: Shared::new(),
            weak: sender.downgrade(),
            strong: Some(sender),
            receiver,
        }
    }

    /// The identity of this actor, the same as its addresses report.
    pub fn id(&self) -> ActorId {
        self.shared.id
    }

    /// A new address of this actor.
    ///
    /// Before and during `started`, and for as long as some address exists, the address
    /// is live. Once every address was dropped the mailbox is closed for good: the actor
    /// is finishing its backlog, and an address taken now is already disconnected
    /// (sends fail with [`SendError::Stopped`](crate::SendError::Stopped)).
    pub fn address(&self) -> Address<A> {
        let sender = match &self.strong {
            Some(sender) => Some(sender.clone()),
            None => self.weak.upgrade(),
        };
        let sender = sender.unwrap_or_else(|| mailbox::channel(Mailbox::Unbounded).0);
        Address::new(sender, Arc::clone(&self.shared))
    }

    /// Asks the actor to stop once the current handler (or hook) returns.
    ///
    /// Not a message: it takes effect right after the caller returns, without waiting
    /// for room. Then [`stopping`](Actor::stopping) decides; if it accepts, the mailbox
    /// refuses new messages, the messages already queued are still handled in order
    /// (they were sent before the stop), and the actor stops. Calling it again, or
    /// while already stopping, changes nothing.
    pub fn stop(&self) {
        self.shared.request_stop();
    }

    /// A [`WeakAddress`] of this actor, which does not keep it alive.
    pub fn weak_address(&self) -> WeakAddress<A> {
        WeakAddress::new(self.weak.clone(), Arc::clone(&self.shared))
    }

    /// Notifies the actor with `message` once `delay` has passed, on the built-in runtime
    /// (tokio when the `tokio` feature is on, otherwise smol).
    ///
    /// The timer does not keep the actor alive and ends when the actor stops; cancel it
    /// with the returned [`TimerHandle`].
    ///
    /// # Panics
    ///
    /// With tokio, panics outside a tokio runtime (with its time driver), as
    /// `tokio::spawn` does.
    #[cfg(any(feature = "tokio", feature = "smol"))]
    pub fn notify_later<M>(&self, message: M, delay: Duration) -> TimerHandle
    where
        A: Notifiable<M>,
        M: Send + 'static,
    {
        self.notify_later_on(message, delay, &crate::runtime::DefaultRuntime)
    }

    /// [`notify_later`](Context::notify_later) on any executor: `runtime` spawns the timer
    /// and keeps its time.
    pub fn notify_later_on<M, R>(&self, message: M, delay: Duration, runtime: &R) -> TimerHandle
    where
        A: Notifiable<M>,
        M: Send + 'static,
        R: Spawner + Timer + Clone + Send + Sync + 'static,
    {
        let mut message = Some(message);
        // Fires once: `make` is called at most once.
        let make = move || message.take();
        let (handle, task) = timer_task(self.weak_address(), runtime.clone(), delay, false, make);
        runtime.spawn(task);
        handle
    }

    /// Notifies the actor with `make()` every `interval`, on the built-in runtime (tokio
    /// when the `tokio` feature is on, otherwise smol), until cancelled or the actor
    /// stops. Ticks wait for room in a full mailbox and are not made up when late.
    ///
    /// # Panics
    ///
    /// With tokio, panics outside a tokio runtime (with its time driver), as
    /// `tokio::spawn` does.
    #[cfg(any(feature = "tokio", feature = "smol"))]
    pub fn notify_interval<M, F>(&self, interval: Duration, make: F) -> TimerHandle
    where
        A: Notifiable<M>,
        M: Send + 'static,
        F: FnMut() -> M + Send + 'static,
    {
        self.notify_interval_on(interval, make, &crate::runtime::DefaultRuntime)
    }

    /// [`notify_interval`](Context::notify_interval) on any executor: `runtime` spawns the
    /// timer and keeps its time.
    pub fn notify_interval_on<M, F, R>(
        &self,
        interval: Duration,
        mut make: F,
        runtime: &R,
    ) -> TimerHandle
    where
        A: Notifiable<M>,
        M: Send + 'static,
        F: FnMut() -> M + Send + 'static,
        R: Spawner + Timer + Clone + Send + Sync + 'static,
    {
        let make = move || Some(make());
        let (handle, task) = timer_task(self.weak_address(), runtime.clone(), interval, true, make);
        runtime.spawn(task);
        handle
    }

    /// Calls the actor's [`idle`](Actor::idle) hook (by default: a graceful stop) once it
    /// has taken no message for `timeout`, on the built-in runtime (tokio when the
    /// `tokio` feature is on, otherwise smol). Call it before running the actor or from
    /// a handler or hook (`started`, say).
    ///
    /// The watchdog looks every `timeout`, so the hook runs after between one and two
    /// timeouts of silence; a handler still running counts as silence. It never keeps the
    /// actor alive, ends with it, and is cancelled through the returned handle.
    ///
    /// # Panics
    ///
    /// With tokio, panics outside a tokio runtime (with its time driver), as
    /// `tokio::spawn` does.
    #[cfg(any(feature = "tokio", feature = "smol"))]
    pub fn idle_timeout(&self, timeout: Duration) -> TimerHandle {
        self.idle_timeout_on(timeout, &crate::runtime::DefaultRuntime)
    }

    /// [`idle_timeout`](Context::idle_timeout) on any executor: `runtime` spawns the
    /// watchdog and keeps its time.
    pub fn idle_timeout_on<R>(&self, timeout: Duration, runtime: &R) -> TimerHandle
    where
        R: Spawner + Timer + Clone + Send + Sync + 'static,
    {
        let (handle, task) = idle_watchdog(self.weak_address(), runtime.clone(), timeout);
        runtime.spawn(task);
        handle
    }

    /// Attaches `stream` to the actor: each item arrives as a notification, in order, on
    /// the built-in runtime (tokio when the `tokio` feature is on, otherwise smol).
    ///
    /// **An attached stream keeps the actor alive** until the stream ends, even when
    /// every address is dropped: a connection actor lives as long as its connection. A
    /// stop request still stops the actor, and the stream is then dropped.
    ///
    /// # Panics
    ///
    /// With tokio, panics when called outside a tokio runtime, as `tokio::spawn` does.
    #[cfg(any(feature = "tokio", feature = "smol"))]
    pub fn add_stream<S>(&self, stream: S)
    where
        S: Stream + Send + 'static,
        S::Item: Send + 'static,
        A: Notifiable<S::Item>,
    {
        self.add_stream_on(stream, &crate::runtime::DefaultRuntime);
    }

    /// [`add_stream`](Context::add_stream) on any executor.
    pub fn add_stream_on<S, R>(&self, stream: S, spawner: &R)
    where
        S: Stream + Send + 'static,
        S::Item: Send + 'static,
        A: Notifiable<S::Item>,
        R: Spawner,
    {
        let address = self.address();
        spawner.spawn(async move {
            let _ = address.into_stream_forwarder(stream).await;
        });
    }

    /// [`add_stream`](Context::add_stream), then notifies the actor with `end` once the
    /// stream has ended (not when the actor stopped first): the hook for "the stream is
    /// over".
    ///
    /// # Panics
    ///
    /// With tokio, panics when called outside a tokio runtime, as `tokio::spawn` does.
    #[cfg(any(feature = "tokio", feature = "smol"))]
    pub fn add_stream_with_end<S, E>(&self, stream: S, end: E)
    where
        S: Stream + Send + 'static,
        S::Item: Send + 'static,
        E: Send + 'static,
        A: Notifiable<S::Item> + Notifiable<E>,
    {
        self.add_stream_with_end_on(stream, end, &crate::runtime::DefaultRuntime);
    }

    /// [`add_stream_with_end`](Context::add_stream_with_end) on any executor.
    pub fn add_stream_with_end_on<S, E, R>(&self, stream: S, end: E, spawner: &R)
    where
        S: Stream + Send + 'static,
        S::Item: Send + 'static,
        E: Send + 'static,
        A: Notifiable<S::Item> + Notifiable<E>,
        R: Spawner,
    {
        spawner.spawn(forward_then(self.address(), stream, Some(end)));
    }

    /// Runs the actor until it stops, and hands back its final state.
    ///
    /// The future works on any executor: spawn it (`tokio::spawn`, `smol::spawn`, a
    /// thread pool...) or await it. It completes after the actor's `stopped` hook, once
    /// every queued message has been handled or refused; see the crate docs for the
    /// lifecycle. Panics in handlers and hooks are caught and end the run with
    /// [`StopReason::Panicked`].
    ///
    /// # Cancel safety
    ///
    /// Dropping the future stops the actor where it is: `stopped` does not run, queued
    /// requests fail with [`SendError::Unanswered`](crate::SendError::Unanswered), later
    /// sends with `Stopped`, and [`Address::wait_for_stop`] returns
    /// [`StopReason::Cancelled`].
    pub async fn run(mut self, actor: A) -> Exit<A> {
        let exit = self.serve(actor).await;
        self.shared.finish(exit.reason.clone());
        exit
    }

    /// [`run`](Context::run) for a spawned actor nobody joins: its state is dropped
    /// before `wait_for_stop` returns.
    pub(crate) async fn run_detached(mut self, actor: A) {
        let Exit { actor, reason, .. } = self.serve(actor).await;
        drop(actor);
        self.shared.finish(reason);
    }

    /// Spawns the actor on `spawner`'s executor. The [`JoinHandle`] resolves to its
    /// final state; dropping the handle detaches the actor, which runs on.
    pub fn spawn_on<S: Spawner>(self, actor: A, spawner: &S) -> JoinHandle<A> {
        let (handle, exit) = JoinHandle::new();
        spawner.spawn(async move {
            let _ = exit.send(self.run(actor).await);
        });
        handle
    }

    /// Spawns the actor on the built-in runtime (tokio when the `tokio` feature is on,
    /// otherwise smol). The [`JoinHandle`] resolves to its final state.
    ///
    /// # Panics
    ///
    /// With tokio, panics when called outside a tokio runtime, as `tokio::spawn` does.
    #[cfg(any(feature = "tokio", feature = "smol"))]
    pub fn spawn(self, actor: A) -> JoinHandle<A> {
        self.spawn_on(actor, &crate::runtime::DefaultRuntime)
    }

    /// The whole life of the actor, up to (not including) the exit signal.
    async fn serve(&mut self, mut actor: A) -> Exit<A> {
        let started = self.guarded(actor.started(self)).await;
        // From here on only addresses keep the mailbox open.
        self.strong = None;
        let mut reason = match started {
            Ok(()) => self.handle_messages(&mut actor).await,
            Err(panic) => panicked(&panic),
        };
        let undelivered = self.refuse_backlog().await;
        if let Err(panic) = self.guarded(actor.stopped()).await {
            if !reason.is_panic() {
                reason = panicked(&panic);
            }
        }
        Exit {
            actor,
            reason,
            undelivered,
        }
    }

    /// Handles messages until the actor stops; returns why.
    async fn handle_messages(&mut self, actor: &mut A) -> StopReason {
        // A stop from `Context::stop` was accepted: the mailbox is closed, and what was
        // already queued (priority lane first) is still handled.
        let mut draining = false;
        let mut priority_backlog = VecDeque::new();
        // Messages taken so far, published for the idle watchdog.
        let mut taken = 0_u64;
        loop {
            if self.shared.take_stop_request() && !draining {
                match self.guarded(actor.stopping(self)).await {
                    Ok(ActorAction::Stop) => {
                        self.receiver.close();
                        priority_backlog = self.shared.close_priority();
                        draining = true;
                    }
                    Ok(ActorAction::KeepRunning) => {}
                    Err(panic) => return panicked(&panic),
                }
            }
            let next = match priority_backlog.pop_front() {
                Some(envelope) => Some(envelope),
                None => match self.shared.pop_priority() {
                    Some(envelope) => Some(envelope),
                    None => self.receiver.recv().await,
                },
            };
            let Some(envelope) = next else {
                return if draining {
                    StopReason::Requested
                } else {
                    StopReason::AddressesDropped
                };
            };
            match envelope {
                Envelope::Wake => {}
                Envelope::Idle { seen } => {
                    if seen == taken && !draining {
                        if let Err(panic) = self.guarded(actor.idle(self)).await {
                            return panicked(&panic);
                        }
                    }
                }
                // Already stopping: a later stop request changes nothing.
                Envelope::Stop if draining => {}
                Envelope::Stop => match self.guarded(actor.stopping(self)).await {
                    // Everything behind the stop request is refused by the caller.
                    Ok(ActorAction::Stop) => return StopReason::Requested,
                    Ok(ActorAction::KeepRunning) => {}
                    Err(panic) => return panicked(&panic),
                },
                // The envelope catches its handler's panics itself (it must tell the
                // requester), so only the thread mark is added here.
                Envelope::Message(message) => {
                    taken += 1;
                    self.shared.set_taken(taken);
                    let handled = current::inside(self.shared.id, message.handle(actor, self));
                    if let Err(panic) = handled.await {
                        return panicked(&panic);
                    }
                }
            }
        }
    }

    /// Closes the mailbox and the priority lane, and drops what is left in them:
    /// requesters learn at once (their reply sender drops), notifications are counted.
    async fn refuse_backlog(&mut self) -> usize {
        self.receiver.close();
        let mut undelivered = 0;
        let mut count = |envelope: Envelope<A>| {
            if let Envelope::Message(message) = envelope {
                if message.is_notification() {
                    undelivered += 1;
                }
            }
        };
        self.shared
            .close_priority()
            .into_iter()
            .for_each(&mut count);
        while let Some(envelope) = self.receiver.recv().await {
            count(envelope);
        }
        undelivered
    }

    /// Polls a handler or hook with the thread marked as inside this actor, and
    /// catches its panics.
    async fn guarded<F: Future>(&self, future: F) -> Result<F::Output, Panic> {
        catch_unwind_future(current::inside(self.shared.id, future)).await
    }
}

fn panicked(panic: &Panic) -> StopReason {
    StopReason::Panicked(panic::message(panic))
}

impl<A> Drop for Context<A> {
    fn drop(&mut self) {
        // A context dropped before its actor stopped (never run, or its run future was
        // cancelled) must not leave `wait_for_stop` hanging. After a normal stop the
        // reason is already recorded and this does nothing.
        self.shared.finish(StopReason::Cancelled);
    }
}

impl<A> fmt::Debug for Context<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("actor", &std::any::type_name::<A>())
            .field("id", &self.shared.id)
            .finish_non_exhaustive()
    }
}
