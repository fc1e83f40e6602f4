//! Timers: timed notifications ([`Context::notify_later`],
//! [`Context::notify_interval`]) and the idle watchdog ([`Context::idle_timeout`]), each
//! a task beside the actor that reaches it through its mailbox, cancelled through its
//! [`TimerHandle`].

use std::fmt;
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::Poll;
use std::time::Duration;

use tokio::sync::Notify;

use crate::cell::Lifetime;
use crate::envelope::Control;
use crate::panic::contained;
use crate::runtime::{Spawner, Timer};
use crate::{Actor, Context, Notifiable, WeakAddress};

impl<A: Actor> Context<A> {
    /// Notifies the actor with `message` once `delay` has passed, on the runtime the
    /// context carries (see [`Context::with_runtime`]).
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
    /// Without a runtime: in a build without the `tokio` and `smol` features, when the
    /// context was given none ([`Context::with_runtime`], [`Actor::spawn_on`]). On
    /// tokio, outside a tokio runtime (with its time driver), as `tokio::spawn` does.
    #[track_caller]
    pub fn notify_later<M>(&self, message: M, delay: Duration) -> TimerHandle
    where
        A: Notifiable<M>,
        M: Send + 'static,
    {
        let runtime = self.runtime("Context::notify_later");
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

    /// Notifies the actor with `make()` every `interval`, on the runtime the context
    /// carries (see [`Context::with_runtime`]), until cancelled or the actor
    /// stops (started by the actor's state, until that state is replaced by a
    /// restart). Ticks wait for room in a full mailbox and are not made up when late.
    /// A panic in `make` ends the timer, contained in its task.
    ///
    /// ```
    /// use std::time::Duration;
    /// use messages::prelude::*;
    /// use messages::time::TimerHandle;
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
    /// Without a runtime: in a build without the `tokio` and `smol` features, when the
    /// context was given none ([`Context::with_runtime`], [`Actor::spawn_on`]). On
    /// tokio, outside a tokio runtime (with its time driver), as `tokio::spawn` does.
    #[track_caller]
    pub fn notify_interval<M, F>(&self, interval: Duration, mut make: F) -> TimerHandle
    where
        A: Notifiable<M>,
        M: Send + 'static,
        F: FnMut() -> M + Send + 'static,
    {
        let runtime = self.runtime("Context::notify_interval");
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
    /// has taken no message for `timeout`, on the runtime the context carries (see
    /// [`Context::with_runtime`]). Call it before running the actor or from
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
    /// Without a runtime: in a build without the `tokio` and `smol` features, when the
    /// context was given none ([`Context::with_runtime`], [`Actor::spawn_on`]). On
    /// tokio, outside a tokio runtime (with its time driver), as `tokio::spawn` does.
    #[track_caller]
    pub fn idle_timeout(&self, timeout: Duration) -> TimerHandle {
        let runtime = self.runtime("Context::idle_timeout");
        let (handle, task) = idle_watchdog(
            self.weak_address(),
            runtime.clone(),
            timeout,
            self.attachment_lifetime(),
        );
        runtime.spawn(task);
        handle
    }
}

/// Cancels a timed notification. Dropping the handle does not cancel it: the timer runs
/// on until it fires (once, or forever for an interval) or the actor stops.
///
/// A timer never keeps its actor alive, and ends when the actor stops. One started by
/// the actor's state (in a hook or a handler) ends with that state: a supervised
/// restart ends it, and the fresh state's `started` sets up its own.
#[must_use = "dropping the handle leaves the timer running; keep it to cancel the timer"]
pub struct TimerHandle {
    state: Arc<CancelState>,
}

struct CancelState {
    cancelled: AtomicBool,
    wake: Notify,
}

impl TimerHandle {
    fn new() -> Self {
        Self {
            state: Arc::new(CancelState {
                cancelled: AtomicBool::new(false),
                wake: Notify::new(),
            }),
        }
    }

    /// Cancels the timer: no notification is sent after this returns, except one already
    /// on its way into the mailbox.
    pub fn cancel(&self) {
        self.state.cancelled.store(true, Ordering::Release);
        // `notify_one` keeps a permit if the timer is not waiting yet.
        self.state.wake.notify_one();
    }

    /// Whether [`cancel`](TimerHandle::cancel) was called.
    pub fn is_cancelled(&self) -> bool {
        self.state.cancelled.load(Ordering::Acquire)
    }
}

impl fmt::Debug for TimerHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimerHandle")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

/// What woke a waiting timer.
enum Wake {
    Due,
    Cancelled,
    ActorStopped,
}

/// The task behind a timer: waits for each delay, then notifies the actor with the next
/// message, until cancelled, done, or the actor is gone.
///
/// The timer ends with its `lifetime` (the actor, or the state that started it), and
/// a panic in `make` (or in a message's `Drop`) ends it too, contained in its task.
pub(crate) fn timer_task<A, M, C>(
    target: WeakAddress<A>,
    timer: C,
    delay: Duration,
    repeat: bool,
    lifetime: Lifetime,
    mut make: impl FnMut() -> Option<M> + Send + 'static,
) -> (TimerHandle, impl Future<Output = ()> + Send + 'static)
where
    A: Notifiable<M>,
    M: Send + 'static,
    C: Timer + Send + Sync + 'static,
{
    let handle = TimerHandle::new();
    let state = Arc::clone(&handle.state);
    let task = async move {
        loop {
            match wait(&timer, delay, &state, &target, lifetime).await {
                Wake::Cancelled | Wake::ActorStopped => return,
                Wake::Due => {}
            }
            if state.cancelled.load(Ordering::Acquire) || !target.cell().lives(lifetime) {
                return;
            }
            let Some(address) = target.upgrade() else {
                return;
            };
            let Some(message) = make() else {
                return;
            };
            if address.notify(message).await.is_err() || !repeat {
                return;
            }
        }
    };
    (handle, contained(task))
}

async fn wait<A: Actor, C: Timer>(
    timer: &C,
    delay: Duration,
    state: &CancelState,
    target: &WeakAddress<A>,
    lifetime: Lifetime,
) -> Wake {
    let mut due = pin!(timer.sleep(delay));
    let mut cancelled = pin!(state.wake.notified());
    let mut stopped = pin!(target.cell().wait_for_end(lifetime));
    poll_fn(|cx| {
        if cancelled.as_mut().poll(cx).is_ready() || state.cancelled.load(Ordering::Acquire) {
            return Poll::Ready(Wake::Cancelled);
        }
        if stopped.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Wake::ActorStopped);
        }
        if due.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Wake::Due);
        }
        Poll::Pending
    })
    .await
}

/// The task behind an idle timeout: every `timeout`, if the actor has taken no message
/// since the last look, asks it (through its mailbox) whether it is still idle.
pub(crate) fn idle_watchdog<A, C>(
    target: WeakAddress<A>,
    timer: C,
    timeout: Duration,
    lifetime: Lifetime,
) -> (TimerHandle, impl Future<Output = ()> + Send + 'static)
where
    A: Actor,
    C: Timer + Send + Sync + 'static,
{
    let handle = TimerHandle::new();
    let state = Arc::clone(&handle.state);
    let task = async move {
        let mut seen = target.cell().handled();
        loop {
            match wait(&timer, timeout, &state, &target, lifetime).await {
                Wake::Cancelled | Wake::ActorStopped => return,
                Wake::Due => {}
            }
            let Some(address) = target.upgrade() else {
                return;
            };
            let handled = target.cell().handled();
            if handled == seen {
                // A full mailbox means the actor is not idle; the next look decides.
                address.try_push_control(Control::Idle { taken: seen });
            }
            seen = handled;
        }
    };
    (handle, contained(task))
}
