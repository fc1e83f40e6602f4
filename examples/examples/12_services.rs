//! 12 — services: singleton actors found by type or by name.
//!
//! `Registry::service::<S>()` starts the service on first use and hands everyone the
//! same address; after it stops, the next use starts a fresh one. Any actor can also be
//! registered under a name and looked up by name and type. Run it with
//! `cargo run --example 12_services`.

use messages::prelude::*;
use messages::registry::{Registry, Service};

/// A process-wide id generator.
#[derive(Default)]
struct Ids {
    next: u64,
}

impl Actor for Ids {}

impl Service for Ids {
    const NAME: &'static str = "ids";
}

struct NextId;

impl Handler<NextId> for Ids {
    type Result = u64;

    async fn handle(&mut self, _: NextId, _: &Context<Self>) -> u64 {
        self.next += 1;
        self.next
    }
}

async fn fresh_id() -> Result<u64, SendError> {
    // Any part of the program can reach the service without passing addresses around.
    Registry::service::<Ids>().await.send(NextId).await
}

#[tokio::main]
async fn main() -> Result<(), SendError> {
    println!("id {}", fresh_id().await?);
    println!("id {}", fresh_id().await?);

    let by_name = Registry::lookup::<Ids>("ids").expect("registered under its NAME");
    println!("by name: id {}", by_name.send(NextId).await?);

    by_name.stop().await;
    by_name.wait_for_stop().await;
    println!("after a stop, a fresh service: id {}", fresh_id().await?);
    Ok(())
}
