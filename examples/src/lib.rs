//! The examples live in `examples/`; run one with `cargo run --example 01_ping`.
