use messages::prelude::*;

#[actor]
struct Borrowed<'a> {
    name: &'a str,
}

fn main() {}
