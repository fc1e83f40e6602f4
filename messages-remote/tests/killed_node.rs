//! A node in another process, SIGKILLed: its pending requests fail `Unreachable` at
//! once, its names vanish, and monitors of its actors hear `Unreachable`.
//!
//! The serving process is this test binary again, running the ignored
//! `serving_process` test (the parent asks for it by name).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use messages::prelude::*;
use messages_remote::{Node, RemoteError};

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
/// until it is killed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "the serving process of `a_killed_node`, started by it"]
async fn serving_process() {
    let endpoint = std::env::var("MESSAGES_REMOTE_LISTEN").expect("started by a_killed_node");
    let node = Node::builder()
        .namespace("killed")
        .listen(endpoint)
        .start()
        .await
        .expect("starts");
    let sleeper: SleeperAddress = Sleeper.spawn();
    node.publish("sleeper", &sleeper).await.expect("published");
    println!("ready");
    sleeper.wait_for_stop().await;
}

/// The serving process, killed (SIGKILL) on drop.
struct Serving {
    child: Child,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Serving {
    fn start(endpoint: &str) -> Self {
        let mut child = Command::new(std::env::current_exe().expect("this binary"))
            .args([
                "--ignored",
                "--exact",
                "serving_process",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("MESSAGES_REMOTE_LISTEN", endpoint)
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
        let serving = Self { child, lines };
        serving.wait_for("ready");
        serving
    }

    fn wait_for(&self, wanted: &str) {
        let deadline = Instant::now() + LIMIT;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self.lines.recv_timeout(left).unwrap_or_else(|_| {
                panic!("no {wanted:?} from the serving process; it printed {seen:#?}")
            });
            seen.push(line.clone());
            // libtest may print its own words on the line first.
            if line.trim_end().ends_with(wanted) {
                return;
            }
        }
    }

    fn kill(&mut self) {
        // SIGKILL: no goodbye from the engine.
        let _ = self.child.kill();
        let _ = self.child.wait();
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_node() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let endpoint = format!(
        "tcp/127.0.0.1:{}",
        listener.local_addr().expect("address").port()
    );
    drop(listener);
    let mut serving = Serving::start(&endpoint);
    let node = Node::builder()
        .namespace("killed")
        .connect(endpoint)
        .start()
        .await
        .expect("starts");
    let sleeper = within(node.lookup_within::<Sleeper>("sleeper", Duration::from_secs(10)))
        .await
        .expect("found");
    assert_eq!(within(sleeper.sleep(1)).await, Ok(1));
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
    let killed = Instant::now();
    serving.kill();

    assert_eq!(
        within(hanging).await.expect("joined"),
        Err(SendError::Unreachable)
    );
    assert_eq!(
        within(pending).await.expect("joined"),
        Err(SendError::Unreachable)
    );
    let failed_after = killed.elapsed();
    assert_eq!(within(hearing.recv()).await, Some(StopReason::Unreachable));
    assert_eq!(
        within(sleeper.wait_for_stop()).await,
        StopReason::Unreachable
    );
    // Well before the engine's own 10 s (measured here: a few ms).
    assert!(
        failed_after < Duration::from_secs(2),
        "pending requests failed after {failed_after:?}"
    );
    let gone = within(node.lookup_within::<Sleeper>("sleeper", Duration::from_millis(300))).await;
    assert!(matches!(gone, Err(RemoteError::NotFound(_))), "{gone:?}");
    println!("pending requests failed {failed_after:?} after the SIGKILL");
}
