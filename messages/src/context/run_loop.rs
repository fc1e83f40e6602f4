//! The mailbox loop: `started`, then messages one at a time (or a batch of concurrent
//! reads), then the backlog's fate, then `stopped`.

use std::any::Any;
use std::future::{Future, poll_fn};
use std::task::Poll;

use super::Context;
use crate::cell::{ActorCell, Inbox, KILL, RESTART, STOP};
use crate::envelope::{Control, HandleFuture, Kind, ReadFuture, handled};
use crate::panic::{self, Panic, catch_unwind_call};
use crate::supervision::{self, GroupEvent, PanicAction, Restart, Supervisor};
use crate::{Actor, ActorAction, Exit, StopReason};
use crate::{reentrancy, system, trace};

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
        system::end(cell.id, exit.reason.clone(), |reason| cell.finish(reason));
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
        system::end(cell.id, exit, |exit| cell.deliver(exit));
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
        system::end(cell.id, reason, |reason| cell.finish(reason));
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
                trace::started(this.cell.restarts());
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
                trace::panicked(&reason);
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
                // Draining a graceful stop, or asked to stop for good: no restart.
                let final_stop = state.draining || this.cell.stops_for_good();
                let Some(supervisor) = supervisor.as_mut().filter(|_| restart && !final_stop)
                else {
                    break reason;
                };
                if !ordered {
                    if !supervisor.try_restart() {
                        break StopReason::TooManyRestarts(Box::new(reason));
                    }
                    trace::restarting(&reason, supervisor.restarts);
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
            trace::stopped(&reason, undelivered);
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
        trace::actor(std::any::type_name::<A>(), id, reentrancy::inside(id, run))
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

    /// Handles messages until the actor stops, one [`tick`](Context::tick) per item;
    /// returns why it stopped.
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
                if signals != 0 {
                    if let Some(reason) = self
                        .take_signals(signals, actor, mailbox, state, restart_on_stop)
                        .await
                    {
                        return reason;
                    }
                }
                let Some(next) = mailbox.next().await else {
                    return if state.draining {
                        StopReason::Requested
                    } else {
                        StopReason::AddressesDropped
                    };
                };
                // The message's type, for its span (none for other items).
                #[cfg(feature = "tracing")]
                let name = mailbox.message_type();
                #[cfg(not(feature = "tracing"))]
                let name = "";
                // Pinned where it is built: the inline handler future is not moved
                // again; the span's wrapper holds only a reference to it.
                let handled = {
                    let tick = std::pin::pin!(self.tick(actor, mailbox, state, next));
                    trace::message(name, tick).await
                };
                state.publish_handled(self);
                if let Err(panic) = handled {
                    return panicked(&panic);
                }
                if std::mem::take(&mut state.stop_accepted) {
                    return StopReason::Requested;
                }
            }
        }
    }

    /// Acts on the out-of-band requests the loop takes between items (see
    /// [`ActorCell::take_signals`]): kill, a group's restart, `Context::stop`. Returns
    /// why the actor stops, if it does.
    async fn take_signals(
        &self,
        signals: u8,
        actor: &mut A,
        mailbox: &mut Inbox<A>,
        state: &mut LoopState,
        restart_on_stop: bool,
    ) -> Option<StopReason> {
        if signals & KILL != 0 {
            return Some(StopReason::Killed);
        }
        if signals & RESTART != 0 && !state.draining {
            state.restart_ordered = true;
            return Some(StopReason::Requested);
        }
        if signals & STOP != 0 && !state.draining {
            let accepted = match catch_unwind_call(|| actor.stopping(self)).await {
                Ok(ActorAction::Stop) => true,
                // A system shutdown's stop cannot be refused (see `System::shutdown`).
                Ok(ActorAction::KeepRunning) => crate::system::insists(self.cell.id),
                Err(panic) => return Some(panicked(&panic)),
            };
            // A permanent actor restarts at once, its mailbox as it is (unless it
            // stops for good).
            if accepted && restart_on_stop {
                return Some(StopReason::Requested);
            }
            if accepted {
                // Graceful: what is already queued (priority lane first) is still
                // handled; nothing new gets in.
                mailbox.close();
                state.draining = true;
            }
        }
        None
    }

    /// One step of the loop: takes the item `next` (what [`Inbox::poll_next`] just
    /// saw) and returns the future that handles it. The future's `Err` is a panic (of
    /// the handler or of a hook), which stops the actor; a stop request the actor
    /// accepts sets [`LoopState::stop_accepted`]. A message's handler future is stored
    /// inline, a hook's too when it fits; a batch of reads is boxed.
    #[inline(always)]
    pub(super) fn tick<'a>(
        &'a self,
        actor: &'a mut A,
        mailbox: &'a mut Inbox<A>,
        state: &'a mut LoopState,
        next: Kind,
    ) -> HandleFuture<'a> {
        if let Kind::Message { .. } = next {
            state.count_taken();
            // The message's handler catches its own panics (it must tell the requester).
            return mailbox.handle(actor, self);
        }
        self.tick_other(actor, mailbox, state, next)
    }

    /// [`tick`](Context::tick) for the items that are not messages: out of line, to
    /// keep the loop's path per message short.
    #[inline(never)]
    fn tick_other<'a>(
        &'a self,
        actor: &'a mut A,
        mailbox: &'a mut Inbox<A>,
        state: &'a mut LoopState,
        next: Kind,
    ) -> HandleFuture<'a> {
        match next {
            // Taken by `tick`.
            Kind::Message { .. } => handled(Ok(())),
            Kind::Read => {
                state.count_taken();
                let Some(shared) = mailbox.share(actor) else {
                    return handled(Ok(()));
                };
                let Some(first) = mailbox.read(shared, self) else {
                    return handled(Ok(()));
                };
                HandleFuture::from_or_box(self.read_batch(shared, mailbox, first, state))
            }
            Kind::Control => match mailbox.take_control() {
                Some(control) => self.control(actor, state, control),
                None => handled(Ok(())),
            },
        }
    }

    /// The part of a [`tick`](Context::tick) for a control item, taken.
    fn control<'a>(
        &'a self,
        actor: &'a mut A,
        state: &'a mut LoopState,
        control: Control,
    ) -> HandleFuture<'a> {
        match control {
            Control::Wake => handled(Ok(())),
            Control::Idle { taken } if taken == state.taken && !state.draining => {
                HandleFuture::from_or_box(catch_unwind_call(|| actor.idle(self)))
            }
            // A message was taken since the check was sent, or the actor is stopping:
            // not idle.
            Control::Idle { .. } => handled(Ok(())),
            // Already stopping: a later stop request changes nothing.
            Control::Stop if state.draining => handled(Ok(())),
            Control::Stop => HandleFuture::from_or_box(async move {
                let action = catch_unwind_call(|| actor.stopping(self)).await?;
                // Accepted: everything behind the stop request is refused.
                state.stop_accepted = action == ActorAction::Stop;
                Ok(())
            }),
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
                        Poll::Ready(Some(Kind::Control))
                            if mailbox.peek_control() == Some(Control::Wake) =>
                        {
                            mailbox.skip();
                        }
                        Poll::Ready(Some(Kind::Read)) => {
                            let Some(read) = mailbox.read(actor, self) else {
                                break;
                            };
                            state.count_taken();
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
            if next == (Kind::Message { notification: true }) {
                undelivered += 1;
            }
            // A message's `Drop` may panic: contained, and the rest is still refused
            // (the item is out of the backlog before it is dropped).
            let _ = panic::catch(|| mailbox.skip());
        }
        undelivered
    }

    /// Ends an actor whose first state could not be built (its factory panicked): what
    /// was queued is refused, then the actor ends with `reason` as every run does
    /// ([`system::end`]: untracked, its stop published, then what that sets off).
    pub(super) async fn abandon(mut self, reason: StopReason) {
        trace::panicked(&reason);
        if let Some(mut mailbox) = self.take_inbox() {
            self.release_sender();
            let undelivered = self.refuse_backlog(&mut mailbox).await;
            trace::stopped(&reason, undelivered);
        }
        system::end(self.cell.id, reason, |reason| self.cell.finish(reason));
    }
}

/// What the loop carries from one message to the next.
#[derive(Default)]
pub(super) struct LoopState {
    /// A stop was accepted: the mailbox is closed and its backlog is being handled.
    draining: bool,
    /// Messages taken so far, published for the idle watchdog.
    taken: u64,
    /// A supervisor group ordered a restart.
    restart_ordered: bool,
    /// The state's `stopped` hook has run (a restart whose factory panicked): the
    /// state is not asked again.
    stopped: bool,
    /// The actor accepted a stop request taken from its mailbox: it stops now, and
    /// what is behind the request is refused.
    stop_accepted: bool,
}

impl LoopState {
    /// Counts one message taken from the mailbox.
    fn count_taken(&mut self) {
        self.taken += 1;
    }

    /// Publishes, once a tick is over, how many messages are handled: all that were
    /// taken (a panicking one is over too).
    fn publish_handled<A: Actor>(&self, context: &Context<A>) {
        context.cell.set_handled(self.taken);
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

#[cfg(test)]
mod tests {
    //! The loop driven one item at a time, without an executor: each step is polled by
    //! hand with a waker that does nothing.

    use std::future::Future;
    use std::pin::pin;
    use std::task::{Poll, Waker};

    use super::LoopState;
    use crate::cell::Inbox;
    use crate::envelope::Kind;
    use crate::{Actor, ActorAction, Context, Handler, Notifiable};

    /// Adds what it is told; asked for its total, answers it; refuses to stop while
    /// its total is odd.
    #[derive(Default)]
    struct Counter {
        total: u64,
        asked_to_stop: u32,
    }

    impl Actor for Counter {
        async fn stopping(&mut self, _: &Context<Self>) -> ActorAction {
            self.asked_to_stop += 1;
            if self.total % 2 == 1 {
                ActorAction::KeepRunning
            } else {
                ActorAction::Stop
            }
        }
    }

    struct Add(u64);

    impl Notifiable<Add> for Counter {
        async fn notify(&mut self, Add(n): Add, _: &Context<Self>) {
            assert_ne!(n, 0, "nothing to add");
            self.total += n;
        }
    }

    struct Total;

    impl Handler<Total> for Counter {
        type Result = u64;

        async fn handle(&mut self, _: Total, _: &Context<Self>) -> u64 {
            self.total
        }
    }

    /// What the loop holds while it runs an actor, for a test to step through.
    struct Stepper {
        context: Context<Counter>,
        actor: Counter,
        inbox: Inbox<Counter>,
        state: LoopState,
    }

    /// What one step did.
    #[derive(Debug, PartialEq)]
    enum Stepped {
        /// Nothing is queued.
        Idle,
        /// Handled an item of this kind; the actor goes on.
        Handled(Kind),
        /// Handled an item whose handler panicked.
        Panicked,
        /// Handled a stop request the actor accepted.
        StopAccepted,
    }

    impl Stepper {
        fn new() -> Self {
            let mut context = Context::new();
            let inbox = context.take_inbox().expect("a fresh context has its inbox");
            Self {
                context,
                actor: Counter::default(),
                inbox,
                state: LoopState::default(),
            }
        }

        /// One step of the loop, polled once: the handlers here never wait.
        fn step(&mut self) -> Stepped {
            let mut cx = std::task::Context::from_waker(Waker::noop());
            let next = match pin!(self.inbox.next()).poll(&mut cx) {
                Poll::Ready(Some(next)) => next,
                Poll::Ready(None) | Poll::Pending => return Stepped::Idle,
            };
            let tick = self
                .context
                .tick(&mut self.actor, &mut self.inbox, &mut self.state, next);
            let Poll::Ready(handled) = pin!(tick).poll(&mut cx) else {
                panic!("these handlers never wait");
            };
            self.state.publish_handled(&self.context);
            match handled {
                Ok(()) if self.state.stop_accepted => Stepped::StopAccepted,
                Ok(()) => Stepped::Handled(next),
                Err(_) => Stepped::Panicked,
            }
        }
    }

    #[test]
    fn each_step_handles_exactly_one_item_in_order() {
        let mut stepper = Stepper::new();
        let counter = stepper.context.address();
        assert_eq!(stepper.step(), Stepped::Idle, "nothing queued yet");
        for n in [1, 2, 3] {
            assert!(counter.try_notify(Add(n)).is_ok());
        }
        let mut total = pin!(counter.try_send(Total).expect("room for a request"));
        let notification = Kind::Message { notification: true };
        assert_eq!(stepper.step(), Stepped::Handled(notification));
        assert_eq!((stepper.actor.total, stepper.state.taken), (1, 1));
        assert_eq!(stepper.step(), Stepped::Handled(notification));
        assert_eq!((stepper.actor.total, stepper.state.taken), (3, 2));
        // The request behind them is not answered until its own step.
        let mut cx = std::task::Context::from_waker(Waker::noop());
        assert!(total.as_mut().poll(&mut cx).is_pending());
        assert_eq!(stepper.step(), Stepped::Handled(notification));
        assert_eq!(stepper.actor.total, 6);
        let request = Kind::Message {
            notification: false,
        };
        assert_eq!(stepper.step(), Stepped::Handled(request));
        assert_eq!(total.as_mut().poll(&mut cx), Poll::Ready(Ok(6)));
        assert_eq!(stepper.step(), Stepped::Idle);
        assert_eq!(
            stepper.context.cell.handled(),
            4,
            "the count the idle watchdog reads"
        );
    }

    #[test]
    fn a_stop_request_is_one_step_and_the_actor_decides() {
        let mut stepper = Stepper::new();
        let counter = stepper.context.address();
        let mut cx = std::task::Context::from_waker(Waker::noop());
        assert!(counter.try_notify(Add(1)).is_ok());
        assert!(pin!(counter.stop()).poll(&mut cx).is_ready());
        assert!(counter.try_notify(Add(1)).is_ok());
        assert!(pin!(counter.stop()).poll(&mut cx).is_ready());
        assert!(matches!(stepper.step(), Stepped::Handled(_)));
        // An odd total: the actor keeps running, and the next message is handled.
        assert_eq!(stepper.step(), Stepped::Handled(Kind::Control));
        assert_eq!(stepper.actor.asked_to_stop, 1);
        assert!(matches!(stepper.step(), Stepped::Handled(_)));
        assert_eq!(stepper.step(), Stepped::StopAccepted);
        assert_eq!((stepper.actor.total, stepper.actor.asked_to_stop), (2, 2));
    }

    #[test]
    fn a_panicking_handler_ends_its_step_with_the_panic() {
        let mut stepper = Stepper::new();
        let counter = stepper.context.address();
        assert!(counter.try_notify(Add(0)).is_ok());
        let mut total = pin!(counter.try_send(Total).expect("room for a request"));
        assert_eq!(stepper.step(), Stepped::Panicked);
        // The loop would stop here; a test may go on stepping the same state.
        assert_eq!(
            stepper.step(),
            Stepped::Handled(Kind::Message {
                notification: false
            })
        );
        let mut cx = std::task::Context::from_waker(Waker::noop());
        assert_eq!(total.as_mut().poll(&mut cx), Poll::Ready(Ok(0)));
        drop(counter);
        assert_eq!(stepper.step(), Stepped::Idle, "every address gone: the end");
    }
}
