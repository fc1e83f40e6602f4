//! [`SupervisorGroup`]: children restarted together, by a strategy, within one budget.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use tokio::sync::{Notify, mpsc};

use crate::context::supervised;
use crate::envelope::Control;
use crate::runtime::{Custom, Runtime, Spawner};
use crate::supervision::{DEFAULT_BUDGET, GroupEvent, GroupLink, RestartBudget, Supervisor};
use crate::{Actor, Address, Context, Restart, StopReason, Supervision};

/// Which children a group restarts when one of them fails and restarts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Strategy {
    /// Only the failed child. The default.
    #[default]
    OneForOne,
    /// Every child: for children that only make sense together.
    OneForAll,
    /// The failed child and every child added after it: for children that depend on
    /// the ones before them.
    RestForOne,
}

/// A group of supervised children (of any actor types) with a restart [`Strategy`] and
/// one restart budget: past it, the group kills every child and reports
/// [`StopReason::TooManyRestarts`].
///
/// Each child restarts itself by its own [`Restart`] policy (behind its address, keeping
/// its mailbox); the group then restarts the siblings its strategy names. The group keeps
/// its children alive until they stop, it is killed, or the budget runs out.
///
/// ```
/// use messages::prelude::*;
/// use messages::supervision::{Restart, Strategy, SupervisorGroup};
///
/// #[derive(Default)]
/// struct Cache(u32);
/// impl Actor for Cache {}
/// impl Handler<u32> for Cache {
///     type Result = u32;
///     async fn handle(&mut self, n: u32, _: &Context<Self>) -> u32 {
///         assert_ne!(n, 0);
///         self.0 += n;
///         self.0
///     }
/// }
///
/// # #[cfg(feature = "tokio")]
/// #[tokio::main]
/// async fn main() {
///     let mut group = SupervisorGroup::new(Strategy::OneForAll);
///     let first = group.child(Cache::default, Restart::Transient);
///     let second = group.child(Cache::default, Restart::Transient);
///     let group = group.start();
///
///     assert_eq!(second.send(5).await, Ok(5));
///     // `first` fails: it restarts, and the group restarts `second` too (soon after:
///     // the order travels through `second`'s mailbox loop like a kill does).
///     assert_eq!(first.send(0).await, Err(SendError::Panicked));
///
///     group.kill();
///     assert_eq!(group.wait().await, StopReason::Killed);
/// }
/// # #[cfg(not(feature = "tokio"))]
/// # fn main() {}
/// ```
pub struct SupervisorGroup {
    strategy: Strategy,
    /// Spent by the children themselves, before each restart of their own.
    budget: Arc<Mutex<RestartBudget>>,
    children: Vec<Member>,
    runs: Vec<Pin<Box<dyn Future<Output = ()> + Send>>>,
    events: mpsc::UnboundedSender<(usize, GroupEvent)>,
    received: mpsc::UnboundedReceiver<(usize, GroupEvent)>,
}

/// A child as its group sees it.
struct Member {
    child: Box<dyn Child>,
    /// Its policy: a [`Restart::Never`] child is never rebuilt, not even by the strategy.
    restart: Restart,
}

/// What a group does to a child, whatever its actor type.
trait Child: Send + Sync {
    fn order_restart(&self);
    fn kill(&self);
    /// Gives the child's context `runtime`, before the child runs.
    fn carry(&self, runtime: Custom);
}

impl<A: Actor> Child for Address<A> {
    fn order_restart(&self) {
        self.cell().order_restart();
        // Wake a loop parked on an empty mailbox; a full one is busy and will look.
        self.try_push_control(Control::Wake);
    }

    fn kill(&self) {
        Address::kill(self);
    }

    fn carry(&self, runtime: Custom) {
        // A fresh context, kept by the group until `start_on`: it carries nothing yet.
        let _ = self.cell().carry(runtime);
    }
}

impl SupervisorGroup {
    /// An empty group with the default budget: 3 restarts within 5 seconds.
    pub fn new(strategy: Strategy) -> Self {
        let (events, received) = mpsc::unbounded_channel();
        let (max_restarts, window) = DEFAULT_BUDGET;
        Self {
            strategy,
            budget: Arc::new(Mutex::new(RestartBudget::new(max_restarts, window))),
            children: Vec::new(),
            runs: Vec::new(),
            events,
            received,
        }
    }

    /// At most `max_restarts` child failures within any `window`, for the whole group
    /// (restarts the strategy adds for siblings are part of the same incident and do
    /// not count). The budget is exact: each child spends it in its own loop before it
    /// restarts, and the child that finds it spent stops with
    /// [`StopReason::TooManyRestarts`] instead; the group then kills the others.
    #[must_use]
    pub fn budget(self, max_restarts: u32, window: Duration) -> Self {
        *lock(&self.budget) = RestartBudget::new(max_restarts, window);
        self
    }

    /// Adds a child built by `factory`, restarted by `restart`; returns its address,
    /// which survives restarts. Children start with [`start`](SupervisorGroup::start), in
    /// the order they were added; each one's first state is built by `factory` in its
    /// own task (a panic there stops that child with [`StopReason::Panicked`]).
    ///
    /// A [`Restart::Never`] child is never rebuilt: when the strategy restarts its
    /// siblings it is left as it is.
    pub fn child<A, F>(&mut self, factory: F, restart: Restart) -> Address<A>
    where
        A: Actor,
        F: FnMut() -> A + Send + 'static,
    {
        let context = Context::new();
        let address = context.address();
        let link = GroupLink {
            index: self.children.len(),
            events: self.events.clone(),
            budget: Arc::clone(&self.budget),
        };
        let supervisor = Supervisor::new(factory, Supervision::new(restart)).in_group(link);
        self.runs.push(Box::pin(
            context.run_built_detached(supervised(Box::new(supervisor))),
        ));
        self.children.push(Member {
            child: Box::new(address.clone()),
            restart,
        });
        address
    }

    /// Starts the children and the group on the built-in runtime (tokio when the `tokio`
    /// feature is on, otherwise smol).
    ///
    /// # Panics
    ///
    /// With tokio, panics when called outside a tokio runtime, as `tokio::spawn` does;
    /// the panic is reported at the caller's line and says what to do.
    #[cfg(any(feature = "tokio", feature = "smol", doc))]
    #[track_caller]
    pub fn start(self) -> GroupHandle {
        // The children's contexts carry the built-in runtime already.
        self.launch(&crate::runtime::DefaultRuntime)
    }

    /// Starts the children and the group on `runtime`, which the children's contexts
    /// carry (their timers, streams and monitors run there too, as with
    /// [`Actor::spawn_on`]).
    ///
    /// # Panics
    ///
    /// When `runtime`'s [`spawn`](Spawner::spawn) panics (the built-in `runtime::Tokio`
    /// does outside a tokio runtime), reported at the caller's line.
    #[track_caller]
    pub fn start_on<R: Runtime>(self, runtime: &R) -> GroupHandle {
        let carried = Custom::new(runtime.clone());
        for member in &self.children {
            member.child.carry(carried.clone());
        }
        self.launch(runtime)
    }

    /// Spawns the children and the group's own task on `spawner`.
    #[track_caller]
    fn launch<S: Spawner>(self, spawner: &S) -> GroupHandle {
        let Self {
            strategy,
            budget: _,
            children,
            runs,
            events,
            mut received,
        } = self;
        drop(events);
        for run in runs {
            spawner.spawn(run);
        }
        let children: Arc<[Member]> = children.into();
        let exit = Arc::new(GroupExit::default());
        let handle = GroupHandle {
            children: Arc::clone(&children),
            exit: Arc::clone(&exit),
        };
        spawner.spawn(async move {
            let mut alive = children.len();
            let mut last = StopReason::Requested;
            let mut spent = false;
            while alive > 0 {
                let Some((index, event)) = received.recv().await else {
                    break;
                };
                match event {
                    GroupEvent::Stopped(reason) => {
                        alive -= 1;
                        if spent {
                            // The children's last words after the budget ran out.
                            continue;
                        }
                        if matches!(reason, StopReason::TooManyRestarts(_)) {
                            // A child found the group's budget spent: the group ends.
                            spent = true;
                            for member in children.iter() {
                                member.child.kill();
                            }
                        }
                        last = reason;
                    }
                    GroupEvent::Restarting(_) if spent => {}
                    GroupEvent::Restarting(_) => {
                        let siblings = match strategy {
                            Strategy::OneForOne => 0..0,
                            Strategy::OneForAll => 0..children.len(),
                            Strategy::RestForOne => index + 1..children.len(),
                        };
                        for sibling in siblings.filter(|sibling| *sibling != index) {
                            let member = &children[sibling];
                            if member.restart != Restart::Never {
                                member.child.order_restart();
                            }
                        }
                    }
                }
            }
            exit.finish(last);
        });
        handle
    }
}

fn lock(budget: &Mutex<RestartBudget>) -> std::sync::MutexGuard<'_, RestartBudget> {
    budget.lock().unwrap_or_else(PoisonError::into_inner)
}

impl fmt::Debug for SupervisorGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SupervisorGroup")
            .field("strategy", &self.strategy)
            .field("children", &self.children.len())
            .field("budget", &*lock(&self.budget))
            .finish_non_exhaustive()
    }
}

#[derive(Default)]
struct GroupExit {
    reason: OnceLock<StopReason>,
    done: Notify,
}

impl GroupExit {
    fn finish(&self, reason: StopReason) {
        if self.reason.set(reason).is_ok() {
            self.done.notify_waiters();
        }
    }
}

/// A running [`SupervisorGroup`].
pub struct GroupHandle {
    children: Arc<[Member]>,
    exit: Arc<GroupExit>,
}

impl GroupHandle {
    /// Kills every child ([`Address::kill`]): they are not restarted, and the group ends.
    pub fn kill(&self) {
        for member in self.children.iter() {
            member.child.kill();
        }
    }

    /// Waits until every child has stopped for good; returns the last one's reason, or
    /// [`StopReason::TooManyRestarts`] when the budget ran out.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it only observes.
    pub async fn wait(&self) -> StopReason {
        loop {
            let mut done = std::pin::pin!(self.exit.done.notified());
            done.as_mut().enable();
            if let Some(reason) = self.exit.reason.get() {
                return reason.clone();
            }
            done.await;
        }
    }
}

impl fmt::Debug for GroupHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GroupHandle")
            .field("children", &self.children.len())
            .field("finished", &self.exit.reason.get().is_some())
            .finish()
    }
}
