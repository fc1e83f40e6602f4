//! Procedural macros of the [`messages`](https://docs.rs/messages) actor library.
//!
//! Users never depend on this crate directly: `messages` re-exports everything it
//! provides. The `#[actor]` attribute lands here (see the project's macro issue); until
//! then the crate is an empty, compiling placeholder so the workspace layout is final.
#![deny(missing_docs)]
