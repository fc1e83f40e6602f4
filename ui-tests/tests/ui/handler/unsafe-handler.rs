use messages::prelude::*;

#[actor]
struct Raw;

#[actor]
impl Raw {
    #[handler]
    unsafe fn poke(&mut self, address: usize) {
        drop(address);
    }
}

fn main() {}
