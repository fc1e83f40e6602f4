//! 06 — timed stream: a stream attached to an actor, and timed notifications.
//!
//! `add_stream` delivers each item of a stream as a notification; an end message
//! follows the last one. `notify_interval` ticks until its handle cancels it. Run it
//! with `cargo run --example 06_timed_stream`.

use std::time::Duration;

use futures::StreamExt;
use messages::prelude::*;
use messages::time::TimerHandle;

struct Monitor {
    readings: Vec<u32>,
    ticks: u32,
    clock: Option<TimerHandle>,
}

impl Actor for Monitor {
    async fn started(&mut self, ctx: &Context<Self>) {
        // Three readings, 30 ms apart, then the end of the stream.
        let sensor = futures::stream::iter([21, 23, 22]).then(|reading| async move {
            tokio::time::sleep(Duration::from_millis(30)).await;
            reading
        });
        ctx.add_stream_with_end(sensor, SensorDone);
        self.clock = Some(ctx.notify_interval(Duration::from_millis(20), || Tick));
    }

    async fn stopped(&mut self) {
        println!(
            "stopped after {} readings and {} ticks",
            self.readings.len(),
            self.ticks
        );
    }
}

struct Tick;

impl Notifiable<Tick> for Monitor {
    async fn notify(&mut self, _: Tick, _: &Context<Self>) {
        self.ticks += 1;
        println!("tick {}", self.ticks);
    }
}

impl Notifiable<u32> for Monitor {
    async fn notify(&mut self, reading: u32, _: &Context<Self>) {
        self.readings.push(reading);
        println!("reading: {reading} degrees");
    }
}

struct SensorDone;

impl Notifiable<SensorDone> for Monitor {
    async fn notify(&mut self, _: SensorDone, ctx: &Context<Self>) {
        println!("sensor stream ended: cancel the clock and stop");
        if let Some(clock) = self.clock.take() {
            clock.cancel();
        }
        ctx.stop();
    }
}

#[tokio::main]
async fn main() {
    let monitor = Monitor {
        readings: Vec::new(),
        ticks: 0,
        clock: None,
    }
    .spawn();
    println!("{}", monitor.wait_for_stop().await);
}
