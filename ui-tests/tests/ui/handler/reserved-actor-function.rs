use messages::prelude::*;

#[actor]
struct Account;

#[actor]
impl Account {
    fn spawn(self) -> Self {
        self
    }

    #[handler]
    fn balance(&self) -> i64 {
        0
    }
}

fn main() {}
