use messages::prelude::*;
use messages::Responder;

#[actor]
struct Bank;

#[actor]
impl Bank {
    #[handler]
    fn transfer(&mut self, amount: u64, responder: &mut Responder<u64>) {
        let _ = (amount, responder);
    }
}

fn main() {}
