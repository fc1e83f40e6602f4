//! The delegate workload: a dispatcher in front of worker actors, `callers` tasks each
//! sending their share of `requests` sequential requests through it. The dispatcher
//! hands each request to the next worker (round robin) and serves the next one at once;
//! the worker answers the caller directly. Measured on `messages` (a `Delegate`
//! handler that forwards the request) and on raw tokio channels (a task that forwards
//! each request and its oneshot to worker tasks): the peers have no figure.

use std::time::{Duration, Instant};

use messages::prelude::*;
use messages::{Delegate, Responder};
use tokio::runtime::Runtime;
use tokio::sync::{mpsc, oneshot};

use crate::workloads::on_worker;

/// The workload's size.
#[derive(Debug, Clone, Copy)]
pub struct DelegateWorkload {
    pub callers: usize,
    pub workers: usize,
    pub requests: usize,
}

impl DelegateWorkload {
    pub const NAME: &'static str = "delegate (per request)";

    /// How many operations one run performs (the divisor of ns/op).
    pub fn ops(self) -> usize {
        self.per_caller() * self.callers
    }

    fn per_caller(self) -> usize {
        self.requests / self.callers
    }

    pub fn run_raw(self, runtime: &Runtime) -> Duration {
        on_worker(runtime, raw(self))
    }

    pub fn run_messages(self, runtime: &Runtime) -> Duration {
        on_worker(runtime, with_messages(self))
    }
}

/// Starts `callers` tasks, each making its share of requests with `ask` (which sends
/// `n` and gets `n + 1` back), and returns the time until all have finished. Checks
/// that every request was answered.
async fn time_callers<F, Fut>(workload: DelegateWorkload, ask: F) -> Duration
where
    F: Fn(u64) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Option<u64>> + Send,
{
    let per_caller = workload.per_caller();
    let start = Instant::now();
    let callers: Vec<_> = (0..workload.callers)
        .map(|_| {
            let ask = ask.clone();
            tokio::spawn(async move {
                let mut n = 0;
                for _ in 0..per_caller {
                    n = ask(n).await.unwrap_or(n);
                }
                n
            })
        })
        .collect();
    for caller in callers {
        let answered = caller.await.unwrap_or(0);
        assert_eq!(answered, per_caller as u64, "every request answered");
    }
    start.elapsed()
}

// ---------------------------------------------------------------- raw

type Request = (u64, oneshot::Sender<u64>);

async fn raw(workload: DelegateWorkload) -> Duration {
    let mut workers = Vec::with_capacity(workload.workers);
    let mut worker_tasks = Vec::with_capacity(workload.workers);
    for _ in 0..workload.workers {
        let (sender, mut receiver) = mpsc::unbounded_channel::<Request>();
        workers.push(sender);
        worker_tasks.push(tokio::spawn(async move {
            while let Some((n, reply)) = receiver.recv().await {
                let _ = reply.send(n + 1);
            }
        }));
    }
    let (dispatch, mut requests) = mpsc::unbounded_channel::<Request>();
    let dispatcher = tokio::spawn(async move {
        let mut next = 0;
        while let Some(request) = requests.recv().await {
            let _ = workers[next].send(request);
            next = (next + 1) % workers.len();
        }
    });
    let elapsed = time_callers(workload, move |n| {
        let (reply, answer) = oneshot::channel();
        let _ = dispatch.send((n, reply));
        async move { answer.await.ok() }
    })
    .await;
    let _ = dispatcher.await;
    for worker in worker_tasks {
        let _ = worker.await;
    }
    elapsed
}

// ---------------------------------------------------------------- messages

struct Dispatcher {
    workers: Vec<Address<Worker>>,
    next: usize,
}

impl Actor for Dispatcher {}

struct Job(u64);

impl Delegate<Job> for Dispatcher {
    type Result = u64;

    async fn delegate(&mut self, Job(n): Job, responder: Responder<u64>, _: &Context<Self>) {
        let worker = &self.workers[self.next];
        self.next = (self.next + 1) % self.workers.len();
        let _ = worker.forward(n, responder).await;
    }
}

struct Worker;

impl Actor for Worker {}

impl Handler<u64> for Worker {
    type Result = u64;

    async fn handle(&mut self, n: u64, _: &Context<Self>) -> u64 {
        n + 1
    }
}

async fn with_messages(workload: DelegateWorkload) -> Duration {
    let mut workers = Vec::with_capacity(workload.workers);
    let mut joins = Vec::with_capacity(workload.workers + 1);
    for _ in 0..workload.workers {
        let context = Context::unbounded();
        workers.push(context.address());
        joins.push(context.spawn(Worker));
    }
    let context = Context::unbounded();
    let dispatcher = context.address();
    let dispatcher_join = context.spawn(Dispatcher { workers, next: 0 });
    // Queued at once (the mailbox is unbounded), as the raw channel's send is.
    let elapsed = time_callers(workload, move |n| {
        let reply = dispatcher.try_send(Job(n)).ok();
        async move { reply?.await.ok() }
    })
    .await;
    // The callers' closures held the last dispatcher address: it stops, then drops the
    // workers' addresses.
    let _ = dispatcher_join.await;
    for join in joins {
        let _ = join.await;
    }
    elapsed
}
