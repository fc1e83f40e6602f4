// Pins guarantee 13 of the crate docs (`messages`, "Guarantees and failure model").
//! Guarantee 13 (stress part): many supervised actors, many senders, random requests,
//! notifications, stops, panics, rare kills and address drops (seeded, reproducible).
//! Afterwards: every request resolved, every accepted notification was handled or
//! counted undelivered, and every actor state ever built was dropped.
//!
//! CI runs a short version. The long one, on demand (6 senders × N operations):
//! `MESSAGES_STRESS_OPERATIONS=200000 MESSAGES_TEST_TIMEOUT_SECS=600 cargo test --release -p messages-tests --test suite guarantees::stress_and_model_checks`

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use messages::prelude::*;
use messages::supervision::{Restart, Supervision};
use messages_tests::{DropCounter, DropToken, Rt, every_executor};

const ACTORS: usize = 6;
const SENDERS: usize = 6;

/// Operations per sender: `MESSAGES_STRESS_OPERATIONS`, or a short run by default.
fn operations() -> usize {
    std::env::var("MESSAGES_STRESS_OPERATIONS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(2_000)
}

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
    messages_tests::silence_panics("stress boom");
    let handled = Arc::new(AtomicUsize::new(0));
    let built = Arc::new(AtomicUsize::new(0));
    let drops = DropCounter::default();
    let tally = Arc::new(Tally::default());
    let mut addresses = Vec::new();
    let mut exits = Vec::new();
    for _ in 0..ACTORS {
        let context = Context::with_capacity(4).unwrap();
        addresses.push(context.address());
        let (handled, built, drops) = (Arc::clone(&handled), Arc::clone(&built), drops.clone());
        let factory = move || {
            built.fetch_add(1, Ordering::SeqCst);
            Target {
                handled: Arc::clone(&handled),
                _token: drops.token(),
            }
        };
        // Stops and panics restart the actor; only a kill or the last address ends it.
        let supervision =
            Supervision::new(Restart::Permanent).budget(u32::MAX, Duration::from_secs(1));
        exits.push(rt.spawn_task(async move {
            let exit = context.run_supervised(factory, supervision).await;
            exit.expect("the factory builds every state")
        }));
    }

    let operations = operations();
    let senders: Vec<_> = (0..SENDERS)
        .map(|sender| {
            let mut addresses = addresses.clone();
            let tally = Arc::clone(&tally);
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (sender as u64 + 1));
            rt.spawn_task(async move {
                for step in 0..operations {
                    let index = rng.below(ACTORS as u64) as usize;
                    let address = &addresses[index];
                    match rng.below(10_000) {
                        0..=3_999 => match address.notify(Note).await {
                            Ok(()) => tally.accepted_notes.fetch_add(1, Ordering::SeqCst),
                            Err(SendError::Stopped) => tally.refused.fetch_add(1, Ordering::SeqCst),
                            Err(other) => panic!("unexpected notify error {other:?}"),
                        },
                        4_000..=5_999 => match address.try_notify(Note) {
                            Ok(()) => tally.accepted_notes.fetch_add(1, Ordering::SeqCst),
                            Err(_) => tally.refused.fetch_add(1, Ordering::SeqCst),
                        },
                        6_000..=9_499 => match address.send(Ask(7)).await {
                            Ok(7) => tally.answered.fetch_add(1, Ordering::SeqCst),
                            Ok(other) => panic!("wrong answer {other}"),
                            Err(SendError::Stopped | SendError::Unanswered) => {
                                tally.refused.fetch_add(1, Ordering::SeqCst)
                            }
                            Err(other) => panic!("unexpected send error {other:?}"),
                        },
                        9_500..=9_799 => {
                            address.stop().await;
                            0
                        }
                        9_800..=9_989 => {
                            let _ = address.send(Boom).await;
                            0
                        }
                        _ if sender == 0 && step == operations * 9 / 10 => {
                            // One kill, late in the run: the kill path is exercised while
                            // most of the traffic still reaches live actors.
                            address.kill();
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
    for exit in exits {
        undelivered += exit.await.undelivered;
    }
    assert_eq!(
        drops.dropped(),
        built.load(Ordering::SeqCst),
        "every actor state ever built was dropped"
    );
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
    if operations > 10_000 {
        println!(
            "{:?}: {} operations, {} notifications accepted ({} undelivered), {} answers, {} refusals, {} actor states",
            rt.executor(),
            operations * SENDERS,
            accepted,
            undelivered,
            tally.answered.load(Ordering::SeqCst),
            tally.refused.load(Ordering::SeqCst),
            built.load(Ordering::SeqCst),
        );
    }
}

every_executor!(random_traffic_loses_nothing_and_leaks_nothing);
