//! `flatten`: a handler that answers with `Result<T, E>` gives the caller one
//! `Result<T, E2>` for any `E2: From<E> + From<SendError>`, on typed calls from
//! `#[actor]` and on the plain API; the nested form stays; it composes with timeouts in
//! either order.

use std::time::Duration;

use crate::fixtures::SignalledHold;
use messages::prelude::*;
use messages_tests::{Gate, Rt, every_executor, within};

#[derive(Debug, PartialEq, Eq)]
pub struct Overdrawn {
    pub missing: u64,
}

impl std::fmt::Display for Overdrawn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "overdrawn by {}", self.missing)
    }
}

impl std::error::Error for Overdrawn {}

/// The caller's error type: the handler's error or a delivery failure.
#[derive(Debug, PartialEq, Eq)]
pub enum BankError {
    Overdrawn(Overdrawn),
    Send(SendError),
}

impl From<Overdrawn> for BankError {
    fn from(error: Overdrawn) -> Self {
        Self::Overdrawn(error)
    }
}

impl From<SendError> for BankError {
    fn from(error: SendError) -> Self {
        Self::Send(error)
    }
}

#[actor]
#[derive(Debug, Default)]
pub struct Bank {
    balance: u64,
}

#[actor]
impl Bank {
    #[handler]
    pub fn deposit(&mut self, amount: u64) -> u64 {
        self.balance += amount;
        self.balance
    }

    #[handler]
    pub async fn withdraw(&mut self, amount: u64) -> Result<u64, Overdrawn> {
        let Some(left) = self.balance.checked_sub(amount) else {
            return Err(Overdrawn {
                missing: amount - self.balance,
            });
        };
        self.balance = left;
        Ok(left)
    }
}

impl Notifiable<SignalledHold> for Bank {
    async fn notify(&mut self, SignalledHold(entered, gate): SignalledHold, _: &Context<Self>) {
        let _ = entered.send(());
        gate.pass().await;
    }
}

/// `?` converts the error once more: the call names `E2`.
async fn withdraw_both(bank: &BankAddress, first: u64, second: u64) -> Result<u64, BankError> {
    bank.withdraw(first).flatten::<BankError>().await?;
    bank.withdraw(second).flatten::<BankError>().await
}

async fn typed_calls_flatten_into_the_callers_error(rt: Rt) {
    let bank: BankAddress = Bank::default().spawn_on(&rt);
    bank.deposit(10).await.unwrap();
    let left: Result<u64, BankError> = bank.withdraw(4).flatten().await;
    assert_eq!(left, Ok(6));
    let overdrawn: Result<u64, BankError> = bank.withdraw(7).flatten().await;
    assert_eq!(
        overdrawn,
        Err(BankError::Overdrawn(Overdrawn { missing: 1 }))
    );
    assert_eq!(withdraw_both(&bank, 5, 1).await, Ok(0));
    assert_eq!(
        withdraw_both(&bank, 1, 1).await,
        Err(BankError::Overdrawn(Overdrawn { missing: 1 })),
        "the first error returns early"
    );
    // The nested form is still what the call resolves to without `flatten`.
    assert_eq!(bank.withdraw(1).await, Ok(Err(Overdrawn { missing: 1 })));
    // A boxed error takes both kinds.
    let boxed: Result<u64, Box<dyn std::error::Error + Send + Sync>> =
        bank.withdraw(2).flatten().await;
    assert_eq!(boxed.unwrap_err().to_string(), "overdrawn by 2");
    bank.stop().await;
    within(bank.wait_for_stop()).await;
    let stopped: Result<u64, BankError> = bank.withdraw(1).flatten().await;
    assert_eq!(stopped, Err(BankError::Send(SendError::Stopped)));
    let boxed: Result<u64, Box<dyn std::error::Error + Send + Sync>> =
        bank.withdraw(1).flatten().await;
    assert_eq!(
        boxed.unwrap_err().to_string(),
        SendError::Stopped.to_string()
    );
}

async fn the_plain_api_flattens_too(rt: Rt) {
    let bank = Bank { balance: 3 }.spawn_on(&rt);
    let sent: Result<u64, BankError> = bank.send(bank::Withdraw { amount: 1 }).flatten().await;
    assert_eq!(sent, Ok(2));
    let reply = bank.try_send(bank::Withdraw { amount: 5 }).unwrap();
    let replied: Result<u64, BankError> = reply.flatten().await;
    assert_eq!(replied, Err(BankError::Overdrawn(Overdrawn { missing: 3 })));
    let recipient = bank.recipient::<bank::Withdraw, _>();
    let received: Result<u64, BankError> =
        recipient.send(bank::Withdraw { amount: 2 }).flatten().await;
    assert_eq!(received, Ok(0));
}

async fn flatten_composes_with_timeouts_in_either_order(rt: Rt) {
    let bank: BankAddress = Bank { balance: 10 }.spawn_on(&rt);
    let (gate, key) = Gate::new();
    let (entered, inside) = tokio::sync::oneshot::channel();
    bank.notify(SignalledHold(entered, gate)).await.unwrap();
    within(inside).await.unwrap();
    // The bank is held: both requests queue behind the hold and expire.
    let expiry = Duration::from_millis(20);
    let timed_then_flat: Result<u64, BankError> =
        bank.withdraw(1).timeout_on(expiry, &rt).flatten().await;
    assert_eq!(timed_then_flat, Err(BankError::Send(SendError::Timeout)));
    let flat_then_timed: Result<u64, BankError> =
        bank.withdraw(2).flatten().timeout_on(expiry, &rt).await;
    assert_eq!(flat_then_timed, Err(BankError::Send(SendError::Timeout)));
    key.open();
    // The late requests were still handled; their answers were discarded.
    let left: Result<u64, BankError> = within(
        bank.withdraw(3)
            .flatten()
            .timeout_on(Duration::from_secs(5), &rt),
    )
    .await;
    assert_eq!(left, Ok(4));
    let overdrawn: Result<u64, BankError> = bank
        .withdraw(5)
        .timeout_on(Duration::from_secs(5), &rt)
        .flatten()
        .await;
    assert_eq!(
        overdrawn,
        Err(BankError::Overdrawn(Overdrawn { missing: 1 }))
    );
}

every_executor!(
    typed_calls_flatten_into_the_callers_error,
    the_plain_api_flattens_too,
    flatten_composes_with_timeouts_in_either_order,
);
