//! Requests get their answers, notifications get handled, the `try_*` variants work,
//! and one actor serves many message types.

use messages::prelude::*;
use messages_tests::{Rt, every_executor};

#[derive(Default)]
struct Account {
    balance: i64,
    notes: Vec<String>,
}

impl Actor for Account {}

struct Deposit(i64);
struct Balance;
struct Note(String);
struct Notes;

impl Handler<Deposit> for Account {
    type Result = i64;
    async fn handle(&mut self, Deposit(amount): Deposit, _: &Context<Self>) -> i64 {
        self.balance += amount;
        self.balance
    }
}

impl Handler<Balance> for Account {
    type Result = i64;
    async fn handle(&mut self, _: Balance, _: &Context<Self>) -> i64 {
        self.balance
    }
}

impl Notifiable<Note> for Account {
    async fn notify(&mut self, Note(text): Note, _: &Context<Self>) {
        self.notes.push(text);
    }
}

impl Handler<Notes> for Account {
    type Result = Vec<String>;
    async fn handle(&mut self, _: Notes, _: &Context<Self>) -> Vec<String> {
        self.notes.clone()
    }
}

/// An answer computed across an await point in the handler.
impl Handler<u64> for Account {
    type Result = u64;
    async fn handle(&mut self, n: u64, _: &Context<Self>) -> u64 {
        let (tx, rx) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || tx.send(n * 2));
        rx.await.unwrap_or(0)
    }
}

async fn requests_are_answered(rt: Rt) {
    let account = Account::default().spawn_on(&rt);
    assert_eq!(account.send(Deposit(100)).await, Ok(100));
    assert_eq!(account.send(Deposit(-30)).await, Ok(70));
    assert_eq!(account.send(Balance).await, Ok(70));
    assert_eq!(
        account.send(21_u64).await,
        Ok(42),
        "an answer computed across an await"
    );
}

async fn notifications_are_handled_in_order(rt: Rt) {
    let account = Account::default().spawn_on(&rt);
    for text in ["a", "b", "c"] {
        account.notify(Note(text.to_owned())).await.unwrap();
    }
    assert_eq!(account.send(Notes).await.unwrap(), ["a", "b", "c"]);
}

async fn try_variants_queue_when_there_is_room(rt: Rt) {
    let account = Account::default().spawn_on(&rt);
    account.try_notify(Note("queued".to_owned())).unwrap();
    let reply = account.try_send(Deposit(5)).unwrap();
    assert_eq!(reply.await, Ok(5));
    assert_eq!(account.send(Notes).await.unwrap(), ["queued"]);
}

async fn the_final_state_comes_back_from_run(rt: Rt) {
    let context = Context::new();
    let account = context.address();
    let exit = rt.spawn_task(context.run(Account::default()));
    account.send(Deposit(7)).await.unwrap();
    account.notify(Note("last".to_owned())).await.unwrap();
    drop(account);
    let exit = exit.await;
    assert_eq!(exit.actor.balance, 7);
    assert_eq!(exit.actor.notes, ["last"]);
    assert_eq!(exit.reason, StopReason::AddressesDropped);
    assert_eq!(exit.undelivered, 0);
}

async fn many_callers_share_one_actor(rt: Rt) {
    let account = Account::default().spawn_on(&rt);
    let callers: Vec<_> = (0..8)
        .map(|_| {
            let account = account.clone();
            rt.spawn_task(async move {
                for _ in 0..100 {
                    account.send(Deposit(1)).await.unwrap();
                }
            })
        })
        .collect();
    futures::future::join_all(callers).await;
    assert_eq!(account.send(Balance).await, Ok(800));
}

/// A request future owns what it needs: it can be spawned, and outlive the address it
/// was made from (which it keeps alive until it is answered).
async fn a_request_future_can_be_spawned_and_outlive_its_address(rt: Rt) {
    let account = Account::default().spawn_on(&rt);
    let deposit = account.send(Deposit(5));
    let balance = account.send(Balance);
    drop(account);
    assert_eq!(rt.spawn_task(deposit).await, Ok(5));
    assert_eq!(rt.spawn_task(balance).await, Ok(5));
}

every_executor!(
    a_request_future_can_be_spawned_and_outlive_its_address,
    requests_are_answered,
    notifications_are_handled_in_order,
    try_variants_queue_when_there_is_room,
    the_final_state_comes_back_from_run,
    many_callers_share_one_actor,
);
