use messages::prelude::*;

struct Machine;

#[actor]
impl Machine {
    #[handler]
    fn state(&self) -> u8 {
        0
    }

    #[notify]
    fn kick(&mut self, by: u8) {
        let _ = by;
    }
}

fn main() {}
