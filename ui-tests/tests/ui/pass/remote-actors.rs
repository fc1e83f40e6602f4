//! Remote actors of every handler shape compile, generic ones too.

use std::collections::HashMap;
use std::hash::Hash;

use messages::prelude::*;
use messages::Responder;

#[actor]
#[derive(Default)]
pub struct Calc {
    total: i64,
}

#[actor(remote)]
impl Calc {
    #[handler]
    pub fn add(&mut self, a: i64, b: i64) -> i64 {
        self.total += a + b;
        self.total
    }

    #[handler(parallel)]
    pub fn total(&self) -> i64 {
        self.total
    }

    #[handler(tag = "calc.later")]
    pub fn later(&mut self, responder: Responder<i64>) {
        responder.send(self.total);
    }

    #[notify]
    pub fn reset(&mut self) {
        self.total = 0;
    }
}

#[actor]
pub struct Cache<K: Eq + Hash, V> {
    entries: HashMap<K, V>,
}

#[actor(remote)]
impl<K, V> Cache<K, V>
where
    K: Eq + Hash + Send + 'static,
    V: Clone + Send + 'static,
{
    #[handler]
    pub fn get(&self, key: K) -> Option<V> {
        self.entries.get(&key).cloned()
    }

    #[notify]
    pub fn put(&mut self, key: K, value: V) {
        self.entries.insert(key, value);
    }
}

fn assert_remote<A: messages_remote::Remote>() {}

fn main() {
    assert_remote::<Calc>();
    assert_remote::<Cache<String, u32>>();
}
