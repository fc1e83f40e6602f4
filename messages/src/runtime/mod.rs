//! Runtimes: the [`Spawner`] and [`Timer`] traits (together, a [`Runtime`]), the
//! built-in runtimes, and [`JoinHandle`].
//!
//! The core never needs a runtime: [`Context::run`](crate::Context::run) is a plain
//! future. A runtime is needed to *spawn* that future, and for what an actor attaches
//! beside itself (timers, streams, monitors, the idle watchdog: each a task, most with
//! a clock). Any executor can be one: implement [`Spawner`] and [`Timer`] for it.
//!
//! The context carries its runtime from the moment the actor is spawned or run: the
//! features `tokio` and `smol` (both may be enabled together) provide `Tokio` and
//! `Smol` in this module, and every context starts with the built-in one (tokio when
//! its feature is on, otherwise smol), which [`Actor::spawn`](crate::Actor::spawn)
//! uses. Another executor is named once, where the actor starts:
//! [`Actor::spawn_on`](crate::Actor::spawn_on),
//! [`Context::with_runtime`](crate::Context::with_runtime) (then `run` or `spawn`),
//! [`Actor::spawn_supervised_on`](crate::Actor::spawn_supervised_on),
//! [`SupervisorGroup::start_on`](crate::supervision::SupervisorGroup::start_on) or
//! [`Registry::service_on`](crate::registry::Registry::service_on). Its timers, streams
//! and monitors then run there too. A request future has no context, so its timeout
//! names its clock itself ([`RequestExt::timeout_on`](crate::time::RequestExt::timeout_on)).

mod carried;
mod join;
#[cfg(feature = "smol")]
mod smol;
mod timer;
#[cfg(feature = "tokio")]
mod tokio;

use std::future::Future;

#[cfg(feature = "smol")]
pub use self::smol::Smol;
#[cfg(feature = "tokio")]
pub use self::tokio::Tokio;
pub use crate::error::JoinError;
pub use join::JoinHandle;
pub use timer::Timer;

pub(crate) use carried::{Carried, Custom, missing};

/// An executor that can run a future to completion in the background. With a
/// [`Timer`], it is a [`Runtime`] an actor can be spawned on.
///
/// ```
/// use std::time::Duration;
/// use messages::prelude::*;
/// use messages::runtime::{Spawner, Timer};
///
/// /// Runs each task on a thread of its own, and sleeps on one too.
/// #[derive(Clone)]
/// struct ThreadPerTask;
///
/// impl Spawner for ThreadPerTask {
///     fn spawn<F>(&self, future: F)
///     where
///         F: std::future::Future<Output = ()> + Send + 'static,
///     {
///         std::thread::spawn(move || futures::executor::block_on(future));
///     }
/// }
///
/// impl Timer for ThreadPerTask {
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
/// struct Echo;
/// impl Actor for Echo {}
/// impl Handler<String> for Echo {
///     type Result = String;
///     async fn handle(&mut self, text: String, _: &Context<Self>) -> String {
///         text
///     }
/// }
///
/// let address = Echo.spawn_on(&ThreadPerTask);
/// let answer = futures::executor::block_on(address.send("hi".to_owned()));
/// assert_eq!(answer.as_deref(), Ok("hi"));
/// ```
pub trait Spawner {
    /// Starts `future` in the background.
    fn spawn<F>(&self, future: F)
    where
        F: Future<Output = ()> + Send + 'static;
}

/// What an actor's context carries: an executor ([`Spawner`]) with a clock ([`Timer`]),
/// shareable between the actor and the tasks it attaches. Implemented for every type
/// that is both (and `Clone + Send + Sync + 'static`): implement those two.
///
/// Give one where the actor starts ([`Actor::spawn_on`](crate::Actor::spawn_on),
/// [`Context::with_runtime`](crate::Context::with_runtime)...); the actor's task, its
/// timers, streams, monitors and idle watchdog then all run on it.
pub trait Runtime: Spawner + Timer + Clone + Send + Sync + 'static {}

impl<R: Spawner + Timer + Clone + Send + Sync + 'static> Runtime for R {}

/// The built-in runtime: what [`Actor::spawn`](crate::Actor::spawn) uses, and what a
/// context carries unless given another.
#[cfg(feature = "tokio")]
pub(crate) use self::tokio::Tokio as DefaultRuntime;

#[cfg(all(feature = "smol", not(feature = "tokio")))]
pub(crate) use self::smol::Smol as DefaultRuntime;

/// Stands in for the built-in runtime in documentation built without a runtime feature,
/// where the methods that need one are documented (and their signatures name it) but
/// not compiled.
#[cfg(all(doc, not(any(feature = "tokio", feature = "smol"))))]
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct NoRuntime;

#[cfg(all(doc, not(any(feature = "tokio", feature = "smol"))))]
impl Timer for NoRuntime {
    type Sleep = std::future::Pending<()>;

    fn sleep(&self, _: std::time::Duration) -> Self::Sleep {
        std::future::pending()
    }
}

#[cfg(all(doc, not(any(feature = "tokio", feature = "smol"))))]
pub(crate) use NoRuntime as DefaultRuntime;
