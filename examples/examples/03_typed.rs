//! 03 — typed: the same kind of actor written with `#[actor]`.
//!
//! `#[actor]` on the struct generates the typed address `AccountAddress`; on the impl
//! block it turns each `#[handler]` / `#[notify]` method into a message type (in the
//! module `account`) and a method of the typed address. Run it with
//! `cargo run --example 03_typed`.

use messages::prelude::*;

#[actor]
#[derive(Debug, Default)]
pub struct Account {
    balance: i64,
}

/// Refused: not enough money.
#[derive(Debug)]
pub struct Overdraft {
    pub missing: i64,
}

#[actor]
impl Account {
    /// Deposits and returns the new balance.
    #[handler]
    pub async fn deposit(&mut self, amount: i64) -> i64 {
        self.balance += amount;
        self.balance
    }

    /// Sync methods are fine too.
    #[handler]
    pub fn balance(&self) -> i64 {
        self.balance
    }

    /// An answer can be a `Result` of its own.
    #[handler]
    pub fn withdraw(&mut self, amount: i64) -> Result<i64, Overdraft> {
        if amount > self.balance {
            return Err(Overdraft {
                missing: amount - self.balance,
            });
        }
        self.balance -= amount;
        Ok(self.balance)
    }

    /// Fire-and-forget.
    #[notify]
    pub fn audit(&mut self, note: String) {
        println!("audit: {note} (balance {})", self.balance);
    }
}

#[tokio::main]
async fn main() -> Result<(), SendError> {
    let account: AccountAddress = Account::default().spawn();

    println!("deposit 100 -> balance {}", account.deposit(100).await?);
    println!("withdraw 30 -> {:?}", account.withdraw(30).await?);
    println!("withdraw 500 -> {:?}", account.withdraw(500).await?);
    account.audit("checked".into()).await?;

    // The generated message types work with the plain API too.
    let balance = account.send(account::Balance).await?;
    println!("plain send(account::Balance) -> {balance}");

    account.stop().await;
    account.wait_for_stop().await;
    Ok(())
}
