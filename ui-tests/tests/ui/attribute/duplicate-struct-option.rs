use messages::prelude::*;

#[actor(started = warm_up, started = cool_down)]
struct Account;

fn main() {}
