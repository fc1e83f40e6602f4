//! Runs every example with small arguments and checks what it prints, so an example
//! that breaks fails CI. The binaries are the ones `cargo test` builds next to this
//! test; every run is bounded by a timeout and killed past it.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(60);

/// The example binary `name`, built by `cargo test` beside this test binary.
fn example(name: &str) -> Command {
    let mut path: PathBuf = std::env::current_exe().expect("the test binary's path");
    path.pop(); // deps/
    if path.ends_with("deps") {
        path.pop();
    }
    Command::new(path.join("examples").join(name))
}

/// Runs to completion (bounded) and returns standard output; fails on a non-zero exit.
fn run(name: &str, args: &[&str]) -> String {
    let child = example(name)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start example {name}: {error}"));
    finish(name, child)
}

/// Waits (bounded) for a started child and returns its standard output.
fn finish(name: &str, child: Child) -> String {
    let id = child.id();
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(child.wait_with_output());
    });
    match finished.recv_timeout(LIMIT) {
        Ok(Ok(output)) => {
            let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
            assert!(
                output.status.success(),
                "example {name} failed: {}\nstdout:\n{stdout}\nstderr:\n{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            );
            stdout
        }
        Ok(Err(error)) => panic!("example {name}: {error}"),
        Err(_) => {
            let _ = Command::new("kill").arg(id.to_string()).status();
            panic!("example {name} did not finish within {LIMIT:?}")
        }
    }
}

/// A server example that prints `listening on ws://ADDRESS` first, and its URL.
fn websocket_server(name: &str) -> (Serving, String) {
    let server = Serving::start(name, &["server", "127.0.0.1:0"]);
    let url = server
        .first
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {}", server.first))
        .to_owned();
    (server, url)
}

fn lines(output: &str) -> Vec<&str> {
    output.lines().collect()
}

#[test]
fn ping() {
    let output = run("01_ping", &[]);
    assert_eq!(
        lines(&output),
        [
            "pong #1",
            "pong #2",
            "pong #3",
            "counter stopped on request; still connected: false"
        ]
    );
}

#[test]
fn notify() {
    let output = run("02_notify", &[]);
    let hooks: Vec<&str> = output
        .lines()
        .filter(|line| line.starts_with(char::is_numeric))
        .collect();
    assert_eq!(
        hooks,
        [
            "1. started: runs before the first message",
            "2. line 1: notify returns once queued",
            "2. line 2: the actor handles it later",
            "3. stopping: asked to stop, and agrees",
            "4. stopped: after the last message (2 lines logged)",
        ]
    );
    assert!(output.contains("connected before the stop: true"));
    assert!(output.contains("wait_for_stop: stopped on request; connected after: false"));
}

#[test]
fn typed() {
    let output = run("03_typed", &[]);
    assert_eq!(
        lines(&output),
        [
            "deposit 100 -> balance 100",
            "withdraw 30 -> Ok(70)",
            "withdraw 500 -> Err(Overdraft { missing: 430 })",
            "audit: checked (balance 70)",
            "plain send(account::Balance) -> 70",
        ]
    );
}

#[test]
fn ring() {
    let output = run("04_ring", &["50", "20"]);
    assert!(
        output.contains("ring of 50 nodes, 20 rounds: 1000 hops in"),
        "{output}"
    );
    assert!(output.contains("messages per second"), "{output}");
}

#[test]
fn fibonacci() {
    let output = run("05_fibonacci", &[]);
    assert!(output.contains("fibonacci(30) = 832040"), "{output}");
    assert!(output.contains("4 requests one by one:"), "{output}");
    assert!(output.contains("4 requests concurrently:"), "{output}");
}

#[test]
fn timed_stream() {
    let output = run("06_timed_stream", &[]);
    let readings: Vec<&str> = output
        .lines()
        .filter(|line| line.starts_with("reading"))
        .collect();
    assert_eq!(
        readings,
        [
            "reading: 21 degrees",
            "reading: 23 degrees",
            "reading: 22 degrees"
        ]
    );
    assert!(output.contains("tick 1"), "{output}");
    assert!(output.contains("sensor stream ended"), "{output}");
    assert!(output.contains("stopped after 3 readings"), "{output}");
}

#[test]
fn smol() {
    let output = run("07_smol", &[]);
    assert_eq!(lines(&output), ["HELLO FROM SMOL", "stopped on request"]);
}

#[test]
fn custom_runtime() {
    let output = run("08_custom_runtime", &[]);
    assert_eq!(
        lines(&output),
        [
            "counting down from 3",
            "3",
            "2",
            "1",
            "0",
            "liftoff (stopped on request)"
        ]
    );
}

#[test]
fn websocket_echoes() {
    let (_server, url) = websocket_server("09_websocket");
    let output = run("09_websocket", &["client", &url, "hello", "actors"]);
    assert_eq!(lines(&output), ["echo: hello", "echo: actors"]);
}

#[test]
fn chat_between_two_clients() {
    let (_server, url) = websocket_server("10_chat");
    // Bob joins first and waits for Alice's line.
    let mut bob = example("10_chat")
        .args(["client", &url, "bob", "--until", "alice: hi bob"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bob starts");
    let bob_stdout = bob.stdout.take().expect("piped stdout");
    let (line_tx, bob_lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(bob_stdout).lines().map_while(Result::ok) {
            let _ = line_tx.send(line);
        }
    });
    let first = bob_lines.recv_timeout(LIMIT).expect("bob hears his join");
    assert_eq!(first, "* bob joined");

    let alice = run("10_chat", &["client", &url, "alice", "hi bob"]);
    assert_eq!(lines(&alice), ["* alice joined", "alice: hi bob"]);

    let rest: Vec<String> = (0..2)
        .map(|_| bob_lines.recv_timeout(LIMIT).expect("bob hears the room"))
        .collect();
    assert_eq!(rest, ["* alice joined", "alice: hi bob"]);
    let _ = finish("10_chat (bob)", bob);
}

#[test]
fn timeouts() {
    let output = run("11_timeouts", &[]);
    assert_eq!(
        lines(&output),
        [
            "with time to spare: Ok(42)",
            "too hasty: Err(Timeout)",
            "questions answered: 2"
        ]
    );
}

#[test]
fn services() {
    let output = run("12_services", &[]);
    assert_eq!(
        lines(&output),
        [
            "id 1",
            "id 2",
            "by name: id 3",
            "after a stop, a fresh service: id 1"
        ]
    );
}

#[test]
fn worker_pool() {
    let output = run("13_worker_pool", &[]);
    assert_eq!(
        lines(&output),
        [
            "40 thumbnails, 41000 bytes in all",
            "workers that rendered: 4 of 4",
            "a picture with no pixels: Err(Panicked)",
            "after the panic: Ok(100)",
            "quality set on 4 workers: Ok(200)",
            "resized to 2",
            "pool stopped: stopped on request",
        ]
    );
}

#[test]
fn delegation() {
    let output = run("14_delegation", &[]);
    let lines = lines(&output);
    // The sum of the squares of 1..=40; the time line varies.
    assert_eq!(
        lines[0],
        "40 jobs answered by 4 workers, sum of squares 22140"
    );
    assert!(lines[1].starts_with("took "), "{lines:?}");
    assert_eq!(
        lines[2..],
        [
            "7 answered later",
            "coordinator stopped: stopped on request"
        ]
    );
}

#[test]
fn generic_actor() {
    let output = run("15_generic_actor", &[]);
    assert_eq!(
        lines(&output),
        [
            "evicted \"actor\" to make room for \"address\"",
            "mailbox -> Some(7)",
            "actor -> None",
            "7 -> Some(\"seven\")",
            "plain send(msg::Get { key: 8 }) -> None",
            "lengths: Counts { entries: 2, hits: 1, misses: 1 }",
            "names after clear: Counts { entries: 0, hits: 1, misses: 1 }",
        ]
    );
}

#[test]
fn shutdown() {
    let output = run("16_shutdown", &[]);
    let lines = lines(&output);
    assert_eq!(
        lines[..7],
        [
            "tally started (restarts so far: 0)",
            "tally stopped at 2",
            "tally started (restarts so far: 1)",
            "after stop: 1",
            "tally stopped at 1",
            "tally: stopped on request",
            "office has 2 clerks",
        ]
    );
    // The system shutdown: the journal and the office's clerks side by side, the office
    // after its clerks, and every `stopped` hook before `main` hears the report.
    let position = |line: &str| {
        lines
            .iter()
            .position(|printed| *printed == line)
            .unwrap_or_else(|| panic!("{line:?} missing from {lines:?}"))
    };
    assert_eq!(lines.len(), 12, "{lines:?}");
    let office = position("office stopped (its clerks stopped first: true)");
    assert!(position("clerk ann stopped") < office);
    assert!(position("clerk bob stopped") < office);
    let report = position("system: 4 actors stopped, clean: true");
    assert_eq!(report, lines.len() - 1);
    assert!(position("journal flushed 2 lines") < report);
}

/// A free loopback endpoint for the remote examples.
fn free_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    format!(
        "tcp/127.0.0.1:{}",
        listener.local_addr().expect("its address").port()
    )
}

/// An example that serves (a WebSocket server, a remote actor's process) and
/// announces itself on its first line; killed on drop. The rest of what it prints
/// comes through `rest` (and is drained, so it never blocks on a full pipe).
struct Serving {
    child: Child,
    first: String,
    rest: mpsc::Receiver<String>,
}

impl Serving {
    fn start(name: &str, args: &[&str]) -> Self {
        let mut child = example(name)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {name}: {error}"));
        let stdout = child.stdout.take().expect("piped stdout");
        let (line_tx, line) = mpsc::channel();
        std::thread::spawn(move || {
            for printed in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = line_tx.send(printed);
            }
        });
        let first = line
            .recv_timeout(LIMIT)
            .expect("the serving process announces itself");
        Self {
            child,
            first,
            rest: line,
        }
    }

    /// [`start`](Serving::start), checking the first line is `announced`.
    fn announcing(name: &str, args: &[&str], announced: &str) -> Self {
        let serving = Self::start(name, args);
        assert_eq!(serving.first, announced);
        serving
    }

    fn next_line(&self) -> String {
        self.rest
            .recv_timeout(LIMIT)
            .expect("the serving process prints on")
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn remote_calc() {
    let endpoint = free_endpoint();
    let serving = Serving::announcing(
        "20_remote_calc",
        &["serve", &endpoint],
        &format!("serving calc on {endpoint}"),
    );
    let output = run("20_remote_calc", &["call", &endpoint]);
    assert_eq!(
        lines(&output),
        [
            "add(2, 3) = 5",
            "add(10, -4) = 11",
            "divide(7, 2) = Ok(3)",
            "divide(1, 0) = Err(\"cannot divide 1 by 0\")",
            "after reset, add(1, 1) = 2",
            "calc: stopped on request",
        ]
    );
    assert_eq!(serving.next_line(), "calc stopped: stopped on request");
}

#[test]
fn remote_chat() {
    let endpoint = free_endpoint();
    let room = Serving::announcing(
        "21_remote_chat",
        &["room", &endpoint],
        &format!("room open on {endpoint}"),
    );
    let bob = Serving::announcing(
        "21_remote_chat",
        &["member", "bob", &endpoint, "2"],
        "bob joined (1 in the room)",
    );
    let alice = run(
        "21_remote_chat",
        &["member", "alice", &endpoint, "2", "hi", "bye"],
    );
    assert_eq!(
        lines(&alice),
        ["alice joined (2 in the room)", "alice: hi", "alice: bye"]
    );
    assert_eq!(bob.next_line(), "alice: hi");
    assert_eq!(bob.next_line(), "alice: bye");
    // Both left: the room closes.
    assert_eq!(room.next_line(), "room closed: stopped on request");
}
