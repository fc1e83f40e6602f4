//! The calling side: a remote actor's address is an ordinary [`Address`] whose
//! mailbox a [`Proxy`] drains onto the wire, in order; its stop is published when
//! the actor stops or its node is lost.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use messages::proxy::{Arrival, Proxy};
use messages::{Address, SendError, StopReason};
use tokio::sync::Notify;
use zenoh::Session;
use zenoh::qos::CongestionControl;
use zenoh::sample::SampleKind;

use crate::node::Settings;
use crate::remote::{AnswerTo, Outgoing, OutgoingKind};
use crate::wire;
use crate::{Remote, RemoteError};

/// Whether some node publishes `name` now, asked for at most `timeout`.
pub(crate) async fn is_published(
    session: &Session,
    settings: &Settings,
    name: &str,
    timeout: Duration,
) -> Result<bool, RemoteError> {
    let replies = session
        .liveliness()
        .get(settings.alive_key(name))
        .timeout(timeout)
        .await
        .map_err(RemoteError::engine)?;
    while let Ok(reply) = replies.recv_async().await {
        if reply.result().is_ok() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The address of the actor published as `name`, waiting up to `timeout` for it.
pub(crate) async fn lookup<A: Remote>(
    session: Session,
    settings: Settings,
    name: String,
    timeout: Duration,
) -> Result<Address<A>, RemoteError> {
    // Watch the token first, so that its end is seen however soon it comes.
    let liveness = Arc::new(Liveness::default());
    let watcher = Arc::clone(&liveness);
    let tokens = session
        .liveliness()
        .declare_subscriber(settings.alive_key(&name))
        .history(true)
        .callback(move |sample| watcher.saw(sample.kind()))
        .await
        .map_err(RemoteError::engine)?;
    let found = tokio::time::timeout(timeout, liveness.appeared.notified())
        .await
        .is_ok()
        || liveness.is_up();
    if !found && !is_published(&session, &settings, &name, Duration::from_millis(200)).await? {
        return Err(RemoteError::NotFound(name));
    }
    let reason: Arc<Reason> = Arc::default();
    let told = Arc::clone(&reason);
    let stop_notices = session
        .declare_subscriber(settings.stopped_key(&name))
        .callback(move |sample| {
            if let Ok(stopped) = wire::decode::<wire::Stopped>(&sample.payload().to_bytes()) {
                told.tell(stopped.into());
            }
        })
        .await
        .map_err(RemoteError::engine)?;
    let key = settings.actor_key(&name);
    let publisher = session
        .declare_publisher(key.clone())
        .congestion_control(CongestionControl::Block)
        .await
        .map_err(RemoteError::engine)?;
    let (address, mut proxy) = Proxy::<A>::new();
    tokio::spawn(async move {
        let _keep = (tokens, stop_notices);
        loop {
            let ended = tokio::select! {
                biased;
                () = liveness.gone.notified() => Some(End::Gone),
                arrival = proxy.next() => {
                    match arrival {
                        // Every local address is gone: this remote address ends (the
                        // actor itself goes on), as a local actor's would.
                        None => Some(End::Dropped),
                        // A message that does not cross is refused (dropped) by `outgoing`.
                        Some(Arrival::Message(incoming)) => {
                            if let Some(outgoing) = A::outgoing(incoming) {
                                send(&session, &publisher, &key, &settings, outgoing).await;
                            }
                            None
                        }
                        Some(Arrival::Stop) => {
                            control(&publisher, wire::STOP_TAG).await;
                            None
                        }
                        Some(Arrival::Kill) => {
                            control(&publisher, wire::KILL_TAG).await;
                            None
                        }
                        Some(_) => None,
                    }
                }
            };
            match ended {
                None => {}
                Some(End::Dropped) => return proxy.finish(StopReason::AddressesDropped),
                Some(End::Gone) => return proxy.finish(reason.wait().await),
            }
        }
    });
    Ok(address)
}

/// How a remote address ends.
enum End {
    /// Every local address of it is gone.
    Dropped,
    /// The actor's token went: it stopped, or its node is gone.
    Gone,
}

/// Why the remote actor stopped, as its node said before its token went.
#[derive(Default)]
struct Reason {
    reason: Mutex<Option<StopReason>>,
    told: Notify,
}

impl Reason {
    /// How long the reason is waited for once the token is gone: the engine may
    /// deliver the token's end (a declaration) before the notice (data) sent ahead
    /// of it. A node that died sends none: its actor is then `Unreachable`.
    const GRACE: Duration = Duration::from_millis(250);

    fn tell(&self, reason: StopReason) {
        *self.reason.lock().unwrap_or_else(PoisonError::into_inner) = Some(reason);
        self.told.notify_one();
    }

    async fn wait(&self) -> StopReason {
        let _ = tokio::time::timeout(Self::GRACE, self.told.notified()).await;
        let reason = self
            .reason
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        reason.unwrap_or(StopReason::Unreachable)
    }
}

/// What the liveliness subscriber saw of the actor's token.
#[derive(Default)]
struct Liveness {
    up: std::sync::atomic::AtomicBool,
    appeared: Notify,
    gone: Notify,
}

impl Liveness {
    fn saw(&self, kind: SampleKind) {
        match kind {
            SampleKind::Put => {
                self.up.store(true, std::sync::atomic::Ordering::SeqCst);
                self.appeared.notify_one();
            }
            SampleKind::Delete => self.gone.notify_one(),
        }
    }

    fn is_up(&self) -> bool {
        self.up.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// Puts a stop or a kill on the wire, in order with the messages.
async fn control(publisher: &zenoh::pubsub::Publisher<'_>, tag: &str) {
    if let Ok(frame) = wire::frame(tag, &[]) {
        let _ = publisher.put(frame).await;
    }
}

/// Puts one message on the wire: a notification as a publication, a request as a
/// query whose one reply answers it.
async fn send(
    session: &Session,
    publisher: &zenoh::pubsub::Publisher<'_>,
    key: &str,
    settings: &Settings,
    outgoing: Outgoing,
) {
    let Outgoing { frame, kind } = outgoing;
    match kind {
        OutgoingKind::Notification => {
            // A notification that does not encode is dropped: its sender returned
            // already (at-most-once, said in the crate docs).
            if let Ok(frame) = frame {
                let _ = publisher.put(frame).await;
            }
        }
        OutgoingKind::Request(answer) => {
            let frame = match frame {
                Ok(frame) => frame,
                Err(error) => return answer(Err(error)),
            };
            let answer = Arc::new(AnswerOnce(Mutex::new(Some(answer))));
            let on_reply = Arc::clone(&answer);
            let sent = session
                .get(key)
                .payload(frame)
                .timeout(settings.request_timeout)
                .callback(move |reply| match reply.result() {
                    Ok(sample) => on_reply.give(wire::read_answer(&sample.payload().to_bytes())),
                    // The engine's own error reply: the query timed out.
                    Err(_) => on_reply.give(Err(SendError::Timeout)),
                })
                .await;
            if sent.is_err() {
                answer.give(Err(SendError::Unreachable));
            }
        }
    }
}

/// A request's answer, given once: by its reply, or, when the query ends with none
/// (the actor's node is gone), as [`SendError::Unreachable`] when the last handle on
/// it (the engine's callback) is dropped.
struct AnswerOnce(Mutex<Option<AnswerTo>>);

impl AnswerOnce {
    fn give(&self, answer: Result<&[u8], SendError>) {
        let taken = self.0.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(respond) = taken {
            respond(answer);
        }
    }
}

impl Drop for AnswerOnce {
    fn drop(&mut self) {
        self.give(Err(SendError::Unreachable));
    }
}
