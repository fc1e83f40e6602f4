//! The remote scenarios on Zenoh: in-process peers on loopback, multicast scouting off
//! (explicit `listen` / `connect`).

use std::time::Duration;

use messages_remote::{Node, NodeBuilder};

#[path = "scenarios/mod.rs"]
mod scenarios;

/// A free loopback endpoint.
fn free_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("its address").port();
    format!("tcp/127.0.0.1:{port}")
}

/// An endpoint nobody listens on.
fn dead_endpoint() -> String {
    free_endpoint()
}

/// A builder for this engine.
fn starting() -> NodeBuilder {
    Node::builder()
}

/// Two connected nodes, in a namespace of their own.
async fn pair(namespace: &str) -> (Node, Node) {
    let at = free_endpoint();
    let server = starting()
        .namespace(namespace)
        .listen(at.clone())
        .start()
        .await
        .expect("the serving node starts");
    let client = starting()
        .namespace(namespace)
        .connect(at)
        .lookup_timeout(Duration::from_secs(5))
        .request_timeout(Duration::from_secs(5))
        .start()
        .await
        .expect("the calling node starts");
    (server, client)
}
