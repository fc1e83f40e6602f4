use messages::prelude::*;

#[actor]
struct Calc;

#[actor]
impl Calc {
    #[handler(tag = "calc.add")]
    fn add(&self, a: i64, b: i64) -> i64 {
        a + b
    }
}

fn main() {}
