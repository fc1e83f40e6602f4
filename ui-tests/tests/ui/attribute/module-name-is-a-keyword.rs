use messages::prelude::*;

#[actor]
struct Crate;

#[actor]
impl Crate {
    #[handler]
    fn name(&self) -> &'static str {
        "crate"
    }
}

fn main() {}
