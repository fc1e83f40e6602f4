//! [`Timer`]: a clock for timeouts and timed notifications.

use std::future::Future;
use std::time::Duration;

/// A clock: makes futures that complete after a delay. The built-in runtimes provide
/// one (`Tokio` with the `tokio` feature, `Smol` with the `smol` feature, both in this
/// module); implement it for any other executor's timer.
pub trait Timer {
    /// The future [`sleep`](Timer::sleep) returns; its output is ignored.
    type Sleep: Future + Send + 'static;

    /// A future that completes once `duration` has passed.
    fn sleep(&self, duration: Duration) -> Self::Sleep;
}
