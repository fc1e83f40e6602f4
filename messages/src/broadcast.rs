//! [`Broadcast`]: one notification to a group of recipients.

use std::fmt;

use crate::{ActorId, NotifyRecipient, TrySendError};

/// A group of actors that each get a clone of every broadcast notification: chat rooms,
/// subscribers, fan-out. Members of any actor type join through a [`NotifyRecipient`].
/// Members that have stopped leave the group on the next broadcast.
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
/// let mut room = Broadcast::new();
/// room.add(alice.address().notify_recipient());
/// room.add(bob.address().notify_recipient());
/// assert_eq!(room.notify("hello".to_owned()).await, 2);
/// drop(room); // the last addresses: both inboxes stop after their backlog
/// let (alice, bob) = futures::join!(alice.run(Inbox::default()), bob.run(Inbox::default()));
/// assert_eq!(alice.actor.0, ["hello"]);
/// assert_eq!(bob.actor.0, ["hello"]);
/// # });
/// ```
pub struct Broadcast<M> {
    members: Vec<NotifyRecipient<M>>,
}

impl<M: Clone + Send + 'static> Broadcast<M> {
    /// An empty group.
    pub fn new() -> Self {
        Self {
            members: Vec::new(),
        }
    }

    /// Adds a member; an actor already in the group is not added twice.
    pub fn add(&mut self, member: NotifyRecipient<M>) {
        if !self.members.iter().any(|known| known.id() == member.id()) {
            self.members.push(member);
        }
    }

    /// Removes the member with this id; returns whether it was there.
    pub fn remove(&mut self, id: ActorId) -> bool {
        let before = self.members.len();
        self.members.retain(|member| member.id() != id);
        self.members.len() != before
    }

    /// How many members the group has.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether the group has no member.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The members' ids, in the order they joined.
    pub fn ids(&self) -> impl Iterator<Item = ActorId> + '_ {
        self.members.iter().map(NotifyRecipient::id)
    }

    /// Sends a clone of `message` to every member and returns how many accepted it.
    ///
    /// Members with room get it at once; then the call waits for room at the members
    /// whose mailbox was full, one after the other. Members that have stopped are
    /// removed from the group. Every member gets the group's notifications in the order
    /// they were broadcast.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future may leave the notification delivered to some members only.
    pub async fn notify(&mut self, message: M) -> usize {
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
        for (member, copy) in waiting {
            if member.notify(copy).await.is_ok() {
                delivered += 1;
            } else {
                self.remove(member.id());
            }
        }
        delivered
    }

    /// Sends a clone of `message` to every member with room, without waiting; returns
    /// how many accepted it. Members that have stopped are removed; members whose
    /// mailbox is full miss this notification.
    pub fn try_notify(&mut self, message: M) -> usize {
        let mut delivered = 0;
        self.members
            .retain(|member| match member.try_notify(message.clone()) {
                Ok(()) => {
                    delivered += 1;
                    true
                }
                Err(TrySendError::Full(_)) => true,
                Err(_) => false,
            });
        delivered
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
        f.debug_struct("Broadcast")
            .field("message", &std::any::type_name::<M>())
            .field("members", &self.members.len())
            .finish()
    }
}
