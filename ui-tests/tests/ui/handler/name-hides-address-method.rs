use messages::prelude::*;

#[actor]
struct Machine;

#[actor]
impl Machine {
    #[handler]
    fn stop(&mut self) -> bool {
        true
    }
}

fn main() {}
