//! Spawning actors: the [`Spawner`] trait, the built-in runtimes, and [`JoinHandle`].
//!
//! The core never needs a runtime: [`Context::run`](crate::Context::run) is a plain
//! future. A runtime is only needed to *spawn* that future, and any executor can do it:
//! implement [`Spawner`] for it. The features `tokio` and `smol` (both may be enabled
//! together) provide `Tokio` and `Smol` in this module; [`Actor::spawn`](crate::Actor::spawn) uses
//! tokio when its feature is on, otherwise smol.

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

/// An executor that can run a future to completion in the background.
///
/// ```
/// use messages::prelude::*;
/// use messages::runtime::Spawner;
///
/// /// Runs each actor on a thread of its own.
/// struct ThreadPerActor;
///
/// impl Spawner for ThreadPerActor {
///     fn spawn<F>(&self, future: F)
///     where
///         F: std::future::Future<Output = ()> + Send + 'static,
///     {
///         std::thread::spawn(move || futures::executor::block_on(future));
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
/// let address = Echo.spawn_on(&ThreadPerActor);
/// let answer = futures::executor::block_on(address.send("hi".to_owned()));
/// assert_eq!(answer.as_deref(), Ok("hi"));
/// ```
pub trait Spawner {
    /// Starts `future` in the background.
    fn spawn<F>(&self, future: F)
    where
        F: Future<Output = ()> + Send + 'static;
}

/// The runtime that [`Actor::spawn`](crate::Actor::spawn),
/// [`Context::spawn`](crate::Context::spawn) and the default timers use.
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
