//! The engines a node runs on, behind one small interface: serve a name (requests and
//! notifications, in arrival order), announce it, watch it, send to it. Zenoh by
//! default; NATS with the `nats` feature. Calls are made on the node's own runtime;
//! what the engine delivers is handed on in the engine's own threads.

use std::any::Any;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use messages::{SendError, StopReason};
use tokio::sync::Notify;

use crate::RemoteError;
use crate::flag::Flag;
use crate::membership::{Members, NodeId};
use crate::remote::AnswerTo;

#[cfg(feature = "nats")]
pub(crate) mod nats;
pub(crate) mod zenoh;

/// Which engine a node runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Engine {
    /// Zenoh: peers inside each process, `listen` / `connect` endpoints such as
    /// `tcp/127.0.0.1:7447`, scaling out through `zenohd` routers.
    #[default]
    Zenoh,
    /// NATS: every node connects to a `nats-server` (`connect("nats://127.0.0.1:4222")`).
    #[cfg(feature = "nats")]
    Nats,
}

/// Something that keeps a declaration alive: dropping it undeclares.
pub(crate) type Keep = Box<dyn Any + Send>;

/// Where an engine hands what comes for a served actor, in arrival order (called
/// from the engine's own threads, or the node's tasks).
pub(crate) type Intake = std::sync::Arc<dyn Fn(Job) + Send + Sync>;

/// What came for a served actor, in arrival order.
pub(crate) enum Job {
    Request(Vec<u8>, Replier),
    Notification(Vec<u8>),
}

/// Where the answer to one request goes.
pub(crate) enum Replier {
    Zenoh(::zenoh::query::Query),
    #[cfg(feature = "nats")]
    Nats(nats::Replier),
}

impl Replier {
    pub(crate) async fn reply(self, bytes: Vec<u8>) {
        match self {
            Replier::Zenoh(query) => zenoh::reply(query, bytes).await,
            #[cfg(feature = "nats")]
            Replier::Nats(replier) => replier.reply(bytes).await,
        }
    }
}

/// A node's session with its engine.
#[derive(Debug, Clone)]
pub(crate) enum Session {
    Zenoh(zenoh::Session),
    #[cfg(feature = "nats")]
    Nats(nats::Session),
}

/// Sends to one name: notifications and requests, in the order given.
pub(crate) enum Sender {
    Zenoh(zenoh::Sender),
    #[cfg(feature = "nats")]
    Nats(nats::Sender),
}

impl Session {
    /// Where the engine's sends and replies must run when they may block the thread
    /// they run in (Zenoh's blocking congestion control blocks it while a link's
    /// queue is full): a runtime of their own. `None`: they never block (NATS's wait
    /// asynchronously), and run wherever they are given.
    pub(crate) fn blocking_runtime(&self) -> Option<tokio::runtime::Handle> {
        match self {
            Session::Zenoh(session) => Some(session.wire().clone()),
            #[cfg(feature = "nats")]
            Session::Nats(_) => None,
        }
    }

    /// Whether some node publishes `name` now, asked for at most `timeout`.
    pub(crate) async fn is_published(
        &self,
        name: &str,
        timeout: Duration,
    ) -> Result<bool, RemoteError> {
        match self {
            Session::Zenoh(session) => session.is_published(name, timeout).await,
            #[cfg(feature = "nats")]
            Session::Nats(session) => session.is_published(name, timeout).await,
        }
    }

    /// Hands what comes for `name` to `jobs`, in arrival order.
    pub(crate) async fn serve(&self, name: &str, jobs: Intake) -> Result<Keep, RemoteError> {
        match self {
            Session::Zenoh(session) => session.serve(name, jobs).await,
            #[cfg(feature = "nats")]
            Session::Nats(session) => session.serve(name, jobs).await,
        }
    }

    /// Announces `name` as published and alive, until the handle is dropped.
    pub(crate) async fn announce(&self, name: &str) -> Result<Announcement, RemoteError> {
        // This publication's own id: a remote address that follows it is never
        // taken over by another publication of the name.
        let publication = NodeId::fresh().as_str().to_owned();
        let keep = match self {
            Session::Zenoh(session) => session.announce(name, &publication).await?,
            #[cfg(feature = "nats")]
            Session::Nats(session) => session.announce(name, &publication).await?,
        };
        Ok(Announcement { keep, publication })
    }

    /// Tells the watchers of `name` why its actor stopped (before its announcement ends).
    pub(crate) async fn tell_stopped(&self, name: &str, publication: &str, bytes: Vec<u8>) {
        match self {
            Session::Zenoh(session) => session.tell_stopped(name, publication, bytes).await,
            #[cfg(feature = "nats")]
            Session::Nats(session) => session.tell_stopped(name, publication, bytes).await,
        }
    }

    /// Watches `name`: whether it is announced, and why its actor stopped.
    pub(crate) async fn watch(
        &self,
        name: &str,
        watch: std::sync::Arc<Watch>,
    ) -> Result<Keep, RemoteError> {
        match self {
            Session::Zenoh(session) => session.watch(name, watch).await,
            #[cfg(feature = "nats")]
            Session::Nats(session) => session.watch(name, watch).await,
        }
    }

    /// A sender to `name`; its pending requests fail once `watch` sees the name go.
    pub(crate) async fn sender(
        &self,
        name: &str,
        request_timeout: Duration,
        watch: std::sync::Arc<Watch>,
    ) -> Result<Sender, RemoteError> {
        match self {
            Session::Zenoh(session) => {
                // Zenoh ends a query to a lost node itself (with no reply).
                drop(watch);
                session
                    .sender(name, request_timeout)
                    .await
                    .map(Sender::Zenoh)
            }
            #[cfg(feature = "nats")]
            Session::Nats(session) => session
                .sender(name, request_timeout, watch)
                .await
                .map(Sender::Nats),
        }
    }

    /// Says this node (`id`) is in the cluster, until the handle is dropped.
    pub(crate) async fn join(&self, id: &NodeId) -> Result<Keep, RemoteError> {
        match self {
            Session::Zenoh(session) => session.join(id).await,
            #[cfg(feature = "nats")]
            Session::Nats(session) => session.join(id).await,
        }
    }

    /// Says this node (`id`) leaves, before its session closes.
    pub(crate) async fn leave(&self, id: &NodeId) {
        match self {
            // Closing the session withdraws the node's token.
            Session::Zenoh(_) => {
                let _ = id;
            }
            #[cfg(feature = "nats")]
            Session::Nats(session) => session.leave(id).await,
        }
    }

    /// Tells `members` of every node that is there, joins and leaves.
    pub(crate) async fn watch_nodes(&self, members: Members) -> Result<Keep, RemoteError> {
        match self {
            Session::Zenoh(session) => session.watch_nodes(members).await,
            #[cfg(feature = "nats")]
            Session::Nats(session) => session.watch_nodes(members).await,
        }
    }

    /// Whether the session reached another node (or the server) within `timeout`.
    pub(crate) async fn wait_for_peer(&self, timeout: Duration) -> bool {
        match self {
            Session::Zenoh(session) => session.wait_for_peer(timeout).await,
            #[cfg(feature = "nats")]
            Session::Nats(session) => session.wait_for_peer(timeout).await,
        }
    }

    /// Closes the session, letting what was sent go out first.
    pub(crate) async fn close(&self) {
        match self {
            Session::Zenoh(session) => session.close().await,
            #[cfg(feature = "nats")]
            Session::Nats(session) => session.close().await,
        }
    }
}

impl Sender {
    /// A notification (or a stop or a kill): at most once, in order with the requests.
    pub(crate) async fn notify(&self, frame: Vec<u8>) {
        match self {
            Sender::Zenoh(sender) => sender.notify(frame).await,
            #[cfg(feature = "nats")]
            Sender::Nats(sender) => sender.notify(frame).await,
        }
    }

    /// A request, whose one answer goes to `answer` (sent in order before this returns;
    /// answered later).
    pub(crate) async fn request(&self, frame: Vec<u8>, answer: AnswerOnce) {
        match self {
            Sender::Zenoh(sender) => sender.request(frame, answer).await,
            #[cfg(feature = "nats")]
            Sender::Nats(sender) => sender.request(frame, answer).await,
        }
    }
}

/// A name announced, until dropped; `publication` tells it from other publications
/// of the same name.
pub(crate) struct Announcement {
    keep: Keep,
    publication: String,
}

impl Announcement {
    pub(crate) fn publication(&self) -> &str {
        &self.publication
    }

    /// Withdraws the name.
    pub(crate) fn withdraw(self) {
        drop(self.keep);
    }
}

/// What a remote address knows of its actor's name: announced or gone, and why the
/// actor stopped, if its node said.
#[derive(Default)]
pub(crate) struct Watch {
    appeared: Notify,
    /// Whether the name is withdrawn now (seen to go, not seen back since).
    is_gone: Flag,
    /// The publication this watch follows: the first seen (`None`: none seen yet).
    /// Another publication of the name (on another node, or later) is another actor,
    /// and not its return.
    bound: Mutex<Option<String>>,
    reason: Mutex<Option<StopReason>>,
    told: Notify,
}

impl Watch {
    /// How long the reason, or the name's return, is waited for once the name is
    /// gone: an engine may deliver the end of the announcement before the notice sent
    /// ahead of it. A node that died sends none, and is not back: its actor is then
    /// `Unreachable`.
    const GRACE: Duration = Duration::from_millis(250);

    /// `publication` of the name is announced.
    pub(crate) fn saw_up(&self, publication: &str) {
        {
            let mut bound = self.bound.lock().unwrap_or_else(PoisonError::into_inner);
            match bound.as_deref() {
                None => *bound = Some(publication.to_owned()),
                Some(followed) if followed == publication => {}
                Some(_) => return,
            }
        }
        self.is_gone.set(false);
        self.appeared.notify_one();
    }

    /// `publication` of the name is withdrawn.
    pub(crate) fn saw_gone(&self, publication: &str) {
        if self.follows(publication) {
            self.is_gone.set(true);
        }
    }

    fn follows(&self, publication: &str) -> bool {
        let bound = self.bound.lock().unwrap_or_else(PoisonError::into_inner);
        bound.as_deref() == Some(publication)
    }

    pub(crate) fn is_up(&self) -> bool {
        self.bound
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
    }

    pub(crate) async fn appeared(&self) {
        self.appeared.notified().await;
    }

    /// Whether the name is gone now (seen to go, not seen back since).
    pub(crate) fn is_gone(&self) -> bool {
        self.is_gone.is_set()
    }

    /// Once the name is gone (at once, if it is already).
    pub(crate) async fn gone(&self) {
        self.is_gone.until(true).await;
    }

    /// Once the name is back (at once, if it is not gone).
    async fn returned(&self) {
        self.is_gone.until(false).await;
    }

    /// The notice in `bytes` from `publication`, why the actor stopped.
    pub(crate) fn told(&self, publication: &str, bytes: &[u8]) {
        if !self.follows(publication) {
            return;
        }
        if let Ok(stopped) = crate::wire::decode::<crate::wire::Stopped>(bytes) {
            *self.reason.lock().unwrap_or_else(PoisonError::into_inner) = Some(stopped.into());
            self.told.notify_one();
        }
    }

    /// Why the actor stopped, once its name is gone for good: its node said why, or
    /// the name is not back within [`GRACE`](Self::GRACE). A name back by then (its
    /// node's link dropped and was opened again at once, the engine withdrawing and
    /// announcing again all it carried: Zenoh's TLS link does this now and then, see
    /// `engine::zenoh`) is watched on.
    pub(crate) async fn ended(&self) -> StopReason {
        loop {
            self.gone().await;
            tokio::select! {
                biased;
                () = self.told.notified() => break,
                () = self.returned() => {}
                () = tokio::time::sleep(Self::GRACE) => break,
            }
        }
        let reason = self
            .reason
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        reason.unwrap_or(StopReason::Unreachable)
    }
}

/// A request's answer, given once: by its reply, or, when the request ends with none
/// (the actor's node is gone), as [`SendError::Unreachable`] when the last handle on
/// it is dropped.
pub(crate) struct AnswerOnce(Mutex<Option<AnswerTo>>);

impl AnswerOnce {
    pub(crate) fn new(answer: AnswerTo) -> Self {
        Self(Mutex::new(Some(answer)))
    }

    pub(crate) fn give(&self, answer: Result<&[u8], SendError>) {
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

/// How to open a session, per engine.
pub(crate) enum Opening {
    Zenoh(Box<::zenoh::Config>),
    #[cfg(feature = "nats")]
    Nats(nats::Opening),
}

impl Session {
    async fn open(
        opening: Opening,
        namespace: &str,
        wire: Option<tokio::runtime::Handle>,
    ) -> Result<Self, RemoteError> {
        match (opening, wire) {
            (Opening::Zenoh(config), Some(wire)) => zenoh::Session::open(*config, namespace, wire)
                .await
                .map(Session::Zenoh),
            (Opening::Zenoh(_), None) => Err(RemoteError::Engine(
                "no runtime for the engine's sends".to_owned(),
            )),
            #[cfg(feature = "nats")]
            (Opening::Nats(opening), _) => nats::Session::open(opening, namespace)
                .await
                .map(Session::Nats),
        }
    }
}

/// What a dropped node hands back to its thread, to be dropped there: its clone of
/// the session, and its membership (which this thread withdraws).
#[derive(Debug, Default)]
pub(crate) struct HandedBack {
    pub(crate) session: Option<Session>,
    pub(crate) joined: Option<Keep>,
}

/// The node's thread: a runtime of its own (the engines need a multi-threaded tokio
/// runtime; Zenoh panics opening or dropping a session on a current-thread one) and
/// one for the engine's sends that may block (see [`Session::blocking_runtime`]), the
/// session on it, until `stop` hands the node's clone back; then the session closes
/// and the runtime ends, here.
pub(crate) fn run(
    opening: Opening,
    namespace: String,
    id: NodeId,
    ready: tokio::sync::oneshot::Sender<Result<(tokio::runtime::Handle, Session), RemoteError>>,
    stop: tokio::sync::oneshot::Receiver<HandedBack>,
) {
    // Zenoh's sends may block: they get a runtime of their own.
    let wire = |opening: &Opening| match opening {
        Opening::Zenoh(_) => runtime("messages-wire").map(Some),
        #[cfg(feature = "nats")]
        Opening::Nats(_) => Ok(None),
    };
    let runtimes = runtime("messages-remote").and_then(|node| Ok((node, wire(&opening)?)));
    let (runtime, wire) = match runtimes {
        Ok(runtimes) => runtimes,
        Err(error) => {
            let _ = ready.send(Err(RemoteError::engine(error)));
            return;
        }
    };
    let sending = wire.as_ref().map(|wire| wire.handle().clone());
    runtime.block_on(async move {
        let session = match Session::open(opening, &namespace, sending).await {
            Ok(session) => session,
            Err(error) => {
                let _ = ready.send(Err(error));
                return;
            }
        };

        if ready
            .send(Ok((tokio::runtime::Handle::current(), session.clone())))
            .is_err()
        {
            session.close().await;
            return;
        }
        // The node's own clone comes back here to be dropped, off the caller's runtime.
        let handed_back = stop.await.unwrap_or_default();
        if let Some(joined) = handed_back.joined {
            drop(joined);
            session.leave(&id).await;
        }
        session.close().await;
        drop(handed_back.session);
    });
    runtime.shutdown_timeout(Duration::from_secs(1));
    if let Some(wire) = wire {
        wire.shutdown_timeout(Duration::from_secs(1));
    }
}

/// A runtime of the node's (two threads, named `name`).
fn runtime(name: &str) -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(name)
        .enable_all()
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_name_back_within_the_grace_is_watched_on_and_one_that_is_not_ends() {
        let watch = Watch::default();
        watch.saw_up("a");
        // Gone and back while the address waits (a link dropped and opened again).
        let watched = tokio::time::timeout(Watch::GRACE * 4, watch.ended());
        let blip = async {
            tokio::task::yield_now().await;
            watch.saw_gone("a");
            tokio::task::yield_now().await;
            watch.saw_up("a");
        };
        let (watched, ()) = tokio::join!(watched, blip);
        assert!(watched.is_err(), "ended though back: {watched:?}");
        // Gone, and not back: `Unreachable`, after the grace.
        watch.saw_gone("a");
        assert_eq!(watch.ended().await, StopReason::Unreachable);
    }

    #[tokio::test]
    async fn a_name_gone_after_its_node_said_why_ends_with_that_reason() {
        let watch = Watch::default();
        watch.saw_up("a");
        let stopped = crate::wire::Stopped::from(&StopReason::Killed);
        watch.told("a", &crate::wire::encode(&stopped).expect("encodes"));
        watch.saw_gone("a");
        assert_eq!(watch.ended().await, StopReason::Killed);
    }

    #[tokio::test]
    async fn another_publication_of_the_name_is_not_its_return() {
        let watch = Watch::default();
        watch.saw_up("a");
        // Another publication's notice is not this actor's reason.
        let killed = crate::wire::Stopped::from(&StopReason::Killed);
        watch.told("b", &crate::wire::encode(&killed).expect("encodes"));
        watch.saw_gone("a");
        watch.saw_up("b");
        watch.saw_gone("b");
        assert_eq!(watch.ended().await, StopReason::Unreachable);
    }
}
