use messages::prelude::*;

struct Account;

impl Actor for Account {}

#[actor]
impl Account {
    #[handler]
    fn balance(&self) -> i64 {
        0
    }
}

fn main() {}
