//! [`Node`]: this process's place in the cluster, and [`NodeBuilder`], how it joins.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use messages::{Address, Typed};
use tokio::runtime::Handle;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

use crate::engine::{Engine, HandedBack, Keep, Opening, Session};
use crate::membership::{Members, NodeEvents, NodeId};
use crate::{Remote, RemoteError, Tls, client, server};

/// What a Zenoh node is to the others ([`NodeBuilder::role`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Role {
    /// Talks to every node it meets, directly (the default): no server anywhere.
    #[default]
    Peer,
    /// Routes between the nodes that connect to it, as a `zenohd` router does, and
    /// serves and calls actors of its own. The middle of a star or a chain of sites.
    Router,
    /// Talks through the one router it connects to only: the lightest node, for a
    /// process that should keep a single link.
    Client,
}

/// How a [`Node`] joins: the endpoints it listens on and connects to, its namespace
/// and its timings. Made by [`Node::builder`].
#[derive(Debug, Clone)]
pub struct NodeBuilder {
    engine: Engine,
    role: Option<Role>,
    listen: Vec<String>,
    connect: Vec<String>,
    namespace: String,
    lease: Duration,
    request_timeout: Duration,
    lookup_timeout: Duration,
    connect_timeout: Duration,
    credentials: Option<Credentials>,
    tls: Option<Tls>,
}

/// A user name and password every node of a cluster must present.
#[derive(Clone)]
pub(crate) struct Credentials {
    pub(crate) user: String,
    pub(crate) password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// What every part of a node reads.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) request_timeout: Duration,
    pub(crate) lookup_timeout: Duration,
}

impl NodeBuilder {
    /// The engine to run on (default [`Engine::Zenoh`]).
    pub fn engine(mut self, engine: Engine) -> Self {
        self.engine = engine;
        self
    }

    /// What this node is to the others on Zenoh (default [`Role::Peer`]). A NATS
    /// node is always a client of its server: any role but [`Role::Client`] is
    /// refused there.
    pub fn role(mut self, role: Role) -> Self {
        self.role = Some(role);
        self
    }

    /// Listens on `endpoint` (`tcp/127.0.0.1:7447`) for other nodes to connect to.
    pub fn listen(mut self, endpoint: impl Into<String>) -> Self {
        self.listen.push(endpoint.into());
        self
    }

    /// Connects to the node (or `zenohd` router) listening on `endpoint`. A node
    /// that is not up yet is retried in the background.
    pub fn connect(mut self, endpoint: impl Into<String>) -> Self {
        self.connect.push(endpoint.into());
        self
    }

    /// Names a separate cluster on the same network: nodes see only the actors of
    /// their own namespace (default `default`).
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = namespace.into();
        self
    }

    /// How long a silent peer is given before it is taken for dead (default 1 s):
    /// a frozen process is noticed after about this long, a killed one at once.
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// The longest a remote request waits for its answer (default 10 s); it then
    /// fails [`SendError::Timeout`](messages::SendError::Timeout). A caller's own
    /// `.timeout(..)` may be shorter.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// How long [`Node::lookup`] asks the cluster before answering
    /// [`RemoteError::NotFound`] (default 2 s).
    pub fn lookup_timeout(mut self, timeout: Duration) -> Self {
        self.lookup_timeout = timeout;
        self
    }

    /// How long [`start`](NodeBuilder::start) waits for a node at one of the
    /// `connect` endpoints to answer (default 5 s) before it fails
    /// [`RemoteError::Unreachable`]: a wrong endpoint is never silent.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Requires `user` and `password` of every node this one talks to, and presents
    /// them itself: a node without them (or with others) cannot reach any actor here,
    /// nor be reached. On Zenoh every node of the cluster sets the same pair (the
    /// engine's user/password authentication); on NATS the pair is the server's own
    /// (`nats-server --user .. --pass ..`, or its authorization config).
    pub fn credentials(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials = Some(Credentials {
            user: user.into(),
            password: password.into(),
        });
        self
    }

    /// Speaks TLS on every link, with mutual authentication: see [`Tls`]. On Zenoh
    /// every endpoint is then a `tls/host:port` one (a `tcp/` endpoint beside it
    /// would let nodes without a certificate in, so it is refused); on NATS the
    /// server must speak TLS and verify clients (`nats-server --tlsverify`).
    pub fn tls(mut self, tls: Tls) -> Self {
        self.tls = Some(tls);
        self
    }

    /// Starts the node: its engine session runs on a runtime of its own (two
    /// threads; on Zenoh, two more for the engine's sends, which may block), so the
    /// node works from any executor.
    ///
    /// # Errors
    ///
    /// [`RemoteError::Engine`] when the engine refuses the configuration or an
    /// endpoint (a port in use, say), or a TLS file cannot be read;
    /// [`RemoteError::Unreachable`] when `connect` endpoints were given and no node
    /// answered at any of them in time (on Zenoh, a peer that refuses this node's
    /// certificate or credentials is one that does not answer);
    /// [`RemoteError::Refused`] when the NATS server refuses them.
    pub async fn start(self) -> Result<Node, RemoteError> {
        crate::names::check(&self.namespace)?;
        if let Some(tls) = &self.tls {
            tls.check()?;
        }
        let opening = match self.engine {
            Engine::Zenoh => Opening::Zenoh(Box::new(crate::engine::zenoh::config(
                self.role.unwrap_or_default(),
                &self.listen,
                &self.connect,
                self.lease,
                self.credentials.as_ref(),
                self.tls.as_ref(),
            )?)),
            #[cfg(feature = "nats")]
            Engine::Nats => {
                if self.role.is_some_and(|role| role != Role::Client) {
                    return Err(RemoteError::Engine(
                        "a NATS node is a client of its nats-server: it takes no other role"
                            .to_owned(),
                    ));
                }
                Opening::Nats(crate::engine::nats::opening(
                    &self.connect,
                    self.connect_timeout,
                    self.credentials.clone(),
                    self.tls.clone(),
                )?)
            }
        };
        let id = NodeId::fresh();
        let settings = Settings {
            request_timeout: self.request_timeout,
            lookup_timeout: self.lookup_timeout,
        };
        let (ready, started) = oneshot::channel();
        let (stop, stopped) = oneshot::channel();
        std::thread::Builder::new()
            .name("messages-remote".into())
            .spawn({
                let (namespace, id) = (self.namespace.clone(), id.clone());
                move || crate::engine::run(opening, namespace, id, ready, stopped)
            })
            .map_err(RemoteError::engine)?;
        let (runtime, session) = started.await.map_err(|_| RemoteError::Closed)??;
        let node = Node {
            inner: Arc::new(Inner {
                id,
                runtime,
                session: Some(session),
                joined: Mutex::new(None),
                settings,
                stop: Mutex::new(Some(stop)),
                closing: watch::Sender::new(false),
                servers: Mutex::default(),
            }),
        };
        // Dropped with the node on a failure below: the node's thread ends it.
        let joined = {
            let (session, id) = (node.inner.session()?, node.inner.id.clone());
            node.on_node(async move { session.join(&id).await })
                .await??
        };
        *lock(&node.inner.joined) = Some(joined);
        if !self.connect.is_empty() {
            let session = node.inner.session()?;
            let timeout = self.connect_timeout;
            let joined = node
                .on_node(async move { session.wait_for_peer(timeout).await })
                .await?;
            if !joined {
                return Err(RemoteError::Unreachable(self.connect.join(", ")));
            }
        }
        Ok(node)
    }
}

/// This process's place in the cluster: publishes local actors under cluster-wide
/// names and looks up the actors other nodes published. Cheap to clone; the node
/// closes when its last clone is dropped.
#[derive(Debug, Clone)]
pub struct Node {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    id: NodeId,
    runtime: Handle,
    /// `None` only while dropped: the session goes back to the node's thread, which
    /// drops it (the engine panics dropping a session on a current-thread runtime).
    session: Option<Session>,
    /// Says the node is in the cluster, until [`Node::close`] or the drop.
    joined: Mutex<Option<Keep>>,
    settings: Settings,
    /// Hands the session back and tells the node's thread to close it and end.
    stop: Mutex<Option<oneshot::Sender<HandedBack>>>,
    /// Set by [`Node::close`]: the published actors' servers end.
    closing: watch::Sender<bool>,
    /// The published actors' servers.
    servers: Mutex<Vec<JoinHandle<()>>>,
}

impl Inner {
    fn session(&self) -> Result<Session, RemoteError> {
        if *self.closing.borrow() {
            return Err(RemoteError::Closed);
        }
        self.session.clone().ok_or(RemoteError::Closed)
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        let stop = self
            .stop
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(stop) = stop {
            let _ = stop.send(HandedBack {
                session: self.session.take(),
                joined: lock(&self.joined).take(),
            });
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Node {
    /// A builder with the defaults: no endpoint (multicast scouting off: give
    /// `listen` or `connect`), namespace `default`, 1 s lease, 10 s request timeout.
    pub fn builder() -> NodeBuilder {
        NodeBuilder {
            engine: Engine::default(),
            role: None,
            listen: Vec::new(),
            connect: Vec::new(),
            namespace: "default".to_owned(),
            lease: Duration::from_secs(1),
            request_timeout: Duration::from_secs(10),
            lookup_timeout: Duration::from_secs(2),
            connect_timeout: Duration::from_secs(5),
            credentials: None,
            tls: None,
        }
    }

    /// Makes the actor at `address` reachable from every node of the cluster as
    /// `name`. The name vanishes when the actor stops or this node closes; until
    /// then the node holds an address of the actor (it does not stop for want of
    /// local addresses).
    ///
    /// # Errors
    ///
    /// [`RemoteError::InvalidName`], [`RemoteError::NameTaken`] when a node already
    /// publishes `name` as far as this node sees (names spread in the background: two
    /// nodes that publish one name at the same moment may both succeed, and a lookup
    /// then reaches either), [`RemoteError::Engine`] when a declaration fails.
    pub async fn publish<A: Remote>(
        &self,
        name: &str,
        address: &Address<A>,
    ) -> Result<(), RemoteError> {
        crate::names::check(name)?;
        let (session, settings) = (self.inner.session()?, self.inner.settings.clone());
        let (name, address) = (name.to_owned(), address.clone());
        let closing = self.inner.closing.subscribe();
        let server = self
            .on_node(server::publish(session, settings, name, address, closing))
            .await??;
        lock(&self.inner.servers).push(server);
        Ok(())
    }

    /// Closes the node: its published names vanish (a remote address of an actor that
    /// has stopped hears why; one of an actor still running hears
    /// [`StopReason::Unreachable`](messages::StopReason::Unreachable)), the other
    /// nodes hear it leave, and the engine session closes. Call it before the process exits, so that what is under way
    /// reaches the other nodes; dropping the last clone of the node closes it too,
    /// without waiting. Later calls on any clone fail [`RemoteError::Closed`].
    pub async fn close(&self) {
        if self.inner.closing.send_replace(true) {
            return;
        }
        let servers = std::mem::take(&mut *lock(&self.inner.servers));
        let joined = lock(&self.inner.joined).take();
        let Some(session) = self.inner.session.clone() else {
            return;
        };
        let id = self.inner.id.clone();
        let _ = self
            .on_node(async move {
                for server in servers {
                    let _ = tokio::time::timeout(Duration::from_secs(1), server).await;
                }
                // The names first, then the node itself.
                if let Some(joined) = joined {
                    drop(joined);
                    session.leave(&id).await;
                }
                session.close().await;
            })
            .await;
    }

    /// The typed address of the actor published as `name`, as a local actor's is:
    /// the same typed methods, `send`/`notify`, timeouts, recipients and monitors.
    /// Requests that cannot be answered fail with a typed [`SendError`](messages::SendError):
    /// `Unreachable` when the actor's node is gone, `Malformed` when a message does
    /// not decode there, `Timeout` past the request timeout.
    ///
    /// # Errors
    ///
    /// [`RemoteError::NotFound`] when no node publishes `name` (asked for the
    /// builder's lookup timeout); [`RemoteError::Mismatch`] when the actor published
    /// as `name` does not serve every message of `A` (another actor type).
    pub async fn lookup<A: Remote + Typed>(&self, name: &str) -> Result<A::Address, RemoteError> {
        Ok(self.lookup_address::<A>(name).await?.into())
    }

    /// [`lookup`](Node::lookup), waiting up to `timeout` for the name to appear.
    ///
    /// # Errors
    ///
    /// [`RemoteError::NotFound`] when `name` did not appear in time.
    pub async fn lookup_within<A: Remote + Typed>(
        &self,
        name: &str,
        timeout: Duration,
    ) -> Result<A::Address, RemoteError> {
        Ok(self.lookup_address_within::<A>(name, timeout).await?.into())
    }

    /// [`lookup`](Node::lookup), as an untyped [`Address`] (for actors written
    /// without `#[actor]`).
    ///
    /// # Errors
    ///
    /// As [`lookup`](Node::lookup).
    pub async fn lookup_address<A: Remote>(&self, name: &str) -> Result<Address<A>, RemoteError> {
        let timeout = self.inner.settings.lookup_timeout;
        self.lookup_address_within(name, timeout).await
    }

    /// [`lookup_within`](Node::lookup_within), as an untyped [`Address`].
    ///
    /// # Errors
    ///
    /// As [`lookup_within`](Node::lookup_within).
    pub async fn lookup_address_within<A: Remote>(
        &self,
        name: &str,
        timeout: Duration,
    ) -> Result<Address<A>, RemoteError> {
        crate::names::check(name)?;
        let (session, settings) = (self.inner.session()?, self.inner.settings.clone());
        let (name, closing) = (name.to_owned(), self.inner.closing.subscribe());
        self.on_node(client::lookup(session, settings, name, timeout, closing))
            .await?
    }

    /// This node's id, as the others see it in their [`events`](Node::events).
    pub fn id(&self) -> &NodeId {
        &self.inner.id
    }

    /// The other nodes' joins and leaves: first a [`NodeEvent::Joined`](crate::NodeEvent::Joined)
    /// for each node there now, then every change, until this node closes. A node
    /// that closes, dies or is killed leaves at once; a frozen one once its silence
    /// outlasts its lease on Zenoh, or half a second on NATS.
    ///
    /// ```rust,no_run
    /// # async fn watch(node: messages_remote::Node) -> Result<(), messages_remote::RemoteError> {
    /// use messages_remote::NodeEvent;
    ///
    /// let mut events = node.events().await?;
    /// while let Some(event) = events.next().await {
    ///     match event {
    ///         NodeEvent::Joined(id) => println!("{id} joined"),
    ///         NodeEvent::Left(id) => println!("{id} left"),
    ///         _ => {}
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`RemoteError::Closed`] on a closed node, [`RemoteError::Engine`] when the
    /// engine refuses the subscription.
    pub async fn events(&self) -> Result<NodeEvents, RemoteError> {
        let session = self.inner.session()?;
        let (events, receiver) = tokio::sync::mpsc::unbounded_channel();
        let members = Members::new(self.inner.id.clone(), events);
        let dropped = members.dropped();
        let mut closing = self.inner.closing.subscribe();
        self.on_node(async move {
            let watching = session.watch_nodes(members).await?;
            // The engine's subscription lives on the node's runtime until the events
            // are dropped or the node closes (then they end).
            tokio::spawn(async move {
                tokio::select! {
                    () = dropped => {}
                    _ = closing.wait_for(|closing| *closing) => {}
                }
                drop(watching);
            });
            Ok::<_, RemoteError>(())
        })
        .await??;
        Ok(NodeEvents::new(receiver))
    }

    /// Runs `work` on the node's own runtime and hands its output back to the
    /// caller's executor, whatever it is.
    async fn on_node<T: Send + 'static>(
        &self,
        work: impl Future<Output = T> + Send + 'static,
    ) -> Result<T, RemoteError> {
        let (done, output) = oneshot::channel();
        self.inner.runtime.spawn(async move {
            let _ = done.send(work.await);
        });
        output.await.map_err(|_| RemoteError::Closed)
    }
}
