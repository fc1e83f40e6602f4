//! Typed calls to [`messages`] actors in other processes.
//!
//! A [`Node`] is this process's place in a cluster. `node.publish("calc", &address)`
//! makes a local actor reachable under a cluster-wide name; `node.lookup::<Calc>("calc")`
//! on another node returns its typed address, with the same methods as a local one:
//!
//! ```rust,ignore
//! // process 1
//! let node = Node::builder().listen("tcp/127.0.0.1:7447").start().await?;
//! node.publish("calc", &Calc::default().spawn()).await?;
//!
//! // process 2
//! let node = Node::builder().connect("tcp/127.0.0.1:7447").start().await?;
//! let calc = node.lookup::<Calc>("calc").await?;
//! assert_eq!(calc.add(2, 3).await?, 5);
//! ```
//!
//! `#[actor(remote)]` on the impl block makes an actor's messages cross processes:
//! each gets serde's derives and a stable tag (`Calc::Add`, renamed with
//! `#[handler(tag = "..")]`), and the actor implements [`Remote`].
//!
//! # Engines
//!
//! - [`Engine::Zenoh`] (the default): every node is a peer inside its process, no
//!   server to run; nodes meet through the endpoints they `listen` on and `connect` to
//!   (multicast scouting is off), and a larger cluster scales out through `zenohd`
//!   routers. A killed node is noticed through its liveliness tokens (a few ms); a
//!   frozen one when its lease (1 s by default) runs out.
//! - `Engine::Nats` (the `nats` feature): every node connects to one `nats-server`.
//!   Requests use reply inboxes, notifications publications on the same subject;
//!   published names answer pings every 100 ms, which is how a dead node is noticed
//!   (NATS itself would let a pending request wait out its timeout).
//!
//! Each node runs its engine session on a runtime of its own (two threads), so the
//! node and every remote address work from any executor: tokio (either flavour),
//! smol, or a plain `block_on`. A message sent to a remote address is encoded where
//! the address's mailbox is drained: in the sending thread, or in the address's
//! backlog task once the engine falls behind. It is handed to the engine there on
//! NATS (whose sends never block a thread); on Zenoh by the backlog task, on a
//! runtime of the node's for sends (two threads): Zenoh's blocking congestion
//! control blocks the thread that sends while a link's queue is full, and that is
//! never a sender's or an actor's thread, nor the node's own runtime (its timers,
//! watches and lookups go on). It is served on the other node straight from the
//! engine's callback while the actor's mailbox has room, and once it has not, from
//! the node's backlog of the actor, in the actor's thread as it frees room (no task
//! between the two): a message's serde code runs there, so it should not block or
//! take locks the sender holds. A panic in it is contained: it fails that message
//! only. The serving node does not push back on remote senders: what an actor that
//! has fallen behind cannot take yet waits in that backlog (memory on its node). `.credentials(user, password)` keeps
//! nodes without the pair out (see [`NodeBuilder::credentials`]).
//!
//! # Delivery
//!
//! - Requests cross as queries and come back as their one reply; notifications as
//!   publications with blocking congestion control (never dropped for load). Messages
//!   from one remote address reach the actor in the order they were sent, requests
//!   and notifications together.
//! - Backpressure is a wait, never a blocked thread of yours: when the engine takes
//!   no more (a slow or frozen node), a remote address's mailbox fills, and its
//!   senders wait for room as they would for a full local mailbox (`notify(..).await`
//!   is pending; `try_notify` says `Full`). On Zenoh, sends to a frozen node that is
//!   being flooded can hold the node's two send threads until Zenoh drops its link
//!   (5 s): sends to other nodes wait that long too.
//! - Every request resolves: its answer, or a [`SendError`](messages::SendError):
//!   `Stopped`/`Unanswered` (the actor stopped), `Panicked`, `Timeout` (past the
//!   node's request timeout, 10 s by default, or the caller's own), `Unreachable`
//!   (the actor's node died or the link was lost: pending requests fail at once),
//!   `Malformed` (the message or its answer does not decode on the other side).
//! - Notifications are at most once: one sent just as the actor's node dies may be
//!   lost with it.
//! - A remote address's `wait_for_stop` (and a monitor on it) reports the actor's own
//!   stop reason, or [`StopReason::Unreachable`](messages::StopReason::Unreachable)
//!   when its node is gone. It follows the publication it found: the name published
//!   again (elsewhere, or later) is another actor, never silently taken for it.
//! - A remote address lives while some clone of it does: once the last is dropped it
//!   ends (its monitors hear [`StopReason::AddressesDropped`](messages::StopReason::AddressesDropped),
//!   as for a local actor), while the actor itself goes on serving others. Keep an
//!   address to keep watching.

#![deny(missing_docs)]

mod client;
mod contain;
mod engine;
mod error;
mod flag;
mod inline;
mod membership;
mod names;
mod node;
mod ordered;
mod remote;
mod server;
mod tls;
mod wire;

pub use engine::Engine;
pub use error::RemoteError;
pub use membership::{NodeEvent, NodeEvents, NodeId};
pub use node::{Node, NodeBuilder, Role};
pub use remote::{
    Outgoing, Remote, Served, Serving, Wire, serve_notification, serve_read, serve_request,
};
pub use tls::Tls;

/// What `#[actor(remote)]` generates code against. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use messages::proxy::Incoming;
    pub use serde;
}
