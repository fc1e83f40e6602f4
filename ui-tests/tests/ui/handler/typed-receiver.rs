use messages::prelude::*;

#[actor]
struct Account;

#[actor]
impl Account {
    #[handler]
    fn close(self: Box<Self>) {}
}

fn main() {}
