use messages::prelude::*;

#[actor]
trait Service {
    fn call(&self);
}

fn main() {}
