//! Compile-fail (trybuild) and pass cases of the `#[actor]` macros live in `tests/ui/`,
//! one concept per file, filed by category (`item`, `attribute`, `handler`, `spans`,
//! `pass`); `tests/strict_expansion.rs` compiles a full-featured expansion under strict
//! lints. Bless changed diagnostics with `TRYBUILD=overwrite cargo test -p
//! messages-ui-tests` and review the diff.
