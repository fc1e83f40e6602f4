//! The calling side: a remote actor's address is an ordinary [`Address`] whose
//! mailbox a [`Proxy`] drains onto the wire, in order; its stop is published when
//! the actor stops, its node is lost, or every local address is gone.

use std::sync::Arc;
use std::time::Duration;

use messages::proxy::{Arrival, Proxy};
use messages::{Address, StopReason};

use crate::contain::contain;
use crate::engine::{AnswerOnce, Sender, Session, Watch};
use crate::node::Settings;
use crate::remote::{Outgoing, OutgoingKind};
use crate::wire;
use crate::{Remote, RemoteError};

/// The address of the actor published as `name`, waiting up to `timeout` for it.
pub(crate) async fn lookup<A: Remote>(
    session: Session,
    settings: Settings,
    name: String,
    timeout: Duration,
) -> Result<Address<A>, RemoteError> {
    // Watch the name first, so that its end is seen however soon it comes.
    let watch = Arc::new(Watch::default());
    let watching = session.watch(&name, Arc::clone(&watch)).await?;
    let found = tokio::time::timeout(timeout, watch.appeared())
        .await
        .is_ok()
        || watch.is_up();
    if !found
        && !session
            .is_published(&name, Duration::from_millis(200))
            .await?
    {
        return Err(RemoteError::NotFound(name));
    }
    let sender = session
        .sender(&name, settings.request_timeout, Arc::clone(&watch))
        .await?;
    let (address, mut proxy) = Proxy::<A>::new();
    tokio::spawn(async move {
        let _watching = watching;
        loop {
            let ended = tokio::select! {
                biased;
                () = watch.gone() => Some(End::Gone),
                arrival = proxy.next() => match arrival {
                    // Every local address is gone: this remote address ends (the
                    // actor itself goes on), as a local actor's would.
                    None => Some(End::Dropped),
                    // A message that does not cross is refused (dropped) by `outgoing`.
                    // A hand-written `outgoing` that panics loses that message only
                    // (what it held is dropped: a request is answered `Unanswered`).
                    Some(Arrival::Message(incoming)) => {
                        if let Ok(Some(outgoing)) = contain(|| A::outgoing(incoming)) {
                            send(&sender, outgoing).await;
                        }
                        None
                    }
                    Some(Arrival::Stop) => {
                        control(&sender, wire::STOP_TAG).await;
                        None
                    }
                    Some(Arrival::Kill) => {
                        control(&sender, wire::KILL_TAG).await;
                        None
                    }
                    Some(_) => None,
                },
            };
            match ended {
                None => {}
                Some(End::Dropped) => return proxy.finish(StopReason::AddressesDropped),
                Some(End::Gone) => return proxy.finish(watch.reason().await),
            }
        }
    });
    Ok(address)
}

/// How a remote address ends.
enum End {
    /// Every local address of it is gone.
    Dropped,
    /// The actor's name went: it stopped, or its node is gone.
    Gone,
}

/// Puts a stop or a kill on the wire, in order with the messages.
async fn control(sender: &Sender, tag: &str) {
    if let Ok(frame) = wire::frame(tag, &[]) {
        sender.notify(frame).await;
    }
}

/// Puts one message on the wire.
async fn send(sender: &Sender, outgoing: Outgoing) {
    let Outgoing { frame, kind } = outgoing;
    match kind {
        OutgoingKind::Notification => {
            // A notification that does not encode is dropped: its sender returned
            // already (at-most-once, said in the crate docs).
            if let Ok(frame) = frame {
                sender.notify(frame).await;
            }
        }
        OutgoingKind::Request(answer) => match frame {
            Ok(frame) => sender.request(frame, AnswerOnce::new(answer)).await,
            Err(error) => answer(Err(error)),
        },
    }
}
