use messages::prelude::*;

#[actor]
impl<X> X {
    #[handler]
    fn name(&self) -> &'static str {
        "any"
    }
}

fn main() {}
