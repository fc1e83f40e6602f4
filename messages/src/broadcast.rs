//! [`Broadcast`]: one notification to a group of actors, which it holds weakly unless
//! told otherwise; [`PartialDelivery`]: the live members a notification missed.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::{ActorId, Address, Notifiable, NotifyRecipient, SendError, TrySendError, WeakAddress};

type NotifyFuture<'a> = Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>>;

/// A member held through a weak address: any actor that takes `M`, whatever its type.
trait WeakMember<M>: Send + Sync {
    fn id(&self) -> ActorId;
    fn live(&self) -> bool;
    fn try_notify(&self, message: M) -> Result<(), TrySendError<M>>;
    /// Holds a strong address only until the notification is queued or refused.
    fn notify(&self, message: M) -> NotifyFuture<'_>;
}

impl<A: Notifiable<M>, M: Send + 'static> WeakMember<M> for WeakAddress<A> {
    fn id(&self) -> ActorId {
        WeakAddress::id(self)
    }

    fn live(&self) -> bool {
        self.upgrade().is_some_and(|address| address.connected())
    }

    fn try_notify(&self, message: M) -> Result<(), TrySendError<M>> {
        match self.upgrade() {
            Some(address) => address.try_notify(message),
            None => Err(TrySendError::Stopped(message)),
        }
    }

    fn notify(&self, message: M) -> NotifyFuture<'_> {
        let address = self.upgrade();
        Box::pin(async move {
            match address {
                Some(address) => address.notify(message).await,
                None => Err(SendError::Stopped),
            }
        })
    }
}

/// One member of a broadcast, and how the broadcast holds it.
enum Member<M> {
    /// Does not keep the actor alive ([`Broadcast::add`]).
    Weak(Arc<dyn WeakMember<M>>),
    /// Keeps the actor alive while it is a member ([`Broadcast::add_strong`]).
    Strong(NotifyRecipient<M>),
}

impl<M: Send + 'static> Member<M> {
    fn id(&self) -> ActorId {
        match self {
            Self::Weak(member) => member.id(),
            Self::Strong(member) => member.id(),
        }
    }

    /// Whether the actor can still be reached and takes messages.
    fn live(&self) -> bool {
        match self {
            Self::Weak(member) => member.live(),
            Self::Strong(member) => member.connected(),
        }
    }

    fn try_notify(&self, message: M) -> Result<(), TrySendError<M>> {
        match self {
            Self::Weak(member) => member.try_notify(message),
            Self::Strong(member) => member.try_notify(message),
        }
    }

    async fn notify(&self, message: M) -> Result<(), SendError> {
        match self {
            Self::Weak(member) => member.notify(message).await,
            Self::Strong(member) => member.notify(message).await,
        }
    }
}

impl<M> Clone for Member<M> {
    fn clone(&self) -> Self {
        match self {
            Self::Weak(member) => Self::Weak(Arc::clone(member)),
            Self::Strong(member) => Self::Strong(member.clone()),
        }
    }
}

/// A group of actors that each get a clone of every broadcast notification: chat rooms,
/// subscribers, fan-out. Members of any actor type that takes `M` mix in one group.
///
/// # Membership
///
/// - **Weak by default.** [`add`](Broadcast::add) holds a member through a
///   [`WeakAddress`]: the broadcast never keeps it alive. Once the member stops, or its
///   every address is gone (it then stops after its backlog, like any actor), it has
///   left: it is no longer counted, gets nothing more, and is dropped from the group at
///   the next broadcast.
/// - **Strong on request.** [`add_strong`](Broadcast::add_strong) makes the broadcast
///   own the member, like an address: it stays alive while it is a member, and leaves
///   only when it stops (by itself, a [`stop`](Address::stop) or a
///   [`kill`](Address::kill)) or is [`remove`](Broadcast::remove)d, or the broadcast
///   (with its clones) is dropped. An actor that keeps a broadcast in which it is a
///   strong member keeps itself alive: add it weakly.
/// - [`len`](Broadcast::len), [`is_empty`](Broadcast::is_empty) and
///   [`ids`](Broadcast::ids) see the **live** members only (asked one by one, so each
///   call is linear in the group's size).
/// - A clone of a broadcast has the same members, held the same way, and then changes
///   on its own.
///
/// # Delivery
///
/// A notification is *delivered* to a member when its mailbox accepts it; from there it
/// has the fate of every queued notification (a member that stops gracefully before
/// handling it reports it as undelivered to [`Actor::undelivered`](crate::Actor::undelivered)).
/// A member that has stopped or accepted a stop refuses it and leaves the group: it is
/// neither delivered nor missed. No notification is lost to a live member without the
/// caller being told: [`notify`](Broadcast::notify) waits for room at full mailboxes,
/// [`try_notify`](Broadcast::try_notify) does not and names the members it missed in a
/// [`PartialDelivery`]. Every member gets the group's notifications in the order they
/// were broadcast.
///
/// ```
/// use messages::prelude::*;
/// use messages::Broadcast;
///
/// #[derive(Default)]
/// struct Inbox(Vec<String>);
/// impl Actor for Inbox {}
/// impl Notifiable<String> for Inbox {
///     async fn notify(&mut self, line: String, _: &Context<Self>) {
///         self.0.push(line);
///     }
/// }
///
/// # futures::executor::block_on(async {
/// let (alice, bob) = (Context::new(), Context::new());
/// let (alice_address, bob_address) = (alice.address(), bob.address());
/// let mut room = Broadcast::new();
/// room.add(&alice_address);
/// room.add(&bob_address);
/// assert_eq!(room.notify("hello".to_owned()).await, Ok(2));
/// // The room holds its members weakly: with their addresses dropped, both inboxes
/// // stop once they have handled their backlog, and leave the room.
/// drop((alice_address, bob_address));
/// let (alice, bob) = futures::join!(alice.run(Inbox::default()), bob.run(Inbox::default()));
/// assert_eq!(alice.actor.0, ["hello"]);
/// assert_eq!(bob.actor.0, ["hello"]);
/// assert!(room.is_empty());
/// assert_eq!(room.notify("anyone?".to_owned()).await, Ok(0));
/// # });
/// ```
pub struct Broadcast<M> {
    members: Vec<Member<M>>,
}

impl<M: Clone + Send + 'static> Broadcast<M> {
    /// An empty group.
    pub fn new() -> Self {
        Self {
            members: Vec::new(),
        }
    }

    /// Adds a member, held weakly: the broadcast does not keep it alive, and it leaves
    /// by itself when it stops or its every address is gone. Returns whether the actor
    /// was new to the group; an actor already in it is not added twice (and a strong
    /// member stays strong).
    ///
    /// Takes any address of the actor, typed addresses from `#[actor]` included.
    pub fn add<A: Notifiable<M>>(&mut self, member: &Address<A>) -> bool {
        let id = member.id();
        if self.members.iter().any(|known| known.id() == id) {
            return false;
        }
        self.members
            .push(Member::Weak(Arc::new(member.downgrade())));
        true
    }

    /// Adds a member the broadcast owns: it stays alive while it is a member, as if the
    /// broadcast held one of its addresses. Returns whether the actor was new to the
    /// group; a weak member becomes strong (and keeps its place).
    pub fn add_strong(&mut self, member: NotifyRecipient<M>) -> bool {
        match self
            .members
            .iter_mut()
            .find(|known| known.id() == member.id())
        {
            Some(known) => {
                *known = Member::Strong(member);
                false
            }
            None => {
                self.members.push(Member::Strong(member));
                true
            }
        }
    }

    /// Removes the actor with this id; returns whether it was a live member.
    pub fn remove(&mut self, id: ActorId) -> bool {
        match self.members.iter().position(|member| member.id() == id) {
            Some(index) => self.members.remove(index).live(),
            None => false,
        }
    }

    /// How many live members the group has: members that have stopped, or whose every
    /// address is gone, are not counted.
    pub fn len(&self) -> usize {
        self.members.iter().filter(|member| member.live()).count()
    }

    /// Whether the group has no live member.
    pub fn is_empty(&self) -> bool {
        !self.members.iter().any(Member::live)
    }

    /// The live members' ids, in the order they joined.
    pub fn ids(&self) -> impl Iterator<Item = ActorId> + '_ {
        self.members
            .iter()
            .filter(|member| member.live())
            .map(Member::id)
    }

    /// Sends a clone of `message` to every live member and returns to how many it was
    /// delivered; members that have left are dropped from the group.
    ///
    /// Members with room get it at once; then the call waits for room at the members
    /// whose mailbox was full, one after the other (holding each weak member alive only
    /// until its copy is queued).
    ///
    /// # Errors
    ///
    /// [`PartialDelivery`] when a live member could not be waited for: the call runs
    /// inside an actor that this member's room depends on, where waiting would deadlock
    /// ([`SendError::WouldDeadlock`]). The member stays in the group.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future may leave the notification delivered to some members only;
    /// a copy that was waiting for room is not queued.
    pub async fn notify(&mut self, message: M) -> Result<usize, PartialDelivery> {
        let mut delivered = 0;
        let mut waiting = Vec::new();
        self.members
            .retain(|member| match member.try_notify(message.clone()) {
                Ok(()) => {
                    delivered += 1;
                    true
                }
                Err(TrySendError::Full(copy)) => {
                    waiting.push((member.clone(), copy));
                    true
                }
                Err(_) => false,
            });
        let mut missed = Vec::new();
        for (member, copy) in waiting {
            match member.notify(copy).await {
                Ok(()) => delivered += 1,
                Err(SendError::WouldDeadlock) => missed.push(member.id()),
                Err(_) => {
                    self.remove(member.id());
                }
            }
        }
        PartialDelivery::check(delivered, missed)
    }

    /// Sends a clone of `message` to every live member with room, without waiting;
    /// returns to how many it was delivered. Members that have left are dropped from
    /// the group.
    ///
    /// # Errors
    ///
    /// [`PartialDelivery`] naming the members whose mailbox was full: they miss this
    /// notification (and stay in the group). Send to them again, or use
    /// [`notify`](Broadcast::notify), which waits for room.
    pub fn try_notify(&mut self, message: M) -> Result<usize, PartialDelivery> {
        let mut delivered = 0;
        let mut missed = Vec::new();
        self.members
            .retain(|member| match member.try_notify(message.clone()) {
                Ok(()) => {
                    delivered += 1;
                    true
                }
                Err(TrySendError::Full(_)) => {
                    missed.push(member.id());
                    true
                }
                Err(_) => false,
            });
        PartialDelivery::check(delivered, missed)
    }
}

impl<M: Clone + Send + 'static> Default for Broadcast<M> {
    fn default() -> Self {
        Self::new()
    }
}

impl<M> Clone for Broadcast<M> {
    fn clone(&self) -> Self {
        Self {
            members: self.members.clone(),
        }
    }
}

impl<M> fmt::Debug for Broadcast<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let strong = self
            .members
            .iter()
            .filter(|member| matches!(member, Member::Strong(_)))
            .count();
        f.debug_struct("Broadcast")
            .field("message", &std::any::type_name::<M>())
            .field("held", &self.members.len())
            .field("strong", &strong)
            .finish()
    }
}

/// A broadcast notification missed some live members: it was delivered to
/// [`delivered`](PartialDelivery::delivered) members, and not to the
/// [`missed`](PartialDelivery::missed) ones, which are still in the group. Returned by
/// [`Broadcast::try_notify`] (full mailboxes) and [`Broadcast::notify`] (a wait for room
/// that would deadlock).
///
/// ```
/// use messages::prelude::*;
/// use messages::Broadcast;
///
/// struct Sink;
/// impl Actor for Sink {}
/// impl Notifiable<u8> for Sink {
///     async fn notify(&mut self, _: u8, _: &Context<Self>) {}
/// }
///
/// let (roomy, tight) = (Context::<Sink>::new(), Context::<Sink>::with_capacity(1).unwrap());
/// let (roomy, tight) = (roomy.address(), tight.address());
/// let mut group = Broadcast::new();
/// group.add(&roomy);
/// group.add(&tight);
/// assert_eq!(group.try_notify(1), Ok(2));
/// // Nothing runs the actors: `tight` is full now.
/// let missed = group.try_notify(2).unwrap_err();
/// assert_eq!(missed.delivered(), 1);
/// assert_eq!(missed.missed(), [tight.id()]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartialDelivery {
    delivered: usize,
    missed: Vec<ActorId>,
}

impl PartialDelivery {
    /// `Ok(delivered)` when no live member was missed.
    fn check(delivered: usize, missed: Vec<ActorId>) -> Result<usize, Self> {
        if missed.is_empty() {
            Ok(delivered)
        } else {
            Err(Self { delivered, missed })
        }
    }

    /// To how many members the notification was delivered.
    pub fn delivered(&self) -> usize {
        self.delivered
    }

    /// The live members that did not get it, in the order they joined.
    pub fn missed(&self) -> &[ActorId] {
        &self.missed
    }
}

impl fmt::Display for PartialDelivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the broadcast was delivered to {} members and missed {} live ones",
            self.delivered,
            self.missed.len()
        )
    }
}

impl std::error::Error for PartialDelivery {}
