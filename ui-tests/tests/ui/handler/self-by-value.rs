use messages::prelude::*;

#[actor]
struct Account;

#[actor]
impl Account {
    #[handler]
    fn close(self) {}
}

fn main() {}
