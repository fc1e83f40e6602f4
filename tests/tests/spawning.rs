//! Built-in spawning: tokio and smol side by side (the features are additive), join
//! handles that hand back the final state, and `JoinError` when a runtime drops the task.

use messages::prelude::*;
use messages::runtime::{Smol, Tokio};
use messages_tests::within;

#[derive(Default)]
struct Counter {
    count: u32,
}

impl Actor for Counter {}

struct Increment;

impl Handler<Increment> for Counter {
    type Result = u32;
    async fn handle(&mut self, _: Increment, _: &Context<Self>) -> u32 {
        self.count += 1;
        self.count
    }
}

#[tokio::test]
async fn spawn_uses_tokio_by_default() {
    within(async {
        let counter = Counter::default().spawn();
        assert_eq!(counter.send(Increment).await, Ok(1));
        let counter = Counter::create_and_spawn(|_| Counter { count: 10 });
        assert_eq!(counter.send(Increment).await, Ok(11));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn context_spawn_hands_back_the_final_state() {
    within(async {
        let context = Context::new();
        let counter = context.address();
        let join = context.spawn(Counter::default());
        counter.send(Increment).await.unwrap();
        counter.send(Increment).await.unwrap();
        counter.stop().await;
        let exit = join.await.unwrap();
        assert_eq!(exit.actor.count, 2);
        assert_eq!(exit.reason, StopReason::Requested);
    })
    .await;
}

#[test]
fn smol_spawns_with_tokio_enabled_too() {
    smol::block_on(within(async {
        let counter = Counter::default().spawn_on(&Smol);
        assert_eq!(counter.send(Increment).await, Ok(1));
        let context = Context::new();
        let address = context.address();
        let join = context.spawn_on(Counter { count: 5 }, &Smol);
        assert_eq!(address.send(Increment).await, Ok(6));
        drop(address);
        assert_eq!(join.await.unwrap().reason, StopReason::AddressesDropped);
    }));
}

#[test]
fn a_runtime_that_drops_the_task_gives_a_join_error() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let context = Context::new();
    let address = context.address();
    // `enter` makes it the current runtime, so `Tokio` can spawn onto it.
    let join = {
        let _entered = runtime.enter();
        context.spawn_on(Counter::default(), &Tokio)
    };
    // The runtime never got to run the task; shutting it down drops it.
    drop(runtime);
    futures::executor::block_on(within(async {
        assert_eq!(join.await.unwrap_err(), JoinError);
        assert_eq!(address.wait_for_stop().await, StopReason::Cancelled);
        assert_eq!(address.send(Increment).await, Err(SendError::Stopped));
    }));
}
