//! The backlog: a mailbox's items, oldest first, each stored unboxed.
//!
//! An actor takes messages of several types, so its items cannot share one typed
//! buffer. Boxing each one would cost an allocation per message; instead every item
//! type gets a lane of its own (a `VecDeque` of that type, made when the first item of
//! the type arrives) and the backlog keeps the order across lanes as a list of lane
//! numbers. Sending a message costs a slot in its lane and four bytes in the order, and
//! no allocation once the buffers have grown. While there is one lane (an actor that
//! has had one type of item so far, the common case) every item is in it and the order
//! is not kept: a push and a pop each touch one buffer fewer. A lane is of one of the
//! three kinds of item (see `envelope.rs`), and the loop takes an item the way its
//! kind is taken. Safe code throughout: the typed lane is found with
//! `Any::downcast_mut`.

use std::any::{Any, TypeId};
use std::collections::VecDeque;

use crate::Context;
use crate::envelope::{
    CloneEnvelope, Control, DelegateEnvelope, HandleFuture, Kind, Message, NotifyEnvelope, Read,
    ReadEnvelope, ReadFuture, RequestEnvelope, handled,
};
use crate::queue::{Holds, KEPT_SLOTS, Put, Store};
use crate::{Actor, Delegate, Handler, Notifiable, ReadHandler};

/// Anything a mailbox carries: a [`Message`], a [`Read`] or a [`Control`] item. Its
/// kind decides the lane its type is kept in, and so how the loop takes it.
pub(crate) trait Item<A>: Send + Sized + 'static {
    /// A lane for items of this type, holding `self`.
    fn new_lane(self) -> Items<A>;

    /// The items of `lane`, when it is a lane of this type.
    fn typed(lane: &mut Items<A>) -> Option<&mut VecDeque<Self>>;
}

impl<A: Handler<M>, M: Send + 'static> Item<A> for RequestEnvelope<A, M> {
    fn new_lane(self) -> Items<A> {
        message_lane(self)
    }

    fn typed(lane: &mut Items<A>) -> Option<&mut VecDeque<Self>> {
        typed_messages(lane)
    }
}

impl<A: Delegate<M>, M: Send + 'static> Item<A> for DelegateEnvelope<A, M> {
    fn new_lane(self) -> Items<A> {
        message_lane(self)
    }

    fn typed(lane: &mut Items<A>) -> Option<&mut VecDeque<Self>> {
        typed_messages(lane)
    }
}

impl<A: Notifiable<M>, M: Send + 'static> Item<A> for NotifyEnvelope<M> {
    fn new_lane(self) -> Items<A> {
        message_lane(self)
    }

    fn typed(lane: &mut Items<A>) -> Option<&mut VecDeque<Self>> {
        typed_messages(lane)
    }
}

impl<A: Actor + Clone> Item<A> for CloneEnvelope<A> {
    fn new_lane(self) -> Items<A> {
        message_lane(self)
    }

    fn typed(lane: &mut Items<A>) -> Option<&mut VecDeque<Self>> {
        typed_messages(lane)
    }
}

/// [`Item::new_lane`] for a message type: a lane of messages.
fn message_lane<A: 'static, M: Message<A> + Item<A>>(first: M) -> Items<A> {
    Items::Messages(Box::new(Typed(VecDeque::from([first]))))
}

/// [`Item::typed`] for a message type.
#[inline(always)]
fn typed_messages<A: 'static, M: Message<A> + Item<A>>(
    lane: &mut Items<A>,
) -> Option<&mut VecDeque<M>> {
    let Items::Messages(items) = lane else {
        return None;
    };
    let items: &mut dyn Any = &mut **items;
    Some(&mut items.downcast_mut::<Typed<M>>()?.0)
}

impl<A: ReadHandler<M>, M: Send + 'static> Item<A> for ReadEnvelope<A, M> {
    fn new_lane(self) -> Items<A> {
        Items::Reads(Box::new(Typed(VecDeque::from([self]))))
    }

    fn typed(lane: &mut Items<A>) -> Option<&mut VecDeque<Self>> {
        let Items::Reads(items) = lane else {
            return None;
        };
        let items: &mut dyn Any = &mut **items;
        Some(&mut items.downcast_mut::<Typed<Self>>()?.0)
    }
}

impl<A> Item<A> for Control {
    fn new_lane(self) -> Items<A> {
        Items::Control(VecDeque::from([self]))
    }

    fn typed(lane: &mut Items<A>) -> Option<&mut VecDeque<Self>> {
        match lane {
            Items::Control(items) => Some(items),
            _ => None,
        }
    }
}

/// The items of one lane, oldest first, erased to what their kind needs. (An explicit
/// tag: a push matches on it.)
#[repr(u8)]
pub(crate) enum Items<A> {
    /// The loop's own items (one lane holds all of them).
    Control(VecDeque<Control>),
    /// Messages of one type.
    Messages(Box<dyn Messages<A>>),
    /// Read-only requests of one type.
    Reads(Box<dyn Reads<A>>),
}

impl<A: 'static> Items<A> {
    /// What every item of the lane is.
    fn kind(&self) -> Kind {
        match self {
            Self::Control(_) => Kind::Control,
            Self::Messages(items) => Kind::Message {
                notification: items.is_notification(),
            },
            Self::Reads(_) => Kind::Read,
        }
    }

    /// Takes the oldest item and drops it.
    fn skip(&mut self) {
        match self {
            Self::Control(items) => drop(items.pop_front()),
            Self::Messages(items) => items.skip(),
            Self::Reads(items) => items.skip(),
        }
    }

    /// Moves the oldest item to the back of `to`.
    fn move_front(&mut self, to: &mut Backlog<A>) {
        match self {
            Self::Control(items) => {
                if let Some(item) = items.pop_front() {
                    to.push(item);
                }
            }
            Self::Messages(items) => items.move_front(to),
            Self::Reads(items) => items.move_front(to),
        }
    }
}

/// A lane of messages of one type, erased (and `Any`, for the typed push to find its
/// `Typed<M>`). Every method works on the oldest item.
pub(crate) trait Messages<A>: Any + Send {
    /// Whether no one waits for these messages' answers.
    fn is_notification(&self) -> bool;

    fn skip(&mut self);

    fn move_front(&mut self, to: &mut Backlog<A>);

    fn handle<'a>(&mut self, actor: &'a mut A, ctx: &'a Context<A>) -> HandleFuture<'a>;

    #[cfg(feature = "tracing")]
    fn message_type(&self) -> &'static str;
}

/// A lane of read-only requests of one type, erased (and `Any`, as [`Messages`]).
pub(crate) trait Reads<A>: Any + Send {
    fn skip(&mut self);

    fn move_front(&mut self, to: &mut Backlog<A>);

    fn share<'a>(&self, actor: &'a A) -> &'a (dyn Any + Send + Sync);

    fn read<'a>(
        &mut self,
        actor: &'a (dyn Any + Send + Sync),
        ctx: &'a Context<A>,
    ) -> Option<ReadFuture<'a>>;
}

/// The items of a lane of type `I`.
struct Typed<I>(VecDeque<I>);

impl<A: 'static, M: Message<A> + Item<A>> Messages<A> for Typed<M> {
    fn is_notification(&self) -> bool {
        M::NOTIFICATION
    }

    fn skip(&mut self) {
        self.0.pop_front();
    }

    fn move_front(&mut self, to: &mut Backlog<A>) {
        if let Some(item) = self.0.pop_front() {
            to.push(item);
        }
    }

    fn handle<'a>(&mut self, actor: &'a mut A, ctx: &'a Context<A>) -> HandleFuture<'a> {
        match self.0.pop_front() {
            Some(message) => message.handle(actor, ctx),
            None => handled(Ok(())),
        }
    }

    #[cfg(feature = "tracing")]
    fn message_type(&self) -> &'static str {
        self.0.front().map_or("", Message::message_type)
    }
}

impl<A: 'static, R: Read<A> + Item<A>> Reads<A> for Typed<R> {
    fn skip(&mut self) {
        self.0.pop_front();
    }

    fn move_front(&mut self, to: &mut Backlog<A>) {
        if let Some(item) = self.0.pop_front() {
            to.push(item);
        }
    }

    fn share<'a>(&self, actor: &'a A) -> &'a (dyn Any + Send + Sync) {
        R::share(actor)
    }

    fn read<'a>(
        &mut self,
        actor: &'a (dyn Any + Send + Sync),
        ctx: &'a Context<A>,
    ) -> Option<ReadFuture<'a>> {
        Some(self.0.pop_front()?.read(actor, ctx))
    }
}

/// A lane's place in [`Backlog::lanes`].
type LaneNumber = u32;

/// A mailbox's items, oldest first, whatever their types.
pub(crate) struct Backlog<A> {
    /// How many items it holds.
    len: usize,
    /// The lane of every item, oldest first; kept from the second lane on (with one
    /// lane, every item is in it).
    order: VecDeque<LaneNumber>,
    /// One lane per item type seen so far, in the order the types first came. (A boxed
    /// slice, 8 bytes smaller than a `Vec`: a lane is added a handful of times in an
    /// actor's life.)
    lanes: Box<[Lane<A>]>,
}

struct Lane<A> {
    /// The type of the items in `items`, to find the lane without a call through it.
    item_type: TypeId,
    /// What every item of the lane is, to know it without a look at the items.
    kind: Kind,
    items: Items<A>,
}

impl<A> Default for Backlog<A> {
    fn default() -> Self {
        Self {
            len: 0,
            order: VecDeque::new(),
            lanes: Box::default(),
        }
    }
}

impl<A: 'static> Store for Backlog<A> {
    fn len(&self) -> usize {
        self.len
    }

    fn move_front(&mut self, to: &mut Self) {
        if let Some(items) = self.take_front_lane(|_| true) {
            items.move_front(to);
        }
    }

    fn is_oversized(&self) -> bool {
        // A lane never holds more items than the backlog does, and the order's buffer
        // grows with the backlog (in step once kept, see `push` before), so it says
        // how large the lanes' grew without a look at them.
        self.order.capacity() > KEPT_SLOTS
    }
}

impl<A: 'static, I: Item<A>> Holds<I> for Backlog<A> {
    #[inline(always)]
    fn push(&mut self, item: I) {
        let item_type = TypeId::of::<I>();
        for (number, lane) in self.lanes.iter_mut().enumerate() {
            if lane.item_type != item_type {
                continue;
            }
            if let Some(typed) = I::typed(&mut lane.items) {
                typed.push_back(item);
                self.len += 1;
                if self.lanes.len() > 1 {
                    self.order.push_back(number as LaneNumber);
                } else if self.len > KEPT_SLOTS && self.order.capacity() <= KEPT_SLOTS {
                    // One lane, grown past the kept size: the order's buffer is
                    // grown too, as the witness `is_oversized` reads (once per
                    // large backlog; the whole backlog is replaced once drained).
                    self.order.reserve_exact(self.len);
                }
                return;
            }
        }
        self.push_to_new_lane(item);
    }
}

impl<A: 'static> Backlog<A> {
    /// The first item of its type: a lane of its own. An actor has a handful of
    /// message types, far fewer than a lane number can count.
    #[cold]
    fn push_to_new_lane<I: Item<A>>(&mut self, item: I) {
        let number = self.lanes.len() as LaneNumber;
        if number == 1 {
            // The second lane: from now on the order is kept, and so far every item
            // was in the first lane.
            self.order.extend(std::iter::repeat_n(0, self.len));
        }
        // Room for exactly one more lane: the list is boxed again without shrinking.
        let mut lanes = std::mem::take(&mut self.lanes).into_vec();
        lanes.reserve_exact(1);
        let items = item.new_lane();
        lanes.push(Lane {
            item_type: TypeId::of::<I>(),
            kind: items.kind(),
            items,
        });
        self.lanes = lanes.into_boxed_slice();
        self.len += 1;
        if number > 0 {
            self.order.push_back(number);
        }
    }

    /// Whether it holds no item.
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The lane number of the oldest item.
    #[inline(always)]
    fn front_number(&self) -> Option<usize> {
        if self.len == 0 {
            return None;
        }
        if self.lanes.len() == 1 {
            return Some(0);
        }
        self.order.front().map(|&number| number as usize)
    }

    /// The lane of the oldest item.
    #[inline(always)]
    fn front(&self) -> Option<&Lane<A>> {
        self.lanes.get(self.front_number()?)
    }

    /// What the oldest item is, without taking it.
    #[inline(always)]
    pub(crate) fn next(&self) -> Option<Kind> {
        Some(self.front()?.kind)
    }

    /// The lane of the oldest item, whose place in the order is taken, when the item is
    /// of the kind `is` accepts: the caller takes the item itself from the lane.
    #[inline(always)]
    fn take_front_lane(&mut self, is: impl FnOnce(Kind) -> bool) -> Option<&mut Items<A>> {
        let number = self.front_number()?;
        if !is(self.lanes.get(number)?.kind) {
            return None;
        }
        if self.lanes.len() > 1 {
            self.order.pop_front();
        }
        self.len -= 1;
        Some(&mut self.lanes.get_mut(number)?.items)
    }

    /// Takes the oldest item when it is of type `I`; `None` (and nothing taken) for
    /// any other (a [`Proxy`](crate::proxy::Proxy) takes its items out this way).
    pub(crate) fn take_front_as<I: Item<A>>(&mut self) -> Option<I> {
        let number = self.front_number()?;
        let lane = self.lanes.get_mut(number)?;
        if lane.item_type != TypeId::of::<I>() {
            return None;
        }
        let item = I::typed(&mut lane.items)?.pop_front()?;
        if self.lanes.len() > 1 {
            self.order.pop_front();
        }
        self.len -= 1;
        Some(item)
    }

    /// Takes the oldest item and drops it (a message refused when the actor stops).
    pub(crate) fn skip(&mut self) {
        if let Some(items) = self.take_front_lane(|_| true) {
            items.skip();
        }
    }

    /// The oldest item, when it is a control item, without taking it.
    pub(crate) fn peek_control(&self) -> Option<Control> {
        match &self.front()?.items {
            Items::Control(items) => items.front().copied(),
            _ => None,
        }
    }

    /// Takes the oldest item, a control item; `None` (and nothing taken) for any other
    /// item.
    pub(crate) fn take_control(&mut self) -> Option<Control> {
        match self.take_front_lane(|kind| kind == Kind::Control)? {
            Items::Control(items) => items.pop_front(),
            _ => None,
        }
    }

    /// Takes the oldest item, a message, and returns the future that handles it
    /// (built where the caller keeps it: the future is not moved on the way out). The
    /// caller saw a message first in line ([`next`](Backlog::next)); for any other
    /// item, nothing is taken and the future does nothing.
    #[inline(always)]
    pub(crate) fn handle<'a>(&mut self, actor: &'a mut A, ctx: &'a Context<A>) -> HandleFuture<'a> {
        let message = |kind| matches!(kind, Kind::Message { .. });
        match self.take_front_lane(message) {
            Some(Items::Messages(items)) => items.handle(actor, ctx),
            _ => handled(Ok(())),
        }
    }

    /// For the oldest item, a read-only request: the actor erased to what its read
    /// handler takes (see [`Read::share`]); `None` for any other item.
    pub(crate) fn share<'a>(&self, actor: &'a A) -> Option<&'a (dyn Any + Send + Sync)> {
        match &self.front()?.items {
            Items::Reads(items) => Some(items.share(actor)),
            _ => None,
        }
    }

    /// Takes the oldest item, a read-only request, and returns the future that reads;
    /// `None` (and nothing taken) for any other item.
    pub(crate) fn read<'a>(
        &mut self,
        actor: &'a (dyn Any + Send + Sync),
        ctx: &'a Context<A>,
    ) -> Option<ReadFuture<'a>> {
        match self.take_front_lane(|kind| kind == Kind::Read)? {
            Items::Reads(items) => items.read(actor, ctx),
            _ => None,
        }
    }

    /// The oldest item's message type, for the `message` span.
    #[cfg(feature = "tracing")]
    pub(crate) fn message_type(&self) -> &'static str {
        match &self.front().map(|lane| &lane.items) {
            Some(Items::Messages(items)) => items.message_type(),
            _ => "",
        }
    }
}

/// The oldest item of a backlog, on its way to another one: pushing it moves the item,
/// unboxed, to the back of the backlog it is pushed to (a worker pool hands each item
/// on to a worker so, whatever its type).
pub(crate) struct FrontOf<'a, A>(pub(crate) &'a mut Backlog<A>);

impl<A: 'static> Put<Backlog<A>> for FrontOf<'_, A> {
    fn put(self, backlog: &mut Backlog<A>) {
        Store::move_front(self.0, backlog);
    }
}

/// One item in a box of its own: how a priority notification waits in the priority
/// lane (rare enough that its allocation does not matter) until the loop moves it into
/// a backlog of its own.
pub(crate) struct Envelope<A>(Box<dyn Boxed<A>>);

impl<A: 'static> Envelope<A> {
    pub(crate) fn new(item: impl Item<A>) -> Self {
        Self(Box::new(item))
    }

    /// Moves the item, unboxed, to the back of `backlog`.
    pub(crate) fn push_into(self, backlog: &mut Backlog<A>) {
        self.0.push_into(backlog);
    }
}

trait Boxed<A>: Send {
    fn push_into(self: Box<Self>, backlog: &mut Backlog<A>);
}

impl<A: 'static, I: Item<A>> Boxed<A> for I {
    fn push_into(self: Box<Self>, backlog: &mut Backlog<A>) {
        Holds::push(backlog, *self);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::{Backlog, Holds, Item, Items, KEPT_SLOTS, Store, message_lane, typed_messages};
    use crate::envelope::{Control, HandleFuture, Kind, Message, handled};
    use crate::{Actor, Context};

    /// Records the numbers of the messages it handles.
    #[derive(Default)]
    struct Probe(Vec<u64>);

    impl Actor for Probe {}

    /// Messages of two types (a notification, a request) that hand their number to the
    /// probe, so a test can read the order back, and count their drops.
    struct Numbered<const NOTIFICATION: bool>(u64, Option<Arc<AtomicUsize>>);

    type Red = Numbered<true>;
    type Blue = Numbered<false>;

    impl<const NOTIFICATION: bool> Message<Probe> for Numbered<NOTIFICATION> {
        const NOTIFICATION: bool = NOTIFICATION;

        fn handle<'a>(self, actor: &'a mut Probe, _: &'a Context<Probe>) -> HandleFuture<'a> {
            actor.0.push(self.0);
            handled(Ok(()))
        }

        #[cfg(feature = "tracing")]
        fn message_type(&self) -> &'static str {
            "numbered"
        }
    }

    impl<const NOTIFICATION: bool> Item<Probe> for Numbered<NOTIFICATION> {
        fn new_lane(self) -> Items<Probe> {
            message_lane(self)
        }

        fn typed(lane: &mut Items<Probe>) -> Option<&mut std::collections::VecDeque<Self>> {
            typed_messages(lane)
        }
    }

    impl<const NOTIFICATION: bool> Drop for Numbered<NOTIFICATION> {
        fn drop(&mut self) {
            if let Some(drops) = &self.1 {
                drops.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    fn red(n: u64) -> Red {
        Numbered(n, None)
    }

    fn blue(n: u64) -> Blue {
        Numbered(n, None)
    }

    /// Handles every message, oldest first, and returns their numbers; an idle check
    /// shows as its count plus 1000.
    fn drain(backlog: &mut Backlog<Probe>) -> Vec<u64> {
        let context = Context::new();
        let mut probe = Probe::default();
        while let Some(next) = backlog.next() {
            match next {
                Kind::Message { .. } => drop(backlog.handle(&mut probe, &context)),
                Kind::Control => match backlog.take_control() {
                    Some(Control::Idle { taken }) => probe.0.push(1000 + taken),
                    other => panic!("unexpected {other:?}"),
                },
                Kind::Read => panic!("no read was pushed"),
            }
        }
        probe.0
    }

    #[test]
    fn items_of_several_types_come_out_in_the_order_they_went_in() {
        let mut backlog = Backlog::<Probe>::default();
        assert_eq!(backlog.next(), None);
        for n in 0..6 {
            if n % 3 == 0 {
                backlog.push(blue(n));
            } else {
                backlog.push(red(n));
            }
        }
        backlog.push(Control::Stop);
        backlog.push(Control::Idle { taken: 7 });
        backlog.push(red(6));
        assert_eq!(Store::len(&backlog), 9);
        // Each kind is what its lane says: a blue message waits for an answer, a red
        // one does not.
        assert_eq!(
            backlog.next(),
            Some(Kind::Message {
                notification: false
            })
        );
        assert!(
            backlog.take_control().is_none(),
            "a message is not taken as control"
        );
        let context = Context::new();
        let mut probe = Probe::default();
        for _ in 0..6 {
            drop(backlog.handle(&mut probe, &context));
        }
        assert_eq!(probe.0, [0, 1, 2, 3, 4, 5]);
        assert_eq!(backlog.next(), Some(Kind::Control));
        assert_eq!(backlog.peek_control(), Some(Control::Stop));
        // The wrong kind of take changes nothing.
        drop(backlog.handle(&mut probe, &context));
        assert!(backlog.read(&(), &context).is_none());
        assert_eq!(probe.0.len(), 6);
        assert_eq!(backlog.take_control(), Some(Control::Stop));
        assert_eq!(drain(&mut backlog), [1007, 6]);
        assert_eq!(backlog.next(), None);
        assert_eq!(Store::len(&backlog), 0);
    }

    #[test]
    fn moving_one_at_a_time_keeps_the_order_whatever_lanes_the_target_has() {
        let mut from = Backlog::<Probe>::default();
        // The target met the types in the other order: its lane numbers differ.
        let mut to = Backlog::<Probe>::default();
        to.push(blue(100));
        to.push(red(101));
        for n in 0..5 {
            if n % 2 == 0 {
                from.push(red(n));
            } else {
                from.push(blue(n));
            }
        }
        while Store::len(&from) > 0 {
            from.move_front(&mut to);
        }
        from.move_front(&mut to); // empty: moves nothing
        assert_eq!(drain(&mut to), [100, 101, 0, 1, 2, 3, 4]);
    }

    #[test]
    fn a_dropped_backlog_drops_every_item_once() {
        let drops = Arc::new(AtomicUsize::new(0));
        let mut backlog = Backlog::<Probe>::default();
        for n in 0..10 {
            backlog.push(Numbered::<false>(n, Some(Arc::clone(&drops))));
            backlog.push(red(n));
        }
        backlog.skip(); // one taken and dropped
        assert_eq!(drops.load(Ordering::Relaxed), 1);
        backlog.push(Control::Wake);
        drop(backlog);
        assert_eq!(drops.load(Ordering::Relaxed), 10);
    }

    #[test]
    fn a_large_backlog_is_oversized_until_replaced() {
        let mut backlog = Backlog::<Probe>::default();
        assert!(!backlog.is_oversized());
        for n in 0..=KEPT_SLOTS as u64 {
            backlog.push(red(n));
        }
        assert!(backlog.is_oversized());
        assert_eq!(drain(&mut backlog).len(), KEPT_SLOTS + 1);
        // Drained, it still holds the large buffer: the queue replaces it.
        assert!(backlog.is_oversized());
    }

    #[test]
    fn a_second_lane_keeps_the_order_of_the_items_before_it() {
        let mut backlog = Backlog::<Probe>::default();
        // One lane: the order is not kept yet.
        for n in 0..3 {
            backlog.push(red(n));
        }
        assert!(backlog.order.is_empty());
        backlog.skip();
        backlog.push(blue(3));
        backlog.push(red(4));
        backlog.push(blue(5));
        assert_eq!(Store::len(&backlog), 5);
        assert_eq!(drain(&mut backlog), [1, 2, 3, 4, 5]);
        assert_eq!(Store::len(&backlog), 0);
        // Emptied, the lanes stay, and so does the kept order.
        backlog.push(blue(6));
        backlog.push(red(7));
        assert_eq!(drain(&mut backlog), [6, 7]);
    }

    #[test]
    fn a_backlog_that_never_grew_past_the_kept_size_is_not_oversized() {
        let mut backlog = Backlog::<Probe>::default();
        for round in 0..4 {
            for n in 0..KEPT_SLOTS as u64 {
                backlog.push(red(n));
            }
            assert!(!backlog.is_oversized(), "round {round}");
            assert_eq!(drain(&mut backlog).len(), KEPT_SLOTS);
        }
    }

    #[test]
    fn a_large_backlog_of_several_lanes_is_oversized_too() {
        let mut backlog = Backlog::<Probe>::default();
        backlog.push(blue(0));
        for n in 1..=KEPT_SLOTS as u64 {
            backlog.push(red(n));
        }
        assert!(backlog.is_oversized());
        assert_eq!(drain(&mut backlog).len(), KEPT_SLOTS + 1);
        assert!(backlog.is_oversized());
        assert!(!Backlog::<Probe>::default().is_oversized());
    }
}
