//! Idle timeout: an actor that takes no message for its timeout gets its `idle` hook,
//! which by default stops it; activity keeps it going; the watchdog can be cancelled.
//! Timed with tokio's paused clock.

use std::time::Duration;

use messages::prelude::*;
use messages_tests::Log;
use tokio::time::Instant;

const TIMEOUT: Duration = Duration::from_secs(10);

/// Stops when idle (the default hook).
struct Sleepy;

impl Actor for Sleepy {
    async fn started(&mut self, ctx: &Context<Self>) {
        drop(ctx.idle_timeout(TIMEOUT));
    }
}

struct Poke;

impl Handler<Poke> for Sleepy {
    type Result = ();
    async fn handle(&mut self, _: Poke, _: &Context<Self>) {}
}

/// Records idle periods instead of stopping.
struct Patient {
    log: Log,
}

impl Actor for Patient {
    async fn idle(&mut self, _: &Context<Self>) {
        self.log.push("idle");
    }
}

impl Handler<Poke> for Patient {
    type Result = ();
    async fn handle(&mut self, _: Poke, _: &Context<Self>) {}
}

#[tokio::test(start_paused = true)]
async fn an_idle_actor_stops() {
    let start = Instant::now();
    let sleepy = Sleepy.spawn();
    assert_eq!(sleepy.wait_for_stop().await, StopReason::Requested);
    let silent = start.elapsed();
    assert!(silent >= TIMEOUT && silent <= 2 * TIMEOUT, "{silent:?}");
}

#[tokio::test(start_paused = true)]
async fn activity_keeps_it_running() {
    let sleepy = Sleepy.spawn();
    let start = Instant::now();
    for _ in 0..10 {
        tokio::time::sleep(TIMEOUT / 2).await;
        assert_eq!(sleepy.send(Poke).await, Ok(()), "still running while poked");
    }
    assert!(start.elapsed() >= 5 * TIMEOUT);
    let quiet = Instant::now();
    sleepy.wait_for_stop().await;
    assert!(quiet.elapsed() <= 2 * TIMEOUT);
}

#[tokio::test(start_paused = true)]
async fn the_hook_decides_and_the_watchdog_cancels() {
    let log = Log::default();
    let context = Context::new();
    let watchdog = context.idle_timeout(TIMEOUT);
    let patient = context.address();
    drop(context.spawn(Patient { log: log.clone() }));
    tokio::time::sleep(5 * TIMEOUT).await;
    let idle_calls = log.events().len();
    assert!(
        idle_calls >= 2,
        "{idle_calls} idle calls, the actor keeps running"
    );
    assert!(patient.connected());
    watchdog.cancel();
    // A round trip: an idle check already queued before the cancel is handled by now.
    patient.send(Poke).await.unwrap();
    let after_cancel = log.events().len();
    tokio::time::sleep(5 * TIMEOUT).await;
    assert_eq!(
        log.events().len(),
        after_cancel,
        "no idle call after the cancel"
    );
}
