//! The backlog: a mailbox's items, oldest first, each stored unboxed.
//!
//! An actor takes messages of several types, so its items cannot share one typed
//! buffer. Boxing each one would cost an allocation per message; instead every item
//! type gets a lane of its own (a `VecDeque` of that type, made when the first item of
//! the type arrives) and the backlog keeps the order across lanes as a list of lane
//! numbers. Sending a message costs a slot in its lane and four bytes in the order, and
//! no allocation once the buffers have grown. While there is one lane (an actor that
//! has had one type of item so far, the common case) every item is in it and the order
//! is not kept: a push and a pop each touch one buffer fewer. Safe code throughout: the
//! typed lane is found with `Any::downcast_mut`.

use std::any::{Any, TypeId};
use std::collections::VecDeque;

use crate::Context;
use crate::envelope::{HandleFuture, Item, Next, ReadFuture};
use crate::queue::{Holds, KEPT_SLOTS, Store};

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
    /// What every item of the lane is ([`Item::KIND`]).
    kind: Next,
    items: Box<dyn Items<A>>,
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
        if let Some(lane) = self.take_front_lane() {
            lane.move_front(to);
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
            let items: &mut dyn Any = &mut *lane.items;
            if let Some(typed) = items.downcast_mut::<TypedItems<I>>() {
                typed.0.push_back(item);
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
        lanes.push(Lane {
            item_type: TypeId::of::<I>(),
            kind: I::KIND,
            items: Box::new(TypedItems(VecDeque::from([item]))),
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
    fn front_number(&self) -> Option<usize> {
        if self.len == 0 {
            return None;
        }
        if self.lanes.len() == 1 {
            return Some(0);
        }
        self.order.front().map(|&number| number as usize)
    }

    /// What the oldest item is, without taking it.
    pub(crate) fn next(&self) -> Option<Next> {
        let lane = self.lanes.get(self.front_number()?)?;
        Some(lane.kind)
    }

    /// The lane of the oldest item.
    fn front_lane(&self) -> Option<&dyn Items<A>> {
        let lane = self.lanes.get(self.front_number()?)?;
        Some(&*lane.items)
    }

    /// For the oldest item, an idle check: the count it carries (see [`Item::seen`]).
    pub(crate) fn seen(&self) -> Option<u64> {
        self.front_lane()?.seen()
    }

    /// Takes the oldest item and drops it (a control item, or a message refused when
    /// the actor stops).
    pub(crate) fn skip(&mut self) {
        if let Some(lane) = self.take_front_lane() {
            lane.skip();
        }
    }

    /// Takes the oldest item, a message, and returns the future that handles it
    /// (one that does nothing when there is no message to take).
    pub(crate) fn handle<'a>(&mut self, actor: &'a mut A, ctx: &'a Context<A>) -> HandleFuture<'a> {
        // Built where the caller keeps it: the future is not moved on the way out.
        match self.take_front_lane() {
            Some(lane) => lane.handle(actor, ctx),
            None => HandleFuture::from(std::future::ready(Ok(()))),
        }
    }

    /// The lane of the oldest item, whose place in the order is taken: the caller takes
    /// the item itself from the lane.
    fn take_front_lane(&mut self) -> Option<&mut dyn Items<A>> {
        let number = if self.lanes.len() == 1 {
            0
        } else {
            self.order.pop_front()? as usize
        };
        self.len = self.len.checked_sub(1)?;
        let lane = self.lanes.get_mut(number)?;
        Some(&mut *lane.items)
    }

    /// For the oldest item, a read-only request: the actor erased to what its read
    /// handler takes (see [`Item::share`]).
    pub(crate) fn share<'a>(&self, actor: &'a A) -> Option<&'a (dyn Any + Send + Sync)> {
        self.front_lane()?.share(actor)
    }

    /// Takes the oldest item, a read-only request, and returns the future that reads.
    pub(crate) fn read<'a>(
        &mut self,
        actor: &'a (dyn Any + Send + Sync),
        ctx: &'a Context<A>,
    ) -> Option<ReadFuture<'a>> {
        self.take_front_lane()?.read(actor, ctx)
    }

    /// The oldest item's message type, for the `message` span.
    #[cfg(feature = "tracing")]
    pub(crate) fn message_type(&self) -> &'static str {
        self.front_lane().map_or("", |lane| lane.message_type())
    }
}

/// The items of one type, erased to what the backlog asks of them (and to `Any`, for
/// the typed push to find its `TypedItems<I>`). Every method works on the oldest item
/// of the lane.
trait Items<A>: Any + Send {
    fn seen(&self) -> Option<u64>;

    fn skip(&mut self);

    fn move_front(&mut self, to: &mut Backlog<A>);

    fn handle<'a>(&mut self, actor: &'a mut A, ctx: &'a Context<A>) -> HandleFuture<'a>;

    fn share<'a>(&self, actor: &'a A) -> Option<&'a (dyn Any + Send + Sync)>;

    fn read<'a>(
        &mut self,
        actor: &'a (dyn Any + Send + Sync),
        ctx: &'a Context<A>,
    ) -> Option<ReadFuture<'a>>;

    #[cfg(feature = "tracing")]
    fn message_type(&self) -> &'static str;
}

/// The lane of item type `I`.
struct TypedItems<I>(VecDeque<I>);

impl<A: 'static, I: Item<A>> Items<A> for TypedItems<I> {
    fn seen(&self) -> Option<u64> {
        self.0.front()?.seen()
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
            Some(item) => item.handle(actor, ctx),
            None => HandleFuture::from(std::future::ready(Ok(()))),
        }
    }

    fn share<'a>(&self, actor: &'a A) -> Option<&'a (dyn Any + Send + Sync)> {
        self.0.front()?.share(actor)
    }

    fn read<'a>(
        &mut self,
        actor: &'a (dyn Any + Send + Sync),
        ctx: &'a Context<A>,
    ) -> Option<ReadFuture<'a>> {
        Some(self.0.pop_front()?.read(actor, ctx))
    }

    #[cfg(feature = "tracing")]
    fn message_type(&self) -> &'static str {
        self.0.front().map_or("", Item::message_type)
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

    use super::{Backlog, Holds, KEPT_SLOTS, Store};
    use crate::Actor;
    use crate::envelope::{Item, Next};

    struct Probe;

    impl Actor for Probe {}

    /// Items of two types that show their number when looked at (as an idle check's
    /// count), so a test can read the order back without an actor.
    struct Red(u64);
    struct Blue(u64, Option<Arc<AtomicUsize>>);

    impl Item<Probe> for Red {
        const KIND: Next = Next::Idle;

        fn seen(&self) -> Option<u64> {
            Some(self.0)
        }
    }

    impl Item<Probe> for Blue {
        const KIND: Next = Next::Idle;

        fn seen(&self) -> Option<u64> {
            Some(self.0)
        }
    }

    impl Drop for Blue {
        fn drop(&mut self) {
            if let Some(drops) = &self.1 {
                drops.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    fn blue(n: u64) -> Blue {
        Blue(n, None)
    }

    /// Takes everything, oldest first, as the numbers the items show.
    fn drain(backlog: &mut Backlog<Probe>) -> Vec<u64> {
        let mut seen = Vec::new();
        while let Some(next) = backlog.next() {
            assert_eq!(next, Next::Idle, "only test items were pushed");
            seen.extend(backlog.seen());
            backlog.skip();
        }
        seen
    }

    #[test]
    fn items_of_several_types_come_out_in_the_order_they_went_in() {
        let mut backlog = Backlog::<Probe>::default();
        assert_eq!(backlog.next(), None);
        for n in 0..6 {
            if n % 3 == 0 {
                backlog.push(blue(n));
            } else {
                backlog.push(Red(n));
            }
        }
        backlog.push(crate::envelope::StopItem);
        assert_eq!(Store::len(&backlog), 7);
        let mut taken = Vec::new();
        while let Some(Next::Idle) = backlog.next() {
            taken.extend(backlog.seen());
            backlog.skip();
        }
        assert_eq!(taken, [0, 1, 2, 3, 4, 5]);
        assert_eq!(backlog.next(), Some(Next::Stop));
        backlog.skip();
        assert_eq!(backlog.next(), None);
        assert_eq!(Store::len(&backlog), 0);
    }

    #[test]
    fn moving_one_at_a_time_keeps_the_order_whatever_lanes_the_target_has() {
        let mut from = Backlog::<Probe>::default();
        // The target met the types in the other order: its lane numbers differ.
        let mut to = Backlog::<Probe>::default();
        to.push(blue(100));
        to.push(Red(101));
        for n in 0..5 {
            if n % 2 == 0 {
                from.push(Red(n));
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
            backlog.push(Blue(n, Some(Arc::clone(&drops))));
            backlog.push(Red(n));
        }
        backlog.skip(); // one taken and dropped
        assert_eq!(drops.load(Ordering::Relaxed), 1);
        drop(backlog);
        assert_eq!(drops.load(Ordering::Relaxed), 10);
    }

    #[test]
    fn a_large_backlog_is_oversized_until_replaced() {
        let mut backlog = Backlog::<Probe>::default();
        assert!(!backlog.is_oversized());
        for n in 0..=KEPT_SLOTS as u64 {
            backlog.push(Red(n));
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
            backlog.push(Red(n));
        }
        assert!(backlog.order.is_empty());
        backlog.skip();
        backlog.push(blue(3));
        backlog.push(Red(4));
        backlog.push(blue(5));
        assert_eq!(Store::len(&backlog), 5);
        assert_eq!(drain(&mut backlog), [1, 2, 3, 4, 5]);
        assert_eq!(Store::len(&backlog), 0);
        // Emptied, the lanes stay, and so does the kept order.
        backlog.push(blue(6));
        backlog.push(Red(7));
        assert_eq!(drain(&mut backlog), [6, 7]);
    }

    #[test]
    fn a_backlog_that_never_grew_past_the_kept_size_is_not_oversized() {
        let mut backlog = Backlog::<Probe>::default();
        for round in 0..4 {
            for n in 0..KEPT_SLOTS as u64 {
                backlog.push(Red(n));
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
            backlog.push(Red(n));
        }
        assert!(backlog.is_oversized());
        assert_eq!(drain(&mut backlog).len(), KEPT_SLOTS + 1);
        assert!(backlog.is_oversized());
        assert!(!Backlog::<Probe>::default().is_oversized());
    }
}
