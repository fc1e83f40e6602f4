use messages::prelude::*;

#[actor(started = warm_up)]
struct Account;

fn main() {}
