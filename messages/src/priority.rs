//! The priority lane: a queue beside the mailbox whose items the loop takes first.
//! Our own synchronisation (a mutex and a flag), so it has loom models below, one of
//! them of its hand-off with the mailbox
//! (`RUSTFLAGS="--cfg messages_loom" cargo test -p messages --lib --release priority`).

use std::collections::VecDeque;

use crate::sync::{AtomicU8, Mutex, MutexGuard, Ordering, PoisonError};

/// Items handled before the ordinary mailbox. Allocates nothing until used, and keeps
/// its queue boxed, so the many actors that never use it carry 24 bytes of it rather
/// than a whole queue. The flags the loop checks per message come first (`repr(C)`),
/// beside the fields before it.
#[repr(C)]
pub(crate) struct PriorityLane<T> {
    /// [`HAS_ITEMS`] (the loop's cheap check per message) and [`CLOSED`]; both are
    /// written under the lock only, so `push` and `close` cannot miss each other.
    flags: AtomicU8,
    /// Made by the first item; may be empty again.
    queue: Mutex<Option<Boxed<T>>>,
}

/// Boxed: a `VecDeque` is 32 bytes even when empty and never allocated, and every
/// actor's cell holds a lane; the box is 8.
#[allow(
    clippy::box_collection,
    reason = "the box keeps the unused lane small; the queue's buffer is a second allocation on purpose"
)]
type Boxed<T> = Box<VecDeque<T>>;

/// The queue holds something.
const HAS_ITEMS: u8 = 1;
/// The actor stopped: items are refused.
const CLOSED: u8 = 2;

impl<T> PriorityLane<T> {
    pub(crate) fn new() -> Self {
        Self {
            flags: AtomicU8::new(0),
            queue: Mutex::new(None),
        }
    }

    fn queue(&self) -> MutexGuard<'_, Option<Boxed<T>>> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues `item`, made into a `T` by `wrap` once accepted; `Ok(true)` when the
    /// lane was empty (the loop may be parked on the ordinary mailbox and needs a
    /// wake-up), `Err(item)` once closed.
    pub(crate) fn push<U>(&self, item: U, wrap: impl FnOnce(U) -> T) -> Result<bool, U> {
        let mut queue = self.queue();
        if self.flags.load(Ordering::Relaxed) & CLOSED != 0 {
            return Err(item);
        }
        let queue = queue.get_or_insert_with(Box::default);
        let was_empty = queue.is_empty();
        queue.push_back(wrap(item));
        self.flags.store(HAS_ITEMS, Ordering::Release);
        Ok(was_empty)
    }

    /// Whether an item may be waiting (a hint: `pop` says for sure).
    pub(crate) fn has_items(&self) -> bool {
        self.flags.load(Ordering::Acquire) & HAS_ITEMS != 0
    }

    /// The oldest item, if any. A plain load answers the common "none" without the lock.
    pub(crate) fn pop(&self) -> Option<T> {
        if !self.has_items() {
            return None;
        }
        let mut queue = self.queue();
        let queue = queue.as_mut()?;
        let next = queue.pop_front();
        if queue.is_empty() {
            self.flags.fetch_and(!HAS_ITEMS, Ordering::Release);
        }
        next
    }

    /// Refuses items from now on and hands back what is queued.
    pub(crate) fn close(&self) -> VecDeque<T> {
        let mut queue = self.queue();
        self.flags.store(CLOSED, Ordering::Release);
        let queued = queue.take();
        drop(queue);
        queued.map_or_else(VecDeque::new, |queued| *queued)
    }
}

#[cfg(all(test, messages_loom))]
mod loom_model {
    use loom::sync::Arc;
    use loom::thread;

    use super::PriorityLane;

    /// Two producers race a consumer that pops, then closes the lane: every accepted
    /// item comes out exactly once (popped or handed back by `close`), each producer's
    /// items in order, and a refused item is handed back to its producer.
    #[test]
    fn nothing_accepted_is_lost_or_duplicated() {
        loom::model(|| {
            let lane = Arc::new(PriorityLane::new());
            let producers: Vec<_> = [[1, 2], [3, 4]]
                .into_iter()
                .map(|items| {
                    let lane = Arc::clone(&lane);
                    thread::spawn(move || {
                        items
                            .into_iter()
                            .filter(|item| lane.push(*item, |item| item).is_ok())
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            let mut taken = Vec::new();
            for _ in 0..2 {
                taken.extend(lane.pop());
            }
            taken.extend(lane.close());
            let mut accepted: Vec<i32> = Vec::new();
            for producer in producers {
                accepted.extend(producer.join().unwrap());
            }
            let mut sorted = taken.clone();
            sorted.sort_unstable();
            accepted.sort_unstable();
            assert_eq!(sorted, accepted, "taken {taken:?}");
            for pair in [[1, 2], [3, 4]] {
                let positions: Vec<_> = pair
                    .iter()
                    .filter_map(|item| taken.iter().position(|taken| taken == item))
                    .collect();
                assert!(
                    positions.windows(2).all(|w| w[0] < w[1]),
                    "order of {pair:?} in {taken:?}"
                );
            }
        });
    }

    /// After `push` returns, a `pop` that starts later sees the item: the flag cannot
    /// hide an item from the loop.
    #[test]
    fn a_pushed_item_is_visible_to_a_later_pop() {
        loom::model(|| {
            let lane = Arc::new(PriorityLane::new());
            let pushed = Arc::new(loom::sync::atomic::AtomicBool::new(false));
            let producer = {
                let (lane, pushed) = (Arc::clone(&lane), Arc::clone(&pushed));
                thread::spawn(move || {
                    assert_eq!(lane.push(7, |item| item), Ok(true));
                    pushed.store(true, loom::sync::atomic::Ordering::Release);
                })
            };
            if pushed.load(loom::sync::atomic::Ordering::Acquire) {
                assert_eq!(lane.pop(), Some(7));
            }
            producer.join().unwrap();
        });
    }

    /// The hand-off between the lane and the mailbox: a sender pushes a priority item
    /// and, if the lane was empty, queues a wake-up in the mailbox (as
    /// `Address::notify_priority` does); the loop looks at the lane, then parks on the
    /// mailbox (as the context loop does). However they interleave, the loop gets the
    /// item: it cannot stay parked with an item in the lane.
    #[test]
    fn a_loop_parked_on_the_mailbox_gets_a_priority_item() {
        use std::collections::VecDeque;
        use std::future::poll_fn;

        use loom::future::block_on;

        use crate::queue::Queue;

        const WAKE: u32 = 0;

        loom::model(|| {
            let lane = Arc::new(PriorityLane::new());
            let mailbox = Arc::new(Queue::new(usize::MAX));
            let sender = {
                let (lane, mailbox) = (Arc::clone(&lane), Arc::clone(&mailbox));
                thread::spawn(move || {
                    if lane.push(7_u32, |item| item) == Ok(true) {
                        assert!(mailbox.try_push(WAKE).is_ok());
                    }
                })
            };
            let mut batch = VecDeque::new();
            let got = loop {
                if let Some(item) = lane.pop() {
                    break item;
                }
                let woken = block_on(poll_fn(|cx| mailbox.poll_pop(&mut batch, cx)));
                assert_eq!(woken, Some(WAKE), "only wake-ups travel in this mailbox");
            };
            assert_eq!(got, 7);
            sender.join().unwrap();
        });
    }
}
