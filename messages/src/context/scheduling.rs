//! Timed notifications, the idle watchdog and attached streams: work spawned beside the
//! actor that reaches it through its mailbox.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use futures_core::Stream;

use super::Context;
use crate::panic::contained;
use crate::runtime::{Spawner, Timer};
use crate::scheduled::{TimerHandle, idle_watchdog, timer_task};
use crate::shared::Lifetime;
use crate::stream::forward_then;
use crate::{Actor, ActorId, Address, Notifiable, StopReason, WeakAddress};

impl<A: Actor> Context<A> {
    /// A [`WeakAddress`] of this actor, which does not keep it alive.
    pub fn weak_address(&self) -> WeakAddress<A> {
        WeakAddress::new(crate::mailbox::WeakSender::new(&self.shared))
    }

    /// Notifies the actor with `message` once `delay` has passed, on the built-in runtime
    /// (tokio when the `tokio` feature is on, otherwise smol).
    ///
    /// The timer does not keep the actor alive and ends when the actor stops; cancel it
    /// with the returned [`TimerHandle`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use messages::prelude::*;
    ///
    /// struct Alarm;
    /// struct Ring;
    ///
    /// impl Actor for Alarm {
    ///     async fn started(&mut self, ctx: &Context<Self>) {
    ///         drop(ctx.notify_later(Ring, Duration::from_secs(60)));
    ///     }
    /// }
    ///
    /// impl Notifiable<Ring> for Alarm {
    ///     async fn notify(&mut self, _: Ring, ctx: &Context<Self>) {
    ///         println!("ring!");
    ///         ctx.stop();
    ///     }
    /// }
    ///
    /// # #[cfg(feature = "tokio")]
    /// #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// async fn main() {
    ///     let alarm = Alarm.spawn();
    ///     assert_eq!(alarm.wait_for_stop().await, StopReason::Requested);
    /// }
    /// # #[cfg(not(feature = "tokio"))]
    /// # fn main() {}
    /// ```
    ///
    /// # Panics
    ///
    /// With tokio, panics outside a tokio runtime (with its time driver), as
    /// `tokio::spawn` does.
    #[cfg(any(feature = "tokio", feature = "smol", doc))]
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
        let (handle, task) = timer_task(
            self.weak_address(),
            runtime.clone(),
            delay,
            false,
            self.attachment_lifetime(),
            make,
        );
        runtime.spawn(task);
        handle
    }

    /// Notifies the actor with `make()` every `interval`, on the built-in runtime (tokio
    /// when the `tokio` feature is on, otherwise smol), until cancelled or the actor
    /// stops (started by the actor's state, until that state is replaced by a
    /// restart). Ticks wait for room in a full mailbox and are not made up when late.
    /// A panic in `make` ends the timer, contained in its task.
    ///
    /// ```
    /// use std::time::Duration;
    /// use messages::prelude::*;
    ///
    /// struct Heartbeat {
    ///     beats: u32,
    ///     timer: Option<TimerHandle>,
    /// }
    /// struct Beat;
    ///
    /// impl Actor for Heartbeat {
    ///     async fn started(&mut self, ctx: &Context<Self>) {
    ///         self.timer = Some(ctx.notify_interval(Duration::from_secs(1), || Beat));
    ///     }
    /// }
    ///
    /// impl Notifiable<Beat> for Heartbeat {
    ///     async fn notify(&mut self, _: Beat, ctx: &Context<Self>) {
    ///         self.beats += 1;
    ///         if self.beats == 3 {
    ///             ctx.stop();
    ///         }
    ///     }
    /// }
    ///
    /// # #[cfg(feature = "tokio")]
    /// #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// async fn main() {
    ///     let context = Context::new();
    ///     let heart = context.address();
    ///     let exit = context.spawn(Heartbeat { beats: 0, timer: None });
    ///     heart.wait_for_stop().await;
    ///     assert_eq!(exit.await.unwrap().actor.beats, 3);
    /// }
    /// # #[cfg(not(feature = "tokio"))]
    /// # fn main() {}
    /// ```
    ///
    /// # Panics
    ///
    /// With tokio, panics outside a tokio runtime (with its time driver), as
    /// `tokio::spawn` does.
    #[cfg(any(feature = "tokio", feature = "smol", doc))]
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
        let (handle, task) = timer_task(
            self.weak_address(),
            runtime.clone(),
            interval,
            true,
            self.attachment_lifetime(),
            make,
        );
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
    /// ```
    /// use std::time::Duration;
    /// use messages::prelude::*;
    ///
    /// struct Session;
    ///
    /// impl Actor for Session {
    ///     async fn started(&mut self, ctx: &Context<Self>) {
    ///         drop(ctx.idle_timeout(Duration::from_secs(30)));
    ///     }
    /// }
    ///
    /// # #[cfg(feature = "tokio")]
    /// #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// async fn main() {
    ///     let session = Session.spawn();
    ///     // Nobody talks to it: it stops by itself.
    ///     assert_eq!(session.wait_for_stop().await, StopReason::Requested);
    /// }
    /// # #[cfg(not(feature = "tokio"))]
    /// # fn main() {}
    /// ```
    ///
    /// # Panics
    ///
    /// With tokio, panics outside a tokio runtime (with its time driver), as
    /// `tokio::spawn` does.
    #[cfg(any(feature = "tokio", feature = "smol", doc))]
    pub fn idle_timeout(&self, timeout: Duration) -> TimerHandle {
        self.idle_timeout_on(timeout, &crate::runtime::DefaultRuntime)
    }

    /// [`idle_timeout`](Context::idle_timeout) on any executor: `runtime` spawns the
    /// watchdog and keeps its time.
    pub fn idle_timeout_on<R>(&self, timeout: Duration, runtime: &R) -> TimerHandle
    where
        R: Spawner + Timer + Clone + Send + Sync + 'static,
    {
        let (handle, task) = idle_watchdog(
            self.weak_address(),
            runtime.clone(),
            timeout,
            self.attachment_lifetime(),
        );
        runtime.spawn(task);
        handle
    }

    /// Attaches `stream` to the actor: each item arrives as a notification, in order, on
    /// the built-in runtime (tokio when the `tokio` feature is on, otherwise smol).
    ///
    /// **An attached stream keeps the actor alive** until the stream ends, even when
    /// every address is dropped: a connection actor lives as long as its connection. A
    /// stop request still stops the actor, and the stream is then dropped, even while
    /// it waits for its next item. Attached by the actor's state (in a hook or a
    /// handler), the stream ends with that state: a supervised restart drops it.
    /// A panic in the stream's `poll_next` ends it (contained; no end message).
    ///
    /// ```
    /// use messages::prelude::*;
    ///
    /// #[derive(Default)]
    /// struct Sum(u64);
    /// impl Actor for Sum {}
    /// impl Notifiable<u64> for Sum {
    ///     async fn notify(&mut self, n: u64, _: &Context<Self>) {
    ///         self.0 += n;
    ///     }
    /// }
    ///
    /// # #[cfg(feature = "tokio")]
    /// #[tokio::main]
    /// async fn main() {
    ///     let context = Context::new();
    ///     context.add_stream(futures::stream::iter([1, 2, 3]));
    ///     // No address is kept: the stream alone keeps the actor alive, until it ends.
    ///     let exit = context.spawn(Sum::default()).await.unwrap();
    ///     assert_eq!(exit.actor.0, 6);
    /// }
    /// # #[cfg(not(feature = "tokio"))]
    /// # fn main() {}
    /// ```
    ///
    /// # Panics
    ///
    /// With tokio, panics when called outside a tokio runtime, as `tokio::spawn` does.
    #[cfg(any(feature = "tokio", feature = "smol", doc))]
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
        spawner.spawn(forward_then(
            self.address(),
            stream,
            None::<S::Item>,
            self.attachment_lifetime(),
        ));
    }

    /// [`add_stream`](Context::add_stream), then notifies the actor with `end` once the
    /// stream has ended (not when the actor stopped first): the hook for "the stream is
    /// over".
    ///
    /// # Panics
    ///
    /// With tokio, panics when called outside a tokio runtime, as `tokio::spawn` does.
    #[cfg(any(feature = "tokio", feature = "smol", doc))]
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
        spawner.spawn(forward_then(
            self.address(),
            stream,
            Some(end),
            self.attachment_lifetime(),
        ));
    }

    /// Monitors `other`: when it stops, for whatever reason, this actor is notified with
    /// a [`Terminated`] carrying its id and [`StopReason`](crate::StopReason). The monitor
    /// keeps neither actor alive, and ends when either stops (set up by this actor's
    /// state, it ends with that state too: a supervised restart ends it). Runs on the built-in
    /// runtime (tokio when the `tokio` feature is on, otherwise smol).
    ///
    /// ```
    /// use messages::prelude::*;
    ///
    /// struct Worker;
    /// impl Actor for Worker {}
    ///
    /// struct Watcher {
    ///     worker: Address<Worker>,
    /// }
    /// impl Actor for Watcher {
    ///     async fn started(&mut self, ctx: &Context<Self>) {
    ///         ctx.monitor(&self.worker);
    ///     }
    /// }
    /// impl Notifiable<Terminated> for Watcher {
    ///     async fn notify(&mut self, ended: Terminated, ctx: &Context<Self>) {
    ///         println!("worker {} ended: {}", ended.id, ended.reason);
    ///         ctx.stop();
    ///     }
    /// }
    ///
    /// # #[cfg(feature = "tokio")]
    /// #[tokio::main]
    /// async fn main() {
    ///     let worker = Worker.spawn();
    ///     let watcher = Watcher { worker: worker.clone() }.spawn();
    ///     worker.stop().await;
    ///     assert_eq!(watcher.wait_for_stop().await, StopReason::Requested);
    /// }
    /// # #[cfg(not(feature = "tokio"))]
    /// # fn main() {}
    /// ```
    ///
    /// # Panics
    ///
    /// With tokio, panics when called outside a tokio runtime, as `tokio::spawn` does.
    #[cfg(any(feature = "tokio", feature = "smol", doc))]
    pub fn monitor<B: Actor>(&self, other: &Address<B>)
    where
        A: Notifiable<Terminated>,
    {
        self.monitor_on(other, &crate::runtime::DefaultRuntime);
    }

    /// [`monitor`](Context::monitor) on any executor.
    pub fn monitor_on<B: Actor, R: Spawner>(&self, other: &Address<B>, spawner: &R)
    where
        A: Notifiable<Terminated>,
    {
        let me = self.weak_address();
        let lifetime = self.attachment_lifetime();
        let watched = Arc::clone(other.shared());
        spawner.spawn(contained(async move {
            let mut theirs = pin!(watched.wait_for_exit());
            let mut mine = pin!(me.shared().wait_for_end(lifetime));
            let reason = poll_fn(|cx| {
                // This actor stopped (or the state that monitors was replaced) first:
                // nobody to tell.
                if mine.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(None);
                }
                theirs.as_mut().poll(cx).map(Some)
            })
            .await;
            if let (Some(reason), Some(me)) = (reason, me.upgrade()) {
                let _ = me
                    .notify(Terminated {
                        id: watched.id,
                        reason,
                    })
                    .await;
            }
        }));
    }

    /// What something attached now (a timer, a stream, a monitor, an idle watchdog)
    /// lives as long as: the actor, when attached before it runs; else the state that
    /// attaches it, which a supervised restart ends.
    fn attachment_lifetime(&self) -> Lifetime {
        self.shared.lifetime(!self.receiving)
    }
}

/// The notification [`Context::monitor`] sends when a monitored actor stops.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Terminated {
    /// The actor that stopped.
    pub id: ActorId,
    /// Why it stopped.
    pub reason: StopReason,
}
