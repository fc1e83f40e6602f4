//! Built-in spawning on smol.

use std::future::Future;

use super::Spawner;

/// Spawns on smol's global executor (`smol::spawn`), detached.
#[derive(Debug, Clone, Copy, Default)]
pub struct Smol;

impl Spawner for Smol {
    fn spawn<F>(&self, future: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        smol::spawn(future).detach();
    }
}
