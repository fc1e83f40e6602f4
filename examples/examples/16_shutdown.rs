//! 16 — shutting down: stop, stop for good, and wait before `main` returns.
//!
//! `stop` is graceful: what is queued is handled, `stopping` may refuse, `stopped`
//! runs. A supervised `Restart::Permanent` actor restarts after a plain `stop`;
//! `shutdown` stops it for good. Returning from `main` does not wait for actors, so
//! `main` stops them and waits (`wait_for_stop`) first: their `stopped` hooks run. Run
//! it with `cargo run --example 16_shutdown`.

use messages::prelude::*;
use messages::supervision::{Restart, Supervision};

/// Counts what it is told; says when it starts and stops.
#[derive(Default)]
struct Tally {
    count: u64,
}

impl Actor for Tally {
    async fn started(&mut self, ctx: &Context<Self>) {
        println!("tally started (restarts so far: {})", ctx.restarts());
    }

    async fn stopped(&mut self) {
        println!("tally stopped at {}", self.count);
    }
}

struct Add(u64);

impl Handler<Add> for Tally {
    type Result = u64;

    async fn handle(&mut self, Add(n): Add, _: &Context<Self>) -> u64 {
        self.count += n;
        self.count
    }
}

/// Writes what it is told, and flushes when it stops.
#[derive(Default)]
struct Journal {
    lines: Vec<String>,
}

impl Actor for Journal {
    async fn stopped(&mut self) {
        println!("journal flushed {} lines", self.lines.len());
    }
}

impl Notifiable<String> for Journal {
    async fn notify(&mut self, line: String, _: &Context<Self>) {
        self.lines.push(line);
    }
}

#[tokio::main]
async fn main() -> Result<(), SendError> {
    let permanent = Supervision::new(Restart::Permanent);
    let tally = Tally::spawn_supervised(Tally::default, permanent);
    let journal = Journal::default().spawn();

    tally.send(Add(2)).await?;
    journal.notify("added 2".to_owned()).await?;
    // Permanent: a plain stop restarts it behind the same address, with a fresh state.
    tally.stop().await;
    println!("after stop: {}", tally.send(Add(1)).await?);
    journal.notify("added 1".to_owned()).await?;

    // Before `main` returns: stop every actor for good and wait for each.
    tally.shutdown().await;
    journal.stop().await;
    println!("tally: {}", tally.wait_for_stop().await);
    println!("journal: {}", journal.wait_for_stop().await);
    Ok(())
}
