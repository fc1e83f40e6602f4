// Pins guarantee 9 of the crate docs (`messages`, "Guarantees and failure model").
//! Request timeouts: `Timeout` on expiry, the late answer discarded, the actor unaffected;
//! typed-address calls get the same option. Timed with tokio's paused clock.

use std::time::Duration;

use messages::prelude::*;
use messages::runtime::{Smol, Tokio};
use messages_tests::{Gate, Log, within};

#[actor]
#[derive(Debug, Default)]
pub struct Slow {
    log: Log,
}

#[actor]
impl Slow {
    /// Waits on the gate, then answers.
    #[handler]
    pub async fn wait(&mut self, gate: Gate) -> &'static str {
        gate.pass().await;
        self.log.push("handled late");
        "late"
    }

    #[handler]
    pub fn quick(&mut self) -> &'static str {
        self.log.push("quick");
        "quick"
    }
}

#[tokio::test(start_paused = true)]
async fn an_expired_request_fails_and_the_actor_goes_on() {
    let log = Log::default();
    let slow = Slow { log: log.clone() }.spawn();
    let (gate, key) = Gate::new();
    let late = slow.wait(gate).timeout(Duration::from_secs(1)).await;
    assert_eq!(late, Err(SendError::Timeout));
    key.open();
    // The timed-out request was handled all the same; its answer was discarded.
    assert_eq!(
        slow.quick().timeout(Duration::from_secs(1)).await,
        Ok("quick")
    );
    assert_eq!(log.events(), ["handled late", "quick"]);
}

#[tokio::test(start_paused = true)]
async fn the_plain_api_and_replies_time_out_too() {
    let slow = Slow::default().spawn();
    let (gate, key) = Gate::new();
    let reply = slow.try_send(slow::Wait { gate }).unwrap();
    let expired = reply.timeout_on(Duration::from_millis(50), &Tokio).await;
    assert_eq!(expired, Err(SendError::Timeout));
    assert_eq!(
        slow.send(slow::Quick).timeout(Duration::from_secs(1)).await,
        Err(SendError::Timeout),
        "queued behind the held request"
    );
    key.open();
    assert_eq!(
        slow.send(slow::Quick).timeout(Duration::from_secs(1)).await,
        Ok("quick")
    );
}

#[tokio::test(start_paused = true)]
async fn an_answer_in_time_is_returned() {
    let slow = Slow::default().spawn();
    assert_eq!(
        slow.quick().timeout(Duration::from_millis(1)).await,
        Ok("quick")
    );
}

#[test]
fn smol_keeps_time_too() {
    smol::block_on(within(async {
        let slow = Slow::default().spawn_on(&Smol);
        let (gate, _key) = Gate::new();
        let late = slow
            .wait(gate)
            .timeout_on(Duration::from_millis(20), &Smol)
            .await;
        assert_eq!(late, Err(SendError::Timeout));
    }));
}
