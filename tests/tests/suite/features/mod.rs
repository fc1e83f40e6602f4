//! The capabilities of the runtime beyond the numbered guarantees, one module each.

pub mod addresses;
pub mod broadcast;
pub mod delegation;
pub mod flattened_results;
pub mod guide;
pub mod handler_futures;
pub mod idle;
pub mod kill;
pub mod mailbox_model;
pub mod monitors;
pub mod parallel;
pub mod pool;
pub mod priority;
pub mod proxy;
pub mod readme_snippets;
pub mod recipients;
pub mod recipients_of_delegates;
pub mod registry;
pub mod request_response;
pub mod runtimes;
pub mod spawning;
pub mod streams;
pub mod supervisor_group;
pub mod timers;
