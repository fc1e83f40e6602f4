//! Many actors, many senders, random requests, notifications, stops, address drops and
//! panics (seeded, reproducible). Afterwards: every request resolved, every accepted
//! notification was handled or counted undelivered, every actor state was dropped.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use messages::prelude::*;
use messages_tests::{DropCounter, DropToken, Rt, every_executor};

const ACTORS: usize = 6;
const SENDERS: usize = 6;
const OPERATIONS: usize = 400;

struct Target {
    handled: Arc<AtomicUsize>,
    _token: DropToken,
}

impl Actor for Target {}

struct Note;

impl Notifiable<Note> for Target {
    async fn notify(&mut self, _: Note, _: &Context<Self>) {
        self.handled.fetch_add(1, Ordering::SeqCst);
    }
}

struct Ask(u32);

impl Handler<Ask> for Target {
    type Result = u32;
    async fn handle(&mut self, Ask(n): Ask, _: &Context<Self>) -> u32 {
        n
    }
}

struct Boom;

impl Handler<Boom> for Target {
    type Result = ();
    async fn handle(&mut self, _: Boom, _: &Context<Self>) {
        panic!("stress boom")
    }
}

/// xorshift64*: a tiny deterministic generator, so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

#[derive(Default)]
struct Tally {
    accepted_notes: AtomicUsize,
    answered: AtomicUsize,
    refused: AtomicUsize,
}

async fn random_traffic_loses_nothing_and_leaks_nothing(rt: Rt) {
    let handled = Arc::new(AtomicUsize::new(0));
    let drops = DropCounter::default();
    let tally = Arc::new(Tally::default());
    let mut addresses = Vec::new();
    let mut joins = Vec::new();
    for _ in 0..ACTORS {
        let context = Context::with_capacity(4).unwrap();
        addresses.push(context.address());
        let target = Target {
            handled: Arc::clone(&handled),
            _token: drops.token(),
        };
        joins.push(context.spawn_on(target, &rt));
    }

    let senders: Vec<_> = (0..SENDERS)
        .map(|sender| {
            let mut addresses = addresses.clone();
            let tally = Arc::clone(&tally);
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (sender as u64 + 1));
            rt.spawn_task(async move {
                for _ in 0..OPERATIONS {
                    let index = rng.below(ACTORS as u64) as usize;
                    let address = &addresses[index];
                    match rng.below(100) {
                        0..=39 => match address.notify(Note).await {
                            Ok(()) => tally.accepted_notes.fetch_add(1, Ordering::SeqCst),
                            Err(SendError::Stopped) => tally.refused.fetch_add(1, Ordering::SeqCst),
                            Err(other) => panic!("unexpected notify error {other:?}"),
                        },
                        40..=59 => match address.try_notify(Note) {
                            Ok(()) => tally.accepted_notes.fetch_add(1, Ordering::SeqCst),
                            Err(_) => tally.refused.fetch_add(1, Ordering::SeqCst),
                        },
                        60..=89 => match address.send(Ask(7)).await {
                            Ok(7) => tally.answered.fetch_add(1, Ordering::SeqCst),
                            Ok(other) => panic!("wrong answer {other}"),
                            Err(SendError::Stopped | SendError::Unanswered) => {
                                tally.refused.fetch_add(1, Ordering::SeqCst)
                            }
                            Err(other) => panic!("unexpected send error {other:?}"),
                        },
                        90..=93 => {
                            address.stop().await;
                            0
                        }
                        94..=95 => {
                            let _ = address.send(Boom).await;
                            0
                        }
                        _ => {
                            // Drop this sender's address of the actor for good.
                            let replacement = addresses[(index + 1) % ACTORS].clone();
                            addresses[index] = replacement;
                            0
                        }
                    };
                }
            })
        })
        .collect();
    futures::future::join_all(senders).await;
    drop(addresses);

    let mut undelivered = 0;
    for join in joins {
        let exit = join
            .await
            .expect("every actor stops once its addresses are gone");
        undelivered += exit.undelivered;
    }
    assert_eq!(drops.dropped(), ACTORS, "every actor state was dropped");
    let accepted = tally.accepted_notes.load(Ordering::SeqCst);
    assert_eq!(
        accepted,
        handled.load(Ordering::SeqCst) + undelivered,
        "every accepted notification is handled or counted undelivered"
    );
    assert!(
        tally.answered.load(Ordering::SeqCst) > 0,
        "the traffic reached live actors"
    );
}

every_executor!(random_traffic_loses_nothing_and_leaks_nothing);
