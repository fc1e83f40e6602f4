//! Bounded mailboxes apply backpressure exactly: `capacity` messages wait, the next
//! `try_*` is refused with its message, a waiting `notify`/`send` is woken when room
//! frees. Unbounded mailboxes never refuse for room.

use messages::prelude::*;
use messages_tests::{Gate, Rt, every_executor, is_pending};

#[derive(Default)]
struct Sink {
    handled: Vec<u32>,
}

impl Actor for Sink {}

struct Hold(Gate);

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
    let join = context.spawn_on(Sink::default(), &rt);
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

every_executor!(
    capacity_is_exact_and_try_hands_the_message_back,
    a_waiting_sender_is_woken_when_room_frees,
    an_unbounded_mailbox_never_refuses_for_room,
);

#[test]
fn zero_capacity_is_a_typed_error() {
    let error = Context::<Sink>::with_capacity(0).unwrap_err();
    assert_eq!(error, ZeroCapacityError);
    assert!(error.to_string().contains("at least 1"));
}
