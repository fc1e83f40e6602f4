use messages::prelude::*;

#[actor]
struct Calc;

/// Not serde-ready.
pub struct Total(pub i64);

#[actor(remote)]
impl Calc {
    #[handler]
    pub fn add(&self, a: i64, b: i64) -> Total {
        Total(a + b)
    }
}

fn main() {}
