//! Which actor's run the current thread is polling.
//!
//! The context loop marks the thread while it polls the actor's run (its handlers,
//! hooks and the loop between them); an address
//! checks the mark to refuse calls that would wait on the very actor that is busy
//! running the caller ([`SendError::WouldDeadlock`](crate::SendError::WouldDeadlock)).
//! A future spawned from a handler runs on its own task, outside the mark, and is
//! not affected.

use std::cell::Cell;

use crate::ActorId;

thread_local! {
    static CURRENT: Cell<Option<ActorId>> = const { Cell::new(None) };
}

/// Whether the current thread is polling the run of actor `id`.
pub(crate) fn is_inside(id: ActorId) -> bool {
    CURRENT.with(Cell::get) == Some(id)
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
