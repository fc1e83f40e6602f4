//! Built-in spawning on tokio.

use std::future::Future;

use std::time::Duration;

use super::{Spawner, Timer};

/// Spawns on the current tokio runtime (`tokio::spawn`) and keeps time with its clock
/// (`tokio::time`, which the runtime must enable).
///
/// # Panics
///
/// Spawning panics when called outside a tokio runtime, as `tokio::spawn` does.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tokio;

impl Spawner for Tokio {
    fn spawn<F>(&self, future: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        drop(tokio::spawn(future));
    }
}

impl Timer for Tokio {
    type Sleep = tokio::time::Sleep;

    /// # Panics
    ///
    /// Outside a tokio runtime with its time driver enabled, as `tokio::time::sleep`.
    fn sleep(&self, duration: Duration) -> Self::Sleep {
        tokio::time::sleep(duration)
    }
}
