use messages::prelude::*;

#[actor]
struct Account;

#[actor]
impl Account {
    #[handler(mesage = Balance)]
    fn balance(&self) -> i64 {
        0
    }
}

fn main() {}
