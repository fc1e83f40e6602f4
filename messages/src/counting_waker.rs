//! A waker that counts its wake-ups, for the unit tests of the code that keeps wakers.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Wake, Waker};

/// The count behind a [`counting_waker`].
#[derive(Default)]
pub(crate) struct Counting(AtomicUsize);

impl Counting {
    /// How many times its waker was woken.
    pub(crate) fn wakes(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

impl Wake for Counting {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A fresh count and a waker that adds to it.
pub(crate) fn counting_waker() -> (Arc<Counting>, Waker) {
    let counting = Arc::new(Counting::default());
    let waker = Waker::from(Arc::clone(&counting));
    (counting, waker)
}
