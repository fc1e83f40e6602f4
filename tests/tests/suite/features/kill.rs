//! Immediate stop (kill): the backlog is not handled, every waiting requester gets an
//! error at once, queued notifications are counted and reported to `undelivered`, and
//! `stopped` still runs.

use crate::fixtures::{Job, SignalledHold};
use messages::prelude::*;
use messages_tests::{Gate, Log, Rt, every_executor};
use tokio::sync::oneshot;

#[derive(Default)]
struct Worker {
    log: Log,
}

impl Actor for Worker {
    async fn undelivered(&mut self, count: usize) {
        self.log.push(format!("undelivered {count}"));
    }

    async fn stopped(&mut self) {
        self.log.push("stopped");
    }
}

impl Notifiable<SignalledHold> for Worker {
    async fn notify(&mut self, SignalledHold(entered, gate): SignalledHold, _: &Context<Self>) {
        let _ = entered.send(());
        gate.pass().await;
        self.log.push("hold done");
    }
}

impl Notifiable<Job> for Worker {
    async fn notify(&mut self, Job(name): Job, _: &Context<Self>) {
        self.log.push(name);
    }
}

impl Handler<Job> for Worker {
    type Result = ();
    async fn handle(&mut self, Job(name): Job, _: &Context<Self>) {
        self.log.push(name);
    }
}

async fn a_kill_drops_the_backlog_and_reports_it(rt: Rt) {
    let log = Log::default();
    let context = Context::new();
    let address = context.address();
    let join = context
        .with_runtime(rt.clone())
        .spawn(Worker { log: log.clone() });
    let (entered, inside) = oneshot::channel();
    let (gate, key) = Gate::new();
    address.notify(SignalledHold(entered, gate)).await.unwrap();
    inside.await.unwrap();
    address.notify(Job("queued 1")).await.unwrap();
    address.notify(Job("queued 2")).await.unwrap();
    let request = address.try_send(Job("queued request")).unwrap();
    address.kill();
    key.open();
    assert_eq!(request.await, Err(SendError::Unanswered));
    let exit = join.await.unwrap();
    assert_eq!(exit.reason, StopReason::Killed);
    assert_eq!(exit.undelivered, 2);
    // The running handler finished; nothing queued was handled.
    assert_eq!(log.events(), ["hold done", "undelivered 2", "stopped"]);
    assert_eq!(address.notify(Job("late")).await, Err(SendError::Stopped));
}

async fn a_kill_wakes_an_idle_actor(rt: Rt) {
    let log = Log::default();
    let address = Worker { log: log.clone() }.spawn_on(&rt);
    address.send(Job("first")).await.unwrap();
    address.kill();
    assert_eq!(address.wait_for_stop().await, StopReason::Killed);
    assert_eq!(
        log.events(),
        ["first", "stopped"],
        "nothing undelivered, no report"
    );
}

every_executor!(
    a_kill_drops_the_backlog_and_reports_it,
    a_kill_wakes_an_idle_actor
);
