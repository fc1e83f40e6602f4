//! Built-in spawning on tokio.

use std::future::Future;

use std::time::Duration;

use super::{Spawner, Timer};

/// Spawns on the current tokio runtime (`tokio::spawn`) and keeps time with its clock
/// (`tokio::time`, which the runtime must enable).
///
/// # Panics
///
/// Spawning panics when called outside a tokio runtime. The panic is reported at the
/// line that started the actor (`spawn()`, [`Context::spawn`](crate::Context::spawn),
/// `spawn_on(&Tokio)`, ...) and says how to give it one.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tokio;

impl Spawner for Tokio {
    #[track_caller]
    fn spawn<F>(&self, future: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => drop(runtime.spawn(future)),
            Err(_) => outside_a_runtime(),
        }
    }
}

/// What `tokio::spawn` would do outside a runtime, with the caller's location and a
/// message that says what to do.
#[cold]
#[track_caller]
fn outside_a_runtime() -> ! {
    panic!(
        "`messages` spawns on tokio, and there is no tokio runtime on this thread: call this from \
         inside one (under `#[tokio::main]` or `#[tokio::test]`, in a tokio task, or in \
         `Runtime::block_on`), or start the actor on another executor with `spawn_on(&runtime)`, \
         or with `prepare()` and run the future it returns yourself"
    )
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
