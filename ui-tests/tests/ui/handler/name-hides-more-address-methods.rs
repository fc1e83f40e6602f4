use messages::prelude::*;

#[actor]
struct Machine;

#[actor]
impl Machine {
    #[handler]
    fn kill(&mut self) -> u8 {
        7
    }

    #[handler]
    fn read(&self) -> u8 {
        1
    }

    #[handler]
    fn downgrade(&mut self) {}

    #[handler]
    fn recipient(&self) -> u8 {
        2
    }

    #[handler]
    fn into(&self) -> u8 {
        3
    }
}

fn main() {}
