//! The actor's cell: what a context and every address of its actor share, in one
//! allocation: the actor's identity, its mailbox, an out-of-band stop request, the
//! priority lane, its end (the stop reason, where `wait_for_stop` and a join handle
//! wait for it), and the runtime its context carries.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU32, AtomicU64, Ordering};
use std::task::Poll;

mod handles;

pub(crate) use handles::{Inbox, Sender, WeakSender};

use crate::backlog::{Backlog, Envelope};
use crate::exit_slot::{AfterUnlock, ExitSlot};
use crate::priority::PriorityLane;
use crate::queue::Queue;
use crate::runtime::{Carried, Custom};
use crate::sync::{Mutex, PoisonError};
use crate::{ActorId, Exit, JoinError, Mailbox, StopReason};

/// A stop request is pending.
pub(crate) const STOP: u8 = 1;
/// A kill is pending.
pub(crate) const KILL: u8 = 2;
/// A supervisor group orders a restart (a sibling failed).
pub(crate) const RESTART: u8 = 4;

/// The actor's cell: what its context and every one of its addresses point at.
///
/// Laid out in this order (`repr(C)`): the fields the loop and the senders touch on
/// every message first, so they share as few cache lines as can be.
#[repr(C)]
pub(crate) struct ActorCell<A> {
    /// The mailbox: every address sends here, the loop takes from here.
    pub(crate) mailbox: Queue<Backlog<A>>,
    /// How many messages the loop has finished handling (published after each one);
    /// the idle watchdog and a pool's least-busy routing read it.
    handled: AtomicU64,
    /// How many times a supervised actor was restarted. (Cold, but small: it fills
    /// what would be padding before `signals`.)
    restarts: AtomicU32,
    /// Out-of-band requests the loop takes between messages: [`STOP`] (from
    /// `Context::stop`, or a self-stop that finds its mailbox full) and [`KILL`].
    signals: AtomicU8,
    /// Whether the context was given a runtime (kept in `exit` while the actor may
    /// run); else it carries the built-in one. (In what would be padding.)
    custom_runtime: AtomicBool,
    /// Asked to stop for good ([`Address::shutdown`](crate::Address::shutdown)): once
    /// it stops, no supervisor restarts it. (In what would be padding.)
    stops_for_good: AtomicBool,
    /// Priority notifications, handled before the ordinary mailbox.
    priority: PriorityLane<Envelope<A>>,
    pub(crate) id: ActorId,
    /// While the actor may still run, who waits for its stop; then the stop reason,
    /// and the final state on its way to a join handle. (A mutex rather than a
    /// `OnceLock`: cheaper to set, once per actor.)
    exit: Mutex<ExitSlot<A>>,
}

impl<A: 'static> ActorCell<A> {
    pub(crate) fn new(mailbox: Mailbox) -> Arc<Self> {
        Arc::new(Self {
            id: ActorId::next(),
            mailbox: Queue::new(match mailbox {
                Mailbox::Bounded(capacity) => capacity.get(),
                Mailbox::Unbounded => usize::MAX,
            }),
            priority: PriorityLane::new(),
            handled: AtomicU64::new(0),
            signals: AtomicU8::new(0),
            custom_runtime: AtomicBool::new(false),
            stops_for_good: AtomicBool::new(false),
            restarts: AtomicU32::new(0),
            exit: Mutex::new(ExitSlot::new()),
        })
    }

    /// Queues a priority notification, boxed by `envelope` once accepted. Returns
    /// whether the lane was empty (the loop may be parked on the ordinary mailbox and
    /// needs a wake-up); hands `item` back once the lane is closed.
    pub(crate) fn push_priority<I>(
        &self,
        item: I,
        envelope: impl FnOnce(I) -> Envelope<A>,
    ) -> Result<bool, I> {
        self.priority.push(item, envelope)
    }
}

impl<A> ActorCell<A> {
    /// Whether a priority notification may be waiting.
    pub(crate) fn has_priority(&self) -> bool {
        self.priority.has_items()
    }

    /// The next priority notification, if any.
    pub(crate) fn pop_priority(&self) -> Option<Envelope<A>> {
        self.priority.pop()
    }

    /// Refuses priority notifications from now on and hands back what is queued.
    pub(crate) fn close_priority(&self) -> VecDeque<Envelope<A>> {
        self.priority.close()
    }

    /// Publishes how many messages the loop has finished handling.
    pub(crate) fn set_handled(&self, handled: u64) {
        self.handled.store(handled, Ordering::Relaxed);
    }

    /// How many messages the loop has finished handling: one being handled is not
    /// counted yet.
    pub(crate) fn handled(&self) -> u64 {
        self.handled.load(Ordering::Relaxed)
    }

    pub(crate) fn request_stop(&self) {
        self.signals.fetch_or(STOP, Ordering::AcqRel);
    }

    /// From now on, the actor's next stop is final: no supervisor restarts it.
    pub(crate) fn forbid_restarts(&self) {
        self.stops_for_good.store(true, Ordering::Release);
    }

    /// Whether the actor was asked to stop for good.
    pub(crate) fn stops_for_good(&self) -> bool {
        self.stops_for_good.load(Ordering::Acquire)
    }

    pub(crate) fn kill(&self) {
        self.signals.fetch_or(KILL, Ordering::AcqRel);
    }

    pub(crate) fn order_restart(&self) {
        self.signals.fetch_or(RESTART, Ordering::AcqRel);
    }

    /// The pending signals; stop and restart requests are taken (cleared) by this call,
    /// a kill stays.
    pub(crate) fn take_signals(&self) -> u8 {
        // A plain load first: the common answer is "none", and it needs no write to a
        // cache line that address clones also touch.
        if self.signals.load(Ordering::Acquire) == 0 {
            return 0;
        }
        self.signals.fetch_and(!(STOP | RESTART), Ordering::AcqRel)
    }

    /// A restart begins, the `restarts`-th: what the previous state attached (see
    /// [`Lifetime::State`]) is woken to end.
    pub(crate) fn begin_restart(&self, restarts: u32) {
        // Under the exit lock: a `WaitForEnd` looks at the count under it too, so it
        // either sees the new count or is registered in time to be woken.
        let wakers = {
            let exit = self.exit();
            self.restarts.store(restarts, Ordering::Relaxed);
            exit.wakers()
        };
        wakers.into_iter().for_each(std::task::Waker::wake);
    }

    /// What something attached now lives as long as: the actor before it runs
    /// (`running` false), else its current state.
    pub(crate) fn lifetime(&self, running: bool) -> Lifetime {
        if running {
            Lifetime::State(self.restarts())
        } else {
            Lifetime::Actor
        }
    }

    pub(crate) fn restarts(&self) -> u32 {
        self.restarts.load(Ordering::Relaxed)
    }

    /// Records the stop reason and wakes every `wait_for_stop` (and a join handle, which
    /// gets no final state). Only the first call counts.
    pub(crate) fn finish(&self, reason: StopReason) {
        let after = self.exit().publish(reason);
        self.after_unlock(after);
    }

    /// Records the stop reason of `exit` and hands its final state to the join handle
    /// (dropped here if the handle is gone), then wakes both.
    pub(crate) fn deliver(&self, exit: Exit<A>) {
        let after = self.exit().deliver(exit);
        self.after_unlock(after);
    }

    fn after_unlock(&self, after: AfterUnlock<A>) {
        let AfterUnlock {
            wake,
            watchers,
            orphan,
            runtime,
        } = after;
        watchers.wake_all();
        if let Some(waker) = wake {
            waker.wake();
        }
        // A detached actor's state: dropped in its own task, after its stop is published
        // (a panic in its `Drop` is contained; the stop reason is already out).
        let _ = crate::panic::drop_contained(orphan);
        if let Some(runtime) = runtime {
            let_go(runtime);
        }
    }

    /// Whether the context was given a runtime (else it carries the built-in one, if
    /// any).
    #[inline]
    pub(crate) fn has_custom_runtime(&self) -> bool {
        self.custom_runtime.load(Ordering::Acquire)
    }

    /// The context carries `runtime` from now on (before the actor runs); hands it back
    /// when it was given one before.
    pub(crate) fn carry(&self, runtime: Custom) -> Result<(), Custom> {
        self.exit().carry(runtime)?;
        self.custom_runtime.store(true, Ordering::Release);
        Ok(())
    }

    /// The runtime the context carries; `None` when there is none to use: in a build
    /// without a built-in runtime when none was given, or once the actor stopped (a
    /// given runtime is let go of then).
    #[inline]
    pub(crate) fn runtime(&self) -> Option<Carried> {
        if self.has_custom_runtime() {
            return self.exit().runtime().cloned().map(Carried::Custom);
        }
        #[cfg(any(feature = "tokio", feature = "smol"))]
        return Some(Carried::Builtin);
        #[cfg(not(any(feature = "tokio", feature = "smol")))]
        None
    }

    /// A join handle will wait for the final state (see [`poll_join`](Self::poll_join)).
    pub(crate) fn expect_join(&self) {
        self.exit().expect_handle();
    }

    /// The join handle's poll: the final state once delivered, [`JoinError`] once the
    /// actor stopped without delivering it (its run future was dropped first).
    pub(crate) fn poll_join(
        &self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<Exit<A>, JoinError>> {
        self.exit().poll_join(cx.waker())
    }

    /// The join handle is gone: a final state delivered to it is dropped here, a later
    /// one by the actor's task.
    pub(crate) fn drop_join(&self) {
        let delivered = self.exit().drop_handle();
        drop(delivered);
    }

    /// The actor's end, locked. Nothing runs user code under this lock.
    fn exit(&self) -> crate::sync::MutexGuard<'_, ExitSlot<A>> {
        self.exit.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the actor's stop is published.
    pub(crate) fn has_exited(&self) -> bool {
        self.exit().reason().is_some()
    }

    /// The stop reason, once the stop is published.
    pub(crate) fn stop_reason(&self) -> Option<StopReason> {
        self.exit().reason().cloned()
    }

    /// Waits until the actor has stopped. Waker-based: never spins; cancel safe (a
    /// dropped future gives up its place).
    pub(crate) fn wait_for_exit(&self) -> WaitForExit<'_, A> {
        WaitForExit {
            cell: self,
            key: None,
        }
    }

    /// Waits until `lifetime` is over: the actor has stopped, or (for a state's
    /// lifetime) that state was replaced by a restart. Cancel safe, as
    /// [`wait_for_exit`](Self::wait_for_exit).
    pub(crate) fn wait_for_end(&self, lifetime: Lifetime) -> WaitForEnd<'_, A> {
        WaitForEnd {
            exit: self.wait_for_exit(),
            lifetime,
        }
    }

    /// Whether `lifetime` is still going on (the actor may still run and, for a
    /// state's lifetime, that state is the current one).
    pub(crate) fn lives(&self, lifetime: Lifetime) -> bool {
        let exit = self.exit();
        exit.reason().is_none() && self.state_lives(lifetime)
    }

    fn state_lives(&self, lifetime: Lifetime) -> bool {
        match lifetime {
            Lifetime::Actor => true,
            Lifetime::State(restarts) => self.restarts() == restarts,
        }
    }
}

/// Lets go of the runtime given to a context that stopped: the last clone runs the
/// runtime's `Drop` (user code, contained), outside the lock.
#[cold]
#[inline(never)]
fn let_go(runtime: Box<Custom>) {
    let _ = crate::panic::drop_contained(runtime);
}

/// What something attached to an actor (a timer, a stream, a monitor, an idle
/// watchdog) lives as long as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lifetime {
    /// The actor: attached before it ran, it ends when the actor stops.
    Actor,
    /// One state of the actor, named by the restarts before it: attached by that
    /// state (in a hook or a handler), it ends when the state does, at a restart or
    /// at the stop.
    State(u32),
}

/// The future of [`ActorCell::wait_for_end`].
pub(crate) struct WaitForEnd<'a, A> {
    exit: WaitForExit<'a, A>,
    lifetime: Lifetime,
}

impl<A> Future for WaitForEnd<'_, A> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        let exit = &mut this.exit;
        let mut slot = exit.cell.exit();
        if !exit.cell.state_lives(this.lifetime) {
            return Poll::Ready(());
        }
        match slot.watch(&mut exit.key, cx.waker()) {
            Some(_) => {
                exit.key = None;
                Poll::Ready(())
            }
            None => Poll::Pending,
        }
    }
}

/// The future of [`ActorCell::wait_for_exit`].
pub(crate) struct WaitForExit<'a, A> {
    cell: &'a ActorCell<A>,
    /// Its place among the watchers, once it has waited.
    key: Option<usize>,
}

impl<A> Future for WaitForExit<'_, A> {
    type Output = StopReason;

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> Poll<StopReason> {
        let this = self.get_mut();
        match this.cell.exit().watch(&mut this.key, cx.waker()) {
            Some(reason) => {
                // The stop took the watchers with it: no place to give up.
                this.key = None;
                Poll::Ready(reason)
            }
            None => Poll::Pending,
        }
    }
}

impl<A> Drop for WaitForExit<'_, A> {
    fn drop(&mut self) {
        if let Some(key) = self.key {
            self.cell.exit().unwatch(key);
        }
    }
}
