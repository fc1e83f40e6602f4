//! Proxies: an ordinary address whose mailbox a stand-in drains instead of an actor.
//! What is sent comes out in order with its responder, stops and kills come out as
//! arrivals, and the stand-in's `finish` (or its drop) is the stop everyone sees.

use std::future::{Future, poll_fn};
use std::num::NonZeroUsize;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::Poll;
use std::time::Duration;

use futures::FutureExt;
use messages::prelude::*;
use messages::proxy::{Arrival, Incoming, Proxy};
use messages::supervision::Terminated;
use messages::{Delegate, Mailbox, ReadHandler, Responder, TrySendError};
use messages_tests::{Rt, every_executor, is_pending, limit, silence_panics, within};
use tokio::sync::mpsc;

/// The actor a proxy stands in for: its handlers never run (no actor is there); they
/// only give the proxy's address its message types.
#[derive(Debug)]
struct Remote;

impl Actor for Remote {}

/// A request answered with a number.
#[derive(Debug, PartialEq, Eq)]
struct Ask(u32);

impl Handler<Ask> for Remote {
    type Result = u32;

    async fn handle(&mut self, Ask(n): Ask, _: &Context<Self>) -> u32 {
        n
    }
}

/// A request of another type, answered with a string.
#[derive(Debug)]
struct Name;

impl Handler<Name> for Remote {
    type Result = String;

    async fn handle(&mut self, _: Name, _: &Context<Self>) -> String {
        String::new()
    }
}

/// A notification.
#[derive(Debug, PartialEq, Eq)]
struct Note(u32);

impl Notifiable<Note> for Remote {
    async fn notify(&mut self, _: Note, _: &Context<Self>) {}
}

/// A delegated request.
#[derive(Debug)]
struct Slow(u32);

impl Delegate<Slow> for Remote {
    type Result = u64;

    async fn delegate(&mut self, _: Slow, responder: Responder<u64>, _: &Context<Self>) {
        drop(responder);
    }
}

/// A read-only request.
#[derive(Debug)]
struct Peek(u32);

impl ReadHandler<Peek> for Remote {
    type Result = u32;

    async fn handle_read(&self, Peek(n): Peek, _: &Context<Self>) -> u32 {
        n
    }
}

/// One type the actor takes three ways: as a request, as a read and as a
/// notification. Each comes out only the way it was sent.
#[derive(Debug)]
struct Both;

impl Handler<Both> for Remote {
    type Result = &'static str;

    async fn handle(&mut self, _: Both, _: &Context<Self>) -> &'static str {
        "handled"
    }
}

impl ReadHandler<Both> for Remote {
    type Result = &'static str;

    async fn handle_read(&self, _: Both, _: &Context<Self>) -> &'static str {
        "read"
    }
}

impl Notifiable<Both> for Remote {
    async fn notify(&mut self, _: Both, _: &Context<Self>) {}
}

/// A notification whose `Drop` panics once, while armed: a message's `Drop` is user
/// code, and the runtime contains its panics when it refuses the message.
struct Bomb(Arc<AtomicBool>);

impl Drop for Bomb {
    fn drop(&mut self) {
        if self.0.swap(false, Ordering::SeqCst) && !std::thread::panicking() {
            panic!("proxied message drop boom");
        }
    }
}

fn armed() -> Bomb {
    silence_panics("proxied message drop boom");
    Bomb(Arc::new(AtomicBool::new(true)))
}

impl Notifiable<Bomb> for Remote {
    async fn notify(&mut self, _: Bomb, _: &Context<Self>) {}
}

/// What the stand-in took out, owned (the arrival borrows the proxy).
#[derive(Debug)]
enum Got {
    Ask(u32, Responder<u32>),
    Name(Responder<String>),
    Note(u32),
    Slow(u32, Responder<u64>),
    Peek(u32, Responder<u32>),
    BothRequest(Responder<&'static str>),
    BothRead(Responder<&'static str>),
    BothNote,
    Stop,
    Kill,
    /// `next()` returned `None`.
    Ended,
}

/// Takes the message out, trying each type in turn (a wrong type hands it back).
fn sort(incoming: Incoming<'_, Remote>) -> Got {
    // The read of `Both` first: a request of the same type must not pass for one.
    let incoming = match incoming.read::<Both>() {
        Ok((Both, responder)) => return Got::BothRead(responder),
        Err(incoming) => incoming,
    };
    let incoming = match incoming.request::<Ask>() {
        Ok((Ask(n), responder)) => return Got::Ask(n, responder),
        Err(incoming) => incoming,
    };
    let incoming = match incoming.notification::<Note>() {
        Ok(Note(n)) => return Got::Note(n),
        Err(incoming) => incoming,
    };
    let incoming = match incoming.request::<Name>() {
        Ok((Name, responder)) => return Got::Name(responder),
        Err(incoming) => incoming,
    };
    let incoming = match incoming.delegated::<Slow>() {
        Ok((Slow(n), responder)) => return Got::Slow(n, responder),
        Err(incoming) => incoming,
    };
    let incoming = match incoming.read::<Peek>() {
        Ok((Peek(n), responder)) => return Got::Peek(n, responder),
        Err(incoming) => incoming,
    };
    let incoming = match incoming.notification::<Both>() {
        Ok(Both) => return Got::BothNote,
        Err(incoming) => incoming,
    };
    match incoming.request::<Both>() {
        Ok((Both, responder)) => Got::BothRequest(responder),
        Err(incoming) => panic!("a message of no known type came out: {incoming:?}"),
    }
}

/// The stand-in lets go of a message without taking it: the incoming message is
/// dropped here.
fn give_up(_incoming: Incoming<'_, Remote>) {}

fn owned(arrival: Option<Arrival<'_, Remote>>) -> Got {
    match arrival {
        None => Got::Ended,
        Some(Arrival::Message(incoming)) => sort(incoming),
        Some(Arrival::Stop) => Got::Stop,
        Some(Arrival::Kill) => Got::Kill,
        Some(other) => panic!("an arrival this test does not know: {other:?}"),
    }
}

/// The stand-in's next arrival, owned.
async fn take(proxy: &mut Proxy<Remote>) -> Got {
    owned(within(proxy.next()).await)
}

/// Pends once (waking itself), so other tasks get a turn on any executor.
async fn yield_now() {
    let mut yielded = false;
    poll_fn(|cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await;
}

/// Polls `future` once: whether it is still pending. Unlike [`is_pending`], the future
/// is kept, to be polled (or dropped) later.
async fn pending<F: Future + Unpin>(future: &mut F) -> bool {
    poll_fn(|cx| Poll::Ready(Pin::new(&mut *future).poll(cx).is_pending())).await
}

fn bounded(capacity: usize) -> Mailbox {
    Mailbox::Bounded(NonZeroUsize::new(capacity).expect("a capacity above zero"))
}

/// Watches other actors with monitors and reports each `Terminated`.
struct Watcher {
    seen: mpsc::UnboundedSender<Terminated>,
}

impl Actor for Watcher {}

impl Notifiable<Terminated> for Watcher {
    async fn notify(&mut self, ended: Terminated, _: &Context<Self>) {
        let _ = self.seen.send(ended);
    }
}

/// Monitors the proxy's address (answered once the monitor is set up; the address is
/// not kept).
struct Watch(Address<Remote>);

impl Handler<Watch> for Watcher {
    type Result = ();

    async fn handle(&mut self, Watch(remote): Watch, ctx: &Context<Self>) {
        ctx.monitor(&remote);
    }
}

/// A watcher on `rt` monitoring `remote` (running while its address is kept), and
/// where its reports arrive.
async fn watch(
    rt: &Rt,
    remote: &Address<Remote>,
) -> (Address<Watcher>, mpsc::UnboundedReceiver<Terminated>) {
    let (seen, reports) = mpsc::unbounded_channel();
    let watcher = Watcher { seen }.spawn_on(rt);
    within(watcher.send(Watch(remote.clone())))
        .await
        .expect("the watcher sets up its monitor");
    (watcher, reports)
}

/// An actor that asks the proxy from inside its handler: the request carries the wait
/// of a calling actor.
struct Relay(Address<Remote>);

impl Actor for Relay {}

impl Handler<Ask> for Relay {
    type Result = Result<u32, SendError>;

    async fn handle(&mut self, ask: Ask, _: &Context<Self>) -> Result<u32, SendError> {
        self.0.send(ask).await
    }
}

/// A real actor a stand-in hands a delegated request on to.
struct Local;

impl Actor for Local {}

impl Handler<Slow> for Local {
    type Result = u64;

    async fn handle(&mut self, Slow(n): Slow, _: &Context<Self>) -> u64 {
        u64::from(n) * 100
    }
}

/// An `#[actor]` whose typed address reaches a proxy.
#[actor]
#[derive(Debug, Default)]
pub struct Counter {
    total: u64,
}

#[actor]
impl Counter {
    #[handler]
    pub fn add(&mut self, n: u64) -> u64 {
        self.total += n;
        self.total
    }

    #[notify]
    pub fn reset(&mut self) {
        self.total = 0;
    }

    #[handler(parallel)]
    pub fn total(&self) -> u64 {
        self.total
    }
}

// 1. Order, mixed types, typed calls.

async fn messages_come_out_in_the_order_they_were_sent(rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    let first = address.try_send(Ask(1)).expect("room");
    address.notify(Note(2)).await.expect("queued");
    let name = address.try_send(Name).expect("room");
    address.try_notify(Note(3)).expect("room");
    let recipient = address.recipient::<Ask, _>();
    let through_recipient = rt.spawn_task(async move { recipient.send(Ask(4)).await });
    // The recipient's request is queued by its task: wait for it to come out.
    let Got::Ask(1, first_responder) = take(&mut proxy).await else {
        panic!("the first request comes out first");
    };
    assert!(matches!(take(&mut proxy).await, Got::Note(2)));
    let Got::Name(name_responder) = take(&mut proxy).await else {
        panic!("then the request of another type");
    };
    assert!(matches!(take(&mut proxy).await, Got::Note(3)));
    let Got::Ask(4, fourth) = take(&mut proxy).await else {
        panic!("then the recipient's request");
    };
    // Answered out of order: each answer reaches its own caller.
    fourth.send(40);
    name_responder.send("remote".to_owned());
    first_responder.send(10);
    assert_eq!(within(through_recipient).await, Ok(40));
    assert_eq!(within(name).await, Ok("remote".to_owned()));
    assert_eq!(within(first).await, Ok(10));
    proxy.finish(StopReason::Requested);
}

async fn a_wrong_type_hands_the_message_back_untouched(_rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    let reply = address.try_send(Ask(5)).expect("room");
    let Some(Arrival::Message(incoming)) = within(proxy.next()).await else {
        panic!("a message");
    };
    // Every other way of taking it refuses, and hands the same message back.
    let incoming = incoming
        .notification::<Note>()
        .expect_err("not a notification");
    let incoming = incoming.request::<Name>().expect_err("not a `Name`");
    let incoming = incoming.delegated::<Slow>().expect_err("not delegated");
    let incoming = incoming.read::<Peek>().expect_err("not a read");
    let incoming = incoming.read::<Both>().expect_err("not a `Both`");
    let (Ask(n), responder) = incoming.request::<Ask>().expect("the request it is");
    responder.send(n + 1);
    assert_eq!(within(reply).await, Ok(6));
}

async fn one_type_sent_three_ways_comes_out_each_way(_rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    let handled = address.try_send(Both).expect("room");
    let read = address.try_read(Both).expect("room");
    address.try_notify(Both).expect("room");
    let Got::BothRequest(request) = take(&mut proxy).await else {
        panic!("the request is not taken as a read");
    };
    let Got::BothRead(reading) = take(&mut proxy).await else {
        panic!("the read is not taken as a request");
    };
    assert!(matches!(take(&mut proxy).await, Got::BothNote));
    request.send("as a request");
    reading.send("as a read");
    assert_eq!(within(handled).await, Ok("as a request"));
    assert_eq!(within(read).await, Ok("as a read"));
}

async fn typed_calls_reach_the_stand_in(rt: Rt) {
    let (address, mut proxy) = Proxy::<Counter>::new();
    let typed: CounterAddress = address.clone().typed();
    let caller = {
        let typed = typed.clone();
        rt.spawn_task(async move {
            let added = typed.add(5).await;
            typed.reset().await.expect("the notification is queued");
            let total = typed.total().await;
            (added, total)
        })
    };
    let Some(Arrival::Message(incoming)) = within(proxy.next()).await else {
        panic!("the typed request");
    };
    let (counter::Add { n }, responder) = incoming
        .request::<counter::Add>()
        .expect("the typed request's message type");
    responder.send(n * 10);
    let Some(Arrival::Message(incoming)) = within(proxy.next()).await else {
        panic!("the typed notification");
    };
    let incoming = incoming
        .request::<counter::Add>()
        .expect_err("a notification is not a request");
    let counter::Reset = incoming
        .notification::<counter::Reset>()
        .expect("the typed notification's message type");
    let Some(Arrival::Message(incoming)) = within(proxy.next()).await else {
        panic!("the typed read");
    };
    let (counter::Total, responder) = incoming
        .read::<counter::Total>()
        .expect("a parallel handler's call comes out as a read");
    responder.send(99);
    assert_eq!(within(caller).await, (Ok(50), Ok(99)));
    drop(typed);
    drop(address);
    assert!(within(proxy.next()).await.is_none());
}

async fn an_actor_calls_a_proxy_from_its_handler(rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    let relay = Relay(address.clone()).spawn_on(&rt);
    for (n, answer) in [(7, Ok(70)), (8, Err(SendError::Unreachable)), (9, Ok(90))] {
        let call = {
            let relay = relay.clone();
            rt.spawn_task(async move { relay.send(Ask(n)).await })
        };
        let Got::Ask(got, responder) = take(&mut proxy).await else {
            panic!("the relayed request");
        };
        assert_eq!(got, n);
        match answer {
            Ok(value) => responder.send(value),
            Err(error) => responder.refuse(error),
        }
        // The relay's wait on the proxy ends with each answer: the next call goes too.
        assert_eq!(within(call).await, Ok(answer));
    }
}

// 2. Answers: sent, dropped, refused.

async fn a_responder_answers_and_a_dropped_one_answers_unanswered(_rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    let answered = address.try_send(Ask(1)).expect("room");
    let dropped = address.try_send(Ask(2)).expect("room");
    let Got::Ask(1, responder) = take(&mut proxy).await else {
        panic!("the first request");
    };
    assert!(!responder.is_closed());
    responder.send(11);
    assert_eq!(within(answered).await, Ok(11));
    let Got::Ask(2, responder) = take(&mut proxy).await else {
        panic!("the second request");
    };
    drop(responder);
    assert_eq!(within(dropped).await, Err(SendError::Unanswered));
}

async fn anuntaken_incoming_is_answered_unanswered(_rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    let untaken = address.try_send(Ask(1)).expect("room");
    let wrong_type = address.try_send(Name).expect("room");
    let kept = address.try_send(Ask(3)).expect("room");
    let Some(Arrival::Message(incoming)) = within(proxy.next()).await else {
        panic!("a message");
    };
    give_up(incoming);
    let Some(Arrival::Message(incoming)) = within(proxy.next()).await else {
        panic!("a message");
    };
    // Tried as the wrong type, then given up on.
    give_up(
        incoming
            .request::<Ask>()
            .expect_err("a `Name`, not an `Ask`"),
    );
    let Got::Ask(3, responder) = take(&mut proxy).await else {
        panic!("what came after the dropped ones");
    };
    responder.send(33);
    assert_eq!(within(untaken).await, Err(SendError::Unanswered));
    assert_eq!(within(wrong_type).await, Err(SendError::Unanswered));
    assert_eq!(within(kept).await, Ok(33));
    // The last one out, dropped untaken, then the proxy finished: refused too.
    let last = address.try_send(Ask(4)).expect("room");
    let Some(Arrival::Message(incoming)) = within(proxy.next()).await else {
        panic!("a message");
    };
    give_up(incoming);
    proxy.finish(StopReason::Requested);
    assert_eq!(within(last).await, Err(SendError::Unanswered));
}

/// A stand-in that drops an incoming message and goes on with something else (it does
/// not call `next` again): the caller is answered `Unanswered` at once, as the docs of
/// `Incoming` say, not whenever the stand-in next looks at its mailbox.
async fn a_dropped_incoming_answers_before_the_next_call(_rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    let reply = address.try_send(Ask(1)).expect("room");
    let Some(Arrival::Message(incoming)) = within(proxy.next()).await else {
        panic!("a message");
    };
    give_up(incoming);
    // No further `next()`: the proxy is kept, untouched, while the caller waits.
    assert_eq!(within(reply).await, Err(SendError::Unanswered));
    drop(proxy);
}

async fn a_refused_request_reaches_the_caller_as_that_error(_rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    let errors = [
        SendError::Unreachable,
        SendError::Malformed,
        SendError::Timeout,
        SendError::Panicked,
        SendError::Stopped,
    ];
    let mut replies = Vec::new();
    for n in 0..errors.len() as u32 {
        replies.push(address.try_send(Ask(n)).expect("room"));
    }
    // Refusing through a delegated request's responder too.
    let slow = address.try_send(Slow(1)).expect("room");
    for (n, error) in errors.iter().enumerate() {
        let Got::Ask(got, responder) = take(&mut proxy).await else {
            panic!("a request");
        };
        assert_eq!(got as usize, n);
        responder.refuse(*error);
    }
    let Got::Slow(1, responder) = take(&mut proxy).await else {
        panic!("the delegated request");
    };
    responder.refuse(SendError::Unreachable);
    for (reply, error) in replies.into_iter().zip(errors) {
        assert_eq!(within(reply).await, Err(error));
    }
    assert_eq!(within(slow).await, Err(SendError::Unreachable));
}

async fn a_caller_that_gave_up_closes_the_responder(rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    let gone = address.try_send(Ask(1)).expect("room");
    drop(gone);
    let Got::Ask(1, responder) = take(&mut proxy).await else {
        panic!("the request stays queued when its caller goes");
    };
    assert!(responder.is_closed());
    responder.send(1); // to nobody: dropped
    // A request that times out while the stand-in holds it.
    let timed_out = address
        .send(Ask(2))
        .timeout_on(Duration::from_millis(20), &rt);
    let timed_out = rt.spawn_task(timed_out);
    let Got::Ask(2, responder) = take(&mut proxy).await else {
        panic!("the request that will time out");
    };
    assert_eq!(within(timed_out).await, Err(SendError::Timeout));
    assert!(responder.is_closed());
    responder.refuse(SendError::Unreachable); // to nobody either
    assert!(address.connected(), "the proxy is unaffected");
}

/// A message's `Drop` panicking when the stand-in's next `next()` refuses it: contained,
/// as when an actor refuses a message, and the stand-in gets what comes next.
async fn next_contains_the_panicking_drop_of_an_untaken_message(_rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    address.try_notify(armed()).expect("room");
    address.try_notify(Note(1)).expect("room");
    let Some(Arrival::Message(incoming)) = within(proxy.next()).await else {
        panic!("the bomb");
    };
    give_up(incoming); // untaken: refused
    let next = within(AssertUnwindSafe(proxy.next()).catch_unwind()).await;
    let next = next.map(owned);
    assert!(
        matches!(next, Ok(Got::Note(1))),
        "next() lets the refused message's Drop panic out: {next:?}"
    );
}

/// The same panic when the proxy is dropped (or finished) with the untaken message in
/// hand: the stop must still be published, or `wait_for_stop` and monitors wait for
/// ever.
async fn a_panicking_drop_of_an_untaken_message_does_not_hide_the_stop(_rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    address.try_notify(armed()).expect("room");
    let Some(Arrival::Message(incoming)) = within(proxy.next()).await else {
        panic!("the bomb");
    };
    give_up(incoming);
    let dropped = catch_unwind(AssertUnwindSafe(|| drop(proxy)));
    let reason = messages_tests::bounded(limit() / 2, address.wait_for_stop()).await;
    assert_eq!(
        reason,
        Some(StopReason::Cancelled),
        "the stop is published (the proxy's drop panicked: {})",
        dropped.is_err()
    );
    assert!(dropped.is_ok(), "dropping the proxy panicked");
}

/// As above, with `finish`: its reason is the one published, not the drop's
/// `Cancelled` after it.
async fn a_panicking_drop_of_an_untaken_message_does_not_hide_the_finish(_rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    address.try_notify(armed()).expect("room");
    let Some(Arrival::Message(incoming)) = within(proxy.next()).await else {
        panic!("the bomb");
    };
    give_up(incoming);
    let finished = catch_unwind(AssertUnwindSafe(|| proxy.finish(StopReason::Requested)));
    drop(proxy);
    assert_eq!(
        within(address.wait_for_stop()).await,
        StopReason::Requested,
        "the reason given to finish is the one published (finish panicked: {})",
        finished.is_err()
    );
    assert!(finished.is_ok(), "finish panicked");
}

// 3. Stop, kill, finish.

async fn a_stop_comes_out_after_what_was_queued_before_it(_rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    address.try_notify(Note(1)).expect("room");
    let asked = address.try_send(Ask(2)).expect("room");
    within(address.stop()).await;
    assert!(matches!(take(&mut proxy).await, Got::Note(1)));
    let Got::Ask(2, responder) = take(&mut proxy).await else {
        panic!("the request before the stop");
    };
    responder.send(2);
    assert_eq!(within(asked).await, Ok(2));
    assert!(matches!(take(&mut proxy).await, Got::Stop));
    // A stop is the stand-in's to act on: the proxy has not stopped yet.
    assert!(address.connected());
    let late = address.try_send(Ask(3)).expect("still open until finish");
    proxy.finish(StopReason::Requested);
    assert_eq!(within(late).await, Err(SendError::Unanswered));
    assert_eq!(within(address.wait_for_stop()).await, StopReason::Requested);
    assert!(!address.connected());
}

async fn a_shutdown_comes_out_as_a_stop_too(rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    let stopping = {
        let address = address.clone();
        rt.spawn_task(async move { address.shutdown().await })
    };
    assert!(matches!(take(&mut proxy).await, Got::Stop));
    within(stopping).await;
}

async fn a_kill_overtakes_what_is_queued(_rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    let queued = address.try_send(Ask(1)).expect("room");
    address.try_notify(Note(2)).expect("room");
    address.kill();
    assert!(matches!(take(&mut proxy).await, Got::Kill));
    // Killed: nothing queued comes out any more.
    assert!(matches!(take(&mut proxy).await, Got::Kill));
    proxy.finish(StopReason::Killed);
    assert_eq!(within(queued).await, Err(SendError::Unanswered));
    assert_eq!(within(address.wait_for_stop()).await, StopReason::Killed);
}

async fn a_kill_wakes_a_waiting_stand_in(_rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    let mut next = Box::pin(proxy.next());
    assert!(pending(&mut next).await, "nothing to take yet");
    address.kill();
    assert!(matches!(owned(within(next).await), Got::Kill));
}

async fn finish_publishes_its_reason_to_waiters_and_monitors(rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    let (_watcher, mut reports) = watch(&rt, &address).await;
    let waiter = {
        let address = address.clone();
        rt.spawn_task(async move { address.wait_for_stop().await })
    };
    let queued = address.try_send(Ask(1)).expect("room");
    let taken = address.try_send(Ask(2)).expect("room");
    address.try_notify(Note(3)).expect("room");
    let unread = address.try_read(Peek(4)).expect("room");
    let Got::Ask(1, held) = take(&mut proxy).await else {
        panic!("the first request");
    };
    let Got::Ask(2, untaken) = take(&mut proxy).await else {
        panic!("the second request");
    };
    let reason = StopReason::Panicked("the remote node panicked".to_owned());
    proxy.finish(reason.clone());
    // Only the first stop counts.
    proxy.finish(StopReason::Requested);
    assert_eq!(within(waiter).await, reason);
    let report = within(reports.recv()).await.expect("a report");
    assert_eq!(report.id, address.id());
    assert_eq!(report.reason, reason);
    assert_eq!(within(address.wait_for_stop()).await, reason);
    // Still queued: refused.
    assert_eq!(within(unread).await, Err(SendError::Unanswered));
    // New sends fail at once, every way.
    assert_eq!(within(address.send(Ask(5))).await, Err(SendError::Stopped));
    assert_eq!(
        within(address.notify(Note(6))).await,
        Err(SendError::Stopped)
    );
    assert_eq!(within(address.read(Peek(7))).await, Err(SendError::Stopped));
    assert!(matches!(
        address.try_send(Ask(8)),
        Err(TrySendError::Stopped(Ask(8)))
    ));
    assert!(matches!(
        address.notify_priority(Note(9)),
        Err(TrySendError::Stopped(Note(9)))
    ));
    assert!(!address.connected());
    assert!(within(proxy.next()).await.is_none());
    // A responder taken before the finish still answers its caller.
    held.send(100);
    assert_eq!(within(queued).await, Ok(100));
    // The responder of the taken request lives on (held as `untaken`): not answered
    // yet, and answered `Unanswered` once it goes.
    drop(untaken);
    assert_eq!(within(taken).await, Err(SendError::Unanswered));
    drop(proxy);
    assert_eq!(
        within(address.wait_for_stop()).await,
        reason,
        "dropping a finished proxy changes nothing"
    );
}

async fn stop_reason_is_the_reason_given_to_finish(_rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    assert_eq!(address.stop_reason(), None);
    address.kill();
    within(address.stop()).await;
    assert!(matches!(take(&mut proxy).await, Got::Kill));
    assert_eq!(
        address.stop_reason(),
        None,
        "a kill or a stop is the stand-in's to act on"
    );
    let reason = StopReason::Panicked("the remote node panicked".to_owned());
    proxy.finish(reason.clone());
    assert_eq!(address.stop_reason(), Some(reason.clone()));
    assert_eq!(within(address.wait_for_stop()).await, reason);
    // Only the first stop counts, and dropping the proxy changes nothing.
    proxy.finish(StopReason::Requested);
    drop(proxy);
    assert_eq!(address.stop_reason(), Some(reason));

    let (address, proxy) = Proxy::<Remote>::new();
    drop(proxy);
    assert_eq!(address.stop_reason(), Some(StopReason::Cancelled));
}

// 4. Dropped proxy, dropped addresses.

async fn a_dropped_proxy_stops_cancelled(rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    let (_watcher, mut reports) = watch(&rt, &address).await;
    let queued = address.try_send(Ask(1)).expect("room");
    let delegated = address.try_send(Slow(2)).expect("room");
    address.notify_priority(Note(3)).expect("open");
    let Got::Note(3) = take(&mut proxy).await else {
        panic!("the priority notification");
    };
    drop(proxy);
    assert_eq!(within(queued).await, Err(SendError::Unanswered));
    assert_eq!(within(delegated).await, Err(SendError::Unanswered));
    assert_eq!(within(address.wait_for_stop()).await, StopReason::Cancelled);
    let report = within(reports.recv()).await.expect("a report");
    assert_eq!(report.reason, StopReason::Cancelled);
    assert_eq!(within(address.send(Ask(4))).await, Err(SendError::Stopped));
}

async fn a_proxy_dropped_in_a_task_stops_cancelled(rt: Rt) {
    let (address, proxy) = Proxy::<Remote>::new();
    let queued = address.try_send(Ask(1)).expect("room");
    // The stand-in's task ends without finishing (a lost connection, say).
    let took = within(rt.spawn_task(async move {
        let mut proxy = proxy;
        let got = take(&mut proxy).await;
        matches!(got, Got::Ask(1, _))
    }))
    .await;
    assert!(took, "the stand-in took the request");
    assert_eq!(within(queued).await, Err(SendError::Unanswered));
    assert_eq!(within(address.wait_for_stop()).await, StopReason::Cancelled);
}

async fn with_every_address_gone_next_ends_once_drained(rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    let (_watcher, mut reports) = watch(&rt, &address).await;
    let weak = address.downgrade();
    address.try_notify(Note(1)).expect("room");
    let asked = address.try_send(Ask(2)).expect("room");
    address.notify_priority(Note(3)).expect("open");
    drop(address);
    assert!(weak.upgrade().is_none(), "no address is left");
    assert!(matches!(take(&mut proxy).await, Got::Note(3)));
    assert!(matches!(take(&mut proxy).await, Got::Note(1)));
    let Got::Ask(2, responder) = take(&mut proxy).await else {
        panic!("the queued request still comes out");
    };
    assert!(matches!(take(&mut proxy).await, Got::Ended));
    assert!(matches!(take(&mut proxy).await, Got::Ended), "and stays so");
    // Its caller still gets the answer.
    responder.send(20);
    assert_eq!(within(asked).await, Ok(20));
    assert!(proxy.address().is_none(), "no address can come back");
    proxy.finish(StopReason::AddressesDropped);
    let report = within(reports.recv()).await.expect("a report");
    assert_eq!(report.reason, StopReason::AddressesDropped);
}

async fn the_last_address_dropped_wakes_a_waiting_stand_in(_rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    let other = address.clone();
    let mut next = Box::pin(proxy.next());
    assert!(pending(&mut next).await, "nothing queued yet");
    drop(address);
    assert!(pending(&mut next).await, "an address is left");
    drop(other);
    assert!(matches!(owned(within(next).await), Got::Ended));
}

// 5. Priority.

async fn priority_notifications_come_out_first(_rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::with_mailbox(bounded(3));
    address.try_notify(Note(1)).expect("room");
    let asked = address.try_send(Ask(2)).expect("room");
    address.try_notify(Note(3)).expect("room");
    assert!(address.try_notify(Note(4)).is_err_and(|e| e.is_full()));
    // The priority lane has no bound: a full mailbox takes them too.
    address.notify_priority(Note(100)).expect("open");
    address.notify_priority(Note(101)).expect("open");
    assert!(matches!(take(&mut proxy).await, Got::Note(100)));
    assert!(matches!(take(&mut proxy).await, Got::Note(101)));
    assert!(matches!(take(&mut proxy).await, Got::Note(1)));
    // One sent while ordinary ones wait overtakes them.
    address.notify_priority(Note(102)).expect("open");
    assert!(matches!(take(&mut proxy).await, Got::Note(102)));
    let Got::Ask(2, responder) = take(&mut proxy).await else {
        panic!("the queued request");
    };
    responder.send(2);
    assert_eq!(within(asked).await, Ok(2));
    assert!(matches!(take(&mut proxy).await, Got::Note(3)));
    // A stop queued before a priority notification is overtaken too.
    within(address.stop()).await;
    address.notify_priority(Note(103)).expect("open");
    assert!(matches!(take(&mut proxy).await, Got::Note(103)));
    assert!(matches!(take(&mut proxy).await, Got::Stop));
}

async fn a_priority_notification_wakes_a_waiting_stand_in(_rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    let mut next = Box::pin(proxy.next());
    assert!(pending(&mut next).await, "nothing queued yet");
    address.notify_priority(Note(7)).expect("open");
    assert!(matches!(owned(within(next).await), Got::Note(7)));
    // The wake-up it queued in the mailbox does not come out.
    address.try_notify(Note(8)).expect("room");
    assert!(matches!(take(&mut proxy).await, Got::Note(8)));
    let mut next = Box::pin(proxy.next());
    assert!(pending(&mut next).await, "nothing else");
}

// 6. Delegated and read requests.

async fn delegated_and_read_requests_come_out_as_such(rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    let local = Local.spawn_on(&rt);
    let delegated = {
        let address = address.clone();
        rt.spawn_task(async move { address.send(Slow(3)).await })
    };
    let Got::Slow(3, responder) = take(&mut proxy).await else {
        panic!("the delegated request");
    };
    responder.send(9);
    assert_eq!(within(delegated).await, Ok(9));
    let read = {
        let address = address.clone();
        rt.spawn_task(async move { address.read(Peek(4)).await })
    };
    let Got::Peek(4, responder) = take(&mut proxy).await else {
        panic!("the read");
    };
    responder.send(16);
    assert_eq!(within(read).await, Ok(16));
    // A delegated request handed on to a real actor, which answers the caller.
    let forwarded = address.try_send(Slow(5)).expect("room");
    let Got::Slow(5, responder) = take(&mut proxy).await else {
        panic!("the delegated request");
    };
    within(local.forward(Slow(5), responder))
        .await
        .expect("the local actor takes it");
    assert_eq!(within(forwarded).await, Ok(500));
    // Reads come out one at a time, in order, like everything else.
    let reads: Vec<_> = (0..3)
        .map(|n| address.try_read(Peek(n)).expect("room"))
        .collect();
    for n in 0..3 {
        let Got::Peek(got, responder) = take(&mut proxy).await else {
            panic!("a read");
        };
        assert_eq!(got, n);
        responder.send(got * 2);
    }
    for (n, read) in reads.into_iter().enumerate() {
        assert_eq!(within(read).await, Ok(n as u32 * 2));
    }
}

// 7. Bounded mailboxes.

async fn a_bounded_proxy_makes_senders_wait_for_room(_rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::with_mailbox(bounded(2));
    address.try_notify(Note(1)).expect("room");
    let asked = address.try_send(Ask(2)).expect("room");
    let full = address.try_send(Ask(3)).expect_err("full");
    assert!(full.is_full());
    assert_eq!(full.into_inner(), Ask(3));
    assert!(address.try_notify(Note(4)).is_err_and(|e| e.is_full()));
    // Two senders wait for room, in line.
    let mut waiting_note = Box::pin(address.notify(Note(5)));
    assert!(pending(&mut waiting_note).await);
    let mut waiting_request = Box::pin(address.send(Ask(6)));
    assert!(pending(&mut waiting_request).await);
    assert!(
        address.try_notify(Note(7)).is_err_and(|e| e.is_full()),
        "older senders wait for the room first"
    );
    // The stand-in takes one: room for the first in line.
    assert!(matches!(take(&mut proxy).await, Got::Note(1)));
    assert_eq!(within(waiting_note).await, Ok(()));
    assert!(address.try_notify(Note(8)).is_err_and(|e| e.is_full()));
    let Got::Ask(2, responder) = take(&mut proxy).await else {
        panic!("the queued request");
    };
    responder.send(2);
    assert_eq!(within(asked).await, Ok(2));
    // Room for the waiting request: it queues, then waits for its answer.
    assert!(pending(&mut waiting_request).await);
    assert!(matches!(take(&mut proxy).await, Got::Note(5)));
    let Got::Ask(6, responder) = take(&mut proxy).await else {
        panic!("the request that waited for room");
    };
    responder.send(60);
    assert_eq!(within(waiting_request).await, Ok(60));
    // Empty now: room again.
    address.try_notify(Note(9)).expect("room");
    assert!(matches!(take(&mut proxy).await, Got::Note(9)));
}

async fn a_stop_waits_for_room_in_a_full_proxy(_rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::with_mailbox(bounded(1));
    address.try_notify(Note(1)).expect("room");
    let mut stopping = Box::pin(address.stop());
    assert!(
        pending(&mut stopping).await,
        "a stop is a message: it waits"
    );
    assert!(matches!(take(&mut proxy).await, Got::Note(1)));
    within(stopping).await;
    assert!(matches!(take(&mut proxy).await, Got::Stop));
}

async fn finish_fails_the_senders_waiting_for_room(rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::with_mailbox(bounded(1));
    let queued = address.try_send(Ask(1)).expect("room");
    let mut waiting_note = Box::pin(address.notify(Note(2)));
    assert!(pending(&mut waiting_note).await);
    let waiting_request = {
        let address = address.clone();
        rt.spawn_task(async move { address.send(Ask(3)).await })
    };
    proxy.finish(StopReason::Requested);
    assert_eq!(within(waiting_note).await, Err(SendError::Stopped));
    // Whether it was still waiting for room or already turned away: never queued.
    assert_eq!(within(waiting_request).await, Err(SendError::Stopped));
    assert_eq!(within(queued).await, Err(SendError::Unanswered));
}

// 8. Cancel safety.

async fn a_dropped_next_loses_nothing(_rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    // Dropped before it was ever polled, then after one poll on an empty mailbox.
    drop(proxy.next());
    assert!(is_pending(proxy.next()));
    // Dropped after what woke it was queued, before it ran again: what woke it is
    // still there for the next `next`.
    for n in 0..5 {
        let mut next = Box::pin(proxy.next());
        assert!(pending(&mut next).await, "round {n}: nothing queued");
        let asked = match n {
            0 => {
                address.try_notify(Note(1)).expect("room");
                None
            }
            1 => Some(address.try_send(Ask(2)).expect("room")),
            2 => {
                address.notify_priority(Note(3)).expect("open");
                None
            }
            3 => {
                within(address.stop()).await;
                None
            }
            _ => {
                address.kill();
                None
            }
        };
        drop(next);
        match (n, take(&mut proxy).await) {
            (0, Got::Note(1)) | (2, Got::Note(3)) | (3, Got::Stop) | (4, Got::Kill) => {}
            (1, Got::Ask(2, responder)) => responder.send(2),
            (n, other) => panic!("round {n}: {other:?}"),
        }
        if let Some(asked) = asked {
            assert_eq!(within(asked).await, Ok(2));
        }
    }
    drop(proxy);
    // A `next` that resolved, its arrival dropped: that message is refused, and only
    // that one.
    let (address, mut proxy) = Proxy::<Remote>::new();
    let refused = address.try_send(Ask(3)).expect("room");
    let kept = address.try_send(Ask(4)).expect("room");
    let mut next = Box::pin(proxy.next());
    assert!(!pending(&mut next).await, "a message is waiting");
    drop(next);
    let Got::Ask(4, responder) = take(&mut proxy).await else {
        panic!("the message behind the refused one");
    };
    responder.send(4);
    assert_eq!(within(refused).await, Err(SendError::Unanswered));
    assert_eq!(within(kept).await, Ok(4));
    let mut next = Box::pin(proxy.next());
    assert!(pending(&mut next).await, "nothing else is left");
}

async fn next_dropped_at_random_points_loses_nothing(rt: Rt) {
    for mailbox in [bounded(4), Mailbox::Unbounded] {
        const COUNT: u32 = 300;
        let (address, mut proxy) = Proxy::<Remote>::with_mailbox(mailbox);
        let sender = rt.spawn_task(async move {
            for n in 0..COUNT {
                if n % 7 == 0 {
                    address.notify_priority(Note(n)).expect("open");
                } else {
                    address.notify(Note(n)).await.expect("queued");
                }
            }
            address.send(Ask(COUNT)).await
        });
        let mut seen = Vec::new();
        let mut dropped_pending = 0_u32;
        loop {
            let got = {
                let mut next = pin!(proxy.next());
                match futures::poll!(next.as_mut()) {
                    Poll::Pending => None,
                    Poll::Ready(arrival) => Some(owned(arrival)),
                }
            };
            match got {
                None => {
                    dropped_pending += 1;
                    yield_now().await;
                }
                Some(Got::Note(n)) => seen.push(n),
                Some(Got::Ask(COUNT, responder)) => {
                    responder.send(COUNT);
                    break;
                }
                Some(other) => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(within(sender).await, Ok(COUNT));
        // Every notification came out once; the ordinary ones in order, and so did
        // the priority ones.
        let mut sorted = seen.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted,
            (0..COUNT).collect::<Vec<_>>(),
            "after {dropped_pending} dropped"
        );
        let ordinary: Vec<_> = seen.iter().copied().filter(|n| n % 7 != 0).collect();
        assert!(ordinary.is_sorted(), "{ordinary:?}");
        let priority: Vec<_> = seen.iter().copied().filter(|n| n % 7 == 0).collect();
        assert!(priority.is_sorted(), "{priority:?}");
    }
}

// 9. `Proxy::address`.

async fn proxy_address_works_until_finish(rt: Rt) {
    let (address, mut proxy) = Proxy::<Remote>::new();
    let again = proxy.address().expect("an address while running");
    assert_eq!(again, address);
    // The original goes: the new one keeps the proxy reachable.
    drop(address);
    let asked = {
        let again = again.clone();
        rt.spawn_task(async move { again.send(Ask(1)).await })
    };
    let Got::Ask(1, responder) = take(&mut proxy).await else {
        panic!("the request through the new address");
    };
    responder.send(1);
    assert_eq!(within(asked).await, Ok(1));
    within(again.stop()).await;
    assert!(matches!(take(&mut proxy).await, Got::Stop));
    let after_stop = proxy.address().expect("a stop is not a finish");
    after_stop.try_notify(Note(2)).expect("room");
    assert!(matches!(take(&mut proxy).await, Got::Note(2)));
    proxy.finish(StopReason::Requested);
    assert!(proxy.address().is_none());
    assert_eq!(
        within(after_stop.wait_for_stop()).await,
        StopReason::Requested
    );
}

async fn a_stand_in_task_serves_many_callers(rt: Rt) {
    let (address, proxy) = Proxy::<Remote>::with_mailbox(bounded(2));
    // The stand-in as a task of its own: answers until a stop, then finishes.
    let stand_in = rt.spawn_task(async move {
        let mut proxy = proxy;
        let mut served = 0_u32;
        loop {
            match take(&mut proxy).await {
                Got::Ask(n, responder) => {
                    served += 1;
                    responder.send(n * 2);
                }
                Got::Stop | Got::Ended => break,
                other => panic!("unexpected {other:?}"),
            }
        }
        proxy.finish(StopReason::Requested);
        served
    });
    let callers: Vec<_> = (0..20)
        .map(|n| {
            let address = address.clone();
            rt.spawn_task(async move { address.send(Ask(n)).await })
        })
        .collect();
    for (n, caller) in callers.into_iter().enumerate() {
        assert_eq!(within(caller).await, Ok(n as u32 * 2));
    }
    within(address.stop()).await;
    assert_eq!(within(stand_in).await, 20);
    assert_eq!(within(address.wait_for_stop()).await, StopReason::Requested);
}

every_executor!(
    messages_come_out_in_the_order_they_were_sent,
    a_wrong_type_hands_the_message_back_untouched,
    one_type_sent_three_ways_comes_out_each_way,
    typed_calls_reach_the_stand_in,
    an_actor_calls_a_proxy_from_its_handler,
    a_responder_answers_and_a_dropped_one_answers_unanswered,
    anuntaken_incoming_is_answered_unanswered,
    a_dropped_incoming_answers_before_the_next_call,
    next_contains_the_panicking_drop_of_an_untaken_message,
    a_panicking_drop_of_an_untaken_message_does_not_hide_the_stop,
    a_panicking_drop_of_an_untaken_message_does_not_hide_the_finish,
    a_refused_request_reaches_the_caller_as_that_error,
    a_caller_that_gave_up_closes_the_responder,
    a_stop_comes_out_after_what_was_queued_before_it,
    a_shutdown_comes_out_as_a_stop_too,
    a_kill_overtakes_what_is_queued,
    a_kill_wakes_a_waiting_stand_in,
    finish_publishes_its_reason_to_waiters_and_monitors,
    stop_reason_is_the_reason_given_to_finish,
    a_dropped_proxy_stops_cancelled,
    a_proxy_dropped_in_a_task_stops_cancelled,
    with_every_address_gone_next_ends_once_drained,
    the_last_address_dropped_wakes_a_waiting_stand_in,
    priority_notifications_come_out_first,
    a_priority_notification_wakes_a_waiting_stand_in,
    delegated_and_read_requests_come_out_as_such,
    a_bounded_proxy_makes_senders_wait_for_room,
    a_stop_waits_for_room_in_a_full_proxy,
    finish_fails_the_senders_waiting_for_room,
    a_dropped_next_loses_nothing,
    next_dropped_at_random_points_loses_nothing,
    proxy_address_works_until_finish,
    a_stand_in_task_serves_many_callers,
);
