use messages::prelude::*;

#[actor]
struct Named {
    name: String,
}

#[actor]
impl Named {
    #[handler]
    fn name(&self) -> &str {
        &self.name
    }
}

fn main() {}
