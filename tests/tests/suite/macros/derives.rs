//! `derive(..)` on `#[actor]` impl blocks and handlers: traits derived on the generated
//! message types. The impl block's list is the default; a handler's own list replaces it
//! (`derive()` derives nothing).

use std::collections::BTreeMap;
use std::marker::PhantomData;

use messages::Broadcast;
use messages::prelude::*;
use messages_tests::{Log, Rt, every_executor};

/// Whether `T` implements a trait, read at run time: the inherent method (which needs
/// the trait) wins over the trait's default when it applies.
struct Probe<T>(PhantomData<T>);

trait Lacks {
    fn clone_(&self) -> bool {
        false
    }
    fn partial_eq(&self) -> bool {
        false
    }
}

impl<T> Lacks for Probe<T> {}

impl<T: Clone> Probe<T> {
    fn clone_(&self) -> bool {
        true
    }
}

impl<T: PartialEq> Probe<T> {
    fn partial_eq(&self) -> bool {
        true
    }
}

fn probe<T>() -> Probe<T> {
    Probe(PhantomData)
}

/// Derive macros reached through a path written at the impl block.
mod traits {
    pub(super) use ::core::clone::Clone as Duplicate;
}

/// A listener whose notification goes through a `Broadcast`, which clones it.
#[actor]
#[derive(Debug, Default)]
pub struct Listener {
    log: Log,
}

#[actor(derive(Debug, PartialEq))]
impl Listener {
    /// Cloned for every member of a broadcast.
    #[notify(derive(Clone, Debug, PartialEq))]
    pub fn hear(&mut self, line: String) {
        self.log.push(line);
    }

    /// The impl block's default: `Debug` and `PartialEq`.
    #[handler]
    pub fn heard(&self, since: usize) -> Vec<String> {
        self.log.events().split_off(since)
    }

    /// Opts out of the default.
    #[handler(derive())]
    pub fn count(&self) -> usize {
        self.log.events().len()
    }

    /// A path relative to the impl block's module, and one from the crate root.
    #[notify(derive(self::traits::Duplicate, ::core::fmt::Debug))]
    pub fn mark(&mut self, tag: u8) {
        self.log.push(format!("mark {tag}"));
    }

    /// Compiled out: its derives go with it.
    #[cfg(any())]
    #[notify(derive(Clone))]
    pub fn absent(&mut self, missing: NotAType) {}

    /// A deprecated handler's message derives without warnings (the suite is built
    /// with `-D warnings` by clippy).
    #[deprecated = "use `hear`"]
    #[notify(derive(Clone))]
    pub fn hear_old(&mut self, line: String) {
        self.log.push(line);
    }
}

/// A generic actor: derived impls carry the bounds of the parameters a message uses,
/// and the impl block's where clause.
#[actor]
#[derive(Debug, Default)]
pub struct Index<K, V>
where
    K: Ord,
{
    entries: BTreeMap<K, V>,
}

#[actor(derive(Clone, Debug, PartialEq))]
impl<K, V> Index<K, V>
where
    K: Ord + Send + 'static,
    V: Send + 'static,
{
    /// Generic over `K` and `V`.
    #[handler]
    pub fn put(&mut self, key: K, value: V) -> Option<V> {
        self.entries.insert(key, value)
    }

    /// Generic over `K` only.
    #[notify]
    pub fn remove(&mut self, key: K) {
        self.entries.remove(&key);
    }

    /// Not generic.
    #[handler(derive(Debug))]
    pub fn size(&self) -> usize {
        self.entries.len()
    }
}

async fn a_notification_deriving_clone_goes_through_a_broadcast(rt: Rt) {
    let (first_log, second_log) = (Log::default(), Log::default());
    let first = Listener {
        log: first_log.clone(),
    }
    .spawn_on(&rt);
    let second = Listener {
        log: second_log.clone(),
    }
    .spawn_on(&rt);
    let mut room = Broadcast::new();
    room.add_strong(first.notify_recipient::<listener::Hear>());
    room.add_strong(second.notify_recipient::<listener::Hear>());
    let line = listener::Hear {
        line: "hello".to_owned(),
    };
    assert_eq!(room.notify(line.clone()).await, Ok(2));
    assert_eq!(room.notify(line).await, Ok(2));
    // A request behind the broadcast: both notifications were handled before it.
    assert_eq!(first.heard(0).await, Ok(vec!["hello".to_owned(); 2]));
    assert_eq!(second.heard(0).await, Ok(vec!["hello".to_owned(); 2]));

    let mut marks = Broadcast::new();
    marks.add_strong(first.notify_recipient::<listener::Mark>());
    assert_eq!(marks.notify(listener::Mark { tag: 7 }).await, Ok(1));
    assert_eq!(first.heard(2).await, Ok(vec!["mark 7".to_owned()]));
    #[allow(deprecated)]
    {
        let mut old = Broadcast::new();
        old.add_strong(second.notify_recipient::<listener::HearOld>());
        let old_line = listener::HearOld {
            line: "old".to_owned(),
        };
        assert_eq!(old.notify(old_line).await, Ok(1));
    }
    assert_eq!(second.heard(2).await, Ok(vec!["old".to_owned()]));
}

#[test]
fn derived_traits_work_on_the_generated_types() {
    let hear = listener::Hear {
        line: "hi".to_owned(),
    };
    assert_eq!(hear.clone(), hear);
    assert_ne!(
        hear,
        listener::Hear {
            line: "ho".to_owned()
        }
    );
    // A derived `Debug` shows the fields, where the default one shows the name only.
    assert_eq!(format!("{hear:?}"), r#"Hear { line: "hi" }"#);
    assert_eq!(format!("{:?}", listener::Count), "Count { .. }");
    assert_eq!(
        format!("{:?}", listener::Mark { tag: 3 }),
        "Mark { tag: 3 }"
    );
    assert_eq!(listener::Heard { since: 1 }, listener::Heard { since: 1 });
    assert_eq!(
        format!("{:?}", listener::Heard { since: 1 }),
        "Heard { since: 1 }"
    );
    let mark = listener::Mark { tag: 3 };
    assert_eq!(self::traits::Duplicate::clone(&mark).tag, 3);
}

#[test]
fn a_handler_list_replaces_the_impl_block_default() {
    // The default (`Debug`, `PartialEq`): no `Clone`.
    assert!(probe::<listener::Heard>().partial_eq());
    assert!(!probe::<listener::Heard>().clone_());
    // Its own list, which has both.
    assert!(probe::<listener::Hear>().partial_eq());
    assert!(probe::<listener::Hear>().clone_());
    // `derive()`: nothing.
    assert!(!probe::<listener::Count>().partial_eq());
    assert!(!probe::<listener::Count>().clone_());
    // Its own list: `Clone` and `Debug`, not the default's `PartialEq`.
    assert!(probe::<listener::Mark>().clone_());
    assert!(!probe::<listener::Mark>().partial_eq());
}

#[test]
fn derives_on_generic_messages_follow_the_parameters_they_use() {
    let put = index::Put {
        key: 1_u8,
        value: "one",
    };
    assert_eq!(put.clone(), put);
    assert_eq!(format!("{put:?}"), r#"Put { key: 1, value: "one" }"#);
    let remove = index::Remove { key: "k" };
    assert_eq!(remove.clone(), remove);
    // `Size` has its own list: `Debug` only.
    assert_eq!(format!("{:?}", index::Size), "Size");
    assert!(!probe::<index::Size>().clone_());
    // A derived impl needs the trait on the parameters the message uses.
    struct Opaque;
    assert!(!probe::<index::Put<u8, Opaque>>().clone_());
    assert!(probe::<index::Put<u8, u8>>().clone_());
}

async fn a_generic_actor_with_derives_works(rt: Rt) {
    let index = Index::<u8, String>::default().spawn_on(&rt);
    let put = index::Put {
        key: 1,
        value: "one".to_owned(),
    };
    assert_eq!(index.send(put.clone()).await, Ok(None));
    assert_eq!(index.send(put).await, Ok(Some("one".to_owned())));
    index.remove(1).await.unwrap();
    assert_eq!(index.size().await, Ok(0));
}

every_executor!(
    a_notification_deriving_clone_goes_through_a_broadcast,
    a_generic_actor_with_derives_works,
);
