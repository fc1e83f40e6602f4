//! The core needs no runtime feature: `Context::run` on plain `futures` executors, and
//! a runtime of the user's own, which the actor's context carries: what the actor
//! attaches (timers, streams, monitors) runs on it too.
//! `cargo test -p messages --no-default-features` runs this with every feature off.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::executor::{LocalPool, ThreadPool, block_on};
use futures::task::{LocalSpawnExt, SpawnExt};
use messages::prelude::*;
use messages::registry::{Registry, Service};
use messages::runtime::{Spawner, Timer};
use messages::supervision::{Restart, Strategy, Supervision, SupervisorGroup, Terminated};

/// A runtime the library does not know: a `futures` thread pool with a thread per
/// sleep, counting what it is asked to spawn and to time.
#[derive(Clone)]
struct Pool {
    pool: ThreadPool,
    spawned: Arc<AtomicUsize>,
    slept: Arc<AtomicUsize>,
}

impl Pool {
    fn new() -> Self {
        Self {
            pool: ThreadPool::new().unwrap(),
            spawned: Arc::default(),
            slept: Arc::default(),
        }
    }

    fn spawned(&self) -> usize {
        self.spawned.load(Ordering::SeqCst)
    }

    fn slept(&self) -> usize {
        self.slept.load(Ordering::SeqCst)
    }
}

impl Spawner for Pool {
    fn spawn<F>(&self, future: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        self.spawned.fetch_add(1, Ordering::SeqCst);
        self.pool.spawn_ok(future);
    }
}

impl Timer for Pool {
    type Sleep = futures::channel::oneshot::Receiver<()>;

    fn sleep(&self, duration: Duration) -> Self::Sleep {
        self.slept.fetch_add(1, Ordering::SeqCst);
        let (done, sleep) = futures::channel::oneshot::channel();
        std::thread::spawn(move || {
            std::thread::sleep(duration);
            let _ = done.send(());
        });
        sleep
    }
}

/// Runs a test body on its own thread and fails if it takes longer than 10 seconds,
/// so a hang fails fast.
fn bounded(body: impl FnOnce() + Send + 'static) {
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        body();
        let _ = done.send(());
    });
    match finished.recv_timeout(std::time::Duration::from_secs(10)) {
        Ok(()) => {}
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => panic!("timed out: something hangs"),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => panic!("the test body panicked"),
    }
}

#[derive(Default)]
struct Sum {
    total: u64,
}

impl Actor for Sum {}

impl Handler<u64> for Sum {
    type Result = u64;
    async fn handle(&mut self, n: u64, _: &Context<Self>) -> u64 {
        self.total += n;
        self.total
    }
}

impl Notifiable<u64> for Sum {
    async fn notify(&mut self, n: u64, _: &Context<Self>) {
        self.total += n;
    }
}

#[test]
fn a_single_threaded_local_pool() {
    bounded(|| {
        let mut pool = LocalPool::new();
        let context = Context::new();
        let address = context.address();
        let exit = pool
            .spawner()
            .spawn_local_with_handle(context.run(Sum::default()))
            .unwrap();
        let answers = pool.run_until(async move {
            let first = address.send(1).await;
            address.notify(10).await.unwrap();
            let second = address.send(100).await;
            (first, second)
        });
        assert_eq!(answers, (Ok(1), Ok(111)));
        let exit = pool.run_until(exit);
        assert_eq!(exit.actor.total, 111);
        assert_eq!(exit.reason, StopReason::AddressesDropped);
    });
}

#[test]
fn a_thread_pool_through_the_runtime_traits() {
    bounded(|| {
        let pool = Pool::new();
        let address = Sum::default().spawn_on(&pool);
        let callers: Vec<_> = (0..4)
            .map(|_| {
                let address = address.clone();
                pool.pool
                    .spawn_with_handle(async move {
                        for _ in 0..50 {
                            address.send(1).await.unwrap();
                        }
                    })
                    .unwrap()
            })
            .collect();
        block_on(async {
            futures::future::join_all(callers).await;
            assert_eq!(address.send(0).await, Ok(200));
            address.stop().await;
            assert_eq!(address.wait_for_stop().await, StopReason::Requested);
        });
    });
}

/// Attaches a timer, a stream and a monitor in `started`, reports what arrives, and
/// stops once all three have.
struct Attacher {
    watched: Address<Sum>,
    seen: futures::channel::mpsc::UnboundedSender<&'static str>,
    left: u32,
}

struct Rang;

impl Attacher {
    fn seen(&mut self, what: &'static str, ctx: &Context<Self>) {
        let _ = self.seen.unbounded_send(what);
        self.left -= 1;
        if self.left == 0 {
            ctx.stop();
        }
    }
}

impl Actor for Attacher {
    async fn started(&mut self, ctx: &Context<Self>) {
        drop(ctx.notify_later(Rang, Duration::from_millis(1)));
        ctx.add_stream(futures::stream::iter([7_u8]));
        ctx.monitor(&self.watched);
    }
}

impl Notifiable<Rang> for Attacher {
    async fn notify(&mut self, _: Rang, ctx: &Context<Self>) {
        self.seen("timer", ctx);
    }
}

impl Notifiable<u8> for Attacher {
    async fn notify(&mut self, _: u8, ctx: &Context<Self>) {
        self.seen("stream", ctx);
    }
}

impl Notifiable<Terminated> for Attacher {
    async fn notify(&mut self, _: Terminated, ctx: &Context<Self>) {
        self.seen("monitor", ctx);
    }
}

fn attacher(
    watched: &Address<Sum>,
) -> (
    Attacher,
    futures::channel::mpsc::UnboundedReceiver<&'static str>,
) {
    let (seen, received) = futures::channel::mpsc::unbounded();
    let attacher = Attacher {
        watched: watched.clone(),
        seen,
        left: 3,
    };
    (attacher, received)
}

async fn all_three(received: futures::channel::mpsc::UnboundedReceiver<&'static str>) {
    let mut seen: Vec<_> = futures::StreamExt::collect(futures::StreamExt::take(received, 3)).await;
    seen.sort_unstable();
    assert_eq!(seen, ["monitor", "stream", "timer"]);
}

#[test]
fn what_an_actor_spawned_on_a_runtime_attaches_runs_on_that_runtime() {
    bounded(|| {
        let pool = Pool::new();
        let watched = Sum::default().spawn_on(&pool);
        let (actor, received) = attacher(&watched);
        let address = actor.spawn_on(&pool);
        // Both actors' tasks, then the timer's, the stream's and the monitor's.
        block_on(async {
            address.send_stop_after(&watched).await;
            all_three(received).await;
            assert_eq!(address.wait_for_stop().await, StopReason::Requested);
        });
        assert_eq!(pool.spawned(), 2 + 3);
        assert_eq!(pool.slept(), 1, "the timer's one sleep");
    });
}

#[test]
fn a_context_given_a_runtime_and_run_uses_it() {
    bounded(|| {
        let pool = Pool::new();
        let watched = Sum::default().spawn_on(&pool);
        let (actor, received) = attacher(&watched);
        let context = Context::new().with_runtime(pool.clone());
        let address = context.address();
        // Run on this thread, not spawned: what it attaches is spawned on the pool.
        let exit = block_on(async {
            let run = context.run(actor);
            let rest = async {
                address.send_stop_after(&watched).await;
                all_three(received).await;
            };
            futures::join!(run, rest).0
        });
        assert_eq!(exit.reason, StopReason::Requested);
        assert_eq!(pool.spawned(), 1 + 3, "the watched actor, then the three");
        assert_eq!(pool.slept(), 1);
    });
}

/// Test helper: stops `watched` (so the monitor fires) once the attacher has started.
trait StopAfter {
    async fn send_stop_after(&self, watched: &Address<Sum>);
}

impl StopAfter for Address<Attacher> {
    async fn send_stop_after(&self, watched: &Address<Sum>) {
        // A round trip: `started` has attached the monitor by the time it answers.
        self.send(Ready).await.unwrap();
        watched.stop().await;
    }
}

struct Ready;

impl Handler<Ready> for Attacher {
    type Result = ();
    async fn handle(&mut self, _: Ready, _: &Context<Self>) {}
}

/// Stops itself with a timer from `started`.
#[derive(Default)]
struct Timed;

impl Actor for Timed {
    async fn started(&mut self, ctx: &Context<Self>) {
        drop(ctx.notify_later(Rang, Duration::from_millis(1)));
    }
}

impl Notifiable<Rang> for Timed {
    async fn notify(&mut self, _: Rang, ctx: &Context<Self>) {
        ctx.stop();
    }
}

impl Service for Timed {
    const NAME: &'static str = "timed";
}

#[test]
fn supervised_grouped_and_service_actors_carry_the_runtime_they_start_on() {
    bounded(|| {
        let pool = Pool::new();
        let supervised =
            Timed::spawn_supervised_on(Timed::default, Supervision::new(Restart::Never), &pool);
        let mut group = SupervisorGroup::new(Strategy::OneForOne);
        let child = group.child(Timed::default, Restart::Never);
        let group = group.start_on(&pool);
        let service = Registry::service_on::<Timed, _>(&pool);
        block_on(async {
            assert_eq!(supervised.wait_for_stop().await, StopReason::Requested);
            assert_eq!(child.wait_for_stop().await, StopReason::Requested);
            assert_eq!(group.wait().await, StopReason::Requested);
            assert_eq!(service.wait_for_stop().await, StopReason::Requested);
        });
        // Each of the three stopped through a timer on the pool: one sleep each.
        assert_eq!(pool.slept(), 3);
    });
}

#[test]
fn a_stream_forwarder_spawns_on_the_actors_runtime() {
    bounded(|| {
        let pool = Pool::new();
        let context = Context::new().with_runtime(pool.clone());
        context
            .address()
            .spawn_stream_forwarder(futures::stream::iter([1_u64, 2, 3]));
        // Only the forwarder holds an address: the actor stops once the stream ended.
        let exit = block_on(context.spawn(Sum::default())).unwrap();
        assert_eq!(exit.actor.total, 6);
        assert_eq!(exit.reason, StopReason::AddressesDropped);
        assert_eq!(pool.spawned(), 2, "the forwarder's task and the actor's");
    });
}

#[test]
fn a_context_takes_one_runtime() {
    let pool = Pool::new();
    let context = Context::<Sum>::new().with_runtime(pool.clone());
    let twice =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| context.with_runtime(pool)));
    let message = twice.expect_err("a second runtime is refused");
    assert_eq!(
        message.downcast_ref::<&str>().copied(),
        Some("this context already carries a runtime given to it: a context takes one")
    );
}
