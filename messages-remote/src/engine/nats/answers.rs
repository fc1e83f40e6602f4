//! [`Answers`]: the requests of one remote address that wait for their reply, all on
//! one reply inbox of the address's (`<inbox>.<request id>`): each answered by its id
//! as its reply comes, failed `Timeout` in the order sent once its deadline passes,
//! all failed `Unreachable` while the actor's name is gone. One subscription serves
//! every request of the address (none made and withdrawn per request), and replies
//! are handed on in the thread that receives them (the connection's): no task
//! between the engine and the caller.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_nats::{Message, StatusCode, Subscriber};
use futures_util::StreamExt;
use messages::SendError;
use std::time::Instant;

use crate::engine::{AnswerOnce, Watch};
use crate::flag::Flag;
use crate::wire;

/// The requests of one address that wait for their reply.
pub(crate) struct Answers {
    state: Mutex<State>,
    /// How long a request may wait for its reply.
    timeout: Duration,
    /// Set once the address has ended: what is waiting still gets its answer, then
    /// the two that serve it (`hand_on`, `expire`) end.
    ended: Flag,
    /// Told when requests time out: the last one waiting may have gone.
    expired: tokio::sync::Notify,
}

#[derive(Default)]
struct State {
    next: u64,
    waiting: HashMap<u64, AnswerOnce>,
    /// Ids and deadlines, oldest first: one timeout for all, so in deadline order
    /// too. Answered ids are let go from the front as they are answered.
    deadlines: VecDeque<(u64, Instant)>,
}

impl Answers {
    pub(crate) fn new(timeout: Duration) -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::default(),
            timeout,
            ended: Flag::default(),
            expired: tokio::sync::Notify::new(),
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Keeps `answer` until its reply comes: its id, the tail of its reply subject.
    pub(crate) fn wait(&self, answer: AnswerOnce) -> u64 {
        let mut state = self.state();
        let id = state.next;
        state.next += 1;
        state.waiting.insert(id, answer);
        let deadline = after(self.timeout);
        state.deadlines.push_back((id, deadline));
        id
    }

    /// Answers request `id` (if it still waits) with `answer`.
    pub(crate) fn answer(&self, id: u64, answer: Result<&[u8], SendError>) {
        let taken = {
            let mut state = self.state();
            let taken = state.waiting.remove(&id);
            state.let_go_of_answered();
            taken
        };
        if let Some(waiting) = taken {
            waiting.give(answer);
        }
    }

    /// Fails every request waiting now with `error`.
    fn fail_all(&self, error: SendError) {
        let taken: Vec<AnswerOnce> = {
            let mut state = self.state();
            state.deadlines.clear();
            state.waiting.drain().map(|(_, answer)| answer).collect()
        };
        for waiting in taken {
            waiting.give(Err(error));
        }
    }

    /// Fails `Timeout` the requests whose deadline has passed; the next deadline.
    fn expire(&self, now: Instant) -> Option<Instant> {
        let mut expired = Vec::new();
        let next = {
            let mut state = self.state();
            while let Some(&(id, deadline)) = state.deadlines.front() {
                if deadline > now {
                    break;
                }
                state.deadlines.pop_front();
                expired.extend(state.waiting.remove(&id));
            }
            state.deadlines.front().map(|&(_, deadline)| deadline)
        };
        if !expired.is_empty() {
            self.expired.notify_one();
        }
        for waiting in expired {
            waiting.give(Err(SendError::Timeout));
        }
        next
    }

    fn is_empty(&self) -> bool {
        self.state().waiting.is_empty()
    }

    /// The address has ended: once nothing waits, the two that serve it end.
    pub(crate) fn end(&self) {
        self.ended.set(true);
    }

    fn is_done(&self) -> bool {
        self.ended.is_set() && self.is_empty()
    }
}

impl State {
    fn let_go_of_answered(&mut self) {
        while let Some(&(id, _)) = self.deadlines.front() {
            if self.waiting.contains_key(&id) {
                return;
            }
            self.deadlines.pop_front();
        }
    }
}

/// Hands each reply on `replies` to the request it answers, and fails them all while
/// `watch` says the actor's name is gone (NATS itself would let a request to a dead
/// responder wait out its timeout), until the address has ended and nothing waits, or
/// the connection ends (what waits then fails `Unreachable`). Needs no runtime: it
/// runs in whichever thread wakes it.
pub(crate) async fn hand_on(mut replies: Subscriber, answers: Arc<Answers>, watch: Arc<Watch>) {
    loop {
        // One look per turn, used for every choice below: a change after it makes
        // the wait for that change return at once.
        let (ended, gone) = (answers.ended.is_set(), watch.is_gone());
        if ended && answers.is_empty() {
            return;
        }
        if gone {
            answers.fail_all(SendError::Unreachable);
        }
        let reply = tokio::select! {
            biased;
            reply = replies.next() => reply,
            () = watch.gone(), if !gone => continue,
            () = watch.returned(), if gone => continue,
            () = answers.ended.until(true), if !ended => continue,
            // The last request may have timed out since.
            () = answers.expired.notified(), if ended => continue,
        };
        let Some(reply) = reply else {
            answers.fail_all(SendError::Unreachable);
            return;
        };
        if let Some(id) = request_id(&reply) {
            answers.answer(id, read(&reply));
        }
    }
}

/// Fails `Timeout` each request whose deadline passes, until the address has ended
/// and nothing waits. A task of the node's runtime (its timers).
pub(crate) async fn expire(answers: Arc<Answers>) {
    loop {
        if answers.is_done() {
            return;
        }
        // With nothing waiting, no deadline can come before a timeout from now.
        let next = answers
            .expire(Instant::now())
            .unwrap_or_else(|| after(answers.timeout));
        tokio::select! {
            () = tokio::time::sleep_until(next.into()) => {}
            () = answers.ended.until(true), if !answers.ended.is_set() => {}
        }
    }
}

/// `timeout` from now, or as far off as an instant goes (a timeout of years, or
/// `Duration::MAX`, never passes). On the system's clock, whichever runtime asks.
fn after(timeout: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(timeout)
        .or_else(|| now.checked_add(Duration::from_secs(100 * 365 * 24 * 3600)))
        .unwrap_or(now)
}

/// The id a reply answers: the last token of its subject.
fn request_id(reply: &Message) -> Option<u64> {
    reply.subject.rsplit('.').next()?.parse().ok()
}

/// What a reply says: the actor's answer, or that nobody serves the subject now.
fn read(reply: &Message) -> Result<&[u8], SendError> {
    if reply.status == Some(StatusCode::NO_RESPONDERS) {
        return Err(SendError::Unreachable);
    }
    wire::read_answer(&reply.payload)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    /// What an answer was given, in order.
    type Log = Arc<Mutex<Vec<Result<Vec<u8>, SendError>>>>;

    /// An answer that records what it is given.
    fn recorded() -> (AnswerOnce, Log) {
        let log = Arc::new(Mutex::new(Vec::new()));
        let writes = Arc::clone(&log);
        let answer = AnswerOnce::new(Box::new(move |answer: Result<&[u8], SendError>| {
            writes.lock().unwrap().push(answer.map(<[u8]>::to_vec));
        }));
        (answer, log)
    }

    #[test]
    fn each_answer_goes_to_its_request_once_and_late_ones_time_out_in_order() {
        let answers = Answers::new(Duration::from_secs(10));
        let (first, first_log) = recorded();
        let (second, second_log) = recorded();
        let (third, third_log) = recorded();
        let started = Instant::now();
        let (a, b, c) = (
            answers.wait(first),
            answers.wait(second),
            answers.wait(third),
        );
        answers.answer(b, Ok(b"two"));
        answers.answer(b, Ok(b"again"));
        assert_eq!(*second_log.lock().unwrap(), [Ok(b"two".to_vec())]);
        // Not yet due: nothing expires; the oldest deadline is next.
        let next = answers.expire(started).expect("two wait");
        assert!(next >= started + Duration::from_secs(10));
        answers.answer(c, Ok(b"three"));
        let later = started + Duration::from_secs(11);
        assert_eq!(answers.expire(later), None);
        assert_eq!(*first_log.lock().unwrap(), [Err(SendError::Timeout)]);
        assert_eq!(*third_log.lock().unwrap(), [Ok(b"three".to_vec())]);
        // Answered after its timeout: already failed, given nothing more.
        answers.answer(a, Ok(b"late"));
        assert_eq!(first_log.lock().unwrap().len(), 1);
        assert!(answers.state().deadlines.is_empty());
    }

    #[test]
    fn answered_requests_are_let_go_and_the_rest_fail_together() {
        let answers = Answers::new(Duration::from_secs(10));
        let logs: Vec<_> = (0..100)
            .map(|_| {
                let (answer, log) = recorded();
                (answers.wait(answer), log)
            })
            .collect();
        for (id, _) in &logs[..60] {
            answers.answer(*id, Ok(b"done"));
        }
        // In order: the answered ones no longer count against the deadlines.
        assert_eq!(answers.state().deadlines.len(), 40);
        answers.fail_all(SendError::Unreachable);
        assert!(answers.is_empty());
        for (_, log) in &logs[60..] {
            assert_eq!(*log.lock().unwrap(), [Err(SendError::Unreachable)]);
        }
        answers.end();
        assert!(answers.is_done());
    }

    #[test]
    fn a_timeout_too_long_for_the_clock_never_passes() {
        let answers = Answers::new(Duration::MAX);
        let (answer, log) = recorded();
        answers.wait(answer);
        let much_later = Instant::now() + Duration::from_secs(10 * 365 * 24 * 3600);
        assert!(answers.expire(much_later).is_some(), "still waiting");
        assert!(log.lock().unwrap().is_empty());
    }

    #[test]
    fn an_ended_address_still_answers_what_waits() {
        let answers = Answers::new(Duration::from_secs(10));
        let (answer, log) = recorded();
        let id = answers.wait(answer);
        answers.end();
        assert!(!answers.is_done(), "a request still waits");
        answers.answer(id, Ok(b"here"));
        assert!(answers.is_done());
        assert_eq!(*log.lock().unwrap(), [Ok(b"here".to_vec())]);
    }
}
