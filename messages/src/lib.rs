//! `messages` is a runtime-agnostic actor library: state that handles messages one at a
//! time, reached through cheap, cloneable addresses, on any executor that can poll a
//! future.
//!
//! # Quick start: the macro path
//!
//! [`#[actor]`](macro@actor) on a type and on its impl block turns methods into message
//! handlers and generates a **typed address**: callers write `account.deposit(100).await`.
//!
//! ```
//! use messages::prelude::*;
//!
//! #[actor]
//! #[derive(Default)]
//! pub struct Account {
//!     balance: i64,
//! }
//!
//! #[derive(Debug, PartialEq)]
//! pub struct Overdraft;
//!
//! #[actor]
//! impl Account {
//!     /// Deposits and returns the new balance.
//!     #[handler]
//!     pub async fn deposit(&mut self, amount: i64) -> i64 {
//!         self.balance += amount;
//!         self.balance
//!     }
//!
//!     /// Synchronous methods work too.
//!     #[handler]
//!     pub fn balance(&self) -> i64 {
//!         self.balance
//!     }
//!
//!     #[handler]
//!     pub fn withdraw(&mut self, amount: i64) -> Result<i64, Overdraft> {
//!         if amount > self.balance {
//!             return Err(Overdraft);
//!         }
//!         self.balance -= amount;
//!         Ok(self.balance)
//!     }
//!
//!     /// Fire-and-forget: returns once queued.
//!     #[notify]
//!     pub fn audit(&mut self, note: String) {
//!         println!("audit: {note}");
//!     }
//!
//!     /// A handler may take the context.
//!     #[handler]
//!     pub fn close(&mut self, ctx: &Context<Self>) {
//!         ctx.stop();
//!     }
//! }
//!
//! # #[cfg(feature = "tokio")]
//! #[tokio::main]
//! async fn main() -> Result<(), SendError> {
//!     let account: AccountAddress = Account::default().spawn();
//!     assert_eq!(account.deposit(100).await?, 100);
//!     assert_eq!(account.withdraw(30).await?, Ok(70));
//!     account.audit("checked".into()).await?;
//!     // Generated message types work with the plain API too.
//!     assert_eq!(account.send(account::Balance).await?, 70);
//!     account.close().await?;
//!     account.wait_for_stop().await;
//!     Ok(())
//! }
//! # #[cfg(not(feature = "tokio"))]
//! # fn main() {}
//! ```
//!
//! # The plain trait path
//!
//! Everything the macros generate can be written by hand: an [`Actor`] impl, one
//! [`Handler<M>`] (request/response) or [`Notifiable<M>`] (fire-and-forget) impl per
//! message type, and [`Address::send`] / [`Address::notify`].
//!
//! ```
//! use messages::prelude::*;
//!
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
//! /// A notification.
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
//! - [`Context`]: the mailbox and the loop that runs the actor, and the runtime it
//!   carries. [`Context::run`] is a future for any executor; [`Actor::spawn`] spawns
//!   the actor on the built-in runtime, [`Actor::spawn_on`] on any, [`Context::spawn`]
//!   on the one the context carries.
//! - [`Address`]: cloneable, `Send + Sync`, every method takes `&self`.
//! - [`System`]: every actor of the process, tracked from its start, for `main` to shut
//!   them all down in order (children before parents) and wait for their `stopped`
//!   hooks before it returns.
//!
//! # Where things are
//!
//! [`prelude`] holds what nearly every program uses. The crate root holds the rest of
//! the core (exits, mailboxes, reads, recipients, weak addresses, broadcast, the
//! system-wide shutdown), and each topic has its module: [`supervision`] (restart
//! policies, `on_panic` decisions, groups, monitors), [`registry`] (services, names),
//! [`time`] (timers, request timeouts), [`runtime`] (spawning on tokio, smol or any
//! executor) and [`delegation`] (how a request is answered: directly, or through a
//! [`Responder`]).
//!
//! # Capabilities
//!
//! | capability | where |
//! | --- | --- |
//! | timed notifications | [`Context::notify_later`], [`Context::notify_interval`], [`TimerHandle`](time::TimerHandle) |
//! | streams | [`Context::add_stream`], [`Address::into_stream_forwarder`] |
//! | parallel reads, coroutines | [`ReadHandler`], [`Address::read`], [`Coroutine`], [`Address::calculate`] |
//! | services, named actors | [`Registry`](registry::Registry), [`Service`](registry::Service) |
//! | type-erased and weak addresses | [`Recipient`], [`NotifyRecipient`], [`WeakAddress`] |
//! | request timeouts | [`RequestExt::timeout`](time::RequestExt::timeout) |
//! | one error type for handlers that return `Result` | [`RequestExt::flatten`](time::RequestExt::flatten) |
//! | broadcast (members held weakly), priority | [`Broadcast`], [`Address::notify_priority`] |
//! | idle timeout | [`Context::idle_timeout`], [`Actor::idle`] |
//! | delegated replies, forwarding | [`Delegate`], [`Responder`], [`Address::forward`] |
//! | system-wide shutdown, children before parents | [`System::shutdown`], [`System::kill_all`] |
//!
//! What needs a clock or a spawner (timers, streams, monitors, the idle watchdog) uses
//! the runtime the actor's context carries: the built-in one, or any type implementing
//! [`runtime::Spawner`] and [`runtime::Timer`], given once where the actor starts
//! ([`Actor::spawn_on`], [`Context::with_runtime`]).
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
//! feature is on, otherwise smol). Any executor can be a [`runtime::Runtime`]: implement
//! [`runtime::Spawner`] and [`runtime::Timer`] for it, and name it once, where the actor
//! starts: [`Actor::spawn_on`], or [`Context::with_runtime`] before [`Context::run`] or
//! [`Context::spawn`]. The context carries it, so the actor's timers, streams and
//! monitors run on it too, with the same methods as on the built-in runtimes.
//!
//! # Guarantees and failure model
//!
//! Each is kept by the runtime and pinned by the module named after it in the
//! `tests` member (`tests/tests/suite/guarantees/*.rs`), on tokio (multi- and
//! current-thread), smol and a plain `futures` thread pool.
//!
//! 1. **Panics are contained.** A panic in a handler or hook is caught: the requester
//!    of the panicking request gets [`SendError::Panicked`], the executor and other
//!    actors carry on. Then [`Actor::on_panic`] decides: by default an unsupervised
//!    actor stops with [`StopReason::Panicked`] (every other queued requester gets
//!    [`SendError::Unanswered`], `stopped` still runs on the state the panic left) and a
//!    supervised one restarts (12). [`PanicAction::Resume`] keeps the state and goes on
//!    (reads running beside a panicking read finish and are answered first). The same
//!    boundary covers every other place the actor's code runs, on every executor:
//!    - a supervision **factory**: on the first build, the actor stops with
//!      `Panicked` without a state (queued requests get `Unanswered`,
//!      [`Context::run_supervised`] returns [`JoinError`]); on a restart, the old
//!      state's `stopped` has run (once) and the actor stops with `Panicked`;
//!    - a service's **`Default`** ([`Registry::service`](registry::Registry::service)): the new service stops with
//!      `Panicked`; the next call starts a fresh one;
//!    - the **state's `Drop`**: when the actor's own task drops it (an actor nobody
//!      joins), the stop reason becomes `Panicked` unless it already was a panic; at a
//!      restart, the old state's `Drop` panicking does not stop the fresh state;
//!    - the **`Drop` of a message** refused at a stop or kill, or of an answer whose
//!      requester went away: contained, the rest of the backlog is still refused, and
//!      the stop reason is unchanged;
//!    - an attached **stream's `poll_next`** or a **timer's closure**: that stream or
//!      timer ends (the stream is dropped, no end message), the actor is unaffected;
//!    - the hooks `on_panic` (a panic there means [`PanicAction::Stop`]), `idle`,
//!      `undelivered` and `stopped` (the reason becomes `Panicked` unless it already
//!      was a panic).
//! 2. **No request hangs.** Every `send` resolves: with the answer, or with an error when
//!    the actor stopped, panicked, was killed, was cancelled (its run future dropped:
//!    [`StopReason::Cancelled`]) or never ran (its context dropped); and
//!    [`RequestExt::timeout`](time::RequestExt::timeout) bounds the wait on an actor that sits on a request.
//! 3. **Sending to a stopped actor fails at once** with [`SendError::Stopped`]; the
//!    `try_*` calls hand the message back in [`TrySendError::Stopped`].
//! 4. **Every queued message has one documented fate at stop.** Graceful
//!    ([`Address::stop`], a message): what was queued before it is handled in order;
//!    [`Actor::stopping`] may refuse ([`ActorAction::KeepRunning`]); once it accepts,
//!    everything behind it is dropped unhandled — requesters get
//!    [`SendError::Unanswered`] at once, notifications are counted in
//!    [`Exit::undelivered`] and reported to [`Actor::undelivered`]. [`Context::stop`] (from
//!    inside) takes effect after the current handler: what is already queued is still
//!    handled, the rest refused. Immediate ([`Address::kill`]): after the running handler
//!    nothing is handled; the backlog is refused and reported the same way.
//! 5. **Dropping every address stops the actor**, after it has handled everything already
//!    queued. The context keeps no address of its own once `started` has run; timers,
//!    monitors and weak addresses never keep an actor alive. An attached stream
//!    ([`Context::add_stream`]) and a supervisor group do, until the stream ends or the
//!    group ends. (`stopping` is not consulted: nothing could reach the actor any more.)
//!    Whatever is attached to the actor ends with it: when it stops, its timers, idle
//!    watchdog, monitors and stream forwarders end (a stream still waiting for its
//!    next item is dropped). What a **state** attaches (in a hook or a handler) ends
//!    with that state: a supervised restart ends it, and the fresh state's `started`
//!    sets up its own; what is attached on the [`Context`] before the actor runs
//!    belongs to the actor and ends only when it stops.
//! 6. **FIFO per sender.** Messages from one sender are handled in the order sent.
//!    Control signals that overtake: [`Context::stop`] and [`Address::kill`] take effect
//!    after the current handler; [`Address::notify_priority`] goes before every ordinary
//!    message still waiting; [`ReadHandler`] reads start in order but run concurrently.
//! 7. **Bounded mailboxes apply backpressure exactly.** At most `capacity` messages wait
//!    ([`Context::with_capacity`]); `send`/`notify` wait for room and are woken when it
//!    frees, `try_send`/`try_notify` return [`TrySendError::Full`] with the message.
//! 8. **Cancellation is safe.** Dropping a pending `send`/`notify` future leaves the
//!    mailbox consistent: the message is queued once or not at all. A request whose
//!    caller went away is still handled; its answer is discarded.
//! 9. **Timeouts are first class**: [`RequestExt::timeout`](time::RequestExt::timeout) fails with
//!    [`SendError::Timeout`], discards the late answer, leaves the actor unaffected.
//! 10. **Requests do not deadlock silently.** A handler (or hook) that awaits a request
//!     to its own actor, or waits for room in its own full mailbox, gets
//!     [`SendError::WouldDeadlock`] at once. So does any wait that closes a **cycle** of
//!     actors waiting on each other, of any length: A's handler awaits B while B's
//!     handler (answering A, or busy with anything else) awaits A; or a ring A -> B ->
//!     C -> A. Every wait made from inside an actor (for an answer, or for room in a
//!     full mailbox) is recorded while it lasts, and a new one whose target already
//!     waits, through such waits, on the caller is refused before anything is queued;
//!     both actors keep serving. A wait ends when the answer is sent, or when its
//!     future is done or dropped (a timeout, a `select!`), so an actor that stopped
//!     waiting is never in a cycle. A read reaching an actor whose waits all come from
//!     read handlers is admitted beside them and is not refused. Requests from outside
//!     any actor cannot close a cycle and pay nothing for the check. A [`Reply`] from
//!     `try_send` counts as a wait from its first poll inside an actor until it
//!     resolves or is dropped; an actor's run polled inline inside another actor's
//!     handler counts as that actor waiting on it. A cycle is refused even when one of
//!     its waits has a timeout that would break it later. Not tracked: a request
//!     future polled inside an actor and then moved to another task, and
//!     [`Address::wait_for_stop`]. **Notification cycles** through bounded mailboxes are
//!     caught the same way once both wait for room (each waits on the other), but two
//!     actors that notify each other can still fill each other's mailboxes with
//!     messages whose handlers then wait: give actors that notify each other in a cycle
//!     unbounded mailboxes ([`Context::unbounded`], `#[actor(unbounded)]`), or use
//!     [`Address::try_notify`], which returns [`TrySendError::Full`] instead of
//!     waiting. A self-[`stop`](Address::stop) on a full mailbox (or one whose room
//!     could never come) falls back to [`Context::stop`].
//! 11. **Lifecycle order is total.** `started` finishes before the first message;
//!     messages sent before the actor runs wait in the mailbox; `stopped` runs exactly
//!     once per actor state, after its last handler, before any
//!     [`Address::wait_for_stop`] returns; `wait_for_stop` returns at once for an actor
//!     that already stopped and never spins.
//! 12. **Restarts are bounded.** A supervised actor ([`Context::run_supervised`],
//!     [`Actor::spawn_supervised`], `#[actor]`'s typed `spawn_supervised`) restarts behind
//!     the same address with fresh state by its [`Restart`] policy (permanent /
//!     transient / never), within a budget of restarts per window; the failing message
//!     is dropped (its requester told), the ones behind it survive. Past the budget:
//!     [`StopReason::TooManyRestarts`]. The budget is exact: the actor's own loop spends
//!     it before each restart. [`SupervisorGroup`](supervision::SupervisorGroup)s restart siblings one-for-one,
//!     one-for-all or rest-for-one under one budget, which every child spends in its own
//!     loop (so it is exact however the children are scheduled); a
//!     [`Restart::Never`] child is never rebuilt, not even when the strategy restarts
//!     its siblings. [`Context::monitor`] tells an actor when another stops, and why.
//!     A restart ends what the old state attached (5). [`Registry::service`](registry::Registry::service) keeps at
//!     most one instance of a service at a time: asked while the old instance is still
//!     in its `stopped` hook, it returns the new instance's address at once and builds
//!     the new instance only after the old one has stopped.
//! 13. **Concurrency is machine-checked where it is ours**: a seeded stress test hammers
//!     send / stop / kill / drop / panic / restart from many tasks and checks that every
//!     request resolved, every accepted notification was handled or counted, and every
//!     actor state was dropped (1M+ operations on demand). Our own synchronisation
//!     (the mailbox queue and the priority lane) has loom models; the reply channels
//!     are tokio's loom-tested `oneshot`.
//!
//! # Cost per message
//!
//! A notification costs no allocation of its own: the mailbox keeps a lane per message
//! type and stores messages unboxed in it, in the order sent across lanes. The
//! handler's future lives inline in the actor's loop (a future larger than 192 bytes,
//! or aligned to more than 8, is boxed); a request makes one allocation, its reply
//! channel. The mailbox is a queue of our own under a mutex, which works on every
//! executor: an idle actor costs about as much memory as a bare tokio task with a
//! channel (figures in `BENCHES.md`).
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

mod actor;
mod address;
mod backlog;
mod broadcast;
mod cell;
mod context;
#[cfg(test)]
mod counting_waker;
pub mod delegation;
mod envelope;
mod error;
mod exit;
mod exit_slot;
mod flatten;
mod group;
mod handler;
mod id;
#[cfg(test)]
mod layers;
mod mailbox;
mod monitor;
mod panic;
pub mod pool;
mod priority;
pub mod proxy;
mod queue;
mod recipient;
mod reentrancy;
pub mod registry;
mod reply;
pub mod runtime;
mod stream;
pub mod supervision;
mod sync;
mod system;
mod timeout;
mod timers;
mod trace;
mod typed;
mod waits;
mod watchers;
mod weak;

pub use actor::{Actor, ActorAction};
pub use address::Address;
pub use broadcast::{Broadcast, PartialDelivery};
pub use context::{Context, DEFAULT_CAPACITY};
pub use delegation::{Delegate, Responder};
pub use error::{SendError, TrySendError, ZeroCapacityError};
pub use exit::{Exit, StopReason};
pub use flatten::{Fallible, Flatten};
pub use handler::{Coroutine, Handler, Notifiable, ReadHandler};
pub use id::ActorId;
pub use mailbox::Mailbox;
pub use recipient::{NotifyRecipient, Recipient};
pub use reply::Reply;
pub use system::{ShutdownReport, System, UncleanStop};
pub use typed::Typed;
pub use weak::WeakAddress;

// Short paths inside the crate for what the topic modules hold.
pub(crate) use error::JoinError;
pub(crate) use supervision::{PanicAction, Restart, Supervision};

/// Declares an actor, or its handlers.
///
/// # On a struct or enum
///
/// `#[actor]` on `struct Account` (also enums, tuple structs, generic and const-generic
/// types) generates:
/// - `impl Actor for Account`, with the options below;
/// - the **typed address** `AccountAddress` (same visibility and generics): `Clone`,
///   `Send`, `Sync`, `Eq`, `Hash`, `Debug`; it dereferences to [`Address<Account>`] (so
///   `send`, `notify`, `stop`, `wait_for_stop`... work), converts to and from it, and has
///   `into_inner()`;
/// - on `Account` itself: `spawn()` (the built-in runtime, like [`Actor::spawn`]),
///   `spawn_on(&runtime)` (any [`runtime::Runtime`]) and `prepare()`, which returns the typed address
///   and the future that runs the actor, for any executor. All three return the typed
///   address and use the actor's mailbox.
///
/// Options, each at most once (an unknown or repeated option is a compile error):
///
/// | option | effect |
/// | --- | --- |
/// | `capacity = N` | a bounded mailbox of `N` (at least 1) messages ([`Actor::MAILBOX`]) |
/// | `unbounded` | a mailbox without a bound |
/// | `started = method` | runs `async fn method(&mut self, ctx: &Context<Self>)` as [`Actor::started`] |
/// | `stopping = method` | runs `async fn method(&mut self, ctx: &Context<Self>) -> ActorAction` as [`Actor::stopping`] |
/// | `stopped = method` | runs `async fn method(&mut self)` as [`Actor::stopped`] |
/// | `manual_impl` | you write `impl Actor` yourself; only the typed address and functions are generated |
/// | `crate = path` | the path of this crate when the dependency is renamed (`crate = my_messages`) |
///
/// # On an inherent impl block
///
/// `#[actor] impl Account { .. }` keeps every method as written and turns each method
/// marked [`#[handler]`](macro@handler) (request/response) or [`#[notify]`](macro@notify)
/// (fire-and-forget) into:
/// - a **message type** named after the method in `UpperCamelCase`, with the method's
///   arguments as public fields and its doc comments: `deposit(amount)` becomes
///   `account::Deposit { amount }`. The message types of an actor live in a module named
///   after it in `snake_case` (`account`), next to the impl block, so two actors never
///   collide; rename one with `#[handler(message = Name)]`. A generic actor's message
///   types are generic over exactly the parameters their fields use;
/// - an `impl Handler<account::Deposit> for Account` (or `Notifiable`) calling the method;
/// - a method of the same name on the typed address: `account.deposit(100).await` returns
///   `Result<i64, SendError>`; a notification returns `Result<(), SendError>` once queued.
///
/// Handler methods may be `async` or not, take `&self` or `&mut self`, owned arguments
/// with plain names, and optionally one `&Context<Self>` parameter anywhere among them.
/// They cannot be generic (put the parameter on the actor), take references, `impl
/// Trait`, or patterns, or be named like a method of `Address` or of the typed address
/// (`send`, `kill`, `read`, `clone`, `into`...). Each mistake is a compile error on the
/// offending tokens that says what to do instead, and all mistakes are reported in one
/// build. One `#[actor]` impl block per actor and module (the message module is
/// generated once); other impl blocks stay plain.
///
/// Argument types mean what they name at the impl block (a user type named like a
/// generated message, `Self`, `Self::Assoc`), and a message type carries the impl's
/// where-clause bounds on the parameters it uses. The context is `&Context<Self>` (or
/// the actor's own name, through any path); any other type named `Context` is an
/// ordinary argument. A handler's `#[cfg]` applies to everything generated from it; its
/// docs, `#[deprecated]` and `#[allow]` go on the message type and the typed-address
/// method (a deprecated handler warns at the caller's call).
///
/// Options on the impl block, each at most once:
///
/// | option | effect |
/// | --- | --- |
/// | `module = name` | names the message module (default: the actor's name in `snake_case`); see below |
/// | `derive(Trait, ..)` | derives the traits on every message type of the block; see below |
/// | `crate = path` | as on the declaration |
///
/// The actor's declaration must carry `#[actor]` too (with `manual_impl` if its
/// `impl Actor` is hand-written): without it, the first error of the build says so, on
/// the impl block's type. (For an impl block naming the actor by a path, `impl
/// super::Account`, rustc first reports that `super::AccountAddress` does not exist.)
/// An impl block in another module than the declaration names the actor by its path,
/// or imports the typed address by name (`use super::{Account, AccountAddress};`): a
/// glob import (`use super::*;`) of `AccountAddress` is ambiguous with the stand-in
/// `#[actor]` puts next to the impl block for the case the declaration is missing.
///
/// Options on the declaration and a hand-written `impl Actor` do not go together: the
/// options make `#[actor]` generate `impl Actor`, and rustc's "conflicting
/// implementations" error points at them and "originates in the macro
/// `messages::__remove_the_actor_options_or_use_manual_impl`": remove the options, or
/// write `#[actor(manual_impl)]` and set the mailbox and hooks in your `impl Actor`.
///
/// # Deriving traits on message types
///
/// `derive(..)` on [`#[handler]`](macro@handler) or [`#[notify]`](macro@notify) derives
/// traits on that method's message type, and on the impl block's `#[actor]` on every
/// message type of the block. **A method's list replaces the impl block's** (it does not
/// add to it), so `derive()` on a method derives nothing on its message. The traits are
/// paths as `#[derive]` takes them (`Clone`, `serde::Serialize`), named as at the impl
/// block; a derived impl on a generic message needs the trait on the parameters the
/// message uses, as `#[derive]` does. Every message type implements `Debug` (printing its
/// name: `Deposit { .. }`); a derived `Debug` replaces that one and prints the fields.
///
/// [`Broadcast`] clones each notification, so its message type must be `Clone`:
///
/// ```
/// use messages::Broadcast;
/// use messages::prelude::*;
///
/// #[actor]
/// #[derive(Default)]
/// pub struct Screen {
///     lines: Vec<String>,
/// }
///
/// #[actor(derive(Debug, PartialEq))]
/// impl Screen {
///     /// `Clone` for the broadcast, `Debug` and `PartialEq` still: the list replaces
///     /// the impl block's.
///     #[notify(derive(Clone, Debug, PartialEq))]
///     pub fn show(&mut self, line: String) {
///         self.lines.push(line);
///     }
///
///     /// The impl block's list: `Debug` and `PartialEq`.
///     #[handler]
///     pub fn count(&self) -> usize {
///         self.lines.len()
///     }
/// }
///
/// # futures::executor::block_on(async {
/// let (left, run_left) = Screen::default().prepare();
/// let (right, run_right) = Screen::default().prepare();
/// let mut wall = Broadcast::new();
/// wall.add(&left);
/// wall.add(&right);
/// let show = async move {
///     assert_eq!(wall.notify(screen::Show { line: "hi".into() }).await, Ok(2));
///     assert_eq!(left.count().await, Ok(1));
///     assert_eq!(screen::Count, screen::Count);
///     // The last addresses (the wall holds its members weakly): both screens stop.
///     drop((left, right));
/// };
/// let (_, left, right) = futures::join!(show, run_left, run_right);
/// assert_eq!(left.actor.lines, right.actor.lines);
/// # });
/// ```
///
/// rustc's hint for a trait missing on a message type ("consider annotating `Show` with
/// `#[derive(Clone)]`") points above the method's marker; a `#[derive]` written there is
/// refused with the `derive(..)` option to write instead.
///
/// # Naming the message module
///
/// The message types live in a module named after the actor: `account::Deposit` for
/// `Account`. `module = name` names it otherwise: when that name is taken (an actor
/// `Config` next to `mod config`) or cannot name a module (`crate`, `self`, `super`),
/// and when the actor lives in a module of its own name, where the default stutters
/// (`cache::cache::Get`):
///
/// ```
/// mod cache {
///     use std::collections::HashMap;
///
///     use messages::prelude::*;
///
///     #[actor]
///     #[derive(Default)]
///     pub struct Cache {
///         entries: HashMap<String, String>,
///     }
///
///     /// The message types are `cache::msg::Get` and `cache::msg::Put`, not
///     /// `cache::cache::Get`.
///     #[actor(module = msg)]
///     impl Cache {
///         #[handler]
///         pub fn get(&self, key: String) -> Option<String> {
///             self.entries.get(&key).cloned()
///         }
///
///         #[notify]
///         pub fn put(&mut self, key: String, value: String) {
///             self.entries.insert(key, value);
///         }
///     }
/// }
///
/// use cache::{Cache, msg};
/// use messages::prelude::*;
///
/// # futures::executor::block_on(async {
/// let (cache, run) = Cache::default().prepare();
/// let calls = async move {
///     let (key, value) = ("colour".to_owned(), "teal".to_owned());
///     cache.notify(msg::Put { key: key.clone(), value }).await?;
///     assert_eq!(cache.send(msg::Get { key }).await?.as_deref(), Some("teal"));
///     Ok::<_, SendError>(())
/// };
/// let (calls, _) = futures::join!(calls, run);
/// calls.unwrap();
/// # });
/// ```
pub use messages_derive::actor;

/// Marks a request handler in an [`#[actor]`](macro@actor) impl block: the method's
/// answer goes back to the caller. Options: `message = Name` renames the message type,
/// `parallel` makes it a read (`&self`, beside other reads), `derive(Trait, ..)` derives
/// traits on the message type (instead of the impl block's list: see
/// [`#[actor]`](macro@actor#deriving-traits-on-message-types)). Anywhere else it is a
/// compile error.
pub use messages_derive::handler;

/// Marks a notification handler in an [`#[actor]`](macro@actor) impl block: the caller
/// returns once the message is queued; the method returns nothing. Options:
/// `message = Name` renames the message type, `derive(Trait, ..)` derives traits on it
/// (`#[notify(derive(Clone))]` for a [`Broadcast`]; see
/// [`#[actor]`](macro@actor#deriving-traits-on-message-types)). Anywhere else it is a
/// compile error.
pub use messages_derive::notify;

/// Everything an actor needs, in one import: `use messages::prelude::*;`.
///
/// What nearly every program uses: the actor, its context and address, the two kinds of
/// handler, the errors and stop reasons a caller meets, request timeouts and flattened
/// results ([`RequestExt`](time::RequestExt)), the macros and [`Typed`] (which gives
/// `ctx.typed_address()` and `address.typed()` to the actors they declare). The rest lives at the crate root and in the topic modules
/// ([`supervision`], [`registry`], [`time`], [`runtime`]).
pub mod prelude {
    pub use crate::time::RequestExt;
    pub use crate::{Actor, ActorAction, Address, Context, Handler, Notifiable, SendError};
    pub use crate::{StopReason, Typed, actor, handler, notify};
}

/// Time: timed notifications' [`TimerHandle`](time::TimerHandle) ([`Context::notify_later`],
/// [`Context::notify_interval`], [`Context::idle_timeout`]) and request timeouts
/// ([`RequestExt::timeout`](time::RequestExt::timeout)).
pub mod time {
    pub use crate::timeout::{RequestExt, Timeout};
    pub use crate::timers::TimerHandle;
}

/// Support for the code `#[actor]` generates. Not part of the public API: no stability
/// promise, do not use directly.
#[doc(hidden)]
pub mod __private {
    pub use crate::typed::{Is, UntypedAddress};
    use crate::{Actor, Address};

    /// Implemented by `#[actor]` on a declaration; checked by `#[actor]` impl blocks.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not declared with `#[actor]`",
        label = "this `#[actor]` impl block needs `#[actor]` on the declaration of `{Self}`",
        note = "add `#[actor]` above `struct {Self}` (with `#[actor(manual_impl)]` if you write `impl Actor` yourself)"
    )]
    pub trait Declared {}

    /// Names a type only when `T` was declared with `#[actor]`, with the message above
    /// otherwise. An `#[actor]` impl block's first item takes one as a parameter, so
    /// rustc reports a missing declaration before the errors it causes.
    #[derive(Debug)]
    pub struct IsDeclared<T: Declared + ?Sized>(core::marker::PhantomData<T>);

    /// `Actor::spawn` when a runtime feature is on. Without one, calling it is a compile
    /// error (at monomorphization, so actors that are never spawned still compile).
    #[cfg(any(feature = "tokio", feature = "smol"))]
    #[track_caller]
    pub fn spawn<A: Actor>(actor: A) -> Address<A> {
        actor.spawn()
    }

    /// `Actor::spawn_supervised`, under the same rule as [`spawn`].
    #[cfg(any(feature = "tokio", feature = "smol"))]
    #[track_caller]
    pub fn spawn_supervised<A, F>(factory: F, supervision: crate::Supervision) -> Address<A>
    where
        A: Actor,
        F: FnMut() -> A + Send + 'static,
    {
        A::spawn_supervised(factory, supervision)
    }

    /// `Actor::spawn_supervised`, under the same rule as [`spawn`].
    #[cfg(not(any(feature = "tokio", feature = "smol")))]
    #[track_caller]
    pub fn spawn_supervised<A, F>(factory: F, supervision: crate::Supervision) -> Address<A>
    where
        A: Actor,
        F: FnMut() -> A + Send + 'static,
    {
        let _ = supervision;
        let mut factory = factory;
        spawn(factory())
    }

    /// `Actor::spawn` when a runtime feature is on. Without one, calling it is a compile
    /// error (at monomorphization, so actors that are never spawned still compile).
    #[cfg(not(any(feature = "tokio", feature = "smol")))]
    pub fn spawn<A: Actor>(actor: A) -> Address<A> {
        struct NoRuntime<A>(A);
        impl<A> NoRuntime<A> {
            const ENABLED: () = panic!(
                "`spawn()` needs a runtime: enable the `tokio` or `smol` feature of `messages`, \
                 or use `spawn_on(&runtime)` / `prepare()`"
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

/// Support for `#[actor]`: the `impl Actor` it generates from its options goes through
/// this macro, so that when the user writes `impl Actor` too, rustc's "conflicting
/// implementations" error (reported on the options) ends with "this error originates
/// in the macro `messages::__remove_the_actor_options_or_use_manual_impl`". Not part
/// of the public API.
#[doc(hidden)]
#[macro_export]
macro_rules! __remove_the_actor_options_or_use_manual_impl {
    ({$($header:tt)*} {$($body:tt)*}) => {
        #[automatically_derived]
        impl $($header)* { $($body)* }
    };
}
