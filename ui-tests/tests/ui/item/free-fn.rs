use messages::prelude::*;

#[actor]
fn deposit(amount: i64) -> i64 {
    amount
}

fn main() {}
