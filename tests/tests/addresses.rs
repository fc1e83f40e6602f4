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
