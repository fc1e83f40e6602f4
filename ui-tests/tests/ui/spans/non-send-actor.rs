use std::rc::Rc;

use messages::prelude::*;

#[actor]
struct Shared {
    value: Rc<u8>,
}

fn main() {}
