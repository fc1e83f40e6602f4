use messages::prelude::*;

#[actor(capacity = -1)]
struct Account;

fn main() {}
