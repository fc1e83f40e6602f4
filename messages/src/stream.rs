//! Attaching streams to actors ([`Context::add_stream`], [`Address::into_stream_forwarder`]):
//! every item arrives as a notification.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;

use futures_core::Stream;

use crate::cell::Lifetime;
use crate::panic::contained;
use crate::runtime::Spawner;
use crate::{Actor, Address, Context, Notifiable, SendError};

impl<A: Actor> Context<A> {
    /// Attaches `stream` to the actor: each item arrives as a notification, in order,
    /// forwarded by a task on the runtime the context carries (see
    /// [`Context::with_runtime`]).
    ///
    /// **An attached stream keeps the actor alive** until the stream ends, even when
    /// every address is dropped: a connection actor lives as long as its connection. A
    /// stop request still stops the actor, and the stream is then dropped, even while
    /// it waits for its next item. Attached by the actor's state (in a hook or a
    /// handler), the stream ends with that state: a supervised restart drops it.
    /// A panic in the stream's `poll_next` ends it (contained; no end message).
    ///
    /// ```
    /// use messages::prelude::*;
    ///
    /// #[derive(Default)]
    /// struct Sum(u64);
    /// impl Actor for Sum {}
    /// impl Notifiable<u64> for Sum {
    ///     async fn notify(&mut self, n: u64, _: &Context<Self>) {
    ///         self.0 += n;
    ///     }
    /// }
    ///
    /// # #[cfg(feature = "tokio")]
    /// #[tokio::main]
    /// async fn main() {
    ///     let context = Context::new();
    ///     context.add_stream(futures::stream::iter([1, 2, 3]));
    ///     // No address is kept: the stream alone keeps the actor alive, until it ends.
    ///     let exit = context.spawn(Sum::default()).await.unwrap();
    ///     assert_eq!(exit.actor.0, 6);
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
    pub fn add_stream<S>(&self, stream: S)
    where
        S: Stream + Send + 'static,
        S::Item: Send + 'static,
        A: Notifiable<S::Item>,
    {
        self.runtime("Context::add_stream").spawn(forward_then(
            self.address(),
            stream,
            None::<S::Item>,
            self.attachment_lifetime(),
        ));
    }

    /// [`add_stream`](Context::add_stream), then notifies the actor with `end` once the
    /// stream has ended (not when the actor stopped first): the hook for "the stream is
    /// over".
    ///
    /// # Panics
    ///
    /// Without a runtime: in a build without the `tokio` and `smol` features, when the
    /// context was given none ([`Context::with_runtime`], [`Actor::spawn_on`]). On
    /// tokio, outside a tokio runtime, as `tokio::spawn` does.
    #[track_caller]
    pub fn add_stream_with_end<S, E>(&self, stream: S, end: E)
    where
        S: Stream + Send + 'static,
        S::Item: Send + 'static,
        E: Send + 'static,
        A: Notifiable<S::Item> + Notifiable<E>,
    {
        self.runtime("Context::add_stream_with_end")
            .spawn(forward_then(
                self.address(),
                stream,
                Some(end),
                self.attachment_lifetime(),
            ));
    }
}

impl<A: Actor> Address<A> {
    /// Forwards every item of `stream` to the actor as a notification, in order, and
    /// resolves when the stream ends (`Ok`) or the actor stops (`Err`). Spawn it (or
    /// await it) on any executor.
    ///
    /// The forwarder holds this address, so it keeps the actor alive until the stream
    /// ends. Each item waits for room in a full mailbox (backpressure reaches the
    /// stream). When the actor stops, the forwarder resolves even if the stream is
    /// still waiting for its next item, and drops the stream.
    ///
    /// # Errors
    ///
    /// [`SendError::Stopped`] when the actor stopped before the stream ended; the
    /// remaining items are not taken from the stream.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future stops the forwarding; an item taken from the stream but not
    /// yet queued is lost with it.
    pub async fn into_stream_forwarder<S>(self, stream: S) -> Result<(), SendError>
    where
        S: Stream,
        S::Item: Send + 'static,
        A: Notifiable<S::Item>,
    {
        forward(&self, stream, Lifetime::Actor).await
    }

    /// Spawns [`into_stream_forwarder`](Address::into_stream_forwarder) on the runtime
    /// the actor's context carries (see [`Context::with_runtime`]). A panic in the
    /// stream's `poll_next` ends the forwarding (the stream is dropped), contained in
    /// its task. For an actor that already stopped, nothing is spawned (the stream is
    /// dropped).
    ///
    /// # Panics
    ///
    /// Without a runtime: in a build without the `tokio` and `smol` features, when the
    /// actor's context was given none ([`Context::with_runtime`], [`Actor::spawn_on`]).
    /// On tokio, outside a tokio runtime, as `tokio::spawn` does.
    #[track_caller]
    pub fn spawn_stream_forwarder<S>(self, stream: S)
    where
        S: Stream + Send + 'static,
        S::Item: Send + 'static,
        A: Notifiable<S::Item>,
    {
        let Some(runtime) = self.cell().runtime() else {
            if self.cell().has_exited() {
                // Nothing to forward to: the forwarder would end at once.
                return;
            }
            crate::runtime::missing("Address::spawn_stream_forwarder")
        };
        runtime.spawn(contained(async move {
            let _ = self.into_stream_forwarder(stream).await;
        }));
    }
}

/// Forwards `stream` to `address` until the stream ends (`Ok`), or `lifetime` is over
/// or the actor refuses an item (`Err`); the stream is dropped when it returns.
async fn forward<A, S>(address: &Address<A>, stream: S, lifetime: Lifetime) -> Result<(), SendError>
where
    A: Notifiable<S::Item>,
    S: Stream,
    S::Item: Send + 'static,
{
    let mut stream = pin!(stream);
    let mut over = pin!(address.cell().wait_for_end(lifetime));
    loop {
        let next = poll_fn(|cx| {
            if over.as_mut().poll(cx).is_ready() {
                return Poll::Ready(None);
            }
            stream.as_mut().poll_next(cx).map(Some)
        })
        .await;
        match next {
            None => return Err(SendError::Stopped),
            Some(None) => return Ok(()),
            Some(Some(item)) => address.notify(item).await?,
        }
    }
}

/// What [`Context::add_stream`](crate::Context::add_stream) spawns: forwards `stream`
/// to `address` for as long as `lifetime` lasts, then notifies `end` if the stream
/// ended (not if the actor stopped or its state was replaced first). Panics in the
/// stream (and in the items' `Drop`) end it, contained in its task.
pub(crate) fn forward_then<A, S, E>(
    address: Address<A>,
    stream: S,
    end: Option<E>,
    lifetime: Lifetime,
) -> impl Future<Output = ()>
where
    A: Notifiable<S::Item> + Notifiable<E>,
    S: Stream,
    S::Item: Send + 'static,
    E: Send + 'static,
{
    contained(async move {
        let finished = forward(&address, stream, lifetime).await;
        if let (Ok(()), Some(end)) = (finished, end) {
            let _ = address.notify(end).await;
        }
    })
}
