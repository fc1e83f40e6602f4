use messages::prelude::*;

#[actor(crate = "messages")]
struct Account;

fn main() {}
