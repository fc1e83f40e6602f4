//! Addresses: cloneable, `Send + Sync`, compared by actor identity; what they tell of
//! their actor's stop.

use std::collections::HashSet;
use std::time::Duration;

use messages::prelude::*;
use messages::supervision::{Restart, Supervision};
use messages_tests::{Gate, Rt, every_executor, silence_panics};
use tokio::sync::oneshot;

struct Unit;
impl Actor for Unit {}

fn assert_send_sync_clone<T: Send + Sync + Clone>() {}

#[test]
fn addresses_are_send_sync_and_clone() {
    assert_send_sync_clone::<Address<Unit>>();
}

#[test]
#[allow(
    clippy::mutable_key_type,
    reason = "an address hashes by its immutable actor id; the channel inside does not take part"
)]
fn equality_and_hash_follow_the_actor() {
    let first = Context::<Unit>::new();
    let second = Context::<Unit>::new();
    let a = first.address();
    assert_eq!(a, a.clone());
    assert_eq!(a, first.address());
    assert_ne!(a, second.address());
    assert_eq!(a.id(), first.id());
    assert_ne!(first.id(), second.id());
    let set: HashSet<_> = [a.clone(), first.address(), second.address()]
        .into_iter()
        .collect();
    assert_eq!(set.len(), 2);
}

#[test]
fn debug_output_names_the_actor() {
    let context = Context::<Unit>::new();
    let debug = format!("{:?}", context.address());
    assert!(debug.contains("Unit"), "{debug}");
    assert!(debug.contains("connected: true"), "{debug}");
    assert!(format!("{}", context.id()).starts_with("actor#"));
}

/// Asks, once every address is gone, what a fresh address and the weak address say.
struct Probe;

#[derive(Default)]
struct Prober {
    /// (fresh address connected, weak address upgraded, fresh address's send refused)
    seen: Option<(bool, bool, bool)>,
}

impl Actor for Prober {}

impl Notifiable<Probe> for Prober {
    async fn notify(&mut self, _: Probe, context: &Context<Self>) {
        let fresh = context.address();
        let upgraded = context.weak_address().upgrade().is_some();
        let refused = fresh.notify(Probe).await == Err(SendError::Stopped);
        self.seen = Some((fresh.connected(), upgraded, refused));
    }
}

#[test]
fn an_address_taken_after_every_address_is_gone_is_disconnected() {
    let context = Context::<Prober>::new();
    let address = context.address();
    address
        .try_notify(Probe)
        .unwrap_or_else(|_| panic!("room in a new mailbox"));
    drop(address);
    // `started` returns, the context lets go of the mailbox: no address is left, and the
    // queued probe is the last thing the actor handles.
    let exit = futures::executor::block_on(context.run(Prober::default()));
    assert_eq!(exit.reason, StopReason::AddressesDropped);
    assert_eq!(
        exit.actor.seen,
        Some((false, false, true)),
        "(connected, upgraded, refused)"
    );
}

// `stop_reason`: `None` until the stop is published, then the reason `wait_for_stop`
// gives.

/// Answers `Ping(false)` with 1 and panics on `Ping(true)`; its `stopped` hook tells
/// the test it runs, then waits on the gate, when it has them.
#[derive(Default)]
struct Lifeline {
    stopping: Option<(oneshot::Sender<()>, Gate)>,
}

impl Actor for Lifeline {
    async fn stopped(&mut self) {
        if let Some((entered, gate)) = self.stopping.take() {
            let _ = entered.send(());
            gate.pass().await;
        }
    }
}

struct Ping(bool);

impl Handler<Ping> for Lifeline {
    type Result = u32;

    async fn handle(&mut self, Ping(panic): Ping, _: &Context<Self>) -> u32 {
        if panic {
            panic!("stop_reason ping boom");
        }
        1
    }
}

async fn stop_reason_is_none_until_the_stop_is_published(rt: Rt) {
    let context = Context::new();
    let address = context.address();
    assert_eq!(address.stop_reason(), None, "not started");
    let (entered, inside) = oneshot::channel();
    let (gate, key) = Gate::new();
    let join = context.with_runtime(rt.clone()).spawn(Lifeline {
        stopping: Some((entered, gate)),
    });
    assert_eq!(address.send(Ping(false)).await, Ok(1));
    assert_eq!(address.stop_reason(), None, "running");
    address.stop().await;
    inside.await.expect("the stopped hook runs");
    assert!(!address.connected(), "the stop is accepted");
    assert_eq!(address.stop_reason(), None, "stopping: not stopped yet");
    key.open();
    let reason = address.wait_for_stop().await;
    assert_eq!(reason, StopReason::Requested);
    assert_eq!(address.stop_reason(), Some(reason.clone()));
    assert_eq!(join.await.expect("the final state").reason, reason);
    assert_eq!(address.stop_reason(), Some(reason), "it stays");
}

async fn stop_reason_after_a_kill_is_killed(rt: Rt) {
    let address = Lifeline::default().spawn_on(&rt);
    assert_eq!(address.send(Ping(false)).await, Ok(1));
    assert_eq!(address.stop_reason(), None);
    address.kill();
    let reason = address.wait_for_stop().await;
    assert_eq!(reason, StopReason::Killed);
    assert_eq!(address.stop_reason(), Some(reason));
}

async fn stop_reason_after_a_panic_is_the_panic(rt: Rt) {
    silence_panics("stop_reason ping boom");
    let address = Lifeline::default().spawn_on(&rt);
    assert_eq!(address.stop_reason(), None);
    assert_eq!(address.send(Ping(true)).await, Err(SendError::Panicked));
    let reason = address.wait_for_stop().await;
    assert!(reason.is_panic(), "{reason:?}");
    assert_eq!(address.stop_reason(), Some(reason));
}

async fn stop_reason_is_none_across_a_restart(rt: Rt) {
    silence_panics("stop_reason ping boom");
    let supervision = Supervision::new(Restart::Transient).budget(1, Duration::from_secs(60));
    let address = Lifeline::spawn_supervised_on(Lifeline::default, supervision, &rt);
    assert_eq!(address.send(Ping(true)).await, Err(SendError::Panicked));
    assert_eq!(
        address.send(Ping(false)).await,
        Ok(1),
        "the fresh state answers"
    );
    assert_eq!(address.stop_reason(), None, "restarted, not stopped");
    // The second panic spends the budget: that one is the stop.
    assert_eq!(address.send(Ping(true)).await, Err(SendError::Panicked));
    let reason = address.wait_for_stop().await;
    assert!(
        matches!(&reason, StopReason::TooManyRestarts(last) if last.is_panic()),
        "{reason:?}"
    );
    assert_eq!(address.stop_reason(), Some(reason));
}

every_executor!(
    stop_reason_is_none_until_the_stop_is_published,
    stop_reason_after_a_kill_is_killed,
    stop_reason_after_a_panic_is_the_panic,
    stop_reason_is_none_across_a_restart,
);
