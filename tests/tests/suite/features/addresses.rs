//! Addresses: cloneable, `Send + Sync`, compared by actor identity.

use std::collections::HashSet;

use messages::prelude::*;

struct Unit;
impl Actor for Unit {}

fn assert_send_sync_clone<T: Send + Sync + Clone>() {}

#[test]
fn addresses_are_send_sync_and_clone() {
    assert_send_sync_clone::<Address<Unit>>();
}

#[test]
#[allow(
    clippy::mutable_key_type,
    reason = "an address hashes by its immutable actor id; the channel inside does not take part"
)]
fn equality_and_hash_follow_the_actor() {
    let first = Context::<Unit>::new();
    let second = Context::<Unit>::new();
    let a = first.address();
    assert_eq!(a, a.clone());
    assert_eq!(a, first.address());
    assert_ne!(a, second.address());
    assert_eq!(a.id(), first.id());
    assert_ne!(first.id(), second.id());
    let set: HashSet<_> = [a.clone(), first.address(), second.address()]
        .into_iter()
        .collect();
    assert_eq!(set.len(), 2);
}

#[test]
fn debug_output_names_the_actor() {
    let context = Context::<Unit>::new();
    let debug = format!("{:?}", context.address());
    assert!(debug.contains("Unit"), "{debug}");
    assert!(debug.contains("connected: true"), "{debug}");
    assert!(format!("{}", context.id()).starts_with("actor#"));
}

/// Asks, once every address is gone, what a fresh address and the weak address say.
struct Probe;

#[derive(Default)]
struct Prober {
    /// (fresh address connected, weak address upgraded, fresh address's send refused)
    seen: Option<(bool, bool, bool)>,
}

impl Actor for Prober {}

impl Notifiable<Probe> for Prober {
    async fn notify(&mut self, _: Probe, context: &Context<Self>) {
        let fresh = context.address();
        let upgraded = context.weak_address().upgrade().is_some();
        let refused = fresh.notify(Probe).await == Err(SendError::Stopped);
        self.seen = Some((fresh.connected(), upgraded, refused));
    }
}

#[test]
fn an_address_taken_after_every_address_is_gone_is_disconnected() {
    let context = Context::<Prober>::new();
    let address = context.address();
    address
        .try_notify(Probe)
        .unwrap_or_else(|_| panic!("room in a new mailbox"));
    drop(address);
    // `started` returns, the context lets go of the mailbox: no address is left, and the
    // queued probe is the last thing the actor handles.
    let exit = futures::executor::block_on(context.run(Prober::default()));
    assert_eq!(exit.reason, StopReason::AddressesDropped);
    assert_eq!(
        exit.actor.seen,
        Some((false, false, true)),
        "(connected, upgraded, refused)"
    );
}
