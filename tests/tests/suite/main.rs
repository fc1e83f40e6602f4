//! The integration tests of `messages`, in one binary (it links once): every test body
//! runs on each executor the library supports through the harness library
//! (`messages_tests`), and every wait is bounded.
//!
//! - `guarantees`: one module per numbered guarantee of the crate docs, and the
//!   regression tests of the correctness rounds (`guarantees::regressions`);
//! - `features`: one module per capability;
//! - `macros`: the `#[actor]` macro path;
//! - `fixtures`: message types several modules use.
//!
//! The tests share one process: the registry, the panic hook of `silence_panics` and
//! every `static` are process-wide, so each test uses names and types of its own.
//!
//! The modules are `pub` all the way down: a `pub` item of a test (and what `#[actor]`
//! generates for it) stays reachable, and so linted, as it was at the root of its own
//! test crate.

pub mod features;
pub mod fixtures;
pub mod guarantees;
pub mod macros;
