//! 04 — ring: Joe Armstrong's ring benchmark.
//!
//! `nodes` actors in a ring pass a token around `rounds` times, each hop a
//! notification. Each node needs its neighbour's address before it exists: the contexts
//! (and so the addresses) are made first, then the actors. Run it with
//! `cargo run --release --example 04_ring -- <nodes> <rounds>` (the original's figures
//! are for `2000 2000`).

use std::time::Instant;

use messages::prelude::*;
use tokio::sync::oneshot;

struct Node {
    next: Address<Node>,
    /// Only the first node: told when the token has made every hop.
    done: Option<oneshot::Sender<()>>,
}

impl Actor for Node {}

/// The token, carrying how many hops are left.
struct Token(u64);

impl Notifiable<Token> for Node {
    async fn notify(&mut self, Token(hops_left): Token, ctx: &Context<Self>) {
        if hops_left == 0 {
            if let Some(done) = self.done.take() {
                let _ = done.send(());
            }
            return;
        }
        if self.next.notify(Token(hops_left - 1)).await.is_err() {
            ctx.stop();
        }
    }
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1).map(|arg| arg.parse::<u64>());
    let nodes = args.next().and_then(Result::ok).unwrap_or(100).max(1);
    let rounds = args.next().and_then(Result::ok).unwrap_or(100).max(1);

    // Unbounded mailboxes: in a cycle of actors a bounded one could fill up and wait
    // on itself.
    let contexts: Vec<Context<Node>> = (0..nodes).map(|_| Context::unbounded()).collect();
    let addresses: Vec<Address<Node>> = contexts.iter().map(Context::address).collect();
    let (done_tx, done) = oneshot::channel();
    let mut done_tx = Some(done_tx);
    for (index, context) in contexts.into_iter().enumerate() {
        let next = addresses[(index + 1) % addresses.len()].clone();
        let done = if index == 0 { done_tx.take() } else { None };
        drop(context.spawn(Node { next, done }));
    }

    let hops = nodes * rounds;
    let start = Instant::now();
    // Starts at node 1, so the last hop lands on node 0.
    addresses[1 % addresses.len()]
        .notify(Token(hops - 1))
        .await
        .expect("the ring is running");
    done.await.expect("the token came back");
    let elapsed = start.elapsed();

    #[allow(clippy::cast_precision_loss)]
    let per_second = hops as f64 / elapsed.as_secs_f64();
    println!("ring of {nodes} nodes, {rounds} rounds: {hops} hops in {elapsed:?}");
    println!("{per_second:.0} messages per second");

    // Every node holds its neighbour's address, so the ring keeps itself alive: stop it.
    for address in &addresses {
        address.stop().await;
    }
    for address in &addresses {
        address.wait_for_stop().await;
    }
}
