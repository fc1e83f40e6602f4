// Pins guarantee 4 of the crate docs (`messages`, "Guarantees and failure model").
//! Graceful stop: everything queued before the stop is handled in order; once the actor
//! accepts it, everything behind it or sent later is refused and reported, never lost
//! silently and never left hanging.

use crate::fixtures::{Hold, Job};
use futures::FutureExt;
use messages::TrySendError;
use messages::prelude::*;
use messages_tests::{Gate, Log, Rt, every_executor};

struct Worker {
    log: Log,
    refuse_stops: bool,
}

impl Worker {
    fn new(log: &Log) -> Self {
        Self {
            log: log.clone(),
            refuse_stops: false,
        }
    }
}

impl Actor for Worker {
    async fn stopping(&mut self, _: &Context<Self>) -> ActorAction {
        self.log.push("stopping");
        if self.refuse_stops {
            ActorAction::KeepRunning
        } else {
            ActorAction::Stop
        }
    }
}

impl Handler<Hold> for Worker {
    type Result = ();
    async fn handle(&mut self, Hold(gate): Hold, _: &Context<Self>) {
        gate.pass().await;
        self.log.push("hold");
    }
}

impl Notifiable<Job> for Worker {
    async fn notify(&mut self, Job(name): Job, _: &Context<Self>) {
        self.log.push(name);
    }
}

impl Handler<Job> for Worker {
    type Result = &'static str;
    async fn handle(&mut self, Job(name): Job, _: &Context<Self>) -> &'static str {
        self.log.push(name);
        name
    }
}

/// Stops the actor from inside, then holds it busy until the gate opens.
struct StopSelf(Gate);

impl Notifiable<StopSelf> for Worker {
    async fn notify(&mut self, StopSelf(gate): StopSelf, context: &Context<Self>) {
        context.stop();
        gate.pass().await;
        self.log.push("stop-self");
    }
}

struct AcceptStops;

impl Notifiable<AcceptStops> for Worker {
    async fn notify(&mut self, _: AcceptStops, _: &Context<Self>) {
        self.refuse_stops = false;
    }
}

async fn queued_before_stop_is_handled_and_behind_it_is_refused(rt: Rt) {
    let log = Log::default();
    let context = Context::new();
    let address = context.address();
    let join = context.with_runtime(rt.clone()).spawn(Worker::new(&log));

    let (gate, key) = Gate::new();
    let held = address.try_send(Hold(gate)).unwrap();
    address.notify(Job("before-1")).await.unwrap();
    let before = address.try_send(Job("before-2")).unwrap();
    address.stop().await;
    address.notify(Job("behind")).await.unwrap();
    let behind = address.try_send(Job("behind-request")).unwrap();
    key.open();

    assert_eq!(held.await, Ok(()));
    assert_eq!(before.await, Ok("before-2"));
    assert_eq!(behind.await, Err(SendError::Unanswered));
    let exit = join.await.unwrap();
    assert_eq!(exit.reason, StopReason::Requested);
    assert_eq!(
        exit.undelivered, 1,
        "the notification behind the stop is counted"
    );
    assert_eq!(log.events(), ["hold", "before-1", "before-2", "stopping"]);

    // Sent after the stop: refused at once, and the `try_*` calls hand the message back.
    assert!(!address.connected());
    assert_eq!(address.notify(Job("late")).await, Err(SendError::Stopped));
    assert_eq!(address.send(Job("late")).await, Err(SendError::Stopped));
    let refused = address.try_notify(Job("late")).unwrap_err();
    assert!(refused.is_stopped());
    assert_eq!(refused.into_inner().0, "late");
    let refused = address.try_send(Job("late request")).unwrap_err();
    assert!(matches!(
        refused,
        TrySendError::Stopped(Job("late request"))
    ));
}

async fn stopping_may_refuse_a_stop(rt: Rt) {
    let log = Log::default();
    let worker = Worker {
        refuse_stops: true,
        ..Worker::new(&log)
    };
    let address = worker.spawn_on(&rt);
    address.stop().await;
    // Refused: the actor goes on answering.
    assert_eq!(
        address.send(Job("after refusal")).await,
        Ok("after refusal")
    );
    assert!(address.connected());
    address.notify(AcceptStops).await.unwrap();
    address.stop().await;
    assert_eq!(address.wait_for_stop().await, StopReason::Requested);
    assert_eq!(log.events(), ["stopping", "after refusal", "stopping"]);
}

async fn context_stop_handles_what_is_queued_then_refuses(rt: Rt) {
    let log = Log::default();
    let address = Worker::new(&log).spawn_on(&rt);
    let (gate, key) = Gate::new();
    address.notify(StopSelf(gate)).await.unwrap();
    // Queued while the handler that called `stop` still runs: sent before the stop took
    // effect, so handled.
    address.notify(Job("queued-1")).await.unwrap();
    let queued = address.try_send(Job("queued-2")).unwrap();
    key.open();
    assert_eq!(queued.await, Ok("queued-2"));
    assert_eq!(address.wait_for_stop().await, StopReason::Requested);
    assert_eq!(
        log.events(),
        ["stop-self", "stopping", "queued-1", "queued-2"]
    );
    assert_eq!(address.notify(Job("late")).await, Err(SendError::Stopped));
}

async fn stopping_a_stopped_actor_returns_at_once(rt: Rt) {
    let address = Worker::new(&Log::default()).spawn_on(&rt);
    address.stop().await;
    address.wait_for_stop().await;
    assert_eq!(address.stop().now_or_never(), Some(()));
}

every_executor!(
    queued_before_stop_is_handled_and_behind_it_is_refused,
    stopping_may_refuse_a_stop,
    context_stop_handles_what_is_queued_then_refuses,
    stopping_a_stopped_actor_returns_at_once,
);
