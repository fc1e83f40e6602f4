// Pins guarantee 11 of the crate docs (`messages`, "Guarantees and failure model").
//! Lifecycle order is total: `started` before the first message, messages sent before
//! the actor runs are kept, `stopped` exactly once after the last handler and before
//! `wait_for_stop` returns, and `wait_for_stop` never spins.

use crate::fixtures::Event;
use futures::FutureExt;
use messages::prelude::*;
use messages_tests::{Gate, Log, Rt, every_executor, is_pending};

struct Tracked {
    log: Log,
    gate: Option<Gate>,
}

impl Tracked {
    fn new(log: &Log) -> Self {
        Self {
            log: log.clone(),
            gate: None,
        }
    }
}

impl Actor for Tracked {
    async fn started(&mut self, _: &Context<Self>) {
        self.log.push("started:begin");
        if let Some(gate) = self.gate.take() {
            gate.pass().await;
        }
        self.log.push("started:end");
    }

    async fn stopping(&mut self, _: &Context<Self>) -> ActorAction {
        self.log.push("stopping");
        ActorAction::Stop
    }

    async fn stopped(&mut self) {
        self.log.push("stopped");
    }
}

impl Notifiable<Event> for Tracked {
    async fn notify(&mut self, Event(name): Event, _: &Context<Self>) {
        self.log.push(name);
    }
}

impl Handler<Event> for Tracked {
    type Result = usize;
    async fn handle(&mut self, Event(name): Event, _: &Context<Self>) -> usize {
        self.log.push(name);
        self.log.events().len()
    }
}

async fn started_finishes_before_the_first_message(rt: Rt) {
    let log = Log::default();
    let (gate, key) = Gate::new();
    let context = Context::new();
    let address = context.address();
    address.notify(Event("queued before run")).await.unwrap();
    let actor = Tracked {
        gate: Some(gate),
        ..Tracked::new(&log)
    };
    let exit = rt.spawn_task(context.run(actor));
    let request = rt.spawn_task({
        let address = address.clone();
        async move { address.send(Event("request")).await }
    });
    key.open();
    request.await.unwrap();
    drop(address);
    exit.await;
    assert_eq!(
        log.events(),
        [
            "started:begin",
            "started:end",
            "queued before run",
            "request",
            "stopped"
        ]
    );
}

async fn messages_sent_before_run_are_not_lost(rt: Rt) {
    let log = Log::default();
    let context = Context::new();
    let address = context.address();
    for name in ["one", "two", "three"] {
        address.notify(Event(name)).await.unwrap();
    }
    drop(address);
    // Nothing runs the actor until now; every address is already gone.
    let exit = rt.spawn_task(context.run(Tracked::new(&log))).await;
    assert_eq!(exit.reason, StopReason::AddressesDropped);
    assert_eq!(
        log.events(),
        [
            "started:begin",
            "started:end",
            "one",
            "two",
            "three",
            "stopped"
        ]
    );
}

async fn hooks_run_in_order_and_stopped_runs_once(rt: Rt) {
    let log = Log::default();
    let address = Tracked::new(&log).spawn_on(&rt);
    address.notify(Event("message")).await.unwrap();
    address.stop().await;
    address.stop().await; // a second request is refused or ignored, never a second stop
    assert_eq!(address.wait_for_stop().await, StopReason::Requested);
    // `stopped` ran before `wait_for_stop` returned.
    assert_eq!(
        log.events(),
        [
            "started:begin",
            "started:end",
            "message",
            "stopping",
            "stopped"
        ]
    );
}

async fn wait_for_stop_returns_at_once_once_stopped(rt: Rt) {
    let address = Tracked::new(&Log::default()).spawn_on(&rt);
    address.stop().await;
    assert_eq!(address.wait_for_stop().await, StopReason::Requested);
    // Already stopped: ready on the first poll, for every address.
    assert_eq!(
        address.wait_for_stop().now_or_never(),
        Some(StopReason::Requested)
    );
    let clone = address.clone();
    assert_eq!(
        clone.wait_for_stop().now_or_never(),
        Some(StopReason::Requested)
    );
}

async fn wait_for_stop_works_before_the_actor_first_runs(rt: Rt) {
    let log = Log::default();
    let context = Context::new();
    let address = context.address();
    // Waiting starts before anything runs the actor: it must park, not spin.
    let waiter = rt.spawn_task({
        let address = address.clone();
        async move { address.wait_for_stop().await }
    });
    assert!(is_pending(address.wait_for_stop()));
    address.stop().await;
    let run = rt.spawn_task(context.run(Tracked::new(&log)));
    assert_eq!(waiter.await, StopReason::Requested);
    assert_eq!(run.await.reason, StopReason::Requested);
}

/// A node that needs its own address before it exists.
struct Countdown {
    me: Address<Countdown>,
    left: u32,
    log: Log,
}

impl Actor for Countdown {
    async fn started(&mut self, _: &Context<Self>) {
        self.me.notify(Tick).await.unwrap();
    }
}

struct Tick;

impl Notifiable<Tick> for Countdown {
    async fn notify(&mut self, _: Tick, context: &Context<Self>) {
        self.log.push(format!("tick {}", self.left));
        if self.left == 0 {
            context.stop();
        } else {
            self.left -= 1;
            self.me.notify(Tick).await.unwrap();
        }
    }
}

async fn create_and_run_hands_the_actor_its_own_address(rt: Rt) {
    let log = Log::default();
    let exit = rt
        .spawn_task(Countdown::create_and_run({
            let log = log.clone();
            move |context| Countdown {
                me: context.address(),
                left: 2,
                log,
            }
        }))
        .await;
    assert_eq!(exit.reason, StopReason::Requested);
    assert_eq!(log.events(), ["tick 2", "tick 1", "tick 0"]);
}

every_executor!(
    started_finishes_before_the_first_message,
    messages_sent_before_run_are_not_lost,
    hooks_run_in_order_and_stopped_runs_once,
    wait_for_stop_returns_at_once_once_stopped,
    wait_for_stop_works_before_the_actor_first_runs,
    create_and_run_hands_the_actor_its_own_address,
);
