use messages::prelude::*;

#[actor]
struct Calc;

#[actor(remote)]
impl Calc {
    #[handler(tag = "$stop")]
    fn add(&self, a: i64, b: i64) -> i64 {
        a + b
    }
}

fn main() {}
