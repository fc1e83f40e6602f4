use messages::prelude::*;

#[actor]
struct Account;

impl Actor for Account {}

fn main() {}
