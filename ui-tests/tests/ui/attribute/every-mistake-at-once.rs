// Errors are accumulated: one build reports all three mistakes.
use messages::prelude::*;

#[actor]
struct Account;

#[actor]
impl Account {
    #[handler]
    fn by_value(self) {}

    #[handler]
    fn borrowed(&self, name: &str) {
        drop(name);
    }

    #[notify]
    fn answers(&mut self) -> u8 {
        1
    }
}

fn main() {}
