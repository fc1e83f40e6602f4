//! The `tracing` feature: a span per actor (type, id) and per handled message (type),
//! and events for start, panic, restart and stop. Run with
//! `cargo test -p messages --features tracing --test tracing`.
#![cfg(feature = "tracing")]

use std::sync::{Arc, Mutex};

use messages::prelude::*;
use messages::supervision::{Restart, Supervision};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Records span names with their fields, and events with their message, in order.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Fields(format!("span {}", span.metadata().name()));
        span.record(&mut fields);
        let mut log = self.0.lock().unwrap();
        log.push(fields.0);
        Id::from_u64(log.len() as u64)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields("event".to_owned());
        event.record(&mut fields);
        self.0.lock().unwrap().push(fields.0);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[derive(Default)]
struct Traced;

impl Actor for Traced {}

struct Ping;

impl Handler<Ping> for Traced {
    type Result = ();
    async fn handle(&mut self, _: Ping, _: &Context<Self>) {}
}

struct Boom;

impl Handler<Boom> for Traced {
    type Result = ();
    async fn handle(&mut self, _: Boom, _: &Context<Self>) {
        panic!("traced boom")
    }
}

#[test]
fn actors_and_messages_are_traced() {
    let recorder = Recorder::default();
    let log = Arc::clone(&recorder.0);
    tracing::subscriber::with_default(recorder, || {
        futures::executor::block_on(async {
            let context = Context::new();
            let address = context.address();
            let caller = async move {
                address.send(Ping).await.unwrap();
                assert_eq!(address.send(Boom).await, Err(SendError::Panicked));
                address.send(Ping).await.unwrap();
            };
            let supervision = Supervision::new(Restart::Transient);
            let (_, exit) =
                futures::join!(caller, context.run_supervised(Traced::default, supervision));
            assert_eq!(exit.unwrap().restarts, 1);
        });
    });
    let log = log.lock().unwrap().clone();
    let text = log.join("\n");
    assert!(
        log[0].starts_with("span actor actor=\"tracing::Traced\" id="),
        "{text}"
    );
    let order = [
        "event message=started restarts=0",
        "span message message=\"tracing::Ping\"",
        "span message message=\"tracing::Boom\"",
        "event message=panicked panic=traced boom",
        "event message=restarting reason=stopped because it panicked: traced boom restarts=1",
        "event message=started restarts=1",
        "span message message=\"tracing::Ping\"",
        "event message=stopped reason=stopped because every address was dropped undelivered=0",
    ];
    let mut from = 0;
    for expected in order {
        let found = log[from..]
            .iter()
            .position(|line| line == expected)
            .unwrap_or_else(|| panic!("missing {expected:?} after line {from} in:\n{text}"));
        from += found + 1;
    }
}
