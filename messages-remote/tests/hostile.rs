//! Hostile bytes at a serving node: random and mutated frames, as queries and as
//! publications, straight from a raw Zenoh session. Every query gets one reply, the
//! node never panics, and the actor goes on serving.

use std::time::Duration;

use messages::prelude::*;
use messages_remote::Node;

#[actor]
#[derive(Debug, Default)]
pub struct Echo {
    seen: u64,
}

#[actor(remote)]
impl Echo {
    #[handler]
    pub fn echo(&mut self, text: String, times: u8) -> String {
        self.seen += 1;
        text.repeat(usize::from(times))
    }

    #[notify]
    pub fn poke(&mut self, by: u64) {
        self.seen += by;
    }

    #[handler]
    pub fn seen(&self) -> u64 {
        self.seen
    }
}

/// xorshift64*: reproducible noise without a dependency.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let len = (self.next() as usize) % (max + 1);
        (0..len).map(|_| self.next() as u8).collect()
    }
}

fn endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    format!(
        "tcp/127.0.0.1:{}",
        listener.local_addr().expect("its address").port()
    )
}

/// A real frame, as a remote address sends it, captured from the wire by a raw
/// queryable standing in for the actor.
async fn captured_frame(raw: &zenoh::Session, node: &Node) -> Vec<u8> {
    let (frames, mut captured) = tokio::sync::mpsc::unbounded_channel();
    let _queryable = raw
        .declare_queryable("messages/hostile/actor/decoy")
        .callback(move |query| {
            let bytes = query
                .payload()
                .map(|p| p.to_bytes().into_owned())
                .unwrap_or_default();
            let _ = frames.send(bytes);
        })
        .await
        .expect("a raw queryable");
    let _token = raw
        .liveliness()
        .declare_token("messages/hostile/alive/decoy/raw")
        .await
        .expect("a raw token");
    let decoy = node
        .lookup_within::<Echo>("decoy", Duration::from_secs(10))
        .await
        .expect("the decoy is found");
    let call = tokio::spawn(
        decoy
            .echo("ab".to_owned(), 3)
            .timeout(Duration::from_millis(200)),
    );
    let frame = tokio::time::timeout(Duration::from_secs(10), captured.recv())
        .await
        .expect("in time")
        .expect("a frame");
    let _ = call.await;
    frame
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_and_mutated_frames_get_error_replies_and_the_node_goes_on() {
    let at = endpoint();
    let server = Node::builder()
        .namespace("hostile")
        .listen(at.clone())
        .start()
        .await
        .expect("starts");
    let echo: EchoAddress = Echo::default().spawn();
    server.publish("echo", &echo).await.expect("published");

    let mut config = zenoh::Config::default();
    config.insert_json5("mode", "\"peer\"").unwrap();
    config
        .insert_json5("scouting/multicast/enabled", "false")
        .unwrap();
    config
        .insert_json5("connect/endpoints", &format!("[{at:?}]"))
        .unwrap();
    let raw = zenoh::open(config).await.expect("a raw session");
    let client = Node::builder()
        .namespace("hostile")
        .connect(at)
        .start()
        .await
        .expect("starts");
    let valid = captured_frame(&raw, &client).await;
    assert!(!valid.is_empty());

    let mut noise = Noise(0x9e37_79b9_7f4a_7c15);
    for round in 0..600 {
        let payload = match round % 3 {
            // Noise.
            0 => noise.bytes(64),
            // A real frame with bytes flipped.
            1 => {
                let mut frame = valid.clone();
                for _ in 0..1 + noise.next() % 4 {
                    let at = (noise.next() as usize) % frame.len();
                    frame[at] ^= 1 << (noise.next() % 8);
                }
                frame
            }
            // A real frame cut short, or with junk after it.
            _ => {
                let mut frame = valid.clone();
                let cut = (noise.next() as usize) % (frame.len() + 8);
                if cut < frame.len() {
                    frame.truncate(cut);
                } else {
                    frame.extend(noise.bytes(8));
                }
                frame
            }
        };
        // As a notification: nothing comes back, and nothing breaks.
        raw.put("messages/hostile/actor/echo", payload.clone())
            .await
            .expect("put");
        // As a request: exactly one reply, in time.
        let replies = raw
            .get("messages/hostile/actor/echo")
            .payload(payload)
            .timeout(Duration::from_secs(10))
            .await
            .expect("a query");
        let mut count = 0;
        while let Ok(reply) = replies.recv_async().await {
            assert!(
                reply.result().is_ok(),
                "round {round}: an engine error instead of a reply"
            );
            count += 1;
        }
        assert_eq!(count, 1, "round {round}: replies");
    }

    // The node and the actor go on serving, locally and from afar.
    let remote = client
        .lookup::<Echo>("echo")
        .await
        .expect("still published");
    assert_eq!(
        tokio::time::timeout(Duration::from_secs(10), remote.echo("x".to_owned(), 2))
            .await
            .expect("in time"),
        Ok("xx".to_owned())
    );
    assert!(echo.seen().await.is_ok());
    drop(raw);
}
