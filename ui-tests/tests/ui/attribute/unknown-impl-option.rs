use messages::prelude::*;

#[actor]
struct Account;

#[actor(parallel)]
impl Account {
    #[handler]
    fn balance(&self) -> i64 {
        0
    }
}

fn main() {}
