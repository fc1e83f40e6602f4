// Pins guarantee 8 of the crate docs (`messages`, "Guarantees and failure model").
//! Cancellation is safe: a dropped `send`/`notify` queues its message once or not at
//! all and gives back its room; a dropped request's late reply is discarded; a dropped
//! run future (or an unused context) fails every waiter instead of leaving it hanging;
//! a dropped `wait_for_stop` gives up its place and the others are still woken.

use crate::fixtures::Hold;
use futures::FutureExt;
use messages::prelude::*;
use messages_tests::{Gate, Log, Rt, every_executor, is_pending};

#[derive(Default)]
struct Worker {
    log: Log,
}

impl Actor for Worker {
    async fn stopped(&mut self) {
        self.log.push("stopped");
    }
}

impl Handler<Hold> for Worker {
    type Result = ();
    async fn handle(&mut self, Hold(gate): Hold, _: &Context<Self>) {
        gate.pass().await;
        self.log.push("hold");
    }
}

impl Handler<u32> for Worker {
    type Result = u32;
    async fn handle(&mut self, n: u32, _: &Context<Self>) -> u32 {
        self.log.push(format!("request {n}"));
        n
    }
}

impl Notifiable<u32> for Worker {
    async fn notify(&mut self, n: u32, _: &Context<Self>) {
        self.log.push(format!("notification {n}"));
    }
}

async fn a_dropped_sender_waiting_for_room_queues_nothing(rt: Rt) {
    let log = Log::default();
    let context = Context::with_capacity(1).unwrap();
    let address = context.address();
    address.try_notify(0_u32).unwrap();
    // Both wait for room; dropping them must leave no copy and no claimed slot behind.
    assert!(is_pending(address.notify(1_u32)));
    assert!(is_pending(address.send(2_u32)));
    let join = context
        .with_runtime(rt.clone())
        .spawn(Worker { log: log.clone() });
    assert_eq!(address.send(3_u32).await, Ok(3));
    // The slot freed by the handled messages is available again.
    address.try_notify(4_u32).unwrap();
    drop(address);
    join.await.unwrap();
    assert_eq!(
        log.events(),
        ["notification 0", "request 3", "notification 4", "stopped"]
    );
}

async fn a_dropped_request_is_handled_and_its_reply_discarded(rt: Rt) {
    let log = Log::default();
    let address = Worker { log: log.clone() }.spawn_on(&rt);
    let (gate, key) = Gate::new();
    let held = address.try_send(Hold(gate)).unwrap();
    // Queued on the first poll (there is room), then abandoned while it waits.
    assert!(is_pending(address.send(1_u32)));
    key.open();
    held.await.unwrap();
    assert_eq!(address.send(2_u32).await, Ok(2), "the actor goes on");
    assert_eq!(log.events(), ["hold", "request 1", "request 2"]);
}

async fn a_dropped_run_future_fails_every_waiter(rt: Rt) {
    let log = Log::default();
    let context = Context::new();
    let address = context.address();
    let (gate, _key) = Gate::new();
    let held = address.try_send(Hold(gate)).unwrap();
    let queued = address.try_send(1_u32).unwrap();
    let waiter = rt.spawn_task({
        let address = address.clone();
        async move { address.wait_for_stop().await }
    });
    // Polled once: the actor starts and blocks in `Hold`; then the future is dropped.
    assert!(
        context
            .run(Worker { log: log.clone() })
            .now_or_never()
            .is_none()
    );
    assert_eq!(held.await, Err(SendError::Unanswered));
    assert_eq!(queued.await, Err(SendError::Unanswered));
    assert_eq!(waiter.await, StopReason::Cancelled);
    assert_eq!(address.send(2_u32).await, Err(SendError::Stopped));
    assert!(
        log.events().is_empty(),
        "stopped does not run on cancellation"
    );
}

async fn an_unused_context_fails_every_waiter(_rt: Rt) {
    let context = Context::<Worker>::new();
    let address = context.address();
    let queued = address.try_send(1_u32).unwrap();
    drop(context);
    assert_eq!(queued.await, Err(SendError::Unanswered));
    assert_eq!(address.wait_for_stop().await, StopReason::Cancelled);
    assert_eq!(address.notify(2_u32).await, Err(SendError::Stopped));
    assert!(!address.connected());
}

async fn dropped_stop_waiters_leave_the_others_to_be_woken(rt: Rt) {
    let address = Worker::default().spawn_on(&rt);
    // Polled and dropped, as in a `select!` loop.
    for _ in 0..1000 {
        assert!(is_pending(address.wait_for_stop()));
    }
    // Polled once here, then moved to a task: the stop wakes the task's waker.
    let mut moved = Box::pin({
        let address = address.clone();
        async move { address.wait_for_stop().await }
    });
    assert!(is_pending(moved.as_mut()));
    let moved = rt.spawn_task(moved);
    let waiters: Vec<_> = (0..3)
        .map(|_| {
            let address = address.clone();
            rt.spawn_task(async move { address.wait_for_stop().await })
        })
        .collect();
    address.stop().await;
    assert_eq!(moved.await, StopReason::Requested);
    for waiter in waiters {
        assert_eq!(waiter.await, StopReason::Requested);
    }
    assert_eq!(address.wait_for_stop().await, StopReason::Requested);
}

every_executor!(
    a_dropped_sender_waiting_for_room_queues_nothing,
    a_dropped_request_is_handled_and_its_reply_discarded,
    a_dropped_run_future_fails_every_waiter,
    an_unused_context_fails_every_waiter,
    dropped_stop_waiters_leave_the_others_to_be_woken,
);
