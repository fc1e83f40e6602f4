//! Which actors wait on which: the graph that catches requests that would deadlock.
//!
//! An actor whose handler (or hook) awaits another actor cannot handle anything else
//! until that wait ends: for the answer to a request, or for room in a full mailbox.
//! Every such wait made from inside an actor (the thread is marked, see `reentrancy`) is
//! an edge "waiter -> target" here for as long as it lasts. A new wait whose target
//! already reaches the waiter through these edges closes a cycle that can never
//! unwind, and is refused with [`SendError::WouldDeadlock`](crate::SendError::WouldDeadlock)
//! instead: a request to oneself, two actors requesting each other (whether or not one
//! is answering the other's request), or any longer ring.
//!
//! Reads are the one exception to "a waiting actor handles nothing else": an actor
//! whose waits all come from read handlers still admits other reads beside them, so a
//! read reaching it is not stuck behind those waits.
//!
//! Waits from outside any actor never close a cycle and never touch the graph. The
//! check and the registration happen under one lock, so two actors starting to wait
//! on each other at once cannot both get in.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, PoisonError};

use crate::ActorId;

/// Who would wait: the actor whose code the thread runs, and whether that code is one
/// of its read handlers (which run beside other reads).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Waiter {
    pub(crate) actor: ActorId,
    pub(crate) reading: bool,
}

/// A wait of one actor on another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Edge {
    target: ActorId,
    /// The waiting code is a read handler: the waiter still admits reads.
    from_read: bool,
    /// What waits at the target is a read request (else an exclusive message, or room).
    read: bool,
}

/// The waits in progress, by waiting actor.
static WAITS: LazyLock<Mutex<HashMap<ActorId, Vec<Edge>>>> = LazyLock::new(Mutex::default);

fn waits() -> MutexGuard<'static, HashMap<ActorId, Vec<Edge>>> {
    // Every update is one push or one removal: a panic cannot leave it half-written
    // (and no user code runs under the lock).
    WAITS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A wait in progress, registered until it ends: when the first of its handles is
/// dropped (the waiting future's, or the request's in the target's mailbox, which is
/// dropped once the answer is sent or the request refused).
#[derive(Debug)]
pub(crate) struct Wait(Arc<Registered>);

#[derive(Debug)]
struct Registered {
    waiter: ActorId,
    edge: Edge,
    ended: AtomicBool,
}

impl Wait {
    /// A second handle on the same wait, to travel with the request.
    pub(crate) fn share(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl Drop for Wait {
    fn drop(&mut self) {
        if self.0.ended.swap(true, Ordering::AcqRel) {
            return;
        }
        let Registered { waiter, edge, .. } = &*self.0;
        let mut waits = waits();
        if let Some(edges) = waits.get_mut(waiter) {
            if let Some(place) = edges.iter().position(|kept| kept == edge) {
                edges.swap_remove(place);
            }
            if edges.is_empty() {
                waits.remove(waiter);
            }
        }
    }
}

/// The cycle a wait would close, refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WouldDeadlock;

/// Starts a wait of `waiter` on `target`: registered until the returned [`Wait`] is
/// dropped; `None` when there is no waiter (the thread runs no actor: nothing to
/// register). `read` when what waits at `target` is a read request.
///
/// # Errors
///
/// [`WouldDeadlock`] when the wait would close a cycle.
#[inline]
pub(crate) fn begin(
    waiter: Option<Waiter>,
    target: ActorId,
    read: bool,
) -> Result<Option<Wait>, WouldDeadlock> {
    match waiter {
        None => Ok(None),
        Some(waiter) => register(waiter, target, read).map(Some),
    }
}

/// Registers, without a check, that `outer` waits on `inner` while `inner`'s run is
/// polled inside one of `outer`'s handlers.
pub(crate) fn nested(outer: Waiter, inner: ActorId) -> Wait {
    let edge = Edge {
        target: inner,
        from_read: outer.reading,
        read: false,
    };
    add(&mut waits(), outer.actor, edge)
}

fn add(waits: &mut HashMap<ActorId, Vec<Edge>>, waiter: ActorId, edge: Edge) -> Wait {
    waits.entry(waiter).or_default().push(edge);
    Wait(Arc::new(Registered {
        waiter,
        edge,
        ended: AtomicBool::new(false),
    }))
}

#[inline(never)]
fn register(waiter: Waiter, target: ActorId, read: bool) -> Result<Wait, WouldDeadlock> {
    if waiter.actor == target {
        return Err(WouldDeadlock);
    }
    let mut waits = waits();
    if closes_cycle(&waits, waiter, target, read) {
        return Err(WouldDeadlock);
    }
    let edge = Edge {
        target,
        from_read: waiter.reading,
        read,
    };
    Ok(add(&mut waits, waiter.actor, edge))
}

/// Whether `target`, reached by a wait of kind `read`, is stuck (through the waits in
/// `waits`) until `waiter` moves on.
fn closes_cycle(
    waits: &HashMap<ActorId, Vec<Edge>>,
    waiter: Waiter,
    target: ActorId,
    read: bool,
) -> bool {
    let Waiter {
        actor: waiter,
        reading: waiter_reads,
    } = waiter;
    let mut seen: Vec<(ActorId, bool)> = Vec::new();
    let mut pending = vec![(target, read)];
    while let Some((actor, arriving_read)) = pending.pop() {
        if actor == waiter {
            // A read reaching a waiter that is itself a read handler is admitted
            // beside it; anything else waits behind the waiter.
            if !(arriving_read && waiter_reads) {
                return true;
            }
            continue;
        }
        if seen.contains(&(actor, arriving_read)) {
            continue;
        }
        seen.push((actor, arriving_read));
        for edge in waits.get(&actor).into_iter().flatten() {
            // A read is admitted beside the reads that wait.
            if arriving_read && edge.from_read {
                continue;
            }
            pending.push((edge.target, edge.read));
        }
    }
    false
}
