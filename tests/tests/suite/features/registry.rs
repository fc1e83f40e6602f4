//! The registry: a service is one actor started on first use and restarted after it
//! stopped; named actors are found by name and type. Each test uses its own names and
//! types, since the registry is process-wide and tests run in parallel.

use messages::prelude::*;
use messages::registry::{Registry, RegistryError, Service};
use messages_tests::{Rt, every_executor};

macro_rules! counter_service {
    ($name:ident) => {
        counter_service!($name, stringify!($name));
    };
    ($name:ident, $registered:expr) => {
        #[derive(Default)]
        struct $name(u64);

        impl Actor for $name {}

        impl Service for $name {
            const NAME: &'static str = $registered;
        }

        impl Handler<()> for $name {
            type Result = u64;
            async fn handle(&mut self, (): (), _: &Context<Self>) -> u64 {
                self.0 += 1;
                self.0
            }
        }
    };
}

/// A service type of its own per executor: the registry is process-wide.
async fn check_service<S: Service + Handler<(), Result = u64>>(rt: Rt) {
    let first = Registry::service_on::<S, _>(&rt);
    let again = Registry::service_on::<S, _>(&rt);
    assert_eq!(first, again, "one actor");
    assert_eq!(first.send(()).await, Ok(1));
    assert_eq!(again.send(()).await, Ok(2));
    assert_eq!(Registry::lookup::<S>(S::NAME), Some(first.clone()));

    first.stop().await;
    first.wait_for_stop().await;
    let restarted = Registry::service_on::<S, _>(&rt);
    assert_ne!(restarted, first, "a fresh actor after the stop");
    assert_eq!(restarted.send(()).await, Ok(1), "with fresh state");
}

macro_rules! service_cases {
    ($($case:ident: $executor:ident),* $(,)?) => {$(
        #[test]
        fn $case() {
            counter_service!(Counter, stringify!($case));
            messages_tests::run(messages_tests::Executor::$executor, check_service::<Counter>);
        }
    )*};
}

service_cases!(
    a_service_is_started_once_and_restarted_on_tokio_multi_thread: TokioMultiThread,
    a_service_is_started_once_and_restarted_on_tokio_current_thread: TokioCurrentThread,
    a_service_is_started_once_and_restarted_on_smol: Smol,
    a_service_is_started_once_and_restarted_on_a_futures_pool: FuturesPool,
);

async fn named_actors_are_found_by_name_and_type(rt: Rt) {
    counter_service!(Named);
    counter_service!(Other);
    let name = format!("named-{:?}", rt.executor());
    let named = Named::default().spawn_on(&rt);
    Registry::register(name.clone(), &named).unwrap();
    assert_eq!(Registry::lookup::<Named>(&name), Some(named.clone()));
    assert_eq!(Registry::lookup::<Other>(&name), None, "another type");
    assert_eq!(Registry::lookup::<Named>("nobody"), None);

    let other = Named::default().spawn_on(&rt);
    assert_eq!(
        Registry::register(name.clone(), &other),
        Err(RegistryError::NameTaken(name.clone()))
    );

    named.stop().await;
    named.wait_for_stop().await;
    assert_eq!(
        Registry::lookup::<Named>(&name),
        None,
        "a stopped actor is gone"
    );
    Registry::register(name.clone(), &other).unwrap();
    assert_eq!(Registry::lookup::<Named>(&name), Some(other.clone()));
    assert!(Registry::unregister(&name));
    assert!(!Registry::unregister(&name));
    assert_eq!(Registry::lookup::<Named>(&name), None);
}

every_executor!(named_actors_are_found_by_name_and_type);

#[tokio::test]
async fn a_service_asked_without_a_runtime_spawns_on_the_built_in_one() {
    counter_service!(BuiltIn);
    messages_tests::within(async {
        let service = Registry::service::<BuiltIn>().await;
        assert_eq!(service.send(()).await, Ok(1));
    })
    .await;
}
