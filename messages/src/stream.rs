//! Attaching streams to actors: every item arrives as a notification.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;

use futures_core::Stream;

use crate::panic::contained;
use crate::shared::Lifetime;
use crate::{Actor, Address, Notifiable, SendError};

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

    /// Spawns [`into_stream_forwarder`](Address::into_stream_forwarder) on the built-in
    /// runtime (tokio when the `tokio` feature is on, otherwise smol). A panic in the
    /// stream's `poll_next` ends the forwarding (the stream is dropped), contained in
    /// its task.
    ///
    /// # Panics
    ///
    /// With tokio, panics when called outside a tokio runtime, as `tokio::spawn` does.
    #[cfg(any(feature = "tokio", feature = "smol", doc))]
    pub fn spawn_stream_forwarder<S>(self, stream: S)
    where
        S: Stream + Send + 'static,
        S::Item: Send + 'static,
        A: Notifiable<S::Item>,
    {
        use crate::runtime::Spawner;
        crate::runtime::DefaultRuntime.spawn(contained(async move {
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
    let mut over = pin!(address.shared().wait_for_end(lifetime));
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
