//! The Zenoh engine: requests are queries to a queryable, notifications publications
//! (blocking congestion control) on the same key, announcements liveliness tokens.
//!
//! Keys: `messages/<namespace>/actor/<name>` (requests and notifications),
//! `messages/<namespace>/alive/<name>/<publication>` (the token),
//! `messages/<namespace>/stopped/<name>/<publication>` (why it stopped), where
//! `<publication>` tells one publication of a name from another (a remote address
//! follows the one it found, and no other).

use std::sync::Arc;
use std::time::Duration;

use ::zenoh::qos::CongestionControl;
use ::zenoh::query::Query;
use ::zenoh::sample::SampleKind;

use super::{AnswerOnce, Intake, Job, Keep, Replier, Watch};
use crate::RemoteError;
use crate::Tls;
use crate::membership::{Members, NodeId};
use crate::node::{Credentials, Role};
use crate::wire;

/// The session config: the role's mode, multicast scouting off (endpoints are
/// explicit), the given lease.
pub(crate) fn config(
    role: Role,
    listen: &[String],
    connect: &[String],
    lease: Duration,
    credentials: Option<&Credentials>,
    tls: Option<&Tls>,
) -> Result<::zenoh::Config, RemoteError> {
    let mut config = ::zenoh::Config::default();
    let endpoints = |list: &[String]| {
        let quoted: Vec<String> = list
            .iter()
            .map(|endpoint| format!("{endpoint:?}"))
            .collect();
        format!("[{}]", quoted.join(","))
    };
    let lease = lease.as_millis().max(100).to_string();
    let mode = match role {
        Role::Peer => "\"peer\"",
        Role::Router => "\"router\"",
        Role::Client => "\"client\"",
    };
    let settings = [
        ("mode", mode.to_owned()),
        ("scouting/multicast/enabled", "false".to_owned()),
        ("listen/endpoints", endpoints(listen)),
        ("connect/endpoints", endpoints(connect)),
        ("transport/link/tx/lease", lease),
    ];
    insert(&mut config, settings)?;
    if let Some(tls) = tls {
        if let Some(plain) = listen
            .iter()
            .chain(connect)
            .find(|endpoint| !endpoint.starts_with("tls/"))
        {
            return Err(RemoteError::Engine(format!(
                "with TLS every endpoint is a `tls/host:port` one, not {plain:?}"
            )));
        }
        let path = |path: &std::path::Path| format!("{:?}", path.display().to_string());
        let (certificate, key) = (path(tls.certificate()), path(tls.private_key()));
        let settings = [
            (
                "transport/link/tls/root_ca_certificate",
                path(tls.authority()),
            ),
            ("transport/link/tls/listen_certificate", certificate.clone()),
            ("transport/link/tls/listen_private_key", key.clone()),
            ("transport/link/tls/connect_certificate", certificate),
            ("transport/link/tls/connect_private_key", key),
            ("transport/link/tls/enable_mtls", "true".to_owned()),
            // No link but TLS, whatever endpoints other nodes gossip.
            ("transport/link/protocols", "[\"tls\"]".to_owned()),
        ];
        insert(&mut config, settings)?;
    }
    if let Some(credentials) = credentials {
        // The engine checks the pair peers present against a dictionary file: this
        // node's own pair, the one every node of the cluster shares.
        let dictionary = dictionary_file(credentials)?;
        let auth = [
            (
                "transport/auth/usrpwd/user",
                format!("{:?}", credentials.user),
            ),
            (
                "transport/auth/usrpwd/password",
                format!("{:?}", credentials.password),
            ),
            (
                "transport/auth/usrpwd/dictionary_file",
                format!("{dictionary:?}"),
            ),
        ];
        insert(&mut config, auth)?;
    }
    Ok(config)
}

/// Puts each `(key, json5 value)` into `config`; a refusal names the key.
fn insert<const N: usize>(
    config: &mut ::zenoh::Config,
    settings: [(&str, String); N],
) -> Result<(), RemoteError> {
    for (key, value) in settings {
        config
            .insert_json5(key, &value)
            .map_err(|error| RemoteError::Engine(format!("{key}: {error}")))?;
    }
    Ok(())
}

/// Writes the dictionary (`user:password`) to a file of this process, readable by
/// its owner only, and returns its path.
fn dictionary_file(credentials: &Credentials) -> Result<String, RemoteError> {
    use std::io::Write;
    use std::sync::atomic::{AtomicU64, Ordering};

    static NEXT: AtomicU64 = AtomicU64::new(0);
    if credentials.user.contains(':')
        || credentials.user.contains('\n')
        || credentials.password.contains('\n')
    {
        return Err(RemoteError::Engine(
            "credentials: a user name holds no `:` and neither holds a line break".to_owned(),
        ));
    }
    let path = std::env::temp_dir().join(format!(
        "messages-remote-{}-{}.credentials",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&path).map_err(RemoteError::engine)?;
    writeln!(file, "{}:{}", credentials.user, credentials.password).map_err(RemoteError::engine)?;
    path.into_os_string()
        .into_string()
        .map_err(|_| RemoteError::Engine("the temporary directory's path is not UTF-8".to_owned()))
}

/// A Zenoh session and the key prefix of its namespace.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    session: ::zenoh::Session,
    prefix: String,
    /// Where sends and replies run: they block their thread while a link's queue
    /// is full (blocking congestion control), so never in a sender's or an actor's
    /// thread, nor on the node's runtime (its timers, watches and lookups go on).
    wire: tokio::runtime::Handle,
}

/// Sends to one actor's key.
pub(crate) struct Sender {
    session: ::zenoh::Session,
    publisher: ::zenoh::pubsub::Publisher<'static>,
    key: String,
    request_timeout: Duration,
}

impl Session {
    pub(crate) async fn open(
        config: ::zenoh::Config,
        namespace: &str,
        wire: tokio::runtime::Handle,
    ) -> Result<Self, RemoteError> {
        let session = ::zenoh::open(config).await.map_err(RemoteError::engine)?;
        Ok(Self {
            session,
            prefix: format!("messages/{namespace}"),
            wire,
        })
    }

    pub(crate) fn wire(&self) -> &tokio::runtime::Handle {
        &self.wire
    }

    fn actor_key(&self, name: &str) -> String {
        format!("{}/actor/{name}", self.prefix)
    }

    /// The token key of `publication` of `name` (`*`: of every publication).
    fn alive_key(&self, name: &str, publication: &str) -> String {
        format!("{}/alive/{name}/{publication}", self.prefix)
    }

    /// The notice key of `publication` of `name` (`*`: of every publication).
    fn stopped_key(&self, name: &str, publication: &str) -> String {
        format!("{}/stopped/{name}/{publication}", self.prefix)
    }

    fn node_key(&self, id: &str) -> String {
        format!("{}/node/{id}", self.prefix)
    }

    pub(crate) async fn join(&self, id: &NodeId) -> Result<Keep, RemoteError> {
        let token = self
            .session
            .liveliness()
            .declare_token(self.node_key(id.as_str()))
            .await
            .map_err(RemoteError::engine)?;
        Ok(Box::new(token))
    }

    pub(crate) async fn watch_nodes(&self, members: Members) -> Result<Keep, RemoteError> {
        let members = std::sync::Mutex::new(members);
        let tokens = self
            .session
            .liveliness()
            .declare_subscriber(self.node_key("*"))
            .history(true)
            .callback(move |sample| {
                let id = sample.key_expr().as_str().rsplit('/').next();
                let Some(id) = id.and_then(NodeId::parse) else {
                    return;
                };
                let mut members = members
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                match sample.kind() {
                    SampleKind::Put => members.seen(id),
                    SampleKind::Delete => members.gone(&id),
                }
            })
            .await
            .map_err(RemoteError::engine)?;
        Ok(Box::new(tokens))
    }

    pub(crate) async fn is_published(
        &self,
        name: &str,
        timeout: Duration,
    ) -> Result<bool, RemoteError> {
        let replies = self
            .session
            .liveliness()
            .get(self.alive_key(name, "*"))
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

    pub(crate) async fn serve(&self, name: &str, jobs: Intake) -> Result<Keep, RemoteError> {
        let key = self.actor_key(name);
        // Both callbacks feed one queue, in the order the messages arrive: FIFO per
        // sender holds across requests and notifications.
        let requests = std::sync::Arc::clone(&jobs);
        let queryable = self
            .session
            .declare_queryable(&key)
            .callback(move |query| {
                let payload = query
                    .payload()
                    .map(|payload| payload.to_bytes().into_owned())
                    .unwrap_or_default();
                requests(Job::Request(payload, Replier::Zenoh(query)));
            })
            .await
            .map_err(RemoteError::engine)?;
        let subscriber = self
            .session
            .declare_subscriber(&key)
            .callback(move |sample| {
                jobs(Job::Notification(sample.payload().to_bytes().into_owned()));
            })
            .await
            .map_err(RemoteError::engine)?;
        Ok(Box::new((queryable, subscriber)))
    }

    pub(crate) async fn announce(
        &self,
        name: &str,
        publication: &str,
    ) -> Result<Keep, RemoteError> {
        let token = self
            .session
            .liveliness()
            .declare_token(self.alive_key(name, publication))
            .await
            .map_err(RemoteError::engine)?;
        Ok(Box::new(token))
    }

    pub(crate) async fn tell_stopped(&self, name: &str, publication: &str, bytes: Vec<u8>) {
        // A blocking put: on the runtime for sends, awaited (the notice goes out
        // before the name is withdrawn).
        let key = self.stopped_key(name, publication);
        let session = self.session.clone();
        let telling = self.wire.spawn(async move {
            let _ = session
                .put(key, bytes)
                .congestion_control(CongestionControl::Block)
                .await;
        });
        let _ = telling.await;
    }

    pub(crate) async fn watch(&self, name: &str, watch: Arc<Watch>) -> Result<Keep, RemoteError> {
        let watcher = Arc::clone(&watch);
        // A `Delete` may be a blip: zenoh-link-tls (1.10) reads and writes one rustls
        // connection from two tasks at once (eclipse-zenoh/zenoh#2557), so a write now
        // and then fails "handshake not complete" and the link closes; the connecting
        // side opens it again at once, and the token comes back (`Watch::ended`).
        let tokens = self
            .session
            .liveliness()
            .declare_subscriber(self.alive_key(name, "*"))
            .history(true)
            .callback(move |sample| {
                let publication = last_segment(sample.key_expr().as_str());
                match sample.kind() {
                    SampleKind::Put => watcher.saw_up(publication),
                    SampleKind::Delete => watcher.saw_gone(publication),
                }
            })
            .await
            .map_err(RemoteError::engine)?;
        let notices = self
            .session
            .declare_subscriber(self.stopped_key(name, "*"))
            .callback(move |sample| {
                let publication = last_segment(sample.key_expr().as_str());
                watch.told(publication, &sample.payload().to_bytes());
            })
            .await
            .map_err(RemoteError::engine)?;
        Ok(Box::new((tokens, notices)))
    }

    pub(crate) async fn sender(
        &self,
        name: &str,
        request_timeout: Duration,
    ) -> Result<Sender, RemoteError> {
        let key = self.actor_key(name);
        let publisher = self
            .session
            .declare_publisher(key.clone())
            .congestion_control(CongestionControl::Block)
            .await
            .map_err(RemoteError::engine)?;
        Ok(Sender {
            session: self.session.clone(),
            publisher,
            key,
            request_timeout,
        })
    }

    pub(crate) async fn wait_for_peer(&self, timeout: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let info = self.session.info();
            if info.peers_zid().await.next().is_some() || info.routers_zid().await.next().is_some()
            {
                return true;
            }
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            // The engine has no stable event for a new link: look again shortly.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    pub(crate) async fn close(&self) {
        let _ = self.session.close().await;
    }
}

impl Sender {
    pub(crate) async fn notify(&self, frame: Vec<u8>) {
        let _ = self.publisher.put(frame).await;
    }

    pub(crate) async fn request(&self, frame: Vec<u8>, answer: AnswerOnce) {
        let answer = Arc::new(answer);
        let on_reply = Arc::clone(&answer);
        let sent = self
            .session
            .get(&self.key)
            .payload(frame)
            .timeout(self.request_timeout)
            .callback(move |reply| match reply.result() {
                Ok(sample) => on_reply.give(wire::read_answer(&sample.payload().to_bytes())),
                // The engine's own error reply: the query timed out.
                Err(_) => on_reply.give(Err(messages::SendError::Timeout)),
            })
            .await;
        if sent.is_err() {
            answer.give(Err(messages::SendError::Unreachable));
        }
    }
}

/// The last `/` segment of `key`: which publication of a name a key is about.
fn last_segment(key: &str) -> &str {
    key.rsplit('/').next().unwrap_or(key)
}

/// Answers a query.
pub(crate) async fn reply(query: Query, bytes: Vec<u8>) {
    let _ = query.reply(query.key_expr().clone(), bytes).await;
}
