//! The workloads on kameo 0.22 (tokio), unbounded mailboxes.

use std::time::{Duration, Instant};

use kameo::actor::{Actor, ActorRef, Spawn};
use kameo::error::Infallible;
use kameo::mailbox;
use kameo::message::{Context, Message};
use tokio::runtime::Runtime;
use tokio::sync::oneshot;

use crate::workloads::{Finish, POISON, Tally, Workload, time_asks};

pub(crate) fn run(workload: Workload, runtime: &Runtime) -> Duration {
    workload.run_on(runtime, ring, ask, tell, spawn)
}

/// Every actor here is built from itself.
macro_rules! plain_actor {
    ($name:ident) => {
        impl Actor for $name {
            type Args = Self;
            type Error = Infallible;

            async fn on_start(args: Self, _: ActorRef<Self>) -> Result<Self, Infallible> {
                Ok(args)
            }
        }
    };
}

struct Node {
    next: Option<ActorRef<Node>>,
    done: Finish,
}

plain_actor!(Node);

struct Token(u64);

impl Message<Token> for Node {
    type Reply = ();

    async fn handle(&mut self, Token(token): Token, ctx: &mut Context<Self, ()>) {
        if token == POISON {
            if let Some(next) = self.next.take() {
                let _ = next.tell(Token(POISON)).await;
            }
            ctx.stop();
            return;
        }
        if token == 0 {
            self.done.fire();
            return;
        }
        if let Some(next) = &self.next {
            let _ = next.tell(Token(token - 1)).await;
        }
    }
}

async fn ring(nodes: usize, rounds: usize) -> Duration {
    // The ring's links exist before the actors do: each node gets its neighbour later.
    let (done_tx, done) = oneshot::channel();
    // The first node built gets the end signal; the others get one that fires nothing.
    let mut finish = Finish::to(done_tx);
    let refs: Vec<ActorRef<Node>> = (0..nodes)
        .map(|_| {
            let node = Node {
                next: None,
                done: finish.take(),
            };
            Node::spawn_with_mailbox(node, mailbox::unbounded())
        })
        .collect();
    for (index, node) in refs.iter().enumerate() {
        let next = refs[(index + 1) % nodes].clone();
        let _ = node.ask(Link(next)).await;
    }
    let hops = (nodes * rounds) as u64;
    let start = Instant::now();
    let _ = refs[1 % nodes].tell(Token(hops - 1)).await;
    let _ = done.await;
    let elapsed = start.elapsed();
    let _ = refs[0].tell(Token(POISON)).await;
    for node in &refs {
        node.wait_for_shutdown().await;
    }
    elapsed
}

struct Link(ActorRef<Node>);

impl Message<Link> for Node {
    type Reply = ();

    async fn handle(&mut self, Link(next): Link, _: &mut Context<Self, ()>) {
        self.next = Some(next);
    }
}

struct Server;

plain_actor!(Server);

impl Message<u64> for Server {
    type Reply = u64;

    async fn handle(&mut self, n: u64, _: &mut Context<Self, u64>) -> u64 {
        n + 1
    }
}

async fn ask(asks: usize) -> Duration {
    let server = Server::spawn_with_mailbox(Server, mailbox::unbounded());
    let server = &server;
    let elapsed = time_asks(asks, |n| async move { server.ask(n).await.ok() }).await;
    let _ = server.stop_gracefully().await;
    server.wait_for_shutdown().await;
    elapsed
}

struct Counter(Tally);

plain_actor!(Counter);

impl Message<u64> for Counter {
    type Reply = ();

    async fn handle(&mut self, _: u64, _: &mut Context<Self, ()>) {
        self.0.count_one();
    }
}

async fn tell(senders: usize, per_sender: usize) -> Duration {
    let total = senders * per_sender;
    let (done_tx, done) = oneshot::channel();
    let start = Instant::now();
    let counter =
        Counter::spawn_with_mailbox(Counter(Tally::new(total, done_tx)), mailbox::unbounded());
    for _ in 0..senders {
        let counter = counter.clone();
        tokio::spawn(async move {
            for n in 0..per_sender {
                let _ = counter.tell(n as u64).await;
            }
        });
    }
    let _ = done.await;
    let elapsed = start.elapsed();
    let _ = counter.stop_gracefully().await;
    counter.wait_for_shutdown().await;
    elapsed
}

struct Idle;

plain_actor!(Idle);

async fn spawn(actors: usize) -> Duration {
    let start = Instant::now();
    let refs: Vec<ActorRef<Idle>> = (0..actors)
        .map(|_| Idle::spawn_with_mailbox(Idle, mailbox::unbounded()))
        .collect();
    for actor in &refs {
        let _ = actor.stop_gracefully().await;
    }
    for actor in &refs {
        actor.wait_for_shutdown().await;
    }
    start.elapsed()
}
