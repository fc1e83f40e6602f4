// Pins guarantee 12 of the crate docs (`messages`, "Guarantees and failure model").
//! Supervision: a supervised actor restarts behind the same address with fresh state,
//! keeps its mailbox (the failing message dropped and its requester told), follows its
//! policy (permanent / transient / never), spends a bounded budget, and lets `on_panic`
//! decide.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use crate::fixtures::Hold;
use messages::prelude::*;
use messages::supervision::{PanicAction, Restart, Supervision};
use messages::{Exit, TrySendError};
use messages_tests::{Gate, Log, Rt, every_executor};

/// Counts from zero; `Add(0)` panics. Logs its lifecycle with an instance number.
struct Counter {
    total: u64,
    instance: u32,
    log: Log,
    on_panic: PanicAction,
}

impl Actor for Counter {
    async fn started(&mut self, ctx: &Context<Self>) {
        self.log.push(format!(
            "started #{} (restarts: {})",
            self.instance,
            ctx.restarts()
        ));
    }

    async fn on_panic(&mut self, message: &str, _: &Context<Self>) -> PanicAction {
        self.log
            .push(format!("on_panic #{}: {message}", self.instance));
        self.on_panic
    }

    async fn stopped(&mut self) {
        self.log.push(format!("stopped #{}", self.instance));
    }
}

struct Add(u64);

impl Handler<Add> for Counter {
    type Result = u64;
    async fn handle(&mut self, Add(n): Add, _: &Context<Self>) -> u64 {
        if n == 0 {
            panic!("zero");
        }
        self.total += n;
        self.total
    }
}

impl Notifiable<Hold> for Counter {
    async fn notify(&mut self, Hold(gate): Hold, _: &Context<Self>) {
        gate.pass().await;
    }
}

/// Starts a supervised counter; returns its address and its exit.
fn supervise(
    rt: &Rt,
    log: &Log,
    supervision: Supervision,
    on_panic: PanicAction,
) -> (
    Address<Counter>,
    impl Future<Output = Exit<Counter>> + use<>,
) {
    let built = Arc::new(AtomicU32::new(0));
    let log = log.clone();
    let factory = move || Counter {
        total: 0,
        instance: built.fetch_add(1, Ordering::SeqCst) + 1,
        log: log.clone(),
        on_panic,
    };
    let context = Context::new();
    let address = context.address();
    let exit = rt.spawn_task(async move {
        let exit = context.run_supervised(factory, supervision).await;
        exit.expect("the factory builds every state")
    });
    (address, exit)
}

async fn a_panic_restarts_behind_the_same_address(rt: Rt) {
    let log = Log::default();
    let supervision = Supervision::new(Restart::Transient);
    let (counter, exit) = supervise(&rt, &log, supervision, PanicAction::Supervise);
    assert_eq!(counter.send(Add(5)).await, Ok(5));
    let (gate, key) = Gate::new();
    counter.notify(Hold(gate)).await.unwrap();
    let failing = counter.try_send(Add(0)).unwrap();
    let behind = counter.try_send(Add(2)).unwrap();
    key.open();
    assert_eq!(failing.await, Err(SendError::Panicked));
    assert_eq!(
        behind.await,
        Ok(2),
        "queued behind the panic, handled by fresh state"
    );
    assert!(counter.connected());
    drop(counter);
    let exit = exit.await;
    assert_eq!(exit.reason, StopReason::AddressesDropped);
    assert_eq!(exit.restarts, 1);
    assert_eq!(
        log.events(),
        [
            "started #1 (restarts: 0)",
            "on_panic #1: zero",
            "stopped #1",
            "started #2 (restarts: 1)",
            "stopped #2"
        ]
    );
}

async fn transient_does_not_restart_after_a_stop(rt: Rt) {
    let log = Log::default();
    let supervision = Supervision::new(Restart::Transient);
    let (counter, exit) = supervise(&rt, &log, supervision, PanicAction::Supervise);
    counter.stop().await;
    let exit = exit.await;
    assert_eq!(exit.reason, StopReason::Requested);
    assert_eq!(exit.restarts, 0);
}

async fn permanent_restarts_after_a_stop_until_killed(rt: Rt) {
    let log = Log::default();
    let supervision = Supervision::new(Restart::Permanent);
    let (counter, exit) = supervise(&rt, &log, supervision, PanicAction::Supervise);
    assert_eq!(counter.send(Add(3)).await, Ok(3));
    counter.stop().await;
    assert_eq!(
        counter.send(Add(1)).await,
        Ok(1),
        "restarted with fresh state"
    );
    counter.kill();
    let exit = exit.await;
    assert_eq!(exit.reason, StopReason::Killed, "a kill is final");
    assert_eq!(exit.restarts, 1);
}

async fn shutdown_stops_a_permanent_actor_for_good(rt: Rt) {
    let log = Log::default();
    let supervision = Supervision::new(Restart::Permanent);
    let (counter, exit) = supervise(&rt, &log, supervision, PanicAction::Supervise);
    assert_eq!(counter.send(Add(3)).await, Ok(3));
    counter.stop().await;
    assert_eq!(
        counter.send(Add(1)).await,
        Ok(1),
        "a plain stop restarts it"
    );
    let queued = counter.try_send(Add(1)).expect("room");
    counter.shutdown().await;
    // What was queued before the request is handled; what comes after is refused:
    // queued and dropped unanswered, or refused at once if the actor already stopped.
    let behind = match counter.try_send(Add(1)) {
        Ok(reply) => reply.await,
        Err(TrySendError::Stopped(_)) => Err(SendError::Unanswered),
        Err(other) => panic!("refused otherwise: {other:?}"),
    };
    assert_eq!(queued.await, Ok(2));
    assert_eq!(behind, Err(SendError::Unanswered));
    let exit = exit.await;
    assert_eq!(
        exit.reason,
        StopReason::Requested,
        "a graceful stop, not a kill"
    );
    assert_eq!(exit.restarts, 1, "not restarted after the shutdown");
    assert_eq!(counter.send(Add(1)).await, Err(SendError::Stopped));
}

async fn after_shutdown_even_a_panic_is_final(rt: Rt) {
    let log = Log::default();
    let supervision = Supervision::new(Restart::Permanent);
    let (counter, exit) = supervise(&rt, &log, supervision, PanicAction::Supervise);
    // Panics before the shutdown are restarted; the one after it is final.
    assert_eq!(counter.send(Add(0)).await, Err(SendError::Panicked));
    assert_eq!(counter.send(Add(2)).await, Ok(2));
    // Held busy, so the panic is handled after the shutdown was asked for.
    let (gate, key) = Gate::new();
    assert!(counter.notify(Hold(gate)).await.is_ok());
    let panics = counter.try_send(Add(0)).expect("room");
    counter.shutdown().await;
    key.open();
    assert_eq!(panics.await, Err(SendError::Panicked));
    let exit = exit.await;
    assert!(
        matches!(exit.reason, StopReason::Panicked(_)),
        "{:?}",
        exit.reason
    );
    assert_eq!(exit.restarts, 1);
}

async fn never_stops_like_an_unsupervised_actor(rt: Rt) {
    let log = Log::default();
    let supervision = Supervision::new(Restart::Never);
    let (counter, exit) = supervise(&rt, &log, supervision, PanicAction::Supervise);
    assert_eq!(counter.send(Add(0)).await, Err(SendError::Panicked));
    let exit = exit.await;
    assert_eq!(exit.reason, StopReason::Panicked("zero".to_owned()));
    assert_eq!(exit.restarts, 0);
}

async fn the_budget_is_enforced(rt: Rt) {
    let log = Log::default();
    let supervision = Supervision::new(Restart::Transient).budget(2, Duration::from_secs(60));
    let (counter, exit) = supervise(&rt, &log, supervision, PanicAction::Supervise);
    for _ in 0..2 {
        assert_eq!(counter.send(Add(0)).await, Err(SendError::Panicked));
        assert_eq!(counter.send(Add(1)).await, Ok(1), "restarted");
    }
    assert_eq!(counter.send(Add(0)).await, Err(SendError::Panicked));
    let exit = exit.await;
    assert_eq!(
        exit.reason,
        StopReason::TooManyRestarts(Box::new(StopReason::Panicked("zero".to_owned())))
    );
    assert!(exit.reason.is_panic());
    assert_eq!(exit.restarts, 2);
    assert_eq!(counter.send(Add(1)).await, Err(SendError::Stopped));
}

async fn on_panic_may_resume_or_stop(rt: Rt) {
    let log = Log::default();
    let supervision = Supervision::new(Restart::Transient);
    let (resuming, exit) = supervise(&rt, &log, supervision, PanicAction::Resume);
    assert_eq!(resuming.send(Add(4)).await, Ok(4));
    assert_eq!(resuming.send(Add(0)).await, Err(SendError::Panicked));
    assert_eq!(resuming.send(Add(1)).await, Ok(5), "the same state goes on");
    drop(resuming);
    assert_eq!(exit.await.restarts, 0);

    let (stopping, exit) = supervise(&rt, &log, supervision, PanicAction::Stop);
    assert_eq!(stopping.send(Add(0)).await, Err(SendError::Panicked));
    let exit = exit.await;
    assert!(exit.reason.is_panic(), "supervised, but on_panic said stop");
    assert_eq!(exit.restarts, 0);
}

every_executor!(
    shutdown_stops_a_permanent_actor_for_good,
    after_shutdown_even_a_panic_is_final,
    a_panic_restarts_behind_the_same_address,
    transient_does_not_restart_after_a_stop,
    permanent_restarts_after_a_stop_until_killed,
    never_stops_like_an_unsupervised_actor,
    the_budget_is_enforced,
    on_panic_may_resume_or_stop,
);

/// The macro path: a typed, supervised spawn.
#[actor]
#[derive(Debug, Default)]
pub struct Phoenix {
    lives: u32,
}

#[actor]
impl Phoenix {
    #[handler]
    pub fn live(&mut self) -> u32 {
        self.lives += 1;
        self.lives
    }

    #[handler]
    pub fn burn(&mut self) {
        panic!("burnt")
    }
}

#[tokio::test]
async fn a_typed_address_survives_restarts() {
    messages_tests::within(async {
        let phoenix: PhoenixAddress =
            Phoenix::spawn_supervised(Phoenix::default, Supervision::new(Restart::Transient));
        assert_eq!(phoenix.live().await, Ok(1));
        assert_eq!(phoenix.live().await, Ok(2));
        assert_eq!(phoenix.burn().await, Err(SendError::Panicked));
        assert_eq!(phoenix.live().await, Ok(1), "reborn with fresh state");
    })
    .await;
}
