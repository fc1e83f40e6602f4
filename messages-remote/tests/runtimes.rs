//! The remote layer from executors the engine does not run on: a current-thread tokio
//! runtime (where Zenoh itself panics opening or dropping a session) and smol.

use std::time::Duration;

use messages::prelude::*;
use messages_remote::Node;

#[actor]
#[derive(Debug, Default)]
pub struct Counter {
    count: u64,
}

#[actor(remote)]
impl Counter {
    #[handler]
    pub fn bump(&mut self, by: u64) -> u64 {
        self.count += by;
        self.count
    }
}

fn endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    format!(
        "tcp/127.0.0.1:{}",
        listener.local_addr().expect("its address").port()
    )
}

/// Publishes a counter on one node, calls it from another, drops both nodes: all on
/// the caller's executor.
async fn round_trip(
    namespace: &str,
    spawn_counter: impl FnOnce() -> CounterAddress,
) -> Result<u64, String> {
    let at = endpoint();
    let server = Node::builder()
        .namespace(namespace)
        .listen(at.clone())
        .start()
        .await
        .map_err(|e| e.to_string())?;
    let client = Node::builder()
        .namespace(namespace)
        .connect(at)
        .start()
        .await
        .map_err(|e| e.to_string())?;
    let counter = spawn_counter();
    server
        .publish("counter", &counter)
        .await
        .map_err(|e| e.to_string())?;
    let remote = client
        .lookup_within::<Counter>("counter", Duration::from_secs(10))
        .await
        .map_err(|e| e.to_string())?;
    remote.bump(2).await.map_err(|e| e.to_string())?;
    let total = remote.bump(3).await.map_err(|e| e.to_string())?;
    drop(remote);
    drop(client);
    drop(server);
    Ok(total)
}

#[test]
fn from_a_current_thread_tokio_runtime() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let total = runtime.block_on(async {
        tokio::time::timeout(
            Duration::from_secs(30),
            round_trip("current-thread", || Counter::default().spawn()),
        )
        .await
        .expect("in time")
    });
    assert_eq!(total, Ok(5));
}

#[test]
fn from_smol() {
    let total = smol::block_on(async {
        let deadline = async {
            smol::Timer::after(Duration::from_secs(30)).await;
            Err("timed out".to_owned())
        };
        smol::future::or(
            round_trip("smol", || {
                Counter::default().spawn_on(&messages::runtime::Smol)
            }),
            deadline,
        )
        .await
    });
    assert_eq!(total, Ok(5));
}
