use messages::prelude::*;

#[actor]
struct Account;

#[actor]
impl Account {
    #[handler]
    fn close(&mut self, first: &Context<Self>, second: &Context<Self>) {
        first.stop();
        second.stop();
    }
}

fn main() {}
