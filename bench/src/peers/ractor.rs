//! The workloads on ractor 0.15 (tokio). ractor's mailboxes are unbounded.

use std::time::{Duration, Instant};

use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort, call};
use tokio::runtime::Runtime;
use tokio::sync::oneshot;

use crate::workloads::{Finish, POISON, Tally, Workload, time_asks};

pub(crate) fn run(workload: Workload, runtime: &Runtime) -> Duration {
    workload.run_on(runtime, ring, ask, tell, spawn)
}

/// ractor actors are stateless behaviours; the state lives beside them.
struct Node;

struct NodeState {
    next: Option<ActorRef<NodeMsg>>,
    done: Finish,
}

enum NodeMsg {
    Link(ActorRef<NodeMsg>, RpcReplyPort<()>),
    Token(u64),
}

impl Actor for Node {
    type Msg = NodeMsg;
    type State = NodeState;
    type Arguments = Finish;

    async fn pre_start(
        &self,
        _: ActorRef<NodeMsg>,
        done: Self::Arguments,
    ) -> Result<NodeState, ActorProcessingErr> {
        Ok(NodeState { next: None, done })
    }

    async fn handle(
        &self,
        myself: ActorRef<NodeMsg>,
        message: NodeMsg,
        state: &mut NodeState,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            NodeMsg::Link(next, reply) => {
                state.next = Some(next);
                let _ = reply.send(());
            }
            NodeMsg::Token(POISON) => {
                if let Some(next) = state.next.take() {
                    let _ = next.cast(NodeMsg::Token(POISON));
                }
                myself.stop(None);
            }
            NodeMsg::Token(0) => {
                state.done.fire();
            }
            NodeMsg::Token(token) => {
                if let Some(next) = &state.next {
                    let _ = next.cast(NodeMsg::Token(token - 1));
                }
            }
        }
        Ok(())
    }
}

async fn ring(nodes: usize, rounds: usize) -> Duration {
    let (done_tx, done) = oneshot::channel();
    // The first node built gets the end signal; the others get one that fires nothing.
    let mut finish = Finish::to(done_tx);
    let mut refs = Vec::with_capacity(nodes);
    let mut joins = Vec::with_capacity(nodes);
    for _ in 0..nodes {
        let done = finish.take();
        let (node, join) = Actor::spawn(None, Node, done).await.expect("spawned");
        refs.push(node);
        joins.push(join);
    }
    for (index, node) in refs.iter().enumerate() {
        let next = refs[(index + 1) % nodes].clone();
        let _ = call!(node, NodeMsg::Link, next);
    }
    let hops = (nodes * rounds) as u64;
    let start = Instant::now();
    let _ = refs[1 % nodes].cast(NodeMsg::Token(hops - 1));
    let _ = done.await;
    let elapsed = start.elapsed();
    let _ = refs[0].cast(NodeMsg::Token(POISON));
    for join in joins {
        let _ = join.await;
    }
    elapsed
}

struct Server;

impl Actor for Server {
    type Msg = (u64, RpcReplyPort<u64>);
    type State = ();
    type Arguments = ();

    async fn pre_start(&self, _: ActorRef<Self::Msg>, (): ()) -> Result<(), ActorProcessingErr> {
        Ok(())
    }

    async fn handle(
        &self,
        _: ActorRef<Self::Msg>,
        (n, reply): Self::Msg,
        (): &mut (),
    ) -> Result<(), ActorProcessingErr> {
        let _ = reply.send(n + 1);
        Ok(())
    }
}

async fn ask(asks: usize) -> Duration {
    let (server, join) = Actor::spawn(None, Server, ()).await.expect("spawned");
    let server = &server;
    let elapsed = time_asks(asks, |n| async move {
        server
            .call(|reply| (n, reply), None)
            .await
            .ok()
            .and_then(|result| result.success_or(()).ok())
    })
    .await;
    server.stop(None);
    let _ = join.await;
    elapsed
}

struct Counter;

struct Count(Tally);

impl Actor for Counter {
    type Msg = u64;
    type State = Count;
    type Arguments = (usize, oneshot::Sender<()>);

    async fn pre_start(
        &self,
        _: ActorRef<u64>,
        (total, done): Self::Arguments,
    ) -> Result<Count, ActorProcessingErr> {
        Ok(Count(Tally::new(total, done)))
    }

    async fn handle(
        &self,
        _: ActorRef<u64>,
        _: u64,
        state: &mut Count,
    ) -> Result<(), ActorProcessingErr> {
        state.0.count_one();
        Ok(())
    }
}

async fn tell(senders: usize, per_sender: usize) -> Duration {
    let total = senders * per_sender;
    let (done_tx, done) = oneshot::channel();
    let start = Instant::now();
    let (counter, join) = Actor::spawn(None, Counter, (total, done_tx))
        .await
        .expect("spawned");
    for _ in 0..senders {
        let counter = counter.clone();
        tokio::spawn(async move {
            for n in 0..per_sender {
                let _ = counter.cast(n as u64);
            }
        });
    }
    let _ = done.await;
    let elapsed = start.elapsed();
    counter.stop(None);
    let _ = join.await;
    elapsed
}

struct Idle;

impl Actor for Idle {
    type Msg = ();
    type State = ();
    type Arguments = ();

    async fn pre_start(&self, _: ActorRef<()>, (): ()) -> Result<(), ActorProcessingErr> {
        Ok(())
    }
}

async fn spawn(actors: usize) -> Duration {
    let start = Instant::now();
    let mut refs = Vec::with_capacity(actors);
    let mut joins = Vec::with_capacity(actors);
    for _ in 0..actors {
        let (actor, join) = Actor::spawn(None, Idle, ()).await.expect("spawned");
        refs.push(actor);
        joins.push(join);
    }
    for actor in &refs {
        actor.stop(None);
    }
    for join in joins {
        let _ = join.await;
    }
    start.elapsed()
}
