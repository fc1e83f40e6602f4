use messages::prelude::*;

#[actor]
struct Adder;

#[actor]
impl Adder {
    #[handler]
    fn add(&self, (a, b): (u8, u8)) -> u16 {
        u16::from(a) + u16::from(b)
    }
}

fn main() {}
