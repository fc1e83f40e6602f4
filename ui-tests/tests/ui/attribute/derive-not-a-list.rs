use messages::prelude::*;

#[actor]
struct Account;

#[actor]
impl Account {
    #[handler(derive = Clone)]
    fn balance(&self) -> i64 {
        0
    }
}

fn main() {}
