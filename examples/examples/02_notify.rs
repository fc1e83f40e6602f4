//! 02 — notify: fire-and-forget messages, and the whole lifecycle of an actor.
//!
//! `notify` returns as soon as the message is queued; the actor handles it later. The
//! lifecycle hooks print their order: `started` before the first message, `stopping`
//! when asked to stop, `stopped` after the last message. Run it with
//! `cargo run --example 02_notify`.

use messages::prelude::*;

struct Logger {
    lines: usize,
}

impl Actor for Logger {
    async fn started(&mut self, _: &Context<Self>) {
        println!("1. started: runs before the first message");
    }

    async fn stopping(&mut self, _: &Context<Self>) -> ActorAction {
        println!("3. stopping: asked to stop, and agrees");
        ActorAction::Stop
    }

    async fn stopped(&mut self) {
        println!(
            "4. stopped: after the last message ({} lines logged)",
            self.lines
        );
    }
}

/// A notification: no answer expected.
struct Line(&'static str);

impl Notifiable<Line> for Logger {
    async fn notify(&mut self, Line(text): Line, _: &Context<Self>) {
        self.lines += 1;
        println!("2. line {}: {text}", self.lines);
    }
}

#[tokio::main]
async fn main() -> Result<(), SendError> {
    let logger = Logger { lines: 0 }.spawn();

    for text in ["notify returns once queued", "the actor handles it later"] {
        logger.notify(Line(text)).await?;
    }
    println!("connected before the stop: {}", logger.connected());

    // The stop request queues behind the lines: they are handled first.
    logger.stop().await;
    let reason = logger.wait_for_stop().await;
    println!(
        "wait_for_stop: {reason}; connected after: {}",
        logger.connected()
    );
    Ok(())
}
