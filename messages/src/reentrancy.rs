//! The re-entrancy guard's mark: which actor's run the current thread is polling.
//!
//! The context loop marks the thread while it polls the actor's run (its handlers,
//! hooks and the loop between them); an address
//! checks the mark to refuse calls that would wait on the very actor that is busy
//! running the caller ([`SendError::WouldDeadlock`](crate::SendError::WouldDeadlock)).
//! A future spawned from a handler runs on its own task, outside the mark, and is
//! not affected. The waits between actors that the mark reveals are kept in `waits`.

use std::cell::Cell;

use crate::ActorId;
use crate::waits::{self, Waiter};

thread_local! {
    static CURRENT: Cell<Option<ActorId>> = const { Cell::new(None) };
    /// While a read handler ([`ReadHandler`](crate::ReadHandler)) is polled.
    static READING: Cell<bool> = const { Cell::new(false) };
}

/// Who would wait if the current thread waited now: the actor whose run it is
/// polling (and whether in a read handler), or `None` outside any actor.
#[inline]
pub(crate) fn waiter() -> Option<Waiter> {
    let actor = CURRENT.with(Cell::get)?;
    Some(Waiter {
        actor,
        reading: READING.with(Cell::get),
    })
}

/// Runs `poll` (of a read handler's future) with the thread marked as reading.
pub(crate) fn reading<R>(poll: impl FnOnce() -> R) -> R {
    let previous = READING.with(|reading| reading.replace(true));
    let output = poll();
    READING.with(|reading| reading.set(previous));
    output
}

/// Runs `work` with the thread marked as running no actor (then restores the mark,
/// even if `work` panics): for code that runs in an actor's thread on someone
/// else's behalf, as a proxy's owner does in a waker.
pub(crate) fn outside<R>(work: impl FnOnce() -> R) -> R {
    struct Restore(Option<ActorId>, bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.with(|current| current.set(self.0));
            READING.with(|reading| reading.set(self.1));
        }
    }
    let _restore = Restore(
        CURRENT.with(|current| current.replace(None)),
        READING.with(|reading| reading.replace(false)),
    );
    work()
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
        let inside = Inside::enter(*this.id);
        match inside.previous {
            None => this.inner.poll(cx),
            Some(outer) => poll_nested(outer, *this.id, this.inner, cx),
        }
    }
}

/// Polls the run of actor `inner` inside a handler of actor `outer` (which awaits that
/// run): for the length of the poll, `outer` waits on `inner` (so `inner` requesting
/// `outer` is refused, see `waits`), and `inner`'s own code is not a read of `outer`'s.
#[cold]
fn poll_nested<F: std::future::Future>(
    outer: ActorId,
    inner: ActorId,
    run: std::pin::Pin<&mut F>,
    cx: &mut std::task::Context<'_>,
) -> std::task::Poll<F::Output> {
    let outer = Waiter {
        actor: outer,
        reading: READING.with(Cell::get),
    };
    let _wait = waits::nested(outer, inner);
    let was_reading = READING.with(|reading| reading.replace(false));
    let output = run.poll(cx);
    READING.with(|reading| reading.set(was_reading));
    output
}
