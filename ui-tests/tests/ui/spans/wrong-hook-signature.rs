use messages::prelude::*;

#[actor(stopped = flush)]
struct Account;

impl Account {
    async fn flush(&mut self, reason: String) {
        drop(reason);
    }
}

fn main() {}
