use messages::prelude::*;

#[actor]
struct Counter;

#[actor]
impl Counter {
    #[handler]
    fn show(&self, ref value: u32) -> u32 {
        *value
    }
}

fn main() {}
