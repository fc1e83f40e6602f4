//! The correctness round, the part written against the NEW API: it does not compile
//! against the runtime before the fixes (on purpose), and passes once
//! `Context::run_supervised` returns `Result<Exit<A>, JoinError>`.
//!
//! NEEDS THE NEW API: `Context::run_supervised(..) -> Result<Exit<A>, JoinError>`
//! (`Err(JoinError)` when the factory's first build panicked: no state ever existed).
//! `guarantees::regressions::first_round` pins the same behaviour through a shim that
//! compiles against both signatures; this module pins the signature itself.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::FutureExt;
use messages::Exit;
use messages::prelude::*;
use messages::runtime::JoinError;
use messages::supervision::{Restart, Supervision};
use messages_tests::{Rt, every_executor, silence_panics, within};

struct Fragile;

impl Actor for Fragile {}

struct Crash;

impl Handler<Crash> for Fragile {
    type Result = ();
    async fn handle(&mut self, _: Crash, _: &Context<Self>) {
        panic!("fragile crashed")
    }
}

struct Ping(u32);

impl Handler<Ping> for Fragile {
    type Result = u32;
    async fn handle(&mut self, Ping(n): Ping, _: &Context<Self>) -> u32 {
        n
    }
}

fn never_builds() -> Fragile {
    panic!("new api first build boom")
}

/// NEEDS THE NEW API. The first build panics: `Err(JoinError)`, the stop reason is the
/// panic, the queued request is unanswered, nothing escapes the run future.
async fn run_supervised_returns_join_error_when_the_first_build_panics(rt: Rt) {
    silence_panics("new api first build boom");
    let context = Context::new();
    let address = context.address();
    let queued = address.try_send(Ping(1)).unwrap();
    let run = rt.spawn_task(
        AssertUnwindSafe(
            context.run_supervised(never_builds, Supervision::new(Restart::Transient)),
        )
        .catch_unwind(),
    );
    let outcome: Result<Exit<Fragile>, JoinError> = within(run)
        .await
        .unwrap_or_else(|_| panic!("the first build's panic escaped the run future"));
    assert_eq!(outcome.err(), Some(JoinError));
    assert_eq!(within(queued).await, Err(SendError::Unanswered));
    assert_eq!(
        within(address.wait_for_stop()).await,
        StopReason::Panicked("new api first build boom".to_owned())
    );
    assert_eq!(address.send(Ping(2)).await, Err(SendError::Stopped));
}

/// NEEDS THE NEW API. A panic of the factory on a restart: a state existed, so
/// `Ok(exit)` with the factory's panic as the reason.
async fn run_supervised_returns_the_exit_when_a_restart_build_panics(rt: Rt) {
    silence_panics("fragile crashed");
    silence_panics("new api restart boom");
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let factory = move || {
        if counted.fetch_add(1, Ordering::SeqCst) == 1 {
            panic!("new api restart boom");
        }
        Fragile
    };
    let context = Context::new();
    let address = context.address();
    let crash = address.try_send(Crash).unwrap();
    let run = rt.spawn_task(context.run_supervised(factory, Supervision::new(Restart::Transient)));
    assert_eq!(within(crash).await, Err(SendError::Panicked));
    let outcome: Result<Exit<Fragile>, JoinError> = within(run).await;
    let exit = outcome.expect("a state existed");
    assert_eq!(
        exit.reason,
        StopReason::Panicked("new api restart boom".to_owned())
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

every_executor!(
    run_supervised_returns_join_error_when_the_first_build_panics,
    run_supervised_returns_the_exit_when_a_restart_build_panics,
);
