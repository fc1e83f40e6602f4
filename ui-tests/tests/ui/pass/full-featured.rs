//! A full-featured actor whose expansion compiles under `deny(warnings)` with the names
//! the generated code uses (`core`, `std`, `messages`, `Result`, `Option`, `Send`,
//! `Future`, `Box`, `Clone`) shadowed by local items.
#![deny(warnings, missing_docs, missing_debug_implementations, unreachable_pub)]

/// Shadows the standard library's names.
mod core {}
/// Shadows the standard library's names.
mod std {}
/// Shadows the crate's own name: the expansion must use `::messages`.
mod messages {}

/// Local items named like the ones the expansion needs.
#[allow(dead_code)]
mod shadows {
    /// Not `core::result::Result`.
    pub(crate) struct Result;
    /// Not `core::option::Option`.
    pub(crate) struct Option;
    /// Not `core::marker::Send`.
    pub(crate) trait Send {}
    /// Not `core::future::Future`.
    pub(crate) trait Future {}
    /// Not `std::boxed::Box`.
    pub(crate) struct Box;
    /// Not `core::clone::Clone`.
    pub(crate) trait Clone {}
}
#[allow(unused_imports)]
use shadows::*;

use ::messages::prelude::{Context, actor};

/// An account.
#[actor(capacity = 16, started = open, stopped = close)]
#[derive(Debug, Default)]
pub struct Account {
    balance: i64,
    notes: Vec<String>,
}

/// Refused withdrawal.
#[derive(Debug)]
pub struct Overdraft;

#[actor]
impl Account {
    async fn open(&mut self, _ctx: &Context<Self>) {}

    async fn close(&mut self) {}

    /// Deposits.
    #[handler]
    pub async fn deposit(&mut self, amount: i64) -> i64 {
        self.balance += amount;
        self.balance
    }

    /// The balance.
    #[handler]
    pub fn balance(&self) -> i64 {
        self.balance
    }

    /// Withdraws.
    #[handler]
    pub fn withdraw(&mut self, amount: i64) -> ::core::result::Result<i64, Overdraft> {
        if amount > self.balance {
            return ::core::result::Result::Err(Overdraft);
        }
        self.balance -= amount;
        ::core::result::Result::Ok(self.balance)
    }

    /// Notes something.
    #[notify]
    pub fn audit(&mut self, note: String) {
        self.notes.push(note);
    }

    /// Stops.
    #[handler]
    pub fn shut(&mut self, ctx: &Context<Self>) {
        ctx.stop();
    }

    /// Renamed message type.
    #[handler(message = Count)]
    pub fn note_count(&self) -> usize {
        self.notes.len()
    }
}

fn main() {
    let (account, run) = Account::default().prepare();
    ::std::mem::drop((account, run));
    let _: fn(&AccountAddress) = |_| {};
    let _ = account::Deposit { amount: 1 };
    let _ = account::Count;
}
