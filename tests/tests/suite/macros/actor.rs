//! The macro path: `#[actor]` on a struct and its impl block gives typed calls, message
//! types usable with the plain API, and the same runtime guarantees.

use messages::ActorId;
use messages::prelude::*;
use messages_tests::{Log, Rt, every_executor};

#[derive(Debug, PartialEq, Eq)]
pub struct Overdraft {
    pub missing: i64,
}

#[actor]
#[derive(Debug, Default)]
pub struct Account {
    balance: i64,
    log: Log,
}

#[actor]
impl Account {
    /// Deposits and returns the new balance.
    #[handler]
    pub async fn deposit(&mut self, amount: i64) -> i64 {
        self.balance += amount;
        self.balance
    }

    #[handler]
    pub fn balance(&self) -> i64 {
        self.balance
    }

    #[handler]
    pub async fn withdraw(&mut self, amount: i64) -> Result<i64, Overdraft> {
        if amount > self.balance {
            return Err(Overdraft {
                missing: amount - self.balance,
            });
        }
        self.balance -= amount;
        Ok(self.balance)
    }

    #[notify]
    pub async fn audit(&mut self, note: String) {
        self.helper();
        self.log.push(note);
    }

    #[handler]
    pub async fn close(&mut self, ctx: &Context<Self>) {
        ctx.stop();
    }

    fn helper(&self) {
        self.log.push("helper");
    }
}

/// Stands in for `opentelemetry::Context`: a type named `Context` without a parameter.
pub mod telemetry {
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    pub struct Context {
        pub trace_id: u64,
    }
}

/// A `Context` of the user's with a parameter that is not the actor.
pub mod tagged {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Context<T>(pub T);
}

/// The context is recognised by what it is (the actor's `Context`), not by its name.
#[actor]
#[derive(Debug, Default)]
pub struct Tracer {
    traces: Vec<u64>,
}

#[actor]
impl Tracer {
    /// `telemetry::Context` is a message field.
    #[handler]
    pub fn trace(&mut self, cx: telemetry::Context) -> usize {
        self.traces.push(cx.trace_id);
        self.traces.len()
    }

    /// `tagged::Context<u8>` is a message field.
    #[handler]
    pub fn tag(&self, tag: tagged::Context<u8>) -> u8 {
        tag.0
    }

    /// The actor's context, written with the actor's name.
    #[handler]
    pub fn id_by_name(&self, ctx: &Context<Tracer>) -> ActorId {
        ctx.id()
    }

    /// The actor's context, written with the crate's path, between two fields.
    #[handler]
    pub fn stop_by_path(&mut self, first: u8, ctx: &messages::Context<Self>, second: u8) -> u8 {
        ctx.stop();
        first + second
    }
}

async fn the_context_is_recognised_by_what_it_is(rt: Rt) {
    let tracer = Tracer::default().spawn_on(&rt);
    assert_eq!(
        tracer.trace(telemetry::Context { trace_id: 7 }).await,
        Ok(1)
    );
    let message = tracer::Trace {
        cx: telemetry::Context::default(),
    };
    assert_eq!(tracer.send(message).await, Ok(2));
    assert_eq!(tracer.tag(tagged::Context(3)).await, Ok(3));
    assert_eq!(tracer.id_by_name().await, Ok(tracer.id()));
    assert_eq!(tracer.stop_by_path(1, 2).await, Ok(3));
    assert_eq!(tracer.wait_for_stop().await, StopReason::Requested);
}

async fn the_issue_example_runs(rt: Rt) {
    let log = Log::default();
    let account: AccountAddress = Account {
        log: log.clone(),
        ..Account::default()
    }
    .spawn_on(&rt);
    assert_eq!(account.deposit(100).await, Ok(100));
    assert_eq!(account.balance().await, Ok(100));
    assert_eq!(account.withdraw(30).await, Ok(Ok(70)));
    assert_eq!(
        account.withdraw(100).await,
        Ok(Err(Overdraft { missing: 30 }))
    );
    account.audit("checked".into()).await.unwrap();
    // Generated message types work with the plain API too.
    assert_eq!(account.send(account::Deposit { amount: 5 }).await, Ok(75));
    assert_eq!(account.send(account::Balance).await, Ok(75));
    account
        .notify(account::Audit {
            note: "plain".into(),
        })
        .await
        .unwrap();
    account.close().await.unwrap();
    assert_eq!(account.wait_for_stop().await, StopReason::Requested);
    assert_eq!(log.events(), ["helper", "checked", "helper", "plain"]);
    assert_eq!(account.deposit(1).await, Err(SendError::Stopped));
}

async fn typed_and_untyped_addresses_convert(rt: Rt) {
    let account = Account::default().spawn_on(&rt);
    let untyped: Address<Account> = account.clone().into();
    assert_eq!(untyped, *account);
    let typed = AccountAddress::from(untyped.clone());
    assert_eq!(typed, account);
    assert_eq!(typed.into_inner().id(), account.id());
    assert!(format!("{account:?}").contains("Account"));
}

async fn prepare_runs_on_any_executor(rt: Rt) {
    let (account, run) = Account::default().prepare();
    let exit = rt.spawn_task(run);
    account.deposit(7).await.unwrap();
    drop(account);
    let exit = exit.await;
    assert_eq!(exit.actor.balance, 7);
    assert_eq!(exit.reason, StopReason::AddressesDropped);
}

every_executor!(
    the_issue_example_runs,
    the_context_is_recognised_by_what_it_is,
    typed_and_untyped_addresses_convert,
    prepare_runs_on_any_executor,
);

#[tokio::test]
async fn spawn_returns_the_typed_address() {
    messages_tests::within(async {
        let account: AccountAddress = Account::default().spawn();
        assert_eq!(account.deposit(1).await, Ok(1));
    })
    .await;
}
