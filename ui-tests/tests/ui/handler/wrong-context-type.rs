use messages::prelude::*;

#[actor]
struct Account;

#[actor]
struct Bank;

#[actor]
impl Account {
    #[handler]
    fn close(&mut self, ctx: &Context<Bank>) {
        ctx.stop();
    }
}

fn main() {}
