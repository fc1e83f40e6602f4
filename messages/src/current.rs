//! Which actor's run the current thread is polling.
//!
//! The context loop marks the thread while it polls the actor's run (its handlers,
//! hooks and the loop between them); an address
//! checks the mark to refuse calls that would wait on the very actor that is busy
//! running the caller ([`SendError::WouldDeadlock`](crate::SendError::WouldDeadlock)).
//! A future spawned from a handler runs on its own task, outside the mark, and is
//! not affected.
//!
//! Cycles longer than one actor are caught the same way: a request sent from inside
//! an actor carries a [`Waiter`] link, "this actor waits for this answer", chained to
//! the links of the request its handler is answering (who waits on the sender). While
//! a handler runs, the thread also holds the chain of the request it answers; a
//! request to any actor still waiting in that chain could only be handled after the
//! chain unwinds, which waits on this very handler: refused at once.

use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::ActorId;

thread_local! {
    static CURRENT: Cell<Option<ActorId>> = const { Cell::new(None) };
    /// While a request's handler is polled: the chain of that request.
    static CHAIN: RefCell<Option<Arc<Waiter>>> = const { RefCell::new(None) };
}

/// One actor waiting for the answer to a request it sent from inside its own handler
/// or hook, and who waits on it in turn.
#[derive(Debug)]
pub(crate) struct Waiter {
    actor: ActorId,
    /// Cleared when the request is answered or its future dropped (a timeout, a
    /// `select!`): the actor no longer waits.
    waiting: AtomicBool,
    /// The chain of the request the actor's handler was answering when it sent this
    /// one (`None` from a hook or a notification's handler).
    behind: Option<Arc<Waiter>>,
}

/// Holds a [`Waiter`] link for the request future; the link stops waiting when the
/// future is done or dropped.
#[derive(Debug)]
pub(crate) struct Waiting(Arc<Waiter>);

impl Waiting {
    /// The link, to travel with the request.
    pub(crate) fn link(&self) -> Arc<Waiter> {
        Arc::clone(&self.0)
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.waiting.store(false, Ordering::Release);
    }
}

/// Whether a call that waits on actor `target` from this thread could never complete:
/// the thread is running `target` itself, or the handler it runs answers a request
/// that `target` is (through any chain of actors) still waiting for.
#[inline]
pub(crate) fn would_deadlock(target: ActorId) -> bool {
    match CURRENT.with(Cell::get) {
        None => false,
        Some(me) => me == target || chain_waits(target),
    }
}

#[inline(never)]
fn chain_waits(target: ActorId) -> bool {
    CHAIN.with(|chain| {
        let chain = chain.borrow();
        let mut link = chain.as_deref();
        while let Some(waiter) = link {
            if !waiter.waiting.load(Ordering::Acquire) {
                // It no longer waits, so neither does anyone behind it on this handler.
                return false;
            }
            if waiter.actor == target {
                return true;
            }
            link = waiter.behind.as_deref();
        }
        false
    })
}

/// Before a request to `target` waits for its answer: `Err` when it would deadlock
/// (see [`would_deadlock`]); from inside an actor, the link that travels with the
/// request; from outside any actor (where no cycle can close), nothing.
#[inline]
pub(crate) fn before_request(target: ActorId) -> Result<Option<Waiting>, ()> {
    match CURRENT.with(Cell::get) {
        None => Ok(None),
        Some(me) => link_request(me, target),
    }
}

/// [`before_request`] from inside actor `me`.
#[inline(never)]
fn link_request(me: ActorId, target: ActorId) -> Result<Option<Waiting>, ()> {
    if me == target || chain_waits(target) {
        return Err(());
    }
    let behind = CHAIN.with(|chain| chain.borrow().clone());
    Ok(Some(Waiting(Arc::new(Waiter {
        actor: me,
        waiting: AtomicBool::new(true),
        behind,
    }))))
}

/// Runs `poll` with the thread holding `chain`, the chain of the request being
/// answered, and puts it back in `chain` afterwards (no reference count is touched).
#[inline(always)]
pub(crate) fn answering<R>(chain: &mut Option<Arc<Waiter>>, poll: impl FnOnce() -> R) -> R {
    if chain.is_none() {
        return poll();
    }
    answering_in_chain(chain, poll)
}

#[inline(never)]
fn answering_in_chain<R>(chain: &mut Option<Arc<Waiter>>, poll: impl FnOnce() -> R) -> R {
    let previous = CHAIN.with(|held| held.replace(chain.take()));
    let output = poll();
    *chain = CHAIN.with(|held| held.replace(previous));
    output
}

/// Marks the thread as running actor `id` until dropped, then restores the previous
/// mark (an actor may run another actor's loop inside its handler).
pub(crate) struct Inside {
    previous: Option<ActorId>,
}

impl Inside {
    pub(crate) fn enter(id: ActorId) -> Self {
        Self {
            previous: CURRENT.with(|current| current.replace(Some(id))),
        }
    }
}

impl Drop for Inside {
    fn drop(&mut self) {
        CURRENT.with(|current| current.set(self.previous));
    }
}

pin_project_lite::pin_project! {
    /// Polls a future with the thread marked as running actor `id`.
    pub(crate) struct InActor<F> {
        id: ActorId,
        #[pin]
        inner: F,
    }
}

/// [`InActor`] around `future`.
pub(crate) fn inside<F: std::future::Future>(id: ActorId, future: F) -> InActor<F> {
    InActor { id, inner: future }
}

impl<F: std::future::Future> std::future::Future for InActor<F> {
    type Output = F::Output;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<F::Output> {
        let this = self.project();
        let _inside = Inside::enter(*this.id);
        this.inner.poll(cx)
    }
}
