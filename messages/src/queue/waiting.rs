//! The senders waiting for room in a full bounded mailbox, oldest first.
//!
//! Kept out of line: most mailboxes never have a sender wait, and every actor's
//! cell carries this field, so it is one pointer until the first sender waits.

use std::collections::VecDeque;
use std::task::Waker;

/// Senders waiting for room, oldest first, each known by the ticket it got in line.
#[derive(Default)]
pub(super) struct WaitingSenders(Option<Box<Line>>);

#[derive(Default)]
struct Line {
    senders: VecDeque<(u64, Waker)>,
    next_ticket: u64,
}

impl WaitingSenders {
    pub(super) fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|line| line.senders.is_empty())
    }

    /// Whether `ticket` is first in line.
    pub(super) fn is_first(&self, ticket: u64) -> bool {
        self.first().is_some_and(|(first, _)| *first == ticket)
    }

    /// The waker of the sender first in line.
    pub(super) fn first_waker(&self) -> Option<Waker> {
        self.first().map(|(_, waker)| waker.clone())
    }

    fn first(&self) -> Option<&(u64, Waker)> {
        self.0.as_ref()?.senders.front()
    }

    /// Puts a sender at the back of the line; returns its ticket.
    pub(super) fn join(&mut self, waker: Waker) -> u64 {
        let line = self.0.get_or_insert_default();
        let ticket = line.next_ticket;
        line.next_ticket += 1;
        line.senders.push_back((ticket, waker));
        ticket
    }

    /// The sender with `ticket` will be woken with `waker` from now on.
    pub(super) fn update(&mut self, ticket: u64, waker: &Waker) {
        let Some(line) = &mut self.0 else {
            return;
        };
        if let Some((_, old)) = line.senders.iter_mut().find(|(t, _)| *t == ticket) {
            if !old.will_wake(waker) {
                *old = waker.clone();
            }
        }
    }

    /// The sender with `ticket` leaves the line (it got room, or gave up).
    pub(super) fn leave(&mut self, ticket: u64) {
        if let Some(line) = &mut self.0 {
            line.senders.retain(|(waiting, _)| *waiting != ticket);
        }
    }

    /// Empties the line; returns the wakers of everyone who was in it.
    pub(super) fn take_all(&mut self) -> Vec<Waker> {
        match self.0.take() {
            Some(line) => line.senders.into_iter().map(|(_, waker)| waker).collect(),
            None => Vec::new(),
        }
    }
}
