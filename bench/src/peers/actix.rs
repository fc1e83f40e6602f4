//! The workloads on actix 0.13, on its own single-threaded `System` (actix's design):
//! compare its figures with the current-thread rows. `do_send` (no backpressure) for
//! notifications, as the other frameworks' unbounded mailboxes.

use std::time::{Duration, Instant};

use actix::prelude::*;
use tokio::sync::oneshot;

use crate::workloads::{Finish, POISON, Tally, Workload, time_asks};

pub(crate) fn run(workload: Workload) -> Duration {
    let system = actix_rt::System::new();
    match workload {
        Workload::Ring { nodes, rounds } => system.block_on(ring(nodes, rounds)),
        Workload::Ask { asks } => system.block_on(ask(asks)),
        Workload::Tell {
            senders,
            per_sender,
        } => system.block_on(tell(senders, per_sender)),
        Workload::Spawn { actors } => system.block_on(spawn(actors)),
    }
}

struct Node {
    next: Option<Addr<Node>>,
    done: Finish,
    stopped: Option<oneshot::Sender<()>>,
}

impl Actor for Node {
    type Context = Context<Self>;

    fn stopped(&mut self, _: &mut Context<Self>) {
        if let Some(stopped) = self.stopped.take() {
            let _ = stopped.send(());
        }
    }
}

#[derive(Message)]
#[rtype(result = "()")]
struct Link(Addr<Node>);

impl Handler<Link> for Node {
    type Result = ();
    fn handle(&mut self, Link(next): Link, _: &mut Context<Self>) {
        self.next = Some(next);
    }
}

#[derive(Message)]
#[rtype(result = "()")]
struct Token(u64);

impl Handler<Token> for Node {
    type Result = ();
    fn handle(&mut self, Token(token): Token, ctx: &mut Context<Self>) {
        if token == POISON {
            if let Some(next) = self.next.take() {
                next.do_send(Token(POISON));
            }
            ctx.stop();
            return;
        }
        if token == 0 {
            self.done.fire();
            return;
        }
        if let Some(next) = &self.next {
            next.do_send(Token(token - 1));
        }
    }
}

async fn ring(nodes: usize, rounds: usize) -> Duration {
    let (done_tx, done) = oneshot::channel();
    // The first node built gets the end signal; the others get one that fires nothing.
    let mut finish = Finish::to(done_tx);
    let mut stops = Vec::with_capacity(nodes);
    let addresses: Vec<Addr<Node>> = (0..nodes)
        .map(|_| {
            let (stopped, stop) = oneshot::channel();
            stops.push(stop);
            Node {
                next: None,
                done: finish.take(),
                stopped: Some(stopped),
            }
            .start()
        })
        .collect();
    for (index, node) in addresses.iter().enumerate() {
        let _ = node
            .send(Link(addresses[(index + 1) % nodes].clone()))
            .await;
    }
    let hops = (nodes * rounds) as u64;
    let start = Instant::now();
    addresses[1 % nodes].do_send(Token(hops - 1));
    let _ = done.await;
    let elapsed = start.elapsed();
    addresses[0].do_send(Token(POISON));
    drop(addresses);
    for stop in stops {
        let _ = stop.await;
    }
    elapsed
}

struct Server;

impl Actor for Server {
    type Context = Context<Self>;
}

#[derive(Message)]
#[rtype(result = "u64")]
struct Ask(u64);

impl Handler<Ask> for Server {
    type Result = u64;
    fn handle(&mut self, Ask(n): Ask, _: &mut Context<Self>) -> u64 {
        n + 1
    }
}

async fn ask(asks: usize) -> Duration {
    let server = Server.start();
    let server = &server;
    time_asks(asks, |n| async move { server.send(Ask(n)).await.ok() }).await
}

struct Counter(Tally);

impl Actor for Counter {
    type Context = Context<Self>;
}

#[derive(Message)]
#[rtype(result = "()")]
struct Tell(u64);

impl Handler<Tell> for Counter {
    type Result = ();
    fn handle(&mut self, Tell(n): Tell, _: &mut Context<Self>) {
        std::hint::black_box(n);
        self.0.count_one();
    }
}

async fn tell(senders: usize, per_sender: usize) -> Duration {
    let total = senders * per_sender;
    let (done_tx, done) = oneshot::channel();
    let start = Instant::now();
    let counter = Counter(Tally::new(total, done_tx)).start();
    for _ in 0..senders {
        let counter = counter.clone();
        actix_rt::spawn(async move {
            for n in 0..per_sender {
                counter.do_send(Tell(n as u64));
            }
        });
    }
    let _ = done.await;
    start.elapsed()
}

struct Idle {
    stopped: Option<oneshot::Sender<()>>,
}

impl Actor for Idle {
    type Context = Context<Self>;

    fn stopped(&mut self, _: &mut Context<Self>) {
        if let Some(stopped) = self.stopped.take() {
            let _ = stopped.send(());
        }
    }
}

async fn spawn(actors: usize) -> Duration {
    let start = Instant::now();
    let mut stops = Vec::with_capacity(actors);
    let addresses: Vec<Addr<Idle>> = (0..actors)
        .map(|_| {
            let (stopped, stop) = oneshot::channel();
            stops.push(stop);
            Idle {
                stopped: Some(stopped),
            }
            .start()
        })
        .collect();
    // Dropping every address stops an actix actor.
    drop(addresses);
    for stop in stops {
        let _ = stop.await;
    }
    start.elapsed()
}
