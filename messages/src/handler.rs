//! What an actor does with a message: [`Handler`] (request/response) and
//! [`Notifiable`] (fire-and-forget).

use std::future::Future;

use crate::{Actor, Context};

/// Handles requests of type `M` and answers each with a [`Self::Result`](Handler::Result).
///
/// Callers use [`Address::send`](crate::Address::send), which resolves to the answer.
/// Implement it with a plain `async fn`; the future must be `Send` so the actor can run
/// on a multi-threaded executor. Handlers of one actor run one at a time, in mailbox
/// order, each with exclusive access to the actor.
///
/// ```
/// use messages::prelude::*;
///
/// struct Adder;
/// impl Actor for Adder {}
///
/// impl Handler<(u8, u8)> for Adder {
///     type Result = u16;
///
///     async fn handle(&mut self, (a, b): (u8, u8), _: &Context<Self>) -> u16 {
///         u16::from(a) + u16::from(b)
///     }
/// }
///
/// # futures::executor::block_on(async {
/// let context = Context::new();
/// let address = context.address();
/// let (answer, _) = futures::join!(
///     async move {
///         let answer = address.send((22, 20)).await;
///         address.stop().await;
///         answer
///     },
///     context.run(Adder),
/// );
/// assert_eq!(answer, Ok(42));
/// # });
/// ```
pub trait Handler<M>: Actor {
    /// The answer sent back to the caller.
    type Result: Send + 'static;

    /// Handles one request. A panic here is caught and contained: the caller gets
    /// [`SendError::Panicked`](crate::SendError::Panicked), then [`Actor::on_panic`]
    /// decides what happens to the actor: an unsupervised actor stops by default, a
    /// supervised one restarts with fresh state (within its budget), and
    /// [`PanicAction::Resume`](crate::PanicAction::Resume) keeps this state and goes on
    /// with the next message.
    fn handle(
        &mut self,
        message: M,
        context: &Context<Self>,
    ) -> impl Future<Output = Self::Result> + Send;
}

/// Handles notifications of type `M`: messages that expect no answer.
///
/// Callers use [`Address::notify`](crate::Address::notify), which returns as soon as the
/// notification is queued. An actor may implement both [`Handler`] and `Notifiable` for
/// any number of message types.
///
/// ```
/// use messages::prelude::*;
///
/// #[derive(Default)]
/// struct Log(Vec<String>);
/// impl Actor for Log {}
///
/// impl Notifiable<String> for Log {
///     async fn notify(&mut self, line: String, _: &Context<Self>) {
///         self.0.push(line);
///     }
/// }
///
/// # futures::executor::block_on(async {
/// let context = Context::new();
/// let address = context.address();
/// address.notify("hello".to_owned()).await.unwrap();
/// drop(address); // the last address: the actor handles its backlog, then stops
/// let exit = context.run(Log::default()).await;
/// assert_eq!(exit.actor.0, ["hello"]);
/// # });
/// ```
pub trait Notifiable<M>: Actor {
    /// Handles one notification. A panic here is caught and stops the actor.
    fn notify(&mut self, message: M, context: &Context<Self>) -> impl Future<Output = ()> + Send;
}

/// Handles requests of type `M` with shared access (`&self`): such reads run
/// concurrently with each other, while every other message keeps exclusive access.
///
/// Callers use [`Address::read`](crate::Address::read). Ordering: reads start in mailbox
/// order; consecutive reads run together, at most [`Actor::READ_CONCURRENCY`] at a time;
/// any other message waits until the reads before it have finished, and reads after it
/// wait for it. The actor must be `Sync`, since several reads borrow it at once.
///
/// ```
/// use messages::prelude::*;
/// use messages::ReadHandler;
///
/// struct Library {
///     books: Vec<&'static str>,
/// }
/// impl Actor for Library {}
///
/// struct Count;
///
/// impl ReadHandler<Count> for Library {
///     type Result = usize;
///     async fn handle_read(&self, _: Count, _: &Context<Self>) -> usize {
///         self.books.len()
///     }
/// }
///
/// # futures::executor::block_on(async {
/// let context = Context::new();
/// let library = context.address();
/// let reader = async move { library.read(Count).await };
/// let (count, _) = futures::join!(reader, context.run(Library { books: vec!["Dune"] }));
/// assert_eq!(count, Ok(1));
/// # });
/// ```
pub trait ReadHandler<M>: Actor + Sync {
    /// The answer sent back to the caller.
    type Result: Send + 'static;

    /// Handles one read. A panic here is caught and contained: the caller gets
    /// [`SendError::Panicked`](crate::SendError::Panicked), then [`Actor::on_panic`]
    /// decides what happens to the actor: an unsupervised actor stops by default, a
    /// supervised one restarts with fresh state (within its budget), and
    /// [`PanicAction::Resume`](crate::PanicAction::Resume) keeps this state and goes on
    /// with the next message. The reads running beside the panicking one finish first
    /// (their callers get their answers).
    fn handle_read(
        &self,
        message: M,
        context: &Context<Self>,
    ) -> impl Future<Output = Self::Result> + Send;
}

/// Computes answers to `M` on a copy of the actor, outside it, so many run in parallel.
/// The actor must be `Clone`.
///
/// [`Address::calculate`](crate::Address::calculate) takes a copy of the actor's state
/// (in mailbox order, like any message) and runs `calculate` on it in the caller's own
/// task: the actor is free at once, and callers compute concurrently. Changes made to
/// the copy are not seen by the actor.
///
/// ```
/// use messages::prelude::*;
/// use messages::Coroutine;
///
/// #[derive(Clone)]
/// struct Fibonacci;
/// impl Actor for Fibonacci {}
///
/// impl Coroutine<u32> for Fibonacci {
///     type Result = u64;
///     async fn calculate(self, n: u32) -> u64 {
///         let (mut a, mut b) = (0_u64, 1_u64);
///         for _ in 0..n {
///             (a, b) = (b, a + b);
///         }
///         a
///     }
/// }
///
/// # futures::executor::block_on(async {
/// let context = Context::new();
/// let fibonacci = context.address();
/// let caller = async move {
///     let (ten, twenty) = futures::join!(fibonacci.calculate(10), fibonacci.calculate(20));
///     (ten, twenty)
/// };
/// let ((ten, twenty), _) = futures::join!(caller, context.run(Fibonacci));
/// assert_eq!((ten, twenty), (Ok(55), Ok(6765)));
/// # });
/// ```
pub trait Coroutine<M>: Actor + Clone {
    /// The answer.
    type Result: Send + 'static;

    /// Computes the answer on a copy of the actor. A panic here is caught: the caller
    /// gets [`SendError::Panicked`](crate::SendError::Panicked); the actor is unaffected.
    fn calculate(self, message: M) -> impl Future<Output = Self::Result> + Send;
}
