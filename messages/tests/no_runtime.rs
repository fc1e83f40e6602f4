//! A build without a runtime feature, and a context given no runtime: what needs one
//! (to spawn a task or to sleep) panics at the caller, naming the method and saying
//! how to give one; it never hangs or drops the request silently. Inside the actor the
//! panic is contained like any other: the actor stops with the message as its reason.
//! `cargo test -p messages --no-default-features` runs this.
#![cfg(not(any(feature = "tokio", feature = "smol")))]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::time::Duration;

use futures::executor::block_on;
use messages::prelude::*;
use messages::supervision::Terminated;

struct Bare;

impl Actor for Bare {}

impl Notifiable<u8> for Bare {
    async fn notify(&mut self, _: u8, _: &Context<Self>) {}
}

impl Notifiable<Terminated> for Bare {
    async fn notify(&mut self, _: Terminated, _: &Context<Self>) {}
}

/// Where each "needs a runtime" panic of this thread was raised, as the panic hook
/// saw it (the other tests' panics, on their own threads, are left alone).
static LOCATIONS: Mutex<Vec<(std::thread::ThreadId, String)>> = Mutex::new(Vec::new());

fn record_locations() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let message = info.payload().downcast_ref::<String>();
            if message.is_some_and(|message| message.contains("needs a runtime")) {
                let location = info.location().map(ToString::to_string).unwrap_or_default();
                let thread = std::thread::current().id();
                LOCATIONS.lock().unwrap().push((thread, location));
            } else {
                default(info);
            }
        }));
    });
}

/// Calls `attach`, which must panic without a runtime; returns the panic's message.
fn refused(attach: impl FnOnce()) -> String {
    record_locations();
    let panic = catch_unwind(AssertUnwindSafe(attach)).expect_err("no runtime: it must panic");
    let message = panic
        .downcast::<String>()
        .map(|message| *message)
        .expect("a formatted message");
    let mine = std::thread::current().id();
    let location = LOCATIONS
        .lock()
        .unwrap()
        .iter()
        .rev()
        .find(|(thread, _)| *thread == mine)
        .map(|(_, location)| location.clone())
        .expect("the hook saw the panic");
    assert!(
        location.starts_with(file!()),
        "the panic points at the caller, not into the library: {location}"
    );
    message
}

/// A call that needs a runtime.
type Attach<'a> = Box<dyn FnOnce() + 'a>;

fn says_what_to_do(message: &str, method: &str) {
    assert!(
        message.starts_with(&format!("`{method}` needs a runtime")),
        "{message}"
    );
    assert!(message.contains("`Context::with_runtime`"), "{message}");
    assert!(message.contains("`Actor::spawn_on`"), "{message}");
    assert!(message.contains("`tokio` or `smol` feature"), "{message}");
}

#[test]
fn every_capability_without_a_runtime_panics_at_the_caller_and_says_what_to_do() {
    let context = Context::<Bare>::new();
    let other = Context::<Bare>::new();
    let watched = other.address();
    let forwarded = context.address();
    let cases: [(&str, Attach<'_>); 8] = [
        (
            "Context::notify_later",
            Box::new(|| {
                drop(context.notify_later(1_u8, Duration::from_secs(1)));
            }),
        ),
        (
            "Context::notify_interval",
            Box::new(|| {
                drop(context.notify_interval(Duration::from_secs(1), || 1_u8));
            }),
        ),
        (
            "Context::idle_timeout",
            Box::new(|| {
                drop(context.idle_timeout(Duration::from_secs(1)));
            }),
        ),
        (
            "Context::add_stream",
            Box::new(|| {
                context.add_stream(futures::stream::iter([1_u8]));
            }),
        ),
        (
            "Context::add_stream_with_end",
            Box::new(|| {
                context.add_stream_with_end(futures::stream::iter([1_u8]), 0_u8);
            }),
        ),
        ("Context::monitor", Box::new(|| context.monitor(&watched))),
        (
            "Address::spawn_stream_forwarder",
            Box::new(move || {
                forwarded.spawn_stream_forwarder(futures::stream::iter([1_u8]));
            }),
        ),
        (
            "Context::spawn",
            Box::new(|| drop(Context::<Bare>::new().spawn(Bare))),
        ),
    ];
    for (method, attach) in cases {
        says_what_to_do(&refused(attach), method);
    }
}

/// Sets up a timer in `started`, without a runtime.
struct Early;

impl Actor for Early {
    async fn started(&mut self, ctx: &Context<Self>) {
        drop(ctx.notify_later(1_u8, Duration::from_secs(1)));
    }
}

impl Notifiable<u8> for Early {
    async fn notify(&mut self, _: u8, _: &Context<Self>) {}
}

#[test]
fn inside_the_actor_the_panic_stops_it_with_the_message_as_its_reason() {
    record_locations();
    let context = Context::new();
    let address = context.address();
    let exit = block_on(context.run(Early));
    match exit.reason {
        StopReason::Panicked(message) => says_what_to_do(&message, "Context::notify_later"),
        other => panic!("expected a contained panic, got {other:?}"),
    }
    assert_eq!(
        block_on(address.notify(2)),
        Err(SendError::Stopped),
        "the stop is visible to every sender"
    );
}
