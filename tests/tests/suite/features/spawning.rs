//! Built-in spawning: tokio and smol side by side (the features are additive), join
//! handles that hand back the final state, and `JoinError` when a runtime drops the task.

use messages::prelude::*;
use messages::runtime::{JoinError, JoinHandle};
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
        let join = context.with_runtime(Smol).spawn(Counter { count: 5 });
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
        context.with_runtime(Tokio).spawn(Counter::default())
    };
    // The runtime never got to run the task; shutting it down drops it.
    drop(runtime);
    futures::executor::block_on(within(async {
        assert_eq!(join.await.unwrap_err(), JoinError);
        assert_eq!(address.wait_for_stop().await, StopReason::Cancelled);
        assert_eq!(address.send(Increment).await, Err(SendError::Stopped));
    }));
}

/// An actor that reports when its state is dropped.
struct Tracked {
    dropped: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Tracked {
    /// Spawns one: its address, its join handle, and the signal of its state's drop.
    fn spawn() -> (
        Address<Self>,
        JoinHandle<Self>,
        tokio::sync::oneshot::Receiver<()>,
    ) {
        let (sender, dropped) = tokio::sync::oneshot::channel();
        let context = Context::new();
        let address = context.address();
        let join = context.spawn(Self {
            dropped: Some(sender),
        });
        (address, join, dropped)
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if let Some(dropped) = self.dropped.take() {
            let _ = dropped.send(());
        }
    }
}

impl Actor for Tracked {}

impl Handler<Increment> for Tracked {
    type Result = bool;
    async fn handle(&mut self, _: Increment, _: &Context<Self>) -> bool {
        self.dropped.is_some()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_join_handle_detaches_the_actor_whose_state_is_dropped_when_it_stops() {
    within(async {
        let (address, join, mut dropped) = Tracked::spawn();
        drop(join);
        // Detached, not stopped: it still answers, its state alive.
        assert_eq!(address.send(Increment).await, Ok(true));
        assert_eq!(
            dropped.try_recv(),
            Err(tokio::sync::oneshot::error::TryRecvError::Empty)
        );
        drop(address);
        // The last address is gone: the actor stops and its task drops the state.
        assert_eq!(dropped.await, Ok(()));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_join_handle_dropped_unpolled_after_the_stop_drops_the_final_state() {
    within(async {
        let (address, join, mut dropped) = Tracked::spawn();
        address.stop().await;
        assert_eq!(address.wait_for_stop().await, StopReason::Requested);
        // Delivered to the handle, which keeps it until it is awaited or dropped.
        assert_eq!(
            dropped.try_recv(),
            Err(tokio::sync::oneshot::error::TryRecvError::Empty)
        );
        drop(join);
        assert_eq!(dropped.try_recv(), Ok(()));
    })
    .await;
}

#[tokio::test]
async fn a_join_handle_polled_again_after_it_resolved_gives_a_join_error() {
    within(async {
        let context = Context::new();
        let address = context.address();
        let mut join = context.spawn(Counter { count: 3 });
        drop(address);
        let exit = (&mut join).await.unwrap();
        assert_eq!(exit.actor.count, 3);
        assert_eq!(exit.reason, StopReason::AddressesDropped);
        assert_eq!((&mut join).await.unwrap_err(), JoinError);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_join_handles_awaited_while_their_actors_stop_on_other_workers() {
    within(async {
        let mut addresses = Vec::new();
        let mut joins = Vec::new();
        for count in 0..200 {
            let context = Context::unbounded();
            addresses.push(context.address());
            joins.push(context.spawn(Counter { count }));
        }
        // Await each handle while the others' actors are stopping concurrently, so
        // handles are polled both before and after their delivery.
        let stopper = tokio::spawn(async move { drop(addresses) });
        for (count, join) in (0..).zip(joins) {
            let exit = join.await.unwrap();
            assert_eq!(exit.actor.count, count);
            assert_eq!(exit.reason, StopReason::AddressesDropped);
        }
        stopper.await.unwrap();
    })
    .await;
}

/// An actor with `N` words of state besides its drop signal: a task carries a small
/// actor until its first poll (and builds its loop there), a large one is built into
/// its loop when spawned. Both ways must behave alike.
struct Weighted<const N: usize> {
    dropped: Option<tokio::sync::oneshot::Sender<()>>,
    words: [u64; N],
}

impl<const N: usize> Weighted<N> {
    fn new() -> (Self, tokio::sync::oneshot::Receiver<()>) {
        let (sender, dropped) = tokio::sync::oneshot::channel();
        let actor = Self {
            dropped: Some(sender),
            words: [7; N],
        };
        (actor, dropped)
    }
}

impl<const N: usize> Drop for Weighted<N> {
    fn drop(&mut self) {
        if let Some(dropped) = self.dropped.take() {
            let _ = dropped.send(());
        }
    }
}

impl<const N: usize> Actor for Weighted<N> {}

impl<const N: usize> Handler<Increment> for Weighted<N> {
    type Result = u64;
    async fn handle(&mut self, _: Increment, _: &Context<Self>) -> u64 {
        for word in &mut self.words {
            *word += 1;
        }
        self.words.iter().sum()
    }
}

/// Spawns a `Weighted<N>` with a request queued before it runs, then checks the
/// answer, the final state and the stop.
async fn weighted_actor_runs<const N: usize>() {
    let (actor, _dropped) = Weighted::<N>::new();
    let context = Context::unbounded();
    let address = context.address();
    let queued = address.try_send(Increment).ok().unwrap();
    let join = context.spawn(actor);
    assert_eq!(queued.await, Ok(8 * N as u64));
    assert_eq!(address.send(Increment).await, Ok(9 * N as u64));
    drop(address);
    let exit = join.await.unwrap();
    assert_eq!(exit.actor.words, [9; N]);
    assert_eq!(exit.reason, StopReason::AddressesDropped);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn small_and_large_actors_run_and_hand_back_their_state() {
    within(async {
        weighted_actor_runs::<0>().await;
        weighted_actor_runs::<7>().await;
        weighted_actor_runs::<64>().await;
    })
    .await;
}

/// Spawns a `Weighted<N>` on a runtime that is shut down before it polls the task:
/// the queued request is refused, the state dropped, the stop published.
fn weighted_actor_dropped_before_its_first_poll<const N: usize>() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let (actor, dropped) = Weighted::<N>::new();
    let context = Context::unbounded();
    let address = context.address();
    let queued = address.try_send(Increment).ok().unwrap();
    let join = {
        let _entered = runtime.enter();
        context.with_runtime(Tokio).spawn(actor)
    };
    drop(runtime);
    futures::executor::block_on(within(async {
        assert_eq!(dropped.await, Ok(()));
        assert_eq!(queued.await, Err(SendError::Unanswered));
        assert_eq!(join.await.unwrap_err(), JoinError);
        assert_eq!(address.wait_for_stop().await, StopReason::Cancelled);
        assert_eq!(address.send(Increment).await, Err(SendError::Stopped));
    }));
}

#[test]
fn small_and_large_actors_dropped_before_their_first_poll_refuse_what_was_queued() {
    weighted_actor_dropped_before_its_first_poll::<0>();
    weighted_actor_dropped_before_its_first_poll::<7>();
    weighted_actor_dropped_before_its_first_poll::<64>();
}
