//! The benchmark harness of `messages`: the four workloads of BENCHES.md
//! on raw tokio channels (the floor), on `messages`, and on the peer frameworks compiled
//! in (cargo features `xtra`, `kameo`, `ractor`, `actix`).
//!
//! Three binaries use it: `messages-bench` (time per operation, the table of BENCHES.md
//! and its chart), `messages-bench-mimalloc` (the same with mimalloc as the global
//! allocator, behind the `mimalloc` feature) and `messages-memory` (allocations per
//! operation, bytes per idle actor and per queued message, live memory over a long
//! tell run).

pub mod chart;
pub mod delegate;
pub mod faults;
pub mod footprint;
pub mod peers;
pub mod table;
pub mod timing;
pub mod workloads;
