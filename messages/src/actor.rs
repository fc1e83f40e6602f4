//! The [`Actor`] trait and its lifecycle.

use std::future::Future;

use crate::runtime::Runtime;
use crate::{Address, Context, Exit, Mailbox, PanicAction, Supervision};

/// What [`Actor::stopping`] decides about a stop request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ActorAction {
    /// Accept the stop.
    #[default]
    Stop,
    /// Refuse the stop and keep handling messages.
    KeepRunning,
}

/// A type whose values run as actors: state that handles messages one at a time.
///
/// Every hook has a default, so `impl Actor for MyType {}` is enough. The hooks are
/// `async`; implement them with `async fn`.
///
/// Lifecycle, in order (see the crate docs for the full contract):
/// 1. [`started`](Actor::started) runs once, before the first message. Messages sent
///    earlier wait in the mailbox.
/// 2. Messages are handled in mailbox order.
/// 3. On a stop request ([`Address::stop`], [`Context::stop`]) the actor's
///    [`stopping`](Actor::stopping) decides: [`ActorAction::Stop`] accepts,
///    [`ActorAction::KeepRunning`] refuses.
/// 4. [`stopped`](Actor::stopped) runs exactly once, after the last handler, before any
///    [`Address::wait_for_stop`] returns.
///
/// ```
/// use messages::prelude::*;
///
/// struct Greeter;
///
/// impl Actor for Greeter {
///     async fn started(&mut self, _: &Context<Self>) {
///         println!("ready");
///     }
///
///     async fn stopped(&mut self) {
///         println!("bye");
///     }
/// }
///
/// # futures::executor::block_on(async {
/// let exit = Greeter::create_and_run(|_context| Greeter).await;
/// assert_eq!(exit.reason, StopReason::AddressesDropped);
/// # });
/// ```
pub trait Actor: Send + Sized + 'static {
    /// The mailbox [`Context::new`] creates for this actor, and so the one every
    /// `spawn` and `create_and_*` function uses. Default: [`Mailbox::DEFAULT`], bounded
    /// at [`DEFAULT_CAPACITY`](crate::DEFAULT_CAPACITY) messages.
    const MAILBOX: Mailbox = Mailbox::DEFAULT;

    /// How many [`ReadHandler`](crate::ReadHandler) reads may run at once (at least one).
    const READ_CONCURRENCY: usize = 16;

    /// Runs once when the actor starts, before it handles any message.
    fn started(&mut self, context: &Context<Self>) -> impl Future<Output = ()> + Send {
        let _ = context;
        async {}
    }

    /// Decides about a stop request ([`Address::stop`] or [`Context::stop`]). The default
    /// accepts. Not consulted when the actor stops because every address was dropped
    /// (nothing could reach it any more) or because it panicked.
    fn stopping(&mut self, context: &Context<Self>) -> impl Future<Output = ActorAction> + Send {
        let _ = context;
        async { ActorAction::Stop }
    }

    /// Runs when the actor has been idle (taken no message) for its idle timeout
    /// ([`Context::idle_timeout`]). The default stops the actor gracefully
    /// ([`Context::stop`]); override it to do something else.
    fn idle(&mut self, context: &Context<Self>) -> impl Future<Output = ()> + Send {
        context.stop();
        async {}
    }

    /// Decides what happens after a handler or hook of this actor panicked (the
    /// panicking request, if any, already got [`SendError::Panicked`](crate::SendError::Panicked)).
    /// The default lets the supervision decide: restart when supervised, stop
    /// otherwise. `message` is the panic's message.
    fn on_panic(
        &mut self,
        message: &str,
        context: &Context<Self>,
    ) -> impl Future<Output = PanicAction> + Send {
        let _ = (message, context);
        async { PanicAction::Supervise }
    }

    /// Told how many queued notifications were dropped unhandled because the actor
    /// stopped (behind a graceful stop, after a panic or a kill). Runs once, before
    /// [`stopped`](Actor::stopped), only when `count > 0`.
    fn undelivered(&mut self, count: usize) -> impl Future<Output = ()> + Send {
        let _ = count;
        async {}
    }

    /// Runs exactly once when the actor has stopped, after its last handler.
    fn stopped(&mut self) -> impl Future<Output = ()> + Send {
        async {}
    }

    /// Builds the actor from its own context, then runs it: for actors that need their
    /// own address (or a neighbour's) before they exist, like the nodes of a ring.
    ///
    /// The actor stops when every address is dropped (including ones the closure
    /// handed out), or on a stop request.
    ///
    /// ```
    /// use messages::prelude::*;
    ///
    /// /// Counts down by notifying itself, then stops.
    /// struct Countdown {
    ///     me: Address<Countdown>,
    ///     left: u32,
    /// }
    ///
    /// impl Actor for Countdown {
    ///     async fn started(&mut self, _: &Context<Self>) {
    ///         self.me.notify(Tick).await.unwrap();
    ///     }
    /// }
    ///
    /// struct Tick;
    ///
    /// impl Notifiable<Tick> for Countdown {
    ///     async fn notify(&mut self, _: Tick, context: &Context<Self>) {
    ///         if self.left == 0 {
    ///             // Holding its own address keeps the actor alive: stop explicitly.
    ///             context.stop();
    ///         } else {
    ///             self.left -= 1;
    ///             self.me.notify(Tick).await.unwrap();
    ///         }
    ///     }
    /// }
    ///
    /// # futures::executor::block_on(async {
    /// let exit = Countdown::create_and_run(|context| Countdown {
    ///     me: context.address(),
    ///     left: 3,
    /// })
    /// .await;
    /// assert_eq!(exit.actor.left, 0);
    /// assert_eq!(exit.reason, StopReason::Requested);
    /// # });
    /// ```
    fn create_and_run<F>(build: F) -> impl Future<Output = Exit<Self>> + Send
    where
        F: FnOnce(&Context<Self>) -> Self,
    {
        let context = Context::new();
        let actor = build(&context);
        context.run(actor)
    }

    /// Starts the actor on `runtime` with its [`MAILBOX`](Actor::MAILBOX), and returns its
    /// address. Works with any executor: implement [`Spawner`](crate::runtime::Spawner)
    /// and [`Timer`](crate::runtime::Timer) for it. Its context carries `runtime` (see
    /// [`Context::with_runtime`]): the actor's timers, streams and monitors run there
    /// too.
    ///
    /// # Panics
    ///
    /// When `runtime`'s [`spawn`](crate::runtime::Spawner::spawn) panics: the built-in
    /// `runtime::Tokio` does outside a tokio runtime, reported at the caller's line.
    #[track_caller]
    fn spawn_on<R: Runtime>(self, runtime: &R) -> Address<Self> {
        let context = Context::new().with_runtime(runtime.clone());
        let address = context.address();
        context.spawn_detached_on(self, None, runtime);
        address
    }

    /// Starts the actor on the built-in runtime with its [`MAILBOX`](Actor::MAILBOX), and
    /// returns its address: tokio when the `tokio` feature is on, otherwise smol.
    ///
    /// # Panics
    ///
    /// With tokio, panics when called outside a tokio runtime. The panic is reported at
    /// the caller's line and says what to do: call it from inside one (`#[tokio::main]`,
    /// `Runtime::block_on`, ...), name another runtime with the `_on` variant, or run
    /// the actor with [`Context::run`] on any executor.
    ///
    /// ```
    /// use messages::prelude::*;
    ///
    /// struct Example;
    /// impl Actor for Example {}
    ///
    /// impl Handler<(u8, u8)> for Example {
    ///     type Result = u16;
    ///     async fn handle(&mut self, (a, b): (u8, u8), _: &Context<Self>) -> u16 {
    ///         u16::from(a) + u16::from(b)
    ///     }
    /// }
    ///
    /// # #[cfg(feature = "tokio")]
    /// #[tokio::main]
    /// async fn main() {
    ///     let address = Example.spawn();
    ///     assert_eq!(address.send((22, 20)).await, Ok(42));
    /// }
    /// # #[cfg(not(feature = "tokio"))]
    /// # fn main() {}
    /// ```
    #[track_caller]
    #[cfg(any(feature = "tokio", feature = "smol", doc))]
    fn spawn(self) -> Address<Self> {
        // A fresh context carries the built-in runtime already.
        let context = Context::new();
        let address = context.address();
        context.spawn_detached_on(self, None, &crate::runtime::DefaultRuntime);
        address
    }

    /// Starts a supervised actor (see [`Context::run_supervised`]) on `runtime`, and
    /// returns its address, which survives restarts. Its context carries `runtime`, for
    /// every state, as [`spawn_on`](Actor::spawn_on).
    #[track_caller]
    fn spawn_supervised_on<F, R>(factory: F, supervision: Supervision, runtime: &R) -> Address<Self>
    where
        F: FnMut() -> Self + Send + 'static,
        R: Runtime,
    {
        let context = Context::new().with_runtime(runtime.clone());
        let address = context.address();
        context.spawn_supervised_detached_on(factory, supervision, runtime);
        address
    }

    /// [`spawn_supervised_on`](Actor::spawn_supervised_on) the built-in runtime (tokio
    /// when the `tokio` feature is on, otherwise smol).
    ///
    /// # Panics
    ///
    /// With tokio, panics when called outside a tokio runtime. The panic is reported at
    /// the caller's line and says what to do: call it from inside one (`#[tokio::main]`,
    /// `Runtime::block_on`, ...), name another runtime with the `_on` variant, or run
    /// the actor with [`Context::run`] on any executor.
    #[track_caller]
    #[cfg(any(feature = "tokio", feature = "smol", doc))]
    fn spawn_supervised<F>(factory: F, supervision: Supervision) -> Address<Self>
    where
        F: FnMut() -> Self + Send + 'static,
    {
        let context = Context::new();
        let address = context.address();
        context.spawn_supervised_detached_on(factory, supervision, &crate::runtime::DefaultRuntime);
        address
    }

    /// [`create_and_run`](Actor::create_and_run), spawned on the built-in runtime
    /// (tokio when the `tokio` feature is on, otherwise smol). Returns the address.
    ///
    /// # Panics
    ///
    /// With tokio, panics when called outside a tokio runtime. The panic is reported at
    /// the caller's line and says what to do: call it from inside one (`#[tokio::main]`,
    /// `Runtime::block_on`, ...), name another runtime with the `_on` variant, or run
    /// the actor with [`Context::run`] on any executor.
    #[track_caller]
    #[cfg(any(feature = "tokio", feature = "smol", doc))]
    fn create_and_spawn<F>(build: F) -> Address<Self>
    where
        F: FnOnce(&Context<Self>) -> Self,
    {
        let context = Context::new();
        let address = context.address();
        let actor = build(&context);
        context.spawn_detached_on(actor, None, &crate::runtime::DefaultRuntime);
        address
    }
}
