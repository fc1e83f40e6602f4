//! Flattened request results: [`RequestExt::flatten`](crate::time::RequestExt::flatten)
//! turns `Result<Result<T, E>, SendError>` into `Result<T, E2>`.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use pin_project_lite::pin_project;

use crate::SendError;
use crate::runtime::Timer;
use crate::time::{RequestExt, Timeout};

/// An answer that is itself a `Result`: what [`RequestExt::flatten`] takes apart.
/// Implemented for every `Result<T, E>` and nothing else (sealed).
pub trait Fallible: sealed::Sealed {
    /// The answer's success type, `T`.
    type Ok;
    /// The answer's error type, `E`.
    type Error;

    /// The answer as a plain `Result`.
    fn into_result(self) -> Result<Self::Ok, Self::Error>;
}

impl<T, E> Fallible for Result<T, E> {
    type Ok = T;
    type Error = E;

    fn into_result(self) -> Self {
        self
    }
}

mod sealed {
    #[allow(
        unreachable_pub,
        reason = "the seal: public so it can bound a public trait, unnameable so only this crate implements it"
    )]
    pub trait Sealed {}

    impl<T, E> Sealed for Result<T, E> {}
}

pin_project! {
    /// A request whose answer and delivery errors are one `Result<T, E>`; made by
    /// [`RequestExt::flatten`].
    ///
    /// # Cancel safety
    ///
    /// Dropping it drops the request: see the request's own cancel safety.
    #[must_use = "futures do nothing unless awaited"]
    pub struct Flatten<F, E> {
        #[pin]
        request: F,
        error: PhantomData<fn() -> E>,
    }
}

impl<F, E> Flatten<F, E> {
    pub(crate) fn new(request: F) -> Self {
        Self {
            request,
            error: PhantomData,
        }
    }
}

impl<F, E> Flatten<F, E> {
    /// [`RequestExt::timeout`] on the request inside, so that `.flatten().timeout(d)`
    /// means the same as `.timeout(d).flatten()`: on expiry the caller gets
    /// `E::from(SendError::Timeout)`.
    ///
    /// # Panics
    ///
    /// As [`RequestExt::timeout`].
    #[cfg(any(feature = "tokio", feature = "smol", doc))]
    pub fn timeout<T>(
        self,
        duration: Duration,
    ) -> Flatten<Timeout<F, <crate::runtime::DefaultRuntime as Timer>::Sleep>, E>
    where
        F: Future<Output = Result<T, SendError>>,
    {
        Flatten::new(self.request.timeout(duration))
    }

    /// [`RequestExt::timeout_on`] on the request inside: `.flatten().timeout_on(d, &timer)`
    /// means the same as `.timeout_on(d, &timer).flatten()`.
    pub fn timeout_on<T, C: Timer>(
        self,
        duration: Duration,
        timer: &C,
    ) -> Flatten<Timeout<F, C::Sleep>, E>
    where
        F: Future<Output = Result<T, SendError>>,
    {
        Flatten::new(self.request.timeout_on(duration, timer))
    }
}

impl<T, F, E> Future for Flatten<F, E>
where
    F: Future<Output = Result<T, SendError>>,
    T: Fallible,
    E: From<T::Error> + From<SendError>,
{
    type Output = Result<T::Ok, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Poll::Ready(match ready!(self.project().request.poll(cx)) {
            Ok(answer) => answer.into_result().map_err(E::from),
            Err(error) => Err(E::from(error)),
        })
    }
}

impl<F: std::fmt::Debug, E> std::fmt::Debug for Flatten<F, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Flatten")
            .field("request", &self.request)
            .field("error", &std::any::type_name::<E>())
            .finish()
    }
}
