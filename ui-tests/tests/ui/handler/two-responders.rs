use messages::prelude::*;
use messages::Responder;

#[actor]
struct Bank;

#[actor]
impl Bank {
    #[handler]
    fn transfer(&mut self, first: Responder<u64>, amount: u64, second: Responder<u64>) {
        first.send(amount);
        second.send(amount);
    }
}

fn main() {}
