use messages::prelude::*;

#[actor]
struct Printer;

#[actor]
impl Printer {
    #[handler]
    fn print(&self, value: impl std::fmt::Display + Send + 'static) {
        println!("{value}");
    }
}

fn main() {}
