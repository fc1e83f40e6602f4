//! Timed notifications, the idle watchdog and attached streams: work spawned beside the
//! actor that reaches it through its mailbox.

use std::sync::Arc;
use std::time::Duration;

use futures_core::Stream;

use super::Context;
use crate::runtime::{Spawner, Timer};
use crate::scheduled::{TimerHandle, idle_watchdog, timer_task};
use crate::stream::forward_then;
use crate::{Actor, Notifiable, WeakAddress};

impl<A: Actor> Context<A> {
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
}
