//! The expansion of a full-featured actor compiles under `deny(warnings)` and clippy's
//! pedantic lints (CI runs clippy on every target with `-D warnings`), with the names the
//! generated code uses shadowed by local items, and it runs.
#![deny(
    warnings,
    missing_docs,
    missing_debug_implementations,
    unreachable_pub,
    clippy::all,
    clippy::pedantic
)]

/// Shadows the standard library's name.
mod core {}
/// Shadows the standard library's name.
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
    /// Not `core::convert::From`.
    pub(crate) trait From {}
}
#[allow(unused_imports)]
use shadows::*;

use ::messages::prelude::{ActorAction, Context, StopReason, actor};

/// A generic ledger: hooks, a bounded mailbox, requests, notifications, the context.
#[actor(capacity = 16, started = open, stopping = may_stop, stopped = close)]
#[derive(Debug, Default)]
pub struct Ledger<T: ::core::clone::Clone + ::core::marker::Send + 'static> {
    entries: ::std::vec::Vec<T>,
    opened: bool,
}

/// Refused: the ledger is empty.
#[derive(Debug, PartialEq, Eq)]
pub struct Empty;

#[actor(derive(Clone, Debug, PartialEq, Eq, Hash))]
impl<T> Ledger<T>
where
    T: ::core::clone::Clone + ::core::marker::Send + 'static,
{
    #[allow(clippy::unused_async, reason = "lifecycle hooks are async by contract")]
    async fn open(&mut self, _ctx: &Context<Self>) {
        self.opened = true;
    }

    #[allow(clippy::unused_async, reason = "lifecycle hooks are async by contract")]
    async fn may_stop(&mut self, _ctx: &Context<Self>) -> ActorAction {
        ActorAction::Stop
    }

    #[allow(clippy::unused_async, reason = "lifecycle hooks are async by contract")]
    async fn close(&mut self) {
        self.entries.clear();
    }

    /// Appends an entry; returns how many there are.
    #[handler]
    pub async fn append(&mut self, entry: T) -> usize {
        ::tokio::task::yield_now().await;
        self.entries.push(entry);
        self.entries.len()
    }

    /// The last entry.
    ///
    /// # Errors
    ///
    /// [`Empty`] when there is no entry.
    #[handler]
    pub fn last(&self) -> ::core::result::Result<T, Empty> {
        self.entries.last().cloned().ok_or(Empty)
    }

    /// Drops every entry.
    #[notify(derive(::core::clone::Clone, ::core::fmt::Debug))]
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// How many entries there are, answered through the responder (a delegating
    /// handler).
    #[handler]
    pub fn count(&mut self, responder: ::messages::Responder<usize>, _ctx: &Context<Self>) {
        responder.send(self.entries.len());
    }

    /// Whether `open` ran.
    #[handler]
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.opened
    }

    /// Stops the ledger.
    #[handler(message = Shutdown, derive())]
    pub fn shut(&mut self, ctx: &Context<Self>) {
        ctx.stop();
    }
}

#[tokio::test]
async fn the_strict_expansion_runs() {
    let test = async {
        let ledger: LedgerAddress<u32> = Ledger::default().spawn();
        assert_eq!(ledger.is_open().await, Ok(true));
        assert_eq!(ledger.append(4).await, Ok(1));
        // The typed calls' futures own what they need: spawned, the address kept.
        let spawned = ::tokio::spawn(ledger.append(5));
        assert_eq!(spawned.await.expect("the task"), Ok(2));
        assert_eq!(ledger.count().await, Ok(2));
        assert_eq!(ledger.last().await, Ok(Ok(5)));
        ledger.clear().await.unwrap();
        // Derived on the message types, with the bounds of the parameters they use.
        let append = ledger::Append { entry: 7_u32 };
        assert_eq!(append.clone(), append);
        assert_eq!(::std::format!("{append:?}"), "Append { entry: 7 }");
        assert_eq!(::std::format!("{:?}", ledger::Shutdown), "Shutdown { .. }");
        ledger
            .notify(::core::clone::Clone::clone(&ledger::Clear))
            .await
            .unwrap();
        assert_eq!(ledger.send(ledger::Last).await, Ok(Err(Empty)));
        ledger.send(ledger::Shutdown).await.unwrap();
        assert_eq!(ledger.wait_for_stop().await, StopReason::Requested);
    };
    ::tokio::time::timeout(::core::time::Duration::from_secs(10), test)
        .await
        .expect("timed out: something hangs");
}
