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
    const_generic_tuple_and_enum_actors_work
);
