//! The correctness round, second pass: the synchronous part of a `fn .. -> impl Future`
//! handler or hook is inside the panic boundary, and cycles of waits are caught however
//! they form (crossing requests, a `try_send` reply awaited in a handler, nested actors),
//! without refusing a read that would be admitted beside a waiting read.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::channel::oneshot as signal;
use messages::prelude::*;
use messages::{Mailbox, ReadHandler};
use messages_tests::{Rt, bounded, every_executor, silence_panics};

const SHORT: Duration = Duration::from_secs(3);

// ---------------------------------------------------------------------------------
// The synchronous part of a handler or hook (before it returns its future) panics:
// inside the boundary like the rest (it used to escape it).
// ---------------------------------------------------------------------------------

struct Eager {
    stopped: Arc<AtomicUsize>,
}

impl Actor for Eager {
    fn stopped(&mut self) -> impl Future<Output = ()> + Send {
        self.stopped.fetch_add(1, Ordering::SeqCst);
        async {}
    }
}

impl Handler<u32> for Eager {
    type Result = u32;
    // A legal impl of the trait's signature: checks its argument before building the
    // future (as `Actor::idle`'s default does work before its future).
    fn handle(&mut self, n: u32, _: &Context<Self>) -> impl Future<Output = u32> + Send {
        assert_ne!(n, 0, "eager handler panic");
        async move { n }
    }
}

async fn sync_prelude_panic_in_handler_is_contained(rt: Rt) {
    silence_panics("eager handler panic");
    // Twice per pool worker, as the harness does for escaping panics.
    for _ in 0..3 {
        let stopped = Arc::new(AtomicUsize::new(0));
        let address = Eager {
            stopped: Arc::clone(&stopped),
        }
        .spawn_on(&rt);
        let answer = bounded(SHORT, address.send(0)).await;
        assert_eq!(
            answer,
            Some(Err(SendError::Panicked)),
            "requester of the panicking request"
        );
        let reason = bounded(SHORT, address.wait_for_stop()).await;
        assert!(
            matches!(reason, Some(StopReason::Panicked(_))),
            "stop reason: {reason:?}"
        );
        assert_eq!(stopped.load(Ordering::SeqCst), 1, "`stopped` ran once");
    }
    // A bystander on the same executor still runs.
    let bystander = Eager {
        stopped: Arc::default(),
    }
    .spawn_on(&rt);
    assert_eq!(bounded(SHORT, bystander.send(7)).await, Some(Ok(7)));
}

struct EagerStart;

impl Actor for EagerStart {
    fn started(&mut self, _: &Context<Self>) -> impl Future<Output = ()> + Send {
        panic!("eager started panic");
        #[allow(unreachable_code)]
        async {}
    }
}

async fn sync_prelude_panic_in_started_is_contained(rt: Rt) {
    silence_panics("eager started panic");
    let address = EagerStart.spawn_on(&rt);
    let reason = bounded(SHORT, address.wait_for_stop()).await;
    assert_eq!(
        reason,
        Some(StopReason::Panicked("eager started panic".into()))
    );
}

// ---------------------------------------------------------------------------------
// Two actors whose handlers request each other at the same time (crossing requests,
// the classic deadlock): one request is refused, neither hangs.
// ---------------------------------------------------------------------------------

struct Peer;
impl Actor for Peer {
    const MAILBOX: Mailbox = Mailbox::Unbounded;
}

struct Ping;
impl Handler<Ping> for Peer {
    type Result = ();
    async fn handle(&mut self, _: Ping, _: &Context<Self>) {}
}

struct Cross {
    other: Address<Peer>,
    barrier: Arc<tokio::sync::Barrier>,
}
impl Handler<Cross> for Peer {
    type Result = Result<(), SendError>;
    async fn handle(&mut self, cross: Cross, _: &Context<Self>) -> Result<(), SendError> {
        // Both handlers are running before either sends.
        cross.barrier.wait().await;
        cross.other.send(Ping).await
    }
}

async fn crossing_requests_are_refused_not_hung(rt: Rt) {
    let a = Peer.spawn_on(&rt);
    let b = Peer.spawn_on(&rt);
    let barrier = Arc::new(tokio::sync::Barrier::new(2));
    let from_a = rt.spawn_task({
        let (a, b, barrier) = (a.clone(), b.clone(), Arc::clone(&barrier));
        async move { a.send(Cross { other: b, barrier }).await }
    });
    let from_b = rt.spawn_task({
        let (a, b, barrier) = (a.clone(), b.clone(), Arc::clone(&barrier));
        async move { b.send(Cross { other: a, barrier }).await }
    });
    let both = bounded(SHORT, futures::future::join(from_a, from_b)).await;
    let Some((first, second)) = both else {
        panic!("A awaits B and B awaits A: a request cycle that was not refused (both hang)");
    };
    assert!(
        first == Ok(Err(SendError::WouldDeadlock)) || second == Ok(Err(SendError::WouldDeadlock)),
        "{first:?} {second:?}"
    );
}

// ---------------------------------------------------------------------------------
// A `Reply` from `try_send` awaited in the same handler: the cycle it closes is
// refused.
// ---------------------------------------------------------------------------------

struct Front;
impl Actor for Front {}
struct Back;
impl Actor for Back {}

struct Start {
    back: Address<Back>,
    me: Address<Front>,
}
impl Handler<Start> for Front {
    type Result = Result<Result<(), SendError>, SendError>;
    async fn handle(&mut self, start: Start, _: &Context<Self>) -> Self::Result {
        let Ok(reply) = start.back.try_send(CallFront(start.me)) else {
            panic!("room in Back's mailbox");
        };
        reply.await
    }
}
struct Hello;
impl Handler<Hello> for Front {
    type Result = ();
    async fn handle(&mut self, _: Hello, _: &Context<Self>) {}
}

struct CallFront(Address<Front>);
impl Handler<CallFront> for Back {
    type Result = Result<(), SendError>;
    async fn handle(&mut self, call: CallFront, _: &Context<Self>) -> Result<(), SendError> {
        call.0.send(Hello).await
    }
}

async fn try_send_reply_awaited_in_the_handler_closes_a_detected_cycle(rt: Rt) {
    let front = Front.spawn_on(&rt);
    let back = Back.spawn_on(&rt);
    let result = bounded(
        SHORT,
        front.send(Start {
            back,
            me: front.clone(),
        }),
    )
    .await;
    let Some(result) = result else {
        panic!("Front awaits Back's try_send reply, Back awaits Front: hangs");
    };
    assert!(
        matches!(
            result,
            Ok(Err(SendError::WouldDeadlock)) | Ok(Ok(Err(SendError::WouldDeadlock)))
        ),
        "{result:?}"
    );
}

// ---------------------------------------------------------------------------------
// A read that awaits another actor, which reads the first one back. Reads run
// concurrently, so the second read is admitted beside the first one and everything
// completes: not a cycle, and not refused.
// ---------------------------------------------------------------------------------

struct Library(u32);
impl Actor for Library {}

struct Lookup {
    helper: Address<Helper>,
    me: Address<Library>,
}
impl ReadHandler<Lookup> for Library {
    type Result = Result<u32, SendError>;
    async fn handle_read(&self, lookup: Lookup, _: &Context<Self>) -> Result<u32, SendError> {
        lookup.helper.send(ReadBack(lookup.me)).await?
    }
}
struct Count;
impl ReadHandler<Count> for Library {
    type Result = u32;
    async fn handle_read(&self, _: Count, _: &Context<Self>) -> u32 {
        self.0
    }
}

struct Helper;
impl Actor for Helper {}
struct ReadBack(Address<Library>);
impl Handler<ReadBack> for Helper {
    type Result = Result<u32, SendError>;
    async fn handle(&mut self, back: ReadBack, _: &Context<Self>) -> Result<u32, SendError> {
        back.0.read(Count).await
    }
}

async fn a_read_back_into_a_reading_actor_is_not_a_deadlock(rt: Rt) {
    let library = Library(5).spawn_on(&rt);
    let helper = Helper.spawn_on(&rt);
    let result = bounded(
        SHORT,
        library.read(Lookup {
            helper,
            me: library.clone(),
        }),
    )
    .await;
    assert_eq!(result, Some(Ok(Ok(5))));
}

every_executor!(
    sync_prelude_panic_in_handler_is_contained,
    sync_prelude_panic_in_started_is_contained,
    crossing_requests_are_refused_not_hung,
    try_send_reply_awaited_in_the_handler_closes_a_detected_cycle,
    a_read_back_into_a_reading_actor_is_not_a_deadlock,
);

/// On every executor: after a few escaping panics, is the executor still running
/// actors? (A `futures` ThreadPool worker dies with each escaping panic.)
async fn sync_prelude_panics_leave_the_executor_running(rt: Rt) {
    silence_panics("eager handler panic");
    for _ in 0..3 {
        let address = Eager {
            stopped: Arc::default(),
        }
        .spawn_on(&rt);
        let _ = bounded(SHORT, address.send(0)).await;
    }
    let bystander = Eager {
        stopped: Arc::default(),
    }
    .spawn_on(&rt);
    assert_eq!(
        bounded(SHORT, bystander.send(7)).await,
        Some(Ok(7)),
        "a bystander actor on the same executor answers"
    );
}

every_executor!(sync_prelude_panics_leave_the_executor_running);

// ---------------------------------------------------------------------------------
// Nested actors: an actor whose handler runs another actor's loop inline; the
// inner actor requests the outer one. The outer one cannot answer until its handler
// (the inner loop) returns: refused, not hung.
// ---------------------------------------------------------------------------------

struct Outer;
impl Actor for Outer {}
struct Inner;
impl Actor for Inner {}

struct RunInner(Address<Outer>);
impl Handler<RunInner> for Outer {
    type Result = Option<Result<(), SendError>>;
    async fn handle(&mut self, run: RunInner, _: &Context<Self>) -> Self::Result {
        let context = Context::<Inner>::new();
        let inner = context.address();
        let (tx, rx) = signal::channel();
        inner.notify(CallOuter(run.0, Some(tx))).await.ok()?;
        drop(inner);
        let _ = context.run(Inner).await;
        rx.await.ok()
    }
}
struct Hi;
impl Handler<Hi> for Outer {
    type Result = ();
    async fn handle(&mut self, _: Hi, _: &Context<Self>) {}
}

struct CallOuter(
    Address<Outer>,
    Option<signal::Sender<Result<(), SendError>>>,
);
impl Notifiable<CallOuter> for Inner {
    async fn notify(&mut self, mut call: CallOuter, _: &Context<Self>) {
        let result = call.0.send(Hi).await;
        if let Some(tx) = call.1.take() {
            let _ = tx.send(result);
        }
    }
}

async fn a_nested_actor_requesting_its_host_is_refused(rt: Rt) {
    let outer = Outer.spawn_on(&rt);
    let result = bounded(SHORT, outer.send(RunInner(outer.clone()))).await;
    assert_eq!(
        result,
        Some(Ok(Some(Err(SendError::WouldDeadlock)))),
        "None = hangs"
    );
}

every_executor!(a_nested_actor_requesting_its_host_is_refused);

// ---------------------------------------------------------------------------------
// A cycle of notifications through full bounded mailboxes: each handler waits for room
// in the other's mailbox. One of the two waits is refused, the other then completes.
// ---------------------------------------------------------------------------------

/// Notifies its peer from inside a handler; a one-message mailbox.
#[derive(Default)]
struct Relay {
    peer: Option<Address<Relay>>,
}

impl Actor for Relay {
    const MAILBOX: Mailbox = Mailbox::Bounded(std::num::NonZeroUsize::MIN);
}

struct RelayTo(Address<Relay>);

impl Handler<RelayTo> for Relay {
    type Result = ();
    async fn handle(&mut self, RelayTo(peer): RelayTo, _: &Context<Self>) {
        self.peer = Some(peer);
    }
}

/// Takes a place in the mailbox, nothing more.
struct Poke;

impl Notifiable<Poke> for Relay {
    async fn notify(&mut self, _: Poke, _: &Context<Self>) {}
}

/// Says it is inside its handler, waits for `gate` if any, then notifies the peer and
/// reports how that went.
struct Forward {
    entered: signal::Sender<()>,
    gate: Option<signal::Receiver<()>>,
    outcome: signal::Sender<Result<(), SendError>>,
}

impl Notifiable<Forward> for Relay {
    async fn notify(&mut self, forward: Forward, _: &Context<Self>) {
        let _ = forward.entered.send(());
        if let Some(gate) = forward.gate {
            let _ = gate.await;
        }
        let peer = self.peer.clone().expect("linked");
        let _ = forward.outcome.send(peer.notify(Poke).await);
    }
}

/// Fills `relay`'s one-message mailbox (its loop is busy in a handler).
fn fill(relay: &Address<Relay>) {
    while relay.try_notify(Poke).is_ok() {}
}

async fn notification_cycle_through_full_mailboxes_is_refused_not_hung(rt: Rt) {
    let first = Relay::default().spawn_on(&rt);
    let second = Relay::default().spawn_on(&rt);
    bounded(SHORT, first.send(RelayTo(second.clone())))
        .await
        .unwrap()
        .unwrap();
    bounded(SHORT, second.send(RelayTo(first.clone())))
        .await
        .unwrap()
        .unwrap();
    // The second relay is held inside a handler, its mailbox full.
    let (open, gate) = signal::channel();
    let (entered, second_inside) = signal::channel();
    let (told, second_outcome) = signal::channel();
    second
        .notify(Forward {
            entered,
            gate: Some(gate),
            outcome: told,
        })
        .await
        .unwrap();
    bounded(SHORT, second_inside).await.unwrap().unwrap();
    fill(&second);
    // The first relay notifies the second (it waits for room), its own mailbox full.
    let (entered, first_inside) = signal::channel();
    let (told, first_outcome) = signal::channel();
    first
        .notify(Forward {
            entered,
            gate: None,
            outcome: told,
        })
        .await
        .unwrap();
    bounded(SHORT, first_inside).await.unwrap().unwrap();
    fill(&first);
    // Now the second notifies the first: each would wait for the other's room.
    open.send(()).unwrap();
    let first_outcome = bounded(SHORT, first_outcome)
        .await
        .expect("not hung")
        .unwrap();
    let second_outcome = bounded(SHORT, second_outcome)
        .await
        .expect("not hung")
        .unwrap();
    let mut outcomes = [first_outcome, second_outcome];
    outcomes.sort_by_key(Result::is_ok);
    assert_eq!(
        outcomes,
        [Err(SendError::WouldDeadlock), Ok(())],
        "the wait that closes the cycle is refused, the other one then gets its room"
    );
    first.kill();
    second.kill();
}

every_executor!(notification_cycle_through_full_mailboxes_is_refused_not_hung);
