// Pins guarantee 6 of the crate docs (`messages`, "Guarantees and failure model").
//! FIFO per sender: messages from one sender are handled in the order sent, however
//! many senders interleave.

use messages::prelude::*;
use messages_tests::{Rt, every_executor};

const SENDERS: usize = 4;
const PER_SENDER: usize = 200;

#[derive(Default)]
struct Recorder {
    seen: Vec<(usize, usize)>,
}

impl Actor for Recorder {}

/// (sender, sequence number)
struct Numbered(usize, usize);

impl Notifiable<Numbered> for Recorder {
    async fn notify(&mut self, Numbered(sender, n): Numbered, _: &Context<Self>) {
        self.seen.push((sender, n));
    }
}

impl Handler<Numbered> for Recorder {
    type Result = ();
    async fn handle(&mut self, Numbered(sender, n): Numbered, _: &Context<Self>) {
        self.seen.push((sender, n));
    }
}

async fn messages_from_one_sender_keep_their_order(rt: Rt) {
    // A small mailbox, so senders also wait for room and get woken in between.
    let context = Context::with_capacity(8).unwrap();
    let address = context.address();
    let join = context.with_runtime(rt.clone()).spawn(Recorder::default());
    let senders: Vec<_> = (0..SENDERS)
        .map(|sender| {
            let address = address.clone();
            rt.spawn_task(async move {
                for n in 0..PER_SENDER {
                    // Requests and notifications share one queue and one order.
                    if n % 3 == 0 {
                        address.send(Numbered(sender, n)).await.unwrap();
                    } else {
                        address.notify(Numbered(sender, n)).await.unwrap();
                    }
                }
            })
        })
        .collect();
    futures::future::join_all(senders).await;
    drop(address);
    let seen = join.await.unwrap().actor.seen;
    assert_eq!(seen.len(), SENDERS * PER_SENDER, "nothing lost");
    for sender in 0..SENDERS {
        let order: Vec<usize> = seen
            .iter()
            .filter(|(s, _)| *s == sender)
            .map(|(_, n)| *n)
            .collect();
        assert_eq!(
            order,
            (0..PER_SENDER).collect::<Vec<_>>(),
            "sender {sender} out of order"
        );
    }
}

every_executor!(messages_from_one_sender_keep_their_order);
