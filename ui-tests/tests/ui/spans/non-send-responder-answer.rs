use std::rc::Rc;

use messages::prelude::*;
use messages::Responder;

#[actor]
struct Maker;

#[actor]
impl Maker {
    #[handler]
    fn make(&mut self, responder: Responder<Rc<u8>>) {
        drop(responder);
    }
}

fn main() {}
