use messages::prelude::*;

#[actor(capacity = 0)]
struct Account;

fn main() {}
