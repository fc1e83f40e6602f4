//! The synchronisation primitives of our own concurrent code: std's, or loom's under
//! `--cfg messages_loom` for the model checks.

#[cfg(messages_loom)]
pub(crate) use loom::sync::Mutex;
#[cfg(messages_loom)]
pub(crate) use loom::sync::atomic::{AtomicBool, Ordering};
#[cfg(not(messages_loom))]
pub(crate) use std::sync::Mutex;
#[cfg(not(messages_loom))]
pub(crate) use std::sync::atomic::{AtomicBool, Ordering};

pub(crate) use std::sync::PoisonError;
