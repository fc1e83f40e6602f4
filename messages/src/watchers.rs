//! The `wait_for_stop` futures waiting for an actor's stop: a waker slot per pending
//! future, found again by its key on the next poll and freed when the future is done or
//! dropped, so a future polled and dropped over and over (in a `select!` loop) leaves
//! nothing behind.
//!
//! Kept under the actor cell's exit lock, beside the stop reason: the waiters and the
//! reason never exist at once, so they share their room (see `ExitSlot`), and an actor
//! nobody watches has no list at all (an empty slice does not allocate).

use std::task::Waker;

/// A boxed slice rather than a `Vec`: 16 bytes instead of 24, which leaves room in the
/// exit slot for a runtime given to the context. Watchers come and go rarely (a
/// `wait_for_stop` call), so the list is resized exactly, one slot at a time.
#[derive(Default)]
pub(crate) struct Watchers(Box<[Option<Waker>]>);

impl Watchers {
    /// Keeps `waker` to be woken at the stop: in the slot `key` names, or in a free
    /// slot whose key is written to `key`.
    pub(crate) fn watch(&mut self, key: &mut Option<usize>, waker: &Waker) {
        if let Some(Some(kept)) = key.and_then(|key| self.0.get_mut(key)) {
            kept.clone_from(waker);
            return;
        }
        let free = match self.0.iter().position(Option::is_none) {
            Some(free) => free,
            None => {
                self.resize(self.0.len() + 1);
                self.0.len() - 1
            }
        };
        self.0[free] = Some(waker.clone());
        *key = Some(free);
    }

    /// Frees the slot of a future that stops waiting.
    pub(crate) fn unwatch(&mut self, key: usize) {
        if let Some(slot) = self.0.get_mut(key) {
            *slot = None;
        }
        let used = self
            .0
            .iter()
            .rposition(Option::is_some)
            .map_or(0, |last| last + 1);
        if used < self.0.len() {
            self.resize(used);
        }
    }

    /// Grows (with free slots) or shrinks the list to exactly `len` slots.
    fn resize(&mut self, len: usize) {
        let mut slots = Vec::from(std::mem::take(&mut self.0));
        slots.reserve_exact(len.saturating_sub(slots.len()));
        slots.resize(len, None);
        self.0 = slots.into_boxed_slice();
    }

    /// Clones of every kept waker, to wake once the lock is released, the futures
    /// keeping their slots (they look again and wait on).
    pub(crate) fn wakers(&self) -> Vec<Waker> {
        self.0.iter().flatten().cloned().collect()
    }

    /// Wakes every waiting future (call it once the lock is released).
    #[inline]
    pub(crate) fn wake_all(self) {
        // Most actors stop unwatched: nothing to wake, nothing to free.
        if !self.0.is_empty() {
            self.wake_each();
        }
    }

    #[cold]
    fn wake_each(self) {
        for waker in self.0.into_iter().flatten() {
            waker.wake();
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.0.iter().flatten().count()
    }
}

#[cfg(test)]
mod tests {
    use super::Watchers;
    use crate::counting_waker::counting_waker as counting;

    #[test]
    fn a_repoll_keeps_one_slot_and_the_latest_waker() {
        let (first, first_waker) = counting();
        let (second, second_waker) = counting();
        let mut watchers = Watchers::default();
        let mut key = None;
        watchers.watch(&mut key, &first_waker);
        watchers.watch(&mut key, &second_waker);
        assert_eq!(watchers.len(), 1);
        watchers.wake_all();
        assert_eq!(first.wakes(), 0);
        assert_eq!(second.wakes(), 1);
    }

    #[test]
    fn dropped_watchers_free_their_slots_for_reuse_and_are_not_woken() {
        let (kept, kept_waker) = counting();
        let (gone, gone_waker) = counting();
        let mut watchers = Watchers::default();
        let (mut gone_key, mut kept_key) = (None, None);
        watchers.watch(&mut gone_key, &gone_waker);
        watchers.watch(&mut kept_key, &kept_waker);
        watchers.unwatch(gone_key.expect("a key"));
        // A future polled and dropped many times leaves nothing behind.
        for _ in 0..1000 {
            let mut key = None;
            watchers.watch(&mut key, &gone_waker);
            assert_eq!(key, gone_key, "the freed slot is reused");
            watchers.unwatch(key.expect("a key"));
        }
        assert_eq!(watchers.len(), 1);
        assert!(watchers.0.len() <= 2);
        watchers.wake_all();
        assert_eq!(kept.wakes(), 1);
        assert_eq!(gone.wakes(), 0);
    }

    #[test]
    fn the_last_watcher_gone_leaves_an_empty_list() {
        let (_, waker) = counting();
        let mut watchers = Watchers::default();
        let keys: Vec<_> = (0..3)
            .map(|_| {
                let mut key = None;
                watchers.watch(&mut key, &waker);
                key.expect("a key")
            })
            .collect();
        assert_eq!(keys, [0, 1, 2]);
        for key in keys.into_iter().rev() {
            watchers.unwatch(key);
        }
        assert!(watchers.0.is_empty());
    }
}
