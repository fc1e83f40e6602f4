//! The `#[actor]` macro path: what it generates, its options, and the names it reserves.

pub mod actor;
pub mod attributes;
pub mod delegating_handlers;
pub mod derives;
pub mod generics;
pub mod modules;
pub mod names;
pub mod options;
pub mod owned_calls;
pub mod reserved_names;
pub mod spawn_outside_a_runtime;
pub mod typed_addresses;
