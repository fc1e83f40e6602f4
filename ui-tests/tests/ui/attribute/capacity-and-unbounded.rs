use messages::prelude::*;

#[actor(capacity = 8, unbounded)]
struct Account;

fn main() {}
