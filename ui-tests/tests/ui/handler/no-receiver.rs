use messages::prelude::*;

#[actor]
struct Account;

#[actor]
impl Account {
    #[handler]
    fn open(amount: i64) -> i64 {
        amount
    }
}

fn main() {}
