//! 11 — timeouts: a request with a deadline.
//!
//! `.timeout(d)` works on any request, plain or typed: on expiry the caller gets
//! `SendError::Timeout`, the actor still handles the request and discards the late
//! answer, and it carries on. Run it with `cargo run --example 11_timeouts`.

use std::time::Duration;

use messages::prelude::*;

#[actor]
#[derive(Debug, Default)]
pub struct Oracle {
    answered: u32,
}

#[actor]
impl Oracle {
    /// Thinks for `millis` milliseconds, then answers.
    #[handler]
    pub async fn ponder(&mut self, millis: u64) -> u32 {
        tokio::time::sleep(Duration::from_millis(millis)).await;
        self.answered += 1;
        42
    }

    /// How many questions it has answered, in time or not.
    #[handler]
    pub fn answered(&self) -> u32 {
        self.answered
    }
}

#[tokio::main]
async fn main() -> Result<(), SendError> {
    let oracle = Oracle::default().spawn();

    let patient = oracle.ponder(10).timeout(Duration::from_secs(1)).await;
    println!("with time to spare: {patient:?}");

    let hasty = oracle.ponder(500).timeout(Duration::from_millis(20)).await;
    println!("too hasty: {hasty:?}");

    // The late question was still answered (and the answer discarded).
    println!("questions answered: {}", oracle.answered().await?);
    Ok(())
}
