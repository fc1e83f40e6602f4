//! Timed notifications: `notify_later` and `notify_interval` fire on time, cancel through
//! their handle, never keep the actor alive, and end with it. Timed with tokio's paused
//! clock, plus a real-time check on smol.

use std::time::Duration;

use crate::fixtures::Tick;
use messages::prelude::*;
use messages::runtime::Smol;
use messages::time::TimerHandle;
use messages_tests::within;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// Reports each tick (with the time it arrived) to the test.
struct Ticker {
    ticks: mpsc::UnboundedSender<(u32, Instant)>,
    interval: Option<TimerHandle>,
    stop_after: u32,
}

impl Actor for Ticker {}

impl Notifiable<Tick> for Ticker {
    async fn notify(&mut self, Tick(n): Tick, _: &Context<Self>) {
        let _ = self.ticks.send((n, Instant::now()));
        if n >= self.stop_after {
            if let Some(interval) = &self.interval {
                interval.cancel();
            }
        }
    }
}

/// Starts an interval from inside the actor, keeping its handle.
struct StartInterval(Duration);

impl Notifiable<StartInterval> for Ticker {
    async fn notify(&mut self, StartInterval(every): StartInterval, ctx: &Context<Self>) {
        let mut n = 0;
        self.interval = Some(ctx.notify_interval(every, move || {
            n += 1;
            Tick(n)
        }));
    }
}

fn ticker(stop_after: u32) -> (Ticker, mpsc::UnboundedReceiver<(u32, Instant)>) {
    let (ticks, received) = mpsc::unbounded_channel();
    let ticker = Ticker {
        ticks,
        interval: None,
        stop_after,
    };
    (ticker, received)
}

#[tokio::test(start_paused = true)]
async fn notify_later_fires_once_after_the_delay() {
    let (actor, mut ticks) = ticker(u32::MAX);
    let context = Context::new();
    let start = Instant::now();
    let _timer = context.notify_later(Tick(1), Duration::from_secs(5));
    let address = context.address();
    drop(context.spawn(actor));
    let (n, at) = ticks.recv().await.unwrap();
    assert_eq!(n, 1);
    assert_eq!(at - start, Duration::from_secs(5));
    address.stop().await;
    address.wait_for_stop().await;
    assert!(ticks.recv().await.is_none(), "fired once only");
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_timer_never_fires() {
    let (actor, mut ticks) = ticker(u32::MAX);
    let context = Context::new();
    let timer = context.notify_later(Tick(1), Duration::from_secs(5));
    let address = context.address();
    drop(context.spawn(actor));
    timer.cancel();
    assert!(timer.is_cancelled());
    tokio::time::sleep(Duration::from_secs(60)).await;
    address.stop().await;
    address.wait_for_stop().await;
    assert!(ticks.recv().await.is_none());
}

#[tokio::test(start_paused = true)]
async fn an_interval_ticks_until_cancelled() {
    let (actor, mut ticks) = ticker(3);
    let address = actor.spawn();
    let start = Instant::now();
    address
        .notify(StartInterval(Duration::from_secs(2)))
        .await
        .unwrap();
    for expected in 1..=3 {
        let (n, at) = ticks.recv().await.unwrap();
        assert_eq!(n, expected);
        assert_eq!(at - start, Duration::from_secs(2 * u64::from(expected)));
    }
    tokio::time::sleep(Duration::from_secs(60)).await;
    address.stop().await;
    address.wait_for_stop().await;
    assert!(ticks.recv().await.is_none(), "no tick after the cancel");
}

#[tokio::test(start_paused = true)]
async fn a_timer_does_not_keep_the_actor_alive() {
    let (actor, mut ticks) = ticker(u32::MAX);
    let context = Context::new();
    let address = context.address();
    let join = context.spawn(actor);
    address
        .notify(StartInterval(Duration::from_secs(1)))
        .await
        .unwrap();
    assert!(ticks.recv().await.is_some());
    drop(address);
    // Only the interval remains, and it holds no address: the actor stops.
    let exit = join.await.unwrap();
    assert_eq!(exit.reason, StopReason::AddressesDropped);
}

#[tokio::test(start_paused = true)]
async fn a_timer_ends_with_its_actor() {
    let (actor, mut ticks) = ticker(u32::MAX);
    let address = actor.spawn();
    address
        .notify(StartInterval(Duration::from_secs(1)))
        .await
        .unwrap();
    assert!(ticks.recv().await.is_some());
    address.stop().await;
    address.wait_for_stop().await;
    // The actor (and its sender) is gone: the channel closes instead of hanging.
    while ticks.recv().await.is_some() {}
}

#[test]
fn timers_run_on_smol() {
    smol::block_on(within(async {
        let (actor, mut ticks) = ticker(u32::MAX);
        let context = Context::new().with_runtime(Smol);
        let _timer = context.notify_later(Tick(7), Duration::from_millis(10));
        let _address = context.address();
        drop(context.spawn(actor));
        assert_eq!(ticks.recv().await.map(|(n, _)| n), Some(7));
    }));
}
