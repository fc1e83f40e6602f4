use messages::prelude::*;

#[actor]
struct Summer;

#[actor]
impl Summer {
    #[handler]
    fn sum(&self, values: &[u64]) -> u64 {
        values.iter().sum()
    }
}

fn main() {}
