//! The mailbox loop: `started`, then messages one at a time (or a batch of concurrent
//! reads), then the backlog's fate, then `stopped`.

use std::any::Any;
use std::future::{Future, poll_fn};
use std::task::Poll;

use super::Context;
use crate::cell::{ActorCell, Inbox, KILL, RESTART, STOP};
use crate::envelope::{Next, ReadFuture};
use crate::panic::{self, Panic, catch_unwind_call};
use crate::reentrancy;
use crate::supervision::{self, GroupEvent, PanicAction, Restart, Supervisor};
use crate::{Actor, ActorAction, Exit, StopReason};

/// What happens once the actor has stopped: where its final state goes, and when the
/// stop is published (to `wait_for_stop`, monitors and the registry).
pub(super) trait Ending<A>: Send {
    type Output;

    fn end(self, exit: Exit<A>, cell: &ActorCell<A>) -> Self::Output;
}

/// The final state goes to the caller; the stop is published first.
pub(super) struct Join;

impl<A> Ending<A> for Join {
    type Output = Exit<A>;

    fn end(self, exit: Exit<A>, cell: &ActorCell<A>) -> Exit<A> {
        cell.finish(exit.reason.clone());
        exit
    }
}

/// The final state goes to a [`JoinHandle`](crate::JoinHandle) (if it is still there);
/// the stop is published first. Ending the spawned run future itself this way spares
/// the task a wrapper future to poll on every wake-up.
/// (A dropped handle detached the actor: its state is dropped by the run, after the
/// stop is published.)
pub(super) struct Deliver;

impl<A: Send> Ending<A> for Deliver {
    type Output = ();

    fn end(self, exit: Exit<A>, cell: &ActorCell<A>) {
        cell.deliver(exit);
    }
}

/// Nobody takes the final state: it is dropped before the stop is published.
pub(super) struct Detach;

impl<A> Ending<A> for Detach {
    type Output = ();

    fn end(self, exit: Exit<A>, cell: &ActorCell<A>) {
        let Exit {
            actor, mut reason, ..
        } = exit;
        // The state's `Drop` is the actor's code: a panic in it is the actor's panic.
        note_panic(&mut reason, panic::drop_contained(actor));
        cell.finish(reason);
    }
}

impl<A: Actor> Context<A> {
    /// The whole life of the actor, restarts included, then its `ending`; every way
    /// of running an actor goes through here.
    ///
    /// A function returning an async block rather than an `async fn`: an `async fn`
    /// keeps each argument twice in its future (as the argument and as a local), and
    /// the actor's state and the context are the bulk of it.
    #[allow(
        clippy::manual_async_fn,
        reason = "an async fn would keep the actor's state twice in the run future"
    )]
    pub(super) fn serve<E: Ending<A>>(
        mut self,
        mut actor: A,
        // Boxed: only supervised actors pay for the supervisor's room in the run future.
        mut supervisor: Option<Box<Supervisor<A>>>,
        ending: E,
    ) -> impl Future<Output = E::Output> {
        let id = self.cell.id;
        let run = async move {
            let this = &mut self;
            let Some(mut mailbox) = this.take_inbox() else {
                // Unreachable: the receiver is taken only here, and `serve` consumes the context.
                let exit = Exit {
                    actor,
                    reason: StopReason::Cancelled,
                    undelivered: 0,
                    restarts: 0,
                };
                return ending.end(exit, &this.cell);
            };
            let policy = supervisor.as_deref().map(Supervisor::policy);
            let restart_on_stop = policy == Some(Restart::Permanent);
            let mut state = LoopState::default();
            let mut first_start = true;
            let mut reason = loop {
                crate::trace::started(this.cell.restarts());
                let started = catch_unwind_call(|| actor.started(this)).await;
                if first_start {
                    // From here on only addresses keep the mailbox open.
                    this.release_sender();
                    first_start = false;
                }
                let reason = match started {
                    Ok(()) => {
                        this.handle_messages(&mut actor, &mut mailbox, &mut state, restart_on_stop)
                            .await
                    }
                    Err(panic) => panicked(&panic),
                };
                crate::trace::panicked(&reason);
                let ordered = std::mem::take(&mut state.restart_ordered);
                let (reason, restart) = if ordered {
                    // A supervisor group restarts this actor because a sibling failed.
                    (reason, true)
                } else if !reason.is_panic() {
                    // No panic to ask the actor about: no need for the boxed step below.
                    let restart = supervision::restarts(policy, &reason, PanicAction::Supervise);
                    (reason, restart)
                } else {
                    // Boxed: runs once per exit, and keeping its state inline would make
                    // every actor's run future (and so every spawn) bigger.
                    let (reason, on_panic) = Box::pin(this.after_panic(
                        &mut actor,
                        &mut mailbox,
                        &mut state,
                        reason,
                        restart_on_stop,
                    ))
                    .await;
                    let restart = supervision::restarts(policy, &reason, on_panic);
                    (reason, restart)
                };
                let Some(supervisor) = supervisor.as_mut().filter(|_| restart && !state.draining)
                else {
                    break reason;
                };
                if !ordered {
                    if !supervisor.try_restart() {
                        break StopReason::TooManyRestarts(Box::new(reason));
                    }
                    crate::trace::restarting(&reason, supervisor.restarts);
                    supervisor.report(GroupEvent::Restarting(reason));
                } else {
                    supervisor.count_restart();
                }
                // What the old state attached (timers, streams, monitors) ends with it,
                // before its `stopped` runs: none of it reaches the fresh state.
                this.cell.begin_restart(supervisor.restarts);
                // The old state stops; a fresh one starts behind the same address, with the
                // mailbox as it is (the failing message is gone, the ones behind it wait).
                let _ = catch_unwind_call(|| actor.stopped()).await;
                match panic::catch(|| supervisor.fresh()) {
                    Ok(fresh) => {
                        // A panic in the old state's `Drop` is contained: it has stopped,
                        // and the fresh state is not to blame.
                        let _ = panic::drop_contained(std::mem::replace(&mut actor, fresh));
                    }
                    Err(panic) => {
                        // No fresh state: the actor ends with the old one, whose
                        // `stopped` has already run.
                        state.stopped = true;
                        break panicked(&panic);
                    }
                }
            };
            let undelivered = this.refuse_backlog(&mut mailbox).await;
            if !state.stopped {
                if undelivered > 0 {
                    let told = catch_unwind_call(|| actor.undelivered(undelivered)).await;
                    note_panic(&mut reason, told);
                }
                note_panic(&mut reason, catch_unwind_call(|| actor.stopped()).await);
            }
            crate::trace::stopped(&reason, undelivered);
            // Every way out of the loop reports here, once, with the final reason.
            if let Some(supervisor) = &supervisor {
                supervisor.report(GroupEvent::Stopped(reason.clone()));
            }
            let exit = Exit {
                actor,
                reason,
                undelivered,
                restarts: supervisor.map_or(0, |supervisor| supervisor.restarts),
            };
            ending.end(exit, &this.cell)
        };
        // The thread is marked as running this actor whenever the run is polled: its
        // handlers and hooks, and the loop between them (once per wake-up rather than
        // once per message). Inside an `actor` span with the `tracing` feature.
        crate::trace::actor(std::any::type_name::<A>(), id, reentrancy::inside(id, run))
    }

    /// After the loop ended with a panic: asks the actor's `on_panic` hook what to do,
    /// and resumes the loop if it says so (asking again after each panic). Returns why
    /// the run finally ended and the hook's last decision, for
    /// [`supervision::restarts`].
    async fn after_panic(
        &self,
        actor: &mut A,
        mailbox: &mut Inbox<A>,
        state: &mut LoopState,
        mut reason: StopReason,
        restart_on_stop: bool,
    ) -> (StopReason, PanicAction) {
        loop {
            let StopReason::Panicked(message) = &reason else {
                // A resumed run that ended otherwise: the policy alone decides.
                return (reason, PanicAction::Supervise);
            };
            let message = message.clone();
            let action = catch_unwind_call(|| actor.on_panic(&message, self))
                .await
                .unwrap_or(PanicAction::Stop);
            if action != PanicAction::Resume || state.draining {
                return (reason, action);
            }
            reason = self
                .handle_messages(actor, mailbox, state, restart_on_stop)
                .await;
        }
    }

    /// Handles messages until the actor stops; returns why.
    ///
    /// A function returning an async block rather than an `async fn`: an `async fn`
    /// keeps each argument twice in its future (as the argument and as a local), and
    /// this future is part of every actor's run future.
    #[allow(
        clippy::manual_async_fn,
        reason = "an async fn would keep its arguments twice in every run future"
    )]
    fn handle_messages<'a>(
        &'a self,
        actor: &'a mut A,
        mailbox: &'a mut Inbox<A>,
        state: &'a mut LoopState,
        restart_on_stop: bool,
    ) -> impl Future<Output = StopReason> + Send + 'a {
        async move {
            loop {
                let signals = self.cell.take_signals();
                if signals & KILL != 0 {
                    return StopReason::Killed;
                }
                if signals & RESTART != 0 && !state.draining {
                    state.restart_ordered = true;
                    return StopReason::Requested;
                }
                if signals & STOP != 0 && !state.draining {
                    match catch_unwind_call(|| actor.stopping(self)).await {
                        // A permanent actor restarts at once, its mailbox as it is.
                        Ok(ActorAction::Stop) if restart_on_stop => return StopReason::Requested,
                        Ok(ActorAction::Stop) => {
                            // Graceful: what is already queued (priority lane first) is
                            // still handled; nothing new gets in.
                            mailbox.close();
                            state.draining = true;
                        }
                        Ok(ActorAction::KeepRunning) => {}
                        Err(panic) => return panicked(&panic),
                    }
                }
                let Some(next) = poll_fn(|cx| mailbox.poll_next(cx)).await else {
                    return if state.draining {
                        StopReason::Requested
                    } else {
                        StopReason::AddressesDropped
                    };
                };
                match next {
                    Next::Wake => mailbox.skip(),
                    Next::Idle => {
                        let seen = mailbox.seen();
                        mailbox.skip();
                        if seen == Some(state.taken) && !state.draining {
                            if let Err(panic) = catch_unwind_call(|| actor.idle(self)).await {
                                return panicked(&panic);
                            }
                        }
                    }
                    // Already stopping: a later stop request changes nothing.
                    Next::Stop if state.draining => mailbox.skip(),
                    Next::Stop => {
                        mailbox.skip();
                        match catch_unwind_call(|| actor.stopping(self)).await {
                            // Everything behind the stop request is refused by the caller.
                            Ok(ActorAction::Stop) => return StopReason::Requested,
                            Ok(ActorAction::KeepRunning) => {}
                            Err(panic) => return panicked(&panic),
                        }
                    }
                    // The item catches its handler's panics itself (it must tell the
                    // requester).
                    Next::Message { .. } => {
                        state.count_taken(self);
                        #[cfg(feature = "tracing")]
                        let name = mailbox.message_type();
                        #[cfg(not(feature = "tracing"))]
                        let name = "";
                        // Pinned where it is built: the inline handler future is not
                        // moved again; the span's wrapper holds only a reference to it.
                        let handling = std::pin::pin!(mailbox.handle(actor, self));
                        let handled = crate::trace::message(name, handling);
                        if let Err(panic) = handled.await {
                            return panicked(&panic);
                        }
                    }
                    Next::Read => {
                        state.count_taken(self);
                        let Some(shared) = mailbox.share(actor) else {
                            mailbox.skip();
                            continue;
                        };
                        let Some(first) = mailbox.read(shared, self) else {
                            continue;
                        };
                        // Boxed: once per batch of reads, and only for actors that read.
                        let batch = Box::pin(self.read_batch(shared, mailbox, first, state));
                        if let Err(panic) = batch.await {
                            return panicked(&panic);
                        }
                    }
                }
            }
        }
    }

    /// Runs `first` and every read that follows it in the mailbox concurrently, at most
    /// [`Actor::READ_CONCURRENCY`] at a time. The first item that is not a read ends
    /// the admissions; it stays first in line until every running read has finished.
    async fn read_batch<'a>(
        &'a self,
        actor: &'a (dyn Any + Send + Sync),
        mailbox: &mut Inbox<A>,
        first: ReadFuture<'a>,
        state: &mut LoopState,
    ) -> Result<(), Panic> {
        let limit = A::READ_CONCURRENCY.max(1);
        let mut running: Vec<ReadFuture<'a>> = vec![first];
        let mut admitting = true;
        // The first read to panic: no read is admitted after it, but the ones running
        // beside it finish (their callers get their answers) before the loop hears of it.
        let mut panicked: Option<Panic> = None;
        poll_fn(|cx| {
            loop {
                let mut progressed = false;
                while admitting && running.len() < limit {
                    match mailbox.poll_next(cx) {
                        Poll::Ready(Some(Next::Wake)) => mailbox.skip(),
                        Poll::Ready(Some(Next::Read)) => {
                            let Some(read) = mailbox.read(actor, self) else {
                                break;
                            };
                            state.count_taken(self);
                            running.push(read);
                            progressed = true;
                        }
                        Poll::Ready(Some(_)) => admitting = false,
                        // Closed: the main loop sees it next.
                        Poll::Ready(None) | Poll::Pending => break,
                    }
                }
                let mut index = 0;
                while index < running.len() {
                    // Marked as reading: a read's waits do not hold up other reads.
                    let read = running[index].as_mut();
                    match reentrancy::reading(|| read.poll(cx)) {
                        Poll::Ready(Ok(())) => {
                            drop(running.swap_remove(index));
                            progressed = true;
                        }
                        Poll::Ready(Err(panic)) => {
                            drop(running.swap_remove(index));
                            admitting = false;
                            panicked.get_or_insert(panic);
                            progressed = true;
                        }
                        Poll::Pending => index += 1,
                    }
                }
                if running.is_empty() {
                    return Poll::Ready(panicked.take().map_or(Ok(()), Err));
                }
                if !progressed {
                    return Poll::Pending;
                }
            }
        })
        .await
    }

    /// Closes the mailbox and the priority lane, and drops what is left in them:
    /// requesters learn at once (their reply sender drops), notifications are counted.
    async fn refuse_backlog(&self, mailbox: &mut Inbox<A>) -> usize {
        mailbox.close();
        let mut undelivered = 0;
        while let Some(next) = poll_fn(|cx| mailbox.poll_next(cx)).await {
            if next == (Next::Message { notification: true }) {
                undelivered += 1;
            }
            // A message's `Drop` may panic: contained, and the rest is still refused
            // (the item is out of the backlog before it is dropped).
            let _ = panic::catch(|| mailbox.skip());
        }
        undelivered
    }

    /// Ends an actor whose first state could not be built (its factory panicked): what
    /// was queued is refused, then the stop is published with `reason`.
    pub(super) async fn abandon(mut self, reason: StopReason) {
        crate::trace::panicked(&reason);
        if let Some(mut mailbox) = self.take_inbox() {
            self.release_sender();
            let undelivered = self.refuse_backlog(&mut mailbox).await;
            crate::trace::stopped(&reason, undelivered);
        }
        self.cell.finish(reason);
    }
}

/// What the loop carries from one message to the next.
#[derive(Default)]
struct LoopState {
    /// A stop was accepted: the mailbox is closed and its backlog is being handled.
    draining: bool,
    /// Messages taken so far, published for the idle watchdog.
    taken: u64,
    /// A supervisor group ordered a restart.
    restart_ordered: bool,
    /// The state's `stopped` hook has run (a restart whose factory panicked): the
    /// state is not asked again.
    stopped: bool,
}

impl LoopState {
    /// Counts one message taken from the mailbox.
    fn count_taken<A: Actor>(&mut self, context: &Context<A>) {
        self.taken += 1;
        context.cell.set_taken(self.taken);
    }
}

/// A panic in the code that runs as the actor stops (its `undelivered` and `stopped`
/// hooks, its state's `Drop`) becomes the stop reason, unless it already is a panic.
fn note_panic(reason: &mut StopReason, outcome: Result<(), Panic>) {
    if let Err(panic) = outcome {
        if !reason.is_panic() {
            *reason = panicked(&panic);
        }
    }
}

pub(super) fn panicked(panic: &Panic) -> StopReason {
    StopReason::Panicked(panic::message(panic))
}
