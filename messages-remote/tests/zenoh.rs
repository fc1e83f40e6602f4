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

/// With credentials, only nodes that present the same pair join: the others are
/// never connected, so they reach no actor.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_keep_other_nodes_out() {
    use messages_remote::RemoteError;

    let at = free_endpoint();
    let server = starting()
        .namespace("credentials")
        .listen(at.clone())
        .credentials("messages", "a shared secret")
        .start()
        .await
        .expect("starts");
    let calc: scenarios::CalcAddress = scenarios::Calc::default().spawn();
    server.publish("calc", &calc).await.expect("published");

    let member = starting()
        .namespace("credentials")
        .connect(at.clone())
        .credentials("messages", "a shared secret")
        .start()
        .await
        .expect("a node with the pair joins");
    let remote = member
        .lookup_within::<scenarios::Calc>("calc", Duration::from_secs(10))
        .await
        .expect("found");
    assert_eq!(remote.add(1, 2).await, Ok(3));

    for (who, credentials) in [("none", None), ("wrong", Some(("messages", "a guess")))] {
        let mut builder = starting()
            .namespace("credentials")
            .connect(at.clone())
            .connect_timeout(Duration::from_millis(500));
        if let Some((user, password)) = credentials {
            builder = builder.credentials(user, password);
        }
        assert_eq!(
            builder.start().await.err(),
            Some(RemoteError::Unreachable(at.clone())),
            "{who}"
        );
    }
}
