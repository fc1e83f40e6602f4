use std::cell::Cell;

use messages::prelude::*;

#[actor]
struct Counter {
    hits: Cell<u64>,
}

#[actor]
impl Counter {
    #[handler(parallel)]
    fn hits(&self) -> u64 {
        self.hits.get()
    }
}

fn main() {}
