//! The two snippets of the original `messages` README compile and pass as written
//! (closing braces restored, `#[tokio::main]` replaced by a test runtime).
#![allow(unused_mut, unused_variables)] // the original README's style: `let mut addr`, unused `context`

use messages::prelude::*;

struct Example; // Most of the types can be an actor.

// While `Actor` implementation can be customized, it is not required.
impl Actor for Example {}

// Message handler that calculated sum of two numbers.
impl Handler<(u8, u8)> for Example {
    type Result = u16;
    async fn handle(&mut self, (a, b): (u8, u8), context: &Context<Self>) -> u16 {
        (a as u16) + (b as u16)
    }
}

// Notification handler that calculated just writes received number to stdout.
impl Notifiable<u8> for Example {
    async fn notify(&mut self, input: u8, context: &Context<Self>) {
        println!("Received number {}", input);
    }
}

#[tokio::test]
async fn with_runtime_features() {
    messages_tests::within(async {
        let mut addr = Example.spawn();
        let result = addr.send((22, 20)).await.unwrap();
        assert_eq!(result, 42);
        addr.notify(42).await.unwrap();
        addr.stop().await;
        addr.wait_for_stop().await;
    })
    .await;
}

struct Ping;

impl Actor for Ping {}

impl Handler<u8> for Ping {
    type Result = u8;
    async fn handle(&mut self, input: u8, context: &Context<Self>) -> u8 {
        input
    }
}

#[tokio::test]
async fn without_runtime_features() {
    messages_tests::within(async {
        let context = Context::new();
        let mut addr = context.address();
        let actor_handle = tokio::spawn(context.run(Ping));

        let result = addr.send(42).await.unwrap();
        assert_eq!(result, 42);

        addr.stop().await;
        addr.wait_for_stop().await;
        actor_handle.await.unwrap();
    })
    .await;
}
