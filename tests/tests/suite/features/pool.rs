//! Worker pools: N supervised workers of one actor type behind one address, with
//! round-robin and least-busy routing, broadcast, resize, and typed calls.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use messages::pool::{Pool, PoolError, Routing};
use messages::prelude::*;
use messages::supervision::{Restart, Supervision};
use messages::{Mailbox, Notifiable};
use messages_tests::{Gate, Rt, bounded, every_executor, silence_panics, within};

/// A worker that knows which one it is: the factory numbers the states it makes, so a
/// restarted worker has a new number.
struct Worker {
    number: usize,
    tallies: Arc<AtomicUsize>,
    own_tallies: usize,
}

impl Actor for Worker {}

/// Counts the states made, and every tally any of them got.
#[derive(Clone, Default)]
struct Made {
    states: Arc<AtomicUsize>,
    tallies: Arc<AtomicUsize>,
}

impl Made {
    fn factory(&self) -> impl Fn() -> Worker + Send + Sync + 'static {
        let made = self.clone();
        move || Worker {
            number: made.states.fetch_add(1, Ordering::SeqCst),
            tallies: Arc::clone(&made.tallies),
            own_tallies: 0,
        }
    }
}

/// Which state answers, and how often its worker was restarted.
struct WhoAmI;

impl Handler<WhoAmI> for Worker {
    type Result = (usize, u32);

    async fn handle(&mut self, _: WhoAmI, ctx: &Context<Self>) -> (usize, u32) {
        (self.number, ctx.restarts())
    }
}

/// Holds the worker until the gate opens; says when it has started.
struct Hold {
    started: tokio::sync::oneshot::Sender<()>,
    gate: Gate,
}

impl Handler<Hold> for Worker {
    type Result = usize;

    async fn handle(&mut self, hold: Hold, _: &Context<Self>) -> usize {
        let _ = hold.started.send(());
        hold.gate.pass().await;
        self.number
    }
}

struct Crash;

impl Handler<Crash> for Worker {
    type Result = ();

    async fn handle(&mut self, _: Crash, _: &Context<Self>) {
        panic!("a pool worker crashed on purpose");
    }
}

#[derive(Clone)]
struct Tally;

impl Notifiable<Tally> for Worker {
    async fn notify(&mut self, _: Tally, _: &Context<Self>) {
        self.own_tallies += 1;
        self.tallies.fetch_add(1, Ordering::SeqCst);
    }
}

struct OwnTallies;

impl Handler<OwnTallies> for Worker {
    type Result = usize;

    async fn handle(&mut self, _: OwnTallies, _: &Context<Self>) -> usize {
        self.own_tallies
    }
}

struct Square(u64);

impl Handler<Square> for Worker {
    type Result = u64;

    async fn handle(&mut self, Square(n): Square, _: &Context<Self>) -> u64 {
        n * n
    }
}

fn pool(rt: &Rt, size: usize, routing: Routing, made: &Made) -> Pool<Worker> {
    Pool::builder(size, made.factory())
        .expect("a pool of at least one worker")
        .routing(routing)
        .spawn_on(rt)
}

/// Starts a `Hold` through the pool and returns once a worker is in its handler:
/// the answer (the worker's number) and the key that lets it go.
async fn hold(
    rt: &Rt,
    pool: &Pool<Worker>,
) -> (impl Future<Output = usize>, messages_tests::GateKey) {
    let (gate, key) = Gate::new();
    let (started, has_started) = tokio::sync::oneshot::channel();
    let request = pool.send(Hold { started, gate });
    let answer = rt.spawn_task(async move { request.await.expect("the held request is answered") });
    has_started
        .await
        .expect("the worker started the held request");
    (answer, key)
}

async fn round_robin_gives_each_worker_its_turn(rt: Rt) {
    let made = Made::default();
    let pool = pool(&rt, 3, Routing::RoundRobin, &made);
    let mut numbers = Vec::new();
    for _ in 0..6 {
        numbers.push(pool.send(WhoAmI).await.expect("answered").0);
    }
    // The workers are made in order, but which number each got depends on which
    // started first: each in turn means a repeating pattern of three distinct ones.
    assert_eq!(numbers[..3], numbers[3..]);
    assert_eq!(numbers[..3].iter().collect::<BTreeSet<_>>().len(), 3);
}

async fn least_busy_passes_over_a_busy_worker(rt: Rt) {
    let made = Made::default();
    let pool = pool(&rt, 2, Routing::LeastBusy, &made);
    let (held, key) = hold(&rt, &pool).await;
    // The free worker is the one that answers while the other is held.
    let workers = pool.workers();
    let asks = workers.iter().map(|worker| Box::pin(worker.send(WhoAmI)));
    let (_, free, _) = futures::future::select_all(asks).await;
    let free = &workers[free];
    let mut answered_by = BTreeSet::new();
    for _ in 0..5 {
        answered_by.insert(pool.send(WhoAmI).await.expect("answered").0);
        // A worker's count of handled messages follows its answer: a request straight
        // to the free worker, answered after it, makes sure the count is out before
        // the next request is routed.
        free.send(WhoAmI).await.expect("answered");
    }
    assert_eq!(
        answered_by.len(),
        1,
        "every request went to the free worker"
    );
    key.open();
    let busy = held.await;
    assert!(!answered_by.contains(&busy), "not to the one that was busy");
}

async fn round_robin_waits_its_turn_behind_a_busy_worker(rt: Rt) {
    let made = Made::default();
    let pool = pool(&rt, 2, Routing::RoundRobin, &made);
    let (held, key) = hold(&rt, &pool).await;
    let free = pool
        .send(WhoAmI)
        .await
        .expect("answered by the other worker")
        .0;
    // The next turn is the busy worker's: it answers once it is let go.
    let queued = pool.send(WhoAmI);
    let queued = rt.spawn_task(queued);
    key.open();
    let busy = held.await;
    assert_ne!(busy, free);
    assert_eq!(queued.await.expect("answered").0, busy);
}

async fn a_panicking_worker_restarts_and_the_others_go_on(rt: Rt) {
    silence_panics("a pool worker crashed on purpose");
    let made = Made::default();
    let pool = pool(&rt, 2, Routing::RoundRobin, &made);
    let workers = pool.workers();
    // The first worker is held; the second's turn: it panics, its caller learns.
    let (held, key) = hold(&rt, &pool).await;
    assert_eq!(pool.send(Crash).await, Err(SendError::Panicked));
    // Restarted behind its address, with a new state, while the other is still held.
    let (renewed, restarts) = workers[1]
        .send(WhoAmI)
        .await
        .expect("answered after its restart");
    assert_eq!(restarts, 1);
    key.open();
    let kept = held.await;
    assert_ne!(kept, renewed);
    assert_eq!(
        workers[0].send(WhoAmI).await,
        Ok((kept, 0)),
        "the other kept its state"
    );
    // The pool goes on with both.
    let mut numbers = BTreeSet::new();
    for _ in 0..2 {
        numbers.insert(pool.send(WhoAmI).await.expect("answered").0);
    }
    assert_eq!(numbers, BTreeSet::from([kept, renewed]));
    assert_eq!(pool.size(), 2);
}

async fn a_worker_past_its_budget_leaves_the_pool(rt: Rt) {
    silence_panics("a pool worker crashed on purpose");
    let made = Made::default();
    let no_restarts = Supervision::new(Restart::Transient).budget(0, Duration::from_secs(60));
    let pool = Pool::builder(2, made.factory())
        .expect("two workers")
        .supervision(no_restarts)
        .spawn_on(&rt);
    let workers = pool.workers();
    assert_eq!(pool.send(Crash).await, Err(SendError::Panicked));
    // A message handed to it while it fails would be answered `Unanswered`, as for any
    // actor that stops; once it has stopped, the pool hands it nothing more.
    assert!(workers[0].wait_for_stop().await.is_panic());
    let survivor = pool.send(WhoAmI).await.expect("answered").0;
    for _ in 0..4 {
        assert_eq!(pool.send(WhoAmI).await.map(|(n, _)| n), Ok(survivor));
    }
    assert_eq!(pool.size(), 1);
    // The last one goes: the pool stops with its reason, and says so to later callers.
    assert_eq!(pool.send(Crash).await, Err(SendError::Panicked));
    assert!(pool.wait_for_stop().await.is_panic());
    assert_eq!(pool.send(WhoAmI).await, Err(SendError::Stopped));
    assert_eq!(pool.size(), 0);
}

async fn broadcast_reaches_every_worker(rt: Rt) {
    let made = Made::default();
    let pool = pool(&rt, 3, Routing::RoundRobin, &made);
    assert_eq!(pool.broadcast(Tally).await, Ok(3));
    for worker in pool.workers() {
        assert_eq!(worker.send(OwnTallies).await, Ok(1));
    }
}

async fn resize_grows_and_shrinks_the_pool(rt: Rt) {
    let made = Made::default();
    let pool = pool(&rt, 2, Routing::RoundRobin, &made);
    pool.resize(4).await.expect("grown");
    assert_eq!(pool.size(), 4);
    let mut numbers = BTreeSet::new();
    for _ in 0..4 {
        numbers.insert(pool.send(WhoAmI).await.expect("answered").0);
    }
    assert_eq!(numbers.len(), 4, "the new workers take their turns");

    let before = pool.workers();
    pool.resize(1).await.expect("shrunk");
    assert_eq!(pool.size(), 1);
    assert_eq!(pool.workers(), before[..1]);
    for removed in &before[1..] {
        assert_eq!(removed.wait_for_stop().await, StopReason::Requested);
    }
    let kept = before[0].send(WhoAmI).await.expect("answered").0;
    for _ in 0..3 {
        assert_eq!(pool.send(WhoAmI).await.map(|(n, _)| n), Ok(kept));
    }
    assert_eq!(pool.resize(0).await, Err(PoolError::Empty));
    assert_eq!(pool.size(), 1, "a refused resize changes nothing");
}

async fn a_removed_worker_finishes_what_it_was_given(rt: Rt) {
    let made = Made::default();
    let pool = pool(&rt, 2, Routing::RoundRobin, &made);
    let workers = pool.workers();
    let (held, key) = hold(&rt, &pool).await;
    for _ in 0..10 {
        pool.notify(Tally).await.expect("queued");
    }
    pool.resize(1).await.expect("shrunk");
    key.open();
    held.await;
    for worker in &workers {
        if !pool.workers().contains(worker) {
            assert_eq!(worker.wait_for_stop().await, StopReason::Requested);
        }
    }
    pool.stop().await;
    pool.wait_for_stop().await;
    assert_eq!(made.tallies.load(Ordering::SeqCst), 10, "no tally lost");
}

async fn stopping_the_pool_hands_everything_on_then_stops_every_worker(rt: Rt) {
    let made = Made::default();
    let pool = pool(&rt, 3, Routing::LeastBusy, &made);
    let workers = pool.workers();
    for _ in 0..50 {
        pool.notify(Tally).await.expect("queued");
    }
    pool.stop().await;
    assert_eq!(pool.wait_for_stop().await, StopReason::Requested);
    for worker in &workers {
        assert_eq!(worker.wait_for_stop().await, StopReason::Requested);
    }
    assert_eq!(made.tallies.load(Ordering::SeqCst), 50);
    assert_eq!(pool.send(WhoAmI).await, Err(SendError::Stopped));
    assert_eq!(pool.resize(2).await, Err(PoolError::Stopped));
    assert_eq!(pool.size(), 0);
}

async fn killing_the_pool_kills_every_worker(rt: Rt) {
    let made = Made::default();
    let pool = pool(&rt, 2, Routing::RoundRobin, &made);
    let workers = pool.workers();
    let (held, key) = hold(&rt, &pool).await;
    pool.kill();
    key.open();
    let _ = held.await;
    assert_eq!(pool.wait_for_stop().await, StopReason::Killed);
    for worker in &workers {
        assert_eq!(worker.wait_for_stop().await, StopReason::Killed);
    }
}

async fn dropping_every_address_stops_the_pool_and_its_workers(rt: Rt) {
    let made = Made::default();
    let pool = pool(&rt, 2, Routing::RoundRobin, &made);
    let workers = pool.workers();
    pool.notify(Tally).await.expect("queued");
    drop(pool);
    for worker in &workers {
        assert_eq!(worker.wait_for_stop().await, StopReason::Requested);
    }
    assert_eq!(made.tallies.load(Ordering::SeqCst), 1);
}

async fn no_request_is_lost_under_load(rt: Rt) {
    let made = Made::default();
    let pool = Pool::builder(4, made.factory())
        .expect("four workers")
        .routing(Routing::LeastBusy)
        .mailbox(Mailbox::Bounded(2.try_into().expect("not zero")))
        .spawn_on(&rt);
    let callers: Vec<_> = (0..8_u64)
        .map(|caller| {
            let pool = pool.address();
            rt.spawn_task(async move {
                let mut sum = 0;
                for n in 0..200 {
                    let n = caller * 1000 + n;
                    assert_eq!(pool.send(Square(n)).await, Ok(n * n));
                    sum += 1;
                }
                sum
            })
        })
        .collect();
    let mut answered = 0;
    for caller in callers {
        answered += caller.await;
    }
    assert_eq!(answered, 1600);
}

#[messages::actor]
struct Squarer;

#[messages::actor]
impl Squarer {
    #[handler]
    fn square(&self, n: u64) -> u64 {
        n * n
    }
}

async fn typed_calls_work_on_the_pool_address(rt: Rt) {
    let pool = Pool::builder(2, || Squarer)
        .expect("two workers")
        .spawn_on(&rt);
    let squarer = SquarerAddress::from(pool.address());
    assert_eq!(squarer.square(7).await, Ok(49));
    assert_eq!(squarer.square(8).await, Ok(64));
}

async fn read_and_recipients_work_on_the_pool_address(rt: Rt) {
    let made = Made::default();
    let pool = pool(&rt, 2, Routing::RoundRobin, &made);
    let recipient = pool.recipient::<Square, _>();
    assert_eq!(recipient.send(Square(3)).await, Ok(9));
    let reply = pool.try_send(Square(4)).expect("room");
    assert_eq!(reply.await, Ok(16));
    pool.notify_priority(Tally).expect("queued");
    assert_eq!(pool.send(Square(1)).await, Ok(1));
}

/// Its `stopped` hook, once it was given a gate, says it began, then waits on it.
#[derive(Default)]
struct Lingering {
    gate: Option<(Gate, tokio::sync::oneshot::Sender<()>)>,
}

impl Actor for Lingering {
    async fn stopped(&mut self) {
        if let Some((gate, entered)) = self.gate.take() {
            let _ = entered.send(());
            gate.pass().await;
        }
    }
}

/// The gate its `stopped` hook is to wait on.
struct Linger(Gate, tokio::sync::oneshot::Sender<()>);

impl Handler<Linger> for Lingering {
    type Result = ();

    async fn handle(&mut self, Linger(gate, entered): Linger, _: &Context<Self>) {
        self.gate = Some((gate, entered));
    }
}

/// A worker leaves the pool as soon as it is disconnected, before it has stopped: the
/// pool's own stop still waits for it. Here the first worker is held in its `stopped`
/// hook while the second, the last, stops at once.
async fn the_pool_stops_after_every_worker_that_left_it(rt: Rt) {
    let pool = Pool::builder(2, Lingering::default)
        .expect("two workers")
        .spawn_on(&rt);
    let [lingering, last] = <[Address<Lingering>; 2]>::try_from(pool.workers())
        .unwrap_or_else(|workers| panic!("two workers, not {}", workers.len()));
    let (gate, key) = Gate::new();
    let (entered, inside) = tokio::sync::oneshot::channel();
    assert_eq!(lingering.send(Linger(gate, entered)).await, Ok(()));
    lingering.shutdown().await;
    within(inside).await.expect("its stopped hook began");
    assert!(!lingering.connected(), "stopping: it leaves the pool");
    last.shutdown().await;
    assert_eq!(within(last.wait_for_stop()).await, StopReason::Requested);
    assert_eq!(
        bounded(Duration::from_millis(200), pool.wait_for_stop()).await,
        None,
        "the pool stopped while a worker that left it was still stopping"
    );
    key.open();
    assert_eq!(within(pool.wait_for_stop()).await, StopReason::Requested);
    assert_eq!(lingering.stop_reason(), Some(StopReason::Requested));
}

#[test]
fn a_pool_of_no_workers_is_refused() {
    let made = Made::default();
    assert_eq!(
        Pool::builder(0, made.factory()).map(|_| ()),
        Err(PoolError::Empty)
    );
    assert_eq!(made.states.load(Ordering::SeqCst), 0, "no worker made");
    assert_eq!(
        PoolError::Empty.to_string(),
        "a pool needs at least one worker"
    );
}

every_executor!(
    round_robin_gives_each_worker_its_turn,
    least_busy_passes_over_a_busy_worker,
    round_robin_waits_its_turn_behind_a_busy_worker,
    a_panicking_worker_restarts_and_the_others_go_on,
    a_worker_past_its_budget_leaves_the_pool,
    broadcast_reaches_every_worker,
    resize_grows_and_shrinks_the_pool,
    a_removed_worker_finishes_what_it_was_given,
    stopping_the_pool_hands_everything_on_then_stops_every_worker,
    killing_the_pool_kills_every_worker,
    dropping_every_address_stops_the_pool_and_its_workers,
    no_request_is_lost_under_load,
    typed_calls_work_on_the_pool_address,
    read_and_recipients_work_on_the_pool_address,
    the_pool_stops_after_every_worker_that_left_it,
);
