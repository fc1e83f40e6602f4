//! Broadcast: every member gets a clone of each notification, in order; members of
//! different actor types mix; stopped members leave; full mailboxes are waited for.

use crate::fixtures::SignalledHold;
use messages::Broadcast;
use messages::prelude::*;
use messages_tests::{Gate, Log, Rt, every_executor};

#[derive(Clone)]
struct News(&'static str);

#[derive(Default)]
struct Reader {
    log: Log,
}

impl Actor for Reader {}

impl Notifiable<News> for Reader {
    async fn notify(&mut self, News(text): News, _: &Context<Self>) {
        self.log.push(format!("reader: {text}"));
    }
}

#[derive(Default)]
struct Archive {
    log: Log,
}

impl Actor for Archive {}

impl Notifiable<News> for Archive {
    async fn notify(&mut self, News(text): News, _: &Context<Self>) {
        self.log.push(format!("archive: {text}"));
    }
}

impl Notifiable<SignalledHold> for Reader {
    async fn notify(&mut self, SignalledHold(entered, gate): SignalledHold, _: &Context<Self>) {
        let _ = entered.send(());
        gate.pass().await;
    }
}

async fn every_member_gets_every_notification_in_order(rt: Rt) {
    let (reader_log, archive_log) = (Log::default(), Log::default());
    let reader = Reader {
        log: reader_log.clone(),
    }
    .spawn_on(&rt);
    let archive = Archive {
        log: archive_log.clone(),
    }
    .spawn_on(&rt);
    let mut group = Broadcast::new();
    group.add(reader.notify_recipient());
    group.add(archive.notify_recipient());
    group.add(reader.notify_recipient()); // already a member
    assert_eq!(group.len(), 2);
    assert_eq!(group.notify(News("one")).await, 2);
    assert_eq!(group.try_notify(News("two")), 2);
    reader.stop().await;
    archive.stop().await;
    reader.wait_for_stop().await;
    archive.wait_for_stop().await;
    assert_eq!(reader_log.events(), ["reader: one", "reader: two"]);
    assert_eq!(archive_log.events(), ["archive: one", "archive: two"]);
    // Both stopped: the next broadcast reaches nobody and empties the group.
    assert_eq!(group.notify(News("three")).await, 0);
    assert!(group.is_empty());
}

async fn a_full_member_is_waited_for_or_skipped(rt: Rt) {
    let log = Log::default();
    let context = Context::with_capacity(1).unwrap();
    let reader = context.address();
    let join = context
        .with_runtime(rt.clone())
        .spawn(Reader { log: log.clone() });
    let (gate, key) = Gate::new();
    let (entered, inside) = tokio::sync::oneshot::channel();
    reader.notify(SignalledHold(entered, gate)).await.unwrap();
    inside.await.unwrap();
    let mut group = Broadcast::new();
    group.add(reader.notify_recipient());
    // The reader is held: the single slot takes one notification, then it is full.
    assert_eq!(group.try_notify(News("filler")), 1);
    assert_eq!(group.try_notify(News("skipped")), 0, "full: skipped");
    let waiting = rt.spawn_task({
        let mut group = group.clone();
        async move { group.notify(News("waited")).await }
    });
    key.open();
    assert_eq!(waiting.await, 1, "full: waited for room");
    drop((group, reader));
    join.await.unwrap();
    let events = log.events();
    assert_eq!(events.last().map(String::as_str), Some("reader: waited"));
    assert!(!events.iter().any(|event| event.contains("skipped")));
}

async fn members_can_leave(rt: Rt) {
    let reader = Reader::default().spawn_on(&rt);
    let mut group = Broadcast::new();
    group.add(reader.notify_recipient());
    assert_eq!(group.ids().collect::<Vec<_>>(), [reader.id()]);
    assert!(group.remove(reader.id()));
    assert!(!group.remove(reader.id()));
    assert_eq!(group.notify(News("nobody")).await, 0);
}

every_executor!(
    every_member_gets_every_notification_in_order,
    a_full_member_is_waited_for_or_skipped,
    members_can_leave,
);
