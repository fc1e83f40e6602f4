//! [`Registry`]: singleton [`Service`]s and actors registered by name.

pub use crate::error::RegistryError;

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, PoisonError};

use crate::context::FirstState;
use crate::runtime::{Custom, Runtime, Spawner};
use crate::{Actor, Address, Context};

/// An actor that exists once per process, started on first use: a connection pool, a
/// cache, a metrics sink.
///
/// ```
/// use messages::prelude::*;
/// use messages::registry::{Registry, Service};
///
/// #[derive(Default)]
/// struct Counter(u64);
/// impl Actor for Counter {}
/// impl Service for Counter {
///     const NAME: &'static str = "counter";
/// }
/// impl Handler<()> for Counter {
///     type Result = u64;
///     async fn handle(&mut self, (): (), _: &Context<Self>) -> u64 {
///         self.0 += 1;
///         self.0
///     }
/// }
///
/// # #[cfg(feature = "tokio")]
/// #[tokio::main]
/// async fn main() {
///     let first = Registry::service::<Counter>().await;
///     let second = Registry::service::<Counter>().await;
///     assert_eq!(first, second); // one actor
///     assert_eq!(first.send(()).await, Ok(1));
///     assert_eq!(second.send(()).await, Ok(2));
///     assert_eq!(Registry::lookup::<Counter>("counter"), Some(first));
/// }
/// # #[cfg(not(feature = "tokio"))]
/// # fn main() {}
/// ```
pub trait Service: Actor + Default {
    /// The name the service is registered under (see [`Registry::lookup`]).
    const NAME: &'static str;
}

/// The process-wide registry: singleton [`Service`]s, and actors registered by name.
///
/// Registered actors are kept alive by the registry until they stop or are
/// [`unregister`](Registry::unregister)ed; an entry whose actor stopped is dropped on the
/// next look-up. The registry's lock is never held across an await, and no user code
/// (a service's `Default`, a spawner, an actor's `Drop`) runs under it.
#[derive(Debug)]
pub struct Registry;

/// Services by type, and named actors, each an `Address<A>` of some actor type.
#[derive(Default)]
struct Entries {
    services: HashMap<TypeId, Box<dyn Stored>>,
    names: HashMap<String, Box<dyn Stored>>,
}

/// An address of any actor type.
trait Stored: Send {
    fn connected(&self) -> bool;
    fn as_any(&self) -> &dyn Any;
}

impl<A: Actor> Stored for Address<A> {
    fn connected(&self) -> bool {
        Address::connected(self)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

static ENTRIES: LazyLock<Mutex<Entries>> = LazyLock::new(Mutex::default);

fn entries() -> MutexGuard<'static, Entries> {
    // The lock guards plain maps whose every update is a single insert or remove: a
    // panic elsewhere cannot leave them half-written.
    ENTRIES.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The live address stored in `slot`, if it is one of `A` and still connected.
fn live<A: Actor>(slot: Option<&dyn Stored>) -> Option<Address<A>> {
    slot?
        .as_any()
        .downcast_ref::<Address<A>>()
        .filter(|address| address.connected())
        .cloned()
}

impl Registry {
    /// The service `S`, started with `S::default()` on the built-in runtime (tokio when
    /// the `tokio` feature is on, otherwise smol) on first use, and started afresh on
    /// the first use after it stopped. It is also registered under [`Service::NAME`].
    ///
    /// `S::default()` runs in the service's own task, outside the registry's lock and
    /// inside the actor's panic boundary: a `Default` may use the registry (look up or
    /// start other services), and one that panics stops the new service with
    /// [`StopReason::Panicked`](crate::StopReason::Panicked) (its requests fail; the
    /// next call starts it afresh). There is at most one instance at a time: asked
    /// while the old instance is still stopping, the registry hands out the new
    /// instance's address at once, but builds it only once the old one's `stopped`
    /// has returned (messages sent to it wait in its mailbox until then).
    ///
    /// The service is looked up, and started when needed, by the call itself: the
    /// future it returns is ready at once (awaiting it, `Registry::service::<S>().await`,
    /// is the documented form). So a failure to start it is reported at the call.
    ///
    /// # Panics
    ///
    /// With tokio, panics when the service must be started outside a tokio runtime, as
    /// `tokio::spawn` does; the panic is reported at the caller's line and says what to
    /// do.
    #[cfg(any(feature = "tokio", feature = "smol", doc))]
    #[track_caller]
    pub fn service<S: Service>() -> std::future::Ready<Address<S>> {
        std::future::ready(Self::start_service::<S, _>(
            &crate::runtime::DefaultRuntime,
            || None,
        ))
    }

    /// [`service`](Registry::service), starting the service on `runtime` when needed
    /// (its context then carries `runtime`, as with [`Actor::spawn_on`]). A service
    /// already running stays on the runtime it was started on.
    ///
    /// # Panics
    ///
    /// When the service must be started and `runtime`'s
    /// [`spawn`](crate::runtime::Spawner::spawn) panics (the built-in `runtime::Tokio`
    /// does outside a tokio runtime), reported at the caller's line.
    #[track_caller]
    pub fn service_on<S: Service, R: Runtime>(runtime: &R) -> Address<S> {
        Self::start_service::<S, _>(runtime, || Some(Custom::new(runtime.clone())))
    }

    /// The service `S`, started on `spawner` when needed, its context carrying what
    /// `carried` makes (nothing: the built-in runtime).
    #[track_caller]
    fn start_service<S, R>(spawner: &R, carried: impl FnOnce() -> Option<Custom>) -> Address<S>
    where
        S: Service,
        R: Spawner,
    {
        let context = {
            let mut entries = entries();
            let slot = entries.services.get(&TypeId::of::<S>()).map(AsRef::as_ref);
            if let Some(address) = live::<S>(slot) {
                return address;
            }
            // The instance still stopping, if any: the new one waits for it.
            let previous = slot
                .and_then(|slot| slot.as_any().downcast_ref::<Address<S>>())
                .map(|old| Arc::clone(old.cell()));
            let context = Context::<S>::new();
            let address = context.address();
            let replaced = (
                entries
                    .services
                    .insert(TypeId::of::<S>(), Box::new(address.clone())),
                entries
                    .names
                    .insert(S::NAME.to_owned(), Box::new(address.clone())),
            );
            (context, address, previous, replaced)
        };
        // Outside the lock: dropping replaced entries, cloning the runtime, spawning, and
        // (in the service's task) `S::default()`.
        let (context, address, previous, replaced) = context;
        drop(replaced);
        if let Some(carried) = carried() {
            context.carry(carried);
        }
        spawner.spawn(async move {
            if let Some(previous) = previous {
                previous.wait_for_exit().await;
            }
            context
                .run_built_detached(FirstState::Built(S::default))
                .await;
        });
        address
    }

    /// Registers `address` under `name`. The registry keeps the actor alive until it
    /// stops or is unregistered.
    ///
    /// # Errors
    ///
    /// [`RegistryError::NameTaken`] when a running actor is already registered under
    /// `name` (an entry whose actor stopped is replaced).
    pub fn register<A: Actor>(
        name: impl Into<String>,
        address: &Address<A>,
    ) -> Result<(), RegistryError> {
        let name = name.into();
        let mut entries = entries();
        let taken = entries
            .names
            .get(&name)
            .is_some_and(|slot| slot.connected());
        if taken {
            return Err(RegistryError::NameTaken(name));
        }
        let replaced = entries.names.insert(name, Box::new(address.clone()));
        drop(entries);
        drop(replaced);
        Ok(())
    }

    /// The actor registered under `name`, if there is one of type `A` and it still runs.
    pub fn lookup<A: Actor>(name: &str) -> Option<Address<A>> {
        let mut entries = entries();
        let found = live::<A>(entries.names.get(name).map(AsRef::as_ref));
        let stale = if entries
            .names
            .get(name)
            .is_some_and(|slot| !slot.connected())
        {
            entries.names.remove(name)
        } else {
            None
        };
        drop(entries);
        drop(stale);
        found
    }

    /// Removes the entry under `name`; returns whether there was one.
    pub fn unregister(name: &str) -> bool {
        let removed = entries().names.remove(name);
        removed.is_some()
    }
}
