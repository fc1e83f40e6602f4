//! 05 — fibonacci: parallel handlers.
//!
//! A `Coroutine` computes on a copy of the actor in the caller's own task, so requests
//! run in parallel instead of one after the other. The timing shows it: the same four
//! requests, sequential then concurrent, on a runtime with two worker threads. Run it
//! with `cargo run --release --example 05_fibonacci`.

use std::time::Instant;

use messages::Coroutine;
use messages::prelude::*;

/// Stateless here, so copying it is free.
#[derive(Clone)]
struct Fibonacci;

impl Actor for Fibonacci {}

impl Coroutine<u32> for Fibonacci {
    type Result = u64;

    async fn calculate(self, n: u32) -> u64 {
        fibonacci(n)
    }
}

/// Deliberately slow: a CPU-bound job worth parallelising.
fn fibonacci(n: u32) -> u64 {
    if n < 2 {
        u64::from(n)
    } else {
        fibonacci(n - 1) + fibonacci(n - 2)
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), SendError> {
    let fib = Fibonacci.spawn();
    let inputs = [30, 30, 30, 30];

    let start = Instant::now();
    let mut sequential = Vec::new();
    for n in inputs {
        sequential.push(fib.calculate(n).await?);
    }
    let one_by_one = start.elapsed();

    let start = Instant::now();
    let tasks: Vec<_> = inputs
        .into_iter()
        .map(|n| {
            let fib = fib.clone();
            tokio::spawn(async move { fib.calculate(n).await })
        })
        .collect();
    let mut concurrent = Vec::new();
    for task in tasks {
        concurrent.push(task.await.expect("the task ran")?);
    }
    let together = start.elapsed();

    assert_eq!(sequential, concurrent);
    println!("fibonacci(30) = {}", concurrent[0]);
    println!("4 requests one by one: {one_by_one:?}");
    println!("4 requests concurrently: {together:?} (2 worker threads)");
    Ok(())
}
