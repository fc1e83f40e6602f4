//! The calling side: a remote actor's address is an ordinary [`Address`] whose
//! mailbox a [`Proxy`] drains onto the wire, in order: in the sender's own thread
//! (the mailbox's waker drains it) where the engine never blocks a thread, through
//! the address's backlog task where it may; its stop is published when the actor
//! stops, its node is lost, every local address is gone, or the node closes.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use messages::proxy::{Arrival, Proxy};
use messages::{Actor, Address, StopReason};
use tokio::runtime::Handle;
use tokio::sync::{Notify, watch};

use crate::contain::contain;
use crate::engine::{AnswerOnce, Sender, Session, Watch};
use crate::flag::Flag;
use crate::inline::{Step, exclusively};
use crate::node::Settings;
use crate::ordered::Ordered;
use crate::remote::{Outgoing, OutgoingKind};
use crate::wire;
use crate::{Remote, RemoteError};

/// The address of the actor published as `name`, waiting up to `timeout` for it.
pub(crate) async fn lookup<A: Remote>(
    session: Session,
    settings: Settings,
    name: String,
    timeout: Duration,
    mut closing: watch::Receiver<bool>,
) -> Result<Address<A>, RemoteError> {
    // Watch the name first, so that its end is seen however soon it comes.
    let watch = Arc::new(Watch::default());
    let watching = session.watch(&name, Arc::clone(&watch)).await?;
    let found = tokio::time::timeout(timeout, watch.appeared())
        .await
        .is_ok()
        || watch.is_up();
    if !found
        && !session
            .is_published(&name, Duration::from_millis(200))
            .await?
    {
        return Err(RemoteError::NotFound(name));
    }
    let sender = session
        .sender(&name, settings.request_timeout, Arc::clone(&watch))
        .await?;
    check_served::<A>(&sender, &name, settings.lookup_timeout).await?;
    let (address, proxy) = Proxy::<A>::new();
    // An engine whose sends may block the thread (while it is congested) sends from
    // the backlog task only, on a runtime for that: never in the thread of whoever
    // sent the message, nor on the node's runtime.
    let blocking = session.blocking_runtime();
    let ordered = if blocking.is_some() {
        Ordered::queued()
    } else {
        Ordered::new()
    };
    let driver = Arc::new(Driver {
        drive: Mutex::new(Some(Drive {
            proxy,
            sender: Arc::new(sender),
        })),
        notified: AtomicBool::new(false),
        paused: AtomicBool::new(false),
        ending: Mutex::new(None),
        told_to_end: AtomicBool::new(false),
        abandoned: Flag::default(),
        ordered,
        finished: Notify::new(),
        runtime: Handle::current(),
    });
    // What the engine could not take at once, in order.
    let draining = Arc::clone(&driver);
    let backlog_runtime = blocking.unwrap_or_else(Handle::current);
    backlog_runtime.spawn(async move {
        // Made once, not per piece: a piece may be one message of a flood.
        let abandoned = draining.abandoned.until(true);
        tokio::pin!(abandoned);
        let mut given_up = false;
        while let Some(work) = draining.ordered.next().await {
            if given_up {
                // Dropped unsent: a request's answer is `Unreachable`.
                drop(work);
                continue;
            }
            tokio::select! {
                biased;
                () = &mut abandoned => given_up = true,
                () = work => {}
            }
            // Resumed once the backlog is half done, not after each piece: the
            // senders waiting for room then take many places at once (one wake-up
            // each per message would be a thread switch per message).
            if draining.ordered.waiting() <= BACKLOG_RESUME
                && draining.paused.swap(false, Ordering::SeqCst)
            {
                draining.run();
            }
        }
    });
    // The end of the name (the actor stopped, or its node is gone), and of this node
    // (closed, or dropped: its runtime ends this task): the declarations end here, on
    // the node's runtime.
    let ending = FinishOnDrop(Arc::clone(&driver));
    tokio::spawn(async move {
        let _watching = watching;
        tokio::select! {
            reason = watch.ended() => ending.0.finish(reason),
            () = ending.0.finished.notified() => {}
            () = async { drop(closing.wait_for(|closing| *closing).await) } => {}
        }
    });
    driver.run();
    Ok(address)
}

/// Asks the actor published as `name` which messages it serves, and refuses an
/// address of `A` if some message of `A` is not among them. Not checked when either
/// side does not list its tags, or the answer does not come in `timeout` (the address
/// then finds out message by message: `Malformed`, `Timeout`).
async fn check_served<A: Remote>(
    sender: &Sender,
    name: &str,
    timeout: Duration,
) -> Result<(), RemoteError> {
    let ours = A::tags();
    if ours.is_empty() {
        return Ok(());
    }
    let Ok(frame) = wire::frame(wire::DESCRIBE_TAG, &[]) else {
        return Ok(());
    };
    let (told, telling) = tokio::sync::oneshot::channel();
    let answer = move |answer: Result<&[u8], messages::SendError>| {
        let served = answer.and_then(wire::decode::<Vec<String>>);
        let _ = told.send(served);
    };
    sender
        .request(frame, AnswerOnce::new(Box::new(answer)))
        .await;
    let Ok(Ok(Ok(served))) = tokio::time::timeout(timeout, telling).await else {
        return Ok(());
    };
    let missing: Vec<String> = ours
        .iter()
        .filter(|tag| !served.iter().any(|served| served == *tag))
        .map(|tag| (*tag).to_owned())
        .collect();
    if served.is_empty() || missing.is_empty() {
        return Ok(());
    }
    Err(RemoteError::Mismatch {
        name: name.to_owned(),
        missing,
    })
}

/// How many sends may wait in a remote address's backlog before its mailbox is no
/// longer drained (its senders then wait for room, as for a full local mailbox).
const BACKLOG_LIMIT: usize = 64;

/// How short the backlog of a paused remote address must be before its mailbox is
/// drained again.
const BACKLOG_RESUME: usize = BACKLOG_LIMIT / 2;

/// Drains a remote address's mailbox, in order, under one lock, right where a
/// message is sent (its mailbox's waker does it), or in the backlog task once that
/// has fallen behind: onto the wire there (NATS), or into the backlog, whose task
/// sends (Zenoh, whose sends may block).
struct Driver<A: Remote> {
    /// `None` once finished.
    drive: Mutex<Option<Drive<A>>>,
    /// Set by every wake-up, cleared by the one draining: a wake-up while another
    /// thread drains is never lost.
    notified: AtomicBool,
    /// Set when draining stopped for a long backlog: the backlog task resumes it
    /// (meanwhile the mailbox fills, and senders wait for room).
    paused: AtomicBool,
    /// Why the address ends, once told (by its watch, or the node), until it has.
    ending: Mutex<Option<StopReason>>,
    /// Set with `ending`: the thread draining stops at once.
    told_to_end: AtomicBool,
    /// Set once the actor is out of reach: the backlog drops what it holds (each
    /// request answered `Unreachable`), the piece under way included.
    abandoned: Flag,
    /// The engine's sends, in order: at once where they can, else in the backlog.
    ordered: Ordered,
    /// Told once the address has ended.
    finished: Notify,
    /// The node's runtime, where what the engine declared is dropped.
    runtime: Handle,
}

struct Drive<A: Actor> {
    proxy: Proxy<A>,
    sender: Arc<Sender>,
}

impl<A: Remote> Driver<A> {
    /// Takes what is queued to the wire, until the mailbox is empty (its waker is this
    /// driver) or the backlog is long (the backlog task resumes it).
    fn run(self: &Arc<Self>) {
        exclusively(&self.drive, &self.notified, |drive| {
            let ending = self
                .ending
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            if let Some(reason) = ending {
                self.finish_locked(drive, reason);
                return Step::Done;
            }
            let Some(driving) = drive.as_mut() else {
                return Step::Done;
            };
            match self.drain(driving) {
                None => Step::Again,
                Some(reason) => {
                    self.finish_locked(drive, reason);
                    Step::Done
                }
            }
        });
    }

    /// Drains until the mailbox is empty (`None`) or every address is gone.
    fn drain(self: &Arc<Self>, drive: &mut Drive<A>) -> Option<StopReason> {
        let waker = Waker::from(Arc::clone(self));
        let mut look = Context::from_waker(&waker);
        loop {
            // Told to end: the step after this one ends the address.
            if self.told_to_end.load(Ordering::SeqCst) || self.backed_up() {
                return None;
            }
            let arrival = {
                let mut next = std::pin::pin!(drive.proxy.next());
                match next.as_mut().poll(&mut look) {
                    Poll::Pending => return None,
                    // Every local address is gone: this remote address ends (the actor
                    // itself goes on), as a local actor's would.
                    Poll::Ready(None) => return Some(StopReason::AddressesDropped),
                    Poll::Ready(Some(arrival)) => match arrival {
                        Arrival::Message(incoming) => Send::taking::<A>(incoming),
                        Arrival::Stop => Some(Send::Control(wire::STOP_TAG)),
                        Arrival::Kill => Some(Send::Control(wire::KILL_TAG)),
                        _ => None,
                    },
                }
            };
            if let Some(send) = arrival {
                let sender = Arc::clone(&drive.sender);
                self.ordered
                    .run(Box::pin(async move { send.go(&sender).await }));
            }
        }
    }

    /// Whether the backlog is long enough to stop draining the mailbox (until the
    /// backlog task, which is told, catches up).
    fn backed_up(&self) -> bool {
        if self.ordered.waiting() < BACKLOG_LIMIT {
            return false;
        }
        self.paused.store(true, Ordering::SeqCst);
        // Seen after `paused` is set: the backlog task resumes draining after its
        // next piece (or it caught up already, and this drains on).
        self.ordered.waiting() >= BACKLOG_LIMIT
    }

    /// Ends the address for `reason` (the first reason only), without waiting: the
    /// thread that drains it now (if one does) ends it after its current step.
    fn finish(self: &Arc<Self>, reason: StopReason) {
        self.ending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_or_insert(reason);
        self.told_to_end.store(true, Ordering::SeqCst);
        self.run();
    }

    fn finish_locked(&self, drive: &mut Option<Drive<A>>, reason: StopReason) {
        let Some(Drive { mut proxy, sender }) = drive.take() else {
            return;
        };
        if reason == StopReason::Unreachable {
            // Out of reach: the requests still here, and those the backlog holds,
            // fail as the ones on the wire do.
            unreachable(&mut proxy);
            self.abandoned.set(true);
        }
        proxy.finish(reason);
        drop(proxy);
        // The backlog task ends once what is in it is done (it holds this driver).
        self.ordered.close();
        // The engine's declarations end on the node's runtime (never on the caller's,
        // which may be a current-thread runtime the engine cannot drop them on).
        drop(self.runtime.spawn(async move { drop(sender) }));
        self.finished.notify_one();
    }
}

impl<A: Remote> Wake for Driver<A> {
    fn wake(self: Arc<Self>) {
        self.run();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.run();
    }
}

/// Answers every request still queued in `proxy` `Unreachable` (notifications are
/// dropped: at most once).
fn unreachable<A: Remote>(proxy: &mut Proxy<A>) {
    let mut look = Context::from_waker(Waker::noop());
    loop {
        let mut next = std::pin::pin!(proxy.next());
        let Poll::Ready(Some(arrival)) = next.as_mut().poll(&mut look) else {
            return;
        };
        if let Arrival::Message(incoming) = arrival {
            // Dropped unsent: a request's `AnswerOnce` answers it `Unreachable`.
            drop(Send::taking::<A>(incoming));
        }
    }
}

/// Finishes the address if its watching task ends first (the node is closing).
struct FinishOnDrop<A: Remote>(Arc<Driver<A>>);

impl<A: Remote> Drop for FinishOnDrop<A> {
    fn drop(&mut self) {
        self.0.finish(StopReason::Unreachable);
    }
}

/// One thing for the wire.
enum Send {
    Notification(Vec<u8>),
    /// A request, whose answer is `Unreachable` if it is dropped unsent (its address
    /// ended with the actor out of reach) or sent and never answered.
    Request(Vec<u8>, AnswerOnce),
    /// A stop or a kill, in order with the messages.
    Control(&'static str),
}

impl Send {
    /// What a message taken out of the proxy puts on the wire. A hand-written
    /// `outgoing` that panics loses that message only (what it held is dropped: a
    /// request is answered `Unanswered`); one that does not cross is refused by it.
    fn taking<A: Remote>(incoming: messages::proxy::Incoming<'_, A>) -> Option<Self> {
        contain(|| A::outgoing(incoming))
            .ok()
            .flatten()
            .and_then(Send::of)
    }

    /// What `outgoing` puts on the wire: `None` for a message that did not encode (a
    /// request is answered with why; a notification is dropped, its sender returned
    /// already: at most once, said in the crate docs).
    fn of(outgoing: Outgoing) -> Option<Self> {
        let Outgoing { frame, kind } = outgoing;
        match (kind, frame) {
            (OutgoingKind::Notification, Ok(frame)) => Some(Send::Notification(frame)),
            (OutgoingKind::Notification, Err(_)) => None,
            (OutgoingKind::Request(answer), Ok(frame)) => {
                Some(Send::Request(frame, AnswerOnce::new(answer)))
            }
            (OutgoingKind::Request(answer), Err(error)) => {
                answer(Err(error));
                None
            }
        }
    }

    async fn go(self, sender: &Sender) {
        match self {
            Send::Notification(frame) => sender.notify(frame).await,
            Send::Request(frame, answer) => sender.request(frame, answer).await,
            Send::Control(tag) => {
                if let Ok(frame) = wire::frame(tag, &[]) {
                    sender.notify(frame).await;
                }
            }
        }
    }
}
