//! The synchronisation primitives of our own concurrent code: std's, or loom's under
//! `--cfg messages_loom` for the model checks.

#[cfg(all(messages_loom, test))]
pub(crate) use loom::sync::Arc;
#[cfg(messages_loom)]
pub(crate) use loom::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
#[cfg(messages_loom)]
pub(crate) use loom::sync::{Mutex, MutexGuard};
#[cfg(not(messages_loom))]
pub(crate) use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
#[cfg(not(messages_loom))]
pub(crate) use std::sync::{Mutex, MutexGuard};

pub(crate) use std::sync::PoisonError;
