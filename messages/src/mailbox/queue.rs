//! The mailbox queue: a deque under a mutex, with the receiver's waker and the senders
//! waiting for room. Purpose-built for one actor's mailbox: one small allocation per
//! actor (the deque's buffer comes with the first message and goes when a large backlog
//! has drained), no per-message allocation of its own, exact capacity, and waiting
//! senders served oldest first. Our own synchronisation, so it has a loom model below
//! (`RUSTFLAGS="--cfg messages_loom" cargo test -p messages --lib --release queue`).

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use crate::sync::{AtomicUsize, Mutex, MutexGuard, Ordering, PoisonError};

/// A backlog buffer larger than this many slots is given back once it has drained.
const KEPT_SLOTS: usize = 256;

/// Set in the sender count once it has reached zero: no sender can be upgraded to
/// strong again, whatever the count does later.
const DISCONNECTED: usize = 1 << (usize::BITS - 1);

/// The state shared by the senders and the receiver.
pub(crate) struct Queue<T> {
    state: Mutex<State<T>>,
    /// Strong senders alive, and [`DISCONNECTED`] once it has reached zero: then the
    /// queue is disconnected for good, the receiver sees its end after the last item,
    /// and a sender made later (an address taken from a context whose addresses are all
    /// gone) is refused on every send and upgrades nothing.
    senders: AtomicUsize,
    /// Most items waiting at once (`usize::MAX`: unbounded).
    capacity: usize,
}

struct State<T> {
    items: VecDeque<T>,
    /// The receiver closed the queue (or went away): nothing more gets in.
    closed: bool,
    /// Every strong sender is gone.
    disconnected: bool,
    /// The receiver, parked on an empty queue.
    receiver: Option<Waker>,
    /// Senders waiting for room, oldest first, by ticket.
    waiting: VecDeque<(u64, Waker)>,
    next_ticket: u64,
}

impl<T> State<T> {
    /// The oldest waiting sender, if there is room for it.
    fn next_in_line(&self, capacity: usize) -> Option<Waker> {
        if self.items.len() < capacity {
            self.waiting.front().map(|(_, waker)| waker.clone())
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

impl<T> Queue<T> {
    /// A queue of at most `capacity` items and its first strong sender.
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            state: Mutex::new(State {
                items: VecDeque::new(),
                closed: false,
                disconnected: false,
                receiver: None,
                waiting: VecDeque::new(),
                next_ticket: 0,
            }),
            senders: AtomicUsize::new(1),
            capacity,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // No code runs user callbacks under the lock, so poisoning cannot leave the state
        // half-updated; carry on past it.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues `item` if there is room and no older sender waits for it.
    pub(crate) fn try_push(&self, item: T) -> Result<(), Refused<T>> {
        let mut state = self.lock();
        if state.closed || state.disconnected {
            return Err(Refused::Closed(item));
        }
        if state.items.len() >= self.capacity || !state.waiting.is_empty() {
            return Err(Refused::Full(item));
        }
        state.items.push_back(item);
        let receiver = state.receiver.take();
        drop(state);
        wake(receiver);
        Ok(())
    }

    /// Whether the queue refuses items: the receiver closed it, or every strong sender
    /// was gone at some point (an address made after that is born disconnected).
    pub(crate) fn is_closed(&self) -> bool {
        let state = self.lock();
        state.closed || state.disconnected
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
        state.disconnected = true;
        let receiver = state.receiver.take();
        drop(state);
        wake(receiver);
    }

    /// The next item; `Ready(None)` once the queue is closed or disconnected and empty.
    ///
    /// `batch` is the receiver's own buffer. An unbounded queue hands everything queued
    /// over to it at once, so the receiver takes the lock once per batch rather than
    /// once per item; a bounded queue hands over one item at a time, so that its
    /// capacity stays exact (an item is counted until the receiver takes it).
    pub(crate) fn poll_pop(
        &self,
        batch: &mut VecDeque<T>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<T>> {
        if let Some(item) = batch.pop_front() {
            return Poll::Ready(Some(item));
        }
        if batch.capacity() > KEPT_SLOTS {
            // A drained backlog's buffer goes back to the allocator.
            *batch = VecDeque::new();
        }
        let mut state = self.lock();
        if self.capacity == usize::MAX {
            if !state.items.is_empty() {
                std::mem::swap(&mut state.items, batch);
                drop(state);
                return Poll::Ready(batch.pop_front());
            }
        } else if let Some(item) = state.items.pop_front() {
            if state.items.is_empty() && state.items.capacity() > KEPT_SLOTS {
                state.items = VecDeque::new();
            }
            // Room freed: the oldest waiting sender may take it.
            let next = state.next_in_line(self.capacity);
            drop(state);
            wake(next);
            return Poll::Ready(Some(item));
        }
        if state.closed || state.disconnected {
            return Poll::Ready(None);
        }
        match &mut state.receiver {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            receiver => *receiver = Some(cx.waker().clone()),
        }
        Poll::Pending
    }

    /// Refuses items from now on; queued ones can still be taken. Waiting senders are
    /// woken and fail.
    pub(crate) fn close(&self) {
        let mut state = self.lock();
        state.closed = true;
        let waiting = std::mem::take(&mut state.waiting);
        drop(state);
        waiting.into_iter().for_each(|(_, sender)| sender.wake());
    }

    /// Closes the queue and drops what is still in it (outside the lock: dropping an
    /// item may run arbitrary code).
    pub(crate) fn close_and_clear(&self) {
        let mut state = self.lock();
        state.closed = true;
        let waiting = std::mem::take(&mut state.waiting);
        let items = std::mem::take(&mut state.items);
        drop(state);
        waiting.into_iter().for_each(|(_, sender)| sender.wake());
        drop(items);
    }
}

/// A sender waiting for room for `item`.
///
/// Cancel safety: dropping it before it completes queues nothing, and hands any room it
/// was woken for to the next waiting sender.
pub(crate) struct WaitForRoom<'a, T> {
    queue: &'a Queue<T>,
    item: Option<T>,
    /// Its place in the line, once it had to wait.
    ticket: Option<u64>,
}

impl<'a, T> WaitForRoom<'a, T> {
    pub(crate) fn new(queue: &'a Queue<T>, item: T) -> Self {
        Self {
            queue,
            item: Some(item),
            ticket: None,
        }
    }
}

impl<T> Unpin for WaitForRoom<'_, T> {}

impl<T> Future for WaitForRoom<'_, T> {
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
        if state.closed || state.disconnected {
            if let Some(ticket) = place.take() {
                state.waiting.retain(|(waiting, _)| *waiting != ticket);
            }
            return Poll::Ready(Err(item));
        }
        let first_in_line = match *place {
            None => state.waiting.is_empty(),
            Some(ticket) => state
                .waiting
                .front()
                .is_some_and(|(front, _)| *front == ticket),
        };
        if first_in_line && state.items.len() < queue.capacity {
            if place.take().is_some() {
                state.waiting.pop_front();
            }
            state.items.push_back(item);
            let receiver = state.receiver.take();
            // Room left: the next in line need not wait for the receiver to say so.
            let next = state.next_in_line(queue.capacity);
            drop(state);
            wake(receiver);
            wake(next);
            return Poll::Ready(Ok(()));
        }
        match *place {
            Some(ticket) => {
                if let Some((_, waker)) = state.waiting.iter_mut().find(|(t, _)| *t == ticket) {
                    if !waker.will_wake(cx.waker()) {
                        *waker = cx.waker().clone();
                    }
                }
            }
            None => {
                let ticket = state.next_ticket;
                state.next_ticket += 1;
                state.waiting.push_back((ticket, cx.waker().clone()));
                *place = Some(ticket);
            }
        }
        drop(state);
        *slot = Some(item);
        Poll::Pending
    }
}

impl<T> Drop for WaitForRoom<'_, T> {
    fn drop(&mut self) {
        let Some(ticket) = self.ticket else {
            return;
        };
        let mut state = self.queue.lock();
        let was_first = state
            .waiting
            .front()
            .is_some_and(|(front, _)| *front == ticket);
        state.waiting.retain(|(waiting, _)| *waiting != ticket);
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

    use super::{Queue, Refused, WaitForRoom};
    use crate::sync::Arc;

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
                    let result = block_on(WaitForRoom::new(&queue, 1));
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
                thread::spawn(move || block_on(WaitForRoom::new(&queue, 1)))
            };
            queue.close();
            assert!(matches!(waiter.join().unwrap(), Err(1)));
            assert_eq!(
                block_on(poll_fn(|cx| queue.poll_pop(&mut batch, cx))),
                Some(0)
            );
        });
    }
}
