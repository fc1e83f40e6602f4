//! [`System`]: the actors of the process, tracked from the moment each is made, so that
//! `main` can stop them all in order (children before parents) and wait for them
//! before it returns.
//!
//! Tracking is process-wide, and costs nothing without a `System`: making a context and
//! ending an actor each read one relaxed flag. With one, every context made registers
//! its actor here (one lock, one map entry) with its parent (the actor whose code made
//! it, which the re-entrancy mark knows), and every actor's end removes it.

use std::collections::HashMap;
use std::fmt;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};

use tokio::sync::Notify;

use crate::cell::ActorCell;
use crate::envelope::Control;
use crate::{Actor, ActorId, Exit, StopReason, reentrancy};

/// Whether a [`System`] exists: read (relaxed) where a context is made and where an
/// actor ends, so that without a system tracking costs that load and nothing more.
static TRACKING: AtomicBool = AtomicBool::new(false);

/// The system, while one exists (every [`System`] handle is a clone of it).
static CURRENT: Mutex<Weak<Inner>> = Mutex::new(Weak::new());

/// Every actor of this process made while it exists, tracked until it stops, to shut
/// them all down in order: **children before parents**, waiting for each.
///
/// Returning from `main` does not wait for actors: their tasks are dropped with the
/// runtime, and their async [`stopped`](crate::Actor::stopped) hooks never run. Make a
/// `System` first thing in `main`, and await [`shutdown`](System::shutdown) last:
///
/// ```
/// use messages::System;
/// use messages::prelude::*;
///
/// struct Journal(Vec<String>);
///
/// impl Actor for Journal {
///     async fn stopped(&mut self) {
///         // An async hook: it runs before `shutdown` returns.
///         println!("flushed {} lines", self.0.len());
///     }
/// }
///
/// impl Notifiable<String> for Journal {
///     async fn notify(&mut self, line: String, _: &Context<Self>) {
///         self.0.push(line);
///     }
/// }
///
/// # futures::executor::block_on(async {
/// let system = System::new();
/// // Run by hand here (any executor); `spawn()` is tracked the same way.
/// let context = Context::new();
/// let journal = context.address();
/// let main = async {
///     journal.notify("hello".to_owned()).await?;
///     // Stops every actor, however many addresses of it are still around.
///     let report = system.shutdown().await;
///     assert_eq!(report.stopped, 1);
///     assert!(report.is_clean());
///     Ok::<_, SendError>(())
/// };
/// let (main, exit) = futures::join!(main, context.run(Journal(Vec::new())));
/// main.unwrap();
/// assert_eq!(exit.reason, StopReason::Requested);
/// assert_eq!(exit.actor.0, ["hello"]);
/// # });
/// ```
///
/// # What is tracked
///
/// Every actor whose [`Context`](crate::Context) is made, in this process, while a
/// `System` exists: every way of starting one makes one ([`Actor::spawn`] and the
/// typed `spawn()`, `spawn_on`, `spawn_supervised`, a
/// [`SupervisorGroup`](crate::supervision::SupervisorGroup)'s children, a
/// [`Registry`](crate::registry::Registry) service, `prepare()` or
/// [`Context::new`](crate::Context::new) then [`run`](crate::Context::run)), on any
/// executor. An actor's **parent** is the actor whose code (a handler, a hook, a
/// factory) made its context; an actor made outside any actor (in `main`, in a plain
/// task) is a root. A supervised actor is one actor across its restarts. Actors made
/// before the `System` are not tracked.
///
/// It is **process-wide**: there is one tracking per process. `System::new()` while
/// one exists returns another handle on it, as [`clone`](Clone::clone) does; tracking
/// ends when the last handle is dropped (the actors run on, untracked). A shutdown
/// stops every tracked actor of the process, whoever made it: tests that run in
/// parallel threads of one process must not make a `System` unless they run one at a
/// time (give them a test binary of their own).
///
/// # Bounding the shutdown
///
/// A shutdown waits for every actor to stop, and an actor stops between handlers: one
/// whose handler or hook never returns keeps the shutdown waiting. Bound it with any
/// timeout, then [`kill_all`](System::kill_all): the actors stop after their running
/// handler, without their backlog (their `stopped` hooks still run). Nothing stops a
/// handler that never returns but dropping its task (as the runtime does once `main`
/// returns): bound the second wait too where that can happen.
///
/// ```
/// use std::time::Duration;
/// use messages::System;
///
/// # #[cfg(feature = "tokio")]
/// #[tokio::main]
/// async fn main() {
///     let system = System::new();
///     // ... the program ...
///     let report = match tokio::time::timeout(Duration::from_secs(5), system.shutdown()).await {
///         Ok(report) => report,
///         Err(_elapsed) => {
///             system.kill_all();
///             system.shutdown().await
///         }
///     };
///     assert!(report.is_clean());
/// }
/// # #[cfg(not(feature = "tokio"))]
/// # fn main() {}
/// ```
pub struct System {
    inner: Arc<Inner>,
}

impl System {
    /// Starts tracking every actor made from now on in this process, or, while a
    /// `System` exists, returns another handle on it.
    pub fn new() -> Self {
        let mut current = CURRENT.lock().unwrap_or_else(PoisonError::into_inner);
        // The current system has a handle: its last one lets go of it under this lock.
        let inner = match current.upgrade() {
            Some(inner) => inner,
            None => {
                let inner = Arc::new(Inner::default());
                *current = Arc::downgrade(&inner);
                TRACKING.store(true, Ordering::Relaxed);
                inner
            }
        };
        inner.handles.fetch_add(1, Ordering::Relaxed);
        Self { inner }
    }

    /// How many tracked actors have not stopped yet.
    pub fn running(&self) -> usize {
        self.inner.table().actors.len()
    }

    /// Stops every tracked actor **for good**, children before parents, and waits until
    /// all have stopped (each one's stop published: its
    /// [`stop_reason`](crate::Address::stop_reason) is there); returns what stopped, and
    /// what did not stop cleanly.
    ///
    /// Each actor is asked to stop once every tracked child it has has stopped (a leaf
    /// at once): as [`Address::shutdown`](crate::Address::shutdown), no supervisor
    /// restarts it, whatever its policy. The stop takes effect between handlers, like
    /// [`Context::stop`](crate::Context::stop): what the actor already queued is still
    /// handled, nothing new gets in, then its `stopped` hook runs (a
    /// [`Restart::Permanent`](crate::supervision::Restart::Permanent) actor stops at once,
    /// as with `Address::shutdown`, and its backlog is refused). So a parent's
    /// `stopped` hook runs after its children's have returned and their stops are
    /// published.
    ///
    /// **It cannot be refused**: [`stopping`](crate::Actor::stopping) runs, as for any
    /// stop, but [`ActorAction::KeepRunning`](crate::ActorAction::KeepRunning) does not
    /// keep the actor running. A refusal would keep the shutdown, and so `main`, waiting
    /// without a word, and the actor's parents running; `stopping` stays the place to
    /// prepare for the stop.
    ///
    /// Actors made during the shutdown are tracked and waited for too. One made by an
    /// actor still running (not asked yet) delays that actor until it has stopped; one
    /// made once its parent was asked (in a `stopped` hook, say) is asked at once, as
    /// it starts. An actor that is asked at once has no children yet: those it makes
    /// later are waited for, but may stop after it. The shutdown is for good: from its
    /// first call, every actor made while this system exists stops as soon as it has
    /// started (drop every handle, then `System::new()` tracks afresh).
    ///
    /// Awaited inside an actor, it would wait for that actor too: await it from `main`
    /// (or a task outside every actor). An actor whose context is made but never run (a
    /// `prepare()`d future nobody polls, the children of a group never started) keeps it
    /// waiting until that context is dropped.
    ///
    /// # Cancel safety
    ///
    /// The shutdown goes on without the future: every actor is still asked in order, and
    /// actors made later are asked as they start. Awaiting `shutdown` again waits for
    /// the rest; the report then counts from the first call.
    pub async fn shutdown(&self) -> ShutdownReport {
        let leaves: Vec<Box<dyn Tracked>> = {
            let mut table = self.inner.table();
            table.shutting_down = true;
            table
                .actors
                .values_mut()
                .filter(|entry| entry.children == 0 && !entry.asked)
                .map(|entry| {
                    entry.asked = true;
                    entry.cell.handle()
                })
                .collect()
        };
        // Outside the lock: asking wakes the actors' tasks.
        for leaf in leaves {
            leaf.ask();
        }
        loop {
            let mut emptied = pin!(self.inner.emptied.notified());
            emptied.as_mut().enable();
            {
                let table = self.inner.table();
                if table.all_published() {
                    return table.report.clone();
                }
            }
            emptied.await;
        }
    }

    /// Kills every tracked actor now ([`Address::kill`](crate::Address::kill)), in no
    /// order: each stops once its running handler returns, its backlog refused, and
    /// no supervisor restarts it. It does not wait: await [`shutdown`](System::shutdown)
    /// for that (see [Bounding the shutdown](System#bounding-the-shutdown)). Actors made
    /// later are not killed.
    pub fn kill_all(&self) {
        let cells: Vec<Box<dyn Tracked>> = self
            .inner
            .table()
            .actors
            .values()
            .map(|entry| entry.cell.handle())
            .collect();
        for cell in cells {
            cell.kill();
        }
    }
}

impl Default for System {
    fn default() -> Self {
        Self::new()
    }
}

impl Clone for System {
    fn clone(&self) -> Self {
        self.inner.handles.fetch_add(1, Ordering::Relaxed);
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl Drop for System {
    fn drop(&mut self) {
        let mut current = CURRENT.lock().unwrap_or_else(PoisonError::into_inner);
        // The last handle: tracking ends now, even while the actors' own code still
        // holds the system for a moment (ending one, say), and the next `System::new`
        // starts afresh rather than finding this one.
        if self.inner.handles.fetch_sub(1, Ordering::Relaxed) == 1 {
            *current = Weak::new();
            TRACKING.store(false, Ordering::Relaxed);
        }
    }
}

impl fmt::Debug for System {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let table = self.inner.table();
        f.debug_struct("System")
            .field("running", &table.actors.len())
            .field("shutting_down", &table.shutting_down)
            .finish_non_exhaustive()
    }
}

/// What [`System::shutdown`] tells: how many actors stopped, and which of them did not
/// stop cleanly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ShutdownReport {
    /// How many tracked actors stopped since the shutdown began (asked by it, or
    /// stopping on their own meanwhile).
    pub stopped: usize,
    /// Those that did not stop on request or with their last address
    /// ([`StopReason::Requested`], [`StopReason::AddressesDropped`]): a hook that
    /// panicked (`stopped` too), a kill, a spent restart budget, a dropped run future.
    pub unclean: Vec<UncleanStop>,
}

impl ShutdownReport {
    /// Whether every actor stopped cleanly.
    pub fn is_clean(&self) -> bool {
        self.unclean.is_empty()
    }
}

/// An actor that did not stop cleanly during a [`System::shutdown`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UncleanStop {
    /// The actor.
    pub id: ActorId,
    /// Its type's name ([`std::any::type_name`]).
    pub actor: &'static str,
    /// Why it stopped.
    pub reason: StopReason,
}

/// What a system shares between its handles and the actors it tracks.
#[derive(Default)]
struct Inner {
    /// How many [`System`] handles there are (changed under the `CURRENT` lock but
    /// for clones, which cannot bring it to or from zero).
    handles: AtomicUsize,
    table: Mutex<Table>,
    /// Told when a shutdown's last actor has stopped (its stop published).
    emptied: Notify,
}

impl Inner {
    /// The table, locked. Nothing runs user code under this lock, nor wakes a task.
    fn table(&self) -> MutexGuard<'_, Table> {
        // Every update is a few field writes and one map insert or remove: a panic
        // elsewhere cannot leave the table half-written.
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[derive(Default)]
struct Table {
    /// The actors that have not stopped yet: an actor leaves as it ends, just before
    /// its stop is published.
    actors: HashMap<ActorId, Entry>,
    /// How many actors have left `actors` and not yet followed up their end (their
    /// stop is being published): a shutdown waits for them too.
    publishing: usize,
    /// A shutdown began: actors are asked to stop as their children allow.
    shutting_down: bool,
    report: ShutdownReport,
}

impl Table {
    /// Whether every actor has stopped and published its stop: a shutdown is over.
    fn all_published(&self) -> bool {
        self.actors.is_empty() && self.publishing == 0
    }
}

/// One tracked actor.
struct Entry {
    /// The actor's cell, removed with the entry when the actor stops (before its
    /// context lets go of the cell).
    cell: Box<dyn Tracked>,
    actor: &'static str,
    /// Its parent, while the parent is tracked.
    parent: Option<ActorId>,
    /// How many tracked children it has whose stop is not published yet: a child
    /// counts until its end's follow-up, after its publication, though it leaves
    /// `actors` before.
    children: usize,
    /// The system asked it to stop (its `stopping` cannot refuse).
    asked: bool,
}

/// What the system does to an actor, whatever its type.
///
/// Implemented for the `Arc` of the actor's cell rather than for the cell: a trait
/// object's table names its type's `drop_in_place`, and naming the cell's (which every
/// spawn's code otherwise inlines) would change how the code of every spawn is built.
trait Tracked: Send + Sync {
    /// Asks it to stop for good, out of band (as [`Context::stop`](crate::Context::stop)).
    fn ask(&self);
    /// Kills it, for good.
    fn kill(&self);
    /// Another handle on the same actor, to act on it outside the lock.
    fn handle(&self) -> Box<dyn Tracked>;
}

impl<A: Actor> Tracked for Arc<ActorCell<A>> {
    fn ask(&self) {
        self.forbid_restarts();
        self.request_stop();
        // Wakes a loop parked on an empty mailbox; a full one is busy and will look.
        let _ = self.mailbox.try_push(Control::Wake);
    }

    fn kill(&self) {
        self.forbid_restarts();
        ActorCell::kill(self);
        let _ = self.mailbox.try_push(Control::Wake);
    }

    fn handle(&self) -> Box<dyn Tracked> {
        Box::new(Arc::clone(self))
    }
}

/// The system, if one exists.
fn current() -> Option<Arc<Inner>> {
    CURRENT
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .upgrade()
}

/// Tracks the actor whose context was just made with `cell`, if a system exists.
///
/// Inline, the check alone: what it does with a system is out of line, so the code
/// around it (every spawn) is built as it would be without it.
#[inline(always)]
pub(crate) fn track<A: Actor>(cell: &Arc<ActorCell<A>>) {
    if TRACKING.load(Ordering::Relaxed) {
        track_cell(cell);
    }
}

#[cold]
#[inline(never)]
fn track_cell<A: Actor>(cell: &Arc<ActorCell<A>>) {
    track_slow(
        cell.id,
        std::any::type_name::<A>(),
        Box::new(Arc::clone(cell)),
    );
}

#[cold]
#[inline(never)]
fn track_slow(id: ActorId, actor: &'static str, cell: Box<dyn Tracked>) {
    let Some(inner) = current() else {
        return;
    };
    let parent = reentrancy::waiter().map(|waiter| waiter.actor);
    let ask = {
        let mut table = inner.table();
        let parent = parent.filter(|parent| match table.actors.get_mut(parent) {
            Some(entry) => {
                entry.children += 1;
                true
            }
            None => false,
        });
        // Made during a shutdown: it has no children yet, so it is asked at once (it
        // stops once it has started).
        let asked = table.shutting_down;
        let handle = asked.then(|| cell.handle());
        let entry = Entry {
            cell,
            actor,
            parent,
            children: 0,
            asked,
        };
        table.actors.insert(id, entry);
        handle
    };
    if let Some(cell) = ask {
        cell.ask();
    }
}

/// The actor `id` has stopped for good, for `reason`: it is no longer tracked. Called
/// by [`end`] just before the stop is published, so that whoever hears of the stop
/// (`wait_for_stop`, a join handle, a monitor) finds the actor untracked
/// ([`System::running`] no longer counts it). What the end sets off waits for
/// [`Ended::follow_up`], after the publication: only then does its parent count one
/// child fewer (and is asked to stop if that was its last), and does a shutdown count
/// it as over, so that neither a parent's `stopped` hook nor the return of `shutdown`
/// comes before a child's stop is published. Inline, the check alone, as [`track`].
#[inline(always)]
fn ended(id: ActorId, reason: &StopReason) -> Ended {
    if TRACKING.load(Ordering::Relaxed) {
        return ended_slow(id, reason);
    }
    Ended(None)
}

/// Ends actor `id`, in the one order every end keeps: the system stops tracking it
/// ([`ended`]), `publish` publishes the stop (to `wait_for_stop`, a join handle,
/// monitors) with `stop`, its reason or the exit that carries it, then what the end
/// sets off follows ([`Ended::follow_up`]). Inline, as [`ended`]: each ending compiles
/// as if it were written out. (Not inside `ActorCell::after_unlock`, which `finish`
/// and `deliver` share: there it changes how the code of every spawn is inlined, for
/// 2.4% more instructions on the spawn benchmark.)
///
/// Every publication of the stop of an actor that has a context goes through here,
/// once: the run's three endings (`Join`, `Deliver`, `Detach`), `abandon` (a first
/// state that could not be built), and the context's `Drop` (never run, or its run
/// future dropped), which publishes only if none of those did. (A proxy's and a
/// pool's own stops are published without it: neither has a context, so neither is
/// tracked; a pool's workers are actors, and end here.)
#[inline(always)]
pub(crate) fn end<S: Stop>(id: ActorId, stop: S, publish: impl FnOnce(S)) {
    let ended = ended(id, stop.reason());
    publish(stop);
    ended.follow_up();
}

/// What an end publishes: the stop reason, or the whole exit (for a join handle).
pub(crate) trait Stop {
    fn reason(&self) -> &StopReason;
}

impl Stop for StopReason {
    #[inline(always)]
    fn reason(&self) -> &StopReason {
        self
    }
}

impl<A> Stop for Exit<A> {
    #[inline(always)]
    fn reason(&self) -> &StopReason {
        &self.reason
    }
}

/// What an actor's end sets off, once its stop is published: `None` when the actor
/// was not tracked.
#[must_use = "`follow_up` once the stop is published"]
struct Ended(Option<Box<FollowUp>>);

/// The end of a tracked actor, untracked and counted in [`Table::publishing`] until
/// this runs.
struct FollowUp {
    inner: Arc<Inner>,
    /// Its parent, if tracked when the child was made: it counts this child until now.
    parent: Option<ActorId>,
}

impl Ended {
    /// The stop is published: the parent counts one child fewer (and is asked to stop,
    /// if that was its last during a shutdown), and a shutdown hears of its last actor.
    #[inline(always)]
    fn follow_up(self) {
        if let Some(follow_up) = self.0 {
            (*follow_up).run();
        }
    }
}

impl FollowUp {
    #[cold]
    #[inline(never)]
    fn run(self) {
        let (parent, emptied) = {
            let mut table = self.inner.table();
            table.publishing -= 1;
            let shutting_down = table.shutting_down;
            // The parent may have ended meanwhile (on its own): then nobody waits.
            let parent = self
                .parent
                .and_then(|parent| table.actors.get_mut(&parent))
                .and_then(|parent| {
                    parent.children -= 1;
                    let ready = shutting_down && parent.children == 0 && !parent.asked;
                    parent.asked |= ready;
                    ready.then(|| parent.cell.handle())
                });
            (parent, shutting_down && table.all_published())
        };
        // Outside the lock: asking wakes the parent's task, and telling wakes the shutdown.
        if let Some(parent) = parent {
            parent.ask();
        }
        if emptied {
            self.inner.emptied.notify_waiters();
        }
    }
}

#[cold]
#[inline(never)]
fn ended_slow(id: ActorId, reason: &StopReason) -> Ended {
    let Some(inner) = current() else {
        return Ended(None);
    };
    let entry = {
        let mut table = inner.table();
        // Not tracked (made before this system), or already ended: one end per actor.
        let Some(entry) = table.actors.remove(&id) else {
            return Ended(None);
        };
        table.publishing += 1;
        if table.shutting_down {
            table.report.stopped += 1;
            if !matches!(reason, StopReason::Requested | StopReason::AddressesDropped) {
                let actor = entry.actor;
                let reason = reason.clone();
                table.report.unclean.push(UncleanStop { id, actor, reason });
            }
        }
        entry
    };
    let parent = entry.parent;
    // Outside the lock, what the entry held.
    drop(entry);
    Ended(Some(Box::new(FollowUp { inner, parent })))
}

/// Whether the system asked actor `id` to stop: its `stopping` hook cannot refuse.
pub(crate) fn insists(id: ActorId) -> bool {
    TRACKING.load(Ordering::Relaxed)
        && current().is_some_and(|inner| inner.table().actors.get(&id).is_some_and(|e| e.asked))
}

/// Whether a system tracks actor `id`: for the debug check that an actor whose stop is
/// published is no longer tracked (every ending went through [`end`]).
#[cfg(debug_assertions)]
pub(crate) fn tracks(id: ActorId) -> bool {
    TRACKING.load(Ordering::Relaxed)
        && current().is_some_and(|inner| inner.table().actors.contains_key(&id))
}
