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
    let var = |name: &str| std::env::var(name).expect("started by a lost-node test");
    let builder = match var("MESSAGES_REMOTE_ENGINE").as_str() {
        "zenoh" => Node::builder().listen(var("MESSAGES_REMOTE_ENDPOINT")),
        #[cfg(feature = "nats")]
        "nats" => Node::builder()
            .engine(messages_remote::Engine::Nats)
            .connect(var("MESSAGES_REMOTE_ENDPOINT")),
        other => panic!("no engine {other:?} in this build"),
    };
    let node = builder
        .namespace(var("MESSAGES_REMOTE_NAMESPACE"))
        .start()
        .await
        .expect("starts");
    let sleeper: SleeperAddress = Sleeper.spawn();
    node.publish("sleeper", &sleeper).await.expect("published");
    println!("ready {}", node.id());
    sleeper.wait_for_stop().await;
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
        let mut child = Command::new(std::env::current_exe().expect("this binary"))
            .args([
                "--ignored",
                "--exact",
                "serving_process",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("MESSAGES_REMOTE_ENGINE", case.engine)
            .env("MESSAGES_REMOTE_ENDPOINT", &case.endpoint)
            .env("MESSAGES_REMOTE_NAMESPACE", case.namespace)
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
        }
    }

    async fn calling_node(&self) -> Node {
        let builder = match self.engine {
            #[cfg(feature = "nats")]
            "nats" => Node::builder()
                .engine(messages_remote::Engine::Nats)
                .connect(self.endpoint.clone()),
            _ => Node::builder().connect(self.endpoint.clone()),
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
