use std::rc::Rc;

use messages::prelude::*;

#[actor]
struct Maker;

#[actor]
impl Maker {
    #[handler]
    fn make(&mut self) -> Rc<u8> {
        Rc::new(1)
    }
}

fn main() {}
