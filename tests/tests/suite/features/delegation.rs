//! Delegated replies: a `Delegate` handler hands its answer off to a `Responder` and
//! returns at once; the caller of `send` gets the answer itself, whoever sends it.

use std::time::Duration;

use messages::prelude::*;
use messages::{Delegate, Responder};
use messages_tests::{Gate, GateKey, Rt, every_executor, silence_panics};

/// Hands each job to a worker and serves the next request at once.
struct Coordinator {
    worker: Address<Worker>,
    /// The responders of `Park` requests, answered by `Release`.
    parked: Vec<Responder<u64>>,
}

impl Actor for Coordinator {}

/// Squares a number; the worker waits for its gate first, so a test can hold it.
struct Worker {
    gate: Option<Gate>,
}

impl Actor for Worker {}

struct Square(u64);

impl Handler<Square> for Worker {
    type Result = u64;

    async fn handle(&mut self, Square(n): Square, _: &Context<Self>) -> u64 {
        if let Some(gate) = self.gate.take() {
            gate.pass().await;
        }
        n * n
    }
}

/// Forwarded to the worker: the worker's answer goes straight to the caller.
struct Job(u64);

impl Delegate<Job> for Coordinator {
    type Result = u64;

    async fn delegate(&mut self, Job(n): Job, responder: Responder<u64>, _: &Context<Self>) {
        // Forwarding returns once the request is queued, not once it is answered.
        self.worker
            .forward(Square(n), responder)
            .await
            .expect("the worker is running");
    }
}

/// Kept until a `Release` answers it.
struct Park;

impl Delegate<Park> for Coordinator {
    type Result = u64;

    async fn delegate(&mut self, _: Park, responder: Responder<u64>, _: &Context<Self>) {
        self.parked.push(responder);
    }
}

/// Answers every parked request with `n`, and says how many there were.
struct Release(u64);

impl Handler<Release> for Coordinator {
    type Result = usize;

    async fn handle(&mut self, Release(n): Release, _: &Context<Self>) -> usize {
        let parked = std::mem::take(&mut self.parked);
        let count = parked.len();
        for responder in parked {
            responder.send(n);
        }
        count
    }
}

/// Drops its responder unanswered.
struct Forget;

impl Delegate<Forget> for Coordinator {
    type Result = u64;

    async fn delegate(&mut self, _: Forget, responder: Responder<u64>, _: &Context<Self>) {
        drop(responder);
    }
}

/// Moves the responder into a task that panics while holding it.
struct PanicLater;

impl Delegate<PanicLater> for Coordinator {
    type Result = u64;

    async fn delegate(&mut self, _: PanicLater, responder: Responder<u64>, _: &Context<Self>) {
        std::thread::spawn(move || {
            let _held = responder;
            panic!("the task holding the responder panicked");
        });
    }
}

/// Panics in the handler itself.
struct PanicNow;

impl Delegate<PanicNow> for Coordinator {
    type Result = u64;

    async fn delegate(&mut self, _: PanicNow, _: Responder<u64>, _: &Context<Self>) {
        panic!("the delegating handler panicked");
    }
}

fn coordinator(rt: &Rt, gate: Option<Gate>) -> Address<Coordinator> {
    let worker = Worker { gate }.spawn_on(rt);
    Coordinator {
        worker,
        parked: Vec::new(),
    }
    .spawn_on(rt)
}

async fn a_forwarded_request_is_answered_by_the_actor_it_went_to(rt: Rt) {
    let (gate, key): (Gate, GateKey) = Gate::new();
    let coordinator = coordinator(&rt, Some(gate));
    // Queued in this order: the worker holds the job at its gate, and the coordinator
    // serves what follows meanwhile (it is not busy with the job).
    let held = coordinator.try_send(Job(3)).expect("room");
    let park = coordinator.try_send(Park).expect("room");
    assert_eq!(coordinator.send(Release(7)).await, Ok(1));
    assert_eq!(park.await, Ok(7));
    key.open();
    assert_eq!(held.await, Ok(9));
    assert_eq!(coordinator.send(Job(5)).await, Ok(25));
}

async fn answers_come_later_while_the_actor_goes_on(rt: Rt) {
    let coordinator = coordinator(&rt, None);
    let parked: Vec<_> = (0..3)
        .map(|_| coordinator.try_send(Park).expect("room"))
        .collect();
    assert_eq!(coordinator.send(Release(42)).await, Ok(3));
    for answer in parked {
        assert_eq!(answer.await, Ok(42));
    }
}

async fn a_dropped_responder_answers_unanswered(rt: Rt) {
    let coordinator = coordinator(&rt, None);
    assert_eq!(coordinator.send(Forget).await, Err(SendError::Unanswered));
    // The actor goes on.
    assert_eq!(coordinator.send(Job(2)).await, Ok(4));
}

async fn a_panic_that_drops_the_responder_answers_panicked(rt: Rt) {
    silence_panics("the task holding the responder panicked");
    silence_panics("the delegating handler panicked");
    let coordinator = coordinator(&rt, None);
    assert_eq!(coordinator.send(PanicLater).await, Err(SendError::Panicked));
    assert_eq!(
        coordinator.send(Job(2)).await,
        Ok(4),
        "a task's panic is not the actor's"
    );
    assert_eq!(coordinator.send(PanicNow).await, Err(SendError::Panicked));
    assert!(matches!(
        coordinator.wait_for_stop().await,
        StopReason::Panicked(message) if message.contains("delegating handler")
    ));
}

async fn a_caller_timeout_works_as_for_any_request(rt: Rt) {
    let coordinator = coordinator(&rt, None);
    let timed = coordinator
        .send(Park)
        .timeout_on(Duration::from_millis(20), &rt)
        .await;
    assert_eq!(timed, Err(SendError::Timeout));
    // The responder sees its caller gone; answering it is harmless.
    assert_eq!(coordinator.send(Release(1)).await, Ok(1));
}

async fn try_send_reaches_a_delegate_too(rt: Rt) {
    let coordinator = coordinator(&rt, None);
    let reply = coordinator.try_send(Job(6)).expect("room in the mailbox");
    assert_eq!(reply.await, Ok(36));
}

async fn forwarding_to_a_stopped_actor_fails_and_the_caller_learns(rt: Rt) {
    let coordinator = coordinator(&rt, None);
    let worker = Worker { gate: None }.spawn_on(&rt);
    worker.stop().await;
    worker.wait_for_stop().await;
    struct ForwardTo(Address<Worker>);
    impl Delegate<ForwardTo> for Coordinator {
        type Result = u64;
        async fn delegate(
            &mut self,
            ForwardTo(to): ForwardTo,
            r: Responder<u64>,
            _: &Context<Self>,
        ) {
            assert_eq!(to.forward(Square(1), r).await, Err(SendError::Stopped));
        }
    }
    assert_eq!(
        coordinator.send(ForwardTo(worker)).await,
        Err(SendError::Unanswered)
    );
}

every_executor!(
    a_forwarded_request_is_answered_by_the_actor_it_went_to,
    answers_come_later_while_the_actor_goes_on,
    a_dropped_responder_answers_unanswered,
    a_panic_that_drops_the_responder_answers_panicked,
    a_caller_timeout_works_as_for_any_request,
    try_send_reaches_a_delegate_too,
    forwarding_to_a_stopped_actor_fails_and_the_caller_learns,
);
