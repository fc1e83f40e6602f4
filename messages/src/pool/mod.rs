//! Worker pools: N workers of one actor type behind one address.
//!
//! A [`Pool`] starts its workers supervised and routes every message sent to its
//! address to one of them ([`Routing`]: each in turn, or the least busy). The pool's
//! address is an ordinary [`Address<A>`] of the workers' type: `send`, `notify`,
//! `read`, recipients and the typed address that `#[actor]` generates all work on it
//! as on a single actor, and the worker that handles a request answers its caller
//! directly.
//!
//! ```
//! use messages::pool::{Pool, Routing};
//! use messages::prelude::*;
//! # use messages::runtime::{Spawner, Timer};
//! # #[derive(Clone)]
//! # struct Threads;
//! # impl Spawner for Threads {
//! #     fn spawn<F: std::future::Future<Output = ()> + Send + 'static>(&self, future: F) {
//! #         std::thread::spawn(move || futures::executor::block_on(future));
//! #     }
//! # }
//! # impl Timer for Threads {
//! #     type Sleep = std::future::Pending<()>;
//! #     fn sleep(&self, _: std::time::Duration) -> Self::Sleep { std::future::pending() }
//! # }
//!
//! /// Hashes a password: slow work, spread over four workers.
//! #[derive(Default)]
//! struct Hasher;
//! impl Actor for Hasher {}
//! impl Handler<String> for Hasher {
//!     type Result = usize;
//!     async fn handle(&mut self, password: String, _: &Context<Self>) -> usize {
//!         password.len()
//!     }
//! }
//!
//! # futures::executor::block_on(async {
//! // `Pool::spawn(4, Hasher::default)` on the built-in runtime; here, on threads.
//! let pool = Pool::builder(4, Hasher::default)?
//!     .routing(Routing::LeastBusy)
//!     .spawn_on(&Threads);
//! assert_eq!(pool.send("hunter2".to_owned()).await, Ok(7));
//!
//! pool.resize(2).await?;
//! assert_eq!(pool.size(), 2);
//! pool.stop().await;
//! assert_eq!(pool.wait_for_stop().await, StopReason::Requested);
//! # Ok::<(), messages::pool::PoolError>(())
//! # }).unwrap();
//! ```
//!
//! # Supervision
//!
//! Each worker is supervised by the pool's [`Supervision`] (by default
//! `Restart::Transient`: restarted after a panic, within the default budget). A worker
//! that panics answers the failing request with [`SendError::Panicked`](crate::SendError::Panicked),
//! restarts behind its own address and keeps its mailbox; the other workers are not
//! touched. A worker that stops for good (past its budget) leaves the pool: from its
//! stop on, messages go to the others, and when the last one is gone the pool stops
//! with its reason (its stop is published after every worker's, including those that
//! left the pool while still stopping). What it was given but had not handled when it
//! failed is refused as by any actor that stops (requesters get
//! [`SendError::Unanswered`](crate::SendError::Unanswered)); it is not handed on again.
//!
//! # Stopping
//!
//! The pool is stopped like an actor: [`Address::stop`] (the pool derefs to its
//! address) queues a stop behind the messages already sent, which are all handed on;
//! each worker is then stopped for good ([`Address::shutdown`]) behind what it was
//! given, and [`wait_for_stop`](Address::wait_for_stop) returns once every worker has
//! stopped. [`Address::kill`] kills every worker. Dropping every address of the pool
//! (the `Pool` handles included) stops it as `stop` does.
//!
//! # Routing costs and limits
//!
//! A message to a pool goes through two mailboxes: the pool's, then its worker's, moved
//! from one to the other without a box. A full worker mailbox makes the pool wait for
//! room there, so the pool's own mailbox fills and its senders wait: backpressure
//! reaches the callers. Priority notifications go first through the pool's mailbox and
//! are then queued as ordinary messages at their worker. The wait graph that refuses
//! deadlocking requests (see [`SendError::WouldDeadlock`](crate::SendError::WouldDeadlock))
//! sees a request to the pool as a wait on the pool, not on its worker: a worker that
//! requests its own pool while every worker does the same is not caught.

mod dispatcher;
mod routing;
mod workers;

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

pub use routing::Routing;

use crate::cell::{ActorCell, Inbox, Sender};
use crate::runtime::Runtime;
use crate::supervision::{Restart, Supervision};
use crate::{Actor, Address, Mailbox, Notifiable, PartialDelivery};
use workers::Workers;

/// A pool of workers of one actor type behind one address; see the [module
/// docs](self).
///
/// It dereferences to the pool's [`Address`], so `pool.send(msg)`, `pool.stop()` and
/// `pool.wait_for_stop()` work on it; [`address`](Pool::address) hands out a clone,
/// which converts to the actor's typed address (`HasherAddress::from(pool.address())`).
/// Cloning a `Pool` clones the handle: every clone resizes the same pool. A handle
/// keeps the pool alive, as an address does.
pub struct Pool<A> {
    address: Address<A>,
    workers: Arc<Workers<A>>,
}

impl<A> Clone for Pool<A> {
    fn clone(&self) -> Self {
        Self {
            address: self.address.clone(),
            workers: Arc::clone(&self.workers),
        }
    }
}

impl<A: Actor> fmt::Debug for Pool<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("address", &self.address)
            .field("size", &self.size())
            .finish()
    }
}

impl<A> Deref for Pool<A> {
    type Target = Address<A>;

    fn deref(&self) -> &Address<A> {
        &self.address
    }
}

/// Why a pool could not be made or resized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PoolError {
    /// A pool of no workers: nothing would ever handle its messages.
    Empty,
    /// The pool has stopped.
    Stopped,
}

impl fmt::Display for PoolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "a pool needs at least one worker",
            Self::Stopped => "the pool has stopped",
        })
    }
}

impl std::error::Error for PoolError {}

/// A pool to be started: its size, how its workers are made, and its options. Made by
/// [`Pool::builder`].
pub struct PoolBuilder<A> {
    size: usize,
    factory: Arc<dyn Fn() -> A + Send + Sync>,
    routing: Routing,
    supervision: Supervision,
    mailbox: Mailbox,
}

impl<A: Actor> fmt::Debug for PoolBuilder<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PoolBuilder")
            .field("size", &self.size)
            .field("routing", &self.routing)
            .field("supervision", &self.supervision)
            .field("mailbox", &self.mailbox)
            .finish_non_exhaustive()
    }
}

impl<A: Actor> PoolBuilder<A> {
    /// How messages are spread over the workers; [`Routing::RoundRobin`] unless set.
    #[must_use]
    pub fn routing(mut self, routing: Routing) -> Self {
        self.routing = routing;
        self
    }

    /// How each worker is supervised; `Supervision::new(Restart::Transient)` (restart
    /// after a panic, within the default budget) unless set. Each worker has a budget
    /// of its own.
    #[must_use]
    pub fn supervision(mut self, supervision: Supervision) -> Self {
        self.supervision = supervision;
        self
    }

    /// The pool's own mailbox, in front of the workers'; the actor's
    /// [`MAILBOX`](Actor::MAILBOX) unless set. Each worker has the actor's.
    #[must_use]
    pub fn mailbox(mut self, mailbox: Mailbox) -> Self {
        self.mailbox = mailbox;
        self
    }

    /// Starts the workers and the pool on `runtime`.
    ///
    /// # Panics
    ///
    /// When `runtime` cannot spawn here (`runtime::Tokio` outside a tokio runtime),
    /// reported at the caller's line.
    #[track_caller]
    pub fn spawn_on<R: Runtime>(self, runtime: &R) -> Pool<A> {
        let Self {
            size,
            factory,
            routing,
            supervision,
            mailbox,
        } = self;
        let cell = ActorCell::new(mailbox);
        let address = Address::new(Sender::counted(&cell));
        // The queue counts one sender from the start, for a context: a pool has none.
        Sender::release_first(&cell);
        let pool = address.downgrade();
        let workers_runtime = runtime.clone();
        let start = Box::new(move || {
            let factory = Arc::clone(&factory);
            let worker = A::spawn_supervised_on(move || factory(), supervision, &workers_runtime);
            workers_runtime.spawn(dispatcher::watch(worker.clone(), pool.clone()));
            worker
        });
        let workers = Workers::start(size, start);
        let inbox = Inbox::new(Arc::clone(&cell));
        runtime.spawn(dispatcher::dispatch(
            cell,
            inbox,
            Arc::clone(&workers),
            routing,
        ));
        Pool { address, workers }
    }

    /// [`spawn_on`](PoolBuilder::spawn_on) the built-in runtime (tokio when the `tokio`
    /// feature is on, otherwise smol).
    ///
    /// # Panics
    ///
    /// With tokio, when called outside a tokio runtime, reported at the caller's line.
    #[track_caller]
    #[cfg(any(feature = "tokio", feature = "smol", doc))]
    pub fn spawn(self) -> Pool<A> {
        self.spawn_on(&crate::runtime::DefaultRuntime)
    }
}

impl<A: Actor> Pool<A> {
    /// A pool of `size` workers, each made by `factory` (and made again by it when it
    /// restarts), with the default options; set others on the builder, then spawn it.
    ///
    /// # Errors
    ///
    /// [`PoolError::Empty`] when `size` is 0.
    pub fn builder<F>(size: usize, factory: F) -> Result<PoolBuilder<A>, PoolError>
    where
        F: Fn() -> A + Send + Sync + 'static,
    {
        if size == 0 {
            return Err(PoolError::Empty);
        }
        Ok(PoolBuilder {
            size,
            factory: Arc::new(factory),
            routing: Routing::default(),
            supervision: Supervision::new(Restart::Transient),
            mailbox: A::MAILBOX,
        })
    }

    /// A pool of `size` workers made by `factory`, round-robin, on the built-in
    /// runtime: [`builder`](Pool::builder) then [`spawn`](PoolBuilder::spawn).
    ///
    /// # Errors
    ///
    /// [`PoolError::Empty`] when `size` is 0.
    ///
    /// # Panics
    ///
    /// With tokio, when called outside a tokio runtime, reported at the caller's line.
    #[track_caller]
    #[cfg(any(feature = "tokio", feature = "smol", doc))]
    pub fn spawn<F>(size: usize, factory: F) -> Result<Self, PoolError>
    where
        F: Fn() -> A + Send + Sync + 'static,
    {
        Ok(Self::builder(size, factory)?.spawn())
    }

    /// The pool's address (a clone): messages sent to it go to its workers.
    pub fn address(&self) -> Address<A> {
        self.address.clone()
    }

    /// How many workers it has now (0 once it has stopped).
    pub fn size(&self) -> usize {
        self.workers.len()
    }

    /// The workers' own addresses, to reach one directly. A message sent there skips
    /// the pool's routing.
    pub fn workers(&self) -> Vec<Address<A>> {
        self.workers.list()
    }

    /// Starts or stops workers until there are `size`. New workers take messages from
    /// now on; the ones removed (the newest) are stopped for good once they have
    /// handled what they were given, and returns once their stops are queued.
    ///
    /// # Errors
    ///
    /// [`PoolError::Empty`] when `size` is 0; [`PoolError::Stopped`] once the pool has
    /// stopped.
    ///
    /// # Cancel safety
    ///
    /// The new size holds as soon as the call is first polled; dropping the future may
    /// leave some removed workers running, outside the pool, until their last address
    /// (this future's) is dropped.
    pub async fn resize(&self, size: usize) -> Result<(), PoolError> {
        for worker in self.workers.resize(size)? {
            worker.shutdown().await;
        }
        Ok(())
    }

    /// Sends a clone of `message` to every worker, waiting for room where a mailbox is
    /// full; returns to how many it was delivered.
    ///
    /// # Errors
    ///
    /// As [`Broadcast::notify`](crate::Broadcast::notify): [`PartialDelivery`] when a
    /// worker could not be waited for without deadlocking.
    pub async fn broadcast<M>(&self, message: M) -> Result<usize, PartialDelivery>
    where
        A: Notifiable<M>,
        M: Clone + Send + 'static,
    {
        let mut everyone = crate::Broadcast::new();
        let workers = self.workers();
        for worker in &workers {
            everyone.add(worker);
        }
        everyone.notify(message).await
    }
}
