use std::cell::Cell;
use std::rc::Rc;

use messages::prelude::*;

#[actor]
struct Keeper;

#[actor]
impl Keeper {
    #[notify]
    async fn keep(&mut self, first: u8, shared: Rc<Cell<u8>>) {
        shared.set(first);
    }
}

fn main() {}
