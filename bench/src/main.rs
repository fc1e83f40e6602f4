//! The four workloads of `../shared/BENCHMARKS.md`, measured side by side in one process:
//! `messages` against the raw tokio channel doing the same work, interleaved, several
//! repetitions, median reported with the ratio to the raw channel.
//!
//! `cargo run --release -p messages-bench` (add `-- --quick` for a run under a minute).

mod peers;
mod workloads;

use std::time::Duration;

use workloads::{Flavor, Workload};

/// The workloads and their sizes.
fn workloads(quick: bool) -> [Workload; 4] {
    if quick {
        [
            Workload::Ring {
                nodes: 100,
                rounds: 100,
            },
            Workload::Ask { asks: 20_000 },
            Workload::Tell {
                senders: 4,
                per_sender: 25_000,
            },
            Workload::Spawn { actors: 5_000 },
        ]
    } else {
        [
            Workload::Ring {
                nodes: 1_000,
                rounds: 200,
            },
            Workload::Ask { asks: 100_000 },
            Workload::Tell {
                senders: 4,
                per_sender: 100_000,
            },
            Workload::Spawn { actors: 20_000 },
        ]
    }
}

/// The median, or `None` when nothing was measured.
fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied()
}

#[allow(clippy::cast_precision_loss)]
fn per_op(elapsed: Duration, ops: usize) -> f64 {
    elapsed.as_nanos() as f64 / ops as f64
}

/// A table cell: nanoseconds, or `–` when there is no figure.
fn cell(time: Option<f64>) -> String {
    time.map_or_else(|| "–".to_owned(), |time| format!("{time:.0}"))
}

/// The value after `--name` on the command line.
fn option(name: &str) -> Option<String> {
    let mut args = std::env::args();
    args.find(|arg| arg == name)?;
    args.next()
}

fn main() {
    let quick = std::env::args().any(|arg| arg == "--quick");
    // `--workload ring|ask|tell|spawn` and `--flavor multi|current` narrow the run (for
    // profiling with callgrind or perf).
    let only_workload = option("--workload");
    let only_flavor = option("--flavor");
    // `--framework raw|messages|<peer>` measures one framework alone (the others' cells
    // print as `–`), so a profile holds nothing else.
    let only_framework = option("--framework");
    let measures = |name: &str| only_framework.as_deref().is_none_or(|only| only == name);
    let repetitions = if quick { 5 } else { 9 };
    println!(
        "cores: {}; repetitions: {repetitions} (interleaved), medians in ns per operation",
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
    );
    println!();
    let peers = peers::enabled();
    let mut header = String::from("| workload | runtime | raw tokio mpsc | messages | ratio |");
    let mut rule = String::from("| --- | --- | ---: | ---: | ---: |");
    for peer in &peers {
        header.push_str(&format!(" {} | ratio |", peer.name));
        rule.push_str(" ---: | ---: |");
    }
    println!("{header}");
    println!("{rule}");
    for flavor in [Flavor::MultiThread, Flavor::CurrentThread] {
        if only_flavor
            .as_deref()
            .is_some_and(|only| !flavor.name().starts_with(only))
        {
            continue;
        }
        let runtime = flavor.runtime();
        for workload in workloads(quick) {
            if only_workload
                .as_deref()
                .is_some_and(|only| !workload.name().starts_with(only))
            {
                continue;
            }
            let mut raw = Vec::with_capacity(repetitions);
            let mut ours = Vec::with_capacity(repetitions);
            let mut theirs = vec![Vec::with_capacity(repetitions); peers.len()];
            for _ in 0..repetitions {
                if measures("raw") {
                    raw.push(per_op(workload.run_raw(&runtime), workload.ops()));
                }
                if measures("messages") {
                    ours.push(per_op(workload.run_messages(&runtime), workload.ops()));
                }
                let multi_thread = matches!(flavor, Flavor::MultiThread);
                for (peer, times) in peers.iter().zip(&mut theirs) {
                    if !measures(peer.name) {
                        continue;
                    }
                    if let Some(time) = peer.time(workload, &runtime, multi_thread) {
                        times.push(per_op(time, workload.ops()));
                    }
                }
            }
            let raw = median(raw);
            let mut row = format!(
                "| {} | {} | {} |",
                workload.name(),
                flavor.name(),
                cell(raw)
            );
            for times in std::iter::once(ours).chain(theirs) {
                let time = median(times);
                let ratio = time.zip(raw).map(|(time, raw)| time / raw);
                row.push_str(&format!(
                    " {} | {} |",
                    cell(time),
                    ratio.map_or("–".into(), |r| format!("{r:.2}x"))
                ));
            }
            println!("{row}");
        }
    }
}
