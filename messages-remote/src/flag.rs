//! [`Flag`]: a yes-or-no that tasks can wait for.

use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Notify;

/// A yes-or-no, set by anyone, awaited by any number of tasks.
#[derive(Debug, Default)]
pub(crate) struct Flag {
    on: AtomicBool,
    changed: Notify,
}

impl Flag {
    pub(crate) fn set(&self, on: bool) {
        self.on.store(on, Ordering::SeqCst);
        self.changed.notify_waiters();
    }

    pub(crate) fn is_set(&self) -> bool {
        self.on.load(Ordering::SeqCst)
    }

    /// Once the flag is `on` (at once, if it is).
    pub(crate) async fn until(&self, on: bool) {
        loop {
            let changed = self.changed.notified();
            let mut changed = std::pin::pin!(changed);
            // Listening before looking: a change between the two is not missed.
            changed.as_mut().enable();
            if self.is_set() == on {
                return;
            }
            changed.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waiters_hear_each_change() {
        let flag = std::sync::Arc::new(Flag::default());
        flag.until(false).await;
        let waiting = tokio::spawn({
            let flag = std::sync::Arc::clone(&flag);
            async move {
                flag.until(true).await;
                flag.until(false).await;
            }
        });
        tokio::task::yield_now().await;
        flag.set(true);
        tokio::task::yield_now().await;
        flag.set(false);
        tokio::time::timeout(std::time::Duration::from_secs(10), waiting)
            .await
            .expect("heard both changes")
            .expect("joined");
    }
}
