//! The numbered guarantees of the crate docs ("Guarantees and failure model"), one
//! module each, and the regression tests of the correctness rounds.

pub mod bounded_mailboxes_apply_backpressure;
pub mod cancellation_is_safe;
pub mod dropping_every_address_stops_the_actor;
pub mod every_queued_message_has_one_fate;
pub mod fifo_per_sender;
pub mod lifecycle_order_is_total;
pub mod no_request_hangs;
pub mod panics_are_contained;
pub mod regressions;
pub mod restarts_are_bounded;
pub mod self_requests_do_not_deadlock;
pub mod sending_to_a_stopped_actor_fails_at_once;
pub mod stress_and_model_checks;
pub mod timeouts_are_first_class;
