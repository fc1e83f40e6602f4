//! The priority lane: a priority notification overtakes every ordinary message still
//! waiting, priority notifications keep their own order, a parked actor wakes for one,
//! and after a stop they are refused or counted like ordinary ones.

use crate::fixtures::Event;
use messages::prelude::*;
use messages_tests::{Gate, Log, Rt, every_executor};
use tokio::sync::oneshot;

#[derive(Default)]
struct Worker {
    log: Log,
}

impl Actor for Worker {}

/// Tells the test it is running, then waits on the gate (and panics after it if asked).
struct Hold {
    entered: oneshot::Sender<()>,
    gate: Gate,
    panic_after: bool,
}

impl Notifiable<Hold> for Worker {
    async fn notify(&mut self, hold: Hold, _: &Context<Self>) {
        let Hold {
            entered,
            gate,
            panic_after,
        } = hold;
        let _ = entered.send(());
        gate.pass().await;
        self.log.push("hold");
        assert!(!panic_after, "boom after hold");
    }
}

impl Notifiable<Event> for Worker {
    async fn notify(&mut self, Event(name): Event, _: &Context<Self>) {
        self.log.push(name);
    }
}

struct Signal(oneshot::Sender<()>);

impl Notifiable<Signal> for Worker {
    async fn notify(&mut self, Signal(done): Signal, _: &Context<Self>) {
        self.log.push("signal");
        let _ = done.send(());
    }
}

async fn priority_overtakes_what_is_waiting(rt: Rt) {
    let log = Log::default();
    let address = Worker { log: log.clone() }.spawn_on(&rt);
    let (gate, key) = Gate::new();
    let (entered, inside) = oneshot::channel();
    address
        .notify(Hold {
            entered,
            gate,
            panic_after: false,
        })
        .await
        .unwrap();
    inside.await.unwrap();
    address.notify(Event("ordinary 1")).await.unwrap();
    address.notify(Event("ordinary 2")).await.unwrap();
    address.notify_priority(Event("priority 1")).unwrap();
    address.notify_priority(Event("priority 2")).unwrap();
    key.open();
    address.stop().await;
    address.wait_for_stop().await;
    assert_eq!(
        log.events(),
        [
            "hold",
            "priority 1",
            "priority 2",
            "ordinary 1",
            "ordinary 2"
        ]
    );
}

async fn a_parked_actor_wakes_for_a_priority_notification(rt: Rt) {
    let log = Log::default();
    let address = Worker { log: log.clone() }.spawn_on(&rt);
    // Once this round trip is answered the actor is idle, parked on its empty mailbox.
    address.send(Ping).await.unwrap();
    let (done, handled) = oneshot::channel();
    address.notify_priority(Signal(done)).unwrap();
    handled.await.unwrap();
    assert_eq!(log.events(), ["signal"]);
}

async fn after_a_stop_priority_is_refused_or_counted(rt: Rt) {
    let log = Log::default();
    let context = Context::new();
    let address = context.address();
    let join = context
        .with_runtime(rt.clone())
        .spawn(Worker { log: log.clone() });
    let (gate, key) = Gate::new();
    let (entered, inside) = oneshot::channel();
    address
        .notify(Hold {
            entered,
            gate,
            panic_after: true,
        })
        .await
        .unwrap();
    inside.await.unwrap();
    address
        .notify_priority(Event("queued behind a panic"))
        .unwrap();
    key.open();
    let exit = join.await.unwrap();
    assert!(exit.reason.is_panic());
    assert_eq!(
        exit.undelivered, 1,
        "the waiting priority notification is counted"
    );
    let refused = address.notify_priority(Event("late")).unwrap_err();
    assert!(refused.is_stopped());
    assert_eq!(refused.into_inner().0, "late");
    assert_eq!(log.events(), ["hold"]);
}

struct Ping;

impl Handler<Ping> for Worker {
    type Result = ();
    async fn handle(&mut self, _: Ping, _: &Context<Self>) {}
}

every_executor!(
    priority_overtakes_what_is_waiting,
    a_parked_actor_wakes_for_a_priority_notification,
    after_a_stop_priority_is_refused_or_counted,
);
