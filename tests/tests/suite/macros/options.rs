//! Options of `#[actor]` on the declaration: lifecycle hooks, the mailbox, and
//! `manual_impl` for actors whose `impl Actor` is hand-written.

use messages::Mailbox;
use messages::prelude::*;
use messages_tests::{Log, Rt, every_executor};

/// Hooks named on the attribute; a mailbox of two.
#[actor(capacity = 2, started = warm_up, stopping = may_stop, stopped = flush)]
#[derive(Debug, Default)]
pub struct Hooked {
    log: Log,
    refuse_first_stop: bool,
}

#[actor]
impl Hooked {
    async fn warm_up(&mut self, _ctx: &Context<Self>) {
        self.log.push("started");
    }

    async fn may_stop(&mut self, _ctx: &Context<Self>) -> ActorAction {
        self.log.push("stopping");
        if std::mem::take(&mut self.refuse_first_stop) {
            ActorAction::KeepRunning
        } else {
            ActorAction::Stop
        }
    }

    async fn flush(&mut self) {
        self.log.push("stopped");
    }

    #[notify]
    pub fn record(&mut self, event: &'static str) {
        self.log.push(event);
    }
}

/// No bound on the mailbox.
#[actor(unbounded)]
#[derive(Debug, Default)]
pub struct Sink {
    count: usize,
}

#[actor]
impl Sink {
    #[notify]
    pub fn take(&mut self) {
        self.count += 1;
    }
}

/// A hand-written `impl Actor`, with an `#[actor]` impl block all the same.
#[actor(manual_impl)]
#[derive(Debug, Default)]
pub struct Manual {
    log: Log,
}

impl Actor for Manual {
    const MAILBOX: Mailbox = Mailbox::Unbounded;

    async fn started(&mut self, _: &Context<Self>) {
        self.log.push("manual started");
    }
}

#[actor]
impl Manual {
    #[handler]
    pub fn ping(&mut self) -> &'static str {
        self.log.push("ping");
        "pong"
    }
}

async fn hooks_named_on_the_attribute_run(rt: Rt) {
    let log = Log::default();
    let hooked = Hooked {
        log: log.clone(),
        refuse_first_stop: true,
    }
    .spawn_on(&rt);
    hooked.record("message").await.unwrap();
    hooked.stop().await;
    hooked.record("after refusal").await.unwrap();
    hooked.stop().await;
    assert_eq!(hooked.wait_for_stop().await, StopReason::Requested);
    assert_eq!(
        log.events(),
        [
            "started",
            "message",
            "stopping",
            "after refusal",
            "stopping",
            "stopped"
        ]
    );
}

async fn the_mailbox_option_sets_the_capacity(rt: Rt) {
    let (hooked, run) = Hooked::default().prepare();
    // Not running yet: the capacity is exactly two.
    hooked.try_notify(hooked::Record { event: "1" }).unwrap();
    hooked.try_notify(hooked::Record { event: "2" }).unwrap();
    assert!(
        hooked
            .try_notify(hooked::Record { event: "3" })
            .unwrap_err()
            .is_full()
    );
    drop(hooked);
    assert_eq!(
        rt.spawn_task(run).await.reason,
        StopReason::AddressesDropped
    );

    let (sink, run) = Sink::default().prepare();
    for _ in 0..1000 {
        sink.try_notify(sink::Take).unwrap();
    }
    drop(sink);
    assert_eq!(rt.spawn_task(run).await.actor.count, 1000);
}

async fn a_hand_written_impl_actor_keeps_its_hooks_and_mailbox(rt: Rt) {
    let log = Log::default();
    let (manual, run) = Manual { log: log.clone() }.prepare();
    for _ in 0..500 {
        drop(manual.try_send(manual::Ping).unwrap());
    }
    let exit = rt.spawn_task(run);
    assert_eq!(manual.ping().await, Ok("pong"));
    drop(manual);
    exit.await;
    assert_eq!(
        log.events().first().map(String::as_str),
        Some("manual started")
    );
    assert_eq!(log.events().len(), 502);
}

every_executor!(
    hooks_named_on_the_attribute_run,
    the_mailbox_option_sets_the_capacity,
    a_hand_written_impl_actor_keeps_its_hooks_and_mailbox,
);
