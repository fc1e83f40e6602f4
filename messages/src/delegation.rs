//! Delegated replies: a handler that hands its answer off ([`Responder`]) and returns
//! at once, so the actor goes on with its mailbox while the answer comes later, from
//! another task or another actor.

use std::fmt;
use std::future::Future;

use crate::backlog::Item;
use crate::envelope::{DelegateEnvelope, Request, RequestEnvelope};
use crate::reply::{Answered, ReplySender};
use crate::waits::Wait;
use crate::{Actor, Address, Context, Handler, Reply, SendError, TrySendError};

/// Handles requests of type `M` by handing the answer off: the handler gets a
/// [`Responder`] and may answer through it later, from anywhere, while the actor goes
/// on with its mailbox.
///
/// Callers do not see the difference: [`Address::send`] answers
/// `Result<Self::Result, SendError>` as for a [`Handler`]. An actor implements
/// `Handler<M>` or `Delegate<M>` for a given `M`, not both.
///
/// The request is answered when [`Responder::send`] is called; if the responder is
/// dropped unanswered, the caller gets [`SendError::Unanswered`] (or
/// [`SendError::Panicked`] when it is dropped by a panic, in the handler or in the task
/// that held it). A panic in `delegate` itself is the actor's panic, as in any handler.
///
/// ```
/// use messages::prelude::*;
/// use messages::{Delegate, Responder};
///
/// /// Hands each job to a task and serves the next request at once.
/// struct Coordinator;
/// impl Actor for Coordinator {}
///
/// struct Square(u64);
///
/// impl Delegate<Square> for Coordinator {
///     type Result = u64;
///
///     async fn delegate(&mut self, Square(n): Square, responder: Responder<u64>, _: &Context<Self>) {
///         std::thread::spawn(move || responder.send(n * n));
///     }
/// }
///
/// # futures::executor::block_on(async {
/// let context = Context::new();
/// let coordinator = context.address();
/// let caller = async move { coordinator.send(Square(7)).await };
/// let (answer, _) = futures::join!(caller, context.run(Coordinator));
/// assert_eq!(answer, Ok(49));
/// # });
/// ```
pub trait Delegate<M>: Actor {
    /// The answer sent back to the caller, through the [`Responder`].
    type Result: Send + 'static;

    /// Handles one request; answers it through `responder`, now or later.
    fn delegate(
        &mut self,
        message: M,
        responder: Responder<Self::Result>,
        ctx: &Context<Self>,
    ) -> impl Future<Output = ()> + Send;
}

/// Where the answer to one request goes: the caller waiting in [`Address::send`].
///
/// `Send`, and movable anywhere: into a task, into a message to another actor, or
/// into [`Address::forward`], which lets another actor answer the caller directly.
/// [`send`](Responder::send) answers; dropping it unanswered answers the caller with
/// [`SendError::Unanswered`] (with [`SendError::Panicked`] when a panic drops it).
#[must_use = "dropping a responder answers its caller with `SendError::Unanswered`"]
pub struct Responder<R> {
    /// `None` once answered.
    reply: Option<ReplySender<R>>,
    /// The caller's wait on the actor, when the caller is an actor (see `waits`): it
    /// lasts until the answer is sent.
    wait: Option<Wait>,
}

impl<R> Responder<R> {
    pub(crate) fn new(reply: ReplySender<R>, wait: Option<Wait>) -> Self {
        Self {
            reply: Some(reply),
            wait,
        }
    }

    /// A responder not tied to any request yet, and the [`Reply`] that receives its
    /// answer: for code that hands a request on with [`Address::forward`] and awaits
    /// the answer itself (a remote node serving an actor does). The reply resolves as
    /// any other: the value sent, [`SendError::Unanswered`] when the responder is
    /// dropped unanswered, the error given to [`refuse`](Responder::refuse).
    ///
    /// ```
    /// use messages::Responder;
    ///
    /// # futures::executor::block_on(async {
    /// let (responder, reply) = Responder::channel();
    /// responder.send(7);
    /// assert_eq!(reply.await, Ok(7));
    /// # });
    /// ```
    pub fn channel() -> (Self, Reply<R>) {
        let (reply, answer) = tokio::sync::oneshot::channel();
        // An id of its own: no actor answers it, so no wait on it can close a cycle.
        let answer = Reply::new(answer, crate::ActorId::next(), false);
        (Self::new(reply, None), answer)
    }

    /// Answers the request with `value`. A caller that gave up (its future dropped, or
    /// timed out) is not there to receive it: `value` is dropped.
    pub fn send(mut self, value: R) {
        if let Some(reply) = self.reply.take() {
            answer(reply, Answered::Value(value));
        }
        self.wait = None;
    }

    /// Answers the request with `error` instead of a value: the caller's `send` returns
    /// `Err(error)`. For a stand-in that learns why no answer will come (a remote
    /// actor's node is gone: [`SendError::Unreachable`]); a handler that merely has no
    /// answer drops the responder ([`SendError::Unanswered`]).
    ///
    /// ```
    /// use messages::prelude::*;
    /// use messages::{Delegate, Responder};
    ///
    /// struct Gateway;
    /// impl Actor for Gateway {}
    ///
    /// struct Fetch;
    ///
    /// impl Delegate<Fetch> for Gateway {
    ///     type Result = String;
    ///
    ///     async fn delegate(&mut self, _: Fetch, responder: Responder<String>, _: &Context<Self>) {
    ///         // The upstream is down: say so.
    ///         responder.refuse(SendError::Unreachable);
    ///     }
    /// }
    ///
    /// # futures::executor::block_on(async {
    /// let context = Context::<Gateway>::new();
    /// let gateway = context.address();
    /// let call = async move { gateway.send(Fetch).await };
    /// let (answer, _) = futures::join!(call, context.run(Gateway));
    /// assert_eq!(answer, Err(SendError::Unreachable));
    /// # });
    /// ```
    pub fn refuse(mut self, error: SendError) {
        if let Some(reply) = self.reply.take() {
            answer(reply, Answered::Failed(error));
        }
        self.wait = None;
    }

    /// Whether the caller is gone (its request future was dropped, or timed out): an
    /// answer would be dropped.
    pub fn is_closed(&self) -> bool {
        self.reply.as_ref().is_none_or(ReplySender::is_closed)
    }

    /// The reply channel and the wait, for a request forwarded to another actor.
    fn into_parts(mut self) -> (Option<ReplySender<R>>, Option<Wait>) {
        (self.reply.take(), self.wait.take())
    }
}

/// Sends `answer`; a panic in the `Drop` of an answer nobody receives is contained.
fn answer<R>(reply: ReplySender<R>, answer: Answered<R>) {
    if let Err(unsent) = reply.send(answer) {
        let _ = crate::panic::drop_contained(unsent);
    }
}

impl<R> Drop for Responder<R> {
    fn drop(&mut self) {
        // Unanswered: the caller learns from the closed channel, or from the panic
        // that is dropping this responder.
        if let Some(reply) = self.reply.take() {
            if std::thread::panicking() {
                answer(reply, Answered::Failed(SendError::Panicked));
            }
        }
    }
}

impl<R> fmt::Debug for Responder<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Responder")
            .field("answer", &std::any::type_name::<R>())
            .field("closed", &self.is_closed())
            .finish()
    }
}

/// How `A` answers requests of type `M`: [`Direct`]ly (a [`Handler`]) or
/// [`Delegated`] (a [`Delegate`]). [`Address::send`] takes either; the kind `K` is
/// inferred, and code that names the trait it needs (`A: Handler<M>`) works as it is.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not answer requests of type `{M}`",
    label = "no `Handler<{M}>` (nor `Delegate<{M}>`) for `{Self}`"
)]
pub trait Answers<M, K>: Actor {
    /// The answer the caller gets.
    type Result: Send + 'static;

    #[doc(hidden)]
    fn queue(
        address: &Address<Self>,
        message: M,
    ) -> impl Future<Output = Result<Self::Result, SendError>> + Send + use<Self, M, K>;

    #[doc(hidden)]
    fn try_queue(
        address: &Address<Self>,
        message: M,
    ) -> Result<Reply<Self::Result>, TrySendError<M>>;

    #[doc(hidden)]
    fn forward(
        address: &Address<Self>,
        message: M,
        responder: Responder<Self::Result>,
    ) -> impl Future<Output = Result<(), SendError>> + Send;
}

/// The kind of [`Answers`] of a [`Handler`]: the handler's return value is the answer.
#[derive(Debug)]
pub enum Direct {}

/// The kind of [`Answers`] of a [`Delegate`]: a [`Responder`] carries the answer.
#[derive(Debug)]
pub enum Delegated {}

impl<A: Handler<M>, M: Send + 'static> Answers<M, Direct> for A {
    type Result = A::Result;

    fn queue(
        address: &Address<Self>,
        message: M,
    ) -> impl Future<Output = Result<A::Result, SendError>> + Send + use<A, M> {
        queue::<A, M, _, RequestEnvelope<A, M>>(address, message)
    }

    fn try_queue(address: &Address<Self>, message: M) -> Result<Reply<A::Result>, TrySendError<M>> {
        try_queue::<A, M, _, RequestEnvelope<A, M>>(address, message)
    }

    fn forward(
        address: &Address<Self>,
        message: M,
        responder: Responder<A::Result>,
    ) -> impl Future<Output = Result<(), SendError>> + Send {
        forward::<A, M, _, RequestEnvelope<A, M>>(address, message, responder)
    }
}

impl<A: Delegate<M>, M: Send + 'static> Answers<M, Delegated> for A {
    type Result = A::Result;

    fn queue(
        address: &Address<Self>,
        message: M,
    ) -> impl Future<Output = Result<A::Result, SendError>> + Send + use<A, M> {
        queue::<A, M, _, DelegateEnvelope<A, M>>(address, message)
    }

    fn try_queue(address: &Address<Self>, message: M) -> Result<Reply<A::Result>, TrySendError<M>> {
        try_queue::<A, M, _, DelegateEnvelope<A, M>>(address, message)
    }

    fn forward(
        address: &Address<Self>,
        message: M,
        responder: Responder<A::Result>,
    ) -> impl Future<Output = Result<(), SendError>> + Send {
        forward::<A, M, _, DelegateEnvelope<A, M>>(address, message, responder)
    }
}

/// [`Answers::queue`] with the request envelope `I`.
fn queue<A, M, R, I>(
    address: &Address<A>,
    message: M,
) -> impl Future<Output = Result<R, SendError>> + Send + use<A, M, R, I>
where
    A: Actor,
    M: Send + 'static,
    R: Send + 'static,
    I: Item<A> + Request<M, R>,
{
    address.request(false, |reply, wait| I::new(message, reply, wait))
}

/// [`Answers::try_queue`] with the request envelope `I`.
fn try_queue<A, M, R, I>(address: &Address<A>, message: M) -> Result<Reply<R>, TrySendError<M>>
where
    A: Actor,
    I: Item<A> + Request<M, R>,
{
    address.try_request(
        false,
        |reply| I::new(message, reply, None),
        Request::into_message,
    )
}

/// [`Answers::forward`] with the request envelope `I`.
fn forward<'a, A, M, R, I>(
    address: &'a Address<A>,
    message: M,
    responder: Responder<R>,
) -> impl Future<Output = Result<(), SendError>> + Send + 'a
where
    A: Actor,
    I: Item<A> + Request<M, R>,
{
    let (reply, wait) = responder.into_parts();
    address.queue_reply(reply, |reply| I::new(message, reply, wait))
}
