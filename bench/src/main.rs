//! Time per operation with the system allocator: the table and chart of BENCHES.md.
//!
//! `cargo run --release -p messages-bench --all-features [-- --quick] [--svg bench/chart.svg]`
//! (options in `timing.rs`).

fn main() {
    messages_bench::timing::run(
        "system allocator",
        "cargo run --release -p messages-bench --all-features",
    );
}
