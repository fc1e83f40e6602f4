//! The NATS engine: requests are NATS requests (a reply inbox), notifications
//! publications on the same subject (one connection keeps them in order), and a
//! published name answers pings on its `alive` subject, which watchers send every
//! [`PING_EVERY`]: a name whose pings meet "no responders" or go unanswered is gone.
//! NATS itself says nothing to a request in flight when its responder dies, so
//! pending requests fail from that signal, not after their timeout.
//!
//! Nodes say they are there the same way: each publishes a heartbeat every
//! [`PING_EVERY`] on its `node` subject (and a goodbye when it closes); a node unheard
//! for [`PING_TIMEOUT`] has left.
//!
//! Subjects: `messages.<namespace>.actor.<name>`, `messages.<namespace>.alive.<name>`,
//! `messages.<namespace>.stopped.<name>`, `messages.<namespace>.node.<id>`.

use std::sync::Arc;
use std::time::Duration;

use async_nats::client::RequestErrorKind;
use async_nats::{Client, ConnectOptions, Subject};
use futures_util::StreamExt;
use tokio::task::JoinHandle;

use super::{AnswerOnce, Intake, Job, Keep, Replier as AnyReplier, Watch};
use crate::RemoteError;
use crate::Tls;
use crate::flag::Flag;
use crate::membership::{Members, NodeId};
use crate::node::Credentials;
use answers::Answers;

mod answers;

/// How often a watcher pings a name, and how long a ping may take.
const PING_EVERY: Duration = Duration::from_millis(100);
const PING_TIMEOUT: Duration = Duration::from_millis(500);

/// What a node publishes on its `node` subject as it closes.
const GOODBYE: &[u8] = b"goodbye";

/// Where and how to connect.
pub(crate) struct Opening {
    url: String,
    timeout: Duration,
    credentials: Option<Credentials>,
    tls: Option<Tls>,
}

/// The opening for the `connect` endpoints (one NATS server URL, `nats://..`).
pub(crate) fn opening(
    connect: &[String],
    timeout: Duration,
    credentials: Option<Credentials>,
    tls: Option<Tls>,
) -> Result<Opening, RemoteError> {
    match connect {
        [url] => Ok(Opening {
            url: url.clone(),
            timeout,
            credentials,
            tls,
        }),
        _ => Err(RemoteError::Engine(
            "the NATS engine connects to one server: give exactly one `connect(\"nats://host:port\")`"
                .to_owned(),
        )),
    }
}

/// A NATS connection and the subject prefix of its namespace.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    client: Client,
    prefix: String,
}

/// Sends to one actor's subject.
pub(crate) struct Sender {
    client: Client,
    subject: Subject,
    /// Where replies come, each to `<inbox>.<request id>`.
    inbox: String,
    /// The requests waiting for their reply.
    answers: Arc<Answers>,
    watch: Arc<Watch>,
}

impl Drop for Sender {
    fn drop(&mut self) {
        // What waits still gets its answer; then the inbox is let go.
        self.answers.end();
    }
}

/// Where the answer to one request goes.
pub(crate) struct Replier {
    client: Client,
    reply: Subject,
}

impl Replier {
    pub(crate) async fn reply(self, bytes: Vec<u8>) {
        let _ = self.client.publish(self.reply, bytes.into()).await;
    }
}

/// The subject tail of `publication` of `name` (`*`: of every publication).
fn of_publication(name: &str, publication: &str) -> String {
    format!("{name}.{publication}")
}

/// Whether `error` is a TLS handshake that failed (a certificate refused by either
/// side), not a server that is not there.
fn refused_by_tls(error: &async_nats::ConnectError) -> bool {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::InvalidData)
        {
            return true;
        }
        source = cause.source();
    }
    false
}

/// Sets its flag when dropped: what waits for it ends (and drops what it holds, a
/// subscription).
struct SetOnDrop(Arc<Flag>);

impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

/// A task that ends (and drops what it holds, a subscription) when this is dropped.
struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Session {
    pub(crate) async fn open(opening: Opening, namespace: &str) -> Result<Self, RemoteError> {
        let mut options = ConnectOptions::new().connection_timeout(opening.timeout);
        if let Some(Credentials { user, password }) = opening.credentials {
            options = options.user_and_password(user, password);
        }
        if let Some(tls) = opening.tls {
            options = options
                .require_tls(true)
                .add_root_certificates(tls.authority().to_owned())
                .add_client_certificate(tls.certificate().to_owned(), tls.private_key().to_owned());
        }
        let connecting = options.connect(opening.url.as_str());
        let client = match tokio::time::timeout(opening.timeout, connecting).await {
            Ok(Ok(client)) => client,
            Ok(Err(error)) => {
                use async_nats::ConnectErrorKind;
                return Err(match error.kind() {
                    ConnectErrorKind::Authentication
                    | ConnectErrorKind::AuthorizationViolation
                    | ConnectErrorKind::Tls => RemoteError::Refused(error.to_string()),
                    // A TLS handshake the other side (or this one) refused comes as an
                    // I/O error holding the TLS error.
                    ConnectErrorKind::Io if refused_by_tls(&error) => {
                        RemoteError::Refused(error.to_string())
                    }
                    ConnectErrorKind::Io | ConnectErrorKind::TimedOut | ConnectErrorKind::Dns => {
                        RemoteError::Unreachable(opening.url)
                    }
                    _ => RemoteError::Engine(error.to_string()),
                });
            }
            Err(_) => return Err(RemoteError::Unreachable(opening.url)),
        };
        Ok(Self {
            client,
            prefix: format!("messages.{namespace}"),
        })
    }

    fn subject(&self, kind: &str, name: &str) -> Subject {
        Subject::from(format!("{}.{kind}.{name}", self.prefix))
    }

    /// A subscription to the `kind` subject of `name`.
    async fn subscribe(
        &self,
        kind: &str,
        name: &str,
    ) -> Result<async_nats::Subscriber, RemoteError> {
        self.client
            .subscribe(self.subject(kind, name))
            .await
            .map_err(RemoteError::engine)
    }

    /// One ping of `name` (or of `name.publication`): `Ok(Some(publication))` the
    /// publication that answered, `Ok(None)` nobody serves it.
    async fn ping(&self, name: &str, timeout: Duration) -> Result<Option<String>, RemoteError> {
        let request = async_nats::Request::new().timeout(Some(timeout));
        match self
            .client
            .send_request(self.subject("alive", name), request)
            .await
        {
            Ok(reply) => Ok(Some(String::from_utf8_lossy(&reply.payload).into_owned())),
            Err(error) => match error.kind() {
                RequestErrorKind::NoResponders | RequestErrorKind::TimedOut => Ok(None),
                _ => Err(RemoteError::Engine(error.to_string())),
            },
        }
    }

    pub(crate) async fn is_published(
        &self,
        name: &str,
        timeout: Duration,
    ) -> Result<bool, RemoteError> {
        Ok(self.ping(name, timeout).await?.is_some())
    }

    pub(crate) async fn serve(&self, name: &str, jobs: Intake) -> Result<Keep, RemoteError> {
        let mut subscription = self.subscribe("actor", name).await?;
        let client = self.client.clone();
        let withdrawn = Arc::new(Flag::default());
        let serving = Arc::clone(&withdrawn);
        // Taken off in the thread that receives them (the connection's): the
        // subscription never fills up (the client drops what a full one has no room
        // for), and no task stands between the engine and the actor.
        crate::inline::run(Box::pin(async move {
            loop {
                let message = tokio::select! {
                    biased;
                    () = serving.until(true) => return,
                    message = subscription.next() => message,
                };
                let Some(message) = message else {
                    return;
                };
                let payload = message.payload.to_vec();
                let job = match message.reply {
                    Some(reply) => Job::Request(
                        payload,
                        AnyReplier::Nats(Replier {
                            client: client.clone(),
                            reply,
                        }),
                    ),
                    None => Job::Notification(payload),
                };
                jobs(job);
            }
        }));
        Ok(Box::new(SetOnDrop(withdrawn)))
    }

    /// Answers pings of `name` and of `name.publication` with `publication`: a
    /// watcher finds the publication by the first, then follows it by the second.
    pub(crate) async fn announce(
        &self,
        name: &str,
        publication: &str,
    ) -> Result<Keep, RemoteError> {
        let pings = futures_util::stream::select(
            self.subscribe("alive", name).await?,
            self.subscribe("alive", &of_publication(name, publication))
                .await?,
        );
        let (client, answer) = (self.client.clone(), publication.to_owned());
        let task = tokio::spawn(async move {
            let mut pings = std::pin::pin!(pings);
            while let Some(ping) = pings.next().await {
                if let Some(reply) = ping.reply {
                    let _ = client.publish(reply, answer.clone().into()).await;
                }
            }
        });
        let announced = AbortOnDrop(task);
        // The server may not route to a fresh subscription yet (its `flush` returns
        // when the bytes are sent): confirm with a round trip before saying published.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while self.ping(name, PING_TIMEOUT).await?.is_none() {
            if tokio::time::Instant::now() >= deadline {
                return Err(RemoteError::Engine(format!(
                    "the NATS server never routed to {name:?}"
                )));
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        Ok(Box::new(announced))
    }

    pub(crate) async fn tell_stopped(&self, name: &str, publication: &str, bytes: Vec<u8>) {
        let subject = self.subject("stopped", &of_publication(name, publication));
        let _ = self.client.publish(subject, bytes.into()).await;
        let _ = self.client.flush().await;
    }

    pub(crate) async fn watch(&self, name: &str, watch: Arc<Watch>) -> Result<Keep, RemoteError> {
        let mut notices = self
            .subscribe("stopped", &of_publication(name, "*"))
            .await?;
        let told = Arc::clone(&watch);
        let notices = tokio::spawn(async move {
            while let Some(notice) = notices.next().await {
                let publication = notice.subject.rsplit('.').next().unwrap_or_default();
                told.told(publication, &notice.payload);
            }
        });
        // The notice subscription is routed before the first ping is answered.
        let _ = self.client.flush().await;
        let session = self.clone();
        let name = name.to_owned();
        let pings = tokio::spawn(async move {
            // The name, until some publication answers; then that one only (another
            // publication of the name is another actor).
            let mut followed: Option<String> = None;
            loop {
                let pinged = match &followed {
                    None => name.clone(),
                    Some(publication) => of_publication(&name, publication),
                };
                match (session.ping(&pinged, PING_TIMEOUT).await, &followed) {
                    (Ok(Some(publication)), None) => {
                        watch.saw_up(&publication);
                        followed = Some(publication);
                    }
                    (Ok(Some(_)), Some(_)) => {}
                    (Ok(None) | Err(_), Some(publication)) => {
                        watch.saw_gone(publication);
                        return;
                    }
                    // Not published yet: a lookup may be waiting for it.
                    (Ok(None) | Err(_), None) => {}
                }
                tokio::time::sleep(PING_EVERY).await;
            }
        });
        Ok(Box::new((AbortOnDrop(notices), AbortOnDrop(pings))))
    }

    pub(crate) async fn join(&self, id: &NodeId) -> Result<Keep, RemoteError> {
        let (client, subject) = (self.client.clone(), self.subject("node", id.as_str()));
        let task = tokio::spawn(async move {
            let mut beats = tokio::time::interval(PING_EVERY);
            loop {
                beats.tick().await;
                let _ = client.publish(subject.clone(), Vec::new().into()).await;
            }
        });
        Ok(Box::new(AbortOnDrop(task)))
    }

    pub(crate) async fn leave(&self, id: &NodeId) {
        let subject = self.subject("node", id.as_str());
        let _ = self.client.publish(subject, GOODBYE.into()).await;
        let _ = self.client.flush().await;
    }

    pub(crate) async fn watch_nodes(&self, mut members: Members) -> Result<Keep, RemoteError> {
        let mut beats = self.subscribe("node", "*").await?;
        let task = tokio::spawn(async move {
            let mut heard = std::collections::HashMap::<NodeId, tokio::time::Instant>::new();
            // Ids never come back (a restarted node has a new one): a heartbeat that
            // was on its way as its node said goodbye is not a new join. Kept a
            // while (far longer than a heartbeat is on its way), then forgotten.
            let mut departed = std::collections::HashMap::<NodeId, tokio::time::Instant>::new();
            let mut look = tokio::time::interval(PING_EVERY);
            loop {
                tokio::select! {
                    beat = beats.next() => {
                        let Some(beat) = beat else { return };
                        let id = beat.subject.rsplit('.').next().and_then(NodeId::parse);
                        let Some(id) = id else { continue };
                        if beat.payload.as_ref() == GOODBYE {
                            heard.remove(&id);
                            members.gone(&id);
                            departed.insert(id, tokio::time::Instant::now());
                        } else if !departed.contains_key(&id) {
                            heard.insert(id.clone(), tokio::time::Instant::now());
                            members.seen(id);
                        }
                    }
                    _ = look.tick() => {
                        let now = tokio::time::Instant::now();
                        departed.retain(|_, left| now.duration_since(*left) < PING_TIMEOUT * 10);
                        heard.retain(|id, last| {
                            let alive = now.duration_since(*last) < PING_TIMEOUT;
                            if !alive {
                                members.gone(id);
                            }
                            alive
                        });
                    }
                }
            }
        });
        Ok(Box::new(AbortOnDrop(task)))
    }

    pub(crate) async fn sender(
        &self,
        name: &str,
        request_timeout: Duration,
        watch: Arc<Watch>,
    ) -> Result<Sender, RemoteError> {
        let inbox = self.client.new_inbox();
        let replies = self
            .client
            .subscribe(format!("{inbox}.*"))
            .await
            .map_err(RemoteError::engine)?;
        let answers = Answers::new(request_timeout);
        // Replies are handed on in the thread that receives them; deadlines are
        // kept by a task of the node's runtime.
        let handing_on = answers::hand_on(replies, Arc::clone(&answers), Arc::clone(&watch));
        crate::inline::run(Box::pin(handing_on));
        tokio::spawn(answers::expire(Arc::clone(&answers)));
        Ok(Sender {
            client: self.client.clone(),
            subject: self.subject("actor", name),
            inbox,
            answers,
            watch,
        })
    }

    pub(crate) async fn wait_for_peer(&self, timeout: Duration) -> bool {
        // Connected already (`open` waits for the server): a round trip confirms it.
        tokio::time::timeout(timeout, self.client.flush())
            .await
            .is_ok_and(|flushed| flushed.is_ok())
    }

    pub(crate) async fn close(&self) {
        // What was published goes out first; then the connection closes.
        let _ = self.client.drain().await;
    }
}

impl Sender {
    pub(crate) async fn notify(&self, frame: Vec<u8>) {
        let _ = self
            .client
            .publish(self.subject.clone(), frame.into())
            .await;
    }

    pub(crate) async fn request(&self, frame: Vec<u8>, answer: AnswerOnce) {
        // Sent here, in order with the notifications (one connection keeps them in
        // order); answered on the address's inbox.
        let id = self.answers.wait(answer);
        // Looked at once it waits: a name gone since is seen by the one that hands
        // replies on, which fails what waits.
        if self.watch.is_gone() {
            return self
                .answers
                .answer(id, Err(messages::SendError::Unreachable));
        }
        let reply = format!("{}.{id}", self.inbox);
        let sent = self
            .client
            .publish_with_reply(self.subject.clone(), reply, frame.into())
            .await;
        if sent.is_err() {
            self.answers
                .answer(id, Err(messages::SendError::Unreachable));
        }
    }
}
