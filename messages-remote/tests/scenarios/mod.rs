//! The scenarios every engine passes: nodes in one process, on loopback. Each test
//! binary (`zenoh.rs`, `nats.rs`) provides `cluster()` (how a cluster's first node
//! starts and how others join it), `starting()` (a builder for its engine) and
//! `dead_endpoint()`, then includes this module.

use std::future::Future;
use std::time::Duration;

use messages::prelude::*;
use messages_remote::{Node, NodeEvent, RemoteError};

use super::{cluster, dead_endpoint, starting};

/// Every "eventually" here is bounded by this.
const LIMIT: Duration = Duration::from_secs(20);

/// Two nodes of one cluster, in a namespace of their own: (serving, calling).
pub(crate) async fn pair(namespace: &str) -> (Node, Node) {
    let (first, joining) = cluster();
    let server = first
        .namespace(namespace)
        .start()
        .await
        .expect("the serving node starts");
    let client = joining
        .namespace(namespace)
        .lookup_timeout(Duration::from_secs(5))
        .request_timeout(Duration::from_secs(5))
        .start()
        .await
        .expect("the calling node starts");
    (server, client)
}

/// [`pair`], a `Calc` published as `calc` on the serving node, and its remote
/// address on the calling one: (serving node, calling node, local, remote).
async fn calc_published(namespace: &str) -> (Node, Node, CalcAddress, CalcAddress) {
    let (server, client) = pair(namespace).await;
    let calc: CalcAddress = Calc::default().spawn();
    within(server.publish("calc", &calc))
        .await
        .expect("published");
    let remote = within(client.lookup::<Calc>("calc")).await.expect("found");
    (server, client, calc, remote)
}

pub(crate) async fn within<F: Future>(future: F) -> F::Output {
    tokio::time::timeout(LIMIT, future)
        .await
        .expect("timed out")
}

#[actor]
#[derive(Debug, Default)]
pub struct Calc {
    total: i64,
    log: Vec<String>,
    /// Told when a `slow` request begins.
    entered: Option<tokio::sync::mpsc::UnboundedSender<u64>>,
}

#[actor(remote)]
impl Calc {
    #[handler]
    pub fn add(&mut self, a: i64, b: i64) -> i64 {
        self.total += a + b;
        self.log.push(format!("add {a} {b}"));
        self.total
    }

    #[notify]
    pub fn note(&mut self, text: String) {
        self.log.push(text);
    }

    #[notify]
    pub fn reset(&mut self) {
        self.total = 0;
    }

    #[handler(tag = "calc.log.v1")]
    pub fn log(&self) -> Vec<String> {
        self.log.clone()
    }

    #[handler]
    pub fn divide(&self, a: i64, b: i64) -> Result<i64, String> {
        if b == 0 {
            return Err("division by zero".to_owned());
        }
        Ok(a / b)
    }

    #[handler]
    pub fn explode(&self) -> u8 {
        panic!("asked to explode")
    }

    #[handler]
    pub fn echo_fragile(&self, value: Fragile) -> Fragile {
        value
    }

    #[handler]
    pub fn make_fragile(&self, value: u8) -> Fragile {
        Fragile(value)
    }

    #[notify]
    pub fn fragile_note(&mut self, value: Fragile) {
        self.log.push(format!("fragile {}", value.0));
    }

    #[handler]
    pub async fn slow(&self, millis: u64) -> u64 {
        if let Some(entered) = &self.entered {
            let _ = entered.send(millis);
        }
        tokio::time::sleep(Duration::from_millis(millis)).await;
        millis
    }
}

/// A value whose serde code is hostile: `Fragile(1)` panics as it is serialized,
/// `Fragile(2)` as it is deserialized (so on the other node).
#[derive(Debug, Clone, PartialEq)]
pub struct Fragile(pub u8);

impl serde::Serialize for Fragile {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        assert_ne!(self.0, 1, "Fragile(1) refuses to be serialized");
        serializer.serialize_u8(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Fragile {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = <u8 as serde::Deserialize>::deserialize(deserializer)?;
        assert_ne!(value, 2, "Fragile(2) refuses to be deserialized");
        Ok(Fragile(value))
    }
}

/// Watches a remote address, and tells what it heard.
struct Watcher {
    heard: tokio::sync::mpsc::UnboundedSender<StopReason>,
}

impl Actor for Watcher {}

struct Watch(Address<Calc>);

impl Handler<Watch> for Watcher {
    type Result = ();

    async fn handle(&mut self, Watch(calc): Watch, ctx: &Context<Self>) {
        ctx.monitor(&calc);
    }
}

impl Notifiable<messages::supervision::Terminated> for Watcher {
    async fn notify(&mut self, terminated: messages::supervision::Terminated, _: &Context<Self>) {
        let _ = self.heard.send(terminated.reason);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_calls_and_notifications_cross_in_order() {
    let (_server, _client, calc, remote) = calc_published("typed").await;

    assert_eq!(within(remote.add(2, 3)).await, Ok(5));
    assert_eq!(within(remote.divide(7, 2)).await, Ok(Ok(3)));
    assert_eq!(
        within(remote.divide(1, 0)).await,
        Ok(Err("division by zero".to_owned()))
    );
    // Notifications and requests, interleaved, arrive in the order sent.
    for n in 0..50 {
        remote.note(format!("note {n}")).await.expect("sent");
        if n % 10 == 9 {
            remote.add(n, 0).await.expect("answered");
        }
    }
    let log = within(remote.log()).await.expect("answered");
    let expected: Vec<String> = std::iter::once("add 2 3".to_owned())
        .chain((0..50).flat_map(|n| {
            let note = format!("note {n}");
            if n % 10 == 9 {
                vec![note, format!("add {n} 0")]
            } else {
                vec![note]
            }
        }))
        .collect();
    assert_eq!(log, expected);
    // The plain API works on the remote address too.
    remote.reset().await.expect("sent");
    assert_eq!(within(remote.send(calc::Add { a: 1, b: 1 })).await, Ok(2));
    // The local actor saw the same.
    assert_eq!(within(calc.add(0, 0)).await, Ok(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_are_checked() {
    let (server, client) = pair("names").await;
    let calc: CalcAddress = Calc::default().spawn();
    within(server.publish("calc", &calc))
        .await
        .expect("published");
    // Once the name is visible here (the engine spreads it in the background)...
    within(client.lookup::<Calc>("calc")).await.expect("found");
    // ... this node cannot publish it again.
    let again = within(client.publish("calc", &Calc::default().spawn())).await;
    assert_eq!(again, Err(RemoteError::NameTaken("calc".to_owned())));
    let missing = within(client.lookup_within::<Calc>("nobody", Duration::from_millis(300))).await;
    assert!(matches!(missing, Err(RemoteError::NotFound(name)) if name == "nobody"));
    let invalid = within(client.lookup::<Calc>("a/b")).await;
    assert!(matches!(invalid, Err(RemoteError::InvalidName(_))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lookup_waits_for_a_name_to_appear() {
    let (server, client) = pair("late").await;
    let waiting = tokio::spawn(async move {
        client
            .lookup_within::<Calc>("late", Duration::from_secs(10))
            .await
            .map(|calc| (calc, client))
    });
    let calc: CalcAddress = Calc::default().spawn();
    within(server.publish("late", &calc))
        .await
        .expect("published");
    let (remote, _client) = within(waiting)
        .await
        .expect("joined")
        .expect("found once published");
    assert_eq!(within(remote.add(1, 2)).await, Ok(3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn panics_and_timeouts_are_typed_errors() {
    let (server, client) = pair("errors").await;
    let calc: CalcAddress = Calc::spawn_supervised(Calc::default, Default::default());
    within(server.publish("calc", &calc))
        .await
        .expect("published");
    let remote = within(client.lookup::<Calc>("calc")).await.expect("found");
    assert_eq!(within(remote.explode()).await, Err(SendError::Panicked));
    // Supervised: restarted, still serving.
    assert_eq!(within(remote.add(1, 1)).await, Ok(2));
    let late = within(remote.slow(2_000).timeout(Duration::from_millis(100))).await;
    assert_eq!(late, Err(SendError::Timeout));
    assert_eq!(within(remote.slow(1)).await, Ok(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remote_stop_is_seen_with_its_reason() {
    let (_server, client, calc, remote) = calc_published("stops").await;
    assert_eq!(within(remote.add(1, 1)).await, Ok(2));
    // A stop through the remote address stops the actor itself.
    remote.stop().await;
    assert_eq!(within(calc.wait_for_stop()).await, StopReason::Requested);
    assert_eq!(within(remote.wait_for_stop()).await, StopReason::Requested);
    assert!(within(remote.add(1, 1)).await.is_err());
    // The name is gone with it.
    let gone = within(client.lookup_within::<Calc>("calc", Duration::from_millis(300))).await;
    assert!(matches!(gone, Err(RemoteError::NotFound(_))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_node_fails_pending_requests_and_ends_the_address() {
    let (server, client) = pair("lost").await;
    let (entered, mut began) = tokio::sync::mpsc::unbounded_channel();
    let calc: CalcAddress = Calc {
        entered: Some(entered),
        ..Calc::default()
    }
    .spawn();
    within(server.publish("calc", &calc))
        .await
        .expect("published");
    let remote = within(client.lookup::<Calc>("calc")).await.expect("found");
    let pending = tokio::spawn(remote.slow(10_000));
    // The request is being handled on the serving node (it answers only in 10 s).
    assert_eq!(within(began.recv()).await, Some(10_000));
    drop(server);
    let started = std::time::Instant::now();
    assert_eq!(
        within(pending).await.expect("joined"),
        Err(SendError::Unreachable)
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        within(remote.wait_for_stop()).await,
        StopReason::Unreachable
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn monitors_hear_a_remote_stop_and_a_lost_node() {
    let (server, client) = pair("monitors").await;
    let stopping: CalcAddress = Calc::default().spawn();
    let lost: CalcAddress = Calc::default().spawn();
    within(server.publish("stopping", &stopping))
        .await
        .expect("published");
    within(server.publish("lost", &lost))
        .await
        .expect("published");
    let (heard, mut hearing) = tokio::sync::mpsc::unbounded_channel();
    let watcher = Watcher { heard }.spawn();
    let mut kept = Vec::new();
    for name in ["stopping", "lost"] {
        let remote = within(client.lookup_address::<Calc>(name))
            .await
            .expect("found");
        within(watcher.send(Watch(remote.clone())))
            .await
            .expect("watching");
        kept.push(remote);
    }
    // A third, let go of: it ends for this node, and the actor goes on.
    let dropped = within(client.lookup_address::<Calc>("lost"))
        .await
        .expect("found");
    within(watcher.send(Watch(dropped)))
        .await
        .expect("watching");
    assert_eq!(
        within(hearing.recv()).await,
        Some(StopReason::AddressesDropped)
    );
    assert_eq!(within(kept[1].send(calc::Add { a: 1, b: 2 })).await, Ok(3));
    // The actor stops on its own node: its reason crosses.
    stopping.stop().await;
    assert_eq!(within(hearing.recv()).await, Some(StopReason::Requested));
    // Its node goes: the actor is unreachable.
    drop(server);
    assert_eq!(within(hearing.recv()).await, Some(StopReason::Unreachable));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_a_node_ends_its_names_and_its_calls() {
    let (server, client) = pair("closing").await;
    let running: CalcAddress = Calc::default().spawn();
    within(server.publish("running", &running))
        .await
        .expect("published");
    let remote = within(client.lookup::<Calc>("running"))
        .await
        .expect("found");
    assert_eq!(within(remote.add(1, 1)).await, Ok(2));
    within(server.close()).await;
    // The actor still runs on its own node, but cannot be reached from here.
    assert_eq!(
        within(remote.wait_for_stop()).await,
        StopReason::Unreachable
    );
    assert_eq!(within(remote.add(1, 1)).await, Err(SendError::Stopped));
    assert_eq!(within(running.add(0, 0)).await, Ok(2));
    let again = within(server.publish("again", &running)).await;
    assert_eq!(again, Err(RemoteError::Closed));
    within(server.close()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_endpoint_is_an_error() {
    let nobody = dead_endpoint();
    let started = starting()
        .connect(nobody.clone())
        .connect_timeout(Duration::from_millis(300))
        .start()
        .await;
    assert_eq!(started.err(), Some(RemoteError::Unreachable(nobody)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_joining_and_leaving_are_seen() {
    let (first, joining) = cluster();
    let watching = first.namespace("members").start().await.expect("starts");
    let there = joining
        .clone()
        .namespace("members")
        .start()
        .await
        .expect("starts");
    let mut events = within(watching.events()).await.expect("events");
    // A node that was there already is told first.
    assert_eq!(
        within(events.next()).await,
        Some(NodeEvent::Joined(there.id().clone()))
    );
    // A node of another namespace is not a member; one of this namespace is.
    let _stranger = joining
        .clone()
        .namespace("strangers")
        .start()
        .await
        .expect("starts");
    let late = joining.namespace("members").start().await.expect("starts");
    assert_eq!(
        within(events.next()).await,
        Some(NodeEvent::Joined(late.id().clone()))
    );
    assert_ne!(late.id(), there.id());
    // Closed, then dropped without a close: each leaves once.
    let late_id = late.id().clone();
    within(late.close()).await;
    assert_eq!(within(events.next()).await, Some(NodeEvent::Left(late_id)));
    let there_id = there.id().clone();
    drop(there);
    assert_eq!(within(events.next()).await, Some(NodeEvent::Left(there_id)));
    // This node closes: its events end.
    within(watching.close()).await;
    assert_eq!(within(events.next()).await, None);
    assert_eq!(
        within(watching.events()).await.err(),
        Some(RemoteError::Closed)
    );
}

/// User code the remote layer runs (a message's or an answer's `Serialize` and
/// `Deserialize`, on either node) panics: that one message fails (`Panicked` for a
/// request, lost for a notification), and both nodes go on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn panics_in_serde_code_fail_one_message_only() {
    let (_server, _client, calc, remote) = calc_published("fragile").await;
    assert_eq!(
        within(remote.echo_fragile(Fragile(3))).await,
        Ok(Fragile(3))
    );
    // The message's `Serialize` (calling node), its `Deserialize` (serving node).
    assert_eq!(
        within(remote.echo_fragile(Fragile(1))).await,
        Err(SendError::Panicked)
    );
    assert_eq!(
        within(remote.echo_fragile(Fragile(2))).await,
        Err(SendError::Panicked)
    );
    // The answer's `Serialize` (serving node), its `Deserialize` (calling node).
    assert_eq!(
        within(remote.make_fragile(1)).await,
        Err(SendError::Panicked)
    );
    assert_eq!(
        within(remote.make_fragile(2)).await,
        Err(SendError::Panicked)
    );
    // Notifications: lost, the ones around them not.
    for value in [3, 1, 2, 4] {
        within(remote.fragile_note(Fragile(value)))
            .await
            .expect("sent");
    }
    assert_eq!(
        within(remote.log()).await,
        Ok(vec!["fragile 3".to_owned(), "fragile 4".to_owned()])
    );
    assert_eq!(within(remote.add(1, 2)).await, Ok(3));
    assert_eq!(within(calc.add(0, 0)).await, Ok(3));
}

/// The calling node closes (or is dropped): the remote addresses it looked up end
/// (`Unreachable`), their calls fail at once, and the actor goes on for others.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_calling_node_ends_its_remote_addresses() {
    let (_server, client, calc, remote) = calc_published("caller-closes").await;
    assert_eq!(within(remote.add(1, 1)).await, Ok(2));
    within(client.close()).await;
    drop(client);
    assert_eq!(
        within(remote.wait_for_stop()).await,
        StopReason::Unreachable
    );
    assert_eq!(within(remote.add(1, 1)).await, Err(SendError::Stopped));
    assert_eq!(within(calc.add(0, 0)).await, Ok(2));
}

/// The node closes while another clone of it lives: its remote addresses end all
/// the same (`Unreachable`), and calls on them fail at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_a_node_ends_its_remote_addresses_while_clones_live() {
    let (_server, client, calc, remote) = calc_published("clone-closes").await;
    let clone = client.clone();
    assert_eq!(within(remote.add(1, 1)).await, Ok(2));
    within(client.close()).await;
    assert_eq!(
        within(remote.wait_for_stop()).await,
        StopReason::Unreachable
    );
    assert_eq!(within(remote.add(1, 1)).await, Err(SendError::Stopped));
    assert_eq!(
        within(clone.lookup::<Calc>("calc")).await.err(),
        Some(RemoteError::Closed)
    );
    assert_eq!(within(calc.add(0, 0)).await, Ok(2));
}

/// An actor with room for one message in its mailbox, which notifies itself through
/// its own node (its published name, looked up on the node that serves it).
#[actor(capacity = 1)]
#[derive(Debug, Default)]
pub struct Narcissus {
    heard: Vec<u32>,
    me: Option<NarcissusAddress>,
    /// Told everything heard once `count` notifications came.
    done: Option<(u32, tokio::sync::mpsc::UnboundedSender<Vec<u32>>)>,
}

#[actor(remote)]
impl Narcissus {
    /// Notifies itself `count` times through its remote address, from this handler.
    #[handler]
    pub async fn shout(&mut self, count: u32) -> Result<(), String> {
        let me = self.me.clone().ok_or("no remote address yet")?;
        for n in 0..count {
            me.echo(n).await.map_err(|error| error.to_string())?;
        }
        Ok(())
    }

    #[notify]
    pub fn echo(&mut self, n: u32) {
        self.heard.push(n);
        if let Some((count, done)) = &self.done {
            if self.heard.len() == *count as usize {
                let _ = done.send(self.heard.clone());
            }
        }
    }
}

/// Gives a `Narcissus` its remote address (a local message: it does not cross).
struct Mirror(
    NarcissusAddress,
    u32,
    tokio::sync::mpsc::UnboundedSender<Vec<u32>>,
);

impl Handler<Mirror> for Narcissus {
    type Result = ();

    async fn handle(&mut self, Mirror(me, count, done): Mirror, _: &Context<Self>) {
        self.me = Some(me);
        self.done = Some((count, done));
    }
}

/// A node calls an actor it serves through its own published name, from inside that
/// actor's handler, with the actor's one-message mailbox full: each notification
/// waits on the node for room, as any other sender's would (none is refused as a
/// deadlock or lost), and all arrive in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_actor_reaches_itself_through_its_own_node() {
    let (server, _client) = pair("narcissus").await;
    let local: NarcissusAddress = Narcissus::default().spawn();
    within(server.publish("narcissus", &local))
        .await
        .expect("published");
    let me = within(server.lookup::<Narcissus>("narcissus"))
        .await
        .expect("found on its own node");
    const COUNT: u32 = 50;
    let (done, mut heard) = tokio::sync::mpsc::unbounded_channel();
    within(local.send(Mirror(me, COUNT, done)))
        .await
        .expect("mirrored");
    assert_eq!(within(local.shout(COUNT)).await, Ok(Ok(())));
    assert_eq!(
        within(heard.recv()).await,
        Some((0..COUNT).collect::<Vec<_>>())
    );
}

/// An older, smaller view of `Calc`: only its `add`, under `Calc`'s own tag.
#[actor]
#[derive(Debug, Default)]
pub struct CalcLite;

#[actor(remote)]
impl CalcLite {
    #[handler(tag = "Calc::Add")]
    pub fn add(&self, a: i64, b: i64) -> i64 {
        a + b
    }
}

/// A lookup checks that the actor behind the name serves every message of the type
/// looked up: another actor is refused (`Mismatch`, naming what it lacks), while a
/// type whose messages are a subset of the served ones (an older client) is not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lookup_of_another_actor_type_is_refused() {
    let (_server, client, calc, _remote) = calc_published("mismatch").await;
    let wrong = within(client.lookup::<Narcissus>("calc")).await;
    match wrong {
        Err(RemoteError::Mismatch { name, mut missing }) => {
            missing.sort();
            assert_eq!(name, "calc");
            assert_eq!(missing, ["Narcissus::Echo", "Narcissus::Shout"]);
        }
        other => panic!("expected a mismatch, got {:?}", other.map(|_| ())),
    }
    let lite = within(client.lookup::<CalcLite>("calc"))
        .await
        .expect("a subset of Calc's messages");
    assert_eq!(within(lite.add(2, 3)).await, Ok(5));
    assert_eq!(within(calc.add(0, 0)).await, Ok(5));
}

/// A name's node closes, and another node publishes the name again at once: that is
/// another actor, and the remote addresses of the first one end (`Unreachable`);
/// they are never silently bound to the new one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_published_again_elsewhere_is_another_actor() {
    let (server, client, _calc, remote) = calc_published("again-elsewhere").await;
    assert_eq!(within(remote.add(1, 2)).await, Ok(3));
    let mut events = within(client.events()).await.expect("events");
    let server_id = server.id().clone();
    assert_eq!(
        within(events.next()).await,
        Some(NodeEvent::Joined(server_id.clone()))
    );
    within(server.close()).await;
    assert_eq!(
        within(events.next()).await,
        Some(NodeEvent::Left(server_id))
    );
    let again: CalcAddress = Calc::default().spawn();
    within(client.publish("calc", &again))
        .await
        .expect("published again, elsewhere");
    assert_eq!(
        within(remote.wait_for_stop()).await,
        StopReason::Unreachable
    );
    assert_eq!(within(again.add(0, 0)).await, Ok(0));
}

/// Counts what it is told, and whether it came in order; a local `Hold` stalls it.
#[actor]
#[derive(Debug, Default)]
pub struct Tally {
    seen: u64,
    out_of_order: u64,
}

#[actor(remote)]
impl Tally {
    #[notify]
    pub fn count(&mut self, n: u64) {
        if n != self.seen {
            self.out_of_order += 1;
        }
        self.seen += 1;
    }

    /// (how many were told, how many out of order).
    #[handler]
    pub fn tally(&self) -> (u64, u64) {
        (self.seen, self.out_of_order)
    }
}

/// Stalls a `Tally` until the gate opens (a local message: it does not cross).
struct Hold(tokio::sync::oneshot::Receiver<()>);

impl Notifiable<Hold> for Tally {
    async fn notify(&mut self, Hold(gate): Hold, _: &Context<Self>) {
        let _ = gate.await;
    }
}

/// A flood of notifications to an actor that has stalled: its mailbox fills, its node
/// keeps taking them off the wire (more than the engine's client keeps for a
/// subscription that is not read: 65 536 for NATS), and once it goes on, every one
/// is handled, in order. None is lost, none waits for the actor on the wire.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_to_a_stalled_actor_loses_nothing() {
    const FLOOD: u64 = 100_000;
    let (server, client) = pair("flood").await;
    let tally: TallyAddress = Tally::default().spawn();
    within(server.publish("tally", &tally))
        .await
        .expect("published");
    let remote = within(client.lookup::<Tally>("tally"))
        .await
        .expect("found");
    let (open, gate) = tokio::sync::oneshot::channel();
    within(tally.notify(Hold(gate))).await.expect("held");
    within(async {
        for n in 0..FLOOD {
            remote.count(n).await.expect("sent");
        }
    })
    .await;
    open.send(()).expect("the actor waits at the gate");
    assert_eq!(within(remote.tally()).await, Ok((FLOOD, 0)));
}
