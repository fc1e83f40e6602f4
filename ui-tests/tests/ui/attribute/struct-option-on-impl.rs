use messages::prelude::*;

#[actor]
struct Account;

#[actor(capacity = 8)]
impl Account {
    #[handler]
    fn balance(&self) -> i64 {
        0
    }
}

fn main() {}
