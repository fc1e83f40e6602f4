use std::rc::Rc;

use messages::prelude::*;

#[actor]
struct Keeper;

#[actor]
impl Keeper {
    #[handler]
    fn keep(&mut self, value: Rc<u8>) -> u8 {
        *value
    }
}

fn main() {}
