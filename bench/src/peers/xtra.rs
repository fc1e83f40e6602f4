//! The workloads on xtra 0.6 (tokio), unbounded mailboxes.

use std::time::{Duration, Instant};

use tokio::runtime::Runtime;
use tokio::sync::oneshot;
use xtra::prelude::*;

use crate::workloads::{Finish, POISON, Tally, Workload, time_asks};

pub(crate) fn run(workload: Workload, runtime: &Runtime) -> Duration {
    workload.run_on(runtime, ring, ask, tell, spawn)
}

struct Node {
    next: Option<Address<Node>>,
    done: Finish,
}

impl Actor for Node {
    type Stop = ();
    async fn stopped(self) {}
}

struct Token(u64);

impl Handler<Token> for Node {
    type Return = ();
    async fn handle(&mut self, Token(token): Token, ctx: &mut Context<Self>) {
        if token == POISON {
            if let Some(next) = self.next.take() {
                let _ = next.send(Token(POISON)).detach().await;
            }
            ctx.stop_self();
            return;
        }
        if token == 0 {
            self.done.fire();
            return;
        }
        if let Some(next) = &self.next {
            let _ = next.send(Token(token - 1)).detach().await;
        }
    }
}

async fn ring(nodes: usize, rounds: usize) -> Duration {
    let mailboxes: Vec<_> = (0..nodes).map(|_| Mailbox::unbounded()).collect();
    let addresses: Vec<Address<Node>> = mailboxes
        .iter()
        .map(|(address, _)| address.clone())
        .collect();
    let (done_tx, done) = oneshot::channel();
    // The first node built gets the end signal; the others get one that fires nothing.
    let mut finish = Finish::to(done_tx);
    for (index, (address, mailbox)) in mailboxes.into_iter().enumerate() {
        let node = Node {
            next: Some(addresses[(index + 1) % nodes].clone()),
            done: finish.take(),
        };
        drop(xtra::spawn_tokio(node, (address, mailbox)));
    }
    let hops = (nodes * rounds) as u64;
    let start = Instant::now();
    let _ = addresses[1 % nodes].send(Token(hops - 1)).detach().await;
    let _ = done.await;
    let elapsed = start.elapsed();
    let _ = addresses[0].send(Token(POISON)).detach().await;
    for address in &addresses {
        address.join().await;
    }
    elapsed
}

struct Server;

impl Actor for Server {
    type Stop = ();
    async fn stopped(self) {}
}

impl Handler<u64> for Server {
    type Return = u64;
    async fn handle(&mut self, n: u64, _: &mut Context<Self>) -> u64 {
        n + 1
    }
}

async fn ask(asks: usize) -> Duration {
    let server = xtra::spawn_tokio(Server, Mailbox::unbounded());
    let server = &server;
    time_asks(asks, |n| async move { server.send(n).await.ok() }).await
}

struct Counter(Tally);

impl Actor for Counter {
    type Stop = ();
    async fn stopped(self) {}
}

impl Handler<u64> for Counter {
    type Return = ();
    async fn handle(&mut self, _: u64, _: &mut Context<Self>) {
        self.0.count_one();
    }
}

async fn tell(senders: usize, per_sender: usize) -> Duration {
    let total = senders * per_sender;
    let (done_tx, done) = oneshot::channel();
    let start = Instant::now();
    let counter = xtra::spawn_tokio(Counter(Tally::new(total, done_tx)), Mailbox::unbounded());
    for _ in 0..senders {
        let counter = counter.clone();
        tokio::spawn(async move {
            for n in 0..per_sender {
                let _ = counter.send(n as u64).detach().await;
            }
        });
    }
    let _ = done.await;
    start.elapsed()
}

struct Idle;

impl Actor for Idle {
    type Stop = ();
    async fn stopped(self) {}
}

async fn spawn(actors: usize) -> Duration {
    let start = Instant::now();
    let mut addresses = Vec::with_capacity(actors);
    let mut joins = Vec::with_capacity(actors);
    for _ in 0..actors {
        let address = xtra::spawn_tokio(Idle, Mailbox::unbounded());
        joins.push(address.join());
        addresses.push(address);
    }
    // As in every other framework's run: all actors alive, then every address
    // dropped; an xtra actor stops once it sees no strong address.
    drop(addresses);
    for join in joins {
        join.await;
    }
    start.elapsed()
}
