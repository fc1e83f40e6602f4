//! A node in another process, SIGKILLed or frozen (SIGSTOP), on each engine: its
//! pending requests fail `Unreachable` within about a second, its names vanish, and
//! monitors of its actors hear `Unreachable`. The NATS cases need the `nats` feature
//! and `MESSAGES_NATS_URL` (`.ci/run` gives both).
//!
//! The serving process is this test binary again, running the ignored
//! `serving_process` test (the parent asks for it by name).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use messages::prelude::*;
use messages_remote::{Node, NodeEvent, RemoteError};

const LIMIT: Duration = Duration::from_secs(20);

async fn within<F: std::future::Future>(future: F) -> F::Output {
    tokio::time::timeout(LIMIT, future)
        .await
        .expect("timed out")
}

#[actor]
#[derive(Debug, Default)]
pub struct Sleeper;

#[actor(remote)]
impl Sleeper {
    /// Answers after `millis`.
    #[handler]
    pub async fn sleep(&self, millis: u64) -> u64 {
        tokio::time::sleep(Duration::from_millis(millis)).await;
        millis
    }

    /// Takes a request, and answers how long its text was.
    #[handler]
    pub fn swallow(&self, text: String) -> usize {
        text.len()
    }

    /// Takes a notification (and drops it).
    #[notify]
    pub fn take(&mut self, bytes: Vec<u8>) {
        drop(bytes);
    }

    /// Prints that a long sleep began (for the parent to read), then sleeps.
    #[handler]
    pub async fn hang(&self) -> u64 {
        println!("hanging");
        tokio::time::sleep(Duration::from_secs(3600)).await;
        0
    }
}

/// The serving side, in its own process: publishes a sleeper, says so, and serves
/// until it is killed. Its engine, endpoint and namespace come from the parent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "the serving process of the lost-node tests, started by them"]
async fn serving_process() {
    let node = process_node(Side::Listens).await;
    let sleeper: SleeperAddress = Sleeper.spawn();
    node.publish("sleeper", &sleeper).await.expect("published");
    println!("ready {}", node.id());
    sleeper.wait_for_stop().await;
}

/// Which way a helper process's Zenoh node meets the test's (a NATS node always
/// connects to the server).
#[derive(Clone, Copy)]
enum Side {
    Listens,
    Connects,
}

/// The node of a helper process: its engine, endpoint, namespace and lease come
/// from the test that started it (see [`Serving::run`]).
async fn process_node(side: Side) -> Node {
    let var = |name: &str| std::env::var(name).expect("started by a lost-node test");
    let endpoint = var("MESSAGES_REMOTE_ENDPOINT");
    let builder = match (var("MESSAGES_REMOTE_ENGINE").as_str(), side) {
        ("zenoh", Side::Listens) => Node::builder().listen(endpoint),
        ("zenoh", Side::Connects) => Node::builder().connect(endpoint),
        #[cfg(feature = "nats")]
        ("nats", _) => Node::builder()
            .engine(messages_remote::Engine::Nats)
            .connect(endpoint),
        (other, _) => panic!("no engine {other:?} in this build"),
    };
    let lease = var("MESSAGES_REMOTE_LEASE_MS").parse().expect("a lease");
    builder
        .lease(Duration::from_millis(lease))
        .namespace(var("MESSAGES_REMOTE_NAMESPACE"))
        .start()
        .await
        .expect("starts")
}

/// The serving process, killed (SIGKILL) on drop.
struct Serving {
    child: Child,
    lines: std::sync::mpsc::Receiver<String>,
    /// Its node's id, as it said.
    id: String,
}

impl Serving {
    fn start(case: &Case) -> Self {
        Self::run(case, "serving_process")
    }

    /// This binary again, running the ignored test `process`.
    fn run(case: &Case, process: &str) -> Self {
        let mut child = Command::new(std::env::current_exe().expect("this binary"))
            .args([
                "--ignored",
                "--exact",
                process,
                "--nocapture",
                "--test-threads=1",
            ])
            .env("MESSAGES_REMOTE_ENGINE", case.engine)
            .env("MESSAGES_REMOTE_ENDPOINT", &case.endpoint)
            .env("MESSAGES_REMOTE_NAMESPACE", case.namespace)
            .env(
                "MESSAGES_REMOTE_LEASE_MS",
                case.lease.as_millis().to_string(),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the serving process starts");
        let stdout = child.stdout.take().expect("piped");
        let stderr = child.stderr.take().expect("piped");
        let (sender, lines) = std::sync::mpsc::channel();
        let errors = sender.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        // What it says on stderr comes too (marked), so a failed start shows why.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = errors.send(format!("stderr: {line}"));
            }
        });
        let mut serving = Self {
            child,
            lines,
            id: String::new(),
        };
        serving.id = serving.wait_for("ready ");
        serving
    }

    /// Waits for a line holding `wanted`, and returns what follows it.
    fn wait_for(&self, wanted: &str) -> String {
        let deadline = Instant::now() + LIMIT;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self.lines.recv_timeout(left).unwrap_or_else(|_| {
                panic!("no {wanted:?} from the serving process; it printed {seen:#?}")
            });
            seen.push(line.clone());
            // libtest may print its own words on the line first.
            if let Some((_, after)) = line.trim_end().rsplit_once(wanted) {
                return after.to_owned();
            }
        }
    }

    fn kill(&mut self) {
        // SIGKILL: no goodbye from the engine.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGSTOP: the process stays, its links stay open, and it says nothing more.
    fn freeze(&self) {
        let stopped = Command::new("kill")
            .args(["-STOP", &self.child.id().to_string()])
            .status()
            .expect("`kill` runs");
        assert!(stopped.success(), "SIGSTOP was not delivered");
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Watches an address, and tells what it heard.
struct Watcher(tokio::sync::mpsc::UnboundedSender<StopReason>);

impl Actor for Watcher {}

struct Watch(Address<Sleeper>);

impl Handler<Watch> for Watcher {
    type Result = ();

    async fn handle(&mut self, Watch(sleeper): Watch, ctx: &Context<Self>) {
        ctx.monitor(&sleeper);
    }
}

impl Notifiable<messages::supervision::Terminated> for Watcher {
    async fn notify(&mut self, ended: messages::supervision::Terminated, _: &Context<Self>) {
        let _ = self.0.send(ended.reason);
    }
}

/// Which engine, where the serving node is, and a namespace of the test's own.
struct Case {
    engine: &'static str,
    endpoint: String,
    namespace: &'static str,
    /// The serving node's lease (how long its silence is borne).
    lease: Duration,
}

impl Case {
    /// Zenoh: the serving node listens on a free port, the caller connects to it.
    fn zenoh(namespace: &'static str) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = listener.local_addr().expect("address").port();
        Self {
            engine: "zenoh",
            endpoint: format!("tcp/127.0.0.1:{port}"),
            namespace,
            lease: Duration::from_secs(1),
        }
    }

    /// NATS: both connect to the server `.ci/run` started (never skipped without it).
    #[cfg(feature = "nats")]
    fn nats(namespace: &'static str) -> Self {
        Self {
            engine: "nats",
            endpoint: std::env::var("MESSAGES_NATS_URL")
                .expect("MESSAGES_NATS_URL names the nats-server to test against"),
            namespace,
            lease: Duration::from_secs(1),
        }
    }

    /// The test's own node, which connects to the helper process's.
    async fn calling_node(&self) -> Node {
        self.node(Side::Connects).await
    }

    async fn node(&self, side: Side) -> Node {
        let endpoint = self.endpoint.clone();
        let builder = match (self.engine, side) {
            #[cfg(feature = "nats")]
            ("nats", _) => Node::builder()
                .engine(messages_remote::Engine::Nats)
                .connect(endpoint),
            (_, Side::Listens) => Node::builder().listen(endpoint),
            (_, Side::Connects) => Node::builder().connect(endpoint),
        };
        builder
            .namespace(self.namespace)
            .start()
            .await
            .expect("starts")
    }
}

/// How the serving node is lost.
#[derive(Debug, Clone, Copy)]
enum Loss {
    /// SIGKILL: its links close at once.
    Killed,
    /// SIGSTOP: its links stay open; only its silence tells (the lease on Zenoh,
    /// unanswered pings on NATS).
    Frozen,
}

/// A request being handled on the lost node and one queued behind it both fail
/// `Unreachable`, within about a second of the loss (never the engine's 10 s), a
/// monitor and `wait_for_stop` hear `Unreachable`, and the name is gone.
async fn lose_the_serving_node(case: Case, loss: Loss) {
    let mut serving = Serving::start(&case);
    let node = case.calling_node().await;
    let sleeper = within(node.lookup_within::<Sleeper>("sleeper", Duration::from_secs(10)))
        .await
        .expect("found");
    assert_eq!(within(sleeper.sleep(1)).await, Ok(1));
    let mut events = within(node.events()).await.expect("events");
    let Some(NodeEvent::Joined(serving_id)) = within(events.next()).await else {
        panic!("the serving node is seen");
    };
    assert_eq!(serving_id.as_str(), serving.id);
    let (heard, mut hearing) = tokio::sync::mpsc::unbounded_channel();
    let watcher = Watcher(heard).spawn();
    within(watcher.send(Watch((*sleeper).clone())))
        .await
        .expect("watching");

    // One request being handled on the other node, one queued behind it there.
    let hanging = tokio::spawn(sleeper.hang());
    serving.wait_for("hanging");
    let pending = tokio::spawn(sleeper.sleep(60_000));
    assert_eq!(
        within(node.lookup::<Sleeper>("sleeper")).await.map(|_| ()),
        Ok(()),
        "still published"
    );
    let lost = Instant::now();
    match loss {
        Loss::Killed => serving.kill(),
        Loss::Frozen => serving.freeze(),
    }

    assert_eq!(
        within(hanging).await.expect("joined"),
        Err(SendError::Unreachable)
    );
    assert_eq!(
        within(pending).await.expect("joined"),
        Err(SendError::Unreachable)
    );
    let failed_after = lost.elapsed();
    assert_eq!(within(hearing.recv()).await, Some(StopReason::Unreachable));
    assert_eq!(
        within(events.next()).await,
        Some(NodeEvent::Left(serving_id))
    );
    assert_eq!(
        within(sleeper.wait_for_stop()).await,
        StopReason::Unreachable
    );
    // The promise is "about a second" (the 1 s lease for a frozen Zenoh node, a
    // few ms for a killed one; pings every 100 ms on NATS), never the engines' 10 s.
    assert!(
        failed_after < Duration::from_secs(3),
        "pending requests failed after {failed_after:?}"
    );
    let gone = within(node.lookup_within::<Sleeper>("sleeper", Duration::from_millis(300))).await;
    assert!(matches!(gone, Err(RemoteError::NotFound(_))), "{gone:?}");
    println!(
        "{} node {loss:?}: pending requests failed {failed_after:?} after",
        case.engine
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_zenoh_node() {
    lose_the_serving_node(Case::zenoh("killed"), Loss::Killed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frozen_zenoh_node() {
    lose_the_serving_node(Case::zenoh("frozen"), Loss::Frozen).await;
}

#[cfg(feature = "nats")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_nats_node() {
    lose_the_serving_node(Case::nats("killed-nats"), Loss::Killed).await;
}

#[cfg(feature = "nats")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frozen_nats_node() {
    lose_the_serving_node(Case::nats("frozen-nats"), Loss::Frozen).await;
}

/// Notifications to a frozen node, from a current-thread runtime: once the engine
/// can take no more, a notification waits for room as one to a full local mailbox
/// does (its future is pending) and never blocks the sending thread, so the
/// runtime's timers still fire; when the frozen node's lease runs out, the address
/// ends `Unreachable`. (The serving node's lease is long here: a thread blocked
/// in the engine would stay blocked that long.)
async fn notify_a_frozen_node(mut case: Case) {
    case.lease = Duration::from_secs(3);
    let serving = Serving::start(&case);
    let node = case.calling_node().await;
    let sleeper = within(node.lookup_within::<Sleeper>("sleeper", Duration::from_secs(10)))
        .await
        .expect("found");
    assert_eq!(within(sleeper.sleep(1)).await, Ok(1));
    serving.freeze();
    let frozen = Instant::now();
    let mut longest = Duration::ZERO;
    let mut sent = 0_u32;
    let waited = loop {
        let started = Instant::now();
        let notified =
            tokio::time::timeout(Duration::from_millis(100), sleeper.take(vec![7; 64 * 1024]))
                .await;
        longest = longest.max(started.elapsed());
        match notified {
            Ok(Ok(())) => sent += 1,
            // Waiting for room: the engine holds all it can.
            Err(_elapsed) => break true,
            // The lease ran out first.
            Ok(Err(_stopped)) => break false,
        }
        assert!(sent < 20_000, "20 000 notifications of 64 KiB never waited");
    };
    assert!(
        longest < Duration::from_secs(1),
        "a notification held the sending thread for {longest:?} ({sent} sent; waited: {waited})"
    );
    assert_eq!(
        within(sleeper.wait_for_stop()).await,
        StopReason::Unreachable
    );
    println!(
        "{}: {sent} notifications of 64 KiB taken before one waited ({waited}); longest {longest:?}; ended {:?} after the freeze",
        case.engine,
        frozen.elapsed()
    );
}

/// Requests to a frozen node, more than the engine and the address can hold: every
/// one resolves once the node is taken for gone, `Unreachable` (those on the wire,
/// in the address's backlog or in its mailbox) or `Stopped` (those still waiting for
/// room in the mailbox when the address ended): none `Unanswered`, none left hanging.
async fn ask_a_frozen_node(case: Case) {
    let serving = Serving::start(&case);
    let node = case.calling_node().await;
    let sleeper = within(node.lookup_within::<Sleeper>("sleeper", Duration::from_secs(10)))
        .await
        .expect("found");
    assert_eq!(within(sleeper.swallow("x".into())).await, Ok(1));
    serving.freeze();
    let asked: Vec<_> = (0..400)
        .map(|_| tokio::spawn(sleeper.swallow("x".repeat(64 * 1024))))
        .collect();
    let mut ended = std::collections::BTreeMap::<String, u32>::new();
    for asking in asked {
        let outcome = within(asking).await.expect("joined");
        *ended.entry(format!("{outcome:?}")).or_default() += 1;
    }
    let unreachable = ended.get("Err(Unreachable)").copied().unwrap_or(0);
    let stopped = ended.get("Err(Stopped)").copied().unwrap_or(0);
    assert!(
        unreachable > 0 && unreachable + stopped == 400,
        "400 requests to a frozen node ended: {ended:?}"
    );
    println!(
        "{}: 400 requests to a frozen node ended {ended:?}",
        case.engine
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_to_a_frozen_zenoh_node_all_resolve() {
    ask_a_frozen_node(Case::zenoh("frozen-ask")).await;
}

#[cfg(feature = "nats")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_to_a_frozen_nats_node_all_resolve() {
    ask_a_frozen_node(Case::nats("frozen-ask-nats")).await;
}

#[tokio::test]
async fn notifications_to_a_frozen_zenoh_node_never_block_the_sender() {
    notify_a_frozen_node(Case::zenoh("frozen-notify")).await;
}

#[cfg(feature = "nats")]
#[tokio::test]
async fn notifications_to_a_frozen_nats_node_never_block_the_sender() {
    notify_a_frozen_node(Case::nats("frozen-notify-nats")).await;
}

/// Answers with a quarter of a mebibyte, at once (a string: serialized as one
/// copy, even in a debug build).
#[actor]
#[derive(Debug, Default)]
pub struct Blobs;

#[actor(remote)]
impl Blobs {
    #[handler]
    pub fn blob(&self) -> String {
        "x".repeat(256 * 1024)
    }

    #[handler]
    pub fn ping(&self) -> u8 {
        1
    }
}

/// The calling side of the frozen-caller test, in its own process: keeps 64
/// requests for a quarter of a mebibyte in flight, says so, and goes on until it is
/// killed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "the calling process of the frozen-caller test, started by it"]
async fn calling_process() {
    let node = process_node(Side::Connects).await;
    let blobs = node
        .lookup_within::<Blobs>("blobs", Duration::from_secs(10))
        .await
        .expect("found");
    println!("ready {}", node.id());
    let mut answered = 0_u64;
    let mut flight = tokio::task::JoinSet::new();
    loop {
        while flight.len() < 64 {
            flight.spawn(blobs.blob());
        }
        if let Some(Ok(Ok(_))) = flight.join_next().await {
            answered += 1;
            if answered == 64 {
                println!("flooding");
            }
        }
    }
}

/// A caller that froze while 16 MiB of answers were on their way to it: the
/// serving node's engine soon takes no more for it, and the actor does not wait for
/// it (its answers are sent from the node's runtime, never from the actor's thread):
/// it answers a local call at once. (The caller's lease is long here: an actor's
/// thread blocked in the engine would stay blocked that long.)
async fn a_frozen_caller_never_blocks_the_actor(mut case: Case) {
    case.lease = Duration::from_secs(6);
    let node = case.node(Side::Listens).await;
    let blobs: BlobsAddress = Blobs.spawn();
    within(node.publish("blobs", &blobs))
        .await
        .expect("published");
    let calling = Serving::run(&case, "calling_process");
    calling.wait_for("flooding");
    calling.freeze();
    // The answers still to go: soon the engine holds all it can.
    for round in 0..20 {
        let started = Instant::now();
        let answered = tokio::time::timeout(Duration::from_secs(2), blobs.ping()).await;
        assert_eq!(
            answered,
            Ok(Ok(1)),
            "the actor did not answer a local call within 2 s (round {round}, {:?})",
            started.elapsed()
        );
    }
    drop(calling);
    within(node.close()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frozen_zenoh_caller_never_blocks_the_actor() {
    a_frozen_caller_never_blocks_the_actor(Case::zenoh("frozen-caller")).await;
}

#[cfg(feature = "nats")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frozen_nats_caller_never_blocks_the_actor() {
    a_frozen_caller_never_blocks_the_actor(Case::nats("frozen-caller-nats")).await;
}
