//! Procedural macros of the [`messages`](https://docs.rs/messages) actor library.
//!
//! Users never depend on this crate directly: `messages` re-exports `#[actor]`,
//! `#[handler]` and `#[notify]` and documents them. The crate runs
//! parse (`attr`, `model`) -> validate -> expand, with a fallback that still emits the
//! user's item when there are errors.
#![deny(missing_docs)]

mod attr;
mod errors;
mod expand;
mod fallback;
mod model;
mod reserved;
mod validate;

use proc_macro::TokenStream;

/// Declares an actor (on a struct or enum) or its handlers (on an inherent impl block).
/// Documented in `messages`. On an impl block it takes `module = name` (the generated
/// message module's name, when the actor's `snake_case` name is taken) and
/// `crate = path`.
#[proc_macro_attribute]
pub fn actor(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::actor(args.into(), input.into()).into()
}

/// Marks a request handler inside an `#[actor]` impl block. Documented in `messages`.
#[proc_macro_attribute]
pub fn handler(_args: TokenStream, input: TokenStream) -> TokenStream {
    fallback::misplaced_marker("handler", input.into()).into()
}

/// Marks a notification handler inside an `#[actor]` impl block. Documented in `messages`.
#[proc_macro_attribute]
pub fn notify(_args: TokenStream, input: TokenStream) -> TokenStream {
    fallback::misplaced_marker("notify", input.into()).into()
}
