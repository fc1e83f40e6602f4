//! Supervision: restarting an actor behind its address, within a budget, and knowing
//! when another actor stops.
//!
//! - [`Supervision`]: a [`Restart`] policy and a budget, for
//!   [`Context::run_supervised`](crate::Context::run_supervised) and
//!   [`Actor::spawn_supervised`](crate::Actor::spawn_supervised);
//! - [`PanicAction`]: what [`Actor::on_panic`](crate::Actor::on_panic) decides;
//! - [`SupervisorGroup`]: children restarted together by a [`Strategy`], under one
//!   budget;
//! - [`Terminated`]: what [`Context::monitor`](crate::Context::monitor) delivers.

pub use crate::group::{GroupHandle, Strategy, SupervisorGroup};
pub use crate::monitor::Terminated;

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::StopReason;

/// When a supervised actor is restarted (with fresh state from its factory, behind the
/// same address, with its mailbox kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Restart {
    /// After every exit except a kill ([`Address::kill`](crate::Address::kill)) or the
    /// loss of every address: a stop request restarts it too. Stop it for good with
    /// `kill`, or by dropping its addresses.
    Permanent,
    /// After a panic only (an abnormal exit). The default.
    #[default]
    Transient,
    /// Never: the actor stops as an unsupervised one would.
    Never,
}

/// What a supervised actor's lifecycle is allowed: a [`Restart`] policy and a budget of
/// at most `max_restarts` restarts within `window`. Past the budget the actor stops with
/// [`StopReason::TooManyRestarts`].
///
/// ```
/// use std::time::Duration;
/// use messages::prelude::*;
/// use messages::supervision::{Restart, Supervision};
///
/// let supervision = Supervision::new(Restart::Transient).budget(3, Duration::from_secs(10));
/// assert_eq!(supervision.restart_policy(), Restart::Transient);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Supervision {
    restart: Restart,
    max_restarts: u32,
    window: Duration,
}

impl Supervision {
    /// A policy with the default budget: 3 restarts within 5 seconds (as OTP's
    /// supervisors).
    pub fn new(restart: Restart) -> Self {
        let (max_restarts, window) = DEFAULT_BUDGET;
        Self {
            restart,
            max_restarts,
            window,
        }
    }

    /// At most `max_restarts` restarts within any `window`.
    #[must_use]
    pub fn budget(mut self, max_restarts: u32, window: Duration) -> Self {
        self.max_restarts = max_restarts;
        self.window = window;
        self
    }

    /// The restart policy.
    pub fn restart_policy(&self) -> Restart {
        self.restart
    }
}

/// Whether a supervised actor restarts after its run ended for `reason`: what its
/// `policy` (`None` when unsupervised) and, after a panic, its `on_panic` decision say.
/// The restart budget is spent after (see [`RestartBudget`]).
pub(crate) fn restarts(
    policy: Option<Restart>,
    reason: &StopReason,
    on_panic: PanicAction,
) -> bool {
    let Some(policy) = policy else {
        return false;
    };
    match reason {
        StopReason::Requested => policy == Restart::Permanent,
        StopReason::Panicked(_) => match on_panic {
            PanicAction::Restart => true,
            PanicAction::Supervise => policy != Restart::Never,
            PanicAction::Resume | PanicAction::Stop => false,
        },
        // A kill, the loss of every address, a cancelled run, a spent budget.
        _ => false,
    }
}

/// The budget of [`Supervision::new`] and [`SupervisorGroup::new`](crate::SupervisorGroup::new):
/// 3 restarts within 5 seconds.
pub(crate) const DEFAULT_BUDGET: (u32, Duration) = (3, Duration::from_secs(5));

/// At most `max` restarts within any `window`: what a supervised actor, or a whole
/// group, may spend. Checked by the actor's own loop before each restart, so it is
/// exact however the actor's task is scheduled.
#[derive(Debug)]
pub(crate) struct RestartBudget {
    max: u32,
    window: Duration,
    recent: VecDeque<Instant>,
}

impl RestartBudget {
    pub(crate) fn new(max: u32, window: Duration) -> Self {
        Self {
            max,
            window,
            recent: VecDeque::new(),
        }
    }

    /// Records a restart if the budget allows one now; `false` when it is spent.
    pub(crate) fn try_spend(&mut self, now: Instant) -> bool {
        while self
            .recent
            .front()
            .is_some_and(|at| now.duration_since(*at) > self.window)
        {
            self.recent.pop_front();
        }
        if self.recent.len() >= self.max as usize {
            return false;
        }
        self.recent.push_back(now);
        true
    }
}

impl Default for Supervision {
    fn default() -> Self {
        Self::new(Restart::default())
    }
}

/// What [`Actor::on_panic`](crate::Actor::on_panic) decides after a handler or hook
/// panicked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PanicAction {
    /// Let the supervision decide: restart when supervised with a policy that restarts
    /// after a panic and the budget allows, stop otherwise. The default.
    #[default]
    Supervise,
    /// Keep this state and go on with the next message (the panicking request was
    /// already answered with `Panicked`).
    Resume,
    /// Restart with fresh state if supervised (within the budget); stop otherwise.
    Restart,
    /// Stop.
    Stop,
}

/// What a child of a [`SupervisorGroup`](crate::SupervisorGroup) tells its group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GroupEvent {
    /// The child exited (for this reason) and is restarting itself.
    Restarting(crate::StopReason),
    /// The child stopped for good, for this reason.
    Stopped(crate::StopReason),
}

/// A child's line to its group: which child it is, where events go, and the group's
/// budget, which the child spends itself before each restart of its own.
#[derive(Debug, Clone)]
pub(crate) struct GroupLink {
    pub(crate) index: usize,
    pub(crate) events: tokio::sync::mpsc::UnboundedSender<(usize, GroupEvent)>,
    pub(crate) budget: Arc<Mutex<RestartBudget>>,
}

/// Whose budget a supervised actor spends.
enum Budget {
    Own(RestartBudget),
    /// Its group's, shared by every child.
    Group(Arc<Mutex<RestartBudget>>),
}

/// The restarts a supervised actor has made, to enforce its budget.
pub(crate) struct Supervisor<A> {
    factory: Box<dyn FnMut() -> A + Send>,
    restart: Restart,
    budget: Budget,
    pub(crate) restarts: u32,
    group: Option<GroupLink>,
}

impl<A> Supervisor<A> {
    pub(crate) fn new(
        factory: impl FnMut() -> A + Send + 'static,
        supervision: Supervision,
    ) -> Self {
        Self {
            factory: Box::new(factory),
            restart: supervision.restart,
            budget: Budget::Own(RestartBudget::new(
                supervision.max_restarts,
                supervision.window,
            )),
            restarts: 0,
            group: None,
        }
    }

    /// A child of a group: it spends the group's budget rather than one of its own.
    pub(crate) fn in_group(mut self, link: GroupLink) -> Self {
        self.budget = Budget::Group(Arc::clone(&link.budget));
        self.group = Some(link);
        self
    }

    /// Tells the group, if any.
    pub(crate) fn report(&self, event: GroupEvent) {
        if let Some(group) = &self.group {
            let _ = group.events.send((group.index, event));
        }
    }

    /// Counts a restart the group ordered (not charged to any budget: it is part of
    /// the sibling's incident).
    pub(crate) fn count_restart(&mut self) {
        self.restarts += 1;
    }

    /// A fresh state, from the factory (the actor's code: the caller contains panics).
    pub(crate) fn fresh(&mut self) -> A {
        (self.factory)()
    }

    pub(crate) fn policy(&self) -> Restart {
        self.restart
    }

    /// Records a restart if the budget allows one now; `false` when it is spent.
    pub(crate) fn try_restart(&mut self) -> bool {
        let now = Instant::now();
        let allowed = match &mut self.budget {
            Budget::Own(budget) => budget.try_spend(now),
            Budget::Group(budget) => budget
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .try_spend(now),
        };
        if allowed {
            self.restarts += 1;
        }
        allowed
    }
}

impl<A> fmt::Debug for Supervisor<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Supervisor")
            .field("restart", &self.restart)
            .field("restarts", &self.restarts)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::{RestartBudget, restarts};
    use crate::{PanicAction, Restart, StopReason};

    const POLICIES: [Restart; 3] = [Restart::Permanent, Restart::Transient, Restart::Never];
    const ACTIONS: [PanicAction; 4] = [
        PanicAction::Supervise,
        PanicAction::Resume,
        PanicAction::Restart,
        PanicAction::Stop,
    ];

    fn panicked() -> StopReason {
        StopReason::Panicked("boom".into())
    }

    #[test]
    fn an_unsupervised_actor_never_restarts() {
        for reason in [StopReason::Requested, panicked(), StopReason::Killed] {
            for action in ACTIONS {
                assert!(!restarts(None, &reason, action), "{reason:?} {action:?}");
            }
        }
    }

    #[test]
    fn a_stop_request_restarts_only_a_permanent_actor() {
        for policy in POLICIES {
            let restarted = restarts(Some(policy), &StopReason::Requested, PanicAction::Supervise);
            assert_eq!(restarted, policy == Restart::Permanent, "{policy:?}");
        }
    }

    #[test]
    fn after_a_panic_the_hook_decides_and_supervise_defers_to_the_policy() {
        for policy in POLICIES {
            let decide = |action| restarts(Some(policy), &panicked(), action);
            assert_eq!(
                decide(PanicAction::Supervise),
                policy != Restart::Never,
                "{policy:?}"
            );
            assert!(decide(PanicAction::Restart), "{policy:?}");
            assert!(!decide(PanicAction::Stop), "{policy:?}");
            assert!(!decide(PanicAction::Resume), "{policy:?}");
        }
    }

    #[test]
    fn a_kill_or_the_last_address_gone_never_restarts() {
        for reason in [
            StopReason::Killed,
            StopReason::AddressesDropped,
            StopReason::Cancelled,
        ] {
            for policy in POLICIES {
                for action in ACTIONS {
                    assert!(
                        !restarts(Some(policy), &reason, action),
                        "{reason:?} {policy:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_budget_allows_exactly_its_restarts_within_the_window_then_frees_them() {
        let start = Instant::now();
        let mut budget = RestartBudget::new(2, Duration::from_secs(10));
        assert!(budget.try_spend(start));
        assert!(budget.try_spend(start + Duration::from_secs(1)));
        assert!(!budget.try_spend(start + Duration::from_secs(2)));
        // The first restart leaves the window: one more is allowed, not two.
        assert!(budget.try_spend(start + Duration::from_secs(11)));
        assert!(!budget.try_spend(start + Duration::from_secs(11)));
    }

    #[test]
    fn a_zero_budget_allows_no_restart() {
        let mut budget = RestartBudget::new(0, Duration::from_secs(10));
        assert!(!budget.try_spend(Instant::now()));
    }
}
