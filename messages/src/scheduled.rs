//! Timed notifications: [`Context::notify_later`](crate::Context::notify_later) and
//! [`Context::notify_interval`](crate::Context::notify_interval), each cancelled through
//! its [`TimerHandle`].

use std::fmt;
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::Poll;
use std::time::Duration;

use tokio::sync::Notify;

use crate::mailbox::IdleItem;
use crate::panic::contained;
use crate::runtime::Timer;
use crate::shared::Lifetime;
use crate::{Actor, Notifiable, WeakAddress};

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
            if state.cancelled.load(Ordering::Acquire) || !target.shared().lives(lifetime) {
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
    let mut stopped = pin!(target.shared().wait_for_end(lifetime));
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
        let mut seen = target.shared().taken();
        loop {
            match wait(&timer, timeout, &state, &target, lifetime).await {
                Wake::Cancelled | Wake::ActorStopped => return,
                Wake::Due => {}
            }
            let Some(address) = target.upgrade() else {
                return;
            };
            let taken = target.shared().taken();
            if taken == seen {
                // A full mailbox means the actor is not idle; the next look decides.
                address.try_push_control(IdleItem { seen });
            }
            seen = taken;
        }
    };
    (handle, contained(task))
}
