use messages::prelude::*;
use messages::Responder;

#[actor]
struct Bank;

#[actor]
impl Bank {
    #[handler]
    fn transfer(&mut self, amount: u64, responder: Responder<u64>) -> u64 {
        responder.send(amount);
        amount
    }
}

fn main() {}
