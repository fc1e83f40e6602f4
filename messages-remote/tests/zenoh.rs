//! The remote scenarios on Zenoh: in-process peers on loopback, multicast scouting off
//! (explicit `listen` / `connect`).

use std::time::Duration;

use messages::prelude::*;
use messages_remote::{Node, NodeBuilder, NodeEvent, Role};

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

/// How the first node of a cluster starts (listening on a free endpoint), and how
/// the others join it (connecting there).
fn cluster() -> (NodeBuilder, NodeBuilder) {
    let at = free_endpoint();
    (starting().listen(at.clone()), starting().connect(at))
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

/// A Zenoh router in the middle of two client nodes (which reach each other only
/// through it): calls, notifications in order, the router's own actor, membership
/// events, and the loss of a node, all carried by the router.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_router_in_the_middle_carries_everything() {
    use scenarios::{Calc, CalcAddress, within};

    let at = free_endpoint();
    let joining = |role: Role| {
        starting()
            .role(role)
            .namespace("routed")
            .connect(at.clone())
            .lookup_timeout(Duration::from_secs(5))
    };
    let router = starting()
        .role(Role::Router)
        .namespace("routed")
        .listen(at.clone())
        .start()
        .await
        .expect("the router starts");
    let serving = joining(Role::Client).start().await.expect("starts");
    let calling = joining(Role::Client).start().await.expect("starts");
    let mut events = calling.events().await.expect("events");
    let mut joined = vec![
        within(events.next()).await.expect("an event"),
        within(events.next()).await.expect("an event"),
    ];
    joined.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    let mut expected = vec![
        NodeEvent::Joined(router.id().clone()),
        NodeEvent::Joined(serving.id().clone()),
    ];
    expected.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    assert_eq!(joined, expected);

    let calc: CalcAddress = Calc::default().spawn();
    within(serving.publish("calc", &calc))
        .await
        .expect("published");
    let on_router: CalcAddress = Calc::default().spawn();
    within(router.publish("router-calc", &on_router))
        .await
        .expect("published");
    let remote = within(calling.lookup_within::<Calc>("calc", Duration::from_secs(10)))
        .await
        .expect("found through the router");
    for n in 0..20 {
        remote.note(format!("note {n}")).await.expect("sent");
    }
    assert_eq!(within(remote.add(2, 3)).await, Ok(5));
    let log = within(remote.log()).await.expect("answered");
    let expected: Vec<String> = (0..20)
        .map(|n| format!("note {n}"))
        .chain(std::iter::once("add 2 3".to_owned()))
        .collect();
    assert_eq!(log, expected);
    let routers = within(calling.lookup::<Calc>("router-calc"))
        .await
        .expect("found");
    assert_eq!(within(routers.add(1, 1)).await, Ok(2));

    // The serving node goes: the router tells the caller.
    let serving_id = serving.id().clone();
    drop(serving);
    assert_eq!(
        within(events.next()).await,
        Some(NodeEvent::Left(serving_id))
    );
    assert_eq!(
        within(remote.wait_for_stop()).await,
        StopReason::Unreachable
    );
    assert_eq!(within(routers.add(1, 1)).await, Ok(4));
}

/// Membership events reach an actor through a stream forwarder (`NodeEvents` is a
/// `Stream`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_events_reach_an_actor() {
    struct Roster(tokio::sync::mpsc::UnboundedSender<NodeEvent>);
    impl Actor for Roster {}
    impl Notifiable<NodeEvent> for Roster {
        async fn notify(&mut self, event: NodeEvent, _: &Context<Self>) {
            let _ = self.0.send(event);
        }
    }

    let (first, joining) = cluster();
    let node = first.namespace("roster").start().await.expect("starts");
    let (heard, mut hearing) = tokio::sync::mpsc::unbounded_channel();
    let roster = Roster(heard).spawn();
    roster.spawn_stream_forwarder(node.events().await.expect("events"));
    let other = joining.namespace("roster").start().await.expect("starts");
    assert_eq!(
        scenarios::within(hearing.recv()).await,
        Some(NodeEvent::Joined(other.id().clone()))
    );
    let id = other.id().clone();
    scenarios::within(other.close()).await;
    assert_eq!(
        scenarios::within(hearing.recv()).await,
        Some(NodeEvent::Left(id))
    );
}
