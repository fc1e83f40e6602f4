//! Delegating handlers in the macro path: a `#[handler]` that takes a `Responder<R>` and
//! returns nothing implements `Delegate`; its typed-address method answers
//! `Result<R, SendError>` like any request, whoever answers and whenever.

use std::pin::pin;
use std::time::Duration;

use messages::Responder;
use messages::prelude::*;
use messages::runtime::Spawner;
use messages_tests::{Gate, GateKey, Rt, every_executor, is_pending};

#[derive(Debug, PartialEq, Eq)]
pub enum BankError {
    SameAccount,
}

/// Answers requests itself, through the bank's forwarding.
#[actor]
#[derive(Debug)]
pub struct Teller {
    served: u32,
}

#[actor]
impl Teller {
    /// The fee for `amount`, and how many requests this teller served.
    #[handler]
    pub fn fee(&mut self, amount: u64) -> (u64, u32) {
        self.served += 1;
        (amount / 100, self.served)
    }
}

#[actor]
#[derive(Debug)]
pub struct Bank {
    rt: Rt,
    teller: TellerAddress,
    /// Responders of `park`, answered by `release`.
    parked: Vec<Responder<u64>>,
    /// The gates of the next transfers: each one's answer waits for its gate.
    gates: Vec<Gate>,
}

#[actor]
impl Bank {
    /// Answers from a task, once the gate taken for it opens.
    #[handler]
    pub fn transfer(
        &mut self,
        from: u32,
        to: u32,
        responder: Responder<Result<u64, BankError>>,
        ctx: &Context<Self>,
    ) {
        assert_eq!(ctx.id(), ctx.address().id());
        let gate = self.gates.pop();
        self.rt.spawn(async move {
            if let Some(gate) = gate {
                gate.pass().await;
            }
            if from == to {
                responder.send(Err(BankError::SameAccount));
            } else {
                responder.send(Ok(u64::from(from) * 1000 + u64::from(to)));
            }
        });
    }

    /// Keeps the responder until `release`: an async delegating handler.
    #[handler]
    pub async fn park(&mut self, responder: Responder<u64>) {
        self.parked.push(responder);
    }

    /// Answers every parked request with `answer`; says how many there were.
    #[handler]
    pub fn release(&mut self, answer: u64) -> usize {
        let parked = std::mem::take(&mut self.parked);
        let count = parked.len();
        for responder in parked {
            responder.send(answer);
        }
        count
    }

    /// Drops the responder unanswered.
    #[handler]
    pub fn forget(&mut self, responder: messages::Responder<u64>) {
        drop(responder);
    }

    /// Hands the request to the teller, who answers the caller directly.
    #[handler]
    pub async fn fee(&mut self, amount: u64, responder: Responder<(u64, u32)>) {
        self.teller
            .forward(teller::Fee { amount }, responder)
            .await
            .expect("the teller is running");
    }

    /// How many responders are parked.
    #[handler]
    pub fn parked(&self) -> usize {
        self.parked.len()
    }
}

fn bank(rt: &Rt, gates: Vec<Gate>) -> BankAddress {
    let teller = Teller { served: 0 }.spawn_on(rt);
    Bank {
        rt: rt.clone(),
        teller,
        parked: Vec::new(),
        gates,
    }
    .spawn_on(rt)
}

async fn the_answer_comes_later_from_a_task(rt: Rt) {
    let (gate, key): (Gate, GateKey) = Gate::new();
    let bank = bank(&rt, vec![gate]);
    let mut transfer = pin!(bank.transfer(1, 2));
    // Queued and handled: the handler has returned (the bank answers `parked`), the
    // answer waits for the task's gate.
    assert!(is_pending(transfer.as_mut()));
    assert_eq!(bank.parked().await, Ok(0));
    assert!(is_pending(transfer.as_mut()));
    key.open();
    assert_eq!(transfer.await, Ok(Ok(1002)));
    // The handler's own `Result` comes through as the answer.
    assert_eq!(bank.transfer(3, 3).await, Ok(Err(BankError::SameAccount)));
}

async fn a_dropped_responder_answers_unanswered(rt: Rt) {
    let bank = bank(&rt, Vec::new());
    assert_eq!(bank.forget().await, Err(SendError::Unanswered));
    assert_eq!(bank.transfer(1, 2).await, Ok(Ok(1002)), "the bank goes on");
}

async fn the_actor_serves_its_mailbox_while_a_request_is_unanswered(rt: Rt) {
    let (gate, key) = Gate::new();
    let bank = bank(&rt, vec![gate]);
    // A request is queued on its first poll: the gated transfer, then the parked
    // request, then the rest. The bank answers what follows while both wait.
    let mut held = pin!(bank.transfer(4, 5));
    assert!(is_pending(held.as_mut()));
    let mut parked = pin!(bank.park());
    assert!(is_pending(parked.as_mut()));
    assert_eq!(bank.transfer(6, 7).await, Ok(Ok(6007)));
    assert_eq!(bank.parked().await, Ok(1));
    assert_eq!(bank.release(9).await, Ok(1));
    assert_eq!(parked.await, Ok(9));
    assert!(
        is_pending(held.as_mut()),
        "the transfer's task waits for its gate"
    );
    key.open();
    assert_eq!(held.await, Ok(Ok(4005)));
}

async fn a_forwarded_request_is_answered_by_the_other_actor(rt: Rt) {
    let bank = bank(&rt, Vec::new());
    assert_eq!(bank.fee(500).await, Ok((5, 1)));
    assert_eq!(bank.fee(1200).await, Ok((12, 2)));
}

async fn a_caller_timeout_works_as_for_any_request(rt: Rt) {
    let bank = bank(&rt, Vec::new());
    let timed = bank.park().timeout_on(Duration::from_millis(20), &rt).await;
    assert_eq!(timed, Err(SendError::Timeout));
    // The parked responder's caller is gone: answering it is harmless, the bank goes on.
    assert_eq!(bank.release(1).await, Ok(1));
    assert_eq!(bank.transfer(1, 2).await, Ok(Ok(1002)));
}

async fn the_generated_message_works_with_the_plain_api(rt: Rt) {
    let bank = bank(&rt, Vec::new());
    assert_eq!(
        bank.send(bank::Transfer { from: 8, to: 9 }).await,
        Ok(Ok(8009))
    );
    let parked = bank.try_send(bank::Park).expect("room in the mailbox");
    assert_eq!(bank.release(3).await, Ok(1));
    assert_eq!(parked.await, Ok(3));
}

every_executor!(
    the_answer_comes_later_from_a_task,
    a_dropped_responder_answers_unanswered,
    the_actor_serves_its_mailbox_while_a_request_is_unanswered,
    a_forwarded_request_is_answered_by_the_other_actor,
    a_caller_timeout_works_as_for_any_request,
    the_generated_message_works_with_the_plain_api,
);
