//! What an actor's context carries: the runtime it was given (erased), or the built-in
//! one, so that each capability that spawns a task or sleeps (timers, streams,
//! monitors) has one method, and an executor is named once, where the actor starts.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use super::{Runtime, Spawner, Timer};

/// A spawned or sleeping future, boxed to go through [`Erased`].
type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// [`Spawner`] + [`Timer`] behind a pointer: those two are not object safe (a generic
/// `spawn`, an associated `Sleep` type), this is.
trait Erased: Send + Sync {
    /// Tracks its caller (through the pointer too): a runtime that panics when it
    /// cannot spawn reports the user's call that asked for the spawn.
    #[track_caller]
    fn spawn_boxed(&self, future: BoxFuture);
    fn sleep_boxed(&self, duration: Duration) -> BoxFuture;
}

impl<R: Runtime> Erased for R {
    #[track_caller]
    fn spawn_boxed(&self, future: BoxFuture) {
        Spawner::spawn(self, future);
    }

    fn sleep_boxed(&self, duration: Duration) -> BoxFuture {
        let sleep = Timer::sleep(self, duration);
        Box::pin(async move {
            sleep.await;
        })
    }
}

/// A runtime a user gave, shared by every task that uses it.
#[derive(Clone)]
pub(crate) struct Custom(Arc<dyn Erased>);

impl Custom {
    pub(crate) fn new<R: Runtime>(runtime: R) -> Self {
        Self(Arc::new(runtime))
    }
}

/// The runtime a context carries. The built-in one is a plain variant: spawning or
/// sleeping on it costs no allocation and no dynamic call.
#[derive(Clone)]
pub(crate) enum Carried {
    /// The runtime feature's own (tokio when its feature is on, otherwise smol).
    #[cfg(any(feature = "tokio", feature = "smol"))]
    Builtin,
    /// One given with `Context::with_runtime` or an `*_on` entry point.
    Custom(Custom),
}

impl Spawner for Carried {
    /// Tracks its caller: the user's call (`Context::spawn`, a timer, a stream, a
    /// monitor) is where a runtime that cannot spawn reports its panic.
    #[inline]
    #[track_caller]
    fn spawn<F>(&self, future: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        match self {
            #[cfg(any(feature = "tokio", feature = "smol"))]
            Self::Builtin => super::DefaultRuntime.spawn(future),
            Self::Custom(custom) => custom.0.spawn_boxed(Box::pin(future)),
        }
    }
}

#[cfg(any(feature = "tokio", feature = "smol"))]
pin_project_lite::pin_project! {
    /// The sleep of a [`Carried`] runtime: the built-in one's unboxed.
    #[project = SleepProjection]
    pub(crate) enum Sleep {
        Builtin { #[pin] sleep: <super::DefaultRuntime as Timer>::Sleep },
        Custom { sleep: BoxFuture },
    }
}

#[cfg(any(feature = "tokio", feature = "smol"))]
impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<()> {
        match self.project() {
            SleepProjection::Builtin { sleep } => sleep.poll(cx).map(drop),
            SleepProjection::Custom { sleep } => sleep.as_mut().poll(cx),
        }
    }
}

/// Without a built-in runtime, every sleep is a custom one.
#[cfg(not(any(feature = "tokio", feature = "smol")))]
pub(crate) type Sleep = BoxFuture;

impl Timer for Carried {
    type Sleep = Sleep;

    fn sleep(&self, duration: Duration) -> Sleep {
        match self {
            #[cfg(any(feature = "tokio", feature = "smol"))]
            Self::Builtin => Sleep::Builtin {
                sleep: super::DefaultRuntime.sleep(duration),
            },
            #[cfg(any(feature = "tokio", feature = "smol"))]
            Self::Custom(custom) => Sleep::Custom {
                sleep: custom.0.sleep_boxed(duration),
            },
            #[cfg(not(any(feature = "tokio", feature = "smol")))]
            Self::Custom(custom) => custom.0.sleep_boxed(duration),
        }
    }
}

/// What a capability does without a runtime: says which method needed one and how to
/// give it.
#[cold]
#[track_caller]
pub(crate) fn missing(method: &str) -> ! {
    panic!(
        "`{method}` needs a runtime, and this actor's context has none: give it one with \
         `Context::with_runtime` (or spawn the actor with `Actor::spawn_on`), or enable the \
         `tokio` or `smol` feature of `messages`"
    )
}
