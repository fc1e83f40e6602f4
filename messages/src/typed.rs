//! [`Typed`]: an actor with a typed address (the one `#[actor]` generates), and the
//! one-step conversions to it: [`Context::typed_address`] and [`Address::typed`].

use std::ops::Deref;

use crate::{Actor, Address, Context};

/// An actor with a **typed address**: a wrapper of [`Address<Self>`] with a method per
/// handler. [`#[actor]`](macro@crate::actor) on the declaration implements it with the
/// generated address (`AccountAddress` for `Account`).
///
/// A handler reaches its own typed address in one step with
/// [`Context::typed_address`], and any untyped address converts with
/// [`Address::typed`] (or `AccountAddress::from(address)`, or `.into()`).
///
/// ```
/// use messages::prelude::*;
///
/// #[actor]
/// #[derive(Default)]
/// pub struct Machine {
///     steps: Vec<&'static str>,
/// }
///
/// #[actor]
/// impl Machine {
///     /// Starts, and queues its next step for itself.
///     #[handler]
///     pub async fn start(&mut self, ctx: &Context<Self>) -> Result<(), SendError> {
///         self.steps.push("start");
///         let me: MachineAddress = ctx.typed_address();
///         me.step().await
///     }
///
///     #[notify]
///     pub fn step(&mut self) {
///         self.steps.push("step");
///     }
///
///     #[handler]
///     pub fn steps(&self) -> Vec<&'static str> {
///         self.steps.clone()
///     }
/// }
///
/// # futures::executor::block_on(async {
/// let context = Context::<Machine>::new();
/// let machine = context.address().typed();
/// let calls = async move {
///     assert_eq!(machine.start().await, Ok(Ok(())));
///     machine.steps().await
/// };
/// let (steps, _) = futures::join!(calls, context.run(Machine::default()));
/// assert_eq!(steps, Ok(vec!["start", "step"]));
/// # });
/// ```
pub trait Typed: Actor {
    /// The typed address: it converts from [`Address<Self>`] and dereferences to it.
    type Address: From<Address<Self>>
        + Deref<Target = Address<Self>>
        + Clone
        + Send
        + Sync
        + 'static;
}

impl<A: Typed> Context<A> {
    /// A new typed address of this actor: [`address`](Context::address), typed. Lets a
    /// handler call its own actor's typed methods (`ctx.typed_address().step()`).
    ///
    /// ```
    /// use messages::prelude::*;
    ///
    /// #[actor]
    /// pub struct Echo;
    ///
    /// #[actor]
    /// impl Echo {
    ///     #[handler]
    ///     pub fn echo(&self, n: u8) -> u8 {
    ///         n
    ///     }
    /// }
    ///
    /// # futures::executor::block_on(async {
    /// let context = Context::new();
    /// let echo: EchoAddress = context.typed_address();
    /// let caller = async move { echo.echo(7).await };
    /// let (answer, _) = futures::join!(caller, context.run(Echo));
    /// assert_eq!(answer, Ok(7));
    /// # });
    /// ```
    pub fn typed_address(&self) -> A::Address {
        A::Address::from(self.address())
    }
}

impl<A: Typed> Address<A> {
    /// This address as the actor's typed address, whose methods are the actor's
    /// handlers: `address.typed().deposit(5)`. The same as `AccountAddress::from(address)`.
    ///
    /// ```
    /// use messages::prelude::*;
    ///
    /// #[actor]
    /// pub struct Echo;
    ///
    /// #[actor]
    /// impl Echo {
    ///     #[handler]
    ///     pub fn echo(&self, n: u8) -> u8 {
    ///         n
    ///     }
    /// }
    ///
    /// # futures::executor::block_on(async {
    /// let context = Context::new();
    /// let untyped: Address<Echo> = context.address();
    /// let caller = async move { untyped.typed().echo(7).await };
    /// let (answer, _) = futures::join!(caller, context.run(Echo));
    /// assert_eq!(answer, Ok(7));
    /// # });
    /// ```
    #[must_use]
    pub fn typed(self) -> A::Address {
        A::Address::from(self)
    }
}

/// Support for `#[actor]`: a handler's method called on an untyped [`Address`] resolves,
/// where the actor's module is in scope, to a stand-in whose bound is this trait, which
/// nothing implements, so rustc reports the message below. Not part of the public API.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is the untyped address: this is a method of the typed address `{Typed}`",
    label = "a method of `{Typed}`, not of `{Self}`",
    note = "convert the address first: `address.typed()`, or `.into()` where a `{Typed}` is expected"
)]
pub trait UntypedAddress<Typed> {}

/// An impl of [`UntypedAddress`] for a type that cannot exist, so that rustc does not
/// say the trait "has no implementations, consider adding one"; and one it does not
/// recommend either.
#[allow(dead_code, reason = "never built: it only stands in the impl below")]
enum Unreachable {}

#[diagnostic::do_not_recommend]
impl UntypedAddress<Unreachable> for Unreachable {}

/// `T: Is<U>` exactly when `T` is `U`: makes a bound on one actor's address generic,
/// so that it is checked where a method is called, not where it is declared.
pub trait Is<T: ?Sized> {}

impl<T: ?Sized> Is<T> for T {}
