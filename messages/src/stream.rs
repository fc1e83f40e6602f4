//! Attaching streams to actors: every item arrives as a notification.

use std::future::poll_fn;
use std::pin::pin;

use futures_core::Stream;

use crate::{Actor, Address, Notifiable, SendError};

impl<A: Actor> Address<A> {
    /// Forwards every item of `stream` to the actor as a notification, in order, and
    /// resolves when the stream ends (`Ok`) or the actor stops (`Err`). Spawn it (or
    /// await it) on any executor.
    ///
    /// The forwarder holds this address, so it keeps the actor alive until the stream
    /// ends. Each item waits for room in a full mailbox (backpressure reaches the
    /// stream).
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
        let mut stream = pin!(stream);
        while let Some(item) = poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
            self.notify(item).await?;
        }
        Ok(())
    }

    /// Spawns [`into_stream_forwarder`](Address::into_stream_forwarder) on the built-in
    /// runtime (tokio when the `tokio` feature is on, otherwise smol).
    ///
    /// # Panics
    ///
    /// With tokio, panics when called outside a tokio runtime, as `tokio::spawn` does.
    #[cfg(any(feature = "tokio", feature = "smol"))]
    pub fn spawn_stream_forwarder<S>(self, stream: S)
    where
        S: Stream + Send + 'static,
        S::Item: Send + 'static,
        A: Notifiable<S::Item>,
    {
        use crate::runtime::Spawner;
        crate::runtime::DefaultRuntime.spawn(async move {
            let _ = self.into_stream_forwarder(stream).await;
        });
    }
}

/// Forwards `stream` to `address`, then notifies `end` if the stream ended (not if the
/// actor stopped first).
pub(crate) async fn forward_then<A, S, E>(address: Address<A>, stream: S, end: Option<E>)
where
    A: Notifiable<S::Item> + Notifiable<E>,
    S: Stream,
    S::Item: Send + 'static,
    E: Send + 'static,
{
    let finished = address.clone().into_stream_forwarder(stream).await;
    if let (Ok(()), Some(end)) = (finished, end) {
        let _ = address.notify(end).await;
    }
}
