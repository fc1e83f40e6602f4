//! 15 — a generic actor: one `Cache<K, V>` written once, spawned for two key types.
//!
//! `#[actor]` takes generic structs and impl blocks as written, bounds and where
//! clauses included. The typed address is generic the same way (`CacheAddress<K, V>`),
//! and each generated message type is generic over exactly the parameters its fields
//! use: `Get<K>`, `Put<K, V>`, and `Stats` with none. The actor lives in a module of
//! its own name, so `#[actor(module = msg)]` names its message module `cache::msg`
//! rather than the stuttering `cache::cache`. Typed calls own what they need, so one
//! can go to `tokio::spawn` while the caller keeps its address. Run it with
//! `cargo run --example 15_generic_actor`.

mod cache {
    use std::collections::HashMap;
    use std::hash::Hash;

    use messages::prelude::*;

    /// Keeps at most `limit` entries, dropping the oldest first.
    #[actor]
    #[derive(Debug)]
    pub struct Cache<K, V>
    where
        K: Eq + Hash,
    {
        entries: HashMap<K, V>,
        order: Vec<K>,
        limit: usize,
        hits: u64,
        misses: u64,
    }

    impl<K: Eq + Hash, V> Cache<K, V> {
        /// An empty cache that holds up to `limit` entries.
        pub fn with_limit(limit: usize) -> Self {
            Cache {
                entries: HashMap::new(),
                order: Vec::new(),
                limit,
                hits: 0,
                misses: 0,
            }
        }
    }

    /// What a cache has seen.
    #[derive(Debug, PartialEq, Eq)]
    pub struct Counts {
        pub entries: usize,
        pub hits: u64,
        pub misses: u64,
    }

    #[actor(module = msg)]
    impl<K, V> Cache<K, V>
    where
        K: Eq + Hash + Clone + Send + 'static,
        V: Clone + Send + 'static,
    {
        /// The value under `key`, if it is still there.
        #[handler]
        pub fn get(&mut self, key: K) -> Option<V> {
            let found = self.entries.get(&key).cloned();
            match found {
                Some(_) => self.hits += 1,
                None => self.misses += 1,
            }
            found
        }

        /// Stores `value` under `key`; answers the key it evicted to make room, if any.
        #[handler]
        pub fn put(&mut self, key: K, value: V) -> Option<K> {
            if self.entries.insert(key.clone(), value).is_some() {
                return None;
            }
            self.order.push(key);
            if self.order.len() <= self.limit {
                return None;
            }
            let oldest = self.order.remove(0);
            self.entries.remove(&oldest);
            Some(oldest)
        }

        /// Forgets every entry: fire-and-forget.
        #[notify]
        pub fn clear(&mut self) {
            self.entries.clear();
            self.order.clear();
        }

        /// A message type with no type parameter at all: `msg::Stats`.
        #[handler]
        pub fn stats(&self) -> Counts {
            Counts {
                entries: self.entries.len(),
                hits: self.hits,
                misses: self.misses,
            }
        }
    }
}

use cache::{Cache, CacheAddress, msg};
use messages::prelude::*;

#[tokio::main]
async fn main() -> Result<(), SendError> {
    // One type, two instantiations: names to lengths, and ids to names.
    let lengths: CacheAddress<String, usize> = Cache::with_limit(2).spawn();
    let names: CacheAddress<u32, &'static str> = Cache::with_limit(8).spawn();

    for word in ["actor", "mailbox", "address"] {
        if let Some(evicted) = lengths.put(word.to_owned(), word.len()).await? {
            println!("evicted {evicted:?} to make room for {word:?}");
        }
    }
    println!("mailbox -> {:?}", lengths.get("mailbox".to_owned()).await?);
    println!("actor -> {:?}", lengths.get("actor".to_owned()).await?);

    // A typed call is an owned future: it can run in a task of its own.
    let in_a_task = tokio::spawn(names.put(7, "seven"));
    in_a_task.await.expect("the task ran")?;
    println!("7 -> {:?}", names.get(7).await?);

    // The generated message types are generic too, and work with the plain API.
    let plain = names.send(msg::Get { key: 8 }).await?;
    println!("plain send(msg::Get {{ key: 8 }}) -> {plain:?}");

    println!("lengths: {:?}", lengths.stats().await?);
    names.clear().await?;
    println!("names after clear: {:?}", names.send(msg::Stats).await?);

    lengths.stop().await;
    names.stop().await;
    lengths.wait_for_stop().await;
    names.wait_for_stop().await;
    Ok(())
}
