//! Attributes on a handler reach what `#[actor]` generates from it: `#[cfg]` removes
//! the message type, its impl and the typed-address method with the method; lint
//! `allow`s and docs follow it.

use messages::prelude::*;
use messages_tests::{Rt, every_executor};

#[actor]
#[derive(Debug, Default)]
pub struct Gauge {
    value: u32,
}

#[actor]
impl Gauge {
    /// Compiled out: the type it names does not even exist.
    #[cfg(any())]
    #[handler]
    pub fn absent(&mut self, value: DoesNotExist) -> u32 {
        value.0
    }

    /// Compiled out, `#[cfg]` below the marker, in a notification.
    #[notify]
    #[cfg(any())]
    pub fn also_absent(&mut self, value: AlsoMissing) {
        drop(value);
    }

    /// Compiled in.
    #[cfg(test)]
    #[handler]
    pub fn set(&mut self, value: u32) -> u32 {
        std::mem::replace(&mut self.value, value)
    }

    /// `cfg_attr` forms are carried as well.
    #[cfg_attr(test, doc = "Reads the gauge.")]
    #[cfg_attr(not(test), deprecated)]
    #[handler]
    pub fn get(&self) -> u32 {
        self.value
    }

    /// A lint allowed on the handler is allowed on its typed-address method too.
    #[allow(clippy::too_many_arguments)]
    #[handler]
    #[allow(clippy::many_single_char_names)]
    pub fn sum(&self, a: u32, b: u32, c: u32, d: u32, e: u32, f: u32, g: u32, h: u32) -> u32 {
        a + b + c + d + e + f + g + h
    }
}

/// A `#[cfg]` below `#[actor]` on the declaration and the impl block removes what is
/// generated from them too (rustc evaluates an item's own `#[cfg]` before its attribute
/// macros, wherever it is written).
#[actor]
#[cfg(any())]
pub struct Ghost(Missing);

#[actor]
#[cfg(any())]
impl Ghost {
    #[handler]
    pub fn haunt(&mut self, value: AlsoMissing) -> Missing {
        value.0
    }
}

async fn cfg_removes_the_generated_items_with_the_handler(rt: Rt) {
    let gauge = Gauge::default().spawn_on(&rt);
    assert_eq!(gauge.set(4).await, Ok(0));
    assert_eq!(gauge.get().await, Ok(4));
    assert_eq!(gauge.send(gauge::Set { value: 5 }).await, Ok(4));
    assert_eq!(gauge.sum(1, 1, 1, 1, 1, 1, 1, 1).await, Ok(8));
}

every_executor!(cfg_removes_the_generated_items_with_the_handler);
