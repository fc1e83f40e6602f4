//! `messages` is a runtime-agnostic actor library: state that handles messages one at a
//! time, reached through cheap, cloneable addresses, on any executor that can poll a
//! future.
//!
//! # Quick start
//!
//! ```
//! use messages::prelude::*;
//!
//! /// An actor is a plain type.
//! struct Counter {
//!     total: u64,
//! }
//!
//! impl Actor for Counter {}
//!
//! /// A request: answered with the new total.
//! struct Add(u64);
//!
//! impl Handler<Add> for Counter {
//!     type Result = u64;
//!
//!     async fn handle(&mut self, Add(n): Add, _: &Context<Self>) -> u64 {
//!         self.total += n;
//!         self.total
//!     }
//! }
//!
//! /// A notification: fire-and-forget.
//! struct Reset;
//!
//! impl Notifiable<Reset> for Counter {
//!     async fn notify(&mut self, _: Reset, _: &Context<Self>) {
//!         self.total = 0;
//!     }
//! }
//!
//! # #[cfg(feature = "tokio")]
//! #[tokio::main]
//! async fn main() -> Result<(), SendError> {
//!     let counter = Counter { total: 0 }.spawn();
//!     assert_eq!(counter.send(Add(2)).await?, 2);
//!     assert_eq!(counter.send(Add(40)).await?, 42);
//!     counter.notify(Reset).await?;
//!     assert_eq!(counter.send(Add(1)).await?, 1);
//!
//!     counter.stop().await;
//!     assert_eq!(counter.wait_for_stop().await, StopReason::Requested);
//!     Ok(())
//! }
//! # #[cfg(not(feature = "tokio"))]
//! # fn main() {}
//! ```
//!
//! # Concepts
//!
//! - [`Actor`]: the state, with lifecycle hooks `started`, `stopping`, `stopped`.
//! - [`Handler<M>`]: request/response; callers [`Address::send`] and await the answer.
//! - [`Notifiable<M>`]: fire-and-forget; [`Address::notify`] returns once queued.
//! - [`Context`]: the mailbox and the loop that runs the actor. [`Context::run`] is a
//!   future for any executor; [`Actor::spawn`] / [`Context::spawn`] use a built-in runtime.
//! - [`Address`]: cloneable, `Send + Sync`, every method takes `&self`.
//!
//! # Runtimes
//!
//! The core needs no runtime: run the actor with [`Context::run`] on any executor.
//! ```
//! use messages::prelude::*;
//!
//! struct Ping;
//! impl Actor for Ping {}
//! impl Handler<u8> for Ping {
//!     type Result = u8;
//!     async fn handle(&mut self, n: u8, _: &Context<Self>) -> u8 {
//!         n
//!     }
//! }
//!
//! let mut pool = futures::executor::LocalPool::new();
//! let context = Context::new();
//! let address = context.address();
//! futures::task::LocalSpawnExt::spawn_local(&pool.spawner(), async move {
//!     context.run(Ping).await;
//! })
//! .unwrap();
//! assert_eq!(pool.run_until(address.send(42)), Ok(42));
//! ```
//! Built-in spawning, behind additive features: `tokio` (default) and `smol`. With
//! either, [`Actor::spawn`] and [`Context::spawn`] start the actor (tokio when its
//! feature is on, otherwise smol); [`Actor::spawn_on`] and [`Context::spawn_on`] take an
//! explicit [`runtime::Spawner`], which any executor can implement.
//!
//! # Guarantees
//!
//! Each of these is kept by the runtime and pinned by a test in the `tests` member.
//!
//! 1. **Lifecycle order is total.** `started` finishes before the first message is
//!    handled; messages sent before the actor runs (even before [`Context::run`] is
//!    called) wait in the mailbox. `stopped` runs exactly once, after the last handler,
//!    before any [`Address::wait_for_stop`] returns, and `wait_for_stop` returns at once
//!    for an actor that has already stopped. It is waker-based and never spins.
//! 2. **Graceful stop is ordered.** [`Address::stop`] is a message: what was queued before
//!    it is handled in order. When the actor reaches it, [`Actor::stopping`] may refuse
//!    ([`ActorAction::KeepRunning`]); once it accepts, the mailbox refuses new messages
//!    ([`SendError::Stopped`], handed back by the `try_*` calls), and everything queued
//!    behind the stop is dropped unhandled: each waiting requester gets
//!    [`SendError::Unanswered`] at once, each notification is counted in
//!    [`Exit::undelivered`]. [`Context::stop`] (from inside) takes effect after the current
//!    handler: the actor still handles what is already queued and refuses the rest.
//! 3. **Dropping every address stops the actor**, after it has handled everything already
//!    queued. The context keeps no address of its own once `started` has run. (`stopping`
//!    is not consulted: nothing could reach the actor any more.)
//! 4. **Panics are contained.** A panic in a handler or hook is caught: the requester of
//!    the panicking request gets [`SendError::Panicked`], the actor stops with
//!    [`StopReason::Panicked`], every other queued requester gets
//!    [`SendError::Unanswered`], `stopped` still runs (on the state the panic left), and
//!    the executor and other actors carry on. (Restart policies come with supervision.)
//! 5. **No request hangs.** Every `send` resolves: with the answer, or with an error
//!    when the actor stopped, panicked, was cancelled (its run future dropped:
//!    [`StopReason::Cancelled`]) or never ran (its context dropped).
//! 6. **FIFO per sender.** Messages from one sender are handled in the order sent.
//!    The one control signal that does not queue is [`Context::stop`], which takes effect
//!    after the current handler.
//! 7. **Bounded mailboxes apply backpressure exactly.** At most `capacity` messages wait
//!    ([`Context::with_capacity`]); `send`/`notify` wait for room and are woken when it
//!    frees, `try_send`/`try_notify` return [`TrySendError::Full`] with the message.
//! 8. **Self-calls do not deadlock.** A handler (or hook) that awaits a request to its own
//!    actor, or waits for room in its own full mailbox, gets [`SendError::WouldDeadlock`]
//!    at once. A self-[`stop`](Address::stop) on a full mailbox falls back to
//!    [`Context::stop`].
//! 9. **Cancellation is safe.** Dropping a pending `send`/`notify` future leaves the
//!    mailbox consistent: the message is queued once or not at all. A request whose
//!    caller went away is still handled; its answer is discarded.
//!
//! # Cost per message
//!
//! A notification costs one allocation for its envelope (none for a zero-sized message)
//! and one for the handler's future; a request adds its reply channel. The mailbox is
//! tokio's `mpsc` channel, which works on every executor.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

mod actor;
mod address;
mod context;
mod current;
mod error;
mod exit;
mod handler;
mod id;
mod mailbox;
mod mailbox_kind;
mod panic;
mod reply;
pub mod runtime;
mod shared;

pub use actor::{Actor, ActorAction};
pub use address::Address;
pub use context::{Context, DEFAULT_CAPACITY};
pub use error::{JoinError, SendError, TrySendError, ZeroCapacityError};
pub use exit::{Exit, StopReason};
pub use handler::{Handler, Notifiable};
pub use id::ActorId;
pub use mailbox_kind::Mailbox;
pub use reply::Reply;

pub use messages_derive::{actor, handler, notify};

/// Everything an actor needs, in one import: `use messages::prelude::*;`.
pub mod prelude {
    pub use crate::runtime::{JoinHandle, Spawner};
    pub use crate::{
        Actor, ActorAction, ActorId, Address, Context, Exit, Handler, JoinError, Mailbox,
        Notifiable, Reply, SendError, StopReason, TrySendError, ZeroCapacityError,
    };
    pub use crate::{actor, handler, notify};
}

/// Support for the code `#[actor]` generates. Not part of the public API: no stability
/// promise, do not use directly.
#[doc(hidden)]
pub mod __private {
    use crate::{Actor, Address};

    /// Implemented by `#[actor]` on a declaration; checked by `#[actor]` impl blocks.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not declared with `#[actor]`",
        label = "this `#[actor]` impl block needs `#[actor]` on the declaration of `{Self}`",
        note = "add `#[actor]` above `struct {Self}` (with `#[actor(manual_impl)]` if you write `impl Actor` yourself)"
    )]
    pub trait Declared {}

    /// Fails to compile, with the message above, unless `T` was declared with `#[actor]`.
    pub fn assert_declared<T: Declared + ?Sized>() {}

    /// `Actor::spawn` when a runtime feature is on. Without one, calling it is a compile
    /// error (at monomorphization, so actors that are never spawned still compile).
    #[cfg(any(feature = "tokio", feature = "smol"))]
    pub fn spawn<A: Actor>(actor: A) -> Address<A> {
        actor.spawn()
    }

    /// `Actor::spawn` when a runtime feature is on. Without one, calling it is a compile
    /// error (at monomorphization, so actors that are never spawned still compile).
    #[cfg(not(any(feature = "tokio", feature = "smol")))]
    pub fn spawn<A: Actor>(actor: A) -> Address<A> {
        struct NoRuntime<A>(A);
        impl<A> NoRuntime<A> {
            const ENABLED: () = panic!(
                "`spawn()` needs a runtime: enable the `tokio` or `smol` feature of `messages`, \
                 or use `spawn_on(&spawner)` / `prepare()`"
            );
        }
        #[allow(clippy::let_unit_value)]
        let () = NoRuntime::<A>::ENABLED;
        let context = crate::Context::new();
        let address = context.address();
        drop((context, actor));
        address
    }
}
