//! Parallel handlers: reads (`&self`) run concurrently with each other, up to the
//! actor's bound, while every other message keeps exclusive access in mailbox order;
//! coroutines compute on copies of the actor, in parallel, in the callers' tasks.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use messages::prelude::*;
use messages::{Coroutine, ReadHandler};
use messages_tests::{Gate, Rt, every_executor};
use tokio::sync::Barrier;

/// Counts the reads running at once, and the most seen.
#[derive(Debug, Default)]
struct Gauge {
    now: AtomicUsize,
    most: AtomicUsize,
}

#[actor]
#[derive(Debug, Default)]
pub struct Store {
    value: u64,
    gauge: Arc<Gauge>,
}

#[actor]
impl Store {
    /// Waits at the barrier: completes only when enough reads run at the same time.
    #[handler(parallel)]
    pub async fn meet(&self, barrier: Arc<Barrier>) -> u64 {
        let now = self.gauge.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.gauge.most.fetch_max(now, Ordering::SeqCst);
        barrier.wait().await;
        self.gauge.now.fetch_sub(1, Ordering::SeqCst);
        self.value
    }

    /// Reads the value once the gate opens.
    #[handler(parallel)]
    pub async fn read_after(&self, gate: Gate) -> u64 {
        gate.pass().await;
        self.value
    }

    #[handler(parallel)]
    pub fn get(&self) -> u64 {
        self.value
    }

    #[handler]
    pub fn set(&mut self, value: u64) {
        self.value = value;
    }
}

/// The same store with a bound of two concurrent reads.
struct Narrow(Store);

impl Actor for Narrow {
    const READ_CONCURRENCY: usize = 2;
}

impl ReadHandler<store::Meet> for Narrow {
    type Result = u64;
    async fn handle_read(&self, store::Meet { barrier }: store::Meet, _: &Context<Self>) -> u64 {
        self.0.meet(barrier).await
    }
}

async fn reads_run_concurrently(rt: Rt) {
    let store = Store::default().spawn_on(&rt);
    let barrier = Arc::new(Barrier::new(3));
    // Three reads that can only finish together.
    let reads: Vec<_> = (0..3)
        .map(|_| {
            let (store, barrier) = (store.clone(), Arc::clone(&barrier));
            rt.spawn_task(async move { store.meet(barrier).await })
        })
        .collect();
    for read in futures::future::join_all(reads).await {
        assert_eq!(read, Ok(0));
    }
}

async fn a_write_waits_for_the_reads_before_it_and_the_reads_after_it_wait(rt: Rt) {
    let store = Store::default().spawn_on(&rt);
    let (gate, key) = Gate::new();
    let before = store.try_read(store::ReadAfter { gate }).unwrap();
    let write = store.try_send(store::Set { value: 7 }).unwrap();
    let after = store.try_read(store::Get).unwrap();
    key.open();
    // The earlier read saw the value from before the write, though it looked after
    // the gate opened: the write waited for it.
    assert_eq!(before.await, Ok(0));
    assert_eq!(write.await, Ok(()));
    assert_eq!(after.await, Ok(7));
}

async fn concurrency_is_bounded(rt: Rt) {
    let gauge = Arc::new(Gauge::default());
    let narrow = Narrow(Store {
        value: 1,
        gauge: Arc::clone(&gauge),
    })
    .spawn_on(&rt);
    // Pairs meet at the barrier; a third concurrent read would show in the gauge.
    let barrier = Arc::new(Barrier::new(2));
    let replies: Vec<_> = (0..6)
        .map(|_| {
            narrow
                .try_read(store::Meet {
                    barrier: Arc::clone(&barrier),
                })
                .unwrap()
        })
        .collect();
    for reply in futures::future::join_all(replies).await {
        assert_eq!(reply, Ok(1));
    }
    assert_eq!(gauge.most.load(Ordering::SeqCst), 2);
}

/// A coroutine actor: each calculation runs on a copy, in the caller's task.
#[derive(Clone, Default)]
struct Calculator {
    base: u64,
    calls: Arc<AtomicUsize>,
}

impl Actor for Calculator {}

impl Coroutine<Arc<Barrier>> for Calculator {
    type Result = u64;
    async fn calculate(mut self, barrier: Arc<Barrier>) -> u64 {
        self.base += 1; // changes the copy only
        barrier.wait().await;
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.base
    }
}

impl Coroutine<&'static str> for Calculator {
    type Result = ();
    async fn calculate(self, text: &'static str) {
        panic!("{text}")
    }
}

impl Handler<()> for Calculator {
    type Result = u64;
    async fn handle(&mut self, (): (), _: &Context<Self>) -> u64 {
        self.base
    }
}

async fn coroutines_run_in_parallel_on_copies(rt: Rt) {
    let calls = Arc::new(AtomicUsize::new(0));
    let calculator = Calculator {
        base: 40,
        calls: Arc::clone(&calls),
    }
    .spawn_on(&rt);
    let barrier = Arc::new(Barrier::new(2));
    let (first, second) = futures::join!(
        calculator.calculate(Arc::clone(&barrier)),
        calculator.calculate(Arc::clone(&barrier)),
    );
    assert_eq!((first, second), (Ok(41), Ok(41)));
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(
        calculator.send(()).await,
        Ok(40),
        "the actor's own state is unchanged"
    );
    assert_eq!(calculator.calculate("boom").await, Err(SendError::Panicked));
    assert_eq!(
        calculator.send(()).await,
        Ok(40),
        "a panic in a copy leaves the actor be"
    );
}

every_executor!(
    reads_run_concurrently,
    a_write_waits_for_the_reads_before_it_and_the_reads_after_it_wait,
    concurrency_is_bounded,
    coroutines_run_in_parallel_on_copies,
);
