//! Time per operation, the same run as `messages-bench`, with mimalloc as the global
//! allocator for every framework and the raw baseline alike: how much of a figure is
//! the allocator's.
//!
//! `cargo run --release -p messages-bench --all-features --bin messages-bench-mimalloc [-- --quick]`

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    messages_bench::timing::run(
        "mimalloc",
        "cargo run --release -p messages-bench --all-features --bin messages-bench-mimalloc",
    );
}
