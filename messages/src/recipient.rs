//! [`Recipient`] and [`NotifyRecipient`]: addresses erased to one message type, so
//! different actors that take the same message can be stored together.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;

use crate::delegation::Answers;
use crate::{ActorId, Address, Notifiable, Reply, SendError, TrySendError};

type SendFuture<'a, R> = Pin<Box<dyn Future<Output = Result<R, SendError>> + Send + 'a>>;
type NotifyFuture<'a> = Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>>;

/// An actor that answers `M` with `R`, whatever its type.
trait RequestTarget<M, R>: Send + Sync {
    fn send(&self, message: M) -> SendFuture<'_, R>;
    fn try_send(&self, message: M) -> Result<Reply<R>, TrySendError<M>>;
    fn id(&self) -> ActorId;
    fn connected(&self) -> bool;
}

/// An address of an actor that answers `M` the way `K` names ([`Direct`](crate::delegation::Direct)
/// for a [`Handler`](crate::Handler), [`Delegated`](crate::delegation::Delegated) for a
/// [`Delegate`](crate::Delegate)): the kind has to be part of the type for the
/// implementation below to name it.
struct Answering<A, K> {
    address: Address<A>,
    kind: PhantomData<fn() -> K>,
}

impl<A, M, K> RequestTarget<M, <A as Answers<M, K>>::Result> for Answering<A, K>
where
    A: Answers<M, K>,
    M: Send + 'static,
    K: 'static,
{
    fn send(&self, message: M) -> SendFuture<'_, <A as Answers<M, K>>::Result> {
        Box::pin(self.address.send(message))
    }

    fn try_send(&self, message: M) -> Result<Reply<A::Result>, TrySendError<M>> {
        self.address.try_send(message)
    }

    fn id(&self) -> ActorId {
        self.address.id()
    }

    fn connected(&self) -> bool {
        self.address.connected()
    }
}

/// An address erased to one request type: any actor that answers `M` with `R`, with a
/// [`Handler<M>`](crate::Handler) or a [`Delegate<M>`](crate::Delegate). Made by
/// [`Address::recipient`]. Keeps the actor alive like an address.
///
/// Each `send` through a recipient costs one allocation more than through an
/// [`Address`] (its future is boxed to erase the actor's type).
///
/// ```
/// use messages::prelude::*;
/// use messages::Recipient;
///
/// struct English;
/// struct French;
/// impl Actor for English {}
/// impl Actor for French {}
///
/// struct Greet;
/// impl Handler<Greet> for English {
///     type Result = &'static str;
///     async fn handle(&mut self, _: Greet, _: &Context<Self>) -> &'static str {
///         "hello"
///     }
/// }
/// impl Handler<Greet> for French {
///     type Result = &'static str;
///     async fn handle(&mut self, _: Greet, _: &Context<Self>) -> &'static str {
///         "bonjour"
///     }
/// }
///
/// # futures::executor::block_on(async {
/// let (english, french) = (Context::new(), Context::new());
/// let greeters: Vec<Recipient<Greet, &'static str>> =
///     vec![english.address().recipient(), french.address().recipient()];
/// let ask_all = async move {
///     let mut answers = Vec::new();
///     for greeter in &greeters {
///         answers.push(greeter.send(Greet).await.unwrap());
///     }
///     answers // the recipients drop here: both actors stop
/// };
/// let (answers, _, _) = futures::join!(ask_all, english.run(English), french.run(French));
/// assert_eq!(answers, ["hello", "bonjour"]);
/// # });
/// ```
pub struct Recipient<M, R> {
    target: Arc<dyn RequestTarget<M, R>>,
}

impl<M: Send + 'static, R: Send + 'static> Recipient<M, R> {
    pub(crate) fn new<A, K>(address: Address<A>) -> Self
    where
        A: Answers<M, K, Result = R>,
        K: 'static,
    {
        Self {
            target: Arc::new(Answering {
                address,
                kind: PhantomData,
            }),
        }
    }

    /// Sends a request and waits for the answer, as [`Address::send`].
    ///
    /// # Errors
    ///
    /// As [`Address::send`].
    ///
    /// # Cancel safety
    ///
    /// As [`Address::send`].
    pub async fn send(&self, message: M) -> Result<R, SendError> {
        self.target.send(message).await
    }

    /// Queues a request without waiting for room, as [`Address::try_send`].
    ///
    /// # Errors
    ///
    /// As [`Address::try_send`]: the message comes back when the mailbox is full or
    /// the actor stopped.
    pub fn try_send(&self, message: M) -> Result<Reply<R>, TrySendError<M>> {
        self.target.try_send(message)
    }

    /// The identity of the actor behind this recipient.
    pub fn id(&self) -> ActorId {
        self.target.id()
    }

    /// Whether the actor still accepts messages.
    pub fn connected(&self) -> bool {
        self.target.connected()
    }
}

/// An actor that takes the notification `M`, whatever its type.
trait NotifyTarget<M>: Send + Sync {
    fn notify(&self, message: M) -> NotifyFuture<'_>;
    fn try_notify(&self, message: M) -> Result<(), TrySendError<M>>;
    fn id(&self) -> ActorId;
    fn connected(&self) -> bool;
}

impl<A: Notifiable<M>, M: Send + 'static> NotifyTarget<M> for Address<A> {
    fn notify(&self, message: M) -> NotifyFuture<'_> {
        Box::pin(Address::notify(self, message))
    }

    fn try_notify(&self, message: M) -> Result<(), TrySendError<M>> {
        Address::try_notify(self, message)
    }

    fn id(&self) -> ActorId {
        Address::id(self)
    }

    fn connected(&self) -> bool {
        Address::connected(self)
    }
}

/// An address erased to one notification type: any actor that takes `M`. Made by
/// [`Address::notify_recipient`]. Keeps the actor alive like an address.
pub struct NotifyRecipient<M> {
    target: Arc<dyn NotifyTarget<M>>,
}

impl<M: Send + 'static> NotifyRecipient<M> {
    pub(crate) fn new<A: Notifiable<M>>(address: Address<A>) -> Self {
        Self {
            target: Arc::new(address),
        }
    }

    /// Queues a notification, as [`Address::notify`].
    ///
    /// # Errors
    ///
    /// As [`Address::notify`].
    ///
    /// # Cancel safety
    ///
    /// As [`Address::notify`].
    pub async fn notify(&self, message: M) -> Result<(), SendError> {
        self.target.notify(message).await
    }

    /// Queues a notification without waiting for room, as [`Address::try_notify`].
    ///
    /// # Errors
    ///
    /// As [`Address::try_notify`]: the message comes back when the mailbox is full or
    /// the actor stopped.
    pub fn try_notify(&self, message: M) -> Result<(), TrySendError<M>> {
        self.target.try_notify(message)
    }

    /// The identity of the actor behind this recipient.
    pub fn id(&self) -> ActorId {
        self.target.id()
    }

    /// Whether the actor still accepts messages.
    pub fn connected(&self) -> bool {
        self.target.connected()
    }
}

macro_rules! common_impls {
    ($name:ident < $($param:ident),* >) => {
        impl<$($param),*> Clone for $name<$($param),*> {
            fn clone(&self) -> Self {
                Self { target: Arc::clone(&self.target) }
            }
        }

        impl<$($param),*> fmt::Debug for $name<$($param),*> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("message", &std::any::type_name::<M>())
                    .field("id", &self.target.id())
                    .finish()
            }
        }

        impl<$($param),*> PartialEq for $name<$($param),*> {
            fn eq(&self, other: &Self) -> bool {
                self.target.id() == other.target.id()
            }
        }

        impl<$($param),*> Eq for $name<$($param),*> {}

        impl<$($param),*> std::hash::Hash for $name<$($param),*> {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.target.id().hash(state);
            }
        }
    };
}

common_impls!(Recipient<M, R>);
common_impls!(NotifyRecipient<M>);
