//! Regression tests from the correctness rounds: hostile tests for behaviour the
//! runtime got wrong, each asserting the documented (fixed) behaviour across the
//! guarantees.

pub mod cycles_and_sync_panics;
pub mod first_round;
pub mod run_supervised_signature;
