//! 14 — delegation: a coordinator that hands each request on and serves the next.
//!
//! A handler that awaits another actor keeps its own actor busy until the answer comes.
//! A `Delegate` handler gets the request's `Responder` instead and returns at once: it
//! forwards the request to a worker (`worker.forward(job, responder)`), which answers
//! the caller directly, or moves the responder into a task that answers later. Callers
//! see no difference: `coordinator.send(job).await` answers as from any handler. Run it
//! with `cargo run --example 14_delegation`.

use std::time::{Duration, Instant};

use messages::prelude::*;
use messages::{Delegate, Responder};

/// Squares a number, taking its time.
struct Worker;

impl Actor for Worker {}

struct Square(u64);

impl Handler<Square> for Worker {
    type Result = u64;

    async fn handle(&mut self, Square(n): Square, _: &Context<Self>) -> u64 {
        tokio::time::sleep(Duration::from_millis(5)).await;
        n * n
    }
}

/// Hands jobs to its workers in turn.
struct Coordinator {
    workers: Vec<Address<Worker>>,
    next: usize,
}

impl Actor for Coordinator {}

struct Job(u64);

impl Delegate<Job> for Coordinator {
    type Result = u64;

    async fn delegate(&mut self, Job(n): Job, responder: Responder<u64>, _: &Context<Self>) {
        let worker = &self.workers[self.next];
        self.next = (self.next + 1) % self.workers.len();
        // Returns once the job is queued at the worker: the coordinator is free.
        if worker.forward(Square(n), responder).await.is_err() {
            eprintln!("a worker stopped: its caller gets `Unanswered`");
        }
    }
}

/// Answered from a task, once it is done.
struct Later(u64);

impl Delegate<Later> for Coordinator {
    type Result = String;

    async fn delegate(&mut self, Later(n): Later, responder: Responder<String>, _: &Context<Self>) {
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(1)).await;
            responder.send(format!("{n} answered later"));
        });
    }
}

#[tokio::main]
async fn main() -> Result<(), SendError> {
    let workers = (0..4).map(|_| Worker.spawn()).collect();
    let coordinator = Coordinator { workers, next: 0 }.spawn();

    let start = Instant::now();
    let callers: Vec<_> = (1..=40)
        .map(|n| tokio::spawn(coordinator.send(Job(n))))
        .collect();
    let mut sum = 0;
    for caller in callers {
        sum += caller.await.expect("a caller task")?;
    }
    println!("40 jobs answered by 4 workers, sum of squares {sum}");
    // About ten 5 ms rounds: the coordinator never waits for a worker.
    println!("took {:?}", start.elapsed());

    println!("{}", coordinator.send(Later(7)).await?);
    coordinator.stop().await;
    println!("coordinator stopped: {}", coordinator.wait_for_stop().await);
    Ok(())
}
