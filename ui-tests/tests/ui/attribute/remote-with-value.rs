use messages::prelude::*;

#[actor]
struct Calc;

#[actor(remote = zenoh)]
impl Calc {
    #[handler]
    fn add(&self, a: i64, b: i64) -> i64 {
        a + b
    }
}

fn main() {}
