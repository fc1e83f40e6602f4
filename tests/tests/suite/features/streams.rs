//! Streams attached to actors: items arrive in order as notifications, an end message
//! follows the last one, and an attached stream keeps the actor alive until it ends.

use futures::channel::mpsc;
use futures::stream;
use messages::prelude::*;
use messages_tests::{Log, Rt, every_executor};

#[derive(Default)]
struct Collector {
    log: Log,
}

impl Actor for Collector {}

impl Notifiable<u32> for Collector {
    async fn notify(&mut self, item: u32, _: &Context<Self>) {
        self.log.push(format!("item {item}"));
    }
}

struct Ended;

impl Notifiable<Ended> for Collector {
    async fn notify(&mut self, _: Ended, _: &Context<Self>) {
        self.log.push("ended");
    }
}

struct Snapshot;

impl Handler<Snapshot> for Collector {
    type Result = Vec<String>;
    async fn handle(&mut self, _: Snapshot, _: &Context<Self>) -> Vec<String> {
        self.log.events()
    }
}

async fn items_arrive_in_order_then_the_end(rt: Rt) {
    let log = Log::default();
    let context = Context::new().with_runtime(rt);
    context.add_stream_with_end(stream::iter(1..=3_u32), Ended);
    let address = context.address();
    let join = context.spawn(Collector { log: log.clone() });
    drop(address);
    // The stream kept the actor alive until it ended; then nothing did.
    assert_eq!(join.await.unwrap().reason, StopReason::AddressesDropped);
    assert_eq!(log.events(), ["item 1", "item 2", "item 3", "ended"]);
}

async fn an_attached_stream_keeps_the_actor_alive_until_it_ends(rt: Rt) {
    let log = Log::default();
    let (items, stream) = mpsc::unbounded::<u32>();
    let context = Context::new().with_runtime(rt);
    context.add_stream(stream);
    let join = context.spawn(Collector { log: log.clone() });
    // Every address is gone (the context's own went with `spawn`), yet the actor
    // still handles what the stream brings.
    items.unbounded_send(1).unwrap();
    items.unbounded_send(2).unwrap();
    drop(items); // the stream ends
    let exit = join.await.unwrap();
    assert_eq!(exit.reason, StopReason::AddressesDropped);
    assert_eq!(log.events(), ["item 1", "item 2"]);
}

async fn a_stop_ends_the_forwarding(rt: Rt) {
    let (items, stream) = mpsc::unbounded::<u32>();
    let address = Collector::default().spawn_on(&rt);
    let forwarder = rt.spawn_task(address.clone().into_stream_forwarder(stream));
    items.unbounded_send(1).unwrap();
    // Once the item is handled, the forwarder is waiting for the next one.
    while address.send(Snapshot).await.unwrap().is_empty() {}
    address.stop().await;
    address.wait_for_stop().await;
    // The forwarder ends with the actor, though its stream is still waiting for an
    // item, and drops the stream.
    assert_eq!(forwarder.await, Err(SendError::Stopped));
    assert!(items.unbounded_send(2).is_err(), "the stream was dropped");
}

async fn a_forwarder_resolves_when_its_stream_ends(rt: Rt) {
    let address = Collector::default().spawn_on(&rt);
    let forwarded = address
        .clone()
        .into_stream_forwarder(stream::iter([5_u32, 6]))
        .await;
    assert_eq!(forwarded, Ok(()));
    assert_eq!(address.send(Snapshot).await.unwrap(), ["item 5", "item 6"]);
}

every_executor!(
    items_arrive_in_order_then_the_end,
    an_attached_stream_keeps_the_actor_alive_until_it_ends,
    a_stop_ends_the_forwarding,
    a_forwarder_resolves_when_its_stream_ends,
);

#[tokio::test]
async fn spawn_stream_forwarder_uses_the_built_in_runtime() {
    messages_tests::within(async {
        let address = Collector::default().spawn();
        address
            .clone()
            .spawn_stream_forwarder(stream::iter([9_u32]));
        while address.send(Snapshot).await.unwrap().is_empty() {
            tokio::task::yield_now().await;
        }
        assert_eq!(address.send(Snapshot).await.unwrap(), ["item 9"]);
    })
    .await;
}
