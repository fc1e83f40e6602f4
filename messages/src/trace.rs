//! Observability behind the `tracing` feature: a span per actor and per handled message,
//! events for start, stop, panic and restart. Without the feature every function here is
//! an empty inline function: nothing is built, nothing is called.

use std::future::Future;

use crate::{ActorId, StopReason};

/// The actor's whole run, inside an `actor` span (actor type, id).
#[cfg(feature = "tracing")]
pub(crate) fn actor<F: Future>(
    actor: &'static str,
    id: ActorId,
    run: F,
) -> impl Future<Output = F::Output> {
    tracing::Instrument::instrument(run, tracing::info_span!("actor", actor, id = id.get()))
}

#[cfg(not(feature = "tracing"))]
#[inline(always)]
pub(crate) fn actor<F: Future>(_: &'static str, _: ActorId, run: F) -> F {
    run
}

/// One item's handling, inside a `message` span (message type) when it is a message
/// (`message` is empty for other items).
#[cfg(feature = "tracing")]
pub(crate) fn message<F: Future>(
    message: &'static str,
    handling: F,
) -> impl Future<Output = F::Output> {
    let span = if message.is_empty() {
        tracing::Span::none()
    } else {
        tracing::debug_span!("message", message)
    };
    tracing::Instrument::instrument(handling, span)
}

#[cfg(not(feature = "tracing"))]
#[inline(always)]
pub(crate) fn message<F: Future>(_: &'static str, handling: F) -> F {
    handling
}

#[cfg_attr(not(feature = "tracing"), inline(always))]
pub(crate) fn started(restarts: u32) {
    #[cfg(feature = "tracing")]
    tracing::info!(restarts, "started");
    #[cfg(not(feature = "tracing"))]
    let _ = restarts;
}

#[cfg_attr(not(feature = "tracing"), inline(always))]
pub(crate) fn panicked(reason: &StopReason) {
    #[cfg(feature = "tracing")]
    if let StopReason::Panicked(message) = reason {
        tracing::error!(panic = %message, "panicked");
    }
    #[cfg(not(feature = "tracing"))]
    let _ = reason;
}

#[cfg_attr(not(feature = "tracing"), inline(always))]
pub(crate) fn restarting(reason: &StopReason, restarts: u32) {
    #[cfg(feature = "tracing")]
    tracing::warn!(%reason, restarts, "restarting");
    #[cfg(not(feature = "tracing"))]
    let _ = (reason, restarts);
}

#[cfg_attr(not(feature = "tracing"), inline(always))]
pub(crate) fn stopped(reason: &StopReason, undelivered: usize) {
    #[cfg(feature = "tracing")]
    tracing::info!(%reason, undelivered, "stopped");
    #[cfg(not(feature = "tracing"))]
    let _ = (reason, undelivered);
}
