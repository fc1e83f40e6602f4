//! The runtime an actor's context carries: given once where the actor starts (spawned
//! on it, or given to the context with `with_runtime` and run), it is what the actor's
//! timers, streams, monitors and idle watchdog run on, through the same methods as on
//! the built-in runtime. A counting runtime around each executor proves it: on tokio
//! too, where falling back to the built-in one would still work unseen.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::fixtures::Tick;
use messages::prelude::*;
use messages::runtime::{Spawner, Timer};
use messages::supervision::Terminated;
use messages_tests::{Rt, every_executor, within};
use tokio::sync::mpsc;

/// The test's executor, counting what it is asked to spawn and to time.
#[derive(Debug, Clone)]
struct Counting {
    rt: Rt,
    spawned: Arc<AtomicUsize>,
    slept: Arc<AtomicUsize>,
}

impl Counting {
    fn new(rt: Rt) -> Self {
        Self {
            rt,
            spawned: Arc::default(),
            slept: Arc::default(),
        }
    }

    fn counts(&self) -> (usize, usize) {
        (
            self.spawned.load(Ordering::SeqCst),
            self.slept.load(Ordering::SeqCst),
        )
    }
}

impl Spawner for Counting {
    fn spawn<F>(&self, future: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        self.spawned.fetch_add(1, Ordering::SeqCst);
        self.rt.spawn(future);
    }
}

impl Timer for Counting {
    type Sleep = <Rt as Timer>::Sleep;

    fn sleep(&self, duration: Duration) -> Self::Sleep {
        self.slept.fetch_add(1, Ordering::SeqCst);
        self.rt.sleep(duration)
    }
}

/// Reports what arrives from what `Attach` set up.
struct Attacher {
    seen: mpsc::UnboundedSender<&'static str>,
}

impl Actor for Attacher {}

/// Sets up a timer, a stream and a monitor of `.0`, from inside a handler.
struct Attach(Address<Quiet>);

impl Handler<Attach> for Attacher {
    type Result = ();
    async fn handle(&mut self, Attach(watched): Attach, ctx: &Context<Self>) {
        drop(ctx.notify_later(Tick(1), Duration::from_millis(1)));
        ctx.add_stream(futures::stream::iter([7_u8]));
        ctx.monitor(&watched);
    }
}

impl Notifiable<Tick> for Attacher {
    async fn notify(&mut self, _: Tick, _: &Context<Self>) {
        let _ = self.seen.send("timer");
    }
}

impl Notifiable<u8> for Attacher {
    async fn notify(&mut self, _: u8, _: &Context<Self>) {
        let _ = self.seen.send("stream");
    }
}

impl Notifiable<Terminated> for Attacher {
    async fn notify(&mut self, _: Terminated, _: &Context<Self>) {
        let _ = self.seen.send("monitor");
    }
}

struct Quiet;

impl Actor for Quiet {}

/// Attaches the three, stops the watched actor, and waits until all three arrived.
async fn attach_and_see_all_three(attacher: &Address<Attacher>, watched: Address<Quiet>) {
    let (seen, mut received) = mpsc::unbounded_channel();
    within(attacher.send(Collect(seen))).await.unwrap();
    within(attacher.send(Attach(watched.clone())))
        .await
        .unwrap();
    watched.stop().await;
    let mut arrived = Vec::new();
    for _ in 0..3 {
        arrived.push(within(received.recv()).await.expect("all three arrive"));
    }
    arrived.sort_unstable();
    assert_eq!(arrived, ["monitor", "stream", "timer"]);
}

/// Where the attacher reports.
struct Collect(mpsc::UnboundedSender<&'static str>);

impl Handler<Collect> for Attacher {
    type Result = ();
    async fn handle(&mut self, Collect(seen): Collect, _: &Context<Self>) {
        self.seen = seen;
    }
}

fn attacher() -> Attacher {
    Attacher {
        seen: mpsc::unbounded_channel().0,
    }
}

async fn what_an_actor_spawned_on_a_runtime_attaches_runs_on_it(rt: Rt) {
    let counting = Counting::new(rt);
    let watched = Quiet.spawn_on(&counting);
    let attacher = attacher().spawn_on(&counting);
    assert_eq!(counting.counts(), (2, 0), "the two actors' tasks");
    attach_and_see_all_three(&attacher, watched).await;
    assert_eq!(
        counting.counts(),
        (2 + 3, 1),
        "the timer's, the stream's and the monitor's tasks, and the timer's sleep"
    );
}

async fn a_context_given_a_runtime_and_run_carries_it(rt: Rt) {
    let counting = Counting::new(rt.clone());
    let watched = Quiet.spawn_on(&counting);
    let context = Context::new().with_runtime(counting.clone());
    let attacher_address = context.address();
    // Run on the test's executor as a plain future: the context still carries `counting`.
    let run = rt.spawn_task(context.run(attacher()));
    attach_and_see_all_three(&attacher_address, watched).await;
    assert_eq!(
        counting.counts(),
        (1 + 3, 1),
        "the watched actor, then the three"
    );
    drop(attacher_address);
    assert_eq!(within(run).await.reason, StopReason::AddressesDropped);
}

every_executor!(
    what_an_actor_spawned_on_a_runtime_attaches_runs_on_it,
    a_context_given_a_runtime_and_run_carries_it,
);
