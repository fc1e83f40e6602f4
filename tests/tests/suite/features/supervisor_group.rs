//! Supervisor groups: one-for-one, one-for-all and rest-for-one restart the right
//! children; the group budget stops everything past it. Each child reports its starts,
//! so the tests wait for restarts instead of guessing when they happen.

use std::time::Duration;

use messages::prelude::*;
use messages::supervision::{GroupHandle, Restart, Strategy, SupervisorGroup};
use messages_tests::{Rt, every_executor};
use tokio::sync::mpsc;

/// A child that reports `(name, instance)` from `started`, and panics on `Fail`.
struct Child {
    name: &'static str,
    instance: u32,
    starts: mpsc::UnboundedSender<(&'static str, u32)>,
}

impl Actor for Child {
    async fn started(&mut self, ctx: &Context<Self>) {
        self.instance = ctx.restarts() + 1;
        let _ = self.starts.send((self.name, self.instance));
    }
}

struct Fail;

impl Handler<Fail> for Child {
    type Result = ();
    async fn handle(&mut self, _: Fail, _: &Context<Self>) {
        panic!("{} failed", self.name)
    }
}

struct Instance;

impl Handler<Instance> for Child {
    type Result = u32;
    async fn handle(&mut self, _: Instance, _: &Context<Self>) -> u32 {
        self.instance
    }
}

fn factory(
    name: &'static str,
    starts: &mpsc::UnboundedSender<(&'static str, u32)>,
) -> impl FnMut() -> Child + Send + 'static {
    let starts = starts.clone();
    move || Child {
        name,
        instance: 0,
        starts: starts.clone(),
    }
}

/// Starts children `a`, `b`, `c` under `strategy`; waits until all three started.
async fn group_of_three(
    rt: &Rt,
    strategy: Strategy,
    budget: u32,
) -> (
    [Address<Child>; 3],
    GroupHandle,
    mpsc::UnboundedReceiver<(&'static str, u32)>,
) {
    let (starts, mut started) = mpsc::unbounded_channel();
    let mut group = SupervisorGroup::new(strategy).budget(budget, Duration::from_secs(60));
    let children = [
        group.child(factory("a", &starts), Restart::Transient),
        group.child(factory("b", &starts), Restart::Transient),
        group.child(factory("c", &starts), Restart::Transient),
    ];
    let handle = group.start_on(rt);
    let mut first: Vec<_> = Vec::new();
    for _ in 0..3 {
        first.push(started.recv().await.unwrap());
    }
    first.sort_unstable();
    assert_eq!(first, [("a", 1), ("b", 1), ("c", 1)]);
    (children, handle, started)
}

/// The next `count` starts, sorted.
async fn next_starts(
    started: &mut mpsc::UnboundedReceiver<(&'static str, u32)>,
    count: usize,
) -> Vec<(&'static str, u32)> {
    let mut starts = Vec::new();
    for _ in 0..count {
        starts.push(started.recv().await.unwrap());
    }
    starts.sort_unstable();
    starts
}

async fn one_for_one_restarts_only_the_failed_child(rt: Rt) {
    let ([a, b, c], group, mut started) = group_of_three(&rt, Strategy::OneForOne, 3).await;
    assert_eq!(b.send(Fail).await, Err(SendError::Panicked));
    assert_eq!(next_starts(&mut started, 1).await, [("b", 2)]);
    assert_eq!(a.send(Instance).await, Ok(1));
    assert_eq!(c.send(Instance).await, Ok(1));
    group.kill();
    assert_eq!(group.wait().await, StopReason::Killed);
}

async fn one_for_all_restarts_every_child(rt: Rt) {
    let ([a, b, c], group, mut started) = group_of_three(&rt, Strategy::OneForAll, 3).await;
    assert_eq!(b.send(Fail).await, Err(SendError::Panicked));
    assert_eq!(
        next_starts(&mut started, 3).await,
        [("a", 2), ("b", 2), ("c", 2)]
    );
    for child in [&a, &b, &c] {
        assert_eq!(child.send(Instance).await, Ok(2));
    }
    group.kill();
    group.wait().await;
}

async fn rest_for_one_restarts_the_failed_child_and_those_after_it(rt: Rt) {
    let ([a, b, c], group, mut started) = group_of_three(&rt, Strategy::RestForOne, 3).await;
    assert_eq!(b.send(Fail).await, Err(SendError::Panicked));
    assert_eq!(next_starts(&mut started, 2).await, [("b", 2), ("c", 2)]);
    assert_eq!(
        a.send(Instance).await,
        Ok(1),
        "before the failed child: untouched"
    );
    assert_eq!(c.send(Instance).await, Ok(2));
    group.kill();
    group.wait().await;
}

async fn past_the_budget_the_group_stops_everything(rt: Rt) {
    let ([a, b, c], group, mut started) = group_of_three(&rt, Strategy::OneForOne, 1).await;
    assert_eq!(a.send(Fail).await, Err(SendError::Panicked));
    assert_eq!(next_starts(&mut started, 1).await, [("a", 2)]);
    assert_eq!(c.send(Fail).await, Err(SendError::Panicked));
    let reason = group.wait().await;
    assert!(
        matches!(&reason, StopReason::TooManyRestarts(last) if last.is_panic()),
        "{reason:?}"
    );
    for child in [&a, &b, &c] {
        child.wait_for_stop().await;
        assert!(!child.connected());
    }
}

every_executor!(
    one_for_one_restarts_only_the_failed_child,
    one_for_all_restarts_every_child,
    rest_for_one_restarts_the_failed_child_and_those_after_it,
    past_the_budget_the_group_stops_everything,
);
