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

/// Two nodes on the server, in a namespace of their own.
async fn pair(namespace: &str) -> (Node, Node) {
    let url = server_url();
    let server = starting()
        .namespace(namespace)
        .connect(url.clone())
        .start()
        .await
        .expect("the serving node starts");
    let client = starting()
        .namespace(namespace)
        .connect(url)
        .lookup_timeout(Duration::from_secs(5))
        .request_timeout(Duration::from_secs(5))
        .start()
        .await
        .expect("the calling node starts");
    (server, client)
}
