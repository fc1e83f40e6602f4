//! 01 — ping: the smallest actor.
//!
//! A counter that answers requests, spawned on tokio. Shows the three things every
//! actor has: a type that implements `Actor`, a `Handler` per request type, and an
//! `Address` to reach it. Run it with `cargo run --example 01_ping`.

use messages::prelude::*;

/// The actor: plain state.
struct Counter {
    pings: u32,
}

/// Defaults are fine: no lifecycle hooks needed here.
impl Actor for Counter {}

/// The request: "ping", answered with how many pings came so far.
struct Ping;

impl Handler<Ping> for Counter {
    type Result = u32;

    async fn handle(&mut self, _: Ping, _: &Context<Self>) -> u32 {
        self.pings += 1;
        self.pings
    }
}

#[tokio::main]
async fn main() -> Result<(), SendError> {
    // `spawn` starts the actor on tokio and hands back its address.
    let counter = Counter { pings: 0 }.spawn();

    for _ in 0..3 {
        // `send` queues the request and waits for the answer.
        let pings = counter.send(Ping).await?;
        println!("pong #{pings}");
    }

    // A graceful stop: queued messages are handled first, then the actor stops.
    counter.stop().await;
    let reason = counter.wait_for_stop().await;
    println!("counter {reason}; still connected: {}", counter.connected());
    Ok(())
}
