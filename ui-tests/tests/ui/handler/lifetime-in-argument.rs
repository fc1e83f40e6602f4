use std::borrow::Cow;

use messages::prelude::*;

#[actor]
struct Greeter;

#[actor]
impl Greeter {
    #[handler]
    fn greet(&self, name: Cow<'_, str>) -> String {
        format!("hello {name}")
    }
}

fn main() {}
