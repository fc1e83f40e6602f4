use messages::prelude::*;

#[actor(manual_impl, capacity = 4)]
struct Account;

impl Actor for Account {}

fn main() {}
