//! `System`: a system-wide shutdown stops every actor, children before parents, and waits
//! for their async `stopped` hooks; supervisors do not restart what it stops, actors
//! started meanwhile are caught, and the stop cannot be refused.
//!
//! A test binary of its own: a `System` tracks every actor of the process, so a shutdown
//! here would stop the actors of any test running beside it. Within this binary the
//! tests take turns ([`one_at_a_time`]); each body still runs on every executor.
#![allow(
    clippy::await_holding_lock,
    reason = "each test holds its turn for all of its body, on its own thread; no task \
              of the body ever takes the lock"
)]

use std::sync::{Mutex, MutexGuard, PoisonError};

use messages::pool::Pool;
use messages::prelude::*;
use messages::registry::{Registry, Service};
use messages::supervision::{Restart, Strategy, Supervision, SupervisorGroup};
use messages::{ShutdownReport, System};
use messages_tests::{Gate, GateKey, Log, Rt, every_executor, silence_panics, within};
use tokio::sync::oneshot;

/// Taken first by every test: they take turns, since a `System` is process-wide. (A
/// failed test poisons it; the next one goes on.)
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A system is shared between threads, and its shutdown can be spawned (checked when
/// this compiles).
#[allow(dead_code, reason = "a compile-time check")]
fn a_system_is_send_and_sync_and_its_shutdown_is_send(system: &'static System) {
    fn shared<T: Send + Sync>(_: &T) {}
    fn spawnable<T: Send>(_: T) {}
    shared(system);
    spawnable(system.shutdown());
}

/// A node of a tree of actors: starts its children (from its plan) in `started`, so
/// they are its children; logs its stop, and whether its children had all stopped by
/// then.
struct Node {
    name: &'static str,
    plan: Vec<Plan>,
    children: Vec<Address<Node>>,
    log: Log,
    rt: Rt,
}

/// A node and the nodes below it.
#[derive(Clone)]
struct Plan(&'static str, Vec<Plan>);

impl Node {
    fn new(Plan(name, plan): Plan, log: &Log, rt: &Rt) -> Self {
        Self {
            name,
            plan,
            children: Vec::new(),
            log: log.clone(),
            rt: rt.clone(),
        }
    }
}

/// Whether every one of `children` has stopped (its stop published).
fn all_stopped<A: Actor>(children: &[Address<A>]) -> bool {
    children.iter().all(|child| child.stop_reason().is_some())
}

impl Actor for Node {
    async fn started(&mut self, _: &Context<Self>) {
        for plan in std::mem::take(&mut self.plan) {
            let child = Node::new(plan, &self.log, &self.rt).spawn_on(&self.rt);
            self.children.push(child);
        }
    }

    async fn stopped(&mut self) {
        // An await in the hook: the shutdown waits for all of it.
        futures::future::ready(()).await;
        let children = if all_stopped(&self.children) {
            "after its children"
        } else {
            "BEFORE its children"
        };
        self.log.push(format!("{} stopped {children}", self.name));
    }
}

/// How deep the tree under a node goes, once every node below has started.
struct Depth;

impl Handler<Depth> for Node {
    type Result = usize;

    async fn handle(&mut self, _: Depth, _: &Context<Self>) -> usize {
        let mut deepest = 0;
        for child in &self.children {
            deepest = deepest.max(child.send(Depth).await.expect("a running child"));
        }
        deepest + 1
    }
}

/// Spawns the node planned, as a child of the node that handles it.
struct Adopt(Plan);

impl Handler<Adopt> for Node {
    type Result = ();

    async fn handle(&mut self, Adopt(plan): Adopt, _: &Context<Self>) {
        let child = Node::new(plan, &self.log, &self.rt).spawn_on(&self.rt);
        self.children.push(child);
    }
}

/// Where `event` is in `events`.
fn position(events: &[String], event: &str) -> usize {
    events
        .iter()
        .position(|logged| logged == event)
        .unwrap_or_else(|| panic!("{event:?} missing from {events:?}"))
}

async fn children_stop_before_their_parents_three_levels_deep(rt: Rt) {
    let _turn = one_at_a_time();
    let system = System::new();
    let log = Log::default();
    let tree = Plan(
        "root",
        vec![
            Plan("left", vec![Plan("left.leaf", vec![])]),
            Plan("right", vec![]),
        ],
    );
    let root = Node::new(tree, &log, &rt).spawn_on(&rt);
    assert_eq!(root.send(Depth).await, Ok(3), "every node has started");
    assert_eq!(system.running(), 4);

    let report = within(system.shutdown()).await;
    assert_eq!(report.stopped, 4);
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(system.running(), 0);
    let events = log.events();
    assert_eq!(events.len(), 4, "{events:?}");
    for node in ["root", "left", "left.leaf", "right"] {
        position(&events, &format!("{node} stopped after its children"));
    }
    assert!(
        position(&events, "left.leaf stopped after its children")
            < position(&events, "left stopped after its children")
    );
    assert_eq!(
        events.last().map(String::as_str),
        Some("root stopped after its children")
    );
    // Every address is still here: the shutdown stopped them, not their last address.
    assert_eq!(root.wait_for_stop().await, StopReason::Requested);
}

/// Says when its `stopped` hook begins, then waits on a gate before it flushes.
struct Journal {
    entered: Option<oneshot::Sender<()>>,
    gate: Option<Gate>,
    log: Log,
}

impl Actor for Journal {
    async fn stopped(&mut self) {
        if let Some(entered) = self.entered.take() {
            let _ = entered.send(());
        }
        if let Some(gate) = self.gate.take() {
            gate.pass().await;
        }
        self.log.push("journal flushed");
    }
}

/// A journal whose `stopped` hook waits for the key; the receiver hears it begin.
fn journal(log: &Log) -> (Journal, oneshot::Receiver<()>, GateKey) {
    let (entered, inside) = oneshot::channel();
    let (gate, key) = Gate::new();
    let journal = Journal {
        entered: Some(entered),
        gate: Some(gate),
        log: log.clone(),
    };
    (journal, inside, key)
}

async fn the_shutdown_waits_for_async_stopped_hooks(rt: Rt) {
    let _turn = one_at_a_time();
    let system = System::new();
    let log = Log::default();
    let (journal, inside, key) = journal(&log);
    let journal = journal.spawn_on(&rt);

    let mut shutdown = std::pin::pin!(system.shutdown());
    assert!(futures::poll!(shutdown.as_mut()).is_pending());
    within(inside).await.expect("the stopped hook began");
    assert!(
        futures::poll!(shutdown.as_mut()).is_pending(),
        "the hook has not returned"
    );
    assert!(log.events().is_empty());
    key.open();
    let report = within(shutdown).await;
    assert_eq!(log.events(), ["journal flushed"]);
    assert_eq!(report.stopped, 1);
    assert_eq!(journal.wait_for_stop().await, StopReason::Requested);
}

/// Logs every start, so a restart shows.
#[derive(Debug, Clone)]
struct Keeper {
    name: &'static str,
    log: Log,
}

impl Actor for Keeper {
    async fn started(&mut self, ctx: &Context<Self>) {
        self.log.push(format!(
            "{} started, restarts: {}",
            self.name,
            ctx.restarts()
        ));
    }
}

fn keeper(name: &'static str, log: &Log) -> impl FnMut() -> Keeper + Send + 'static {
    let first = Keeper {
        name,
        log: log.clone(),
    };
    move || first.clone()
}

async fn permanent_actors_are_not_restarted(rt: Rt) {
    let _turn = one_at_a_time();
    let system = System::new();
    let log = Log::default();
    let permanent = Supervision::new(Restart::Permanent);
    let alone = Keeper::spawn_supervised_on(keeper("alone", &log), permanent, &rt);
    let mut group = SupervisorGroup::new(Strategy::OneForAll);
    let first: Address<Keeper> = group.child(keeper("first", &log), Restart::Permanent);
    let second: Address<Keeper> = group.child(keeper("second", &log), Restart::Permanent);
    let group = group.start_on(&rt);
    // A plain stop restarts a permanent actor (the ping behind the stop is answered by
    // the fresh state): the shutdown must not.
    alone.stop().await;
    for address in [&alone, &first, &second] {
        assert!(address.send(Ping).await.is_ok());
    }

    let report = within(system.shutdown()).await;
    assert_eq!(report.stopped, 3, "{report:?}");
    assert!(report.is_clean(), "{report:?}");
    for address in [&alone, &first, &second] {
        assert_eq!(address.wait_for_stop().await, StopReason::Requested);
    }
    assert_eq!(within(group.wait()).await, StopReason::Requested);
    let mut events = log.events();
    events.sort();
    assert_eq!(
        events,
        [
            "alone started, restarts: 0",
            "alone started, restarts: 1",
            "first started, restarts: 0",
            "second started, restarts: 0",
        ]
    );
}

/// Answered by the actors below, so a test knows an actor runs (and has handled what
/// was sent before).
#[derive(Debug)]
struct Ping;

macro_rules! answer_pings {
    ($($actor:ty),*) => {$(
        impl Handler<Ping> for $actor {
            type Result = ();

            async fn handle(&mut self, _: Ping, _: &Context<Self>) {}
        }
    )*};
}

answer_pings!(Keeper, Stubborn, Quiet);

async fn an_actor_started_during_the_shutdown_holds_up_its_parent(rt: Rt) {
    let _turn = one_at_a_time();
    let system = System::new();
    let log = Log::default();
    let parent = Node::new(Plan("parent", vec![]), &log, &rt).spawn_on(&rt);
    let (held, inside, key) = journal(&log);
    // The journal is the parent's child: made in its handler.
    struct Keep(Journal);
    impl Handler<Keep> for Node {
        type Result = Address<Journal>;
        async fn handle(&mut self, Keep(journal): Keep, _: &Context<Self>) -> Address<Journal> {
            journal.spawn_on(&self.rt)
        }
    }
    let held = parent.send(Keep(held)).await.expect("the parent runs");

    let mut shutdown = std::pin::pin!(system.shutdown());
    assert!(futures::poll!(shutdown.as_mut()).is_pending());
    // The journal (a leaf) is stopping; its parent still runs, and adopts a child now.
    within(inside)
        .await
        .expect("the journal's stopped hook began");
    parent
        .send(Adopt(Plan("late", vec![])))
        .await
        .expect("not asked to stop yet: its child has not stopped");
    key.open();
    let report = within(shutdown).await;
    assert_eq!(report.stopped, 3, "{report:?}");
    let events = log.events();
    let parent_stopped = position(&events, "parent stopped after its children");
    assert!(position(&events, "journal flushed") < parent_stopped);
    assert!(position(&events, "late stopped after its children") < parent_stopped);
    assert!(!held.connected());
}

/// Starts an actor from its own `stopped` hook, during the shutdown that stops it, and
/// hands its address out (so that it does not stop for want of one).
struct Founder {
    heir: Option<oneshot::Sender<Address<Node>>>,
    log: Log,
    rt: Rt,
}

impl Actor for Founder {
    async fn stopped(&mut self) {
        let heir = Node::new(Plan("heir", vec![]), &self.log, &self.rt).spawn_on(&self.rt);
        if let Some(handed) = self.heir.take() {
            let _ = handed.send(heir);
        }
        self.log.push("founder stopped");
    }
}

async fn an_actor_started_by_a_stopped_hook_is_waited_for(rt: Rt) {
    let _turn = one_at_a_time();
    let system = System::new();
    let log = Log::default();
    let (heir, handed) = oneshot::channel();
    let founder = Founder {
        heir: Some(heir),
        log: log.clone(),
        rt: rt.clone(),
    }
    .spawn_on(&rt);
    let report = within(system.shutdown()).await;
    assert_eq!(report.stopped, 2, "{report:?}");
    let events = log.events();
    assert!(
        events.contains(&"heir stopped after its children".to_owned()),
        "{events:?}"
    );
    assert_eq!(system.running(), 0);
    assert_eq!(founder.wait_for_stop().await, StopReason::Requested);
    // Stopped by the shutdown, with its address still held.
    let heir = within(handed)
        .await
        .expect("the founder handed out its heir");
    assert_eq!(heir.wait_for_stop().await, StopReason::Requested);
}

/// Refuses every stop; logs that it was asked.
struct Stubborn {
    log: Log,
}

impl Actor for Stubborn {
    async fn stopping(&mut self, _: &Context<Self>) -> ActorAction {
        self.log.push("asked to stop");
        ActorAction::KeepRunning
    }
}

async fn the_shutdowns_stop_cannot_be_refused(rt: Rt) {
    let _turn = one_at_a_time();
    let system = System::new();
    let log = Log::default();
    let stubborn = Stubborn { log: log.clone() }.spawn_on(&rt);
    // A plain stop is refused.
    stubborn.stop().await;
    assert_eq!(stubborn.send(Ping).await, Ok(()));
    assert!(stubborn.connected());

    let report = within(system.shutdown()).await;
    assert_eq!(report.stopped, 1);
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(stubborn.wait_for_stop().await, StopReason::Requested);
    // `stopping` still ran, for the plain stop and for the shutdown's.
    assert_eq!(log.events(), ["asked to stop", "asked to stop"]);
}

/// Panics in its `stopped` hook.
#[derive(Debug)]
struct Clumsy;

impl Actor for Clumsy {
    async fn stopped(&mut self) {
        panic!("clumsy dropped the tray");
    }
}

/// Stops quietly.
#[derive(Debug)]
struct Quiet;

impl Actor for Quiet {}

async fn the_report_names_what_did_not_stop_cleanly(rt: Rt) {
    let _turn = one_at_a_time();
    silence_panics("clumsy dropped the tray");
    let system = System::new();
    let clumsy = Clumsy.spawn_on(&rt);
    let quiet = Quiet.spawn_on(&rt);
    let report: ShutdownReport = within(system.shutdown()).await;
    assert_eq!(report.stopped, 2);
    assert!(!report.is_clean());
    let [unclean] = report.unclean.as_slice() else {
        panic!("one unclean stop expected: {report:?}");
    };
    assert_eq!(unclean.id, clumsy.id());
    assert_eq!(unclean.actor, std::any::type_name::<Clumsy>());
    assert!(
        matches!(&unclean.reason, StopReason::Panicked(message) if message.contains("tray")),
        "{unclean:?}"
    );
    assert_eq!(quiet.wait_for_stop().await, StopReason::Requested);
}

/// Holds its handler on a gate; logs the notifications it handles.
struct Busy {
    log: Log,
}

impl Actor for Busy {}

struct HoldOn(Gate, oneshot::Sender<()>);

impl Notifiable<HoldOn> for Busy {
    async fn notify(&mut self, HoldOn(gate, entered): HoldOn, _: &Context<Self>) {
        let _ = entered.send(());
        gate.pass().await;
    }
}

impl Notifiable<&'static str> for Busy {
    async fn notify(&mut self, line: &'static str, _: &Context<Self>) {
        self.log.push(line);
    }
}

async fn kill_all_ends_what_a_shutdown_waits_for(rt: Rt) {
    let _turn = one_at_a_time();
    let system = System::new();
    let log = Log::default();
    let busy = Busy { log: log.clone() }.spawn_on(&rt);
    let (gate, key) = Gate::new();
    let (entered, inside) = oneshot::channel();
    busy.notify(HoldOn(gate, entered)).await.unwrap();
    within(inside).await.expect("the handler runs");
    for line in ["one", "two", "three"] {
        busy.notify(line).await.unwrap();
    }
    let mut shutdown = std::pin::pin!(system.shutdown());
    assert!(
        futures::poll!(shutdown.as_mut()).is_pending(),
        "the handler holds the actor"
    );
    // Without the kill, the actor would handle its backlog before it stops.
    system.kill_all();
    key.open();
    let report = within(shutdown).await;
    assert_eq!(busy.wait_for_stop().await, StopReason::Killed);
    assert!(log.events().is_empty(), "the backlog was not handled");
    assert_eq!(report.unclean.len(), 1, "{report:?}");
    assert_eq!(report.unclean[0].reason, StopReason::Killed);
}

async fn tracking_is_process_wide_and_ends_with_the_last_handle(rt: Rt) {
    let _turn = one_at_a_time();
    let before = Quiet.spawn_on(&rt);
    let system = System::new();
    assert_eq!(system.running(), 0, "made before the system: not tracked");
    let again = System::new();
    let during = Quiet.spawn_on(&rt);
    assert_eq!((system.running(), again.running()), (1, 1), "one system");
    drop((system, again));

    // A new system does not know the actors of the last one.
    let system = System::new();
    assert_eq!(system.running(), 0);
    let report = within(system.shutdown()).await;
    assert_eq!(report, ShutdownReport::default());
    for quiet in [&before, &during] {
        assert_eq!(quiet.send(Ping).await, Ok(()), "still running");
        quiet.stop().await;
        assert_eq!(quiet.wait_for_stop().await, StopReason::Requested);
    }
}

#[messages::actor]
#[derive(Debug, Default)]
pub struct Typed;

#[messages::actor]
impl Typed {
    #[handler]
    pub fn ping(&self) {}
}

#[derive(Debug, Default)]
struct Singleton;

impl Actor for Singleton {}

impl Service for Singleton {
    const NAME: &'static str = "system_shutdown::Singleton";
}

async fn every_way_of_starting_an_actor_is_tracked(rt: Rt) {
    let _turn = one_at_a_time();
    let system = System::new();
    let spawned = Quiet.spawn_on(&rt);
    let supervised = Quiet::spawn_supervised_on(|| Quiet, Supervision::default(), &rt);
    let typed = Typed.spawn_on(&rt);
    let (prepared, run) = Typed.prepare();
    let prepared_run = rt.spawn_task(run);
    let context = Context::new();
    let by_hand = context.address();
    let by_hand_run = rt.spawn_task(context.run(Quiet));
    let joined = Context::new().with_runtime(rt.clone());
    let joined_address: Address<Quiet> = joined.address();
    let join = joined.spawn(Quiet);
    let mut group = SupervisorGroup::new(Strategy::OneForOne);
    let child: Address<Quiet> = group.child(|| Quiet, Restart::Transient);
    let group = group.start_on(&rt);
    let service = Registry::service_on::<Singleton, _>(&rt);
    assert_eq!(system.running(), 8);

    let report = within(system.shutdown()).await;
    assert_eq!(report.stopped, 8, "{report:?}");
    assert!(report.is_clean(), "{report:?}");
    let addresses = [&spawned, &supervised, &by_hand, &joined_address, &child];
    for address in addresses {
        assert_eq!(address.wait_for_stop().await, StopReason::Requested);
    }
    assert_eq!(typed.wait_for_stop().await, StopReason::Requested);
    assert_eq!(prepared.wait_for_stop().await, StopReason::Requested);
    assert_eq!(service.wait_for_stop().await, StopReason::Requested);
    assert_eq!(within(prepared_run).await.reason, StopReason::Requested);
    assert_eq!(within(by_hand_run).await.reason, StopReason::Requested);
    assert_eq!(
        within(join).await.expect("joined").reason,
        StopReason::Requested
    );
    assert_eq!(within(group.wait()).await, StopReason::Requested);
}

/// An actor whose stop was heard (`wait_for_stop`, a join handle, a supervised
/// `shutdown`) is no longer tracked at that moment: a shutdown begun afterwards neither
/// waits for it nor counts it. Repeated, because on a multi-threaded executor the
/// actor's task may still be finishing when the waiter wakes.
async fn an_actor_whose_stop_was_heard_is_no_longer_tracked(rt: Rt) {
    let _turn = one_at_a_time();
    let system = System::new();
    for round in 0..100 {
        let stopped = Quiet.spawn_on(&rt);
        stopped.stop().await;
        assert_eq!(stopped.wait_for_stop().await, StopReason::Requested);
        assert_eq!(system.running(), 0, "round {round}: a stopped actor");

        let killed = Quiet.spawn_on(&rt);
        killed.kill();
        assert_eq!(killed.wait_for_stop().await, StopReason::Killed);
        assert_eq!(system.running(), 0, "round {round}: a killed actor");

        let joined = Context::new().with_runtime(rt.clone());
        let address: Address<Quiet> = joined.address();
        let join = joined.spawn(Quiet);
        address.stop().await;
        assert_eq!(
            within(join).await.expect("joined").reason,
            StopReason::Requested
        );
        assert_eq!(system.running(), 0, "round {round}: a joined actor");

        let supervised = Quiet::spawn_supervised_on(|| Quiet, Supervision::default(), &rt);
        supervised.shutdown().await;
        assert_eq!(supervised.wait_for_stop().await, StopReason::Requested);
        assert_eq!(system.running(), 0, "round {round}: a supervised actor");
    }
    let report = within(system.shutdown()).await;
    assert_eq!(report, ShutdownReport::default());
}

/// A parent is asked to stop only once each child's stop is published, not merely
/// untracked: its `stopped` hook finds every child's `wait_for_stop` ready. Repeated:
/// the window is a child's last few instructions, on another thread.
async fn a_parent_hears_of_its_children_after_they_published_their_stop(rt: Rt) {
    let _turn = one_at_a_time();
    for round in 0..50 {
        let system = System::new();
        let log = Log::default();
        let children = (0..3).map(|_| Plan("child", vec![])).collect();
        let root = Node::new(Plan("root", children), &log, &rt).spawn_on(&rt);
        assert_eq!(root.send(Depth).await, Ok(2), "every node has started");
        let report = within(system.shutdown()).await;
        assert_eq!(report.stopped, 4, "round {round}: {report:?}");
        let events = log.events();
        assert_eq!(
            events.last().map(String::as_str),
            Some("root stopped after its children"),
            "round {round}: {events:?}"
        );
    }
}

/// A shutdown returns once every actor's stop is published, not merely untracked: each
/// one's `stop_reason` is there by then. Repeated, for the same window as above: an
/// actor's last few instructions, on another thread, while the last one ends.
async fn the_shutdown_returns_once_every_stop_is_published(rt: Rt) {
    let _turn = one_at_a_time();
    for round in 0..50 {
        let system = System::new();
        let actors: Vec<Address<Quiet>> = (0..4).map(|_| Quiet.spawn_on(&rt)).collect();
        for actor in &actors {
            assert_eq!(actor.send(Ping).await, Ok(()), "round {round}: running");
        }
        let report = within(system.shutdown()).await;
        assert_eq!(report.stopped, 4, "round {round}: {report:?}");
        for actor in &actors {
            assert_eq!(
                actor.stop_reason(),
                Some(StopReason::Requested),
                "round {round}: the shutdown returned before this stop was published"
            );
        }
    }
}

/// Can never be built: its `Default`, the factory of every test below, panics at once.
#[derive(Debug)]
struct Unbuildable;

impl Actor for Unbuildable {}

impl Default for Unbuildable {
    fn default() -> Self {
        panic!("unbuildable: no first state")
    }
}

impl Service for Unbuildable {
    const NAME: &'static str = "system_shutdown::Unbuildable";
}

/// An actor whose first state cannot be built (its factory panics at once) ends like
/// any other: once its stop is heard it is no longer tracked, and a shutdown does not
/// wait for it. Every way of starting one whose first state is built in its own task:
/// supervised (spawned, run by hand), a group's child, a registry service, a pool's
/// workers (the pool itself is not an actor with a context: not tracked).
async fn an_actor_whose_first_state_cannot_be_built_is_no_longer_tracked(rt: Rt) {
    let _turn = one_at_a_time();
    silence_panics("unbuildable: no first state");
    let system = System::new();
    let supervised =
        Unbuildable::spawn_supervised_on(Unbuildable::default, Supervision::default(), &rt);
    let context = Context::new();
    let by_hand = context.address();
    let by_hand_run =
        rt.spawn_task(context.run_supervised(Unbuildable::default, Supervision::default()));
    let mut group = SupervisorGroup::new(Strategy::OneForOne);
    let child: Address<Unbuildable> = group.child(Unbuildable::default, Restart::Transient);
    let group = group.start_on(&rt);
    let service = Registry::service_on::<Unbuildable, _>(&rt);
    let pool = Pool::builder(2, Unbuildable::default)
        .expect("two workers")
        .spawn_on(&rt);

    for address in [&supervised, &by_hand, &child, &service] {
        let reason = within(address.wait_for_stop()).await;
        assert!(
            matches!(&reason, StopReason::Panicked(message) if message.contains("unbuildable")),
            "{reason:?}"
        );
    }
    // The pool's stop is published after every one of its workers' (a pool is not
    // tracked: it has no context).
    let pool_stop = within(pool.address().wait_for_stop()).await;
    assert_eq!(system.running(), 0, "every stop was heard: none is tracked");
    assert!(
        within(by_hand_run).await.is_err(),
        "no first state, so no final one"
    );
    assert!(matches!(
        within(group.wait()).await,
        StopReason::Panicked(_)
    ));
    assert!(
        matches!(pool_stop, StopReason::Panicked(_)),
        "{pool_stop:?}"
    );
    let report = within(system.shutdown()).await;
    assert_eq!(report, ShutdownReport::default());
    assert_eq!(system.running(), 0);
}

every_executor!(
    children_stop_before_their_parents_three_levels_deep,
    the_shutdown_waits_for_async_stopped_hooks,
    permanent_actors_are_not_restarted,
    an_actor_started_during_the_shutdown_holds_up_its_parent,
    an_actor_started_by_a_stopped_hook_is_waited_for,
    the_shutdowns_stop_cannot_be_refused,
    the_report_names_what_did_not_stop_cleanly,
    kill_all_ends_what_a_shutdown_waits_for,
    tracking_is_process_wide_and_ends_with_the_last_handle,
    every_way_of_starting_an_actor_is_tracked,
    an_actor_whose_stop_was_heard_is_no_longer_tracked,
    a_parent_hears_of_its_children_after_they_published_their_stop,
    an_actor_whose_first_state_cannot_be_built_is_no_longer_tracked,
    the_shutdown_returns_once_every_stop_is_published,
);
