use messages::prelude::*;

#[actor]
struct Account;

#[actor]
impl Account {
    #[handler]
    fn balance(&self) -> i64 {
        0
    }

    #[handler(message = Balance)]
    fn current(&self) -> i64 {
        0
    }
}

fn main() {}
