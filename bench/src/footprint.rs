//! Memory: bytes per idle actor, bytes per queued message, and live memory over a long
//! tell run, for `messages` and for the raw tokio channel doing the same work.
//!
//! Every function takes `live`, the bytes the global allocator has handed out and not
//! yet had back (the `messages-memory` binary counts them), and runs inside a tokio
//! runtime.

use messages::Mailbox;
use messages::prelude::*;
use tokio::sync::{mpsc, oneshot};

/// Reads the bytes currently allocated.
pub type Live = fn() -> isize;

/// What a raw "actor" task receives: a number, or a request to answer once every number
/// before it is handled.
enum RawMessage {
    Number(#[allow(dead_code, reason = "carried like a real payload, never read")] u64),
    Sync(oneshot::Sender<u64>),
}

/// A raw "actor": a task owning a channel's receiver, counting what it receives.
fn spawn_raw(
    mut receiver: mpsc::UnboundedReceiver<RawMessage>,
    hold: Option<oneshot::Receiver<()>>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        if let Some(hold) = hold {
            let _ = hold.await;
        }
        let mut count = 0;
        while let Some(message) = receiver.recv().await {
            match message {
                RawMessage::Number(_) => count += 1,
                RawMessage::Sync(reply) => {
                    let _ = reply.send(count);
                }
            }
        }
    })
}

/// A `messages` actor counting the numbers it is told.
struct Counter {
    count: u64,
    hold: Option<oneshot::Receiver<()>>,
}

impl Actor for Counter {
    async fn started(&mut self, _: &Context<Self>) {
        if let Some(hold) = self.hold.take() {
            let _ = hold.await;
        }
    }
}

impl Notifiable<u64> for Counter {
    async fn notify(&mut self, _: u64, _: &Context<Self>) {
        self.count += 1;
    }
}

/// Answers once every message queued before it is handled.
struct Sync;

impl Handler<Sync> for Counter {
    type Result = u64;
    async fn handle(&mut self, _: Sync, _: &Context<Self>) -> u64 {
        self.count
    }
}

fn counter(hold: Option<oneshot::Receiver<()>>) -> Counter {
    Counter { count: 0, hold }
}

#[allow(clippy::cast_precision_loss)]
fn per(bytes: isize, count: usize) -> f64 {
    bytes as f64 / count as f64
}

/// Bytes per idle actor: `actors` spawned, each having handled one request (so its
/// task has run and parked), divided into the growth of live memory. The raw figure is
/// a task with an unbounded channel; `mailbox` picks the `messages` actors' mailbox.
pub async fn idle_actor(live: Live, actors: usize, mailbox: Option<Mailbox>) -> f64 {
    match mailbox {
        None => {
            let mut senders = Vec::with_capacity(actors);
            let mut tasks = Vec::with_capacity(actors);
            let before = live();
            for _ in 0..actors {
                let (sender, receiver) = mpsc::unbounded_channel();
                tasks.push(spawn_raw(receiver, None));
                senders.push(sender);
            }
            for sender in &senders {
                let (reply, answer) = oneshot::channel();
                let _ = sender.send(RawMessage::Sync(reply));
                let _ = answer.await;
            }
            let grown = live() - before;
            drop(senders);
            for task in tasks {
                let _ = task.await;
            }
            per(grown, actors)
        }
        Some(mailbox) => idle_messages_actors(live, actors, mailbox, || counter(None)).await,
    }
}

/// An actor with a kilobyte of state.
struct Ballast([u64; 128]);

impl Actor for Ballast {}

impl Handler<Sync> for Ballast {
    type Result = u64;
    async fn handle(&mut self, _: Sync, _: &Context<Self>) -> u64 {
        self.0[0]
    }
}

/// [`idle_actor`] for `messages` actors holding 1 KiB of state (unbounded mailbox):
/// the state is kept once per actor, not once per layer of the run future.
pub async fn idle_actor_with_kilobyte_state(live: Live, actors: usize) -> f64 {
    idle_messages_actors(live, actors, Mailbox::Unbounded, || Ballast([1; 128])).await
}

async fn idle_messages_actors<T: Handler<Sync>>(
    live: Live,
    actors: usize,
    mailbox: Mailbox,
    build: impl Fn() -> T,
) -> f64 {
    let mut addresses = Vec::with_capacity(actors);
    let mut joins = Vec::with_capacity(actors);
    let before = live();
    for _ in 0..actors {
        let context = Context::with_mailbox(mailbox);
        addresses.push(context.address());
        joins.push(context.spawn(build()));
    }
    for address in &addresses {
        let _ = address.send(Sync).await;
    }
    let grown = live() - before;
    drop(addresses);
    for join in joins {
        let _ = join.await;
    }
    per(grown, actors)
}

/// Bytes per queued message: one actor held in `started` (the raw task before its loop)
/// while `messages` numbers are queued, divided into the growth of live memory. Also
/// returns the bytes still held, against the start, once the backlog is handled.
pub async fn queued_message(live: Live, messages: usize, raw: bool) -> (f64, isize) {
    let (release, hold) = oneshot::channel();
    let before = live();
    if raw {
        let (sender, receiver) = mpsc::unbounded_channel();
        let task = spawn_raw(receiver, Some(hold));
        let start = live();
        for n in 0..messages {
            let _ = sender.send(RawMessage::Number(n as u64));
        }
        let grown = live() - start;
        let _ = release.send(());
        let (reply, answer) = oneshot::channel();
        let _ = sender.send(RawMessage::Sync(reply));
        assert_eq!(
            answer.await.ok(),
            Some(messages as u64),
            "every number handled"
        );
        drop(sender);
        let _ = task.await;
        (per(grown, messages), live() - before)
    } else {
        let context = Context::unbounded();
        let address = context.address();
        let join = context.spawn(counter(Some(hold)));
        let start = live();
        for n in 0..messages {
            let _ = address.notify(n as u64).await;
        }
        let grown = live() - start;
        let _ = release.send(());
        assert_eq!(
            address.send(Sync).await.ok(),
            Some(messages as u64),
            "every number handled"
        );
        drop(address);
        let _ = join.await;
        (per(grown, messages), live() - before)
    }
}

/// Live memory over a long tell run: `rounds` times, `senders` tasks tell one actor
/// `per_round / senders` numbers each; after each round (every number handled) the live
/// bytes, against the start, are recorded.
pub async fn long_tell(
    live: Live,
    rounds: usize,
    per_round: usize,
    senders: usize,
    raw: bool,
) -> Vec<isize> {
    let per_sender = per_round / senders;
    let mut samples = Vec::with_capacity(rounds);
    let before = live();
    if raw {
        let (sender, receiver) = mpsc::unbounded_channel();
        let task = spawn_raw(receiver, None);
        for _ in 0..rounds {
            let tasks: Vec<_> = (0..senders)
                .map(|_| {
                    let sender = sender.clone();
                    tokio::spawn(async move {
                        for n in 0..per_sender {
                            let _ = sender.send(RawMessage::Number(n as u64));
                        }
                    })
                })
                .collect();
            for task in tasks {
                let _ = task.await;
            }
            let (reply, answer) = oneshot::channel();
            let _ = sender.send(RawMessage::Sync(reply));
            let _ = answer.await;
            samples.push(live() - before);
        }
        drop(sender);
        let _ = task.await;
    } else {
        let context = Context::unbounded();
        let address = context.address();
        let join = context.spawn(counter(None));
        for _ in 0..rounds {
            let tasks: Vec<_> = (0..senders)
                .map(|_| {
                    let address = address.clone();
                    tokio::spawn(async move {
                        for n in 0..per_sender {
                            let _ = address.notify(n as u64).await;
                        }
                    })
                })
                .collect();
            for task in tasks {
                let _ = task.await;
            }
            let _ = address.send(Sync).await;
            samples.push(live() - before);
        }
        drop(address);
        let _ = join.await;
    }
    samples
}
