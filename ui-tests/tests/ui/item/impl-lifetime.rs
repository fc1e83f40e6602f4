use messages::prelude::*;

#[actor]
struct Account;

#[actor]
impl<'a> Account {
    #[handler]
    fn ping(&self) {}
}

fn main() {}
