// Pins guarantee 3 of the crate docs (`messages`, "Guarantees and failure model").
//! Guarantee 3: sending to a stopped actor fails at once with a typed error, and the
//! `try_*` calls hand the message back — whichever way the actor stopped, and even when
//! its mailbox was full.

use futures::FutureExt;
use messages::prelude::*;
use messages::{Coroutine, ReadHandler, TrySendError};
use messages_tests::{Rt, every_executor};

#[derive(Clone)]
struct Quiet;

impl Actor for Quiet {}

impl Handler<u32> for Quiet {
    type Result = u32;
    async fn handle(&mut self, n: u32, _: &Context<Self>) -> u32 {
        assert_ne!(n, 0, "zero");
        n
    }
}

impl Notifiable<u32> for Quiet {
    async fn notify(&mut self, _: u32, _: &Context<Self>) {}
}

impl ReadHandler<String> for Quiet {
    type Result = usize;
    async fn handle_read(&self, text: String, _: &Context<Self>) -> usize {
        text.len()
    }
}

impl Coroutine<u8> for Quiet {
    type Result = u8;
    async fn calculate(self, n: u8) -> u8 {
        n
    }
}

/// Every way to send, on a stopped actor: each resolves on its first poll.
fn assert_refused_at_once(address: &Address<Quiet>) {
    assert!(!address.connected());
    assert_eq!(
        address.send(1_u32).now_or_never(),
        Some(Err(SendError::Stopped))
    );
    assert_eq!(
        address.notify(1_u32).now_or_never(),
        Some(Err(SendError::Stopped))
    );
    assert_eq!(
        address.read("text".to_owned()).now_or_never(),
        Some(Err(SendError::Stopped))
    );
    assert_eq!(
        address.calculate(1_u8).now_or_never(),
        Some(Err(SendError::Stopped))
    );
    assert!(matches!(
        address.try_send(7_u32),
        Err(TrySendError::Stopped(7))
    ));
    assert!(matches!(
        address.try_notify(8_u32),
        Err(TrySendError::Stopped(8))
    ));
    assert!(matches!(
        address.try_read("back".to_owned()),
        Err(TrySendError::Stopped(text)) if text == "back"
    ));
    assert!(matches!(
        address.notify_priority(9_u32),
        Err(TrySendError::Stopped(9))
    ));
    assert_eq!(address.stop().now_or_never(), Some(()));
}

async fn after_a_stop(rt: Rt) {
    let address = Quiet.spawn_on(&rt);
    address.stop().await;
    address.wait_for_stop().await;
    assert_refused_at_once(&address);
}

async fn after_a_panic(rt: Rt) {
    let address = Quiet.spawn_on(&rt);
    assert_eq!(address.send(0_u32).await, Err(SendError::Panicked));
    address.wait_for_stop().await;
    assert_refused_at_once(&address);
}

async fn after_a_kill(rt: Rt) {
    let address = Quiet.spawn_on(&rt);
    address.kill();
    address.wait_for_stop().await;
    assert_refused_at_once(&address);
}

async fn after_the_context_was_dropped(_rt: Rt) {
    let context = Context::<Quiet>::with_capacity(1).unwrap();
    let address = context.address();
    address.try_notify(1_u32).unwrap(); // full
    drop(context);
    assert_refused_at_once(&address);
}

every_executor!(
    after_a_stop,
    after_a_panic,
    after_a_kill,
    after_the_context_was_dropped,
);
