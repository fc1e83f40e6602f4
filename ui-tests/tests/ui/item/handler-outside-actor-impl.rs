use messages::prelude::*;

#[actor]
struct Account;

impl Account {
    #[handler]
    fn balance(&self) -> i64 {
        0
    }
}

fn main() {}
