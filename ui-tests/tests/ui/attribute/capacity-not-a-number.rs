use messages::prelude::*;

const SIZE: usize = 8;

#[actor(capacity = SIZE)]
struct Account;

fn main() {}
