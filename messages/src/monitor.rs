//! Monitors: [`Context::monitor`] tells an actor, with a [`Terminated`] notification,
//! when another one stops, and why.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::Arc;
use std::task::Poll;

use crate::panic::contained;
use crate::runtime::Spawner;
use crate::{Actor, ActorId, Address, Context, Notifiable, StopReason};

impl<A: Actor> Context<A> {
    /// Monitors `other`: when it stops, for whatever reason, this actor is notified with
    /// a [`Terminated`] carrying its id and [`StopReason`](crate::StopReason). The monitor
    /// keeps neither actor alive, and ends when either stops (set up by this actor's
    /// state, it ends with that state too: a supervised restart ends it). Runs on the
    /// runtime the context carries (see [`Context::with_runtime`]).
    ///
    /// ```
    /// use messages::prelude::*;
    /// use messages::supervision::Terminated;
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
    /// Without a runtime: in a build without the `tokio` and `smol` features, when the
    /// context was given none ([`Context::with_runtime`], [`Actor::spawn_on`]). On
    /// tokio, outside a tokio runtime, as `tokio::spawn` does.
    #[track_caller]
    pub fn monitor<B: Actor>(&self, other: &Address<B>)
    where
        A: Notifiable<Terminated>,
    {
        let runtime = self.runtime("Context::monitor");
        let me = self.weak_address();
        let lifetime = self.attachment_lifetime();
        let watched = Arc::clone(other.cell());
        runtime.spawn(contained(async move {
            let mut theirs = pin!(watched.wait_for_exit());
            let mut mine = pin!(me.cell().wait_for_end(lifetime));
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
