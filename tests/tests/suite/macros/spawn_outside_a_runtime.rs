//! Spawning on the built-in runtime (tokio) outside a tokio runtime: the panic says what
//! to do and is reported at the caller's line, through the functions `#[actor]`
//! generates and the ones they call, and through every other entry point that spawns
//! for its caller (services, groups, and what a context spawns on the runtime it
//! carries). Plain `#[test]`s: no runtime on the test's thread.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;
use std::time::Duration;

use crate::fixtures::Tick;
use messages::prelude::*;
use messages::registry::{Registry, Service};
use messages::runtime::Tokio;
use messages::supervision::{Restart, Strategy, Supervision, SupervisorGroup};
use messages_tests::within;

/// The panic's message.
const MESSAGE: &str = "`messages` spawns on tokio, and there is no tokio runtime on this thread: \
                       call this from inside one (under `#[tokio::main]` or `#[tokio::test]`, in a \
                       tokio task, or in `Runtime::block_on`), or start the actor on another \
                       executor with `spawn_on(&runtime)`, or with `prepare()` and run the future \
                       it returns yourself";

#[actor]
#[derive(Debug, Default)]
pub struct Idle;

#[actor]
impl Idle {
    #[handler]
    pub fn ping(&self) -> u8 {
        1
    }
}

/// An actor without the macros.
#[derive(Debug, Default)]
pub struct Plain;

impl Actor for Plain {}

impl Notifiable<Tick> for Plain {
    async fn notify(&mut self, _: Tick, _: &Context<Self>) {}
}

impl Service for Plain {
    const NAME: &'static str = "spawn_outside_a_runtime::Plain";
}

thread_local! {
    /// Where the last panic on this thread was reported: (file, line).
    static REPORTED: RefCell<Option<(String, u32)>> = const { RefCell::new(None) };
}

/// What `start` panicked with, and where the panic was reported.
fn caught<R>(start: impl FnOnce() -> R) -> (String, (String, u32)) {
    static HOOK: Once = Once::new();
    // The harness's hook first (it keeps this panic out of the output), then ours
    // around it: installed once each, never both at a time, so neither is lost.
    messages_tests::silence_panics(MESSAGE);
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if let Some(location) = info.location() {
                let reported = (location.file().to_owned(), location.line());
                REPORTED.with(|slot| slot.replace(Some(reported)));
            }
            previous(info);
        }));
    });
    REPORTED.with(|slot| slot.take());
    let Err(payload) = panic::catch_unwind(AssertUnwindSafe(start)) else {
        panic!("spawning outside a tokio runtime returned");
    };
    let message = match (
        payload.downcast_ref::<&str>(),
        payload.downcast_ref::<String>(),
    ) {
        (Some(message), _) => (*message).to_owned(),
        (None, Some(message)) => message.clone(),
        (None, None) => String::from("<not a string>"),
    };
    let reported = REPORTED.with(|slot| slot.take());
    (
        message,
        reported.expect("the panic hook ran on this thread"),
    )
}

/// Asserts that the panic said what to do and was reported at `line` of this file.
fn assert_reported_here((message, (file, reported)): (String, (String, u32)), line: u32) {
    assert_eq!(message, MESSAGE);
    assert_eq!(
        (file.as_str(), reported),
        (file!(), line),
        "reported in the library, not at the caller's line"
    );
}

fn supervision() -> Supervision {
    Supervision::new(Restart::Never)
}

/// Starts `$start` outside a runtime and asserts that the panic said what to do and was
/// reported on this line (each case fits on one line, so `line!()` is its line).
macro_rules! reported_here {
    ($start:expr) => {
        assert_reported_here(caught(|| $start), line!())
    };
}

#[test]
fn the_generated_spawn_functions_report_the_callers_line() {
    reported_here!(Idle.spawn());
    reported_here!(Idle.spawn_on(&Tokio));
    reported_here!(Idle::spawn_supervised(|| Idle, supervision()));
    reported_here!(Idle::spawn_supervised_on(|| Idle, supervision(), &Tokio));
}

#[test]
fn the_actor_and_context_spawns_report_the_callers_line() {
    reported_here!(Plain.spawn());
    reported_here!(Plain.spawn_on(&Tokio));
    reported_here!(Plain::spawn_supervised(|| Plain, supervision()));
    reported_here!(Plain::spawn_supervised_on(|| Plain, supervision(), &Tokio));
    reported_here!(Plain::create_and_spawn(|_| Plain));
    reported_here!(Context::new().spawn(Plain));
}

/// A group of one child, to start.
fn group() -> SupervisorGroup {
    let mut group = SupervisorGroup::new(Strategy::OneForOne);
    let _child: Address<Plain> = group.child(|| Plain, Restart::Never);
    group
}

#[test]
fn services_and_groups_report_the_callers_line() {
    reported_here!(Registry::service::<Plain>());
    reported_here!(Registry::service_on::<Plain, _>(&Tokio));
    reported_here!(group().start());
    reported_here!(group().start_on(&Tokio));
}

#[test]
fn what_a_context_spawns_on_its_runtime_reports_the_callers_line() {
    let later = Duration::from_millis(1);
    // Given a runtime: spawned through the runtime the context carries, erased.
    let given = || Context::<Plain>::new().with_runtime(Tokio);
    reported_here!(given().spawn(Plain));
    reported_here!(given().notify_later(Tick(1), later));
    // The built-in runtime it carries unless given one.
    reported_here!(Context::<Plain>::new().notify_later(Tick(1), later));
    reported_here!(Context::<Plain>::new().notify_interval(later, || Tick(1)));
    reported_here!(Context::<Plain>::new().add_stream(futures::stream::iter([Tick(1)])));
}

#[test]
fn inside_a_runtime_the_same_calls_spawn() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(within(async {
        let idle = Idle.spawn();
        assert_eq!(idle.ping().await, Ok(1));
        // No address was taken: the actor stops at once.
        let exit = Context::new().spawn(Plain).await.expect("the actor ran");
        assert_eq!(exit.reason, StopReason::AddressesDropped);
    }));
}
