use messages::prelude::*;
use messages::Responder;

#[actor]
struct Bank {
    balance: u64,
}

#[actor]
impl Bank {
    #[handler(parallel)]
    fn balance(&self, responder: Responder<u64>) {
        responder.send(self.balance);
    }
}

fn main() {}
