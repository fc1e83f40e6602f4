//! 07 — smol: the built-in smol support.
//!
//! The same actor code runs on smol: `spawn_on(&Smol)` starts it on smol's global
//! executor, and its context carries smol from then on (its timers, streams and
//! monitors run on smol too). With only the `smol` feature, plain `spawn()` does the
//! same. Run it with `cargo run --example 07_smol`.

use messages::prelude::*;
use messages::runtime::Smol;

struct Echo;

impl Actor for Echo {}

impl Handler<String> for Echo {
    type Result = String;

    async fn handle(&mut self, text: String, _: &Context<Self>) -> String {
        text.to_uppercase()
    }
}

fn main() -> Result<(), SendError> {
    smol::block_on(async {
        let echo = Echo.spawn_on(&Smol);
        let answer = echo.send("hello from smol".to_owned()).await?;
        println!("{answer}");

        echo.stop().await;
        println!("{}", echo.wait_for_stop().await);
        Ok(())
    })
}
