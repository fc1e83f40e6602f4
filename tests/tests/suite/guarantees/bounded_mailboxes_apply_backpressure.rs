// Pins guarantee 7 of the crate docs (`messages`, "Guarantees and failure model").
//! Bounded mailboxes apply backpressure exactly: `capacity` messages wait, the next
//! `try_*` is refused with its message, a waiting `notify`/`send` is woken when room
//! frees, senders waiting for room get in oldest first, and one that gives up passes
//! its turn on. Unbounded mailboxes never refuse for room.

use std::pin::pin;

use crate::fixtures::Hold;
use futures::{join, poll};
use messages::prelude::*;
use messages::{TrySendError, ZeroCapacityError};
use messages_tests::{Gate, Rt, every_executor, is_pending, within};

#[derive(Default)]
struct Sink {
    handled: Vec<u32>,
}

impl Actor for Sink {}

impl Notifiable<Hold> for Sink {
    async fn notify(&mut self, Hold(gate): Hold, _: &Context<Self>) {
        gate.pass().await;
    }
}

impl Notifiable<u32> for Sink {
    async fn notify(&mut self, n: u32, _: &Context<Self>) {
        self.handled.push(n);
    }
}

impl Handler<u32> for Sink {
    type Result = u32;
    async fn handle(&mut self, n: u32, _: &Context<Self>) -> u32 {
        self.handled.push(n);
        n
    }
}

const CAPACITY: usize = 4;

async fn capacity_is_exact_and_try_hands_the_message_back(rt: Rt) {
    let context = Context::with_capacity(CAPACITY).unwrap();
    let address = context.address();
    // Not running yet: nothing leaves the mailbox, so the count is exact.
    for n in 0..CAPACITY as u32 {
        address.try_notify(n).unwrap();
    }
    let refused = address.try_notify(99_u32).unwrap_err();
    assert!(refused.is_full());
    assert_eq!(refused.into_inner(), 99);
    let refused = address.try_send(98_u32).unwrap_err();
    assert!(matches!(refused, TrySendError::Full(98)));
    // The waiting variants wait...
    assert!(is_pending(address.notify(97_u32)));
    assert!(is_pending(address.send(96_u32)));
    drop(address);
    // ...and nothing refused or cancelled was queued.
    let exit = rt.spawn_task(context.run(Sink::default())).await;
    assert_eq!(exit.actor.handled, [0, 1, 2, 3]);
}

async fn a_waiting_sender_is_woken_when_room_frees(rt: Rt) {
    let context = Context::with_capacity(CAPACITY).unwrap();
    let address = context.address();
    let (gate, key) = Gate::new();
    address.notify(Hold(gate)).await.unwrap();
    for n in 0..(CAPACITY - 1) as u32 {
        address.notify(n).await.unwrap();
    }
    // Full now (Hold + 3), and nothing runs the actor yet.
    assert!(address.try_notify(100_u32).unwrap_err().is_full());
    let waiting = rt.spawn_task({
        let address = address.clone();
        async move { address.notify(100_u32).await }
    });
    let join = context.with_runtime(rt.clone()).spawn(Sink::default());
    key.open();
    assert_eq!(waiting.await, Ok(()), "woken when room freed");
    drop(address);
    assert_eq!(join.await.unwrap().actor.handled, [0, 1, 2, 100]);
}

async fn an_unbounded_mailbox_never_refuses_for_room(rt: Rt) {
    let context = Context::unbounded();
    let address = context.address();
    for n in 0..10_000_u32 {
        address.try_notify(n).unwrap();
    }
    drop(address);
    let exit = rt.spawn_task(context.run(Sink::default())).await;
    assert_eq!(exit.actor.handled.len(), 10_000);
}

/// Reports every number it handles.
struct Reporter(tokio::sync::mpsc::UnboundedSender<u32>);

impl Actor for Reporter {}

impl Notifiable<u32> for Reporter {
    async fn notify(&mut self, n: u32, _: &Context<Self>) {
        let _ = self.0.send(n);
    }
}

async fn waiting_senders_are_served_oldest_first(rt: Rt) {
    let context = Context::with_capacity(1).unwrap();
    let address = context.address();
    address.try_notify(0_u32).unwrap();
    let (reports, mut handled) = tokio::sync::mpsc::unbounded_channel();
    let join = {
        let mut first = pin!(address.notify(1_u32));
        let mut second = pin!(address.notify(2_u32));
        let mut third = pin!(address.notify(3_u32));
        // They queue up in this order...
        assert!(poll!(first.as_mut()).is_pending());
        assert!(poll!(second.as_mut()).is_pending());
        assert!(poll!(third.as_mut()).is_pending());
        let join = context.with_runtime(rt.clone()).spawn(Reporter(reports));
        // ...and get in in this order, however they are polled as room frees.
        let (third, second, first) = within(async { join!(third, second, first) }).await;
        assert_eq!((first, second, third), (Ok(()), Ok(()), Ok(())));
        join
    };
    let mut order = Vec::new();
    for _ in 0..4 {
        order.push(within(handled.recv()).await);
    }
    assert_eq!(order, [Some(0), Some(1), Some(2), Some(3)]);
    drop(address);
    within(join).await.unwrap();
}

async fn a_sender_that_gives_up_waiting_passes_its_turn_on(rt: Rt) {
    let context = Context::with_capacity(1).unwrap();
    let address = context.address();
    address.try_notify(0_u32).unwrap();
    let (reports, mut handled) = tokio::sync::mpsc::unbounded_channel();
    let mut giving_up = Box::pin(address.notify(1_u32));
    assert!(poll!(giving_up.as_mut()).is_pending());
    // The next in line waits in a task of its own, so it runs again only when woken.
    let (registered, in_line) = tokio::sync::oneshot::channel();
    let staying = rt.spawn_task({
        let address = address.clone();
        async move {
            let mut staying = pin!(address.notify(2_u32));
            assert!(poll!(staying.as_mut()).is_pending());
            let _ = registered.send(());
            staying.await
        }
    });
    within(in_line).await.unwrap();
    let join = context.with_runtime(rt.clone()).spawn(Reporter(reports));
    // 0 was taken: the room went to the oldest waiting sender, which now gives up.
    assert_eq!(within(handled.recv()).await, Some(0));
    drop(giving_up);
    assert_eq!(
        within(staying).await,
        Ok(()),
        "the turn passed to the next sender"
    );
    assert_eq!(within(handled.recv()).await, Some(2));
    drop(address);
    within(join).await.unwrap();
    assert_eq!(
        handled.recv().await,
        None,
        "the sender that gave up queued nothing"
    );
}

every_executor!(
    capacity_is_exact_and_try_hands_the_message_back,
    a_waiting_sender_is_woken_when_room_frees,
    an_unbounded_mailbox_never_refuses_for_room,
    waiting_senders_are_served_oldest_first,
    a_sender_that_gives_up_waiting_passes_its_turn_on,
);

#[test]
fn zero_capacity_is_a_typed_error() {
    let error = Context::<Sink>::with_capacity(0).unwrap_err();
    assert_eq!(error, ZeroCapacityError);
    assert!(error.to_string().contains("at least 1"));
}
