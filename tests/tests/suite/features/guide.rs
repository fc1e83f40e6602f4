//! The README guide's claims and snippets, as written there.

use std::time::Duration;

use messages::prelude::*;
use messages::supervision::{Restart, Supervision};

struct Counter {
    pings: u32,
}

impl Actor for Counter {}

struct Ping;

impl Handler<Ping> for Counter {
    type Result = u32;
    async fn handle(&mut self, _: Ping, _: &Context<Self>) -> u32 {
        self.pings += 1;
        self.pings
    }
}

struct Tick;

impl Notifiable<Tick> for Counter {
    async fn notify(&mut self, _: Tick, _: &Context<Self>) {
        self.pings += 10;
    }
}

/// "Testing actors": run the actor, drop the last address, inspect the final state.
#[tokio::test]
async fn the_final_state_is_there_to_inspect() -> Result<(), SendError> {
    messages_tests::within(async {
        let context = Context::new();
        let counter = context.address();
        let run = tokio::spawn(context.run(Counter { pings: 0 }));
        counter.send(Ping).await?;
        drop(counter); // the last address: it stops
        let exit = run.await.unwrap();
        assert_eq!(exit.actor.pings, 1);
        assert_eq!(exit.reason, StopReason::AddressesDropped);
        Ok(())
    })
    .await
}

/// "Testing actors": timers follow tokio's paused clock.
#[tokio::test(start_paused = true)]
async fn timers_follow_a_paused_clock() {
    let context = Context::new();
    let counter = context.address();
    let _timer = context.notify_later(Tick, Duration::from_secs(3600));
    let run = tokio::spawn(context.run(Counter { pings: 0 }));
    assert_eq!(counter.send(Ping).await, Ok(1), "the timer has not fired");
    // Paused: the clock jumps to the timer (it fires and queues its tick), then on to
    // the end of this sleep, with no real time passing.
    tokio::time::sleep(Duration::from_secs(3601)).await;
    // The tick is handled before the request queued after it.
    assert_eq!(counter.send(Ping).await, Ok(12));
    drop(counter);
    assert_eq!(run.await.unwrap().actor.pings, 12);
}

/// "Testing actors": a request future can be spawned.
#[tokio::test]
async fn a_request_can_be_spawned() {
    messages_tests::within(async {
        let counter = Counter { pings: 0 }.spawn();
        let answer = tokio::spawn(counter.send(Ping));
        assert_eq!(answer.await.unwrap(), Ok(1));
    })
    .await;
}

/// "Shutting down": a permanent actor restarts after `stop`, not after `shutdown`.
#[tokio::test]
async fn shutdown_is_for_good() {
    messages_tests::within(async {
        let permanent = Supervision::new(Restart::Permanent);
        let counter = Counter::spawn_supervised(|| Counter { pings: 0 }, permanent);
        assert_eq!(counter.send(Ping).await, Ok(1));
        counter.stop().await;
        assert_eq!(counter.send(Ping).await, Ok(1), "restarted, fresh state");
        counter.shutdown().await;
        assert_eq!(counter.wait_for_stop().await, StopReason::Requested);
        assert_eq!(counter.send(Ping).await, Err(SendError::Stopped));
    })
    .await;
}
