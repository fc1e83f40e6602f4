//! `#[actor]` on generic actors: bounds and where clauses on the struct and the impl
//! block, message types generic over exactly the parameters their fields use.

use std::collections::HashMap;
use std::hash::Hash;

use messages::prelude::*;
use messages_tests::{Rt, every_executor};

/// A generic key-value store.
#[actor]
#[derive(Debug)]
pub struct Cache<K, V>
where
    K: Eq + Hash,
{
    entries: HashMap<K, V>,
}

#[actor]
impl<K, V> Cache<K, V>
where
    K: Eq + Hash + Send + 'static,
    V: Clone + Send + 'static,
{
    /// Stores a value, returning the previous one.
    #[handler]
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        self.entries.insert(key, value)
    }

    /// Looks a value up.
    #[handler]
    pub fn get(&self, key: K) -> Option<V> {
        self.entries.get(&key).cloned()
    }

    /// How many entries there are: a message with no type parameter at all.
    #[handler]
    pub fn count(&self) -> usize {
        self.entries.len()
    }

    /// Drops every entry whose key is in `keys`.
    #[notify]
    pub fn evict(&mut self, keys: Vec<K>) {
        for key in keys {
            self.entries.remove(&key);
        }
    }
}

/// A tuple struct with a const parameter.
#[actor]
#[derive(Debug)]
pub struct Window<const N: usize>([u32; N]);

#[actor]
impl<const N: usize> Window<N> {
    #[handler]
    pub fn replace(&mut self, values: [u32; N]) -> [u32; N] {
        std::mem::replace(&mut self.0, values)
    }
}

/// An enum actor.
#[actor]
#[derive(Debug)]
pub enum Light {
    On,
    Off,
}

#[actor]
impl Light {
    #[handler]
    pub fn toggle(&mut self) -> bool {
        *self = match self {
            Light::On => Light::Off,
            Light::Off => Light::On,
        };
        matches!(self, Light::On)
    }
}

/// Drains an iterator: the impl block's where clause bounds an associated type that a
/// message field names, and bounds that name a parameter a message does not use.
#[actor]
#[derive(Debug)]
pub struct Drain<T, U> {
    source: T,
    seen: Vec<U>,
}

#[actor]
impl<T, U> Drain<T, U>
where
    T: Iterator + Send + 'static,
    T::Item: PartialEq + Send + 'static,
    U: From<T::Item> + Clone + Send + 'static,
{
    /// A field of type `T::Item`: the message carries `T: Iterator` and the bound on
    /// `T::Item`, not the ones on `U`.
    #[handler]
    pub fn skip_to(&mut self, item: T::Item) -> bool {
        self.source.any(|next| next == item)
    }

    /// A field of type `U`: the bound `U: From<T::Item>` names `T`, which the message
    /// does not use, so it stays on the impl.
    #[notify]
    pub fn note(&mut self, value: U) {
        self.seen.push(value);
    }

    #[handler]
    pub fn take(&mut self) -> Option<U> {
        self.source.next().map(U::from)
    }

    #[handler]
    pub fn seen(&self) -> Vec<U> {
        self.seen.clone()
    }
}

async fn where_clauses_reach_the_message_types(rt: Rt) {
    let drain = Drain::<_, u32> {
        source: vec![1_u8, 2, 3, 4].into_iter(),
        seen: Vec::new(),
    }
    .spawn_on(&rt);
    assert_eq!(drain.skip_to(2).await, Ok(true));
    assert_eq!(drain.take().await, Ok(Some(3)));
    drain.note(7).await.unwrap();
    assert_eq!(drain.seen().await, Ok(vec![7]));
    let skip: drain::SkipTo<std::vec::IntoIter<u8>> = drain::SkipTo { item: 9 };
    assert_eq!(drain.send(skip).await, Ok(false));
    drain.notify(drain::Note::<u32> { value: 8 }).await.unwrap();
    assert_eq!(drain.seen().await, Ok(vec![7, 8]));
}

async fn a_generic_actor_works(rt: Rt) {
    let cache: CacheAddress<String, u32> = Cache {
        entries: HashMap::new(),
    }
    .spawn_on(&rt);
    assert_eq!(cache.insert("a".to_owned(), 1).await, Ok(None));
    assert_eq!(cache.insert("a".to_owned(), 2).await, Ok(Some(1)));
    assert_eq!(cache.get("a".to_owned()).await, Ok(Some(2)));
    assert_eq!(cache.count().await, Ok(1));
    cache.evict(vec!["a".to_owned()]).await.unwrap();
    assert_eq!(cache.count().await, Ok(0));
    // Message types name only the parameters their fields use.
    let get: cache::Get<String> = cache::Get {
        key: "b".to_owned(),
    };
    assert_eq!(cache.send(get).await, Ok(None));
    assert_eq!(cache.send(cache::Count).await, Ok(0));
}

async fn const_generic_tuple_and_enum_actors_work(rt: Rt) {
    let window = Window([1, 2]).spawn_on(&rt);
    assert_eq!(window.replace([3, 4]).await, Ok([1, 2]));
    assert_eq!(
        window.send(window::Replace { values: [5, 6] }).await,
        Ok([3, 4])
    );
    let light = Light::Off.spawn_on(&rt);
    assert_eq!(light.toggle().await, Ok(true));
    assert_eq!(light.toggle().await, Ok(false));
}

every_executor!(
    a_generic_actor_works,
    const_generic_tuple_and_enum_actors_work,
    where_clauses_reach_the_message_types
);
