//! The mailbox queue: a store of items under a mutex, with the receiver's waker and the
//! senders waiting for room. Purpose-built for one actor's mailbox: no per-message
//! allocation of its own (the store's buffers come with the first messages and go when
//! a large backlog has drained), exact capacity, and waiting senders served oldest
//! first. Our own synchronisation, so it has a loom model below
//! (`RUSTFLAGS="--cfg messages_loom" cargo test -p messages --lib --release queue`).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

mod waiting;

use crate::sync::{AtomicUsize, Mutex, MutexGuard, Ordering, PoisonError};
use waiting::WaitingSenders;

/// A backlog buffer larger than this many slots is given back once it has drained.
pub(crate) const KEPT_SLOTS: usize = 256;

/// What a queue keeps its items in, oldest first.
pub(crate) trait Store: Default {
    /// How many items it holds.
    fn len(&self) -> usize;

    /// Moves the oldest item to the back of `to`; nothing when empty.
    fn move_front(&mut self, to: &mut Self);

    /// Whether it keeps more memory than an empty store should (checked once drained).
    fn is_oversized(&self) -> bool;
}

/// A store that holds items of type `I`.
pub(crate) trait Holds<I>: Store {
    fn push(&mut self, item: I);
}

/// One type of item, in order: the plain store of the loom models.
#[cfg(all(test, messages_loom))]
impl<T> Store for std::collections::VecDeque<T> {
    fn len(&self) -> usize {
        std::collections::VecDeque::len(self)
    }

    fn move_front(&mut self, to: &mut Self) {
        if let Some(item) = self.pop_front() {
            to.push_back(item);
        }
    }

    fn is_oversized(&self) -> bool {
        self.capacity() > KEPT_SLOTS
    }
}

#[cfg(all(test, messages_loom))]
impl<T> Holds<T> for std::collections::VecDeque<T> {
    fn push(&mut self, item: T) {
        self.push_back(item);
    }
}

/// Set in the sender count once it has reached zero: no sender can be upgraded to
/// strong again, whatever the count does later.
const DISCONNECTED: usize = 1 << (usize::BITS - 1);

/// The state shared by the senders and the receiver.
///
/// Laid out in this order (`repr(C)`): what every push and pop reads first, the
/// sender count (touched when addresses are cloned or dropped) last.
#[repr(C)]
pub(crate) struct Queue<S> {
    /// Most items waiting at once (`usize::MAX`: unbounded).
    capacity: usize,
    state: Mutex<State<S>>,
    /// Strong senders alive, and [`DISCONNECTED`] once it has reached zero: then the
    /// queue is disconnected for good, the receiver sees its end after the last item,
    /// and a sender made later (an address taken from a context whose addresses are all
    /// gone) is refused on every send and upgrades nothing. The one record of the
    /// disconnection: set before the lock is taken to wake the receiver, so whoever
    /// reads it under the lock after that sees it.
    senders: AtomicUsize,
}

struct State<S> {
    items: S,
    /// The receiver closed the queue (or went away): nothing more gets in.
    closed: bool,
    /// The receiver, parked on an empty queue.
    receiver: Option<Waker>,
    /// Senders waiting for room, oldest first.
    waiting: WaitingSenders,
}

impl<S: Store> State<S> {
    /// The oldest waiting sender, if there is room for it.
    fn next_in_line(&self, capacity: usize) -> Option<Waker> {
        if self.items.len() < capacity {
            self.waiting.first_waker()
        } else {
            None
        }
    }
}

/// Wakes `waker`, if any. Called once the lock is released: waking runs executor code.
fn wake(waker: Option<Waker>) {
    if let Some(waker) = waker {
        waker.wake();
    }
}

/// Why an item was not queued; the item comes back.
pub(crate) enum Refused<T> {
    /// A bounded queue at capacity (or with older senders waiting for room).
    Full(T),
    /// The receiver closed the queue.
    Closed(T),
}

impl<S: Default> Queue<S> {
    /// A queue of at most `capacity` items and its first strong sender.
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            state: Mutex::new(State {
                items: S::default(),
                closed: false,
                receiver: None,
                waiting: WaitingSenders::default(),
            }),
            senders: AtomicUsize::new(1),
            capacity,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<S>> {
        // No code runs user callbacks under the lock, so poisoning cannot leave the state
        // half-updated; carry on past it.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the queue refuses items: the receiver closed it, or every strong sender
    /// was gone at some point (an address made after that is born disconnected).
    pub(crate) fn is_closed(&self) -> bool {
        self.refuses(&self.lock())
    }

    /// Whether every strong sender was gone at some point.
    fn is_disconnected(&self) -> bool {
        self.senders.load(Ordering::Acquire) & DISCONNECTED != 0
    }

    /// Whether the queue refuses items, read under its lock.
    #[inline(always)]
    fn refuses(&self, state: &State<S>) -> bool {
        state.closed || self.is_disconnected()
    }

    /// One more strong sender (also after the queue disconnected: such a sender is
    /// refused on every send).
    pub(crate) fn add_sender(&self) {
        self.senders.fetch_add(1, Ordering::Relaxed);
    }

    /// One more strong sender, unless every strong sender is already gone.
    pub(crate) fn try_add_sender(&self) -> bool {
        let mut senders = self.senders.load(Ordering::Relaxed);
        loop {
            if senders == 0 || senders & DISCONNECTED != 0 {
                return false;
            }
            match self.senders.compare_exchange_weak(
                senders,
                senders + 1,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return true,
                Err(now) => senders = now,
            }
        }
    }

    /// One strong sender fewer; the last one tells the receiver.
    pub(crate) fn remove_sender(&self) {
        if self.senders.fetch_sub(1, Ordering::AcqRel) != 1 {
            return;
        }
        self.senders.fetch_or(DISCONNECTED, Ordering::AcqRel);
        let mut state = self.lock();
        let receiver = state.receiver.take();
        drop(state);
        wake(receiver);
    }

    /// Refuses items from now on; queued ones can still be taken. Waiting senders are
    /// woken and fail.
    pub(crate) fn close(&self) {
        let mut state = self.lock();
        state.closed = true;
        let waiting = state.waiting.take_all();
        drop(state);
        waiting.into_iter().for_each(Waker::wake);
    }

    /// Closes the queue and drops what is still in it (outside the lock: dropping an
    /// item may run arbitrary code).
    pub(crate) fn close_and_clear(&self) {
        let mut state = self.lock();
        state.closed = true;
        let waiting = state.waiting.take_all();
        let items = std::mem::take(&mut state.items);
        drop(state);
        waiting.into_iter().for_each(Waker::wake);
        // Messages' `Drop` is user code: a panic in it is contained (the rest are
        // still dropped, so every requester still learns).
        let _ = crate::panic::drop_contained(items);
    }
}

impl<S: Store> Queue<S> {
    /// Queues `item` if there is room and no older sender waits for it.
    #[inline(always)]
    pub(crate) fn try_push<T>(&self, item: T) -> Result<(), Refused<T>>
    where
        S: Holds<T>,
    {
        self.try_put(One(item)).map_err(|refused| match refused {
            Refused::Full(One(item)) => Refused::Full(item),
            Refused::Closed(One(item)) => Refused::Closed(item),
        })
    }

    /// [`try_push`](Queue::try_push) for anything that puts an item in: also an item
    /// moved from another store, whose type is not known here.
    #[inline(always)]
    pub(crate) fn try_put<T: Put<S>>(&self, item: T) -> Result<(), Refused<T>> {
        let mut state = self.lock();
        if self.refuses(&state) {
            return Err(Refused::Closed(item));
        }
        if state.items.len() >= self.capacity || !state.waiting.is_empty() {
            return Err(Refused::Full(item));
        }
        item.put(&mut state.items);
        let receiver = state.receiver.take();
        drop(state);
        wake(receiver);
        Ok(())
    }

    /// Fills the receiver's `batch` if it is empty: `Ready(true)` when it holds an item,
    /// `Ready(false)` once the queue is closed or disconnected and empty.
    ///
    /// `batch` is the receiver's own store. An unbounded queue hands everything queued
    /// over to it at once, so the receiver takes the lock once per batch rather than
    /// once per item; a bounded queue hands over one item at a time, so that its
    /// capacity stays exact (an item is counted until the receiver takes it).
    #[inline(always)]
    pub(crate) fn poll_fill(&self, batch: &mut S, cx: &mut Context<'_>) -> Poll<bool> {
        if batch.len() > 0 {
            return Poll::Ready(true);
        }
        if batch.is_oversized() {
            // A drained backlog's buffers go back to the allocator.
            *batch = S::default();
        }
        let mut state = self.lock();
        if state.items.len() > 0 {
            if self.capacity == usize::MAX {
                std::mem::swap(&mut state.items, batch);
                return Poll::Ready(true);
            }
            state.items.move_front(batch);
            if state.items.len() == 0 && state.items.is_oversized() {
                state.items = S::default();
            }
            // Room freed: the oldest waiting sender may take it.
            let next = state.next_in_line(self.capacity);
            drop(state);
            wake(next);
            return Poll::Ready(true);
        }
        if self.refuses(&state) {
            return Poll::Ready(false);
        }
        match &mut state.receiver {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            receiver => *receiver = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

/// What a sender waiting for room puts in once it gets it.
pub(crate) trait Put<S> {
    fn put(self, store: &mut S);
}

/// One item of a type the store holds.
pub(crate) struct One<T>(pub(crate) T);

impl<S: Holds<T>, T> Put<S> for One<T> {
    #[inline(always)]
    fn put(self, store: &mut S) {
        store.push(self.0);
    }
}

/// A sender waiting for room for `item`.
///
/// Cancel safety: dropping it before it completes queues nothing, and hands any room it
/// was woken for to the next waiting sender.
pub(crate) struct WaitForRoom<'a, S: Store, T> {
    queue: &'a Queue<S>,
    item: Option<T>,
    /// Its place in the line, once it had to wait.
    ticket: Option<u64>,
}

impl<'a, S: Store, T: Put<S>> WaitForRoom<'a, S, T> {
    pub(crate) fn new(queue: &'a Queue<S>, item: T) -> Self {
        Self {
            queue,
            item: Some(item),
            ticket: None,
        }
    }
}

impl<S: Store, T> Unpin for WaitForRoom<'_, S, T> {}

impl<S: Store, T: Put<S>> Future for WaitForRoom<'_, S, T> {
    type Output = Result<(), T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), T>> {
        let Self {
            queue,
            item: slot,
            ticket: place,
        } = &mut *self;
        let Some(item) = slot.take() else {
            // Polled after completion: nothing left to queue.
            return Poll::Ready(Ok(()));
        };
        let mut state = queue.lock();
        if queue.refuses(&state) {
            if let Some(ticket) = place.take() {
                state.waiting.leave(ticket);
            }
            return Poll::Ready(Err(item));
        }
        let first_in_line = match *place {
            None => state.waiting.is_empty(),
            Some(ticket) => state.waiting.is_first(ticket),
        };
        if first_in_line && state.items.len() < queue.capacity {
            if let Some(ticket) = place.take() {
                state.waiting.leave(ticket);
            }
            item.put(&mut state.items);
            let receiver = state.receiver.take();
            // Room left: the next in line need not wait for the receiver to say so.
            let next = state.next_in_line(queue.capacity);
            drop(state);
            wake(receiver);
            wake(next);
            return Poll::Ready(Ok(()));
        }
        match *place {
            Some(ticket) => state.waiting.update(ticket, cx.waker()),
            None => *place = Some(state.waiting.join(cx.waker().clone())),
        }
        drop(state);
        *slot = Some(item);
        Poll::Pending
    }
}

impl<S: Store, T> Drop for WaitForRoom<'_, S, T> {
    fn drop(&mut self) {
        let Some(ticket) = self.ticket else {
            return;
        };
        let mut state = self.queue.lock();
        let was_first = state.waiting.is_first(ticket);
        state.waiting.leave(ticket);
        // It may have been woken for room it will not take: the next in line takes it.
        let next = if was_first {
            state.next_in_line(self.queue.capacity)
        } else {
            None
        };
        drop(state);
        wake(next);
    }
}

#[cfg(all(test, messages_loom))]
mod loom_model {
    use std::collections::VecDeque;
    use std::future::poll_fn;

    use loom::future::block_on;
    use loom::thread;

    use super::{One, Queue, Refused, WaitForRoom};
    use crate::sync::Arc;

    impl<T> Queue<VecDeque<T>> {
        /// The next item, as the context loop takes it: fills its batch, then takes
        /// the oldest.
        pub(crate) fn poll_pop(
            &self,
            batch: &mut VecDeque<T>,
            cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<T>> {
            self.poll_fill(batch, cx)
                .map(|filled| if filled { batch.pop_front() } else { None })
        }
    }

    /// Explores every interleaving with up to three preemptions: the bound loom's
    /// authors recommend, and what keeps these models to seconds.
    fn model(body: impl Fn() + Sync + Send + 'static) {
        let mut builder = loom::model::Builder::new();
        builder.preemption_bound = Some(3);
        builder.check(body);
    }

    /// Two senders and the receiver: every item arrives exactly once, and the receiver
    /// sees the end once both senders are gone.
    #[test]
    fn every_item_arrives_once() {
        model(|| {
            let queue = Arc::new(Queue::new(usize::MAX));
            let mut batch = VecDeque::new();
            queue.add_sender();
            let senders: Vec<_> = (0..2_u32)
                .map(|sender| {
                    let queue = Arc::clone(&queue);
                    thread::spawn(move || {
                        assert!(queue.try_push(sender).is_ok());
                        queue.remove_sender();
                    })
                })
                .collect();
            let mut received = block_on(async {
                let mut received = Vec::new();
                while let Some(item) = poll_fn(|cx| queue.poll_pop(&mut batch, cx)).await {
                    received.push(item);
                }
                received
            });
            for sender in senders {
                sender.join().unwrap();
            }
            received.sort_unstable();
            assert_eq!(received, [0, 1]);
        });
    }

    /// One sender's items arrive in the order sent, also while the receiver is parking.
    #[test]
    fn one_senders_items_arrive_in_order() {
        model(|| {
            let queue = Arc::new(Queue::new(usize::MAX));
            let mut batch = VecDeque::new();
            let sender = {
                let queue = Arc::clone(&queue);
                thread::spawn(move || {
                    for n in 0..3_u32 {
                        assert!(queue.try_push(n).is_ok());
                    }
                    queue.remove_sender();
                })
            };
            let received = block_on(async {
                let mut received = Vec::new();
                while let Some(item) = poll_fn(|cx| queue.poll_pop(&mut batch, cx)).await {
                    received.push(item);
                }
                received
            });
            sender.join().unwrap();
            assert_eq!(received, [0, 1, 2]);
        });
    }

    /// A full queue of one: a waiting sender is woken when the receiver takes the item,
    /// and a second waiting sender that gives up passes its turn on.
    #[test]
    fn a_waiting_sender_gets_the_room() {
        model(|| {
            let queue = Arc::new(Queue::new(1));
            let mut batch = VecDeque::new();
            assert!(queue.try_push(0_u32).is_ok());
            assert!(matches!(queue.try_push(9), Err(Refused::Full(9))));
            queue.add_sender();
            let waiter = {
                let queue = Arc::clone(&queue);
                thread::spawn(move || {
                    let result = block_on(WaitForRoom::new(&queue, One(1)));
                    queue.remove_sender();
                    result.is_ok()
                })
            };
            let first = block_on(poll_fn(|cx| queue.poll_pop(&mut batch, cx)));
            let second = block_on(poll_fn(|cx| queue.poll_pop(&mut batch, cx)));
            assert!(waiter.join().unwrap(), "the waiting sender queued its item");
            assert_eq!((first, second), (Some(0), Some(1)));
            queue.remove_sender();
            assert_eq!(block_on(poll_fn(|cx| queue.poll_pop(&mut batch, cx))), None);
        });
    }

    /// Closing wakes a waiting sender, which fails with its item.
    #[test]
    fn closing_fails_a_waiting_sender() {
        model(|| {
            let queue = Arc::new(Queue::new(1));
            let mut batch = VecDeque::new();
            assert!(queue.try_push(0_u32).is_ok());
            let waiter = {
                let queue = Arc::clone(&queue);
                thread::spawn(move || block_on(WaitForRoom::new(&queue, One(1))))
            };
            queue.close();
            assert!(matches!(waiter.join().unwrap(), Err(One(1))));
            assert_eq!(
                block_on(poll_fn(|cx| queue.poll_pop(&mut batch, cx))),
                Some(0)
            );
        });
    }
}
