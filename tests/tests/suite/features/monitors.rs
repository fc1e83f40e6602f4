//! Monitors: an actor learns that another stopped, and why; a monitor keeps neither
//! alive and ends when either stops.

use messages::prelude::*;
use messages::supervision::Terminated;
use messages_tests::{Rt, every_executor};
use tokio::sync::mpsc;

struct Worker;

impl Actor for Worker {}

struct Fail;

impl Notifiable<Fail> for Worker {
    async fn notify(&mut self, _: Fail, _: &Context<Self>) {
        panic!("worker failed")
    }
}

struct Watcher {
    seen: mpsc::UnboundedSender<Terminated>,
}

impl Actor for Watcher {}

impl Notifiable<Terminated> for Watcher {
    async fn notify(&mut self, ended: Terminated, _: &Context<Self>) {
        let _ = self.seen.send(ended);
    }
}

/// Monitors the worker, on the runtime the watcher was spawned on.
struct Watch(Address<Worker>);

impl Notifiable<Watch> for Watcher {
    async fn notify(&mut self, Watch(worker): Watch, ctx: &Context<Self>) {
        ctx.monitor(&worker);
    }
}

struct Ready;

impl Handler<Ready> for Watcher {
    type Result = ();
    async fn handle(&mut self, _: Ready, _: &Context<Self>) {}
}

async fn a_monitor_reports_the_stop_and_its_reason(rt: Rt) {
    let (seen, mut reports) = mpsc::unbounded_channel();
    let watcher = Watcher { seen }.spawn_on(&rt);
    let calm = Worker.spawn_on(&rt);
    let failing = Worker.spawn_on(&rt);
    watcher.notify(Watch(calm.clone())).await.unwrap();
    watcher.notify(Watch(failing.clone())).await.unwrap();
    watcher.send(Ready).await.unwrap(); // both monitors are set up

    failing.notify(Fail).await.unwrap();
    let report = reports.recv().await.unwrap();
    assert_eq!(report.id, failing.id());
    assert_eq!(
        report.reason,
        StopReason::Panicked("worker failed".to_owned())
    );

    calm.stop().await;
    let report = reports.recv().await.unwrap();
    assert_eq!(report.id, calm.id());
    assert_eq!(report.reason, StopReason::Requested);
}

async fn a_monitor_keeps_nobody_alive(rt: Rt) {
    let (seen, mut reports) = mpsc::unbounded_channel();
    let context = Context::new();
    let worker = context.address();
    let worker_exit = rt.spawn_task(context.run(Worker));
    let watcher_context = Context::new().with_runtime(rt.clone());
    watcher_context.monitor(&worker);
    let watcher = watcher_context.address();
    let watcher_exit = watcher_context.spawn(Watcher { seen });
    // The worker's only address goes: the monitor does not keep it alive.
    drop(worker);
    assert_eq!(worker_exit.await.reason, StopReason::AddressesDropped);
    assert_eq!(
        reports.recv().await.unwrap().reason,
        StopReason::AddressesDropped
    );
    drop(watcher);
    assert_eq!(
        watcher_exit.await.unwrap().reason,
        StopReason::AddressesDropped,
        "nor the watcher"
    );
}

every_executor!(
    a_monitor_reports_the_stop_and_its_reason,
    a_monitor_keeps_nobody_alive
);
