use messages::prelude::*;

#[actor(derive(Clone))]
struct Account;

fn main() {}
