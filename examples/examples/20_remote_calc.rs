//! 20 — a remote actor: one process serves a calculator, another calls it.
//!
//! `#[actor(remote)]` makes the actor's messages cross processes. The serving process
//! starts a `Node` that listens on an endpoint and publishes the actor under a name;
//! the calling process starts a node that connects there and looks the name up: what
//! comes back is the typed address, with the same methods as a local one. Run it in two
//! terminals:
//!
//! ```text
//! cargo run --example 20_remote_calc -- serve tcp/127.0.0.1:7447
//! cargo run --example 20_remote_calc -- call tcp/127.0.0.1:7447
//! ```
//!
//! The caller ends by stopping the calculator through its remote address; the serving
//! process sees its actor stop and exits.

use messages::prelude::*;
use messages_remote::Node;

/// A running total.
#[actor]
#[derive(Debug, Default)]
pub struct Calc {
    total: i64,
}

#[actor(remote)]
impl Calc {
    /// Adds both numbers to the total, and answers it.
    #[handler]
    pub fn add(&mut self, a: i64, b: i64) -> i64 {
        self.total += a + b;
        self.total
    }

    /// Divides, or says why it cannot: an answer can be a `Result` of its own.
    #[handler]
    pub fn divide(&self, a: i64, b: i64) -> Result<i64, String> {
        a.checked_div(b)
            .ok_or_else(|| format!("cannot divide {a} by {b}"))
    }

    /// Back to zero: fire-and-forget.
    #[notify]
    pub fn reset(&mut self) {
        self.total = 0;
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_default();
    let endpoint = args
        .next()
        .unwrap_or_else(|| "tcp/127.0.0.1:7447".to_owned());
    match mode.as_str() {
        "serve" => serve(&endpoint).await,
        "call" => call(&endpoint).await,
        _ => {
            eprintln!("usage: 20_remote_calc serve|call [ENDPOINT]");
            std::process::exit(2);
        }
    }
}

async fn serve(endpoint: &str) -> Result<(), Box<dyn std::error::Error>> {
    let node = Node::builder().listen(endpoint).start().await?;
    let calc: CalcAddress = Calc::default().spawn();
    node.publish("calc", &calc).await?;
    println!("serving calc on {endpoint}");
    // Until a caller stops it; then the node closes, so that the caller hears why.
    let reason = calc.wait_for_stop().await;
    node.close().await;
    println!("calc stopped: {reason}");
    Ok(())
}

async fn call(endpoint: &str) -> Result<(), Box<dyn std::error::Error>> {
    let node = Node::builder().connect(endpoint).start().await?;
    let calc = node.lookup::<Calc>("calc").await?;
    println!("add(2, 3) = {}", calc.add(2, 3).await?);
    println!("add(10, -4) = {}", calc.add(10, -4).await?);
    println!("divide(7, 2) = {:?}", calc.divide(7, 2).await?);
    println!("divide(1, 0) = {:?}", calc.divide(1, 0).await?);
    calc.reset().await?;
    println!("after reset, add(1, 1) = {}", calc.add(1, 1).await?);
    calc.stop().await;
    println!("calc: {}", calc.wait_for_stop().await);
    node.close().await;
    Ok(())
}
