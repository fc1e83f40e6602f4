//! [`Context`]: the actor's environment. The mailbox loop that runs the actor is in
//! `run_loop`; timers, streams and the idle watchdog in `scheduling`.

mod run_loop;
mod scheduling;

pub use scheduling::Terminated;

use std::fmt;
use std::num::NonZeroUsize;
use std::sync::Arc;

use crate::mailbox;
use crate::runtime::{JoinHandle, Spawner};
use crate::shared::Shared;
use crate::supervision::{Supervision, Supervisor};
use crate::{Actor, ActorId, Address, Exit, Mailbox, StopReason, ZeroCapacityError};

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
    /// Whether the context still holds the strong sender the mailbox counts from the
    /// start: it keeps the mailbox open until the actor has started, so addresses can
    /// be taken (and messages queued) before the actor runs. Released after `started`.
    /// A flag rather than a `Sender` of its own: one reference count fewer to touch
    /// per actor.
    holds_sender: bool,
    /// Taken by the mailbox loop when the actor runs.
    receiver: Option<mailbox::Receiver<A>>,
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
        let shared = Shared::new(mailbox);
        let receiver = mailbox::receiver(&shared);
        Self {
            shared,
            holds_sender: true,
            receiver: Some(receiver),
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
        let sender = if self.holds_sender {
            Some(mailbox::Sender::another(&self.shared))
        } else {
            mailbox::Sender::upgrade(&self.shared)
        };
        // Once every address is gone: one that is refused on every send.
        Address::new(sender.unwrap_or_else(|| mailbox::Sender::another(&self.shared)))
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
    pub fn run(self, actor: A) -> impl Future<Output = Exit<A>> {
        self.serve(actor, None, run_loop::Join)
    }

    /// [`run`](Context::run) for a spawned actor nobody joins: its state is dropped
    /// before `wait_for_stop` returns.
    pub(crate) fn run_detached(
        self,
        actor: A,
        supervisor: Option<Box<Supervisor<A>>>,
    ) -> impl Future<Output = ()> {
        self.serve(actor, supervisor, run_loop::Detach)
    }

    /// Spawns [`run_detached`](Context::run_detached) on `spawner`.
    ///
    /// The loop's future is boxed before it is spawned: the executor moves the spawned
    /// future a few times (into its task allocation among them), and a pointer moves
    /// cheaply; nor does the task then keep a second copy of the actor's state.
    pub(crate) fn spawn_detached_on<S: Spawner>(
        self,
        actor: A,
        supervisor: Option<Box<Supervisor<A>>>,
        spawner: &S,
    ) {
        spawner.spawn(built_in_box(|| self.run_detached(actor, supervisor)));
    }

    /// Runs a **supervised** actor: built by `factory`, and built afresh by it to restart
    /// behind the same address when `supervision` says so (see [`Restart`](crate::Restart)). A restart
    /// keeps the mailbox: the message whose handler panicked is dropped (its requester
    /// got [`SendError::Panicked`](crate::SendError::Panicked)), the messages behind it
    /// are handled by the new state. The old state's `stopped` runs, then the new one's
    /// `started` ([`Context::restarts`] tells it how many restarts came before). Past
    /// the restart budget the actor stops with [`StopReason::TooManyRestarts`].
    ///
    /// ```
    /// use messages::prelude::*;
    ///
    /// #[derive(Default)]
    /// struct Fragile(u32);
    /// impl Actor for Fragile {}
    /// impl Handler<u32> for Fragile {
    ///     type Result = u32;
    ///     async fn handle(&mut self, n: u32, _: &Context<Self>) -> u32 {
    ///         assert_ne!(n, 0, "zero is not allowed");
    ///         self.0 += n;
    ///         self.0
    ///     }
    /// }
    ///
    /// # futures::executor::block_on(async {
    /// let context = Context::new();
    /// let fragile = context.address();
    /// let caller = async move {
    ///     assert_eq!(fragile.send(5).await, Ok(5));
    ///     assert_eq!(fragile.send(0).await, Err(SendError::Panicked));
    ///     assert_eq!(fragile.send(1).await, Ok(1)); // fresh state, same address
    /// };
    /// let supervision = Supervision::new(Restart::Transient);
    /// let (_, exit) = futures::join!(caller, context.run_supervised(Fragile::default, supervision));
    /// assert_eq!(exit.restarts, 1);
    /// # });
    /// ```
    pub async fn run_supervised<F>(self, mut factory: F, supervision: Supervision) -> Exit<A>
    where
        F: FnMut() -> A + Send + 'static,
    {
        // The first state is built when the future first runs, as before any restart.
        let actor = factory();
        let supervisor = Some(Box::new(Supervisor::new(factory, supervision)));
        self.serve(actor, supervisor, run_loop::Join).await
    }

    /// Spawns [`run_supervised`](Context::run_supervised) on `spawner`, for an actor
    /// nobody joins.
    pub(crate) fn spawn_supervised_detached_on<F, S>(
        self,
        mut factory: F,
        supervision: Supervision,
        spawner: &S,
    ) where
        F: FnMut() -> A + Send + 'static,
        S: Spawner,
    {
        spawner.spawn(async move {
            let actor = factory();
            let supervisor = Some(Box::new(Supervisor::new(factory, supervision)));
            built_in_box(|| self.run_detached(actor, supervisor)).await;
        });
    }

    /// How many times this (supervised) actor was restarted so far.
    pub fn restarts(&self) -> u32 {
        self.shared.restarts()
    }

    /// Spawns the actor on `spawner`'s executor. The [`JoinHandle`] resolves to its
    /// final state; dropping the handle detaches the actor, which runs on.
    pub fn spawn_on<S: Spawner>(self, actor: A, spawner: &S) -> JoinHandle<A> {
        let handle = JoinHandle::new(&self.shared);
        // Boxed before it is spawned, as in `spawn_detached_on`.
        spawner.spawn(built_in_box(|| self.serve(actor, None, run_loop::Deliver)));
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
}

impl<A> Context<A> {
    /// Gives up the strong sender the context holds until the actor has started (once).
    fn release_sender(&mut self) {
        if std::mem::take(&mut self.holds_sender) {
            mailbox::Sender::release_first(&self.shared);
        }
    }
}

/// The future `make` returns, built straight into a box of its own.
///
/// `Box::pin(future)` builds the future on the stack and copies all of it into the box,
/// and a loop's future is mostly room for states it has not reached yet (the room for
/// handler futures among them): hundreds of bytes written to fresh memory for nothing.
/// Allocating first lets the compiler build the future where it will live, writing
/// only the fields it starts with.
#[inline(always)]
pub(crate) fn built_in_box<F>(make: impl FnOnce() -> F) -> std::pin::Pin<Box<F>> {
    let room = Box::new_uninit();
    Box::into_pin(Box::write(room, make()))
}

impl<A> Drop for Context<A> {
    fn drop(&mut self) {
        // A context dropped before its actor stopped (never run, or its run future was
        // cancelled) must not leave `wait_for_stop` hanging. After a normal stop the
        // reason is already recorded (and the loop closed the priority lane): nothing
        // to do. Nor may the priority lane keep accepting notifications that nothing
        // will ever read.
        if !self.shared.has_exited() {
            drop(self.shared.close_priority());
            self.shared.finish(StopReason::Cancelled);
        }
        self.release_sender();
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
