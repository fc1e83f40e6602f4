// Pins guarantee 1 of the crate docs (`messages`, "Guarantees and failure model").
//! Panics are contained: the requester of the panicking request gets `Panicked`, every
//! other queued requester an error, `stopped` still runs, the stop reason says why, and
//! the executor and other actors carry on.

use crate::fixtures::{Echo, Hold};
use messages::prelude::*;
use messages_tests::{Gate, Log, Rt, every_executor};

#[derive(Default)]
struct Fragile {
    log: Log,
    panic_in_started: bool,
    panic_in_stopping: bool,
    panic_in_stopped: bool,
}

impl Actor for Fragile {
    async fn started(&mut self, _: &Context<Self>) {
        assert!(!self.panic_in_started, "boom in started");
    }

    async fn stopping(&mut self, _: &Context<Self>) -> ActorAction {
        assert!(!self.panic_in_stopping, "boom in stopping");
        ActorAction::Stop
    }

    async fn stopped(&mut self) {
        self.log.push("stopped");
        assert!(!self.panic_in_stopped, "boom in stopped");
    }
}

impl Notifiable<Hold> for Fragile {
    async fn notify(&mut self, Hold(gate): Hold, _: &Context<Self>) {
        gate.pass().await;
    }
}

/// Panics, after an await point when `true`.
struct Boom(bool);

impl Handler<Boom> for Fragile {
    type Result = u8;
    async fn handle(&mut self, Boom(after_await): Boom, _: &Context<Self>) -> u8 {
        if after_await {
            let (tx, rx) = tokio::sync::oneshot::channel();
            std::thread::spawn(move || tx.send(()));
            let _ = rx.await;
        }
        panic!("boom in handler")
    }
}

impl Notifiable<Boom> for Fragile {
    async fn notify(&mut self, _: Boom, _: &Context<Self>) {
        panic!("boom in notification")
    }
}

impl Handler<Echo> for Fragile {
    type Result = u8;
    async fn handle(&mut self, Echo(n): Echo, _: &Context<Self>) -> u8 {
        self.log.push(format!("echo {n}"));
        n
    }
}

impl Notifiable<Echo> for Fragile {
    async fn notify(&mut self, Echo(n): Echo, _: &Context<Self>) {
        self.log.push(format!("echo {n}"));
    }
}

fn panicked(text: &str) -> StopReason {
    StopReason::Panicked(text.to_owned())
}

async fn check_request_panic(rt: Rt, after_await: bool) {
    let log = Log::default();
    let context = Context::new();
    let address = context.address();
    let join = context.with_runtime(rt.clone()).spawn(Fragile {
        log: log.clone(),
        ..Fragile::default()
    });
    let (gate, key) = Gate::new();
    address.notify(Hold(gate)).await.unwrap();
    let boom = address.try_send(Boom(after_await)).unwrap();
    let behind = address.try_send(Echo(1)).unwrap();
    address.notify(Echo(2)).await.unwrap();
    key.open();

    assert_eq!(boom.await, Err(SendError::Panicked));
    assert_eq!(behind.await, Err(SendError::Unanswered));
    let exit = join.await.unwrap();
    assert_eq!(exit.reason, panicked("boom in handler"));
    assert_eq!(exit.undelivered, 1);
    assert_eq!(
        log.events(),
        ["stopped"],
        "nothing behind the panic is handled"
    );
    assert_eq!(address.send(Echo(3)).await, Err(SendError::Stopped));
    assert_eq!(address.wait_for_stop().await, panicked("boom in handler"));
}

async fn a_panicking_request_gets_panicked(rt: Rt) {
    check_request_panic(rt, false).await;
}

async fn a_panic_after_an_await_is_caught_too(rt: Rt) {
    check_request_panic(rt, true).await;
}

async fn a_panicking_notification_stops_the_actor(rt: Rt) {
    let log = Log::default();
    let address = Fragile {
        log: log.clone(),
        ..Fragile::default()
    }
    .spawn_on(&rt);
    address.notify(Boom(false)).await.unwrap();
    assert_eq!(
        address.wait_for_stop().await,
        panicked("boom in notification")
    );
    assert_eq!(log.events(), ["stopped"]);
}

async fn a_panic_in_started_fails_the_queued_requests(rt: Rt) {
    let log = Log::default();
    let context = Context::new();
    let address = context.address();
    let queued = address.try_send(Echo(1)).unwrap();
    let join = context.with_runtime(rt.clone()).spawn(Fragile {
        log: log.clone(),
        panic_in_started: true,
        ..Fragile::default()
    });
    assert_eq!(queued.await, Err(SendError::Unanswered));
    assert_eq!(join.await.unwrap().reason, panicked("boom in started"));
    assert_eq!(log.events(), ["stopped"], "stopped still runs");
}

async fn a_panic_in_stopping_stops_the_actor(rt: Rt) {
    let address = Fragile {
        panic_in_stopping: true,
        ..Fragile::default()
    }
    .spawn_on(&rt);
    address.stop().await;
    assert_eq!(address.wait_for_stop().await, panicked("boom in stopping"));
}

async fn a_panic_in_stopped_is_reported(rt: Rt) {
    let log = Log::default();
    let address = Fragile {
        log: log.clone(),
        panic_in_stopped: true,
        ..Fragile::default()
    }
    .spawn_on(&rt);
    address.stop().await;
    assert_eq!(address.wait_for_stop().await, panicked("boom in stopped"));
    assert_eq!(log.events(), ["stopped"], "stopped ran exactly once");
}

async fn other_actors_and_the_executor_carry_on(rt: Rt) {
    let fragile = Fragile::default().spawn_on(&rt);
    let bystander = Fragile::default().spawn_on(&rt);
    assert_eq!(fragile.send(Boom(false)).await, Err(SendError::Panicked));
    assert!(fragile.wait_for_stop().await.is_panic());
    assert_eq!(bystander.send(Echo(7)).await, Ok(7));
    assert_eq!(rt.spawn_task(async { 1 + 1 }).await, 2);
    let newcomer = Fragile::default().spawn_on(&rt);
    assert_eq!(newcomer.send(Echo(8)).await, Ok(8));
}

every_executor!(
    a_panicking_request_gets_panicked,
    a_panic_after_an_await_is_caught_too,
    a_panicking_notification_stops_the_actor,
    a_panic_in_started_fails_the_queued_requests,
    a_panic_in_stopping_stops_the_actor,
    a_panic_in_stopped_is_reported,
    other_actors_and_the_executor_carry_on,
);
