// Pins guarantee 10 of the crate docs (`messages`, "Guarantees and failure model").
//! Self-calls do not deadlock silently: a handler (exclusive or read-only) or a hook
//! awaiting a request to its own actor, or waiting for room in its own full mailbox,
//! gets `WouldDeadlock` at once.

use crate::fixtures::Echo;
use messages::ReadHandler;
use messages::prelude::*;
use messages::runtime::Spawner;
use messages_tests::{Log, Rt, every_executor};

#[derive(Default)]
struct Narcissus {
    log: Log,
    request_in_started: Option<tokio::sync::oneshot::Sender<Result<u8, SendError>>>,
    request_in_stopping: Option<tokio::sync::oneshot::Sender<Result<u8, SendError>>>,
}

impl Actor for Narcissus {
    async fn started(&mut self, context: &Context<Self>) {
        if let Some(report) = self.request_in_started.take() {
            let _ = report.send(context.address().send(Echo(1)).await);
        }
    }

    async fn stopping(&mut self, context: &Context<Self>) -> ActorAction {
        if let Some(report) = self.request_in_stopping.take() {
            let _ = report.send(context.address().send(Echo(1)).await);
        }
        ActorAction::Stop
    }
}

/// A read-only request that asks its own actor for an echo.
struct EchoOfMyself;

impl ReadHandler<EchoOfMyself> for Narcissus {
    type Result = Result<u8, SendError>;
    async fn handle_read(&self, _: EchoOfMyself, context: &Context<Self>) -> Self::Result {
        context.address().send(Echo(8)).await
    }
}

impl Handler<Echo> for Narcissus {
    type Result = u8;
    async fn handle(&mut self, Echo(n): Echo, _: &Context<Self>) -> u8 {
        self.log.push(format!("echo {n}"));
        n
    }
}

impl Notifiable<Echo> for Narcissus {
    async fn notify(&mut self, Echo(n): Echo, _: &Context<Self>) {
        self.log.push(format!("echo {n}"));
    }
}

/// The ways a handler can call its own actor.
enum SelfCall {
    Send,
    AwaitTrySendReply,
    NotifyWithRoom,
    NotifyWhenFull,
    StopWhenFull,
    SendFromSpawnedTask(Rt, tokio::sync::oneshot::Sender<Result<u8, SendError>>),
    /// Fills the mailbox, then polls a notification and a request to itself once
    /// under `outside_actors` (a proxy owner's code in this thread): they wait, as an
    /// outside sender's would. Afterwards (and after a panic in it) the handler is
    /// itself again: its own requests are refused.
    OutsideActors,
}

/// Polls `future` once (its waker does nothing): `None` while it waits.
fn poll_once<F: std::future::Future>(future: F) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    let mut look = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut look) {
        std::task::Poll::Ready(output) => Some(output),
        std::task::Poll::Pending => None,
    }
}

impl Handler<SelfCall> for Narcissus {
    type Result = Result<(), SendError>;
    async fn handle(&mut self, call: SelfCall, context: &Context<Self>) -> Result<(), SendError> {
        let me = context.address();
        match call {
            SelfCall::Send => me.send(Echo(1)).await.map(drop),
            SelfCall::AwaitTrySendReply => {
                let reply = me.try_send(Echo(2)).map_err(|_| SendError::Stopped)?;
                reply.await.map(drop)
            }
            SelfCall::NotifyWithRoom => me.notify(Echo(3)).await,
            SelfCall::NotifyWhenFull => {
                me.try_notify(Echo(4)).map_err(|_| SendError::Stopped)?;
                me.notify(Echo(5)).await
            }
            SelfCall::StopWhenFull => {
                me.try_notify(Echo(6)).map_err(|_| SendError::Stopped)?;
                me.stop().await;
                Ok(())
            }
            SelfCall::SendFromSpawnedTask(rt, report) => {
                // Another task: answered once this handler has returned.
                rt.spawn(async move {
                    let _ = report.send(me.send(Echo(7)).await);
                });
                Ok(())
            }
            SelfCall::OutsideActors => {
                me.try_notify(Echo(11)).map_err(|_| SendError::Stopped)?;
                let outside = messages::proxy::outside_actors(|| {
                    let notified = poll_once(me.notify(Echo(12)));
                    let asked = poll_once(me.send(Echo(13)));
                    (notified, asked)
                });
                // Both wait for room (and queue nothing once dropped).
                assert_eq!(outside, (None, None));
                let panicked = std::panic::catch_unwind(|| {
                    messages::proxy::outside_actors(|| panic!("inside outside_actors"))
                });
                assert!(panicked.is_err());
                me.send(Echo(14)).await.map(drop)
            }
        }
    }
}

fn spawn_with_capacity(rt: &Rt, capacity: usize, log: &Log) -> Address<Narcissus> {
    let context = Context::with_capacity(capacity).unwrap();
    let address = context.address();
    let actor = Narcissus {
        log: log.clone(),
        ..Narcissus::default()
    };
    drop(context.with_runtime(rt.clone()).spawn(actor));
    address
}

async fn a_request_to_itself_is_refused(rt: Rt) {
    let log = Log::default();
    let address = spawn_with_capacity(&rt, 8, &log);
    assert_eq!(
        address.send(SelfCall::Send).await,
        Ok(Err(SendError::WouldDeadlock))
    );
    assert_eq!(
        address.send(SelfCall::AwaitTrySendReply).await,
        Ok(Err(SendError::WouldDeadlock))
    );
    // The actor is unaffected; the request queued by `try_send` is still handled.
    assert_eq!(address.send(Echo(9)).await, Ok(9));
    assert_eq!(log.events(), ["echo 2", "echo 9"]);
}

async fn a_notification_to_itself_with_room_is_queued(rt: Rt) {
    let log = Log::default();
    let address = spawn_with_capacity(&rt, 8, &log);
    assert_eq!(address.send(SelfCall::NotifyWithRoom).await, Ok(Ok(())));
    assert_eq!(address.send(Echo(9)).await, Ok(9));
    assert_eq!(log.events(), ["echo 3", "echo 9"]);
}

async fn waiting_for_room_in_its_own_full_mailbox_is_refused(rt: Rt) {
    let log = Log::default();
    let address = spawn_with_capacity(&rt, 1, &log);
    assert_eq!(
        address.send(SelfCall::NotifyWhenFull).await,
        Ok(Err(SendError::WouldDeadlock))
    );
    assert_eq!(address.send(Echo(9)).await, Ok(9));
    assert_eq!(log.events(), ["echo 4", "echo 9"]);
}

async fn a_self_stop_on_a_full_mailbox_still_stops(rt: Rt) {
    let log = Log::default();
    let address = spawn_with_capacity(&rt, 1, &log);
    assert_eq!(address.send(SelfCall::StopWhenFull).await, Ok(Ok(())));
    assert_eq!(address.wait_for_stop().await, StopReason::Requested);
    assert_eq!(
        log.events(),
        ["echo 6"],
        "what was queued before the stop is handled"
    );
}

async fn code_run_outside_actors_waits_as_an_outside_sender(rt: Rt) {
    let log = Log::default();
    let address = spawn_with_capacity(&rt, 1, &log);
    assert_eq!(
        address.send(SelfCall::OutsideActors).await,
        Ok(Err(SendError::WouldDeadlock))
    );
    assert_eq!(address.send(Echo(9)).await, Ok(9));
    assert_eq!(log.events(), ["echo 11", "echo 9"]);
}

async fn a_request_from_started_to_itself_is_refused(rt: Rt) {
    let (report, reported) = tokio::sync::oneshot::channel();
    let address = Narcissus {
        request_in_started: Some(report),
        ..Narcissus::default()
    }
    .spawn_on(&rt);
    assert_eq!(reported.await.unwrap(), Err(SendError::WouldDeadlock));
    assert_eq!(address.send(Echo(2)).await, Ok(2));
}

async fn a_read_handler_requesting_its_own_actor_is_refused(rt: Rt) {
    let log = Log::default();
    let address = spawn_with_capacity(&rt, 8, &log);
    assert_eq!(
        address.read(EchoOfMyself).await,
        Ok(Err(SendError::WouldDeadlock))
    );
    assert_eq!(address.send(Echo(9)).await, Ok(9));
    assert_eq!(log.events(), ["echo 9"]);
}

async fn a_request_from_stopping_to_itself_is_refused(rt: Rt) {
    let (report, reported) = tokio::sync::oneshot::channel();
    let address = Narcissus {
        request_in_stopping: Some(report),
        ..Narcissus::default()
    }
    .spawn_on(&rt);
    address.stop().await;
    assert_eq!(reported.await.unwrap(), Err(SendError::WouldDeadlock));
    assert_eq!(address.wait_for_stop().await, StopReason::Requested);
}

async fn another_task_may_call_the_actor_it_came_from(rt: Rt) {
    let log = Log::default();
    let address = spawn_with_capacity(&rt, 8, &log);
    let (report, reported) = tokio::sync::oneshot::channel();
    let call = SelfCall::SendFromSpawnedTask(rt.clone(), report);
    assert_eq!(address.send(call).await, Ok(Ok(())));
    assert_eq!(reported.await.unwrap(), Ok(7));
    assert_eq!(log.events(), ["echo 7"]);
}

every_executor!(
    a_request_to_itself_is_refused,
    a_notification_to_itself_with_room_is_queued,
    waiting_for_room_in_its_own_full_mailbox_is_refused,
    a_self_stop_on_a_full_mailbox_still_stops,
    a_request_from_started_to_itself_is_refused,
    a_read_handler_requesting_its_own_actor_is_refused,
    a_request_from_stopping_to_itself_is_refused,
    another_task_may_call_the_actor_it_came_from,
    code_run_outside_actors_waits_as_an_outside_sender,
);
