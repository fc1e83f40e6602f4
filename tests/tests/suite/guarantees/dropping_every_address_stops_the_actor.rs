// Pins guarantee 5 of the crate docs (`messages`, "Guarantees and failure model").
//! Dropping every address stops the actor, after it has handled what was already
//! queued; its state is dropped and its task ends.

use crate::fixtures::{Hold, Job};
use messages::prelude::*;
use messages_tests::{DropCounter, DropToken, Gate, Log, Rt, every_executor};
use tokio::sync::oneshot;

struct Worker {
    log: Log,
    _token: Option<DropToken>,
    /// Closes when the actor's state is dropped.
    _alive: Option<oneshot::Sender<()>>,
}

impl Worker {
    fn new(log: &Log) -> Self {
        Self {
            log: log.clone(),
            _token: None,
            _alive: None,
        }
    }
}

impl Actor for Worker {
    async fn stopping(&mut self, _: &Context<Self>) -> ActorAction {
        self.log.push("stopping");
        ActorAction::Stop
    }

    async fn stopped(&mut self) {
        self.log.push("stopped");
    }
}

impl Notifiable<Hold> for Worker {
    async fn notify(&mut self, Hold(gate): Hold, _: &Context<Self>) {
        gate.pass().await;
    }
}

impl Notifiable<Job> for Worker {
    async fn notify(&mut self, Job(name): Job, _: &Context<Self>) {
        self.log.push(name);
    }
}

/// Reports whether an address taken now is connected.
struct TakeAddress(oneshot::Sender<bool>);

impl Notifiable<TakeAddress> for Worker {
    async fn notify(&mut self, TakeAddress(report): TakeAddress, context: &Context<Self>) {
        let _ = report.send(context.address().connected());
    }
}

async fn dropping_every_address_stops_after_the_backlog(rt: Rt) {
    let log = Log::default();
    let context = Context::new();
    let address = context.address();
    let join = context.with_runtime(rt.clone()).spawn(Worker::new(&log));
    let (gate, key) = Gate::new();
    address.notify(Hold(gate)).await.unwrap();
    address.notify(Job("one")).await.unwrap();
    let clone = address.clone();
    clone.notify(Job("two")).await.unwrap();
    drop(address);
    drop(clone);
    key.open();
    let exit = join.await.unwrap();
    assert_eq!(exit.reason, StopReason::AddressesDropped);
    assert_eq!(exit.undelivered, 0);
    // Everything queued was handled; `stopping` is not consulted.
    assert_eq!(log.events(), ["one", "two", "stopped"]);
}

async fn the_state_is_dropped_and_the_task_ends(rt: Rt) {
    let (alive, dropped) = oneshot::channel::<()>();
    let worker = Worker {
        _alive: Some(alive),
        ..Worker::new(&Log::default())
    };
    let address = worker.spawn_on(&rt);
    address.notify(Job("work")).await.unwrap();
    drop(address);
    // Resolves (with "closed") only when the actor's state has been dropped.
    assert!(dropped.await.is_err());
}

async fn a_spawned_actor_is_dropped_before_wait_for_stop_returns(rt: Rt) {
    let drops = DropCounter::default();
    let worker = Worker {
        _token: Some(drops.token()),
        ..Worker::new(&Log::default())
    };
    let address = worker.spawn_on(&rt);
    address.stop().await;
    assert_eq!(address.wait_for_stop().await, StopReason::Requested);
    assert_eq!(drops.dropped(), 1);
}

async fn an_address_taken_after_the_last_drop_is_disconnected(rt: Rt) {
    let context = Context::new();
    let address = context.address();
    let join = context
        .with_runtime(rt.clone())
        .spawn(Worker::new(&Log::default()));
    let (gate, key) = Gate::new();
    let (live_tx, live) = oneshot::channel();
    let (late_tx, late) = oneshot::channel();
    address.notify(TakeAddress(live_tx)).await.unwrap();
    address.notify(Hold(gate)).await.unwrap();
    address.notify(TakeAddress(late_tx)).await.unwrap();
    assert!(
        live.await.unwrap(),
        "while addresses exist, a new one is live"
    );
    drop(address);
    key.open();
    assert!(
        !late.await.unwrap(),
        "after the last drop the mailbox is closed for good"
    );
    assert_eq!(join.await.unwrap().reason, StopReason::AddressesDropped);
}

every_executor!(
    dropping_every_address_stops_after_the_backlog,
    the_state_is_dropped_and_the_task_ends,
    a_spawned_actor_is_dropped_before_wait_for_stop_returns,
    an_address_taken_after_the_last_drop_is_disconnected,
);
