//! Typed calls return owned futures: `wallet.deposit(5)` does not borrow `wallet`, so
//! the future can be spawned (it is `Send + 'static`) while the caller goes on using
//! the address, or drops it: the future keeps the actor alive until it is done.

use messages::Responder;
use messages::prelude::*;
use messages_tests::{Log, Rt, every_executor};

#[actor]
#[derive(Debug, Default)]
pub struct Wallet {
    balance: u64,
    log: Log,
}

#[actor]
impl Wallet {
    /// A request.
    #[handler]
    pub fn deposit(&mut self, amount: u64) -> u64 {
        self.balance += amount;
        self.balance
    }

    /// A notification.
    #[notify]
    pub fn note(&mut self, line: String) {
        self.log.push(line);
    }

    /// A delegating handler.
    #[handler]
    pub fn balance_later(&mut self, responder: Responder<u64>) {
        responder.send(self.balance);
    }

    /// A read.
    #[handler(parallel)]
    pub fn balance(&self) -> u64 {
        self.balance
    }
}

/// A generic actor: its futures capture its parameter.
#[actor]
#[derive(Debug)]
pub struct Shelf<T: Clone + Send + 'static> {
    items: Vec<T>,
}

#[actor]
impl<T: Clone + Send + 'static> Shelf<T> {
    #[handler]
    pub fn put(&mut self, item: T) -> usize {
        self.items.push(item);
        self.items.len()
    }

    #[notify]
    pub fn clear(&mut self) {
        self.items.clear();
    }

    #[handler]
    pub fn all(&self, responder: Responder<Vec<T>>) {
        responder.send(self.items.clone());
    }
}

async fn spawned_calls_leave_the_address_with_the_caller(rt: Rt) {
    let log = Log::default();
    let wallet = Wallet {
        balance: 0,
        log: log.clone(),
    }
    .spawn_on(&rt);
    let deposit = rt.spawn_task(wallet.deposit(5));
    let note = rt.spawn_task(wallet.note("spawned".to_owned()));
    let later = rt.spawn_task(wallet.balance_later());
    let read = rt.spawn_task(wallet.balance());
    // The caller still has the address, and uses it while the tasks run.
    let own = wallet.deposit(1).await.expect("answered");
    let spawned = deposit.await.expect("answered");
    // Whichever deposit came first, both were applied once.
    assert!(matches!((own, spawned), (1, 6) | (6, 5)), "{own} {spawned}");
    note.await.expect("queued");
    assert!(later.await.expect("answered") <= 6);
    assert!(read.await.expect("answered") <= 6);
    assert_eq!(wallet.balance_later().await, Ok(6));
    assert_eq!(log.events(), ["spawned"]);
}

async fn a_call_keeps_the_actor_alive_until_it_is_done(rt: Rt) {
    let wallet = Wallet::default().spawn_on(&rt);
    let deposit = wallet.deposit(7);
    let note = wallet.note("after the address is gone".to_owned());
    let later = wallet.balance_later();
    let read = wallet.balance();
    drop(wallet);
    // No address is left but the futures' own: each one still reaches the actor.
    assert_eq!(rt.spawn_task(deposit).await, Ok(7));
    assert_eq!(rt.spawn_task(note).await, Ok(()));
    assert_eq!(rt.spawn_task(later).await, Ok(7));
    assert_eq!(rt.spawn_task(read).await, Ok(7));
}

async fn a_generic_actors_calls_are_owned_too(rt: Rt) {
    let shelf: ShelfAddress<String> = Shelf { items: Vec::new() }.spawn_on(&rt);
    let put = rt.spawn_task(shelf.put("a".to_owned()));
    assert_eq!(put.await, Ok(1));
    assert_eq!(rt.spawn_task(shelf.all()).await, Ok(vec!["a".to_owned()]));
    rt.spawn_task(shelf.clear()).await.expect("queued");
    assert_eq!(shelf.all().await, Ok(Vec::new()));
}

every_executor!(
    spawned_calls_leave_the_address_with_the_caller,
    a_call_keeps_the_actor_alive_until_it_is_done,
    a_generic_actors_calls_are_owned_too,
);
