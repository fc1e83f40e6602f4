//! Memory: allocations per operation for every workload and framework, bytes per idle
//! actor, bytes per queued message, and live memory over a long tell run.
//!
//! `cargo run --release -p messages-bench --all-features --bin messages-memory [-- --quick]`
//!
//! A counting global allocator (`stats_alloc`) sees every allocation; it lives in this
//! binary only, so the timings of `messages-bench` are taken on the plain allocator.

use std::alloc::System;

use messages::Mailbox;
use messages_bench::footprint;
use messages_bench::peers;
use messages_bench::workloads::{Flavor, Workload};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Bytes allocated and not yet freed.
fn live() -> isize {
    let stats = GLOBAL.stats();
    let allocated = stats.bytes_allocated as isize;
    allocated - stats.bytes_deallocated as isize
}

#[allow(clippy::cast_precision_loss)]
fn per(total: usize, ops: usize) -> f64 {
    total as f64 / ops as f64
}

fn main() {
    let quick = std::env::args().any(|arg| arg == "--quick");
    let scale = if quick { 1 } else { 4 };
    let runtime = Flavor::CurrentThread.runtime();

    println!("## Allocations per operation (current-thread runtime, one run after a warm-up)");
    println!();
    let workloads = [
        Workload::Ring {
            nodes: 100,
            rounds: 25 * scale,
        },
        Workload::Ask {
            asks: 5_000 * scale,
        },
        Workload::Tell {
            senders: 4,
            per_sender: 5_000 * scale,
        },
        Workload::Spawn {
            actors: 1_000 * scale,
        },
    ];
    let peers = peers::enabled();
    let mut header = String::from("| workload | raw tokio mpsc | messages |");
    let mut rule = String::from("| --- | ---: | ---: |");
    for peer in &peers {
        header.push_str(&format!(" {} |", peer.name));
        rule.push_str(" ---: |");
    }
    println!("{header}");
    println!("{rule}");
    for workload in workloads {
        // Allocations and bytes allocated per operation, as `a (b B)`.
        let measure = |run: &dyn Fn()| {
            run();
            let region = Region::new(GLOBAL);
            run();
            let change = region.change();
            format!(
                "{:.2} ({:.0} B)",
                per(change.allocations + change.reallocations, workload.ops()),
                per(change.bytes_allocated, workload.ops())
            )
        };
        let mut row = format!(
            "| {} | {} | {} |",
            workload.name(),
            measure(&|| {
                let _ = workload.run_raw(&runtime);
            }),
            measure(&|| {
                let _ = workload.run_messages(&runtime);
            }),
        );
        for peer in &peers {
            let cell = measure(&|| {
                let _ = peer.time(workload, &runtime, false);
            });
            row.push_str(&format!(" {cell} |"));
        }
        println!("{row}");
    }

    let actors = 10_000 * scale;
    println!();
    println!("## Bytes per idle actor ({actors} actors, each having handled one request)");
    println!();
    println!("| actor | bytes |");
    println!("| --- | ---: |");
    for (name, mailbox) in [
        ("raw: tokio task + unbounded mpsc", None),
        ("messages, unbounded mailbox", Some(Mailbox::Unbounded)),
        (
            "messages, default mailbox (bounded 128)",
            Some(Mailbox::DEFAULT),
        ),
    ] {
        let bytes = runtime.block_on(footprint::idle_actor(live, actors, mailbox));
        println!("| {name} | {bytes:.0} |");
    }
    let bytes = runtime.block_on(footprint::idle_actor_with_kilobyte_state(live, actors));
    println!("| messages, unbounded, an actor with 1024 bytes of state | {bytes:.0} |");

    let queued = 100_000 * scale;
    println!();
    println!("## Bytes per queued message ({queued} `u64` notifications waiting)");
    println!();
    println!("| mailbox | bytes per message | bytes held after the backlog is handled |");
    println!("| --- | ---: | ---: |");
    for (name, raw) in [
        ("raw: unbounded mpsc", true),
        ("messages, unbounded", false),
    ] {
        let (bytes, left) = runtime.block_on(footprint::queued_message(live, queued, raw));
        println!("| {name} | {bytes:.1} | {left} |");
    }

    let (rounds, per_round) = (50, 40_000 * scale);
    println!();
    println!(
        "## Live memory over a long tell run ({rounds} rounds of {per_round} notifications from 4 senders)"
    );
    println!();
    println!("| framework | after round 1 | after the last round | highest | growth |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (name, raw) in [("raw tokio mpsc", true), ("messages", false)] {
        let samples = runtime.block_on(footprint::long_tell(live, rounds, per_round, 4, raw));
        let first = samples.first().copied().unwrap_or(0);
        let last = samples.last().copied().unwrap_or(0);
        let highest = samples.iter().copied().max().unwrap_or(0);
        println!(
            "| {name} | {first} | {last} | {highest} | {} |",
            last - first
        );
    }
}
