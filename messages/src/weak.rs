//! [`WeakAddress`]: an address that does not keep its actor alive.

use std::fmt;

use crate::cell::{ActorCell, WeakSender};
use crate::{Actor, ActorId, Address};

/// An address that does not keep the actor alive: it [`upgrade`](WeakAddress::upgrade)s
/// to an [`Address`] while some address (or the unstarted context) still exists.
///
/// Use it where holding a strong address would keep an actor alive by accident: a
/// registry, a cache of peers, an actor that remembers who it talks to.
///
/// ```
/// use messages::prelude::*;
///
/// struct Quiet;
/// impl Actor for Quiet {}
///
/// # futures::executor::block_on(async {
/// let context = Context::new();
/// let address = context.address();
/// let weak = address.downgrade();
/// assert_eq!(weak.upgrade().as_ref(), Some(&address));
/// drop(address);
/// context.run(Quiet).await; // no address left: the actor stops at once
/// assert!(weak.upgrade().is_none());
/// # });
/// ```
pub struct WeakAddress<A> {
    sender: WeakSender<A>,
}

impl<A: Actor> WeakAddress<A> {
    pub(crate) fn new(sender: WeakSender<A>) -> Self {
        Self { sender }
    }

    /// A strong address, or `None` once every strong address is gone (the actor then
    /// stops, or has stopped).
    pub fn upgrade(&self) -> Option<Address<A>> {
        let sender = self.sender.upgrade()?;
        Some(Address::new(sender))
    }

    /// The identity of the actor.
    pub fn id(&self) -> ActorId {
        self.cell().id
    }
}

impl<A> WeakAddress<A> {
    pub(crate) fn cell(&self) -> &ActorCell<A> {
        self.sender.cell()
    }
}

impl<A> Clone for WeakAddress<A> {
    fn clone(&self) -> Self {
        Self {
            sender: self.sender.clone(),
        }
    }
}

impl<A> PartialEq for WeakAddress<A> {
    fn eq(&self, other: &Self) -> bool {
        self.cell().id == other.cell().id
    }
}

impl<A> Eq for WeakAddress<A> {}

impl<A> std::hash::Hash for WeakAddress<A> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.cell().id.hash(state);
    }
}

impl<A> fmt::Debug for WeakAddress<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WeakAddress")
            .field("actor", &std::any::type_name::<A>())
            .field("id", &self.cell().id)
            .finish()
    }
}
