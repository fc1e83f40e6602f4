use messages::prelude::*;

#[actor]
struct Numbers;

#[actor]
impl Numbers {
    #[handler]
    fn evens(&self) -> impl Iterator<Item = u32> {
        (0..10).filter(|n| n % 2 == 0)
    }
}

fn main() {}
