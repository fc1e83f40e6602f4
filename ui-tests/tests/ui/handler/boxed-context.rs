use messages::prelude::*;

#[actor]
struct Account;

#[actor]
impl Account {
    #[handler]
    fn close(&mut self, ctx: Box<Context<Self>>) {
        ctx.stop();
    }
}

fn main() {}
