//! Built-in spawning on smol.

use std::future::Future;

use std::time::Duration;

use super::{Spawner, Timer};

/// Spawns on smol's global executor (`smol::spawn`), detached, and keeps time with
/// `smol::Timer`.
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

impl Timer for Smol {
    type Sleep = smol::Timer;

    fn sleep(&self, duration: Duration) -> Self::Sleep {
        smol::Timer::after(duration)
    }
}
