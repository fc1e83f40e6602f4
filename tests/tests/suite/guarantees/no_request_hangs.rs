// Pins guarantee 2 of the crate docs (`messages`, "Guarantees and failure model").
//! Guarantee 2: no request hangs. Every `send` resolves — with the answer, or with an
//! error whichever way the actor ends: stopped, panicked, killed, cancelled (its run
//! future dropped), never run (its context dropped), or told by a timeout.

use std::time::Duration;

use futures::FutureExt;
use messages::prelude::*;
use messages_tests::{Gate, Rt, every_executor};
use tokio::sync::oneshot;

struct Worker;

impl Actor for Worker {}

/// Tells the test it runs, then waits on the gate; panics after it if asked.
struct Hold {
    entered: oneshot::Sender<()>,
    gate: Gate,
    panic: bool,
}

impl Notifiable<Hold> for Worker {
    async fn notify(&mut self, hold: Hold, _: &Context<Self>) {
        let _ = hold.entered.send(());
        hold.gate.pass().await;
        assert!(!hold.panic, "boom");
    }
}

impl Handler<u32> for Worker {
    type Result = u32;
    async fn handle(&mut self, n: u32, _: &Context<Self>) -> u32 {
        n
    }
}

/// How the actor ends while requests wait behind a held handler.
#[derive(Debug, Clone, Copy)]
enum Ending {
    GracefulStop,
    Panic,
    Kill,
}

async fn requests_behind(rt: &Rt, ending: Ending) {
    let address = Worker.spawn_on(rt);
    let (entered, inside) = oneshot::channel();
    let (gate, key) = Gate::new();
    let panic = matches!(ending, Ending::Panic);
    address
        .notify(Hold {
            entered,
            gate,
            panic,
        })
        .await
        .unwrap();
    inside.await.unwrap();
    let waiting: Vec<_> = (0..3).map(|n| address.try_send(n).unwrap()).collect();
    match ending {
        Ending::GracefulStop => {
            // Sent before the stop: answered.
            address.stop().await;
        }
        Ending::Kill => address.kill(),
        Ending::Panic => {}
    }
    let late = address.try_send(99);
    key.open();
    for (n, reply) in (0_u32..).zip(waiting) {
        let answer = reply.await;
        match ending {
            Ending::GracefulStop => assert_eq!(answer, Ok(n), "{ending:?}"),
            Ending::Kill | Ending::Panic => {
                assert_eq!(answer, Err(SendError::Unanswered), "{ending:?}")
            }
        }
    }
    if let Ok(late) = late {
        // Queued behind the stop or the failure: refused, never left hanging.
        assert!(late.await.is_err(), "{ending:?}");
    }
    address.wait_for_stop().await;
    assert!(address.send(1).await.is_err(), "{ending:?}");
}

async fn every_ending_resolves_every_request(rt: Rt) {
    for ending in [Ending::GracefulStop, Ending::Panic, Ending::Kill] {
        requests_behind(&rt, ending).await;
    }
}

async fn a_cancelled_or_unused_actor_resolves_its_requests(rt: Rt) {
    // The run future is dropped mid-way.
    let context = Context::new();
    let address = context.address();
    let (entered, _inside) = oneshot::channel();
    let (gate, _key) = Gate::new();
    address
        .notify(Hold {
            entered,
            gate,
            panic: false,
        })
        .await
        .unwrap();
    let waiting = address.try_send(1).unwrap();
    assert!(context.run(Worker).now_or_never().is_none());
    assert_eq!(waiting.await, Err(SendError::Unanswered));

    // The context is dropped without ever running.
    let context = Context::<Worker>::new();
    let address = context.address();
    let waiting = address.try_send(2).unwrap();
    drop(context);
    assert_eq!(waiting.await, Err(SendError::Unanswered));
    let _ = rt;
}

every_executor!(
    every_ending_resolves_every_request,
    a_cancelled_or_unused_actor_resolves_its_requests,
);

#[tokio::test(start_paused = true)]
async fn a_request_the_actor_sits_on_resolves_by_timeout() {
    let address = Worker.spawn();
    let (entered, inside) = oneshot::channel();
    let (gate, key) = Gate::new();
    address
        .notify(Hold {
            entered,
            gate,
            panic: false,
        })
        .await
        .unwrap();
    inside.await.unwrap();
    let stuck = address.send(1).timeout(Duration::from_secs(30)).await;
    assert_eq!(stuck, Err(SendError::Timeout));
    key.open();
    assert_eq!(address.send(2).await, Ok(2));
}
