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

    /// Handles one request. A panic here is caught: the caller gets
    /// [`SendError::Panicked`](crate::SendError::Panicked) and the actor stops.
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
