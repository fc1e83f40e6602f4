//! Remote calls between two nodes in one process, against the raw engine doing the
//! same work with the same payload: `remote-ask` (sequential round trips: a typed
//! call against a Zenoh `get` to a queryable, or a NATS request) and `remote-tell`
//! (100 000 notifications, then one request that sees them all handled, against puts
//! to a subscriber that counts them, then one round trip). Ratios are the figures that
//! count (machines here are shared and noisy).
//!
//! `cargo run --release -p messages-bench --bin messages-remote-bench [--features nats,kameo-remote] [-- --quick] [-- --only ROW]`
//! (NATS rows need `MESSAGES_NATS_URL=nats://127.0.0.1:PORT` of a running `nats-server`;
//! `--only zenoh-ask` (or `zenoh-tell`, `nats-ask`, `nats-tell`, `kameo`) runs that row
//! alone, its raw engine beside it: for a profiler).
//!
//! With the `kameo-remote` feature, kameo's remote actors (kameo 0.22 on libp2p: TCP,
//! noise, yamux, its Kademlia registry) do the same two workloads with the same payload,
//! in rows beside ours with their ratio against the same raw Zenoh rows of the run.
//! kameo keeps one actor swarm per process, so its serving node is this binary started
//! again on loopback (see `remote_peers/kameo.rs`). The feature builds libp2p, so it is
//! off by default: `--features kameo-remote` (or `--all-features`) turns it on.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use messages::prelude::*;
use messages_remote::{Engine, Node};

/// Peers measured beside `messages-remote`, each behind its cargo feature.
#[cfg(feature = "kameo-remote")]
mod remote_peers {
    pub(crate) mod kameo;
}

#[actor]
#[derive(Debug, Default)]
pub struct Sink {
    seen: u64,
}

#[actor(remote)]
impl Sink {
    /// Echoes the payload: the ask workload.
    #[handler]
    pub fn echo(&mut self, payload: Vec<u8>) -> Vec<u8> {
        payload
    }

    /// Counts: the tell workload.
    #[notify]
    pub fn take(&mut self, payload: Vec<u8>) {
        self.seen += payload.len() as u64 / payload.len().max(1) as u64;
    }

    #[handler]
    pub fn seen(&self) -> u64 {
        self.seen
    }
}

const PAYLOAD: usize = 16;

fn free_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    format!(
        "tcp/127.0.0.1:{}",
        listener.local_addr().expect("address").port()
    )
}

fn per_op(elapsed: Duration, ops: u64) -> f64 {
    elapsed.as_nanos() as f64 / ops as f64
}

/// Two messages nodes on `engine`: (server, client).
async fn nodes(engine: Engine, namespace: &str) -> (Node, Node) {
    let (server, client) = match engine {
        Engine::Zenoh => {
            let at = free_endpoint();
            (
                Node::builder().namespace(namespace).listen(at.clone()),
                Node::builder().namespace(namespace).connect(at),
            )
        }
        #[allow(unreachable_patterns)]
        _ => {
            let url = std::env::var("MESSAGES_NATS_URL").expect("MESSAGES_NATS_URL");
            (
                Node::builder()
                    .engine(engine)
                    .namespace(namespace)
                    .connect(url.clone()),
                Node::builder()
                    .engine(engine)
                    .namespace(namespace)
                    .connect(url),
            )
        }
    };
    let server = server.start().await.expect("the serving node");
    let client = client.start().await.expect("the calling node");
    (server, client)
}

async fn messages_ask(engine: Engine, rounds: u64) -> f64 {
    let (server, client) = nodes(engine, "bench-ask").await;
    let sink: SinkAddress = Sink::default().spawn();
    server.publish("sink", &sink).await.expect("published");
    let remote = client.lookup::<Sink>("sink").await.expect("found");
    let payload = vec![7_u8; PAYLOAD];
    for _ in 0..rounds / 10 {
        remote.echo(payload.clone()).await.expect("warm-up");
    }
    let started = Instant::now();
    for _ in 0..rounds {
        remote.echo(payload.clone()).await.expect("answered");
    }
    per_op(started.elapsed(), rounds)
}

async fn messages_tell(engine: Engine, count: u64) -> f64 {
    let (server, client) = nodes(engine, "bench-tell").await;
    let sink: SinkAddress = Sink::default().spawn();
    server.publish("sink", &sink).await.expect("published");
    let remote = client.lookup::<Sink>("sink").await.expect("found");
    let payload = vec![7_u8; PAYLOAD];
    let started = Instant::now();
    for _ in 0..count {
        remote.take(payload.clone()).await.expect("sent");
    }
    // In order with the notifications: answered once all are handled.
    assert_eq!(remote.seen().await, Ok(count));
    per_op(started.elapsed(), count)
}

/// Two raw Zenoh peers on loopback, as a node opens them.
async fn zenoh_pair() -> (zenoh::Session, zenoh::Session) {
    let at = free_endpoint();
    let open = |key: &str, at: &str| {
        let mut config = zenoh::Config::default();
        config.insert_json5("mode", "\"peer\"").unwrap();
        config
            .insert_json5("scouting/multicast/enabled", "false")
            .unwrap();
        config.insert_json5(key, &format!("[{at:?}]")).unwrap();
        zenoh::open(config)
    };
    let server = open("listen/endpoints", &at).await.expect("a raw peer");
    let client = open("connect/endpoints", &at).await.expect("a raw peer");
    // Until they see each other.
    while client.info().peers_zid().await.next().is_none() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    (server, client)
}

/// Raw `get`s to `raw/ask` from `client`, one after the other: ns per round trip
/// (after a tenth as many to warm up).
async fn round_trips(client: &zenoh::Session, rounds: u64) -> f64 {
    tokio::time::sleep(Duration::from_millis(200)).await;
    let payload = vec![7_u8; PAYLOAD];
    let ask = || async {
        let replies = client
            .get("raw/ask")
            .payload(payload.clone())
            .await
            .expect("a query");
        replies.recv_async().await.expect("a reply");
    };
    for _ in 0..rounds / 10 {
        ask().await;
    }
    let started = Instant::now();
    for _ in 0..rounds {
        ask().await;
    }
    per_op(started.elapsed(), rounds)
}

async fn zenoh_ask(rounds: u64) -> f64 {
    let (server, client) = zenoh_pair().await;
    let _queryable = server
        .declare_queryable("raw/ask")
        .callback(|query| {
            let payload = query
                .payload()
                .map(|p| p.to_bytes().into_owned())
                .unwrap_or_default();
            use zenoh::Wait;
            let _ = query.reply(query.key_expr().clone(), payload).wait();
        })
        .await
        .expect("a queryable");
    round_trips(&client, rounds).await
}

async fn zenoh_tell(count: u64) -> f64 {
    let (server, client) = zenoh_pair().await;
    let seen = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&seen);
    let (done, finished) = tokio::sync::oneshot::channel();
    let done = std::sync::Mutex::new(Some(done));
    let _subscriber = server
        .declare_subscriber("raw/tell")
        .callback(move |_| {
            if counter.fetch_add(1, Ordering::Relaxed) + 1 == count {
                if let Some(done) = done.lock().unwrap().take() {
                    let _ = done.send(());
                }
            }
        })
        .await
        .expect("a subscriber");
    let publisher = client
        .declare_publisher("raw/tell")
        .congestion_control(zenoh::qos::CongestionControl::Block)
        .await
        .expect("a publisher");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let payload = vec![7_u8; PAYLOAD];
    let started = Instant::now();
    for _ in 0..count {
        publisher.put(payload.clone()).await.expect("put");
    }
    finished.await.expect("all counted");
    per_op(started.elapsed(), count)
}

/// Raw Zenoh round trips whose queryable hands each query to a task that answers it:
/// the raw engine plus the one thread hop an actor cannot avoid (it runs in a task of
/// its own, not in the engine's callback). The floor of an actor's remote ask.
async fn zenoh_ask_through_a_task(rounds: u64) -> f64 {
    let (server, client) = zenoh_pair().await;
    let (queries, mut answering) = tokio::sync::mpsc::unbounded_channel::<zenoh::query::Query>();
    let answerer = tokio::spawn(async move {
        while let Some(query) = answering.recv().await {
            let payload = query
                .payload()
                .map(|p| p.to_bytes().into_owned())
                .unwrap_or_default();
            let _ = query.reply(query.key_expr().clone(), payload).await;
        }
    });
    let _queryable = server
        .declare_queryable("raw/ask")
        .callback(move |query| {
            let _ = queries.send(query);
        })
        .await
        .expect("a queryable");
    let timed = round_trips(&client, rounds).await;
    answerer.abort();
    timed
}

/// Raw Zenoh puts whose subscriber hands each sample to a task that counts it: the
/// raw engine plus the one thread hop an actor cannot avoid. The floor of an actor's
/// remote tell.
async fn zenoh_tell_through_a_task(count: u64) -> f64 {
    let (server, client) = zenoh_pair().await;
    let (samples, mut counting) = tokio::sync::mpsc::unbounded_channel::<zenoh::sample::Sample>();
    let counted = tokio::spawn(async move {
        for _ in 0..count {
            counting.recv().await.expect("a sample");
        }
    });
    let _subscriber = server
        .declare_subscriber("raw/tell")
        .callback(move |sample| {
            let _ = samples.send(sample);
        })
        .await
        .expect("a subscriber");
    let publisher = client
        .declare_publisher("raw/tell")
        .congestion_control(zenoh::qos::CongestionControl::Block)
        .await
        .expect("a publisher");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let payload = vec![7_u8; PAYLOAD];
    let started = Instant::now();
    for _ in 0..count {
        publisher.put(payload.clone()).await.expect("put");
    }
    tokio::time::timeout(Duration::from_secs(120), counted)
        .await
        .expect("every sample counted within 2 minutes")
        .expect("all counted");
    per_op(started.elapsed(), count)
}

#[cfg(feature = "nats")]
async fn nats_ask(rounds: u64) -> f64 {
    use futures_free::next;
    let url = std::env::var("MESSAGES_NATS_URL").expect("MESSAGES_NATS_URL");
    let server = async_nats::connect(url.clone())
        .await
        .expect("a raw client");
    let client = async_nats::connect(url).await.expect("a raw client");
    let mut requests = server.subscribe("raw.ask").await.expect("a subscription");
    let responder = server.clone();
    tokio::spawn(async move {
        while let Some(request) = next(&mut requests).await {
            if let Some(reply) = request.reply {
                let _ = responder.publish(reply, request.payload).await;
            }
        }
    });
    server.flush().await.expect("flushed");
    tokio::time::sleep(Duration::from_millis(100)).await;
    let payload = vec![7_u8; PAYLOAD];
    for _ in 0..rounds / 10 {
        client
            .request("raw.ask", payload.clone().into())
            .await
            .expect("answered");
    }
    let started = Instant::now();
    for _ in 0..rounds {
        client
            .request("raw.ask", payload.clone().into())
            .await
            .expect("answered");
    }
    per_op(started.elapsed(), rounds)
}

#[cfg(feature = "nats")]
async fn nats_tell(count: u64) -> f64 {
    use futures_free::next;
    let url = std::env::var("MESSAGES_NATS_URL").expect("MESSAGES_NATS_URL");
    // Room for every message: the client drops what its subscription has no room
    // for (a "slow consumer"), and the count would never be reached.
    let server = async_nats::ConnectOptions::new()
        .subscription_capacity(usize::try_from(count).expect("a count") + 16)
        .connect(url.clone())
        .await
        .expect("a raw client");
    let client = async_nats::connect(url).await.expect("a raw client");
    let mut told = server.subscribe("raw.tell").await.expect("a subscription");
    server.flush().await.expect("flushed");
    tokio::time::sleep(Duration::from_millis(100)).await;
    let counting = tokio::spawn(async move {
        for _ in 0..count {
            next(&mut told).await.expect("a message");
        }
    });
    let payload = vec![7_u8; PAYLOAD];
    let started = Instant::now();
    for _ in 0..count {
        client
            .publish("raw.tell", payload.clone().into())
            .await
            .expect("published");
    }
    tokio::time::timeout(Duration::from_secs(120), counting)
        .await
        .expect("raw NATS delivered every notification within 2 minutes")
        .expect("all counted");
    per_op(started.elapsed(), count)
}

#[cfg(feature = "nats")]
mod futures_free {
    use std::future::poll_fn;
    use std::pin::Pin;

    /// The next item of a stream, without a futures dependency.
    pub(crate) async fn next<S: futures_core::Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
        poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
    }
}

/// One row: `framework` against the raw engine's figure for the same work.
fn row(workload: &str, framework: &str, raw_engine: &str, raw: f64, measured: f64) {
    println!(
        "| {workload} | {framework} | {raw_engine} | {:.0} | {:.0} | {:.2}x |",
        raw,
        measured,
        measured / raw
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    #[cfg(feature = "kameo-remote")]
    if std::env::args().any(|arg| arg == remote_peers::kameo::SERVE_ARG) {
        remote_peers::kameo::serve().await;
        return;
    }
    let quick = std::env::args().any(|arg| arg == "--quick");
    let only = std::env::args().skip_while(|arg| arg != "--only").nth(1);
    let runs = |row: &str| only.as_deref().is_none_or(|only| only == row);
    let (rounds, count) = if quick {
        (200, 2_000)
    } else {
        (5_000, 100_000)
    };
    println!(
        "cores: {}; two nodes in one process, loopback; ns per operation (mean)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    #[cfg(feature = "kameo-remote")]
    println!("kameo remote: its serving node in a second process (one actor swarm a process)");
    println!();
    println!("| workload | framework | raw engine | raw ns | framework ns | ratio |");
    println!("| --- | --- | --- | ---: | ---: | ---: |");
    let kameo_runs = runs("kameo");
    let zenoh_asked = if runs("zenoh-ask") || kameo_runs {
        zenoh_ask(rounds).await
    } else {
        0.0
    };
    if runs("zenoh-ask") {
        row(
            "remote-ask",
            "raw zenoh, answered in a task (the floor)",
            "zenoh get",
            zenoh_asked,
            zenoh_ask_through_a_task(rounds).await,
        );
        row(
            "remote-ask",
            "messages-remote (zenoh)",
            "zenoh get",
            zenoh_asked,
            messages_ask(Engine::Zenoh, rounds).await,
        );
    }
    let zenoh_told = if runs("zenoh-tell") || kameo_runs {
        zenoh_tell(count).await
    } else {
        0.0
    };
    if runs("zenoh-tell") {
        row(
            "remote-tell",
            "raw zenoh, counted in a task (the floor)",
            "zenoh put",
            zenoh_told,
            zenoh_tell_through_a_task(count).await,
        );
        row(
            "remote-tell",
            "messages-remote (zenoh)",
            "zenoh put",
            zenoh_told,
            messages_tell(Engine::Zenoh, count).await,
        );
    }
    #[cfg(feature = "nats")]
    if std::env::var_os("MESSAGES_NATS_URL").is_some() {
        if runs("nats-ask") {
            row(
                "remote-ask",
                "messages-remote (nats)",
                "nats request",
                nats_ask(rounds).await,
                messages_ask(Engine::Nats, rounds).await,
            );
        }
        if runs("nats-tell") {
            row(
                "remote-tell",
                "messages-remote (nats)",
                "nats publish",
                nats_tell(count).await,
                messages_tell(Engine::Nats, count).await,
            );
        }
    }
    #[cfg(feature = "kameo-remote")]
    if kameo_runs {
        let kameo = remote_peers::kameo::Nodes::start().await;
        row(
            "remote-ask",
            "kameo remote (libp2p tcp)",
            "zenoh get",
            zenoh_asked,
            kameo.ask(rounds).await,
        );
        row(
            "remote-tell",
            "kameo remote (libp2p tcp)",
            "zenoh put",
            zenoh_told,
            kameo.tell(count).await,
        );
    }
}
