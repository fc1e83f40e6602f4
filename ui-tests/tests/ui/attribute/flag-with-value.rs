use messages::prelude::*;

#[actor(unbounded = true)]
struct Account;

fn main() {}
