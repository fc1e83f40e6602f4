//! Time per operation: the four workloads of BENCHES.md, `messages`
//! against the raw tokio channel doing the same work (and the peers compiled in),
//! interleaved, several repetitions, median reported with the ratio to the raw channel.
//! The binaries `messages-bench` (the system allocator) and `messages-bench-mimalloc`
//! run it.
//!
//! Options: `--quick`, `--svg PATH`; `--workload ring|ask|tell|spawn|delegate`,
//! `--flavor multi|current` and `--framework raw|messages|<peer>` narrow the run (for
//! profiling with callgrind).

use std::time::Duration;

use crate::chart;
use crate::delegate::DelegateWorkload;
use crate::faults::minor_faults;
use crate::peers;
use crate::table::{Row, Table};
use crate::workloads::{Flavor, Workload};

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

/// The delegate workload and its size.
fn delegate_workload(quick: bool) -> DelegateWorkload {
    DelegateWorkload {
        callers: 8,
        workers: 4,
        requests: if quick { 20_000 } else { 100_000 },
    }
}

/// Runs `run` for every column (a framework; `None` when it has no figure)
/// `repetitions` times, interleaved, and returns each column's median time per
/// operation and mean minor page faults per 1000 operations.
fn measure(
    repetitions: usize,
    columns: usize,
    ops: usize,
    mut run: impl FnMut(usize) -> Option<Duration>,
) -> (Vec<Option<f64>>, Vec<Option<f64>>) {
    let mut times = vec![Vec::with_capacity(repetitions); columns];
    let mut faults = vec![Vec::with_capacity(repetitions); columns];
    for repetition in 0..repetitions {
        // Each repetition starts one framework further on: none always runs right
        // after the same other one, whose freed heap, caches and scheduler state it
        // would meet every time.
        for column in (0..columns).map(|offset| (repetition + offset) % columns) {
            let faults_before = minor_faults();
            if let Some(time) = run(column) {
                times[column].push(per_op(time, ops));
                if let (Some(before), Some(after)) = (faults_before, minor_faults()) {
                    faults[column].push(per_thousand(after - before, ops));
                }
            }
        }
    }
    (
        times.into_iter().map(median).collect(),
        faults.into_iter().map(mean).collect(),
    )
}

/// The mean, or `None` when nothing was measured.
#[allow(clippy::cast_precision_loss)]
fn mean(values: Vec<f64>) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
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

#[allow(clippy::cast_precision_loss)]
fn per_thousand(count: u64, ops: usize) -> f64 {
    count as f64 * 1000.0 / ops as f64
}

/// The value after `--name` on the command line.
fn option(name: &str) -> Option<String> {
    let mut args = std::env::args();
    args.find(|arg| arg == name)?;
    args.next()
}

/// Runs the timings as the command line says and prints the table. `allocator` names
/// the global allocator of the calling binary; `command` is how to run that binary
/// (both are printed, and written under the chart).
pub fn run(allocator: &str, command: &str) {
    let quick = std::env::args().any(|arg| arg == "--quick");
    let only_workload = option("--workload");
    let only_flavor = option("--flavor");
    let only_framework = option("--framework");
    let svg = option("--svg");
    let measures = |name: &str| only_framework.as_deref().is_none_or(|only| only == name);
    let repetitions = if quick { 5 } else { 9 };
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    println!(
        "cores: {cores}; allocator: {allocator}; repetitions: {repetitions} (interleaved), \
         medians in ns per operation"
    );
    println!();
    let peers = peers::enabled();
    let mut frameworks = vec!["raw tokio mpsc", "messages"];
    frameworks.extend(peers.iter().map(|peer| peer.name));
    let mut table = Table::new(frameworks);
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
            let multi_thread = matches!(flavor, Flavor::MultiThread);
            let (nanos, faults) =
                measure(
                    repetitions,
                    2 + peers.len(),
                    workload.ops(),
                    |column| match column {
                        0 if measures("raw") => Some(workload.run_raw(&runtime)),
                        1 if measures("messages") => Some(workload.run_messages(&runtime)),
                        0 | 1 => None,
                        peer => {
                            let peer = &peers[peer - 2];
                            if measures(peer.name) {
                                peer.time(workload, &runtime, multi_thread)
                            } else {
                                None
                            }
                        }
                    },
                );
            table.rows.push(Row {
                workload: workload.name(),
                runtime: flavor.name(),
                nanos,
                faults,
            });
        }
        // Measured on raw channels and `messages` only: the peers have no figure.
        let delegate = delegate_workload(quick);
        if only_workload
            .as_deref()
            .is_none_or(|only| DelegateWorkload::NAME.starts_with(only))
        {
            let (nanos, faults) =
                measure(
                    repetitions,
                    2 + peers.len(),
                    delegate.ops(),
                    |column| match column {
                        0 if measures("raw") => Some(delegate.run_raw(&runtime)),
                        1 if measures("messages") => Some(delegate.run_messages(&runtime)),
                        _ => None,
                    },
                );
            table.rows.push(Row {
                workload: DelegateWorkload::NAME,
                runtime: flavor.name(),
                nanos,
                faults,
            });
        }
    }
    print!("{}", table.markdown());
    println!();
    println!(
        "minor page faults per 1000 operations (means over the repetitions; whole process, setup included):"
    );
    println!();
    print!("{}", table.faults_markdown());
    if let Some(path) = svg {
        let subtitle = format!(
            "{cores} cores, {}, {allocator}; median of {repetitions} interleaved runs; \
             {command}{}",
            rustc_version(),
            if quick { " -- --quick" } else { "" }
        );
        match std::fs::write(&path, chart::svg(&table, &subtitle)) {
            Ok(()) => println!("\nchart written to {path}"),
            Err(error) => {
                eprintln!("could not write the chart to {path}: {error}");
                std::process::exit(1);
            }
        }
    }
}

/// The compiler that built this binary, as `rustc --version` says (at run time: the
/// toolchain of the `cargo run` that started us).
fn rustc_version() -> String {
    std::process::Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned()))
        .arg("--version")
        .output()
        .ok()
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .map_or_else(
            || "rustc (unknown version)".to_owned(),
            |v| v.trim().to_owned(),
        )
}
