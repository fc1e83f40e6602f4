//! 16 — shutting down: stop, stop for good, and stop everything before `main` returns.
//!
//! `stop` is graceful: what is queued is handled, `stopping` may refuse, `stopped`
//! runs. A supervised `Restart::Permanent` actor restarts after a plain `stop`;
//! `shutdown` stops it for good. Returning from `main` does not wait for actors (their
//! async `stopped` hooks would not run), so `main` makes a `System` first and awaits
//! `system.shutdown()` last: it stops every actor started since, children before
//! parents, and waits for all of them. Run it with `cargo run --example 16_shutdown`.

use messages::System;
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
        // An async hook: the system shutdown waits for it.
        tokio::task::yield_now().await;
        println!("journal flushed {} lines", self.lines.len());
    }
}

impl Notifiable<String> for Journal {
    async fn notify(&mut self, line: String, _: &Context<Self>) {
        self.lines.push(line);
    }
}

/// Starts its clerks when it starts: they are its children, so a system shutdown stops
/// them first.
#[derive(Default)]
struct Office {
    clerks: Vec<Address<Clerk>>,
}

impl Actor for Office {
    async fn started(&mut self, _: &Context<Self>) {
        for name in ["ann", "bob"] {
            self.clerks.push(Clerk { name }.spawn());
        }
    }

    async fn stopped(&mut self) {
        let first = self.clerks.iter().all(|clerk| !clerk.connected());
        println!("office stopped (its clerks stopped first: {first})");
    }
}

/// How many clerks the office has.
struct Clerks;

impl Handler<Clerks> for Office {
    type Result = usize;

    async fn handle(&mut self, _: Clerks, _: &Context<Self>) -> usize {
        self.clerks.len()
    }
}

struct Clerk {
    name: &'static str,
}

impl Actor for Clerk {
    async fn stopped(&mut self) {
        println!("clerk {} stopped", self.name);
    }
}

#[tokio::main]
async fn main() -> Result<(), SendError> {
    // First: from here on, every actor started is tracked.
    let system = System::new();

    let permanent = Supervision::new(Restart::Permanent);
    let tally = Tally::spawn_supervised(Tally::default, permanent);
    let journal = Journal::default().spawn();

    tally.send(Add(2)).await?;
    journal.notify("added 2".to_owned()).await?;
    // Permanent: a plain stop restarts it behind the same address, with a fresh state.
    tally.stop().await;
    println!("after stop: {}", tally.send(Add(1)).await?);
    journal.notify("added 1".to_owned()).await?;
    // One actor stopped for good, and waited for.
    tally.shutdown().await;
    println!("tally: {}", tally.wait_for_stop().await);

    let office = Office::default().spawn();
    println!("office has {} clerks", office.send(Clerks).await?);

    // Last: every actor still running (the journal, the office and its clerks) stops,
    // children before parents, and `main` waits for their `stopped` hooks.
    let report = system.shutdown().await;
    println!(
        "system: {} actors stopped, clean: {}",
        report.stopped,
        report.is_clean()
    );
    Ok(())
}
