//! Built-in spawning on tokio.

use std::future::Future;

use super::Spawner;

/// Spawns on the current tokio runtime (`tokio::spawn`).
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
