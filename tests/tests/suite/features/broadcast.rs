//! Broadcast: every member gets a clone of each notification, in order; members of
//! different actor types mix; members are held weakly (a member whose addresses are
//! all gone stops and leaves, a stopped member leaves) unless added strong (the
//! broadcast keeps it alive); full mailboxes are waited for, or reported as missed.

use std::pin::pin;

use crate::fixtures::SignalledHold;
use futures::poll;
use messages::prelude::*;
use messages::{Broadcast, PartialDelivery};
use messages_tests::{Gate, Log, Rt, every_executor, within};

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

impl Notifiable<SignalledHold> for Reader {
    async fn notify(&mut self, SignalledHold(entered, gate): SignalledHold, _: &Context<Self>) {
        let _ = entered.send(());
        gate.pass().await;
    }
}

/// A member of another type, declared with `#[actor]`: it joins by its typed address.
#[actor]
#[derive(Default)]
struct Archive {
    log: Log,
}

impl Notifiable<News> for Archive {
    async fn notify(&mut self, News(text): News, _: &Context<Self>) {
        self.log.push(format!("archive: {text}"));
    }
}

/// Broadcasts from inside an actor that is itself a member, with its own one-slot
/// mailbox filled first: waiting for room there would deadlock.
struct Loudspeaker {
    group: Broadcast<News>,
    log: Log,
}

impl Actor for Loudspeaker {}

struct Shout;

impl Handler<Shout> for Loudspeaker {
    type Result = (Result<usize, PartialDelivery>, usize);
    async fn handle(&mut self, _: Shout, ctx: &Context<Self>) -> Self::Result {
        ctx.address().try_notify(News("filler")).unwrap();
        let outcome = self.group.notify(News("shout")).await;
        (outcome, self.group.len())
    }
}

impl Notifiable<News> for Loudspeaker {
    async fn notify(&mut self, News(text): News, _: &Context<Self>) {
        self.log.push(format!("loudspeaker: {text}"));
    }
}

/// A reader held inside `SignalledHold` until the returned key opens: its one-slot
/// mailbox is then free, the next notification fills it.
async fn held_reader(rt: &Rt, log: &Log) -> (Address<Reader>, JoinReader, messages_tests::GateKey) {
    let context = Context::with_capacity(1).unwrap();
    let reader = context.address();
    let join = context
        .with_runtime(rt.clone())
        .spawn(Reader { log: log.clone() });
    let (gate, key) = Gate::new();
    let (entered, inside) = tokio::sync::oneshot::channel();
    reader.notify(SignalledHold(entered, gate)).await.unwrap();
    within(inside).await.unwrap();
    (reader, join, key)
}

type JoinReader = messages::runtime::JoinHandle<Reader>;

async fn every_member_gets_every_notification_in_order(rt: Rt) {
    let (reader_log, archive_log) = (Log::default(), Log::default());
    let reader = Reader {
        log: reader_log.clone(),
    }
    .spawn_on(&rt);
    let archive: ArchiveAddress = Archive {
        log: archive_log.clone(),
    }
    .spawn_on(&rt);
    let mut group = Broadcast::new();
    assert!(group.add(&reader));
    assert!(group.add(&archive));
    assert!(!group.add(&reader), "already a member");
    assert_eq!(group.len(), 2);
    assert_eq!(group.notify(News("one")).await, Ok(2));
    assert_eq!(group.try_notify(News("two")), Ok(2));
    reader.stop().await;
    archive.stop().await;
    within(reader.wait_for_stop()).await;
    within(archive.wait_for_stop()).await;
    assert_eq!(reader_log.events(), ["reader: one", "reader: two"]);
    assert_eq!(archive_log.events(), ["archive: one", "archive: two"]);
    // Both stopped: not counted, though their addresses are still here; the next
    // broadcast reaches nobody and empties the group.
    assert_eq!(group.len(), 0);
    assert_eq!(group.ids().count(), 0);
    assert_eq!(group.notify(News("three")).await, Ok(0));
    assert_eq!(group.try_notify(News("four")), Ok(0));
    assert!(group.is_empty());
}

async fn a_member_whose_addresses_are_all_dropped_stops_and_leaves(rt: Rt) {
    let (log, other_log) = (Log::default(), Log::default());
    let context = Context::new();
    let reader = context.address();
    let join = context
        .with_runtime(rt.clone())
        .spawn(Reader { log: log.clone() });
    let other = Reader {
        log: other_log.clone(),
    }
    .spawn_on(&rt);
    let mut group = Broadcast::new();
    group.add(&reader);
    group.add(&other);
    assert_eq!(group.notify(News("before")).await, Ok(2));
    drop(reader);
    // The group does not keep it alive: it stops once its backlog is handled.
    let exit = within(join).await.unwrap();
    assert_eq!(exit.actor.log.events(), ["reader: before"]);
    assert_eq!(group.len(), 1);
    assert_eq!(group.ids().collect::<Vec<_>>(), [other.id()]);
    assert_eq!(group.notify(News("after")).await, Ok(1));
    assert_eq!(log.events(), ["reader: before"]);
    other.stop().await;
    within(other.wait_for_stop()).await;
    assert_eq!(other_log.events(), ["reader: before", "reader: after"]);
}

async fn a_strong_member_stays_alive(rt: Rt) {
    let (log, other_log) = (Log::default(), Log::default());
    let context = Context::new();
    let reader = context.address();
    let join = context
        .with_runtime(rt.clone())
        .spawn(Reader { log: log.clone() });
    let context = Context::new();
    let other = context.address();
    let other_join = context.with_runtime(rt.clone()).spawn(Reader {
        log: other_log.clone(),
    });
    let mut group = Broadcast::new();
    assert!(group.add_strong(reader.notify_recipient()));
    assert!(group.add(&other));
    assert!(
        !group.add_strong(other.notify_recipient()),
        "weak becomes strong"
    );
    assert!(!group.add(&reader), "strong stays strong");
    let reader_id = reader.id();
    drop((reader, other));
    // Only the group holds them now: both are alive and take notifications.
    assert_eq!(group.len(), 2);
    assert_eq!(group.notify(News("kept")).await, Ok(2));
    // Removed: its last holder is gone, it stops after its backlog.
    assert!(group.remove(reader_id));
    let exit = within(join).await.unwrap();
    assert_eq!(exit.actor.log.events(), ["reader: kept"]);
    assert_eq!(group.try_notify(News("still")), Ok(1));
    drop(group);
    let exit = within(other_join).await.unwrap();
    assert_eq!(exit.actor.log.events(), ["reader: kept", "reader: still"]);
    assert_eq!(log.events(), ["reader: kept"]);
}

async fn a_full_member_is_waited_for_or_reported_missed(rt: Rt) {
    let log = Log::default();
    let (reader, join, key) = held_reader(&rt, &log).await;
    let mut group = Broadcast::new();
    group.add(&reader);
    // The reader is held: the single slot takes one notification, then it is full.
    assert_eq!(group.try_notify(News("filler")), Ok(1));
    let missed = group.try_notify(News("skipped")).unwrap_err();
    assert_eq!(
        (missed.delivered(), missed.missed()),
        (0, &[reader.id()][..])
    );
    assert_eq!(group.len(), 1, "a full member stays");
    let waiting = rt.spawn_task({
        let mut group = group.clone();
        async move { group.notify(News("waited")).await }
    });
    key.open();
    assert_eq!(within(waiting).await, Ok(1), "full: waited for room");
    drop((group, reader));
    within(join).await.unwrap();
    assert_eq!(log.events(), ["reader: filler", "reader: waited"]);
}

async fn a_member_that_stops_while_waited_for_leaves(rt: Rt) {
    let log = Log::default();
    let (reader, join, key) = held_reader(&rt, &log).await;
    let mut group = Broadcast::new();
    group.add(&reader);
    assert_eq!(group.try_notify(News("filler")), Ok(1));
    {
        let mut notify = pin!(group.notify(News("never")));
        assert!(poll!(notify.as_mut()).is_pending(), "waits for room");
        // Killed while the broadcast waits for its room: once the held handler returns,
        // the mailbox closes, the wait fails and the member leaves.
        reader.kill();
        key.open();
        assert_eq!(within(notify).await, Ok(0));
    }
    assert_eq!(group.len(), 0);
    assert_eq!(group.ids().count(), 0);
    within(join).await.unwrap();
    assert!(!log.events().iter().any(|event| event.contains("never")));
}

async fn a_wait_that_would_deadlock_is_reported_missed(rt: Rt) {
    let log = Log::default();
    let context = Context::with_capacity(1).unwrap();
    let speaker = context.address();
    let mut group = Broadcast::new();
    group.add(&speaker);
    let join = context.with_runtime(rt.clone()).spawn(Loudspeaker {
        group,
        log: log.clone(),
    });
    let (outcome, members) = within(speaker.send(Shout)).await.unwrap();
    let missed = outcome.unwrap_err();
    assert_eq!(
        (missed.delivered(), missed.missed()),
        (0, &[speaker.id()][..])
    );
    assert_eq!(members, 1, "a live member that was missed stays");
    drop(speaker);
    within(join).await.unwrap();
    assert_eq!(log.events(), ["loudspeaker: filler"]);
}

async fn members_can_leave(rt: Rt) {
    let reader = Reader::default().spawn_on(&rt);
    let mut group = Broadcast::new();
    group.add(&reader);
    assert_eq!(group.ids().collect::<Vec<_>>(), [reader.id()]);
    assert!(group.remove(reader.id()));
    assert!(!group.remove(reader.id()));
    assert_eq!(group.notify(News("nobody")).await, Ok(0));
}

every_executor!(
    every_member_gets_every_notification_in_order,
    a_member_whose_addresses_are_all_dropped_stops_and_leaves,
    a_strong_member_stays_alive,
    a_full_member_is_waited_for_or_reported_missed,
    a_member_that_stops_while_waited_for_leaves,
    a_wait_that_would_deadlock_is_reported_missed,
    members_can_leave,
);
