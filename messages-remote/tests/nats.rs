//! The remote scenarios on NATS, against the `nats-server` whose URL is in
//! `MESSAGES_NATS_URL` (`.ci/run` installs and starts one on a free loopback port).
//! Without it these tests fail: they are never skipped.

#![cfg(feature = "nats")]

use std::time::Duration;

use messages_remote::{Engine, Node, NodeBuilder};

#[path = "scenarios/mod.rs"]
mod scenarios;

/// The server the tests use.
fn server_url() -> String {
    std::env::var("MESSAGES_NATS_URL").expect(
        "MESSAGES_NATS_URL names the nats-server to test against (.ci/run starts one: \
         `nats-server -a 127.0.0.1 -p PORT`, then MESSAGES_NATS_URL=nats://127.0.0.1:PORT)",
    )
}

/// A URL nobody serves.
fn dead_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("its address").port();
    format!("nats://127.0.0.1:{port}")
}

/// A builder for this engine.
fn starting() -> NodeBuilder {
    Node::builder().engine(Engine::Nats)
}

/// How the first node of a cluster starts, and how the others join it: all
/// connect to the server.
fn cluster() -> (NodeBuilder, NodeBuilder) {
    let url = server_url();
    (starting().connect(url.clone()), starting().connect(url))
}

/// Hostile bytes at a serving node, from a raw NATS client: each request gets one
/// reply, the node never panics, and the actor goes on serving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_bytes_get_replies_and_the_node_goes_on() {
    let (server, client) = scenarios::pair("nats-hostile").await;
    let calc: scenarios::CalcAddress = scenarios::Calc::default().spawn();
    server.publish("calc", &calc).await.expect("published");
    let remote = client
        .lookup::<scenarios::Calc>("calc")
        .await
        .expect("found");
    let raw = async_nats::connect(server_url())
        .await
        .expect("a raw client");
    let subject = "messages.nats-hostile.actor.calc";
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for round in 0..300 {
        let len = (round * 7) % 80;
        let payload: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        raw.publish(subject, payload.clone().into())
            .await
            .expect("published");
        let reply = tokio::time::timeout(
            Duration::from_secs(10),
            raw.request(subject, payload.into()),
        )
        .await
        .expect("in time");
        assert!(reply.is_ok(), "round {round}: {reply:?}");
    }
    assert_eq!(remote.add(2, 2).await, Ok(4));
}

/// Against a server that requires a user and password (`MESSAGES_NATS_AUTH_URL`,
/// started by `.ci/run` with `--user messages --pass secret`): the pair gets in; no
/// pair, or another, is refused with the server's words.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_servers_credentials_are_required() {
    use messages_remote::RemoteError;

    let url = std::env::var("MESSAGES_NATS_AUTH_URL").expect(
        "MESSAGES_NATS_AUTH_URL names a nats-server started with --user messages --pass secret",
    );
    let member = |password: &str| {
        starting()
            .namespace("nats-credentials")
            .connect(url.clone())
            .credentials("messages", password)
            .connect_timeout(Duration::from_secs(2))
    };
    let server = member("secret").start().await.expect("the pair gets in");
    let calc: scenarios::CalcAddress = scenarios::Calc::default().spawn();
    server.publish("calc", &calc).await.expect("published");
    let client = member("secret").start().await.expect("the pair gets in");
    let remote = client
        .lookup::<scenarios::Calc>("calc")
        .await
        .expect("found");
    assert_eq!(remote.add(2, 3).await, Ok(5));

    let wrong = member("a guess").start().await;
    assert!(matches!(wrong, Err(RemoteError::Refused(_))), "{wrong:?}");
    let none = starting()
        .namespace("nats-credentials")
        .connect(url.clone())
        .connect_timeout(Duration::from_secs(2))
        .start()
        .await;
    assert!(matches!(none, Err(RemoteError::Refused(_))), "{none:?}");
}

/// A heartbeat that arrives after its node's goodbye (one on its way as the node
/// closed) is not a new join: the node stays gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_heartbeat_after_a_goodbye_is_not_a_join() {
    use messages_remote::NodeEvent;

    let (watching, other) = scenarios::pair("nats-late-beat").await;
    let mut events = watching.events().await.expect("events");
    // The other node first (its first heartbeats may come before the subscription).
    assert_eq!(
        scenarios::within(events.next()).await,
        Some(NodeEvent::Joined(other.id().clone()))
    );
    let raw = async_nats::connect(server_url())
        .await
        .expect("a raw client");
    // A node of its own shape (32 hex digits), spoken for by the raw client.
    let ghost = "0123456789abcdef0123456789abcdef";
    let subject = format!("messages.nats-late-beat.node.{ghost}");
    let beat = || raw.publish(subject.clone(), Vec::new().into());
    // It beats (as a node does, every 100 ms) until the watching node has heard it:
    // the watching node's subscription reaches the server in its own time.
    let joined = scenarios::within(async {
        loop {
            beat().await.expect("a heartbeat");
            raw.flush().await.expect("flushed");
            let heard = tokio::time::timeout(Duration::from_millis(100), events.next()).await;
            match heard {
                Ok(Some(NodeEvent::Joined(id))) if id.as_str() == ghost => return,
                Ok(Some(event)) => panic!("only the ghost beats: {event:?}"),
                Err(_) => {}
                Ok(None) => panic!("the events ended"),
            }
        }
    });
    joined.await;
    raw.publish(subject.clone(), "goodbye".into())
        .await
        .expect("a goodbye");
    beat().await.expect("a late heartbeat");
    raw.flush().await.expect("flushed");
    match scenarios::within(events.next()).await {
        Some(NodeEvent::Left(id)) => assert_eq!(id.as_str(), ghost),
        other => panic!("expected the ghost to leave, got {other:?}"),
    }
    // The next event is not the ghost's return: the other node leaving is.
    let other_id = other.id().clone();
    scenarios::within(other.close()).await;
    assert_eq!(
        scenarios::within(events.next()).await,
        Some(NodeEvent::Left(other_id))
    );
}
