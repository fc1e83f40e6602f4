//! `Recipient` / `NotifyRecipient` erase the actor type; `WeakAddress` does not keep the
//! actor alive. Typed addresses from `#[actor]` give both.

use messages::prelude::*;
use messages::{NotifyRecipient, Recipient};
use messages_tests::{Log, Rt, every_executor};

struct Doubler;
impl Actor for Doubler {}

struct Squarer;
impl Actor for Squarer {}

struct Compute(u64);

impl Handler<Compute> for Doubler {
    type Result = u64;
    async fn handle(&mut self, Compute(n): Compute, _: &Context<Self>) -> u64 {
        n * 2
    }
}

impl Handler<Compute> for Squarer {
    type Result = u64;
    async fn handle(&mut self, Compute(n): Compute, _: &Context<Self>) -> u64 {
        n * n
    }
}

#[derive(Clone)]
struct Ping(&'static str);

#[actor]
#[derive(Debug, Default)]
pub struct Listener {
    log: Log,
}

#[actor]
impl Listener {
    #[notify]
    pub fn hear(&mut self, what: &'static str) {
        self.log.push(what);
    }
}

impl Notifiable<Ping> for Listener {
    async fn notify(&mut self, Ping(what): Ping, _: &Context<Self>) {
        self.log.push(what);
    }
}

async fn recipients_of_different_actors_live_together(rt: Rt) {
    let doubler = Doubler.spawn_on(&rt);
    let squarer = Squarer.spawn_on(&rt);
    let recipients: Vec<Recipient<Compute, u64>> = vec![doubler.recipient(), squarer.recipient()];
    let mut answers = Vec::new();
    for recipient in &recipients {
        answers.push(recipient.send(Compute(5)).await.unwrap());
    }
    assert_eq!(answers, [10, 25]);
    assert_eq!(recipients[0].id(), doubler.id());
    assert_eq!(recipients[1].try_send(Compute(3)).unwrap().await, Ok(9));
    assert_eq!(recipients[0].clone(), recipients[0]);
    assert_ne!(recipients[0], recipients[1]);

    doubler.stop().await;
    doubler.wait_for_stop().await;
    assert!(!recipients[0].connected());
    assert_eq!(
        recipients[0].send(Compute(1)).await,
        Err(SendError::Stopped)
    );
    assert!(recipients[0].try_send(Compute(1)).unwrap_err().is_stopped());
}

async fn notify_recipients_take_typed_addresses_too(rt: Rt) {
    let log = Log::default();
    let listener: ListenerAddress = Listener { log: log.clone() }.spawn_on(&rt);
    let recipient: NotifyRecipient<Ping> = listener.notify_recipient();
    recipient.notify(Ping("one")).await.unwrap();
    recipient.try_notify(Ping("two")).unwrap();
    listener.hear("three").await.unwrap();
    drop(recipient);
    listener.stop().await;
    listener.wait_for_stop().await;
    assert_eq!(log.events(), ["one", "two", "three"]);
}

async fn a_weak_address_does_not_keep_the_actor_alive(rt: Rt) {
    let log = Log::default();
    let context = Context::new();
    let address: ListenerAddress = context.address().into();
    let weak = address.downgrade();
    let join = context
        .with_runtime(rt.clone())
        .spawn(Listener { log: log.clone() });
    let upgraded: ListenerAddress = weak.upgrade().expect("a strong address exists").into();
    upgraded.hear("through an upgrade").await.unwrap();
    assert_eq!(weak.id(), address.id());
    drop(upgraded);
    drop(address);
    // The weak address alone does not keep the actor alive.
    assert_eq!(join.await.unwrap().reason, StopReason::AddressesDropped);
    assert!(weak.upgrade().is_none());
    assert_eq!(log.events(), ["through an upgrade"]);
}

every_executor!(
    recipients_of_different_actors_live_together,
    notify_recipients_take_typed_addresses_too,
    a_weak_address_does_not_keep_the_actor_alive,
);
