//! [`Context`]: the actor's environment. The mailbox loop that runs the actor is in
//! `run_loop`; what the context attaches to the actor is in `timers`, `stream` and
//! `monitor`.

mod run_loop;

use std::fmt;
use std::num::NonZeroUsize;
use std::sync::Arc;

use crate::cell::{ActorCell, Inbox, Sender};
use crate::runtime::{Carried, Custom, JoinHandle, Runtime, Spawner};
use crate::supervision::{GroupEvent, Supervision, Supervisor};
use crate::{Actor, ActorId, Address, Exit, JoinError, Mailbox, StopReason, ZeroCapacityError};

/// The mailbox capacity of [`Context::new`]: at most this many messages wait in the
/// mailbox before senders wait for room.
pub const DEFAULT_CAPACITY: usize = 128;

/// The environment an actor runs in: its mailbox, its identity, its addresses.
///
/// Create one, take [`address`](Context::address)es from it, then hand it the actor
/// with [`run`](Context::run) on any executor (or [`spawn`](Context::spawn) it on the
/// runtime the context carries: see [`with_runtime`](Context::with_runtime)). Handlers
/// and hooks receive `&Context<Self>` to reach their own address, to
/// [`stop`](Context::stop) the actor, or to attach timers, streams and monitors, which
/// run on the context's runtime.
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
    cell: Arc<ActorCell<A>>,
    /// Whether the context still holds the strong sender the mailbox counts from the
    /// start: it keeps the mailbox open until the actor has started, so addresses can
    /// be taken (and messages queued) before the actor runs. Released after `started`.
    /// A flag rather than a `Sender` of its own: one reference count fewer to touch
    /// per actor.
    holds_sender: bool,
    /// Whether the mailbox's receiving side is still to be taken by the loop (see
    /// [`take_inbox`](Context::take_inbox)). A context dropped before its loop took it
    /// closes the mailbox and drops what is queued. A flag rather than a receiver of
    /// its own: the context stays two words, so a spawned actor waiting for its first
    /// poll keeps little in its task.
    receiving: bool,
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
    /// use messages::ZeroCapacityError;
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
        let cell = ActorCell::new(mailbox);
        // Every actor starts with a context: a `System`, if one exists, tracks it here.
        crate::system::track(&cell);
        Self {
            cell,
            holds_sender: true,
            receiving: true,
        }
    }

    /// The identity of this actor, the same as its addresses report.
    pub fn id(&self) -> ActorId {
        self.cell.id
    }

    /// A [`WeakAddress`](crate::WeakAddress) of this actor, which does not keep it alive.
    pub fn weak_address(&self) -> crate::WeakAddress<A> {
        crate::WeakAddress::new(crate::cell::WeakSender::new(&self.cell))
    }

    /// What something attached now (a timer, a stream, a monitor, an idle watchdog)
    /// lives as long as: the actor, when attached before it runs; else the state that
    /// attaches it, which a supervised restart ends.
    pub(crate) fn attachment_lifetime(&self) -> crate::cell::Lifetime {
        self.cell.lifetime(!self.receiving)
    }

    /// A new address of this actor.
    ///
    /// Before and during `started`, and for as long as some address exists, the address
    /// is live. Once every address was dropped the mailbox is closed for good: the actor
    /// is finishing its backlog, and an address taken now is already disconnected
    /// (sends fail with [`SendError::Stopped`](crate::SendError::Stopped)).
    pub fn address(&self) -> Address<A> {
        let sender = if self.holds_sender {
            Some(Sender::counted(&self.cell))
        } else {
            Sender::upgrade(&self.cell)
        };
        // Once every address is gone: one that is refused on every send.
        Address::new(sender.unwrap_or_else(|| Sender::counted(&self.cell)))
    }

    /// Asks the actor to stop once the current handler (or hook) returns.
    ///
    /// Not a message: it takes effect right after the caller returns, without waiting
    /// for room. Then [`stopping`](Actor::stopping) decides; if it accepts, the mailbox
    /// refuses new messages, the messages already queued are still handled in order
    /// (they were sent before the stop), and the actor stops. Calling it again, or
    /// while already stopping, changes nothing.
    pub fn stop(&self) {
        self.cell.request_stop();
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

    /// Spawns [`run_detached`](Context::run_detached) on `spawner` (see
    /// [`spawn_run`] for how).
    #[track_caller]
    pub(crate) fn spawn_detached_on<S: Spawner>(
        self,
        actor: A,
        supervisor: Option<Box<Supervisor<A>>>,
        spawner: &S,
    ) {
        spawn_run(spawner, actor, move |actor| {
            self.run_detached(actor, supervisor)
        });
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
    /// use messages::supervision::{Restart, Supervision};
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
    /// assert_eq!(exit.unwrap().restarts, 1);
    /// # });
    /// ```
    ///
    /// The factory is the actor's code and runs inside its panic boundary. If it panics
    /// building a fresh state for a restart, the actor stops with
    /// [`StopReason::Panicked`] and the old state (whose `stopped` already ran) is the
    /// final one; the backlog is refused as at any stop.
    ///
    /// # Errors
    ///
    /// [`JoinError`] when the factory panicked building the **first** state: there is
    /// no final state. The actor then stops with [`StopReason::Panicked`] (what
    /// [`Address::wait_for_stop`] returns), and what was queued is refused.
    pub async fn run_supervised<F>(
        self,
        factory: F,
        supervision: Supervision,
    ) -> Result<Exit<A>, JoinError>
    where
        F: FnMut() -> A + Send + 'static,
    {
        let supervisor = Box::new(Supervisor::new(factory, supervision));
        self.serve_built(supervised(supervisor), run_loop::Join)
            .await
            .ok_or(JoinError)
    }

    /// Spawns [`run_supervised`](Context::run_supervised) on `spawner`, for an actor
    /// nobody joins.
    #[track_caller]
    pub(crate) fn spawn_supervised_detached_on<F, S>(
        self,
        factory: F,
        supervision: Supervision,
        spawner: &S,
    ) where
        F: FnMut() -> A + Send + 'static,
        S: Spawner,
    {
        // The first state is built at the first poll, on the thread that runs it, as
        // before any restart: what the task carries until then is the factory.
        spawner.spawn(BuiltWhenPolled::Later {
            actor: (),
            run: move |()| {
                let supervisor = Box::new(Supervisor::new(factory, supervision));
                self.run_built_detached(supervised(supervisor))
            },
        });
    }

    /// Builds the first state (with the actor's own code: a factory, a `Default`)
    /// inside the panic boundary, then runs it to its `ending`. When the build panics
    /// there is no state: the actor ends with [`StopReason::Panicked`] (told to its
    /// group, if any), what was queued is refused, and there is no output (`None`).
    async fn serve_built<E, F>(self, first: FirstState<A, F>, ending: E) -> Option<E::Output>
    where
        E: run_loop::Ending<A>,
        F: FnOnce() -> A,
    {
        let (built, supervisor) = match first {
            FirstState::Supervised(mut supervisor) => {
                (crate::panic::catch(|| supervisor.fresh()), Some(supervisor))
            }
            FirstState::Built(build) => (crate::panic::catch(build), None),
        };
        match built {
            Ok(actor) => Some(self.serve(actor, supervisor, ending).await),
            Err(panic) => {
                let reason = run_loop::panicked(&panic);
                if let Some(supervisor) = &supervisor {
                    supervisor.report(GroupEvent::Stopped(reason.clone()));
                }
                self.abandon(reason).await;
                None
            }
        }
    }

    /// [`serve_built`](Context::serve_built) for an actor nobody joins.
    pub(crate) async fn run_built_detached<F: FnOnce() -> A>(self, first: FirstState<A, F>) {
        self.serve_built(first, run_loop::Detach).await;
    }

    /// How many times this (supervised) actor was restarted so far. A restart counts
    /// from the moment it begins: the old state's `stopped` already sees it.
    pub fn restarts(&self) -> u32 {
        self.cell.restarts()
    }

    /// Spawns the actor on the runtime the context carries: the built-in one (tokio when
    /// the `tokio` feature is on, otherwise smol) unless given another with
    /// [`with_runtime`](Context::with_runtime). The [`JoinHandle`] resolves to its final
    /// state; dropping the handle detaches the actor, which runs on.
    ///
    /// ```
    /// use messages::prelude::*;
    ///
    /// struct Quiet;
    /// impl Actor for Quiet {}
    ///
    /// # #[cfg(feature = "tokio")]
    /// #[tokio::main]
    /// async fn main() {
    ///     let context = Context::new();
    ///     let address = context.address();
    ///     let join = context.spawn(Quiet);
    ///     drop(address);
    ///     assert_eq!(join.await.unwrap().reason, StopReason::AddressesDropped);
    /// }
    /// # #[cfg(not(feature = "tokio"))]
    /// # fn main() {}
    /// ```
    ///
    /// # Panics
    ///
    /// Without a runtime: in a build without the `tokio` and `smol` features, when the
    /// context was given none with [`with_runtime`](Context::with_runtime). With tokio,
    /// when called outside a tokio runtime; the panic is reported at the caller's line
    /// and says how to give it one.
    #[track_caller]
    pub fn spawn(self, actor: A) -> JoinHandle<A> {
        // The built-in runtime, named statically: the common path pays no dispatch.
        #[cfg(any(feature = "tokio", feature = "smol"))]
        if !self.cell.has_custom_runtime() {
            return self.spawn_with(actor, &crate::runtime::DefaultRuntime);
        }
        let runtime = self.runtime("Context::spawn");
        self.spawn_with(actor, &runtime)
    }

    /// [`spawn`](Context::spawn) on `spawner`.
    #[track_caller]
    fn spawn_with<S: Spawner>(self, actor: A, spawner: &S) -> JoinHandle<A> {
        let handle = JoinHandle::new(&self.cell);
        spawn_run(spawner, actor, move |actor| {
            self.serve(actor, None, run_loop::Deliver)
        });
        handle
    }

    /// Gives the context `runtime`: the actor is spawned on it by
    /// [`spawn`](Context::spawn), and what it attaches (timers, streams, monitors, the
    /// idle watchdog) runs on it, whether the actor is spawned or [`run`](Context::run)
    /// on any executor. Without it, a context carries the built-in runtime (tokio when
    /// the `tokio` feature is on, otherwise smol), or none in a build without either.
    /// The context keeps `runtime` (boxed, shared with what it attaches) until the
    /// actor stops.
    ///
    /// ```
    /// use std::time::Duration;
    /// use messages::prelude::*;
    /// use messages::runtime::{Spawner, Timer};
    ///
    /// /// A `futures` thread pool, with a thread per sleep.
    /// #[derive(Clone)]
    /// struct Pool(futures::executor::ThreadPool);
    ///
    /// impl Spawner for Pool {
    ///     fn spawn<F>(&self, future: F)
    ///     where
    ///         F: std::future::Future<Output = ()> + Send + 'static,
    ///     {
    ///         self.0.spawn_ok(future);
    ///     }
    /// }
    ///
    /// impl Timer for Pool {
    ///     type Sleep = futures::channel::oneshot::Receiver<()>;
    ///
    ///     fn sleep(&self, duration: Duration) -> Self::Sleep {
    ///         let (done, sleep) = futures::channel::oneshot::channel();
    ///         std::thread::spawn(move || {
    ///             std::thread::sleep(duration);
    ///             let _ = done.send(());
    ///         });
    ///         sleep
    ///     }
    /// }
    ///
    /// struct Alarm;
    /// struct Ring;
    /// impl Actor for Alarm {}
    /// impl Notifiable<Ring> for Alarm {
    ///     async fn notify(&mut self, _: Ring, ctx: &Context<Self>) {
    ///         ctx.stop();
    ///     }
    /// }
    ///
    /// let pool = Pool(futures::executor::ThreadPool::new().unwrap());
    /// let context = Context::new().with_runtime(pool);
    /// // The timer runs on the pool, with its clock.
    /// drop(context.notify_later(Ring, Duration::from_millis(10)));
    /// let _address = context.address();
    /// let exit = futures::executor::block_on(context.run(Alarm));
    /// assert_eq!(exit.reason, StopReason::Requested);
    /// ```
    ///
    /// # Panics
    ///
    /// When the context already carries a runtime given to it: a context takes one.
    #[must_use = "the context carries the runtime; use the one returned"]
    #[track_caller]
    pub fn with_runtime<R: Runtime>(self, runtime: R) -> Self {
        self.carry(Custom::new(runtime));
        self
    }

    /// Carries `runtime` from now on (before the actor runs).
    #[track_caller]
    pub(crate) fn carry(&self, runtime: Custom) {
        if self.cell.carry(runtime).is_err() {
            panic!("this context already carries a runtime given to it: a context takes one");
        }
    }

    /// The runtime the context carries, for `method`, which needs one.
    ///
    /// # Panics
    ///
    /// When there is none (a build without a runtime feature, and none given): the
    /// panic names `method` and says how to give one.
    #[track_caller]
    #[inline]
    pub(crate) fn runtime(&self, method: &str) -> Carried {
        match self.cell.runtime() {
            Some(runtime) => runtime,
            None => crate::runtime::missing(method),
        }
    }
}

impl<A> Context<A> {
    /// The mailbox's receiving side, for the loop; `None` once taken.
    fn take_inbox(&mut self) -> Option<Inbox<A>>
    where
        A: 'static,
    {
        std::mem::take(&mut self.receiving).then(|| Inbox::new(Arc::clone(&self.cell)))
    }

    /// Gives up the strong sender the context holds until the actor has started (once).
    fn release_sender(&mut self) {
        if std::mem::take(&mut self.holds_sender) {
            Sender::release_first(&self.cell);
        }
    }
}

/// How an actor's first state comes to be, when it is built in the actor's own task.
pub(crate) enum FirstState<A, F> {
    /// By its supervisor's factory, as every later state.
    Supervised(Box<Supervisor<A>>),
    /// By `F` (a service's `Default`), for an unsupervised actor.
    Built(F),
}

/// [`FirstState::Supervised`], with a type for the unused variant.
pub(crate) fn supervised<A>(supervisor: Box<Supervisor<A>>) -> FirstState<A, fn() -> A> {
    FirstState::Supervised(supervisor)
}

/// Spawns on `spawner` the loop's future that `run` makes for `actor`, in a box of its
/// own (the executor then moves a pointer).
///
/// A small actor's loop future is built at its task's first poll, by the thread that
/// runs it and later frees it (BENCHES.md, "spawn", says what that buys); until then the
/// task carries the actor and its context. A larger actor's is built at once, so its
/// state does not sit in the task beside its copy in the loop's future.
#[track_caller]
fn spawn_run<A, F, S>(spawner: &S, actor: A, run: impl FnOnce(A) -> F + Send + 'static)
where
    A: Send + 'static,
    F: Future<Output = ()> + Send + 'static,
    S: Spawner,
{
    /// The largest actor carried in its task until the first poll, in bytes (eight
    /// words: tokio's task then stays within 256 bytes).
    const CARRIED: usize = 64;
    if size_of::<A>() <= CARRIED {
        spawner.spawn(BuiltWhenPolled::Later { actor, run });
    } else {
        spawner.spawn(built_in_box(|| run(actor)));
    }
}

/// A small actor's spawned future (see [`spawn_run`]), and a supervised actor's, whose
/// factory builds its first state when `run` is called.
enum BuiltWhenPolled<A, R, F> {
    /// The loop's future is to be built at the first poll.
    Later { actor: A, run: R },
    /// The loop's future, built.
    Running(std::pin::Pin<Box<F>>),
    /// Only while the loop's future is being built.
    Building,
}

// Nothing in it is ever pinned: the actor and `run` move into the boxed loop future.
impl<A, R, F> Unpin for BuiltWhenPolled<A, R, F> {}

impl<A, R, F> Future for BuiltWhenPolled<A, R, F>
where
    R: FnOnce(A) -> F,
    F: Future,
{
    type Output = F::Output;

    #[inline]
    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<F::Output> {
        let this = self.get_mut();
        if let Self::Running(future) = this {
            return future.as_mut().poll(cx);
        }
        this.build();
        match this {
            Self::Running(future) => future.as_mut().poll(cx),
            // `build` runs no code of the actor's and cannot panic, so a task never
            // sees this.
            Self::Later { .. } | Self::Building => {
                unreachable!("the loop's future is built before it is polled")
            }
        }
    }
}

impl<A, R, F> BuiltWhenPolled<A, R, F>
where
    R: FnOnce(A) -> F,
{
    /// Builds the loop's future (at the first poll).
    #[cold]
    #[inline(never)]
    fn build(&mut self) {
        if let Self::Later { actor, run } = std::mem::replace(self, Self::Building) {
            *self = Self::Running(built_in_box(|| run(actor)));
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
        if !self.cell.has_exited() {
            let _ = crate::panic::drop_contained(self.cell.close_priority());
            // A `System`, if one exists, stops tracking the actor (a run that ended
            // told it as it published its stop).
            crate::system::end(self.cell.id, StopReason::Cancelled, |reason| {
                self.cell.finish(reason);
            });
        } else {
            // Whichever ending published the stop went through `system::end`, which
            // untracked the actor first: a shutdown would wait for it forever else.
            #[cfg(debug_assertions)]
            debug_assert!(
                !crate::system::tracks(self.cell.id),
                "{}'s stop was published without `system::end`: still tracked",
                std::any::type_name::<A>()
            );
        }
        self.release_sender();
        if self.receiving {
            // Never run: what was queued is dropped (requesters learn at once).
            self.cell.mailbox.close_and_clear();
        }
    }
}

impl<A> fmt::Debug for Context<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("actor", &std::any::type_name::<A>())
            .field("id", &self.cell.id)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::Context;
    use crate::Actor;
    use crate::runtime::Spawner;

    /// Records the size of the future it is asked to spawn, which it drops.
    #[derive(Default)]
    struct SizeOfSpawned(Cell<usize>);

    impl Spawner for SizeOfSpawned {
        fn spawn<F>(&self, future: F)
        where
            F: Future<Output = ()> + Send + 'static,
        {
            self.0.set(size_of_val(&future));
        }
    }

    /// As large as an actor carried until its first poll can be.
    struct Small(#[allow(dead_code, reason = "only its size matters")] [u64; 8]);
    impl Actor for Small {}

    /// Too large to be carried.
    struct Large(#[allow(dead_code, reason = "only its size matters")] [u64; 9]);
    impl Actor for Large {}

    /// Where the panic `start` raises is reported, as (file, line): the panic hook's
    /// location (the hook is chained before the one that was there).
    #[cfg(not(any(feature = "tokio", feature = "smol")))]
    fn reported<R>(start: impl FnOnce() -> R) -> Option<(String, u32)> {
        use std::cell::RefCell;
        use std::panic::{self, AssertUnwindSafe};
        thread_local! {
            static REPORTED: RefCell<Option<(String, u32)>> = const { RefCell::new(None) };
        }
        static HOOK: std::sync::Once = std::sync::Once::new();
        HOOK.call_once(|| {
            let previous = panic::take_hook();
            panic::set_hook(Box::new(move |info| {
                if let Some(location) = info.location() {
                    let reported = (location.file().to_owned(), location.line());
                    REPORTED.with(|slot| slot.replace(Some(reported)));
                }
                previous(info);
            }));
        });
        REPORTED.with(|slot| slot.take());
        let outcome = panic::catch_unwind(AssertUnwindSafe(start));
        assert!(outcome.is_err(), "it did not panic");
        REPORTED.with(|slot| slot.take())
    }

    /// Asserts that `$start` panics, reported on this line of this file (each case
    /// fits on one line, so `line!()` is its line).
    #[cfg(not(any(feature = "tokio", feature = "smol")))]
    macro_rules! reported_here {
        ($start:expr) => {
            assert_eq!(reported(|| $start), Some((file!().to_owned(), line!())))
        };
    }

    #[cfg(not(any(feature = "tokio", feature = "smol")))]
    #[test]
    fn without_a_runtime_what_needs_one_panics_at_the_callers_line() {
        struct Tick;
        impl crate::Notifiable<Tick> for Small {
            async fn notify(&mut self, _: Tick, _: &Context<Self>) {}
        }
        let later = std::time::Duration::from_millis(1);
        reported_here!(Context::new().spawn(Small([0; 8])));
        reported_here!(Context::<Small>::new().notify_later(Tick, later));
    }

    #[test]
    fn a_small_actor_waits_for_its_first_poll_in_its_task_a_large_one_in_its_loop() {
        let spawner = SizeOfSpawned::default();
        // Carried with its context (at most two words), nothing more.
        assert!(size_of::<Context<Small>>() <= 2 * size_of::<usize>());
        let _join = Context::new().spawn_with(Small([0; 8]), &spawner);
        let carried = spawner.0.get();
        assert!(carried >= size_of::<Small>(), "the state waits in the task");
        assert!(carried <= size_of::<Small>() + size_of::<Context<Small>>());
        // The loop's future, boxed: the task holds a pointer.
        let _join = Context::new().spawn_with(Large([0; 9]), &spawner);
        assert!(spawner.0.get() <= size_of::<usize>());
    }
}
