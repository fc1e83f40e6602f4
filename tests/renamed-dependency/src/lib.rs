//! An actor declared through a renamed `messages` dependency, with `crate = my_messages`.

use my_messages::{Context, actor};

/// Counts.
#[actor(crate = my_messages, capacity = 4)]
#[derive(Debug, Default)]
pub struct Counter {
    count: u32,
}

#[actor(crate = my_messages)]
impl Counter {
    /// Adds one and returns the count.
    #[handler]
    pub fn increment(&mut self) -> u32 {
        self.count += 1;
        self.count
    }

    /// Resets the count.
    #[notify]
    pub fn reset(&mut self) {
        self.count = 0;
    }

    /// Stops the actor.
    #[handler]
    pub fn close(&mut self, ctx: &Context<Self>) {
        ctx.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_renamed_crate_path_is_used() {
        let test = async {
            let counter = Counter::default().spawn();
            assert_eq!(counter.increment().await, Ok(1));
            counter.reset().await.unwrap();
            assert_eq!(counter.increment().await, Ok(1));
            counter.close().await.unwrap();
            assert_eq!(
                counter.wait_for_stop().await,
                my_messages::StopReason::Requested
            );
        };
        tokio::time::timeout(std::time::Duration::from_secs(10), test)
            .await
            .expect("timed out: something hangs");
    }
}
