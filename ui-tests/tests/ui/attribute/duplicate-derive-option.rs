use messages::prelude::*;

#[actor]
struct Account;

#[actor(derive(Debug), module = accounts, derive(Clone))]
impl Account {
    #[handler]
    fn balance(&self) -> i64 {
        0
    }
}

fn main() {}
