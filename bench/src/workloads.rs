//! The four workloads of BENCHES.md, each twice: on raw tokio channels
//! (the floor) and on `messages`.

use std::time::{Duration, Instant};

use messages::prelude::*;
use tokio::runtime::Runtime;
use tokio::sync::{mpsc, oneshot};

/// The runtime a workload runs on.
#[derive(Debug, Clone, Copy)]
pub enum Flavor {
    MultiThread,
    CurrentThread,
}

impl Flavor {
    pub fn name(self) -> &'static str {
        match self {
            Flavor::MultiThread => "multi-thread (2 workers)",
            Flavor::CurrentThread => "current-thread",
        }
    }

    pub fn runtime(self) -> Runtime {
        match self {
            Flavor::MultiThread => tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .build(),
            Flavor::CurrentThread => tokio::runtime::Builder::new_current_thread().build(),
        }
        .expect("a tokio runtime")
    }
}

/// A workload and its size.
#[derive(Debug, Clone, Copy)]
pub enum Workload {
    /// `nodes` actors in a ring pass a token `rounds` times around.
    Ring { nodes: usize, rounds: usize },
    /// One caller awaits `asks` sequential round trips.
    Ask { asks: usize },
    /// `senders` tasks each send `per_sender` notifications to one actor.
    Tell { senders: usize, per_sender: usize },
    /// Spawn `actors` trivial actors, then stop them all.
    Spawn { actors: usize },
}

impl Workload {
    pub fn name(self) -> &'static str {
        match self {
            Workload::Ring { .. } => "ring (per hop)",
            Workload::Ask { .. } => "ask (per round trip)",
            Workload::Tell { .. } => "tell (per message)",
            Workload::Spawn { .. } => "spawn + stop (per actor)",
        }
    }

    /// How many operations one run performs (the divisor of ns/op).
    pub fn ops(self) -> usize {
        match self {
            Workload::Ring { nodes, rounds } => nodes * rounds,
            Workload::Ask { asks } => asks,
            Workload::Tell {
                senders,
                per_sender,
            } => senders * per_sender,
            Workload::Spawn { actors } => actors,
        }
    }

    pub fn run_raw(self, runtime: &Runtime) -> Duration {
        self.run_on(runtime, raw_ring, raw_ask, raw_tell, raw_spawn)
    }

    pub fn run_messages(self, runtime: &Runtime) -> Duration {
        self.run_on(
            runtime,
            messages_ring,
            messages_ask,
            messages_tell,
            messages_spawn,
        )
    }

    /// Runs this workload on `runtime`'s workers with one framework's implementation of
    /// each workload (each returns the measured time).
    pub(crate) fn run_on<R, A, T, S>(
        self,
        runtime: &Runtime,
        ring: impl FnOnce(usize, usize) -> R,
        ask: impl FnOnce(usize) -> A,
        tell: impl FnOnce(usize, usize) -> T,
        spawn: impl FnOnce(usize) -> S,
    ) -> Duration
    where
        R: Future<Output = Duration> + Send + 'static,
        A: Future<Output = Duration> + Send + 'static,
        T: Future<Output = Duration> + Send + 'static,
        S: Future<Output = Duration> + Send + 'static,
    {
        match self {
            Workload::Ring { nodes, rounds } => on_worker(runtime, ring(nodes, rounds)),
            Workload::Ask { asks } => on_worker(runtime, ask(asks)),
            Workload::Tell {
                senders,
                per_sender,
            } => on_worker(runtime, tell(senders, per_sender)),
            Workload::Spawn { actors } => on_worker(runtime, spawn(actors)),
        }
    }
}

/// The ask workload's timed part, in every framework: `asks` sequential round trips,
/// each sending the previous answer (`ask_one`) and getting it back plus one. Checks
/// the count and returns the time taken.
pub(crate) async fn time_asks<F, Fut>(asks: usize, mut ask_one: F) -> Duration
where
    F: FnMut(u64) -> Fut,
    Fut: Future<Output = Option<u64>>,
{
    let start = Instant::now();
    let mut n = 0;
    for _ in 0..asks {
        n = ask_one(n).await.unwrap_or(n);
    }
    let elapsed = start.elapsed();
    assert_eq!(n, asks as u64, "every round trip answered");
    elapsed
}

/// Runs the measuring task on the runtime's workers, as an application would, rather
/// than on the thread that blocks on it (which would make every wake-up cross threads).
pub fn on_worker<F>(runtime: &Runtime, run: F) -> Duration
where
    F: std::future::Future<Output = Duration> + Send + 'static,
{
    runtime
        .block_on(runtime.spawn(run))
        .expect("the measuring task panicked")
}

/// The token value that tells every node to forward it once more and stop.
pub(crate) const POISON: u64 = u64::MAX;

/// Where a timed run says it is over: fired at most once, then inert.
pub(crate) struct Finish(Option<oneshot::Sender<()>>);

impl Finish {
    /// A signal that fires `done`.
    pub(crate) fn to(done: oneshot::Sender<()>) -> Self {
        Self(Some(done))
    }

    /// A signal that fires nothing (every ring node but the first).
    pub(crate) fn nowhere() -> Self {
        Self(None)
    }

    /// Hands this signal over, leaving one that fires nothing.
    pub(crate) fn take(&mut self) -> Self {
        std::mem::replace(self, Self::nowhere())
    }

    /// Fires the signal, the first time only.
    pub(crate) fn fire(&mut self) {
        if let Some(done) = self.0.take() {
            let _ = done.send(());
        }
    }
}

/// Counts handled messages and fires its [`Finish`] at the last one: the tell workload's
/// receiving side, in every framework.
pub(crate) struct Tally {
    count: usize,
    total: usize,
    finish: Finish,
}

impl Tally {
    pub(crate) fn new(total: usize, done: oneshot::Sender<()>) -> Self {
        Self {
            count: 0,
            total,
            finish: Finish::to(done),
        }
    }

    /// One more message handled.
    pub(crate) fn count_one(&mut self) {
        self.count += 1;
        if self.count == self.total {
            self.finish.fire();
        }
    }
}

// ---------------------------------------------------------------- ring

async fn raw_ring(nodes: usize, rounds: usize) -> Duration {
    let (senders, receivers): (Vec<_>, Vec<_>) =
        (0..nodes).map(|_| mpsc::unbounded_channel::<u64>()).unzip();
    let (done_tx, done) = oneshot::channel();
    // The first node built gets the end signal; the others get one that fires nothing.
    let mut finish = Finish::to(done_tx);
    let mut tasks = Vec::with_capacity(nodes);
    for (index, mut receiver) in receivers.into_iter().enumerate() {
        let next = senders[(index + 1) % nodes].clone();
        let mut done = finish.take();
        tasks.push(tokio::spawn(async move {
            while let Some(token) = receiver.recv().await {
                if token == POISON {
                    let _ = next.send(POISON);
                    break;
                }
                if token == 0 {
                    done.fire();
                    continue;
                }
                let _ = next.send(token - 1);
            }
        }));
    }
    let hops = (nodes * rounds) as u64;
    let start = Instant::now();
    let _ = senders[1 % nodes].send(hops - 1);
    let _ = done.await;
    let elapsed = start.elapsed();
    let _ = senders[0].send(POISON);
    drop(senders);
    for task in tasks {
        let _ = task.await;
    }
    elapsed
}

struct Node {
    next: Option<Address<Node>>,
    done: Finish,
}

impl Actor for Node {}

struct Token(u64);

impl Notifiable<Token> for Node {
    async fn notify(&mut self, Token(token): Token, context: &Context<Self>) {
        if token == POISON {
            if let Some(next) = self.next.take() {
                let _ = next.notify(Token(POISON)).await;
            }
            context.stop();
            return;
        }
        if token == 0 {
            self.done.fire();
            return;
        }
        if let Some(next) = &self.next {
            let _ = next.notify(Token(token - 1)).await;
        }
    }
}

async fn messages_ring(nodes: usize, rounds: usize) -> Duration {
    let contexts: Vec<Context<Node>> = (0..nodes).map(|_| Context::unbounded()).collect();
    let addresses: Vec<Address<Node>> = contexts.iter().map(Context::address).collect();
    let (done_tx, done) = oneshot::channel();
    // The first node built gets the end signal; the others get one that fires nothing.
    let mut finish = Finish::to(done_tx);
    let mut joins = Vec::with_capacity(nodes);
    for (index, context) in contexts.into_iter().enumerate() {
        let node = Node {
            next: Some(addresses[(index + 1) % nodes].clone()),
            done: finish.take(),
        };
        joins.push(context.spawn(node));
    }
    let hops = (nodes * rounds) as u64;
    let start = Instant::now();
    let _ = addresses[1 % nodes].notify(Token(hops - 1)).await;
    let _ = done.await;
    let elapsed = start.elapsed();
    let _ = addresses[0].notify(Token(POISON)).await;
    drop(addresses);
    for join in joins {
        let _ = join.await;
    }
    elapsed
}

// ---------------------------------------------------------------- ask

async fn raw_ask(asks: usize) -> Duration {
    let (requests, mut receiver) = mpsc::unbounded_channel::<(u64, oneshot::Sender<u64>)>();
    let server = tokio::spawn(async move {
        while let Some((n, reply)) = receiver.recv().await {
            let _ = reply.send(n + 1);
        }
    });
    let elapsed = time_asks(asks, |n| {
        let (reply, answer) = oneshot::channel();
        let _ = requests.send((n, reply));
        async move { answer.await.ok() }
    })
    .await;
    drop(requests);
    let _ = server.await;
    elapsed
}

struct Server;

impl Actor for Server {}

impl Handler<u64> for Server {
    type Result = u64;
    async fn handle(&mut self, n: u64, _: &Context<Self>) -> u64 {
        n + 1
    }
}

async fn messages_ask(asks: usize) -> Duration {
    let context = Context::unbounded();
    let server = context.address();
    let join = context.spawn(Server);
    let address = &server;
    let elapsed = time_asks(asks, |n| async move { address.send(n).await.ok() }).await;
    drop(server);
    let _ = join.await;
    elapsed
}

// ---------------------------------------------------------------- tell

async fn raw_tell(senders: usize, per_sender: usize) -> Duration {
    let total = senders * per_sender;
    let (sender, mut receiver) = mpsc::unbounded_channel::<u64>();
    let (done_tx, done) = oneshot::channel();
    let start = Instant::now();
    let counter = tokio::spawn(async move {
        let mut count = 0;
        while receiver.recv().await.is_some() {
            count += 1;
            if count == total {
                let _ = done_tx.send(());
                break;
            }
        }
    });
    for _ in 0..senders {
        let sender = sender.clone();
        tokio::spawn(async move {
            for n in 0..per_sender {
                let _ = sender.send(n as u64);
            }
        });
    }
    let _ = done.await;
    let elapsed = start.elapsed();
    let _ = counter.await;
    elapsed
}

struct Counter(Tally);

impl Actor for Counter {}

impl Notifiable<u64> for Counter {
    async fn notify(&mut self, _: u64, _: &Context<Self>) {
        self.0.count_one();
    }
}

async fn messages_tell(senders: usize, per_sender: usize) -> Duration {
    let total = senders * per_sender;
    let (done_tx, done) = oneshot::channel();
    let context = Context::unbounded();
    let counter = context.address();
    let start = Instant::now();
    let join = context.spawn(Counter(Tally::new(total, done_tx)));
    for _ in 0..senders {
        let counter = counter.clone();
        tokio::spawn(async move {
            for n in 0..per_sender {
                let _ = counter.notify(n as u64).await;
            }
        });
    }
    let _ = done.await;
    let elapsed = start.elapsed();
    drop(counter);
    let _ = join.await;
    elapsed
}

// ---------------------------------------------------------------- spawn

async fn raw_spawn(actors: usize) -> Duration {
    let start = Instant::now();
    let mut senders = Vec::with_capacity(actors);
    let mut tasks = Vec::with_capacity(actors);
    for _ in 0..actors {
        let (sender, mut receiver) = mpsc::unbounded_channel::<u64>();
        senders.push(sender);
        tasks.push(tokio::spawn(async move {
            while receiver.recv().await.is_some() {}
        }));
    }
    drop(senders);
    for task in tasks {
        let _ = task.await;
    }
    start.elapsed()
}

struct Idle;

impl Actor for Idle {}

async fn messages_spawn(actors: usize) -> Duration {
    let start = Instant::now();
    let mut addresses = Vec::with_capacity(actors);
    let mut joins = Vec::with_capacity(actors);
    for _ in 0..actors {
        let context = Context::unbounded();
        addresses.push(context.address());
        joins.push(context.spawn(Idle));
    }
    drop(addresses);
    for join in joins {
        let _ = join.await;
    }
    start.elapsed()
}
