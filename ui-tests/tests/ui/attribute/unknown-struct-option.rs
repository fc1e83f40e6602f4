use messages::prelude::*;

#[actor(capacty = 16)]
struct Account;

fn main() {}
