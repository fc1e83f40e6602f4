//! The correctness round: hostile tests for behaviour the runtime got wrong, each
//! asserting the documented (fixed) behaviour. Sections follow the contract's items;
//! each test is named after what broke.
//!
//! Every wait is bounded: by the harness's `within` (the whole body, and the waits that
//! must resolve), or by [`bounded`] where "it never resolves" is the failure to report
//! (an actor that stopped answering, a stream that was never dropped). Executor-specific
//! failures (a panic escaping into the executor kills a `futures` ThreadPool worker) are
//! provoked once per pool worker ([`POOL_WORKERS`]), then a bystander actor on the same
//! executor must still answer.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::time::Duration;

use crate::fixtures::Tick;
use futures::FutureExt;
use futures::channel::oneshot as signal;
use futures::future::{Either, select};
use messages::Exit;
use messages::prelude::*;
use messages::registry::Registry;
use messages::registry::Service;
use messages::runtime::Tokio;
use messages::runtime::{JoinError, Spawner, Timer};
use messages::supervision::{GroupHandle, Restart, Strategy, SupervisorGroup, Terminated};
use messages::supervision::{PanicAction, Supervision};
use messages::{Mailbox, ReadHandler};
use messages_tests::{
    Executor, Gate, Log, Rt, ThreadTimer, bounded, every_executor, run, silence_panics, within,
};

// ---------------------------------------------------------------------------------
// Shared fixtures
// ---------------------------------------------------------------------------------

/// How many worker threads the harness's `futures` ThreadPool has (`tests/src/lib.rs`):
/// a panic that escapes into that pool kills the worker that ran it, so a test provokes
/// its escaping failure this many times before checking that the pool still runs actors.
const POOL_WORKERS: usize = 2;

/// How long something that should be quick may take before we call it "never".
const SHORT: Duration = Duration::from_secs(3);

fn panicked(text: &str) -> StopReason {
    StopReason::Panicked(text.to_owned())
}

/// What a supervised run hands back, whichever API `run_supervised` has: the old one
/// returns `Exit<A>`, the new one `Result<Exit<A>, JoinError>`. Lets this file compile
/// against both.
trait SupervisedOutcome<A> {
    /// The final state, or `None` when no state was ever built (`Err(JoinError)`).
    fn into_exit(self) -> Option<Exit<A>>;
}

impl<A> SupervisedOutcome<A> for Exit<A> {
    fn into_exit(self) -> Option<Exit<A>> {
        Some(self)
    }
}

impl<A> SupervisedOutcome<A> for Result<Exit<A>, JoinError> {
    fn into_exit(self) -> Option<Exit<A>> {
        self.ok()
    }
}

/// A spawner that holds what it is given until released onto the real executor: lets
/// a test queue messages for a spawned actor before its task first runs.
#[derive(Default, Clone)]
struct Deferred(Arc<Mutex<Vec<Task>>>);

/// A future [`Deferred`] holds.
type Task = Pin<Box<dyn Future<Output = ()> + Send>>;

impl Timer for Deferred {
    type Sleep = <ThreadTimer as Timer>::Sleep;

    fn sleep(&self, duration: Duration) -> Self::Sleep {
        ThreadTimer.sleep(duration)
    }
}

impl Spawner for Deferred {
    fn spawn<F>(&self, future: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        self.0.lock().unwrap().push(Box::pin(future));
    }
}

impl Deferred {
    fn release(&self, rt: &Rt) {
        for future in self.0.lock().unwrap().drain(..) {
            rt.spawn(future);
        }
    }
}

/// Answers `Ping(n)` with `n`: the bystander that proves an executor still runs actors.
#[derive(Debug, Default)]
struct Echoer;

impl Actor for Echoer {}

#[derive(Debug)]
struct Ping(u32);

impl Handler<Ping> for Echoer {
    type Result = u32;
    async fn handle(&mut self, Ping(n): Ping, _: &Context<Self>) -> u32 {
        n
    }
}

/// Asserts that `bystander` (spawned on `rt` before the trouble) still answers, and that
/// a fresh actor and a plain task on `rt` still run.
async fn executor_still_runs(rt: &Rt, bystander: &Address<Echoer>, after: &str) {
    assert_eq!(
        bounded(SHORT, bystander.send(Ping(11))).await,
        Some(Ok(11)),
        "after {after}: an actor already running on the same executor stopped answering \
         (the panic escaped into the executor and killed its workers)"
    );
    let newcomer = Echoer.spawn_on(rt);
    assert_eq!(
        bounded(SHORT, newcomer.send(Ping(12))).await,
        Some(Ok(12)),
        "after {after}: a fresh actor on the same executor never answers"
    );
    assert_eq!(
        bounded(SHORT, rt.spawn_task(async { 13 })).await,
        Some(13),
        "after {after}: the executor no longer runs tasks"
    );
}

async fn spawn_bystander(rt: &Rt) -> Address<Echoer> {
    let bystander = Echoer.spawn_on(rt);
    assert_eq!(within(bystander.send(Ping(10))).await, Ok(10));
    bystander
}

/// Holds an actor busy: tells `entered` it is in the handler, then waits for the gate.
struct Hold {
    gate: Gate,
    entered: Option<tokio::sync::oneshot::Sender<()>>,
}

fn hold() -> (
    Hold,
    messages_tests::GateKey,
    tokio::sync::oneshot::Receiver<()>,
) {
    let (gate, key) = Gate::new();
    let (entered, entered_rx) = tokio::sync::oneshot::channel();
    (
        Hold {
            gate,
            entered: Some(entered),
        },
        key,
        entered_rx,
    )
}

impl Hold {
    async fn run(mut self) {
        if let Some(entered) = self.entered.take() {
            let _ = entered.send(());
        }
        self.gate.pass().await;
    }
}

/// Signals (its receiver resolves) when dropped.
#[derive(Debug)]
struct DropSignal(#[allow(dead_code, reason = "only its drop matters")] signal::Sender<()>);

fn drop_signal() -> (DropSignal, signal::Receiver<()>) {
    let (tx, rx) = signal::channel();
    (DropSignal(tx), rx)
}

/// Whether `dropped` (a [`drop_signal`] receiver) fires within [`SHORT`].
async fn was_dropped(dropped: signal::Receiver<()>) -> bool {
    bounded(SHORT, dropped).await.is_some()
}

/// A stream that never yields and never ends; its drop is observable.
struct Endless(#[allow(dead_code, reason = "only its drop matters")] DropSignal);

impl futures::Stream for Endless {
    type Item = u32;

    fn poll_next(self: Pin<&mut Self>, _: &mut std::task::Context<'_>) -> Poll<Option<u32>> {
        Poll::Pending
    }
}

/// A stream that panics when first polled; its drop is observable.
struct PanickyStream(#[allow(dead_code, reason = "only its drop matters")] DropSignal);

impl futures::Stream for PanickyStream {
    type Item = u32;

    fn poll_next(self: Pin<&mut Self>, _: &mut std::task::Context<'_>) -> Poll<Option<u32>> {
        panic!("stream boom")
    }
}

/// What streams deliver to: logs items and the end.
#[derive(Default)]
struct Listener {
    log: Log,
}

impl Actor for Listener {
    async fn stopped(&mut self) {
        self.log.push("stopped");
    }
}

impl Notifiable<u32> for Listener {
    async fn notify(&mut self, item: u32, _: &Context<Self>) {
        self.log.push(format!("item {item}"));
    }
}

struct StreamEnd;

impl Notifiable<StreamEnd> for Listener {
    async fn notify(&mut self, _: StreamEnd, _: &Context<Self>) {
        self.log.push("end");
    }
}

impl Handler<Ping> for Listener {
    type Result = u32;
    async fn handle(&mut self, Ping(n): Ping, _: &Context<Self>) -> u32 {
        n
    }
}

impl Notifiable<Hold> for Listener {
    async fn notify(&mut self, hold: Hold, _: &Context<Self>) {
        hold.run().await;
    }
}

// ---------------------------------------------------------------------------------
// 1. A supervised actor whose factory panics on a restart
// ---------------------------------------------------------------------------------

/// A supervised state that logs its hooks, numbered by the factory call that built it.
struct Phoenix {
    log: Log,
    generation: usize,
}

impl Actor for Phoenix {
    async fn started(&mut self, _: &Context<Self>) {
        self.log.push(format!("started {}", self.generation));
    }

    async fn undelivered(&mut self, count: usize) {
        self.log
            .push(format!("undelivered {} ({count})", self.generation));
    }

    async fn stopped(&mut self) {
        self.log.push(format!("stopped {}", self.generation));
    }
}

struct Crash;

impl Handler<Crash> for Phoenix {
    type Result = ();
    async fn handle(&mut self, _: Crash, _: &Context<Self>) {
        panic!("phoenix crashed")
    }
}

impl Handler<Ping> for Phoenix {
    type Result = u32;
    async fn handle(&mut self, Ping(n): Ping, _: &Context<Self>) -> u32 {
        n
    }
}

impl Notifiable<Ping> for Phoenix {
    async fn notify(&mut self, Ping(n): Ping, _: &Context<Self>) {
        self.log.push(format!("ping {n}"));
    }
}

/// Builds numbered `Phoenix`es; the call numbered `panics_on` panics instead.
fn phoenix_factory(
    log: &Log,
    calls: &Arc<AtomicUsize>,
    panics_on: usize,
) -> impl FnMut() -> Phoenix + Send + 'static {
    let (log, calls) = (log.clone(), Arc::clone(calls));
    move || {
        let call = calls.fetch_add(1, Ordering::SeqCst) + 1;
        if call == panics_on {
            panic!("factory boom");
        }
        Phoenix {
            log: log.clone(),
            generation: call,
        }
    }
}

async fn restart_factory_panic_runs_stopped_once_and_refuses_the_backlog(rt: Rt) {
    silence_panics("phoenix crashed");
    silence_panics("factory boom");
    let (log, calls) = (Log::default(), Arc::new(AtomicUsize::new(0)));
    let context = Context::new();
    let address = context.address();
    // Everything queued before the run starts: crash, then a request and a
    // notification behind it.
    let crash = address.try_send(Crash).unwrap();
    let behind = address.try_send(Ping(1)).unwrap();
    address.try_notify(Ping(2)).unwrap();
    let supervision = Supervision::new(Restart::Transient);
    let run = rt.spawn_task(
        AssertUnwindSafe(context.run_supervised(phoenix_factory(&log, &calls, 2), supervision))
            .catch_unwind(),
    );
    assert_eq!(within(crash).await, Err(SendError::Panicked));
    assert_eq!(within(behind).await, Err(SendError::Unanswered));
    let outcome = within(run)
        .await
        .unwrap_or_else(|_| panic!("the factory's panic escaped the run_supervised future"));
    let exit = outcome
        .into_exit()
        .expect("a state existed (the first build succeeded): the run hands back an Exit");
    assert_eq!(
        log.events(),
        ["started 1", "stopped 1"],
        "the old state's `stopped` runs exactly once (before the factory), and its \
         `undelivered` hook is not called after it stopped"
    );
    assert_eq!(exit.reason, panicked("factory boom"));
    assert_eq!(exit.undelivered, 1, "the queued notification is counted");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(
        within(address.wait_for_stop()).await,
        panicked("factory boom")
    );
    assert_eq!(address.send(Ping(3)).await, Err(SendError::Stopped));
}

async fn restart_factory_panic_of_a_spawned_supervised_actor_reports_the_panic(rt: Rt) {
    silence_panics("phoenix crashed");
    silence_panics("factory boom");
    let (log, calls) = (Log::default(), Arc::new(AtomicUsize::new(0)));
    let deferred = Deferred::default();
    let address = Phoenix::spawn_supervised_on(
        phoenix_factory(&log, &calls, 2),
        Supervision::new(Restart::Transient),
        &deferred,
    );
    let crash = address.try_send(Crash).unwrap();
    let behind = address.try_send(Ping(1)).unwrap();
    address.try_notify(Ping(2)).unwrap();
    deferred.release(&rt);
    assert_eq!(within(crash).await, Err(SendError::Panicked));
    assert_eq!(within(behind).await, Err(SendError::Unanswered));
    assert_eq!(
        within(address.wait_for_stop()).await,
        panicked("factory boom")
    );
    assert_eq!(
        log.events(),
        ["started 1", "stopped 1"],
        "`stopped` exactly once, no `undelivered` on the stopped state"
    );
}

every_executor!(
    restart_factory_panic_runs_stopped_once_and_refuses_the_backlog,
    restart_factory_panic_of_a_spawned_supervised_actor_reports_the_panic,
);

// ---------------------------------------------------------------------------------
// 2. A factory that panics on the first build
// ---------------------------------------------------------------------------------

fn never_builds() -> Phoenix {
    panic!("first build boom")
}

async fn first_build_panic_of_spawn_supervised_is_reported_and_contained(rt: Rt) {
    silence_panics("first build boom");
    let bystander = spawn_bystander(&rt).await;
    let deferred = Deferred::default();
    let doomed: Vec<Address<Phoenix>> = (0..POOL_WORKERS)
        .map(|_| {
            Phoenix::spawn_supervised_on(
                never_builds,
                Supervision::new(Restart::Transient),
                &deferred,
            )
        })
        .collect();
    let queued: Vec<_> = doomed
        .iter()
        .map(|address| address.try_send(Ping(1)).unwrap())
        .collect();
    deferred.release(&rt);
    for reply in queued {
        assert_eq!(within(reply).await, Err(SendError::Unanswered));
    }
    executor_still_runs(&rt, &bystander, "factories panicking on their first build").await;
    for address in &doomed {
        assert_eq!(
            within(address.wait_for_stop()).await,
            panicked("first build boom"),
            "the first build's panic is the stop reason (not Cancelled)"
        );
        assert_eq!(address.send(Ping(2)).await, Err(SendError::Stopped));
    }
}

async fn first_build_panic_of_run_supervised_is_reported_and_contained(rt: Rt) {
    silence_panics("first build boom");
    let bystander = spawn_bystander(&rt).await;
    for _ in 0..POOL_WORKERS {
        let context = Context::new();
        let address = context.address();
        let queued = address.try_send(Ping(1)).unwrap();
        let run = rt.spawn_task(
            AssertUnwindSafe(
                context.run_supervised(never_builds, Supervision::new(Restart::Transient)),
            )
            .catch_unwind(),
        );
        let outcome = within(run).await.unwrap_or_else(|_| {
            panic!("the first build's panic escaped the run_supervised future")
        });
        assert!(
            outcome.into_exit().is_none(),
            "no state was built: run_supervised returns Err(JoinError)"
        );
        assert_eq!(within(queued).await, Err(SendError::Unanswered));
        assert_eq!(
            within(address.wait_for_stop()).await,
            panicked("first build boom")
        );
        assert_eq!(address.send(Ping(2)).await, Err(SendError::Stopped));
    }
    executor_still_runs(&rt, &bystander, "run_supervised's first build panicking").await;
}

async fn first_build_panic_of_a_group_child_is_reported_and_contained(rt: Rt) {
    silence_panics("first build boom");
    let bystander = spawn_bystander(&rt).await;
    let mut handles = Vec::new();
    for _ in 0..POOL_WORKERS {
        let mut group = SupervisorGroup::new(Strategy::OneForOne);
        let doomed = std::panic::catch_unwind(AssertUnwindSafe(|| {
            group.child(never_builds, Restart::Transient)
        }))
        .unwrap_or_else(|_| {
            panic!(
                "SupervisorGroup::child called the panicking factory in the caller: the \
                 first build belongs to the child's own run"
            )
        });
        let queued = doomed.try_send(Ping(1)).unwrap();
        let handle = group.start_on(&rt);
        assert_eq!(within(queued).await, Err(SendError::Unanswered));
        assert_eq!(
            within(doomed.wait_for_stop()).await,
            panicked("first build boom")
        );
        assert_eq!(doomed.send(Ping(2)).await, Err(SendError::Stopped));
        handles.push(handle);
    }
    executor_still_runs(
        &rt,
        &bystander,
        "group children panicking on their first build",
    )
    .await;
    drop(handles);
}

/// Item 5 carried over to the first build (the contract states it for a restart's
/// build): a group whose only child never got a state ends with the factory's panic,
/// not `Requested`.
async fn group_whose_only_child_never_built_ends_with_the_factory_panic(rt: Rt) {
    silence_panics("first build boom");
    let mut group = SupervisorGroup::new(Strategy::OneForOne);
    let doomed = std::panic::catch_unwind(AssertUnwindSafe(|| {
        group.child(never_builds, Restart::Transient)
    }))
    .unwrap_or_else(|_| {
        panic!("SupervisorGroup::child called the panicking factory in the caller")
    });
    let handle = group.start_on(&rt);
    assert_eq!(
        within(doomed.wait_for_stop()).await,
        panicked("first build boom")
    );
    assert_eq!(
        bounded(SHORT, handle.wait()).await,
        Some(panicked("first build boom")),
        "the group ends with its last child's reason"
    );
}

every_executor!(
    first_build_panic_of_spawn_supervised_is_reported_and_contained,
    first_build_panic_of_run_supervised_is_reported_and_contained,
    first_build_panic_of_a_group_child_is_reported_and_contained,
    group_whose_only_child_never_built_ends_with_the_factory_panic,
);

// ---------------------------------------------------------------------------------
// 3. Panicking `Drop`s: of the state, of refused messages, of discarded answers; and
//    panics in attached streams and interval closures
// ---------------------------------------------------------------------------------

/// A state whose `Drop` panics; it can also panic in a handler first.
struct DropBomb;

impl Drop for DropBomb {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            panic!("state drop boom");
        }
    }
}

impl Actor for DropBomb {}

impl Handler<Ping> for DropBomb {
    type Result = u32;
    async fn handle(&mut self, Ping(n): Ping, _: &Context<Self>) -> u32 {
        n
    }
}

impl Handler<Crash> for DropBomb {
    type Result = ();
    async fn handle(&mut self, _: Crash, _: &Context<Self>) {
        panic!("bomb handler boom")
    }
}

async fn state_drop_panic_after_spawn_is_the_stop_reason(rt: Rt) {
    silence_panics("state drop boom");
    let bystander = spawn_bystander(&rt).await;
    let bombs: Vec<_> = (0..POOL_WORKERS).map(|_| DropBomb.spawn_on(&rt)).collect();
    for bomb in &bombs {
        assert_eq!(within(bomb.send(Ping(1))).await, Ok(1));
        bomb.stop().await;
    }
    let mut reasons = Vec::new();
    for bomb in &bombs {
        reasons.push(within(bomb.wait_for_stop()).await);
    }
    executor_still_runs(&rt, &bystander, "actor states panicking in Drop").await;
    for reason in reasons {
        assert_eq!(
            reason,
            panicked("state drop boom"),
            "the state is dropped before the stop is published, and its panic is the reason"
        );
    }
}

async fn state_drop_panic_keeps_an_earlier_panic_reason(rt: Rt) {
    silence_panics("state drop boom");
    silence_panics("bomb handler boom");
    let bystander = spawn_bystander(&rt).await;
    let bombs: Vec<_> = (0..POOL_WORKERS).map(|_| DropBomb.spawn_on(&rt)).collect();
    for bomb in &bombs {
        assert_eq!(within(bomb.send(Crash)).await, Err(SendError::Panicked));
    }
    let mut reasons = Vec::new();
    for bomb in &bombs {
        reasons.push(within(bomb.wait_for_stop()).await);
    }
    executor_still_runs(
        &rt,
        &bystander,
        "actor states panicking in Drop after a panic",
    )
    .await;
    for reason in reasons {
        assert_eq!(
            reason,
            panicked("bomb handler boom"),
            "the first panic is kept"
        );
    }
}

/// A message whose `Drop` panics once (while armed).
struct Bomb(Arc<AtomicBool>);

impl Drop for Bomb {
    fn drop(&mut self) {
        if self.0.swap(false, Ordering::SeqCst) && !std::thread::panicking() {
            panic!("message drop boom");
        }
    }
}

fn armed() -> Bomb {
    Bomb(Arc::new(AtomicBool::new(true)))
}

/// An answer whose `Drop` panics once (while armed).
struct Loud(Arc<AtomicBool>);

impl Drop for Loud {
    fn drop(&mut self) {
        if self.0.swap(false, Ordering::SeqCst) && !std::thread::panicking() {
            panic!("answer drop boom");
        }
    }
}

/// Refuses or discards the bombs above; logs its stop.
#[derive(Default)]
struct Refuser {
    log: Log,
}

impl Actor for Refuser {
    async fn stopped(&mut self) {
        self.log.push("stopped");
    }
}

impl Notifiable<Hold> for Refuser {
    async fn notify(&mut self, hold: Hold, _: &Context<Self>) {
        hold.run().await;
    }
}

impl Notifiable<Bomb> for Refuser {
    async fn notify(&mut self, bomb: Bomb, _: &Context<Self>) {
        // Handled, not refused: disarmed.
        bomb.0.store(false, Ordering::SeqCst);
    }
}

impl Handler<Ping> for Refuser {
    type Result = u32;
    async fn handle(&mut self, Ping(n): Ping, _: &Context<Self>) -> u32 {
        n
    }
}

/// Answers with a `Loud` armed by the request.
struct MakeLoud;

impl Handler<MakeLoud> for Refuser {
    type Result = Loud;
    async fn handle(&mut self, _: MakeLoud, _: &Context<Self>) -> Loud {
        Loud(Arc::new(AtomicBool::new(true)))
    }
}

async fn killed_backlog_with_a_panicking_message_drop_is_still_refused(rt: Rt) {
    silence_panics("message drop boom");
    let bystander = spawn_bystander(&rt).await;
    for _ in 0..POOL_WORKERS {
        let log = Log::default();
        let context = Context::new();
        let address = context.address();
        let join = context
            .with_runtime(rt.clone())
            .spawn(Refuser { log: log.clone() });
        let (hold, key, entered) = hold();
        address.notify(hold).await.unwrap();
        within(entered).await.unwrap();
        address.notify(armed()).await.unwrap();
        let first = address.try_send(Ping(1)).unwrap();
        let second = address.try_send(Ping(2)).unwrap();
        address.kill();
        key.open();
        assert_eq!(
            bounded(SHORT, first).await,
            Some(Err(SendError::Unanswered)),
            "a requester queued behind the panicking drop is told"
        );
        assert_eq!(
            bounded(SHORT, second).await,
            Some(Err(SendError::Unanswered))
        );
        let exit = within(join)
            .await
            .expect("the run ends normally: the drop's panic is contained");
        assert_eq!(
            exit.reason,
            StopReason::Killed,
            "the stop reason is unchanged"
        );
        assert_eq!(log.events(), ["stopped"], "`stopped` still runs");
        assert_eq!(within(address.wait_for_stop()).await, StopReason::Killed);
    }
    executor_still_runs(
        &rt,
        &bystander,
        "a killed backlog's message panicking in Drop",
    )
    .await;
}

async fn stopped_backlog_with_a_panicking_message_drop_is_still_refused(rt: Rt) {
    silence_panics("message drop boom");
    let bystander = spawn_bystander(&rt).await;
    for _ in 0..POOL_WORKERS {
        let log = Log::default();
        let context = Context::new();
        let address = context.address();
        let join = context
            .with_runtime(rt.clone())
            .spawn(Refuser { log: log.clone() });
        let (hold, key, entered) = hold();
        address.notify(hold).await.unwrap();
        within(entered).await.unwrap();
        address.stop().await;
        // Behind the stop: refused once it is accepted.
        address.notify(armed()).await.unwrap();
        let behind = address.try_send(Ping(1)).unwrap();
        key.open();
        assert_eq!(
            bounded(SHORT, behind).await,
            Some(Err(SendError::Unanswered))
        );
        let exit = within(join)
            .await
            .expect("the run ends normally: the drop's panic is contained");
        assert_eq!(exit.reason, StopReason::Requested);
        assert_eq!(log.events(), ["stopped"]);
    }
    executor_still_runs(&rt, &bystander, "a refused message panicking in Drop").await;
}

async fn discarded_answer_with_a_panicking_drop_leaves_the_actor_serving(rt: Rt) {
    silence_panics("answer drop boom");
    let bystander = spawn_bystander(&rt).await;
    for _ in 0..POOL_WORKERS {
        let address = Refuser::default().spawn_on(&rt);
        let (hold, key, entered) = hold();
        address.notify(hold).await.unwrap();
        within(entered).await.unwrap();
        // The requester goes away after queuing: the answer is discarded (dropped).
        drop(address.try_send(MakeLoud).unwrap());
        key.open();
        assert_eq!(
            bounded(SHORT, address.send(Ping(5))).await,
            Some(Ok(5)),
            "the actor keeps serving after a discarded answer panicked in Drop"
        );
        assert!(address.connected());
    }
    executor_still_runs(&rt, &bystander, "discarded answers panicking in Drop").await;
}

async fn timed_out_answer_with_a_panicking_drop_leaves_the_actor_serving(rt: Rt) {
    silence_panics("answer drop boom");
    let bystander = spawn_bystander(&rt).await;
    for _ in 0..POOL_WORKERS {
        let address = Refuser::default().spawn_on(&rt);
        let (hold, key, entered) = hold();
        address.notify(hold).await.unwrap();
        within(entered).await.unwrap();
        let late = address
            .send(MakeLoud)
            .timeout_on(Duration::from_millis(20), &ThreadTimer);
        assert!(matches!(within(late).await, Err(SendError::Timeout)));
        key.open();
        assert_eq!(
            bounded(SHORT, address.send(Ping(5))).await,
            Some(Ok(5)),
            "the actor keeps serving after a timed-out answer panicked in Drop"
        );
    }
    executor_still_runs(&rt, &bystander, "timed-out answers panicking in Drop").await;
}

async fn panicking_stream_ends_quietly_and_the_actor_keeps_answering(rt: Rt) {
    silence_panics("stream boom");
    let bystander = spawn_bystander(&rt).await;
    let log = Log::default();
    let context = Context::new();
    let address = context.address();
    let join = context
        .with_runtime(rt.clone())
        .spawn(Listener { log: log.clone() });
    assert_eq!(within(address.send(Ping(1))).await, Ok(1));
    // One stream per pool worker, both kinds of attachment, attached from outside the
    // actor's own handlers (the context's address path is the same).
    let mut dropped = Vec::new();
    let (signal_a, dropped_a) = drop_signal();
    let (signal_b, dropped_b) = drop_signal();
    dropped.push(dropped_a);
    dropped.push(dropped_b);
    assert_eq!(POOL_WORKERS, 2);
    address
        .send(Attach(Some(PanickyStream(signal_a)), false))
        .await
        .unwrap();
    address
        .send(Attach(Some(PanickyStream(signal_b)), true))
        .await
        .unwrap();
    for dropped in dropped {
        assert!(
            was_dropped(dropped).await,
            "the panicking stream is dropped"
        );
    }
    assert_eq!(
        bounded(SHORT, address.send(Ping(2))).await,
        Some(Ok(2)),
        "the actor keeps answering after its attached streams panicked"
    );
    executor_still_runs(&rt, &bystander, "attached streams panicking in poll_next").await;
    address.stop().await;
    let exit = within(join).await.unwrap();
    assert_eq!(exit.reason, StopReason::Requested);
    assert_eq!(
        log.events(),
        ["stopped"],
        "no item and no end message from a stream that panicked"
    );
}

/// Attaches the stream from inside a handler (`ctx.add_stream`, or with an end), on the
/// runtime the actor was spawned on.
struct Attach(Option<PanickyStream>, bool);

impl Handler<Attach> for Listener {
    type Result = ();
    async fn handle(&mut self, Attach(stream, with_end): Attach, ctx: &Context<Self>) {
        let stream = stream.unwrap();
        if with_end {
            ctx.add_stream_with_end(stream, StreamEnd);
        } else {
            ctx.add_stream(stream);
        }
    }
}

impl Notifiable<Tick> for Listener {
    async fn notify(&mut self, Tick(n): Tick, _: &Context<Self>) {
        self.log.push(format!("tick {n}"));
    }
}

/// Starts an interval whose closure panics (after telling `about_to_panic`), on the
/// runtime the actor was spawned on.
struct PanickyInterval(tokio::sync::mpsc::UnboundedSender<()>);

impl Handler<PanickyInterval> for Listener {
    type Result = ();
    async fn handle(&mut self, PanickyInterval(tell): PanickyInterval, ctx: &Context<Self>) {
        drop(
            ctx.notify_interval(Duration::from_millis(5), move || -> Tick {
                let _ = tell.send(());
                panic!("interval boom")
            }),
        );
    }
}

async fn panicking_interval_closure_ends_its_timer_and_the_actor_keeps_answering(rt: Rt) {
    silence_panics("interval boom");
    let bystander = spawn_bystander(&rt).await;
    let log = Log::default();
    let address = Listener { log: log.clone() }.spawn_on(&rt);
    let (tell, mut told) = tokio::sync::mpsc::unbounded_channel();
    for _ in 0..POOL_WORKERS {
        address.send(PanickyInterval(tell.clone())).await.unwrap();
    }
    drop(tell);
    for _ in 0..POOL_WORKERS {
        within(told.recv()).await.expect("each interval fired once");
    }
    assert_eq!(
        bounded(SHORT, address.send(Ping(3))).await,
        Some(Ok(3)),
        "the actor keeps answering after its interval closures panicked"
    );
    executor_still_runs(&rt, &bystander, "interval closures panicking").await;
    assert!(
        log.events().iter().all(|event| !event.starts_with("tick")),
        "no tick was delivered: {:?}",
        log.events()
    );
}

every_executor!(
    state_drop_panic_after_spawn_is_the_stop_reason,
    state_drop_panic_keeps_an_earlier_panic_reason,
    killed_backlog_with_a_panicking_message_drop_is_still_refused,
    stopped_backlog_with_a_panicking_message_drop_is_still_refused,
    discarded_answer_with_a_panicking_drop_leaves_the_actor_serving,
    timed_out_answer_with_a_panicking_drop_leaves_the_actor_serving,
    panicking_stream_ends_quietly_and_the_actor_keeps_answering,
    panicking_interval_closure_ends_its_timer_and_the_actor_keeps_answering,
);

#[test]
fn dropped_never_run_context_with_a_panicking_message_drop_still_refuses_the_backlog() {
    silence_panics("message drop boom");
    futures::executor::block_on(within(async {
        let context = Context::<Refuser>::new();
        let address = context.address();
        address.try_notify(armed()).unwrap();
        let queued = address.try_send(Ping(1)).unwrap();
        let dropped = std::panic::catch_unwind(AssertUnwindSafe(move || drop(context)));
        assert!(
            dropped.is_ok(),
            "a queued message's panicking Drop escaped Context::drop"
        );
        assert_eq!(
            bounded(SHORT, queued).await,
            Some(Err(SendError::Unanswered)),
            "the requester behind the panicking message is still told"
        );
        assert_eq!(within(address.wait_for_stop()).await, StopReason::Cancelled);
    }));
}

// ---------------------------------------------------------------------------------
// 4. A group's budget is exact
// ---------------------------------------------------------------------------------

/// Panics on every request, synchronously: never yields.
struct Brittle;

impl Actor for Brittle {}

impl Handler<Ping> for Brittle {
    type Result = u32;
    async fn handle(&mut self, _: Ping, _: &Context<Self>) -> u32 {
        panic!("brittle")
    }
}

async fn group_budget_rebuilds_a_failing_child_exactly_budget_times(rt: Rt) {
    silence_panics("brittle");
    let calls = Arc::new(AtomicUsize::new(0));
    let mut group = SupervisorGroup::new(Strategy::OneForOne).budget(2, Duration::from_secs(60));
    let counted = Arc::clone(&calls);
    let child = group.child(
        move || {
            counted.fetch_add(1, Ordering::SeqCst);
            Brittle
        },
        Restart::Transient,
    );
    // All queued before the child starts: it never has to wait for one.
    let replies: Vec<_> = (0..50).map(|n| child.try_send(Ping(n)).unwrap()).collect();
    let handle = group.start_on(&rt);
    let reason = within(handle.wait()).await;
    assert!(
        matches!(reason, StopReason::TooManyRestarts(_)),
        "the group ends past its budget, got {reason:?}"
    );
    // Every child stopped (killed by the group, or out of budget itself).
    within(child.wait_for_stop()).await;
    let outcomes = within(futures::future::join_all(replies)).await;
    assert_eq!(
        calls.load(Ordering::SeqCst),
        3,
        "1 first build + 2 restarts, however fast the child fails"
    );
    let panicked = outcomes
        .iter()
        .filter(|outcome| **outcome == Err(SendError::Panicked))
        .count();
    let unanswered = outcomes
        .iter()
        .filter(|outcome| **outcome == Err(SendError::Unanswered))
        .count();
    assert_eq!((panicked, unanswered), (3, 47), "{outcomes:?}");
}

every_executor!(group_budget_rebuilds_a_failing_child_exactly_budget_times);

// ---------------------------------------------------------------------------------
// 5. A group child whose factory panics on a restart
// ---------------------------------------------------------------------------------

async fn group_ends_with_the_factory_panic_of_its_last_child(rt: Rt) {
    silence_panics("phoenix crashed");
    silence_panics("factory boom");
    let (log, calls) = (Log::default(), Arc::new(AtomicUsize::new(0)));
    let mut group = SupervisorGroup::new(Strategy::OneForOne);
    let fragile = group.child(phoenix_factory(&log, &calls, 2), Restart::Transient);
    let steady = group.child(|| Echoer, Restart::Transient);
    let handle = group.start_on(&rt);
    assert_eq!(within(steady.send(Ping(1))).await, Ok(1));
    // The steady child stops for good first (its address stays alive here).
    steady.stop().await;
    assert_eq!(within(steady.wait_for_stop()).await, StopReason::Requested);
    assert_eq!(within(fragile.send(Crash)).await, Err(SendError::Panicked));
    assert_eq!(
        within(fragile.wait_for_stop()).await,
        panicked("factory boom")
    );
    assert_eq!(
        bounded(SHORT, handle.wait()).await,
        Some(panicked("factory boom")),
        "the group ends with its last child's reason: the factory's panic"
    );
    drop(steady);
}

async fn group_of_one_ends_with_the_factory_panic(rt: Rt) {
    silence_panics("phoenix crashed");
    silence_panics("factory boom");
    let (log, calls) = (Log::default(), Arc::new(AtomicUsize::new(0)));
    let mut group = SupervisorGroup::new(Strategy::OneForAll);
    let fragile = group.child(phoenix_factory(&log, &calls, 2), Restart::Transient);
    let handle: GroupHandle = group.start_on(&rt);
    assert_eq!(within(fragile.send(Crash)).await, Err(SendError::Panicked));
    assert_eq!(
        bounded(SHORT, handle.wait()).await,
        Some(panicked("factory boom"))
    );
    assert_eq!(log.events(), ["started 1", "stopped 1"]);
}

every_executor!(
    group_ends_with_the_factory_panic_of_its_last_child,
    group_of_one_ends_with_the_factory_panic,
);

// ---------------------------------------------------------------------------------
// 6. Registry: `S::default()` runs outside the registry's lock
// ---------------------------------------------------------------------------------

/// Runs `call` on a thread of its own (inside the current tokio runtime), bounded: a
/// registry call that blocks its thread forever on the registry's lock shows up as
/// `Err("deadlocked")` instead of hanging the test; one that panics as `Err("panicked")`.
async fn registry_call<T: Send + 'static>(
    call: impl FnOnce() -> T + Send + 'static,
) -> Result<T, &'static str> {
    let handle = tokio::runtime::Handle::current();
    let (tx, rx) = signal::channel();
    std::thread::spawn(move || {
        let _inside = handle.enter();
        let _ = tx.send(call());
    });
    match bounded(SHORT, rx).await {
        None => Err("deadlocked: the call never returned"),
        Some(Err(_)) => Err("panicked in the caller"),
        Some(Ok(value)) => Ok(value),
    }
}

fn service<S: Service>() -> Address<S> {
    futures::executor::block_on(Registry::service::<S>())
}

macro_rules! ping_service {
    ($name:ident, $default:expr) => {
        struct $name;

        impl Default for $name {
            fn default() -> Self {
                let () = $default;
                $name
            }
        }

        impl Actor for $name {}

        impl Service for $name {
            const NAME: &'static str = concat!("correctness-round-", stringify!($name));
        }

        impl Handler<Ping> for $name {
            type Result = u32;
            async fn handle(&mut self, Ping(n): Ping, _: &Context<Self>) -> u32 {
                n
            }
        }
    };
}

ping_service!(LooksUpInDefault, {
    let _ = Registry::lookup::<Echoer>("correctness-round-nobody");
});
ping_service!(RegistersInDefault, {
    let echoer = Echoer.spawn_on(&Tokio);
    let _ = Registry::register("correctness-round-registered-in-default", &echoer);
});
ping_service!(HelperService, ());
ping_service!(StartsServiceInDefault, {
    let helper = Registry::service_on::<HelperService, _>(&Tokio);
    assert!(helper.connected());
});

async fn check_default_does_not_deadlock<S: Service + Handler<Ping, Result = u32>>() {
    let address = registry_call(service::<S>)
        .await
        .expect("Registry::service must not run S::default() under its own lock");
    assert_eq!(within(address.send(Ping(1))).await, Ok(1));
    assert_eq!(
        registry_call(|| Registry::lookup::<Echoer>("correctness-round-nobody")).await,
        Ok(None),
        "other registry calls keep working"
    );
}

#[test]
fn service_default_calling_lookup_does_not_deadlock_the_registry() {
    run(Executor::TokioMultiThread, |_| {
        check_default_does_not_deadlock::<LooksUpInDefault>()
    });
}

#[test]
fn service_default_calling_register_does_not_deadlock_the_registry() {
    run(Executor::TokioMultiThread, |_| {
        check_default_does_not_deadlock::<RegistersInDefault>()
    });
}

#[test]
fn service_default_starting_another_service_does_not_deadlock_the_registry() {
    run(Executor::TokioMultiThread, |_| {
        check_default_does_not_deadlock::<StartsServiceInDefault>()
    });
}

static PANICKY_DEFAULTS: AtomicUsize = AtomicUsize::new(0);

ping_service!(PanicsInFirstDefault, {
    if PANICKY_DEFAULTS.fetch_add(1, Ordering::SeqCst) == 0 {
        panic!("service default boom");
    }
});

#[test]
fn service_whose_default_panics_fails_its_requests_and_restarts_fresh() {
    silence_panics("service default boom");
    run(Executor::TokioMultiThread, |_| async {
        let first = registry_call(service::<PanicsInFirstDefault>)
            .await
            .expect("service() hands back an address even when Default panics");
        let answer = within(first.send(Ping(1))).await;
        assert!(
            matches!(answer, Err(SendError::Unanswered | SendError::Stopped)),
            "{answer:?}"
        );
        assert_eq!(
            within(first.wait_for_stop()).await,
            panicked("service default boom")
        );
        let second = registry_call(service::<PanicsInFirstDefault>)
            .await
            .expect("the next service() call starts a fresh instance");
        assert_ne!(first, second);
        assert_eq!(within(second.send(Ping(2))).await, Ok(2));
        assert_eq!(PANICKY_DEFAULTS.load(Ordering::SeqCst), 2);
    });
}

// ---------------------------------------------------------------------------------
// 7. A never-ending attached stream ends with its actor
// ---------------------------------------------------------------------------------

async fn check_pending_stream_is_dropped_at_stop(rt: Rt, kill: bool) {
    let context = Context::new().with_runtime(rt);
    let (alive, dropped) = drop_signal();
    context.add_stream(Endless(alive));
    let address = context.address();
    let join = context.spawn(Listener::default());
    assert_eq!(within(address.send(Ping(1))).await, Ok(1));
    if kill {
        address.kill();
    } else {
        address.stop().await;
    }
    let exit = within(join).await.unwrap();
    assert_eq!(
        exit.reason,
        if kill {
            StopReason::Killed
        } else {
            StopReason::Requested
        }
    );
    assert!(
        was_dropped(dropped).await,
        "the pending stream is dropped when its actor stops: its forwarding task ends"
    );
}

async fn pending_attached_stream_is_dropped_when_the_actor_stops(rt: Rt) {
    check_pending_stream_is_dropped_at_stop(rt, false).await;
}

async fn pending_attached_stream_is_dropped_when_the_actor_is_killed(rt: Rt) {
    check_pending_stream_is_dropped_at_stop(rt, true).await;
}

async fn stream_forwarder_resolves_stopped_when_the_actor_stops(rt: Rt) {
    let address = Listener::default().spawn_on(&rt);
    let (alive, dropped) = drop_signal();
    let forward = rt.spawn_task(address.clone().into_stream_forwarder(Endless(alive)));
    assert_eq!(within(address.send(Ping(1))).await, Ok(1));
    address.stop().await;
    assert_eq!(within(address.wait_for_stop()).await, StopReason::Requested);
    assert_eq!(
        bounded(SHORT, forward).await,
        Some(Err(SendError::Stopped)),
        "the forwarder resolves once its actor stopped, though the stream is still pending"
    );
    assert!(was_dropped(dropped).await);
}

every_executor!(
    pending_attached_stream_is_dropped_when_the_actor_stops,
    pending_attached_stream_is_dropped_when_the_actor_is_killed,
    stream_forwarder_resolves_stopped_when_the_actor_stops,
);

// ---------------------------------------------------------------------------------
// 8. A panicking read does not take the reads beside it down (`PanicAction::Resume`)
// ---------------------------------------------------------------------------------

struct Reader;

impl Actor for Reader {
    const READ_CONCURRENCY: usize = 4;

    async fn on_panic(&mut self, _: &str, _: &Context<Self>) -> PanicAction {
        PanicAction::Resume
    }
}

/// A read that says it is running, waits for its gate, then answers 7 (or panics).
struct GatedRead {
    entered: tokio::sync::oneshot::Sender<()>,
    gate: Gate,
    panics: bool,
}

impl ReadHandler<GatedRead> for Reader {
    type Result = u32;
    async fn handle_read(&self, read: GatedRead, _: &Context<Self>) -> u32 {
        let _ = read.entered.send(());
        read.gate.pass().await;
        assert!(!read.panics, "read boom");
        7
    }
}

impl Handler<Ping> for Reader {
    type Result = u32;
    async fn handle(&mut self, Ping(n): Ping, _: &Context<Self>) -> u32 {
        n
    }
}

async fn reads_beside_a_panicking_read_still_answer(rt: Rt) {
    silence_panics("read boom");
    let reader = Reader.spawn_on(&rt);
    let mut keys = Vec::new();
    let mut replies = Vec::new();
    let mut entered = Vec::new();
    for panics in [false, true, false] {
        let (gate, key) = Gate::new();
        let (tell, told) = tokio::sync::oneshot::channel();
        replies.push(
            reader
                .try_read(GatedRead {
                    entered: tell,
                    gate,
                    panics,
                })
                .unwrap(),
        );
        keys.push(key);
        entered.push(told);
    }
    // All three are provably running at once before anything panics.
    for told in entered {
        within(told).await.unwrap();
    }
    let mut keys = keys.into_iter();
    let (first_key, panic_key, last_key) = (
        keys.next().unwrap(),
        keys.next().unwrap(),
        keys.next().unwrap(),
    );
    let mut replies = replies.into_iter();
    let (first, panicking, last) = (
        replies.next().unwrap(),
        replies.next().unwrap(),
        replies.next().unwrap(),
    );
    panic_key.open();
    assert_eq!(within(panicking).await, Err(SendError::Panicked));
    first_key.open();
    last_key.open();
    assert_eq!(
        (within(first).await, within(last).await),
        (Ok(7), Ok(7)),
        "the reads running beside the panicking one complete and answer"
    );
    assert_eq!(
        within(reader.send(Ping(4))).await,
        Ok(4),
        "the actor keeps serving"
    );
    let (gate, key) = Gate::new();
    key.open();
    let (tell, _told) = tokio::sync::oneshot::channel();
    assert_eq!(
        within(reader.read(GatedRead {
            entered: tell,
            gate,
            panics: false,
        }))
        .await,
        Ok(7)
    );
}

every_executor!(reads_beside_a_panicking_read_still_answer);

// ---------------------------------------------------------------------------------
// 9. What a state sets up ends with that state
// ---------------------------------------------------------------------------------

/// Runs a body on tokio's current-thread runtime with paused time: a `sleep` there
/// completes only once every task is idle, so "let time pass and everything settle" is
/// deterministic (the timers under test run on the built-in tokio runtime).
fn paused<F: Future<Output = ()>>(body: F) {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("a tokio runtime")
        .block_on(within(body));
}

/// Lets `duration` of (paused) time pass, with every task run to idleness.
async fn settle(duration: Duration) {
    tokio::time::sleep(duration).await;
}

/// Ticks tagged with the generation (restart count) whose timer sent them.
struct Ticker {
    generation: u32,
    own_timer: bool,
    ticks: Vec<u32>,
}

impl Actor for Ticker {
    async fn started(&mut self, ctx: &Context<Self>) {
        self.generation = ctx.restarts();
        if self.own_timer {
            let generation = self.generation;
            drop(ctx.notify_interval(Duration::from_millis(10), move || Tick(generation)));
        }
    }
}

impl Notifiable<Tick> for Ticker {
    async fn notify(&mut self, Tick(generation): Tick, _: &Context<Self>) {
        self.ticks.push(generation);
    }
}

impl Handler<Crash> for Ticker {
    type Result = ();
    async fn handle(&mut self, _: Crash, _: &Context<Self>) {
        panic!("ticker crash")
    }
}

/// The current generation and the ticks it handled since the last `TakeTicks`.
struct TakeTicks;

impl Handler<TakeTicks> for Ticker {
    type Result = (u32, Vec<u32>);
    async fn handle(&mut self, _: TakeTicks, _: &Context<Self>) -> (u32, Vec<u32>) {
        (self.generation, std::mem::take(&mut self.ticks))
    }
}

async fn crash_three_times(ticker: &Address<Ticker>) {
    for _ in 0..3 {
        assert_eq!(within(ticker.send(Crash)).await, Err(SendError::Panicked));
    }
    let (generation, _) = within(ticker.send(TakeTicks)).await.unwrap();
    assert_eq!(generation, 3);
}

#[test]
fn interval_started_by_a_state_ends_with_that_state() {
    silence_panics("ticker crash");
    paused(async {
        let ticker = Ticker::spawn_supervised(
            || Ticker {
                generation: 0,
                own_timer: true,
                ticks: Vec::new(),
            },
            Supervision::new(Restart::Transient).budget(10, Duration::from_secs(60)),
        );
        crash_three_times(&ticker).await;
        settle(Duration::from_millis(100)).await;
        let (generation, ticks) = within(ticker.send(TakeTicks)).await.unwrap();
        assert_eq!(generation, 3);
        assert!(
            ticks.iter().all(|tag| *tag == 3),
            "ticks from the timers of states that already ended: {ticks:?}"
        );
        assert!(
            (1..=11).contains(&ticks.len()),
            "one 10ms timer ticks about 10 times in 100ms, got {}: {ticks:?}",
            ticks.len()
        );
        ticker.kill();
    });
}

/// Counts the `idle` calls of the current state; its `started` sets up an idle
/// watchdog, as a session actor does.
#[derive(Default)]
struct Idler {
    idle_calls: u32,
}

impl Actor for Idler {
    async fn started(&mut self, ctx: &Context<Self>) {
        drop(ctx.idle_timeout(Duration::from_millis(50)));
    }

    async fn idle(&mut self, _: &Context<Self>) {
        // Stays up: only the count matters.
        self.idle_calls += 1;
    }
}

impl Handler<Crash> for Idler {
    type Result = ();
    async fn handle(&mut self, _: Crash, _: &Context<Self>) {
        panic!("idler crash")
    }
}

/// How many `idle` calls the current state got.
struct IdleCalls;

impl Handler<IdleCalls> for Idler {
    type Result = u32;
    async fn handle(&mut self, _: IdleCalls, _: &Context<Self>) -> u32 {
        self.idle_calls
    }
}

#[test]
fn idle_watchdog_started_by_a_state_ends_with_that_state() {
    silence_panics("idler crash");
    paused(async {
        let idler = Idler::spawn_supervised(
            Idler::default,
            Supervision::new(Restart::Transient).budget(10, Duration::from_secs(60)),
        );
        for _ in 0..3 {
            assert_eq!(within(idler.send(Crash)).await, Err(SendError::Panicked));
        }
        assert_eq!(within(idler.send(IdleCalls)).await, Ok(0));
        // One watchdog looking every 50 ms calls `idle` about 20 times in a second of
        // silence; the three of the states that ended would make it about 80.
        settle(Duration::from_millis(1000)).await;
        let calls = within(idler.send(IdleCalls)).await.unwrap();
        assert!(
            (15..=21).contains(&calls),
            "one watchdog's calls expected, got {calls}"
        );
        idler.kill();
    });
}

/// Guard (passes before the fix too): an interval attached to the context before the
/// actor runs belongs to the actor, and survives restarts.
#[test]
fn interval_attached_to_the_context_survives_restarts() {
    silence_panics("ticker crash");
    paused(async {
        let context = Context::new();
        drop(context.notify_interval(Duration::from_millis(10), || Tick(99)));
        let ticker = context.address();
        let run = tokio::spawn(context.run_supervised(
            || Ticker {
                generation: 0,
                own_timer: false,
                ticks: Vec::new(),
            },
            Supervision::new(Restart::Transient).budget(10, Duration::from_secs(60)),
        ));
        crash_three_times(&ticker).await;
        settle(Duration::from_millis(100)).await;
        let (_, ticks) = within(ticker.send(TakeTicks)).await.unwrap();
        assert!(
            !ticks.is_empty() && ticks.iter().all(|tag| *tag == 99),
            "{ticks:?}"
        );
        ticker.kill();
        let _ = within(run).await;
    });
}

/// Monitors `target` from `started`; counts the `Terminated`s the current state gets.
struct Watcher {
    target: Address<Echoer>,
    terminated: u32,
}

impl Actor for Watcher {
    async fn started(&mut self, ctx: &Context<Self>) {
        ctx.monitor(&self.target);
    }
}

impl Notifiable<Terminated> for Watcher {
    async fn notify(&mut self, _: Terminated, _: &Context<Self>) {
        self.terminated += 1;
    }
}

impl Handler<Crash> for Watcher {
    type Result = ();
    async fn handle(&mut self, _: Crash, _: &Context<Self>) {
        panic!("watcher crash")
    }
}

struct Count;

impl Handler<Count> for Watcher {
    type Result = u32;
    async fn handle(&mut self, _: Count, _: &Context<Self>) -> u32 {
        self.terminated
    }
}

#[test]
fn monitor_started_by_a_state_ends_with_that_state() {
    silence_panics("watcher crash");
    paused(async {
        let target = Echoer.spawn();
        let watched = target.clone();
        let watcher = Watcher::spawn_supervised(
            move || Watcher {
                target: watched.clone(),
                terminated: 0,
            },
            Supervision::new(Restart::Transient).budget(10, Duration::from_secs(60)),
        );
        for _ in 0..2 {
            assert_eq!(within(watcher.send(Crash)).await, Err(SendError::Panicked));
        }
        assert_eq!(within(watcher.send(Count)).await, Ok(0));
        target.stop().await;
        within(target.wait_for_stop()).await;
        settle(Duration::from_secs(1)).await;
        assert_eq!(
            within(watcher.send(Count)).await,
            Ok(1),
            "one Terminated: the monitors of the states that ended ended with them"
        );
        watcher.kill();
    });
}

/// Attaches a never-ending stream from `started` (on the runtime it was spawned on);
/// hands out the drop signal of each.
struct Streamer {
    dropped: Arc<Mutex<Vec<signal::Receiver<()>>>>,
}

impl Actor for Streamer {
    async fn started(&mut self, ctx: &Context<Self>) {
        let (alive, dropped) = drop_signal();
        self.dropped.lock().unwrap().push(dropped);
        ctx.add_stream(Endless(alive));
    }
}

impl Notifiable<u32> for Streamer {
    async fn notify(&mut self, _: u32, _: &Context<Self>) {}
}

impl Handler<Crash> for Streamer {
    type Result = ();
    async fn handle(&mut self, _: Crash, _: &Context<Self>) {
        panic!("streamer crash")
    }
}

impl Handler<Ping> for Streamer {
    type Result = u32;
    async fn handle(&mut self, Ping(n): Ping, _: &Context<Self>) -> u32 {
        n
    }
}

async fn stream_attached_by_a_state_is_dropped_when_that_state_ends(rt: Rt) {
    silence_panics("streamer crash");
    let dropped = Arc::new(Mutex::new(Vec::new()));
    let factory_dropped = Arc::clone(&dropped);
    let streamer = Streamer::spawn_supervised_on(
        move || Streamer {
            dropped: Arc::clone(&factory_dropped),
        },
        Supervision::new(Restart::Transient),
        &rt,
    );
    assert_eq!(within(streamer.send(Ping(1))).await, Ok(1));
    assert_eq!(within(streamer.send(Crash)).await, Err(SendError::Panicked));
    assert_eq!(within(streamer.send(Ping(2))).await, Ok(2), "restarted");
    let first = dropped.lock().unwrap().remove(0);
    assert!(
        was_dropped(first).await,
        "the stream the first state attached is dropped when that state ends"
    );
    streamer.kill();
    assert_eq!(within(streamer.wait_for_stop()).await, StopReason::Killed);
    let second = dropped.lock().unwrap().remove(0);
    assert!(
        was_dropped(second).await,
        "and the second one when the actor stops"
    );
}

every_executor!(stream_attached_by_a_state_is_dropped_when_that_state_ends);

// ---------------------------------------------------------------------------------
// 10. Deadlock cycles between actors
// ---------------------------------------------------------------------------------

/// A node of a chain of requests: `Relay(hops)` forwards `Relay(hops - 1)` to `next`
/// and reports, outermost first, what each node saw.
struct Node {
    name: &'static str,
    next: Option<Address<Node>>,
}

impl Actor for Node {}

struct Link(Address<Node>);

impl Handler<Link> for Node {
    type Result = ();
    async fn handle(&mut self, Link(next): Link, _: &Context<Self>) {
        self.next = Some(next);
    }
}

struct Relay(u32);

impl Handler<Relay> for Node {
    type Result = Vec<String>;
    async fn handle(&mut self, Relay(hops): Relay, _: &Context<Self>) -> Vec<String> {
        if hops == 0 {
            return vec![format!("{} answered", self.name)];
        }
        let next = self.next.clone().expect("linked");
        match next.send(Relay(hops - 1)).await {
            Ok(mut trace) => {
                trace.insert(0, format!("{} got an answer", self.name));
                trace
            }
            Err(error) => vec![format!("{} refused: {error:?}", self.name)],
        }
    }
}

async fn ring(rt: &Rt, names: &[&'static str]) -> Vec<Address<Node>> {
    let nodes: Vec<_> = names
        .iter()
        .map(|name| Node { name, next: None }.spawn_on(rt))
        .collect();
    for (index, node) in nodes.iter().enumerate() {
        let next = nodes[(index + 1) % nodes.len()].clone();
        within(node.send(Link(next))).await.unwrap();
    }
    nodes
}

async fn request_cycle_of_two_fails_with_would_deadlock(rt: Rt) {
    let nodes = ring(&rt, &["A", "B"]).await;
    assert_eq!(
        bounded(SHORT, nodes[0].send(Relay(2))).await,
        Some(Ok(vec![
            "A got an answer".to_owned(),
            "B refused: WouldDeadlock".to_owned()
        ])),
        "B's request to A (which awaits B) is refused at once, and A gets B's answer"
    );
    // Both keep serving, and a chain that is no cycle goes through.
    assert_eq!(
        within(nodes[0].send(Relay(1))).await,
        Ok(vec!["A got an answer".to_owned(), "B answered".to_owned()])
    );
    assert_eq!(
        within(nodes[1].send(Relay(1))).await,
        Ok(vec!["B got an answer".to_owned(), "A answered".to_owned()])
    );
    for node in &nodes {
        node.kill();
    }
}

async fn request_cycle_of_three_fails_with_would_deadlock(rt: Rt) {
    let nodes = ring(&rt, &["A", "B", "C"]).await;
    assert_eq!(
        bounded(SHORT, nodes[0].send(Relay(3))).await,
        Some(Ok(vec![
            "A got an answer".to_owned(),
            "B got an answer".to_owned(),
            "C refused: WouldDeadlock".to_owned()
        ])),
        "C's request to A closes the cycle A→B→C→A: refused at once"
    );
    assert_eq!(
        within(nodes[2].send(Relay(2))).await,
        Ok(vec![
            "C got an answer".to_owned(),
            "A got an answer".to_owned(),
            "B answered".to_owned()
        ])
    );
    for node in &nodes {
        node.kill();
    }
}

/// B's side: says it is handling, waits for its gate, then requests A and reports how
/// that went on `report`.
struct Callee {
    back: Option<Address<Caller>>,
}

impl Actor for Callee {}

struct CallBack {
    hold: Hold,
    report: tokio::sync::mpsc::UnboundedSender<Result<u32, SendError>>,
}

impl Handler<CallBack> for Callee {
    type Result = ();
    async fn handle(&mut self, CallBack { hold, report }: CallBack, _: &Context<Self>) {
        hold.run().await;
        let back = self.back.clone().expect("linked");
        let _ = report.send(back.send(Ping(21)).await);
    }
}

struct LinkBack(Address<Caller>);

impl Handler<LinkBack> for Callee {
    type Result = ();
    async fn handle(&mut self, LinkBack(back): LinkBack, _: &Context<Self>) {
        self.back = Some(back);
    }
}

/// A's side: requests B, but gives up (by timeout, or by dropping the request when its
/// gate opens).
struct Caller {
    peer: Address<Callee>,
}

impl Actor for Caller {}

impl Handler<Ping> for Caller {
    type Result = u32;
    async fn handle(&mut self, Ping(n): Ping, _: &Context<Self>) -> u32 {
        n
    }
}

enum GiveUp {
    After(Duration),
    When(Gate),
}

struct Ask(CallBack, GiveUp);

impl Handler<Ask> for Caller {
    type Result = &'static str;
    async fn handle(&mut self, Ask(call, give_up): Ask, _: &Context<Self>) -> &'static str {
        match give_up {
            GiveUp::After(duration) => {
                match self
                    .peer
                    .send(call)
                    .timeout_on(duration, &ThreadTimer)
                    .await
                {
                    Err(SendError::Timeout) => "timed out",
                    _ => "unexpected",
                }
            }
            GiveUp::When(gate) => match select(pin!(self.peer.send(call)), pin!(gate.pass())).await
            {
                Either::Right(_) => "gave up",
                Either::Left(_) => "unexpected",
            },
        }
    }
}

async fn check_abandoned_request_is_no_cycle(rt: Rt, by_timeout: bool) {
    let callee = Callee { back: None }.spawn_on(&rt);
    let caller = Caller {
        peer: callee.clone(),
    }
    .spawn_on(&rt);
    within(callee.send(LinkBack(caller.clone()))).await.unwrap();
    let (hold, callee_key, callee_entered) = hold();
    let (report, mut reported) = tokio::sync::mpsc::unbounded_channel();
    let call = CallBack { hold, report };
    let answer = if by_timeout {
        within(caller.send(Ask(call, GiveUp::After(Duration::from_millis(20))))).await
    } else {
        let (gate, key) = Gate::new();
        let asked = caller.try_send(Ask(call, GiveUp::When(gate))).unwrap();
        within(callee_entered).await.unwrap();
        key.open();
        within(asked).await
    };
    assert_eq!(answer, Ok(if by_timeout { "timed out" } else { "gave up" }));
    // A is no longer waiting for B: B's request to A is no cycle.
    callee_key.open();
    assert_eq!(
        within(reported.recv()).await,
        Some(Ok(21)),
        "a request to an actor that gave up waiting is not refused"
    );
    // And requests from outside any actor are unaffected.
    assert_eq!(within(caller.send(Ping(1))).await, Ok(1));
    callee.kill();
    caller.kill();
}

/// Guard (passes before the fix too): no false positive after a timeout.
async fn request_after_a_timed_out_request_is_not_a_cycle(rt: Rt) {
    check_abandoned_request_is_no_cycle(rt, true).await;
}

/// Guard (passes before the fix too): no false positive after a dropped request.
async fn request_after_a_dropped_request_is_not_a_cycle(rt: Rt) {
    check_abandoned_request_is_no_cycle(rt, false).await;
}

/// A with a mailbox of one: its handler awaits B; B's handler notifies A.
struct Full;

impl Actor for Full {}

struct Note;

impl Notifiable<Note> for Full {
    async fn notify(&mut self, _: Note, _: &Context<Self>) {}
}

struct AskPeer(Address<Notifier>, Hold);

impl Handler<AskPeer> for Full {
    type Result = Result<Result<(), SendError>, SendError>;
    async fn handle(
        &mut self,
        AskPeer(peer, hold): AskPeer,
        ctx: &Context<Self>,
    ) -> Result<Result<(), SendError>, SendError> {
        peer.send(NotifyBack(ctx.address(), hold)).await
    }
}

struct Notifier;

impl Actor for Notifier {}

struct NotifyBack(Address<Full>, Hold);

impl Handler<NotifyBack> for Notifier {
    type Result = Result<(), SendError>;
    async fn handle(
        &mut self,
        NotifyBack(back, hold): NotifyBack,
        _: &Context<Self>,
    ) -> Result<(), SendError> {
        hold.run().await;
        back.notify(Note).await
    }
}

async fn notification_into_a_full_mailbox_of_an_actor_awaiting_us_would_deadlock(rt: Rt) {
    let context = Context::with_capacity(1).unwrap();
    let full = context.address();
    drop(context.with_runtime(rt.clone()).spawn(Full));
    let notifier = Notifier.spawn_on(&rt);
    let (hold, key, entered) = hold();
    let asked = full.try_send(AskPeer(notifier.clone(), hold)).unwrap();
    within(entered).await.unwrap();
    // A is inside AskPeer, awaiting B: fill A's one slot.
    full.try_notify(Note).unwrap();
    assert!(full.try_notify(Note).unwrap_err().is_full());
    key.open();
    assert_eq!(
        bounded(SHORT, asked).await,
        Some(Ok(Ok(Err(SendError::WouldDeadlock)))),
        "B's notify into the full mailbox of A, which awaits B, is refused at once \
         (and A gets B's answer)"
    );
    full.kill();
    notifier.kill();
}

/// Ping-pong by notifications through unbounded mailboxes: the documented escape.
struct Bouncer {
    peer: Option<Address<Bouncer>>,
    done: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Actor for Bouncer {}

struct Bounce(u32);

impl Notifiable<Bounce> for Bouncer {
    async fn notify(&mut self, Bounce(left): Bounce, _: &Context<Self>) {
        if left == 0 {
            if let Some(done) = self.done.take() {
                let _ = done.send(());
            }
            return;
        }
        let peer = self.peer.clone().expect("linked");
        peer.notify(Bounce(left - 1)).await.expect("unbounded");
    }
}

struct SetPeer(Address<Bouncer>, Option<tokio::sync::oneshot::Sender<()>>);

impl Handler<SetPeer> for Bouncer {
    type Result = ();
    async fn handle(&mut self, SetPeer(peer, done): SetPeer, _: &Context<Self>) {
        self.peer = Some(peer);
        self.done = done;
    }
}

/// Guard (passes before the fix too): unbounded notify cycles complete.
async fn unbounded_notify_cycle_completes_its_rounds(rt: Rt) {
    let first_context = Context::unbounded();
    let second_context = Context::unbounded();
    let (first, second) = (first_context.address(), second_context.address());
    drop(first_context.with_runtime(rt.clone()).spawn(Bouncer {
        peer: None,
        done: None,
    }));
    drop(second_context.with_runtime(rt.clone()).spawn(Bouncer {
        peer: None,
        done: None,
    }));
    let (done, finished) = tokio::sync::oneshot::channel();
    within(first.send(SetPeer(second.clone(), Some(done))))
        .await
        .unwrap();
    within(second.send(SetPeer(first.clone(), None)))
        .await
        .unwrap();
    // Both send a burst into each other at once, from inside handlers.
    first.notify(Bounce(1000)).await.unwrap();
    second.notify(Bounce(1001)).await.unwrap();
    within(finished).await.unwrap();
    first.kill();
    second.kill();
}

/// Sends a burst of notifications into its peer's bounded mailbox without waiting.
#[derive(Default)]
struct Spiller {
    peer: Option<Address<Spiller>>,
    accepted: usize,
    full: usize,
}

impl Actor for Spiller {
    const MAILBOX: Mailbox = Mailbox::Bounded(std::num::NonZeroUsize::MIN);
}

struct Spill(usize);

impl Notifiable<Spill> for Spiller {
    async fn notify(&mut self, Spill(burst): Spill, _: &Context<Self>) {
        let peer = self.peer.clone().expect("linked");
        for _ in 0..burst {
            match peer.try_notify(Spill(0)) {
                Ok(()) => self.accepted += 1,
                Err(refused) if refused.is_full() => self.full += 1,
                Err(refused) => panic!("the peer stopped: {refused:?}"),
            }
        }
    }
}

struct SpillInto(Address<Spiller>);

impl Handler<SpillInto> for Spiller {
    type Result = ();
    async fn handle(&mut self, SpillInto(peer): SpillInto, _: &Context<Self>) {
        self.peer = Some(peer);
    }
}

struct Tally;

impl Handler<Tally> for Spiller {
    type Result = (usize, usize);
    async fn handle(&mut self, _: Tally, _: &Context<Self>) -> (usize, usize) {
        (self.accepted, self.full)
    }
}

/// The documented rule for notification cycles through bounded mailboxes: the
/// non-waiting `try_notify` never waits for the peer's room, so two actors with full
/// one-message mailboxes bursting into each other both finish, each notification
/// either accepted or handed back as `Full`.
async fn bounded_notify_cycle_with_try_notify_never_waits(rt: Rt) {
    let first = Spiller::default().spawn_on(&rt);
    let second = Spiller::default().spawn_on(&rt);
    within(first.send(SpillInto(second.clone()))).await.unwrap();
    within(second.send(SpillInto(first.clone()))).await.unwrap();
    const BURST: usize = 100;
    first.notify(Spill(BURST)).await.unwrap();
    second.notify(Spill(BURST)).await.unwrap();
    for spiller in [&first, &second] {
        let (accepted, full) = within(spiller.send(Tally)).await.unwrap();
        // The tally request queued behind the burst: the burst is over.
        assert_eq!(
            accepted + full,
            BURST,
            "every notification accepted or handed back"
        );
    }
    first.kill();
    second.kill();
}

every_executor!(
    request_cycle_of_two_fails_with_would_deadlock,
    request_cycle_of_three_fails_with_would_deadlock,
    request_after_a_timed_out_request_is_not_a_cycle,
    request_after_a_dropped_request_is_not_a_cycle,
    notification_into_a_full_mailbox_of_an_actor_awaiting_us_would_deadlock,
    unbounded_notify_cycle_completes_its_rounds,
    bounded_notify_cycle_with_try_notify_never_waits,
);

// ---------------------------------------------------------------------------------
// 11. `Restart::Never` in a one-for-all group; one service instance at a time
// ---------------------------------------------------------------------------------

/// A group member: reports `(name, restarts)` from `started`, counts `Bump`s, panics
/// on `Crash`.
struct Member {
    name: &'static str,
    count: u32,
    starts: tokio::sync::mpsc::UnboundedSender<(&'static str, u32)>,
}

impl Actor for Member {
    async fn started(&mut self, ctx: &Context<Self>) {
        let _ = self.starts.send((self.name, ctx.restarts()));
    }
}

struct Bump;

impl Handler<Bump> for Member {
    type Result = u32;
    async fn handle(&mut self, _: Bump, _: &Context<Self>) -> u32 {
        self.count += 1;
        self.count
    }
}

impl Handler<Crash> for Member {
    type Result = ();
    async fn handle(&mut self, _: Crash, _: &Context<Self>) {
        panic!("member crashed")
    }
}

fn member(
    name: &'static str,
    starts: &tokio::sync::mpsc::UnboundedSender<(&'static str, u32)>,
    calls: &Arc<AtomicUsize>,
) -> impl FnMut() -> Member + Send + 'static {
    let (starts, calls) = (starts.clone(), Arc::clone(calls));
    move || {
        calls.fetch_add(1, Ordering::SeqCst);
        Member {
            name,
            count: 0,
            starts: starts.clone(),
        }
    }
}

async fn never_child_of_a_one_for_all_group_is_not_rebuilt(rt: Rt) {
    silence_panics("member crashed");
    let (starts, mut started) = tokio::sync::mpsc::unbounded_channel();
    let calls: Vec<_> = (0..3).map(|_| Arc::new(AtomicUsize::new(0))).collect();
    let mut group = SupervisorGroup::new(Strategy::OneForAll).budget(5, Duration::from_secs(60));
    let failing = group.child(member("failing", &starts, &calls[0]), Restart::Transient);
    let never = group.child(member("never", &starts, &calls[1]), Restart::Never);
    let transient = group.child(member("transient", &starts, &calls[2]), Restart::Transient);
    let handle = group.start_on(&rt);
    let mut first = Vec::new();
    for _ in 0..3 {
        first.push(within(started.recv()).await.unwrap());
    }
    first.sort_unstable();
    assert_eq!(first, [("failing", 0), ("never", 0), ("transient", 0)]);
    assert_eq!(within(never.send(Bump)).await, Ok(1));
    assert_eq!(within(never.send(Bump)).await, Ok(2));
    assert_eq!(within(failing.send(Crash)).await, Err(SendError::Panicked));
    // The failing child and its transient sibling are rebuilt (the group orders the
    // siblings in order: `never`'s order, if any, went out before `transient`'s).
    let mut again = Vec::new();
    while again.len() < 2 {
        let start = within(started.recv()).await.unwrap();
        if start.0 == "never" {
            panic!("the Restart::Never child was rebuilt by its one-for-all group");
        }
        again.push(start);
    }
    again.sort_unstable();
    assert_eq!(again, [("failing", 1), ("transient", 1)]);
    assert_eq!(
        within(never.send(Bump)).await,
        Ok(3),
        "the Restart::Never child keeps its state"
    );
    assert_eq!(calls[1].load(Ordering::SeqCst), 1, "its factory ran once");
    assert_eq!(within(transient.send(Bump)).await, Ok(1), "rebuilt fresh");
    handle.kill();
    assert_eq!(within(handle.wait()).await, StopReason::Killed);
}

every_executor!(never_child_of_a_one_for_all_group_is_not_rebuilt);

static SLOW_LOG: std::sync::LazyLock<Log> = std::sync::LazyLock::new(Log::default);
static SLOW_DEFAULTS: AtomicUsize = AtomicUsize::new(0);
static SLOW_HOLD: Mutex<Option<Hold>> = Mutex::new(None);

/// A service whose first instance holds in `stopped` until the test opens a gate.
struct SlowToStop(usize);

impl Default for SlowToStop {
    fn default() -> Self {
        let instance = SLOW_DEFAULTS.fetch_add(1, Ordering::SeqCst) + 1;
        SLOW_LOG.push(format!("default {instance}"));
        SlowToStop(instance)
    }
}

impl Actor for SlowToStop {
    async fn stopped(&mut self) {
        SLOW_LOG.push(format!("stopped {} begins", self.0));
        let hold = SLOW_HOLD.lock().unwrap().take();
        if let Some(hold) = hold {
            hold.run().await;
        }
        SLOW_LOG.push(format!("stopped {} ends", self.0));
    }
}

impl Service for SlowToStop {
    const NAME: &'static str = "correctness-round-slow-to-stop";
}

impl Handler<Ping> for SlowToStop {
    type Result = usize;
    async fn handle(&mut self, _: Ping, _: &Context<Self>) -> usize {
        self.0
    }
}

#[test]
fn service_asked_again_while_its_old_instance_stops_starts_after_it_stopped() {
    run(Executor::TokioMultiThread, |_| async {
        let (hold, key, entered) = hold();
        *SLOW_HOLD.lock().unwrap() = Some(hold);
        let old = registry_call(service::<SlowToStop>).await.unwrap();
        assert_eq!(within(old.send(Ping(0))).await, Ok(1));
        old.stop().await;
        within(entered).await.unwrap();
        // The old instance is inside its `stopped` hook.
        let new = registry_call(service::<SlowToStop>)
            .await
            .expect("service() hands back an address while the old instance stops");
        assert_eq!(
            SLOW_DEFAULTS.load(Ordering::SeqCst),
            1,
            "the new instance's Default waits until the old one's `stopped` returned \
             (at most one instance alive): {:?}",
            SLOW_LOG.events()
        );
        let answer = tokio::spawn(async move { new.send(Ping(0)).await });
        assert!(
            !answer.is_finished(),
            "answered before the old instance stopped"
        );
        key.open();
        assert_eq!(within(answer).await.unwrap(), Ok(2));
        assert_eq!(SLOW_DEFAULTS.load(Ordering::SeqCst), 2);
        assert_eq!(
            SLOW_LOG.events(),
            [
                "default 1",
                "stopped 1 begins",
                "stopped 1 ends",
                "default 2"
            ]
        );
    });
}
