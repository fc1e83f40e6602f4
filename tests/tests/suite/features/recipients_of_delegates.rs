//! `Recipient<M, R>` of an actor that answers `M` with a `Delegate<M>` rather than a
//! `Handler<M>`: made by the same `address.recipient()`, stored beside a handler's, and
//! answered through the responder, whenever it sends.

use messages::prelude::*;
use messages::{Delegate, Recipient, Responder};
use messages_tests::{Rt, every_executor, within};

/// Answers `Quote` through a responder, at once or (`Quote(0)`) kept until `Publish`.
#[derive(Default)]
struct Desk {
    waiting: Option<Responder<u64>>,
}

impl Actor for Desk {}

/// Answers `Quote` at once, with its handler's value.
struct Counter;

impl Actor for Counter {}

/// Asks for a price.
struct Quote(u64);

impl Delegate<Quote> for Desk {
    type Result = u64;

    async fn delegate(&mut self, Quote(n): Quote, responder: Responder<u64>, _: &Context<Self>) {
        if n == 0 {
            // Kept: answered by a later `Publish`, while the desk goes on.
            self.waiting = Some(responder);
        } else {
            responder.send(n * 100);
        }
    }
}

impl Handler<Quote> for Counter {
    type Result = u64;

    async fn handle(&mut self, Quote(n): Quote, _: &Context<Self>) -> u64 {
        n + 1
    }
}

/// Answers the kept quote with `.0`; says whether there was one.
struct Publish(u64);

impl Handler<Publish> for Desk {
    type Result = bool;

    async fn handle(&mut self, Publish(price): Publish, _: &Context<Self>) -> bool {
        self.waiting.take().map(|kept| kept.send(price)).is_some()
    }
}

async fn a_delegates_recipient_lives_beside_a_handlers(rt: Rt) {
    let desk = Desk::default().spawn_on(&rt);
    let counter = Counter.spawn_on(&rt);
    let quoters: Vec<Recipient<Quote, u64>> = vec![desk.recipient(), counter.recipient()];
    let mut answers = Vec::new();
    for quoter in &quoters {
        answers.push(quoter.send(Quote(3)).await);
    }
    assert_eq!(answers, [Ok(300), Ok(4)]);
    assert_eq!(quoters[0].id(), desk.id());
    assert_eq!(quoters[0].try_send(Quote(2)).expect("room").await, Ok(200));
    assert_eq!(quoters[1].try_send(Quote(2)).expect("room").await, Ok(3));
}

async fn a_delegates_recipient_is_answered_when_the_responder_sends(rt: Rt) {
    let desk = Desk::default().spawn_on(&rt);
    // The message named alone: the kind is inferred.
    let quoter = desk.recipient::<Quote, _>();
    let kept = quoter.try_send(Quote(0)).expect("room");
    // The desk went on with its mailbox: the quote waits for its responder.
    assert_eq!(desk.send(Publish(7)).await, Ok(true));
    assert_eq!(within(kept).await, Ok(7));

    // A kept responder dropped with the desk's state, unanswered: `Unanswered`.
    let dropped = quoter.try_send(Quote(0)).expect("room");
    desk.stop().await;
    assert_eq!(desk.wait_for_stop().await, StopReason::Requested);
    assert_eq!(dropped.await, Err(SendError::Unanswered));
    assert!(!quoter.connected());
    assert_eq!(quoter.send(Quote(1)).await, Err(SendError::Stopped));
    assert!(quoter.try_send(Quote(1)).unwrap_err().is_stopped());
}

every_executor!(
    a_delegates_recipient_lives_beside_a_handlers,
    a_delegates_recipient_is_answered_when_the_responder_sends,
);
