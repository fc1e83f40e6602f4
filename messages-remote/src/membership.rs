//! Which nodes make up the cluster: every node has a [`NodeId`], and
//! [`Node::events`](crate::Node::events) tells when others join and leave.

use std::collections::HashSet;
use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::sync::mpsc;

/// A node of the cluster, as every node names it. Unique per started node (a node
/// that restarts comes back under a new id).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(Arc<str>);

impl NodeId {
    /// A fresh id: random (the standard library's per-process random keys), the
    /// process id and the time, as 32 hex digits.
    pub(crate) fn fresh() -> Self {
        use std::hash::{BuildHasher, Hasher};
        use std::sync::atomic::{AtomicU64, Ordering};

        static STARTED: AtomicU64 = AtomicU64::new(0);
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u32(std::process::id());
        hasher.write_u64(STARTED.fetch_add(1, Ordering::Relaxed));
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos());
        hasher.write_u128(nanos);
        let high = hasher.finish();
        hasher.write_u64(high);
        Self(format!("{high:016x}{:016x}", hasher.finish()).into())
    }

    /// An id read off the wire (an engine key or subject), if it has the shape of one.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        (text.len() == 32 && text.bytes().all(|byte| byte.is_ascii_hexdigit()))
            .then(|| Self(text.into()))
    }

    /// The id as text: 32 hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NodeId({})", self.0)
    }
}

/// A change in the cluster's membership, as [`NodeEvents`] tell it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NodeEvent {
    /// A node joined the cluster (or was there already when the events were asked for).
    Joined(NodeId),
    /// A node left: it closed, died (a killed process), or went silent past its lease
    /// (a frozen process, a lost link).
    Left(NodeId),
}

/// The other nodes' joins and leaves, in the order this node saw them: first a
/// [`NodeEvent::Joined`] for each node already there, then each change. Made by
/// [`Node::events`](crate::Node::events). A [`Stream`](futures_core::Stream)
/// (so `address.spawn_stream_forwarder(events)` hands them to an actor), and
/// [`next`](NodeEvents::next) for a plain loop. It ends when its node closes.
#[derive(Debug)]
pub struct NodeEvents {
    events: mpsc::UnboundedReceiver<NodeEvent>,
}

impl NodeEvents {
    pub(crate) fn new(events: mpsc::UnboundedReceiver<NodeEvent>) -> Self {
        Self { events }
    }

    /// The next join or leave; `None` once the node is closed.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: an event not returned stays for the next call.
    pub async fn next(&mut self) -> Option<NodeEvent> {
        self.events.recv().await
    }
}

impl futures_core::Stream for NodeEvents {
    type Item = NodeEvent;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<NodeEvent>> {
        self.events.poll_recv(cx)
    }
}

/// What an engine saw, turned into events: each node joins once and leaves once,
/// and this node's own id is left out.
pub(crate) struct Members {
    own: NodeId,
    present: HashSet<NodeId>,
    events: mpsc::UnboundedSender<NodeEvent>,
}

impl Members {
    pub(crate) fn new(own: NodeId, events: mpsc::UnboundedSender<NodeEvent>) -> Self {
        Self {
            own,
            present: HashSet::new(),
            events,
        }
    }

    /// `id` is there.
    pub(crate) fn seen(&mut self, id: NodeId) {
        if id != self.own && self.present.insert(id.clone()) {
            let _ = self.events.send(NodeEvent::Joined(id));
        }
    }

    /// `id` is gone.
    pub(crate) fn gone(&mut self, id: &NodeId) {
        if self.present.remove(id) {
            let _ = self.events.send(NodeEvent::Left(id.clone()));
        }
    }

    /// Once every [`NodeEvents`] of these is dropped.
    pub(crate) fn dropped(&self) -> impl Future<Output = ()> + Send + 'static {
        let events = self.events.clone();
        async move { events.closed().await }
    }
}
