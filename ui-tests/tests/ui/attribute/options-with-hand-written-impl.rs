use messages::prelude::*;

#[actor(capacity = 8, started = warm_up)]
struct Account;

impl Account {
    async fn warm_up(&mut self, _: &Context<Self>) {}
}

impl Actor for Account {}

fn main() {}
