//! [`Routing`]: which worker of a pool gets the next message.

/// Which worker of a [`Pool`](super::Pool) gets the next message.
///
/// Either way a worker that has stopped for good is skipped (and dropped from the pool),
/// and a full worker mailbox makes the pool wait for room there: the pool's own mailbox
/// then fills, and its senders wait in turn (backpressure, as for one actor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Routing {
    /// Each worker in turn. The default: cheapest, and even when the jobs are alike.
    #[default]
    RoundRobin,
    /// The worker with the fewest messages from the pool not yet handled (queued, or
    /// being handled); among equals, the next in turn. For jobs of uneven length: a
    /// worker busy with a long one is passed over while another is free.
    LeastBusy,
}

/// What a router needs to know of a worker.
pub(super) trait Load {
    /// Messages the pool gave it that it has not finished handling.
    fn load(&self) -> u64;
}

/// The routing state: the next worker in turn.
#[derive(Debug, Default)]
pub(super) struct Router {
    routing: Routing,
    next: usize,
}

impl Router {
    pub(super) fn new(routing: Routing) -> Self {
        Self { routing, next: 0 }
    }

    /// The index in `workers` (not empty) of the worker that gets the next message.
    pub(super) fn choose(&mut self, workers: &[impl Load]) -> usize {
        let count = workers.len();
        let first = self.next % count;
        let chosen = match self.routing {
            Routing::RoundRobin => first,
            Routing::LeastBusy => (0..count)
                .map(|offset| (first + offset) % count)
                .min_by_key(|&index| workers[index].load())
                .unwrap_or(first),
        };
        self.next = chosen + 1;
        chosen
    }
}

#[cfg(test)]
mod tests {
    use super::{Load, Router, Routing};

    impl Load for u64 {
        fn load(&self) -> u64 {
            *self
        }
    }

    #[test]
    fn round_robin_takes_each_worker_in_turn_whatever_their_load() {
        let mut router = Router::new(Routing::RoundRobin);
        let loads = [5_u64, 0, 9];
        let chosen: Vec<_> = (0..7).map(|_| router.choose(&loads)).collect();
        assert_eq!(chosen, [0, 1, 2, 0, 1, 2, 0]);
    }

    #[test]
    fn least_busy_takes_the_lightest_worker_and_rotates_among_equals() {
        let mut router = Router::new(Routing::LeastBusy);
        assert_eq!(router.choose(&[3_u64, 1, 2]), 1);
        // Equal loads: the next in turn after the last chosen.
        let equal = [0_u64, 0, 0];
        let chosen: Vec<_> = (0..4).map(|_| router.choose(&equal)).collect();
        assert_eq!(chosen, [2, 0, 1, 2]);
    }

    #[test]
    fn a_pool_that_shrank_wraps_around() {
        let mut router = Router::new(Routing::RoundRobin);
        for _ in 0..3 {
            router.choose(&[0_u64, 0, 0, 0]);
        }
        assert_eq!(router.choose(&[0_u64, 0]), 1, "turn 3 of 2 workers");
    }
}
