// `#[actor]` on a declaration alone: hand-written handlers, a typed address all the same.
use messages::prelude::*;

#[actor(unbounded)]
struct Echo;

impl Handler<String> for Echo {
    type Result = String;
    async fn handle(&mut self, text: String, _: &Context<Self>) -> String {
        text
    }
}

fn main() {
    let (echo, run): (EchoAddress, _) = Echo.prepare();
    drop((echo, run));
}
