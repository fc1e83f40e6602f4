//! The numbered guarantees of the crate docs ("Guarantees and failure model"), one
//! module each:
//!
//! 1. `panics_are_contained`
//! 2. `no_request_hangs`
//! 3. `sending_to_a_stopped_actor_fails_at_once`
//! 4. `every_queued_message_has_one_fate`
//! 5. `dropping_every_address_stops_the_actor`
//! 6. `fifo_per_sender`
//! 7. `bounded_mailboxes_apply_backpressure`
//! 8. `cancellation_is_safe`
//! 9. `timeouts_are_first_class`
//! 10. `self_requests_do_not_deadlock`
//! 11. `lifecycle_order_is_total`
//! 12. `restarts_are_bounded`
//! 13. `stress_and_model_checks`
//!
//! and `regressions`: the regression tests of the correctness rounds.

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
