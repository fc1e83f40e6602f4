//! A property test of the mailbox against a reference model: random sequences of
//! `try_send`, `try_notify`, `stop`, a panicking request and address drops are queued on
//! a bounded mailbox before the actor runs (so the queue is deterministic), then the
//! actor runs to the end. Every outcome — refused at once, answered, panicked,
//! unanswered, handled, undelivered, the stop reason — must match the model.

use messages::prelude::*;
use messages::{Reply, TrySendError};
use proptest::prelude::*;

#[derive(Debug, Clone, Copy)]
enum Op {
    Request(u8),
    Notification(u8),
    Panic,
    Stop,
    DropAddress,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => any::<u8>().prop_map(Op::Request),
        4 => any::<u8>().prop_map(Op::Notification),
        1 => Just(Op::Panic),
        1 => Just(Op::Stop),
        1 => Just(Op::DropAddress),
    ]
}

#[derive(Default)]
struct Recorder {
    handled: Vec<u8>,
}

impl Actor for Recorder {}

impl Handler<u8> for Recorder {
    type Result = u8;
    async fn handle(&mut self, n: u8, _: &Context<Self>) -> u8 {
        self.handled.push(n);
        n
    }
}

impl Notifiable<u8> for Recorder {
    async fn notify(&mut self, n: u8, _: &Context<Self>) {
        self.handled.push(n);
    }
}

struct Boom;

impl Handler<Boom> for Recorder {
    type Result = ();
    async fn handle(&mut self, _: Boom, _: &Context<Self>) {
        panic!("model boom")
    }
}

/// What the model says about one queued item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Request(u8),
    Notification(u8),
    Panic,
    Stop,
}

fn check(capacity: usize, ops: &[Op]) -> Result<(), TestCaseError> {
    let context = Context::<Recorder>::with_capacity(capacity).unwrap();
    let mut addresses = vec![context.address(), context.address()];
    // Model: the queue, and what each request should get.
    let mut queue: Vec<Item> = Vec::new();
    let mut replies: Vec<(usize, Reply<u8>)> = Vec::new();
    let mut boom: Option<(usize, Reply<()>)> = None;
    for op in ops {
        let full = queue.len() >= capacity;
        let Some(address) = addresses.last() else {
            break; // every address dropped: nothing more can be sent
        };
        match *op {
            Op::Request(n) => match address.try_send(n) {
                Ok(reply) => {
                    prop_assert!(!full, "accepted beyond the capacity");
                    replies.push((queue.len(), reply));
                    queue.push(Item::Request(n));
                }
                Err(TrySendError::Full(back)) => {
                    prop_assert!(full);
                    prop_assert_eq!(back, n);
                }
                Err(other) => prop_assert!(false, "unexpected {:?}", other),
            },
            Op::Notification(n) => match address.try_notify(n) {
                Ok(()) => {
                    prop_assert!(!full, "accepted beyond the capacity");
                    queue.push(Item::Notification(n));
                }
                Err(TrySendError::Full(back)) => {
                    prop_assert!(full);
                    prop_assert_eq!(back, n);
                }
                Err(other) => prop_assert!(false, "unexpected {:?}", other),
            },
            Op::Panic => {
                if boom.is_none() {
                    match address.try_send(Boom) {
                        Ok(reply) => {
                            prop_assert!(!full);
                            boom = Some((queue.len(), reply));
                            queue.push(Item::Panic);
                        }
                        Err(error) => prop_assert!(full && error.is_full()),
                    }
                }
            }
            Op::Stop => {
                // `stop` waits for room; the model only queues it when there is some.
                if !full {
                    futures::executor::block_on(address.stop());
                    queue.push(Item::Stop);
                }
            }
            Op::DropAddress => {
                addresses.pop();
            }
        }
    }
    drop(addresses);

    // Model: the first Stop or Panic ends the handling; what is behind it is refused.
    let end = queue
        .iter()
        .position(|item| matches!(item, Item::Stop | Item::Panic))
        .unwrap_or(queue.len());
    let handled: Vec<u8> = queue[..end]
        .iter()
        .filter_map(|item| match item {
            Item::Request(n) | Item::Notification(n) => Some(*n),
            _ => None,
        })
        .collect();
    let undelivered = queue[end..]
        .iter()
        .filter(|item| matches!(item, Item::Notification(_)))
        .count();
    let reason = match queue.get(end) {
        Some(Item::Stop) => StopReason::Requested,
        Some(Item::Panic) => StopReason::Panicked("model boom".to_owned()),
        _ => StopReason::AddressesDropped,
    };

    let exit = futures::executor::block_on(context.run(Recorder::default()));
    prop_assert_eq!(&exit.actor.handled, &handled);
    prop_assert_eq!(exit.undelivered, undelivered);
    prop_assert_eq!(exit.reason, reason);
    for (position, reply) in replies {
        let answer = futures::executor::block_on(reply);
        match queue[position] {
            Item::Request(n) if position < end => prop_assert_eq!(answer, Ok(n)),
            _ => prop_assert_eq!(answer, Err(SendError::Unanswered)),
        }
    }
    if let Some((position, reply)) = boom {
        let answer = futures::executor::block_on(reply);
        if position == end {
            prop_assert_eq!(answer, Err(SendError::Panicked));
        } else {
            prop_assert_eq!(answer, Err(SendError::Unanswered));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_mailbox_behaves_like_its_model(capacity in 1_usize..6, ops in prop::collection::vec(op(), 0..24)) {
        messages_tests::silence_panics("model boom");
        check(capacity, &ops)?;
    }
}
