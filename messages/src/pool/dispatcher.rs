//! The pool's dispatcher: the task that takes each item from the pool's mailbox and
//! moves it, unboxed and whatever its type, into the mailbox of the worker its routing
//! chooses. It runs no user code: requests keep their reply channels on the way, so
//! the worker answers the caller directly.

use std::sync::Arc;

use super::routing::{Load, Router, Routing};
use super::workers::Workers;
use crate::backlog::{Backlog, FrontOf};
use crate::cell::{ActorCell, Inbox, KILL, STOP};
use crate::envelope::{Control, Kind};
use crate::queue::{Refused, WaitForRoom};
use crate::{Actor, Address, StopReason, WeakAddress};

/// A worker as the dispatcher sees it.
struct Slot<A> {
    address: Address<A>,
    /// Messages handed to it so far.
    handed: u64,
}

impl<A> Load for Slot<A> {
    fn load(&self) -> u64 {
        // What it has handled may include messages sent to it directly, not through
        // the pool: never below zero.
        self.handed.saturating_sub(self.address.cell().handled())
    }
}

/// How the pool's loop ended.
enum End {
    /// Stopped (asked, or every address gone): the workers finish what they have.
    Stop(StopReason),
    /// Killed: so are the workers.
    Kill,
}

/// Finishes the pool's cell if its dispatcher is dropped before it did (its runtime
/// shut down): `wait_for_stop` on the pool returns [`StopReason::Cancelled`] then, as
/// for an actor whose run future is dropped. (Only the first finish counts.)
struct FinishOnDrop<A: 'static>(Arc<ActorCell<A>>);

impl<A: 'static> Drop for FinishOnDrop<A> {
    fn drop(&mut self) {
        self.0.finish(StopReason::Cancelled);
    }
}

/// Routes the pool's mailbox until the pool stops, then stops the workers (killed, if
/// the pool was), waits for them and for those that left the pool before, and
/// publishes the pool's stop reason.
pub(super) async fn dispatch<A: Actor>(
    cell: Arc<ActorCell<A>>,
    mut inbox: Inbox<A>,
    workers: Arc<Workers<A>>,
    routing: Routing,
) {
    let finish = FinishOnDrop(Arc::clone(&cell));
    let mut router = Router::new(routing);
    let mut slots = Slots::default();
    let mut hand = Backlog::default();
    let end = loop {
        let signals = cell.take_signals();
        if signals & KILL != 0 {
            break End::Kill;
        }
        if signals & STOP != 0 {
            break End::Stop(StopReason::Requested);
        }
        let Some(next) = inbox.next().await else {
            break End::Stop(StopReason::AddressesDropped);
        };
        if next == Kind::Control {
            match inbox.take_control() {
                Some(Control::Stop) => break End::Stop(StopReason::Requested),
                // A wake-up: a kill's (the next turn sees it), or a worker's watcher's,
                // as the worker stopped.
                Some(Control::Wake) => match slots.leave_stopped(&workers).await {
                    Ok(()) => continue,
                    Err(reason) => break End::Stop(reason),
                },
                // An idle watchdog's tick, which a pool does not have.
                Some(Control::Idle { .. }) | None => continue,
            }
        }
        inbox.take_into(&mut hand);
        if let Err(reason) = slots.hand_on(&mut hand, &mut router, &workers).await {
            break End::Stop(reason);
        }
    };
    // What the pool still holds is refused: requesters learn it at once
    // (`Unanswered`). A message's `Drop` is user code: a panic in it is contained.
    let _ = crate::panic::drop_contained(hand);
    drop(inbox);
    let remaining = workers.close();
    for worker in &remaining {
        match end {
            End::Kill => worker.kill(),
            End::Stop(_) => worker.shutdown().await,
        }
    }
    // Those that left already stop for good; a kill cuts their stop short too.
    let left = std::mem::take(&mut slots.left);
    if let End::Kill = end {
        left.iter().for_each(Address::kill);
    }
    // The pool's stop is published after every worker's, those that left included.
    for worker in remaining.iter().chain(&left) {
        worker.wait_for_stop().await;
    }
    cell.finish(match end {
        End::Kill => StopReason::Killed,
        End::Stop(reason) => reason,
    });
    drop(finish);
}

/// The dispatcher's copy of the worker list, refreshed when the list changes.
struct Slots<A> {
    version: Option<u64>,
    slots: Vec<Slot<A>>,
    /// The workers that left the pool (stopped for good, or stopping: a worker leaves
    /// once it is disconnected) whose stop may not be published yet: the pool's stop
    /// waits for theirs.
    left: Vec<Address<A>>,
}

impl<A> Default for Slots<A> {
    fn default() -> Self {
        Self {
            version: None,
            slots: Vec::new(),
            left: Vec::new(),
        }
    }
}

impl<A: Actor> Slots<A> {
    /// Looks at the list again if it changed, keeping what each worker was handed.
    fn refresh(&mut self, workers: &Workers<A>) {
        if self.version == Some(workers.version()) {
            return;
        }
        let (version, list) = workers.snapshot();
        let mut old = std::mem::take(&mut self.slots);
        self.slots = list
            .into_iter()
            .map(|address| {
                let handed = old
                    .iter()
                    .position(|slot| slot.address == address)
                    .map_or(0, |index| old.swap_remove(index).handed);
                Slot { address, handed }
            })
            .collect();
        self.version = Some(version);
    }

    /// Moves the item in `hand` to the worker the routing chooses, waiting for room in
    /// its mailbox if it is full. A worker that has stopped for good leaves the pool and
    /// the item goes to another; when none is left, the last one's stop reason.
    async fn hand_on(
        &mut self,
        hand: &mut Backlog<A>,
        router: &mut Router,
        workers: &Workers<A>,
    ) -> Result<(), StopReason> {
        loop {
            self.refresh(workers);
            if self.slots.is_empty() {
                // Reached only once the last worker left, which is then stopped.
                return Err(StopReason::Requested);
            }
            let index = router.choose(&self.slots);
            let mailbox = &self.slots[index].address.cell().mailbox;
            let handed = match mailbox.try_put(FrontOf(hand)) {
                Ok(()) => Ok(()),
                Err(Refused::Full(_)) => Err(true),
                Err(Refused::Closed(_)) => Err(false),
            };
            let handed = match handed {
                Ok(()) => true,
                Err(full) => full && WaitForRoom::new(mailbox, FrontOf(hand)).await.is_ok(),
            };
            if handed {
                self.slots[index].handed += 1;
                return Ok(());
            }
            // Stopped for good (its budget spent, or stopped by its own address).
            self.leave(index, workers).await?;
        }
    }

    /// The worker at `index` has stopped for good, or is stopping: it leaves the pool.
    /// When it was the last, its stop reason, which is the pool's.
    async fn leave(&mut self, index: usize, workers: &Workers<A>) -> Result<(), StopReason> {
        let gone = self.slots.remove(index).address;
        workers.remove(gone.id());
        if self.slots.is_empty() && workers.len() == 0 {
            return Err(gone.wait_for_stop().await);
        }
        // Kept until its stop is published (those already published are let go).
        self.left.retain(|worker| worker.stop_reason().is_none());
        self.left.push(gone);
        Ok(())
    }

    /// Every worker that has stopped for good, or is stopping, leaves the pool (see
    /// [`leave`](Slots::leave)).
    async fn leave_stopped(&mut self, workers: &Workers<A>) -> Result<(), StopReason> {
        self.refresh(workers);
        while let Some(index) = self.slots.iter().position(|slot| !slot.address.connected()) {
            self.leave(index, workers).await?;
        }
        Ok(())
    }
}

/// Watches one worker for the pool: once it has stopped for good, wakes the pool's
/// dispatcher, which then drops it (and stops, if it was the last). Holds the pool
/// weakly: a watcher does not keep the pool alive.
pub(super) async fn watch<A: Actor>(worker: Address<A>, pool: WeakAddress<A>) {
    worker.wait_for_stop().await;
    drop(worker);
    if let Some(pool) = pool.upgrade() {
        // A full mailbox: the dispatcher is busy and sees the worker gone when it
        // next hands a message to it.
        pool.try_push_control(Control::Wake);
    }
}
