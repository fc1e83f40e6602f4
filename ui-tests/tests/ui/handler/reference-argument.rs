use messages::prelude::*;

#[actor]
struct Greeter;

#[actor]
impl Greeter {
    #[handler]
    fn greet(&self, name: &str) -> String {
        format!("hello {name}")
    }
}

fn main() {}
