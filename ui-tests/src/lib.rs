//! Compile-fail tests of the `#[actor]` macros live here, under `tests/ui/`, once the
//! macro layer lands. The member exists now so the workspace layout is final.
