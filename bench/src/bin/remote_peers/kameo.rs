//! kameo's remote actors (kameo 0.22, its `remote` feature, on libp2p) doing the work of
//! `remote-ask` and `remote-tell`, for rows beside `messages-remote`'s.
//!
//! kameo keeps one actor swarm per process (`remote::Behaviour::init_global`, which
//! `register`, `lookup` and the actor ids of that process all go through, and a
//! message to an actor of the local peer is delivered in process without the network),
//! so its two nodes are two processes: this binary starts itself again with
//! [`SERVE_ARG`] as the serving node, and measures from the calling node here. Both
//! run the harness's runtime (tokio, two worker threads) and a swarm built as kameo's
//! custom-swarm guide builds one: TCP on loopback (`TCP_NODELAY`, libp2p's default),
//! noise, yamux, `remote::Behaviour` with the default `messaging::Config`. No mDNS
//! (multicast): the caller dials the address the serving node prints. The serving node
//! registers its two actors (`ActorRef::register`, kameo's Kademlia registry); the
//! caller finds them with `RemoteActorRef::lookup`.
//!
//! Every wait is bounded: the serving node's address, the lookups, each workload, and
//! the serving node's life (it ends when this process closes its stdin, or after
//! [`SERVE_LIMIT`]).

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kameo::prelude::*;
use libp2p::futures::StreamExt;
use libp2p::futures::stream::FuturesUnordered;
use libp2p::multiaddr::Protocol;
use libp2p::swarm::SwarmEvent;
use libp2p::{Multiaddr, PeerId, Swarm, SwarmBuilder, noise, tcp, yamux};
use serde::{Deserialize, Serialize};

/// The argument that makes this binary kameo's serving node.
pub(crate) const SERVE_ARG: &str = "--kameo-remote-node";

/// The longest the serving node lives (it ends sooner, when its caller closes stdin).
const SERVE_LIMIT: Duration = Duration::from_secs(30 * 60);
/// The longest for a node to start, listen, register, and for a lookup to find it.
const SETUP_LIMIT: Duration = Duration::from_secs(30);
/// The longest for one workload's timed loop.
const RUN_LIMIT: Duration = Duration::from_secs(10 * 60);

/// Tells in flight at once in `remote-tell`. A kameo tell is one libp2p request-response
/// stream (answered, even when nobody waits for it), and a connection carries at most
/// `messaging::Config`'s 100 at once: a burst of fire-and-forget tells (`send()`) runs
/// past that and the connection closes (2 000 were enough here). Acknowledged tells
/// (`send_ack()`), this many at a time, deliver them all; sequential ones (one in
/// flight) take a round trip each, and 16 to 96 in flight measured alike.
const TELL_WINDOW: usize = 64;

const ASK_NAME: &str = "bench-ask";
const TELL_NAME: &str = "bench-tell";

#[derive(Actor, RemoteActor, Debug, Default)]
struct Sink {
    seen: u64,
}

/// Echoed: the ask workload.
#[derive(Debug, Serialize, Deserialize)]
struct Echo(Vec<u8>);

/// Counted: the tell workload.
#[derive(Debug, Serialize, Deserialize)]
struct Take(Vec<u8>);

/// How many `Take` were handled.
#[derive(Debug, Serialize, Deserialize)]
struct Seen;

#[remote_message]
impl Message<Echo> for Sink {
    type Reply = Vec<u8>;

    async fn handle(&mut self, Echo(payload): Echo, _: &mut Context<Self, Vec<u8>>) -> Vec<u8> {
        payload
    }
}

#[remote_message]
impl Message<Take> for Sink {
    type Reply = ();

    async fn handle(&mut self, Take(payload): Take, _: &mut Context<Self, ()>) {
        self.seen += payload.len() as u64 / payload.len().max(1) as u64;
    }
}

#[remote_message]
impl Message<Seen> for Sink {
    type Reply = u64;

    async fn handle(&mut self, _: Seen, _: &mut Context<Self, u64>) -> u64 {
        self.seen
    }
}

/// A swarm for kameo's remote actors, this process's actor swarm from now on.
fn swarm() -> Swarm<remote::Behaviour> {
    let swarm = SwarmBuilder::with_new_identity()
        .with_tokio()
        .with_tcp(
            tcp::Config::default(),
            noise::Config::new,
            yamux::Config::default,
        )
        .expect("a TCP transport")
        .with_behaviour(|key| {
            remote::Behaviour::new(
                key.public().to_peer_id(),
                remote::messaging::Config::default(),
            )
        })
        .expect("kameo's behaviour")
        .with_swarm_config(|config| config.with_idle_connection_timeout(Duration::from_secs(60)))
        .build();
    swarm
        .behaviour()
        .try_init_global()
        .expect("one actor swarm in this process");
    swarm
}

/// Drives the swarm for the rest of the process.
fn run(mut swarm: Swarm<remote::Behaviour>) {
    tokio::spawn(async move {
        loop {
            swarm.select_next_some().await;
        }
    });
}

/// The serving node (this binary started with [`SERVE_ARG`]): listens on loopback,
/// registers a `Sink` for each workload, prints its address, and serves until its
/// stdin closes.
pub(crate) async fn serve() {
    let mut swarm = swarm();
    swarm
        .listen_on("/ip4/127.0.0.1/tcp/0".parse().expect("an address"))
        .expect("listening");
    let listening = async {
        loop {
            if let SwarmEvent::NewListenAddr { address, .. } = swarm.select_next_some().await {
                return address;
            }
        }
    };
    let address = tokio::time::timeout(SETUP_LIMIT, listening)
        .await
        .expect("kameo's serving node listens in time");
    let address = address.with(Protocol::P2p(*swarm.local_peer_id()));
    run(swarm);
    for name in [ASK_NAME, TELL_NAME] {
        let sink = Sink::spawn(Sink::default());
        tokio::time::timeout(SETUP_LIMIT, sink.register(name))
            .await
            .expect("registered in time")
            .expect("registered");
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{address}").expect("the address written");
    stdout.flush().expect("the address written");
    drop(stdout);
    let (closed, on_close) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let _ = std::io::stdin().read_to_end(&mut Vec::new());
        let _ = closed.send(());
    });
    let _ = tokio::time::timeout(SERVE_LIMIT, on_close).await;
}

/// The serving node's process: its stdin closed and then reaped when dropped.
#[derive(Debug)]
struct ServingNode(Child);

impl Drop for ServingNode {
    fn drop(&mut self) {
        drop(self.0.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The calling node, connected to a serving node in a process of its own.
#[derive(Debug)]
pub(crate) struct Nodes {
    ask: RemoteActorRef<Sink>,
    tell: RemoteActorRef<Sink>,
    _serving: ServingNode,
}

impl Nodes {
    /// Starts the serving node, dials it, and looks its actors up.
    pub(crate) async fn start() -> Nodes {
        let mut child = Command::new(std::env::current_exe().expect("this binary"))
            .arg(SERVE_ARG)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("kameo's serving node started");
        let stdout = child.stdout.take().expect("its stdout");
        let serving = ServingNode(child);
        let (line, address) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let mut address = String::new();
            let _ = BufReader::new(stdout).read_line(&mut address);
            let _ = line.send(address);
        });
        let address: Multiaddr = tokio::time::timeout(SETUP_LIMIT, address)
            .await
            .expect("kameo's serving node reports its address in time")
            .expect("kameo's serving node reports its address")
            .trim()
            .parse()
            .expect("a multiaddress");
        let Some(Protocol::P2p(server)) = address.iter().last() else {
            panic!("{address} names no peer");
        };

        let mut swarm = swarm();
        // What mDNS discovery does in `remote::bootstrap`: the address reaches kameo's
        // registry (Kademlia), which then routes its lookups to the serving node.
        swarm.add_peer_address(server, address.clone());
        swarm.dial(address).expect("dialed");
        run(swarm);
        Nodes {
            ask: lookup(ASK_NAME, server).await,
            tell: lookup(TELL_NAME, server).await,
            _serving: serving,
        }
    }

    /// `remote-ask`: sequential round trips, the payload echoed. Nanoseconds each.
    pub(crate) async fn ask(&self, rounds: u64) -> f64 {
        let payload = vec![7_u8; crate::PAYLOAD];
        let ask = || async {
            let echoed = self
                .ask
                .ask(&Echo(payload.clone()))
                .await
                .expect("answered");
            assert_eq!(echoed.len(), payload.len());
        };
        let measured = async {
            for _ in 0..rounds / 10 {
                ask().await;
            }
            let started = Instant::now();
            for _ in 0..rounds {
                ask().await;
            }
            started.elapsed()
        };
        let elapsed = tokio::time::timeout(RUN_LIMIT, measured)
            .await
            .expect("kameo remote-ask in time");
        crate::per_op(elapsed, rounds)
    }

    /// `remote-tell`: `count` tells, then one ask that sees them all handled.
    /// Nanoseconds per tell.
    pub(crate) async fn tell(&self, count: u64) -> f64 {
        let payload = vec![7_u8; crate::PAYLOAD];
        let sink = &self.tell;
        let measured = async {
            let started = Instant::now();
            let mut in_flight = FuturesUnordered::new();
            for _ in 0..count {
                if in_flight.len() == TELL_WINDOW {
                    let delivered: Result<(), RemoteSendError> =
                        in_flight.next().await.expect("a tell in flight");
                    delivered.expect("delivered");
                }
                let take = Take(payload.clone());
                in_flight.push(async move { sink.tell(&take).send_ack().await });
            }
            while let Some(delivered) = in_flight.next().await {
                delivered.expect("delivered");
            }
            // Every tell acknowledged is in the mailbox already: this ask comes after.
            let seen = sink.ask(&Seen).await.expect("answered");
            (started.elapsed(), seen)
        };
        let (elapsed, seen) = tokio::time::timeout(RUN_LIMIT, measured)
            .await
            .expect("kameo remote-tell in time");
        assert_eq!(seen, count);
        crate::per_op(elapsed, count)
    }
}

/// The actor registered as `name` on peer `server`, once the registry has it.
async fn lookup(name: &str, server: PeerId) -> RemoteActorRef<Sink> {
    let deadline = Instant::now() + SETUP_LIMIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let found = tokio::time::timeout(left, RemoteActorRef::<Sink>::lookup(name)).await;
        match found {
            Ok(Ok(Some(sink))) if sink.id().peer_id() == Some(&server) => return sink,
            _ if left.is_zero() => panic!("kameo's registry has no {name:?}: {found:?}"),
            _ => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}
